"""Helpers for the core tests: build valid reports in code, find and edit one value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from gongkai.findings import Finding
from gongkai.formats import FORMATS, FormatSpec
from gongkai.model import Agency, CellPath, CellValue, Report
from gongkai.totals import total_rules
from gongkai.writing import report_to_yaml

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"

# (format version, a year it covers); the year after is in the same format too
FORMAT_YEARS = [pytest.param("2021", 2024, id="format-2021"), pytest.param("2019", 2019, id="format-2019")]

_FIGURES_2021: dict[CellPath, CellValue] = {
    ("proactive", "regulations", "issued"): 1,
    ("proactive", "normative_documents", "issued"): 2,
    ("proactive", "normative_documents", "repealed"): 1,
    ("proactive", "licensing", "decisions"): 290,
    ("proactive", "penalty", "decisions"): 99,
    ("proactive", "fees", "amount"): Decimal("1.5"),
}
_FIGURES_2019: dict[CellPath, CellValue] = {
    ("proactive", "normative_documents", "made"): 1,
    ("proactive", "normative_documents", "published"): 1,
    ("proactive", "normative_documents", "total_public"): 23,
    ("proactive", "licensing", "change"): -2,
    ("proactive", "licensing", "decisions"): 300,
    ("proactive", "other_services", "change"): 1,
    ("proactive", "penalty", "decisions"): 421,
    ("proactive", "fees", "change"): 4,
    ("proactive", "procurement", "purchase_items"): 12,
    ("proactive", "procurement", "purchase_amount"): Decimal("94.87"),
}
# Table 三 balances per column: natural 5 + 1 = 3 + 1 + 1 + 1; commercial 2 = 1 + 1.
_APPLICATIONS: dict[CellPath, CellValue] = {
    ("applications", "received", "natural_person"): 5,
    ("applications", "received", "commercial"): 2,
    ("applications", "carried_over", "natural_person"): 1,
    ("applications", "results", "disclosed", "natural_person"): 3,
    ("applications", "results", "partially_disclosed", "natural_person"): 1,
    ("applications", "results", "withheld", "third_party", "commercial"): 1,
    ("applications", "results", "not_processed", "repeated", "natural_person"): 1,
    ("applications", "carried_forward", "natural_person"): 1,
    ("appeals", "review", "upheld"): 1,
    ("appeals", "review", "pending"): 1,
    ("appeals", "litigation", "direct", "corrected"): 1,
}


def build_report(version: str, year: int, slug: str = "shifan-zhen", name: str = "示例镇人民政府") -> Report:
    """A valid report; figures that run on from year to year are consistent across years."""
    spec: FormatSpec = FORMATS[version]
    values: dict[CellPath, CellValue] = {
        cell.path: Decimal("0") if cell.column.kind.value == "amount" else 0
        for table in spec.tables for cell in table.cells()
    }
    values.update(_FIGURES_2021 if version == "2021" else _FIGURES_2019)
    values.update(_APPLICATIONS)
    if version == "2021":
        since = year - 2021  # in force: last year's + issued − repealed
        values[("proactive", "regulations", "in_force")] = 3 + since * 1
        values[("proactive", "normative_documents", "in_force")] = 10 + since * (2 - 1)
        values[("applications", "results", "other_handling", "other", "commercial")] = 1
    else:
        since = year - 2019  # previous items: last year's + last year's change
        for row, start, change in (("licensing", 52, -2), ("other_services", 63, 1), ("penalty", 109, 0),
                                   ("coercion", 98, 0), ("fees", 62, 4)):
            values[("proactive", row, "previous_items")] = start + since * change
        values[("applications", "results", "other_handling", "commercial")] = 1
    for table in spec.tables:
        for rule in total_rules(table):
            values[rule.target.path] = rule.expected(values)
    narrative = {
        "overview": "### （一）主动公开\n\n全年主动公开政府信息 923 条。\n\n**依申请公开**：均在法定期限内答复。\n",
        "problems": "信息发布不够及时。\n\n下一步：[参加培训](https://example.gov.cn/peixun)。\n",
        "other_matters": "无。\n",
    }
    return Report(source=Path(f"{year}.yml"), display_path=f"{year}.yml", agency=Agency(slug, name), year=year,
                  format=spec, published=date(year + 1, 1, 20), narrative=narrative, values=values)


def report_text(version: str, year: int, **agency: str) -> str:
    return report_to_yaml(build_report(version, year, **agency))


@dataclass(frozen=True)
class Spot:
    """Where a value stands in YAML text, found with PyYAML directly (not through gongkai)."""

    line: int  # 1-based
    start: int  # offsets into the text
    end: int


def locate(text: str, path: tuple[str, ...]) -> Spot:
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    for key in path:
        node = next(value for k, value in node.value if k.value == key)
    return Spot(node.start_mark.line + 1, node.start_mark.index, node.end_mark.index)


def locate_key(text: str, path: tuple[str, ...]) -> int:
    """1-based line of the key at ``path``."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    line = 0
    for key in path:
        key_node, node = next((k, value) for k, value in node.value if k.value == key)
        line = key_node.start_mark.line + 1
    return line


def set_value(text: str, path: tuple[str, ...], raw: str) -> tuple[str, int]:
    """Replace the value at ``path`` with ``raw`` (YAML source); returns the text and the line."""
    spot = locate(text, path)
    return text[: spot.start] + raw + text[spot.end:], spot.line


def replace_once(text: str, old: str, new: str) -> tuple[str, int]:
    """Replace the only occurrence of ``old``; returns the text and the line it stood on."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    index = text.index(old)
    return text.replace(old, new), text[:index].count("\n") + 1




def only(findings: list[Finding], rule: str) -> Finding:
    """The single finding with ``rule``; fails listing what was found instead."""
    matching = [f for f in findings if f.rule == rule]
    assert len(matching) == 1, f"expected one {rule}, got: {[(f.rule, f.line, f.message) for f in findings]}"
    return matching[0]
