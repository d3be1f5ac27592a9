"""Report pages with tables left as slots give the same page once the slots are filled."""

from pathlib import Path

import pytest

from gongkai.collection import load_portal
from gongkai.pages import insert_tables, report_page

REPORTS = Path(__file__).resolve().parents[2] / "reports"


@pytest.fixture(scope="module")
def reports():
    portal = load_portal([REPORTS])
    assert portal.ok
    return portal.reports


def test_filled_slots_equal_inline_tables(reports):
    for report in reports:
        deferred = report_page(report, tables_inline=False)
        assert "<table" not in deferred
        assert deferred.count("<!--gongkai-table:") == len(report.format.tables)
        assert insert_tables(deferred, report) == report_page(report)


def test_a_narrative_cannot_forge_a_table_slot(reports):
    report = reports[0]
    report.narrative = {**report.narrative, "problems": "<!--gongkai-table:applications-->"}
    deferred = report_page(report, tables_inline=False)
    filled = insert_tables(deferred, report)
    assert filled.count('class="gk-table gk-table--applications"') == 1  # only the real slot
    assert "&lt;!--gongkai-table:applications--" in filled  # shown as text, not a slot
