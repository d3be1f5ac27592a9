"""Hypothesis strategies: valid reports built from the format declaration, and hostile YAML."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import strategies as st

from gongkai.formats import FORMATS, Kind
from gongkai.model import Agency, CellPath, CellValue, Report
from gongkai.totals import total_rules

HAN = "示例镇区县市街道办事处人民政府局委员会公安财政教育卫生健康水利农业文化旅游"
# Narrative text the importer cannot mistake for a heading, a sub-heading or a date line.
SAFE_TEXT = HAN + "件条项，；0123456789"

small = st.integers(min_value=0, max_value=999)
slugs = st.from_regex(r"[a-z][a-z0-9]{0,10}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
names = st.text(alphabet=HAN, min_size=2, max_size=12).map(lambda s: s + "人民政府")
paragraphs = st.text(alphabet=SAFE_TEXT, min_size=1, max_size=60).map(lambda s: s.strip("，。；：、 ") or "无")
narratives = st.lists(paragraphs, min_size=1, max_size=3).map(lambda ps: "\n\n".join(p + "。" for p in ps) + "\n")


def _leaf_rows(rows, parents=()):
    for row in rows:
        if row.children:
            yield from _leaf_rows(row.children, parents + (row.key,))
        elif not row.is_total:
            yield parents + (row.key,)


@st.composite
def reports(draw, version: str | None = None) -> Report:
    """A report every rule accepts: table 三 balances per column, totals are sums."""
    version = version or draw(st.sampled_from(sorted(FORMATS)))
    spec = FORMATS[version]
    year = draw(st.sampled_from([2019, 2020] if version == "2019" else [2021, 2022, 2023, 2024]))
    values: dict[CellPath, CellValue] = {}
    for table in spec.tables:
        for cell in table.cells():
            if cell.is_total:
                continue
            kind = cell.column.kind
            if kind is Kind.AMOUNT:
                values[cell.path] = draw(st.decimals(min_value=0, max_value=9999, places=2)).normalize() \
                    if draw(st.booleans()) else Decimal(0)
            elif kind is Kind.SIGNED:
                values[cell.path] = draw(st.integers(min_value=-99, max_value=99))
            else:
                values[cell.path] = draw(small)
    applications = spec.table("applications")
    results = [("applications", "results") + p for p in _leaf_rows(
        next(r for b in applications.blocks for r in b.rows if r.key == "results").children)]
    for cell in applications.cells():
        if cell.row.path != ("received",) or cell.is_total:
            continue
        column = cell.column.key
        handled = sum(values[p + (column,)] for p in results)
        forward = values[("applications", "carried_forward", column)]
        over = values[("applications", "carried_over", column)]
        received = handled + forward - over
        if received < 0:
            values[("applications", "carried_over", column)] = over + received
            received = 0
        values[cell.path] = received
    for table in spec.tables:
        for rule in total_rules(table):
            values[rule.target_path] = rule.expected(values)
    agency = Agency(draw(slugs), draw(names))
    narrative = {s.key: draw(narratives) for s in spec.narrative_sections}
    published = date(year + 1, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    return Report(source=Path(f"{year}.yml"), display_path=f"{year}.yml", agency=agency, year=year, format=spec,
                  published=published, narrative=narrative, values=values)


# Scalars as an editor (or an attacker) might type them into any cell of a report.
hostile_scalars = st.sampled_from([
    "012", "0x10", "0o17", "0b1", "1:30", "1_000", "+5", "1e3", "1.0e+999999999", ".inf", "-.inf", ".nan", "~", "null",
    "yes", "no", "on", "2024-01-01", "2024-01-01 10:00:00", '"12"', "'12'", "１２", "-1", "-0", "0.5", ".5", "5.",
    "9" * 4400, "!!binary aGk=", "!!str 1", "!!int 1", "!!float 1", "!custom x", "&a 1", "*a", "[1, 2]", "{a: 1}",
    "[", "{", '"', "'", "|", ">", "- 1", "? x", "\x00", "\x07", "\t", "#", "%YAML 1.1", "---", "...", "<script>",
    "a" * 300, "示" * 200, "true", "False", "=", "<<", "!!python/name:os.system", "12 # 注释", "1,000",
])
