"""The editors' handbook names every field and every rule, and its generated tables are current."""

from __future__ import annotations

import re
from typing import Iterator

import pytest
from core_kit import REPO

from gongkai.formats import FORMATS, Row
from gongkai.handbook import BEGIN, END, RULES, reference_markdown
from gongkai.parsing import AGENCY_KEYS, TOP_LEVEL_KEYS

HANDBOOK = REPO / "handbook" / "填报说明.md"
SOURCE = REPO / "plugins" / "gongkai"


def _text() -> str:
    return HANDBOOK.read_text(encoding="utf-8")


def _row_keys(rows: tuple[Row, ...]) -> Iterator[str]:
    for row in rows:
        yield row.key
        yield from _row_keys(row.children)


def _yaml_keys(version: str) -> set[str]:
    spec = FORMATS[version]
    keys = set(TOP_LEVEL_KEYS) | set(AGENCY_KEYS)
    for table in spec.tables:
        for block in table.blocks:
            keys |= set(_row_keys(block.rows))
            keys |= {leaf.key for column in block.columns for leaf in column.leaves()}
    return keys


@pytest.mark.parametrize("version", sorted(FORMATS))
def test_every_yaml_key_is_explained(version):
    text = _text()
    missing = sorted(key for key in _yaml_keys(version) if not re.search(rf"`(?:[a-z_]+\.)?{key}`", text))
    assert missing == []


def test_every_official_label_is_in_the_handbook():
    text = _text()
    for spec in FORMATS.values():
        for table in spec.tables:
            for cell in table.cells():
                assert cell.column.label in text and cell.row.row.label in text, cell.label


def test_generated_tables_are_current():
    text = _text()
    assert BEGIN in text and END in text
    generated = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert generated == reference_markdown().strip(), "run: gongkai handbook --write handbook/填报说明.md"


def _emitted_rules() -> set[str]:
    """Rule codes the checker can report, read from its source."""
    pattern = re.compile(r'(?:Finding\(\s*(?:rule=)?|self\.error\(\s*|_finding\(\s*report,\s*|rule=)"([a-z][a-z-]+)"')
    codes: set[str] = set()
    for path in SOURCE.glob("*.py"):
        codes |= set(pattern.findall(path.read_text(encoding="utf-8")))
    codes |= {f"{rule}-sum" for rule in ("total-row", "total-column")}  # built from the total rule's kind
    return codes


def test_every_rule_is_listed_with_its_meaning():
    listed = {code for code, _, _ in RULES}
    emitted = _emitted_rules()
    assert len(emitted) >= 25
    assert emitted - listed == set()
    text = _text()
    assert [code for code in listed if f"`{code}`" not in text] == []


def test_handbook_covers_the_editor_tasks():
    text = _text()
    for words in ("gongkai new", "gongkai validate", "gongkai serve", "--xlsx", "status: draft", "redhat.vscode-yaml", "Tab", "全角", "引号",
                  "report.schema.json", "应为", "实为"):
        assert words in text, words


def test_handbook_stays_off_the_public_site():
    assert not (REPO / "docs" / "填报说明.md").exists()
    assert HANDBOOK.parent.name == "handbook"
