"""A valid report renders and imports back to the same data; a changed cell is valid or named."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai import cli
from gongkai.formats import Kind
from gongkai.loading import load_text
from gongkai.model import CellPath, Report
from gongkai.pages import insert_tables, report_page
from gongkai.parsing import parse_document
from gongkai.totals import cells_by_path, total_rules
from gongkai.validation import validate_report
from gongkai.writing import report_to_yaml

from ..importing.import_kit import load_report
from .strategies import reports

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.function_scoped_fixture])


def _page_html(report: Report) -> str:
    """The report's page as MkDocs renders its content (same Markdown extensions), tables inserted."""
    body = insert_tables(markdown.markdown(report_page(report, tables_inline=False),
                                           extensions=["attr_list", "tables", "toc"]), report)
    return f"<!doctype html><html><head><title>{report.title}</title></head><body><article>{body}</article></body></html>"


@SETTINGS
@given(reports())
def test_a_rendered_page_imports_back_to_the_same_report(tmp_path_factory, report: Report) -> None:
    folder = tmp_path_factory.mktemp("round")
    page = folder / "page.html"
    page.write_text(_page_html(report), encoding="utf-8")
    code = cli.main(["import", str(page), "--slug", report.agency.slug, "-o", str(folder / "out")])
    assert code == 0
    imported = load_report(folder / "out" / report.agency.slug / f"{report.year}.yml")
    assert imported.values == report.values
    assert (imported.agency, imported.year, imported.published, imported.format) == (
        report.agency, report.year, report.published, report.format)
    assert {k: v.strip() for k, v in imported.narrative.items()} == {k: v.strip() for k, v in report.narrative.items()}


def _fed_by(report: Report, path: CellPath) -> set[CellPath]:
    """The cell and every total it feeds, directly or through other totals, and table 三's balance of its columns."""
    rules = [rule for table in report.format.tables for rule in total_rules(table)]
    fed = {path}
    grown = True
    while grown:
        grown = False
        for rule in rules:
            if rule.target_path not in fed and fed.intersection(rule.addend_paths):
                fed.add(rule.target_path)
                grown = True
    fed |= {("applications", "results", "total", p[-1]) for p in fed if p[0] == "applications"}
    return fed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports(), st.data())
def test_a_changed_cell_is_still_valid_or_a_finding_names_it_or_its_totals(report: Report, data) -> None:
    include_totals = data.draw(st.booleans())
    cells = [c for t in report.format.tables for c in cells_by_path(t).values() if include_totals or not c.is_total]
    cell = data.draw(st.sampled_from(cells))
    old = report.values[cell.path]
    delta = data.draw(st.integers(min_value=1, max_value=50))
    new = old + (Decimal(delta) / 4 if cell.column.kind is Kind.AMOUNT else delta)
    report.values = {**report.values, cell.path: new}
    text = report_to_yaml(report, include_totals=include_totals)

    document, findings = load_text(text, Path("r.yml"), "r.yml")
    assert document is not None, findings
    parsed, findings = parse_document(document)
    assert parsed is not None, findings
    assert parsed.values[cell.path] == new  # never "corrected"
    errors = [f for f in findings + validate_report(parsed) if f.is_error]
    fed = _fed_by(report, cell.path)
    assert all(tuple(f.path) in fed for f in errors), ([(f.rule, f.path) for f in errors], cell.path)
    if not include_totals and cell.path[0] != "applications":
        assert not errors  # a total left out is computed: the change is simply the new figure
