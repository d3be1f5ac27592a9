"""Arithmetic rules within one report, and totals computed when the editor leaves them out."""

from __future__ import annotations

import pytest
from core_kit import FORMAT_YEARS, build_report, locate, only, report_text, set_value

from gongkai.writing import report_to_yaml

APPLICATIONS = "三、收到和处理政府信息公开申请情况"
RESULTS_TOTAL = ("applications", "results", "total")


def _file(year: int) -> str:
    return f"shifan-zhen/{year}.yml"


def _bump(text: str, path: tuple[str, ...], by: int = 1) -> tuple[str, int, int]:
    """Add ``by`` to the integer at ``path``; returns the text, the line and the new value."""
    spot = locate(text, path)
    value = int(text[spot.start:spot.end]) + by
    changed, line = set_value(text, path, str(value))
    return changed, line, value


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_total_row_off_by_one(portal, version, year):
    text, line, value = _bump(report_text(version, year), RESULTS_TOTAL + ("natural_person",))
    findings = portal({_file(year): text}).findings
    finding = only(findings, "total-row-sum")
    assert (finding.file, finding.line) == (f"reports/shifan-zhen/{year}.yml", line)
    assert finding.label == f"{APPLICATIONS} › （七）总计 › 自然人"
    assert (finding.expected, finding.actual) == (str(value - 1), str(value))
    assert "（一）予以公开" in finding.message


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_total_row_counts_sub_items(portal, version, year):
    """A sub-item of （三）不予公开 moved without updating （七）总计 is caught."""
    path = ("applications", "results", "withheld", "state_secret", "legal_services")
    text, line = set_value(report_text(version, year), path, "1")
    text, _ = set_value(text, ("applications", "results", "withheld", "state_secret", "total"), "1")
    found = {f.path[-1]: f for f in portal({_file(year): text}).findings if f.rule == "total-row-sum"}
    assert sorted(found) == ["legal_services", "total"]  # its column, and the 总计 column down its rows
    finding = found["legal_services"]
    assert finding.label == f"{APPLICATIONS} › （七）总计 › 法人或其他组织 › 法律服务机构"
    assert (finding.expected, finding.actual) == ("1", "0")
    assert finding.line == locate(text, RESULTS_TOTAL + ("legal_services",)).line
    corner = found["total"]
    assert corner.label == f"{APPLICATIONS} › （七）总计 › 总计"
    assert int(corner.expected) == int(corner.actual) + 1


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
@pytest.mark.parametrize(("row", "row_label"), [
    (("applications", "received"), f"{APPLICATIONS} › 一、本年新收政府信息公开申请数量 › 总计"),
    (("applications", "results", "withheld", "third_party"), f"{APPLICATIONS} › （三）不予公开 › 4.保护第三方合法权益 › 总计"),
])
def test_total_column_in_table_three(portal, version, year, row, row_label):
    text, line, value = _bump(report_text(version, year), row + ("total",))
    finding = only(portal({_file(year): text}).findings, "total-column-sum")
    assert (finding.line, finding.label) == (line, row_label)
    assert (finding.expected, finding.actual) == (str(value - 1), str(value))
    assert "自然人" in finding.message


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
@pytest.mark.parametrize(("row", "row_label"), [
    (("appeals", "review"), "行政复议"),
    (("appeals", "litigation", "direct"), "行政诉讼 › 未经复议直接起诉"),
])
def test_total_column_in_table_four(portal, version, year, row, row_label):
    text, line, value = _bump(report_text(version, year), row + ("total",), by=-1)
    finding = only(portal({_file(year): text}).findings, "total-column-sum")
    assert finding.line == line
    assert finding.label == f"四、政府信息公开行政复议、行政诉讼情况 › {row_label} › 总计"
    assert (finding.expected, finding.actual) == (str(value + 1), str(value))


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_applications_must_balance(portal, version, year):
    text = report_text(version, year)
    # One more request carried forward, totals kept consistent: only the balance is wrong.
    text, _, _ = _bump(text, ("applications", "carried_forward", "natural_person"))
    text, _, _ = _bump(text, ("applications", "carried_forward", "total"))
    findings = portal({_file(year): text}).findings
    balance = sorted((f for f in findings if f.rule == "applications-balance"), key=lambda f: f.path)
    assert {f.path[-1] for f in balance} == {"natural_person", "total"}
    assert {f.rule for f in findings} == {"applications-balance"}
    natural = next(f for f in balance if f.path[-1] == "natural_person")
    assert natural.line == locate(text, RESULTS_TOTAL + ("natural_person",)).line
    assert natural.label == f"{APPLICATIONS} › （七）总计 › 自然人"
    assert (natural.expected, natural.actual) == ("6", "7")  # 5 + 1 against 5 + 2
    assert "新收 5 + 上年结转 1" in natural.message


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_totals_left_out_are_computed(portal, version, year):
    built = build_report(version, year)
    text = report_to_yaml(built, include_totals=False)
    assert "total:" not in text
    result = portal({_file(year): text})
    assert result.findings == []
    report = result.reports[0]
    assert report.given_totals == frozenset()
    assert report.values == built.values
    assert report.values[RESULTS_TOTAL + ("total",)] == 7
    assert report.values[("appeals", "review", "total")] == 2


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_computed_totals_still_have_to_balance(portal, version, year):
    text = report_to_yaml(build_report(version, year), include_totals=False)
    text, line = set_value(text, ("applications", "results", "disclosed", "natural_person"), "4")
    findings = portal({_file(year): text}).findings
    assert {f.rule for f in findings} == {"applications-balance"}  # no total was given, none is wrong
    assert {f.path[-1] for f in findings} == {"natural_person", "total"}


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_a_given_total_is_checked_while_others_are_computed(portal, version, year):
    text = report_to_yaml(build_report(version, year), include_totals=False)
    text, line = set_value(text, ("appeals", "review"), "{upheld: 1, corrected: 0, other: 0, pending: 1, total: 3}")
    finding = only(portal({_file(year): text}).findings, "total-column-sum")
    assert (finding.line, finding.expected, finding.actual) == (line, "2", "3")
