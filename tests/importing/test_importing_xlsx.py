"""The Excel form: `gongkai new --xlsx` writes it in the official layout, `gongkai import` reads it back.

Round trips cell by cell for both formats; files as Excel or WPS save them (no cached formula
results, numbers stored as text, full-width digits, dates as text); forms filled in wrongly.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from import_kit import ROOT, load_report
from openpyxl import load_workbook

from gongkai.forms import (
    INFO_ROW,
    INFO_SHEET,
    NARRATIVE_FIRST_ROW,
    NARRATIVE_SHEET,
    form_layout,
    sheet_name,
    write_form,
)
from gongkai.importing.document import Overrides
from gongkai.importing.source import UnreadableSource
from gongkai.importing.xlsx import read_form
from gongkai.model import Report
from gongkai.starting import NewReport
from gongkai.totals import cell_labels, total_rules

SAMPLES = {"2021": ROOT / "reports" / "shifan-zhen" / "2024.yml", "2019": ROOT / "reports" / "shifan-qu" / "2019.yml"}
CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "xlsx" / "cells.yml").read_text(encoding="utf-8"))


def form_of(report: Report, target: Path) -> Path:
    """The form holding every figure of ``report`` (as if an editor had typed them all)."""
    write_form(NewReport(report, None, (), True), target)
    return target


def place(report: Report, path: tuple[str, ...]) -> tuple[str, str]:
    """Sheet name and cell reference of a data cell."""
    from openpyxl.utils import get_column_letter

    table = report.format.table(path[0])
    (placed,) = [p for p in form_layout(table, report) if p.path == path]
    return sheet_name(table), f"{get_column_letter(placed.column)}{placed.row}"


@pytest.mark.parametrize("version", sorted(SAMPLES))
def test_the_form_holds_every_cell_in_the_official_layout(version: str, tmp_path: Path) -> None:
    report = load_report(SAMPLES[version])
    book = load_workbook(form_of(report, tmp_path / "form.xlsx"))
    assert book.sheetnames == [INFO_SHEET, *(sheet_name(t) for t in report.format.tables), NARRATIVE_SHEET]
    for table in report.format.tables:
        sheet = book[sheet_name(table)]
        assert sheet.protection.sheet and not sheet.protection.password
        assert sheet.merged_cells.ranges  # the official merged headers
        placed = form_layout(table, report)
        where = {p.path: sheet.cell(p.row, p.column).coordinate for p in placed if p.path}
        formulas = {rule.target_path: rule.addend_paths for rule in total_rules(table)}
        validated = {str(ref) for rule in sheet.data_validations.dataValidation for ref in rule.sqref.ranges}
        for p in placed:
            cell = sheet.cell(p.row, p.column)
            if p.label is not None:
                assert cell.value == p.label and cell.protection.locked
            elif p.path is not None and p.is_total:
                assert cell.value == "=SUM(" + ",".join(where[a] for a in formulas[p.path]) + ")"
                assert cell.protection.locked
            elif p.path is not None:
                assert Decimal(str(cell.value)) == report.values[p.path]  # pre-filled as given
                assert not cell.protection.locked
                assert cell.coordinate in validated
        count_rules = [r for r in sheet.data_validations.dataValidation if r.type == "whole"]
        assert all(r.showErrorMessage for r in sheet.data_validations.dataValidation)
        if version == "2021" or table.key != "proactive":
            assert any(r.operator == "greaterThanOrEqual" and r.formula1 == "0" for r in count_rules)
    info = book[INFO_SHEET]
    assert info.cell(INFO_ROW["agency"], 2).value == report.agency.slug
    assert info.cell(INFO_ROW["year"], 2).value == report.year


@pytest.mark.parametrize("version", sorted(SAMPLES))
def test_the_form_reads_back_to_the_same_report(version: str, tmp_path: Path) -> None:
    report = load_report(SAMPLES[version])
    imported = read_form(form_of(report, tmp_path / "form.xlsx"), "form.xlsx", Overrides(""))
    back = imported.report
    assert back.agency == report.agency and (back.year, back.format, back.published) == (
        report.year, report.format, report.published)
    assert {k: v.strip() for k, v in back.narrative.items()} == {k: v.strip() for k, v in report.narrative.items()}
    for path, value in report.values.items():  # cell by cell, totals computed again
        assert back.values[path] == value, path
    assert set(back.values) == set(report.values)


@pytest.mark.parametrize("version", sorted(SAMPLES))
def test_a_file_saved_by_wps_is_read_the_same(version: str, tmp_path: Path) -> None:
    """No cached results of the formulas, every number stored as full-width text, the date as text."""
    report = load_report(SAMPLES[version])
    target = form_of(report, tmp_path / "form.xlsx")
    book = load_workbook(target)
    full_width = str.maketrans("0123456789.-", "０１２３４５６７８９．－")
    for table in report.format.tables:
        sheet = book[sheet_name(table)]
        for p in form_layout(table, report):
            if p.path is not None and not p.is_total:
                sheet.cell(p.row, p.column).value = str(report.values[p.path]).translate(full_width)
    published = report.published
    book[INFO_SHEET].cell(INFO_ROW["published"], 2).value = f"{published.year}年{published.month}月{published.day}日"
    book.save(target)
    imported = read_form(target, "form.xlsx", Overrides(""))
    assert imported.report.values == report.values
    assert imported.report.published == report.published
    assert any("以文字形式保存" in notice for notice in imported.notices)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_cells_as_saved(case: dict, tmp_path: Path) -> None:
    report = load_report(SAMPLES[str(case.get("report", 2021))])
    target = form_of(report, tmp_path / "form.xlsx")
    path = tuple(case["cell"].split("."))
    sheet, ref = place(report, path)
    book = load_workbook(target)
    book[sheet][ref] = case["value"]
    book.save(target)
    if "error" in case:
        with pytest.raises(UnreadableSource) as refused:
            read_form(target, "form.xlsx", Overrides(""))
        (found,) = refused.value.findings
        assert (found.rule, found.file) == (case["error"], "form.xlsx")
        assert f"{sheet}!{ref}" in found.message
        assert found.label == cell_labels(report.format.table(path[0]))[path]  # the cell's official label
        return
    imported = read_form(target, "form.xlsx", Overrides(""))
    expected = Decimal(case["read"]) if isinstance(case["read"], str) else case["read"]
    assert imported.report.values[path] == expected
    assert type(imported.report.values[path]) is type(expected)
    assert any(f"{sheet}!{ref}" in n for n in imported.notices) == bool(case.get("as_text"))


def test_an_unfinished_form_names_every_cell_to_fill_and_writes_nothing(tmp_path: Path) -> None:
    env = {**os.environ, "GONGKAI_DEBUG": "1"}
    previous = ROOT / "reports" / "shifan-zhen" / "2024.yml"
    (tmp_path / "reports" / "shifan-zhen").mkdir(parents=True)
    (tmp_path / "reports" / "shifan-zhen" / "2024.yml").write_bytes(previous.read_bytes())

    def gongkai(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "gongkai", *args], cwd=tmp_path, env=env, capture_output=True,
                              text=True, encoding="utf-8", timeout=60)

    made = gongkai("new", "--agency", "shifan-zhen", "--year", "2025", "--xlsx")
    assert made.returncode == 0, made.stderr
    form = tmp_path / "reports" / "shifan-zhen" / "2025.xlsx"
    last_year = load_report(previous)
    book = load_workbook(form)
    # carry-over pre-filled from last year's 结转下年度
    for column in ("natural_person", "commercial"):
        sheet, ref = place(last_year, ("applications", "carried_over", column))
        assert book[sheet][ref].value == last_year.values[("applications", "carried_forward", column)]
    assert book[INFO_SHEET].cell(INFO_ROW["name"], 2).value == last_year.agency.name

    refused = gongkai("import", str(form), "-o", "out")
    assert refused.returncode == 1
    lines = [line for line in refused.stderr.splitlines() if "[xlsx-placeholder]" in line]
    assert len(lines) == 4  # the date and the three narrative sections
    assert f"{INFO_SHEET}!B{INFO_ROW['published']}" in lines[0]
    assert not (tmp_path / "out").exists()

    for offset in range(3):
        book[NARRATIVE_SHEET].cell(NARRATIVE_FIRST_ROW + offset, 2).value = "已填写。"
    book[INFO_SHEET].cell(INFO_ROW["published"], 2).value = datetime.datetime(2026, 1, 20)
    book.save(form)
    done = gongkai("import", str(form), "-o", "out")
    assert done.returncode == 0, done.stderr
    assert gongkai("validate", "out").returncode == 0


def test_a_changed_layout_or_another_workbook_is_refused(tmp_path: Path) -> None:
    report = load_report(SAMPLES["2021"])
    target = form_of(report, tmp_path / "form.xlsx")
    book = load_workbook(target)
    book[sheet_name(report.format.table("applications"))]["A3"] = "改过的表头"
    book.save(target)
    with pytest.raises(UnreadableSource) as refused:
        read_form(target, "form.xlsx", Overrides(""))
    assert "A3" in refused.value.findings[0].message and "表格结构不能改动" in refused.value.findings[0].message

    from openpyxl import Workbook

    Workbook().save(tmp_path / "other.xlsx")
    with pytest.raises(UnreadableSource) as refused:
        read_form(tmp_path / "other.xlsx", "other.xlsx", Overrides(""))
    assert refused.value.findings[0].rule == "xlsx-not-a-form"
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(UnreadableSource) as refused:
        read_form(tmp_path / "broken.xlsx", "broken.xlsx", Overrides(""))
    assert refused.value.findings[0].rule == "xlsx-unreadable"
