"""The tables' HTML stays byte for byte what it was: every sample report and two synthetic ones.

The fixtures in ``fixtures/`` were written by the straightforward renderer (a Jinja macro per
cell) before the per-layout skeleton replaced it. Regenerate them on purpose only, after a
deliberate change of the markup: ``GONGKAI_UPDATE_FIXTURES=1 .venv/bin/python -m pytest tests/rendering``.
"""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from jinja2 import Environment, PackageLoader

from gongkai.collection import load_portal
from gongkai.formats import FORMAT_2019, FORMAT_2021, FormatSpec, Kind
from gongkai.model import Agency, Report
from gongkai.rendering import render_table

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = sorted((REPO / "reports").glob("*/*.yml"))
UPDATE = os.environ.get("GONGKAI_UPDATE_FIXTURES") == "1"


def synthetic_report(spec: FormatSpec) -> Report:
    """Every cell a different number; negative changes, and amounts with zeros to drop."""
    amounts = [Decimal("12.50"), Decimal("0.00"), Decimal("100"), Decimal("3.25")]
    values: dict = {}
    for n, cell in enumerate((c for t in spec.tables for c in t.cells()), start=1):
        if cell.column.kind == Kind.AMOUNT:
            values[cell.path] = amounts[n % len(amounts)]
        elif cell.column.kind == Kind.SIGNED:
            values[cell.path] = -n if n % 2 else n
        else:
            values[cell.path] = n
    return Report(
        source=Path("synthetic.yml"), display_path="synthetic.yml", agency=Agency("shifan", "示例机关"),
        year=spec.first_year, format=spec, published=date(spec.first_year + 1, 1, 20), narrative={}, values=values,
    )


def _untrimmed() -> Environment:
    """A site environment without trim settings, keeping the trailing newline (as page templates do)."""
    return Environment(loader=PackageLoader("gongkai", "templates"), autoescape=True, keep_trailing_newline=True)


def all_tables(report: Report, environment: Environment | None = None, plugin_prefixes: bool = True) -> str:
    """The three tables as the report page writes them (ids prefixed by section), one after another."""
    parts = []
    for section in report.format.sections:
        if section.table is None:
            continue
        prefix = section.key.replace("_", "-") + "-" if plugin_prefixes else ""
        parts.append(render_table(report, section.table, id_prefix=prefix, environment=environment))
    return "\n<!-- next table -->\n".join(parts)


def _sample(path: Path) -> Report:
    portal = load_portal([path])
    assert portal.ok, portal.findings
    (report,) = portal.reports
    return report


CASES = [pytest.param(lambda p=p: all_tables(_sample(p)), f"{p.parent.name}-{p.stem}.html", id=f"{p.parent.name}-{p.stem}")
         for p in SAMPLES]
for _spec in (FORMAT_2019, FORMAT_2021):
    CASES += [
        pytest.param(lambda s=_spec: all_tables(synthetic_report(s)), f"synthetic-{_spec.version}.html",
                     id=f"synthetic-{_spec.version}"),
        pytest.param(lambda s=_spec: all_tables(synthetic_report(s), _untrimmed(), plugin_prefixes=False),
                     f"synthetic-{_spec.version}-untrimmed.html", id=f"synthetic-{_spec.version}-untrimmed"),
    ]


@pytest.mark.parametrize("render, name", CASES)
def test_tables_render_exactly_as_before(render, name: str) -> None:
    html = render()
    fixture = FIXTURES / name
    if UPDATE:
        fixture.parent.mkdir(exist_ok=True)
        fixture.write_bytes(html.encode("utf-8"))
    assert html == fixture.read_bytes().decode("utf-8")


def test_every_sample_report_has_a_fixture() -> None:
    assert len(SAMPLES) == 12
    assert {f"{p.parent.name}-{p.stem}.html" for p in SAMPLES} <= {f.name for f in FIXTURES.glob("*.html")}


def test_rendering_twice_gives_the_same_html_for_different_reports() -> None:
    """The cached layout is shared; the numbers are each report's own."""
    first, second = synthetic_report(FORMAT_2021), synthetic_report(FORMAT_2021)
    for path in second.values:
        second.values[path] = 7
    assert all_tables(first) == all_tables(first)
    assert all_tables(first) != all_tables(second)
    assert ">7</td>" in all_tables(second)
