"""The editors' handbook names every field and every rule, and its generated tables are current."""

from __future__ import annotations

import re
from typing import Iterator

import pytest
from core_kit import REPO

from gongkai.formats import FORMATS, Row
from gongkai.handbook import BEGIN, END, reference_markdown
from gongkai.parsing import AGENCY_KEYS, TOP_LEVEL_KEYS
from gongkai.rules import catalogue

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


def test_every_rule_of_the_catalogue_is_in_the_handbook_with_its_title():
    text = _text()
    assert len(catalogue()) >= 40
    missing = [rule.code for rule in catalogue().values() if f"| `{rule.code}` |" not in text or rule.title not in text]
    assert missing == [], "run: gongkai handbook --write handbook/填报说明.md"


def test_only_the_catalogue_makes_findings():
    """Messages are written once, in rules.py: no other module builds a Finding itself."""
    makers = sorted(str(path.relative_to(SOURCE)) for path in SOURCE.rglob("*.py")
                    if path.name not in ("rules.py", "findings.py") and re.search(r"\bFinding\(", path.read_text("utf-8")))
    assert makers == []


def test_handbook_covers_the_editor_tasks():
    text = _text()
    for words in ("gongkai new", "gongkai validate", "gongkai serve", "--xlsx", "status: draft", "redhat.vscode-yaml",
                  "Tab", "全角", "引号", "report.schema.json", "应为", "实为"):
        assert words in text, words


def test_handbook_stays_off_the_public_site():
    assert not (REPO / "docs" / "填报说明.md").exists()
    assert HANDBOOK.parent.name == "handbook"
