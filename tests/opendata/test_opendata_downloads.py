"""Every report page offers its data as CSV, XLSX and JSON; read back, every number is in its labelled cell."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from jsonschema import Draft202012Validator

from gongkai.formats import CellSpec
from gongkai.opendata.exports import SCHEMA_FILE
from gongkai.opendata.site import size_text

DOWNLOAD = re.compile(r'<a href="([^"]+)" download type="([^"]+)">([^<]*)</a>')


def _cells(report) -> list[tuple[CellSpec, object]]:
    return [(cell, report.values[cell.path]) for table in report.format.tables for cell in table.cells()]


def _number(text: str) -> Decimal:
    return Decimal(text)


def test_every_report_page_links_its_three_files_with_type_and_size(sample, sample_reports) -> None:
    for report in sample_reports:
        url = f"reports/{report.agency.slug}/{report.year}/"
        links = [link for link in DOWNLOAD.findall(sample.html(url)) if "年度报告数据" in link[2]]  # not the attachments
        assert [href for href, _, _ in links] == [f"../{report.year}.csv", f"../{report.year}.xlsx",
                                                  f"../{report.year}.json"]
        for href, media, text in links:
            file = sample.site / "reports" / report.agency.slug / href[3:]
            kind = href.rsplit(".", 1)[1].upper()
            assert f"{kind} 文件" in text and size_text(file.stat().st_size) in text, text
            assert media in ("text/csv", "application/json",
                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_csv_has_every_number_in_its_labelled_row(sample, sample_reports) -> None:
    for report in sample_reports:
        raw = (sample.site / "reports" / report.agency.slug / f"{report.year}.csv").read_bytes()
        assert raw.startswith("\ufeff".encode("utf-8")), "Excel needs the BOM to read UTF-8"
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        by_label = {" › ".join((r["表格"], r["行"], r["列"])): r for r in rows}
        cells = _cells(report)
        assert len(rows) == len(cells) == len(by_label)
        for cell, value in cells:
            row = by_label[cell.label]  # the official label, from the format declaration
            assert _number(row["数值"]) == value, cell.label
            assert row["单元格代码"] == ".".join(cell.path) and row["机关代码"] == report.agency.slug
            assert row["年度"] == str(report.year) and row["状态"] == ""


def test_json_is_the_report_model_and_follows_its_schema(sample, sample_reports) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for report in sample_reports:
        data = json.loads((sample.site / "reports" / report.agency.slug / f"{report.year}.json").read_bytes())
        errors = sorted(validator.iter_errors(data), key=str)
        assert not errors, errors[0]
        assert (data["agency"]["code"], data["year"], data["published"]) == (
            report.agency.slug, report.year, report.published.isoformat())
        assert data["deadline"] == report.deadline.isoformat() and data["late"] is report.is_late
        assert {s["key"]: s["text"] for s in data["sections"]} == report.narrative
        found = {" › ".join((t["title"], c["row"], c["column"])): c["value"] for t in data["tables"] for c in t["cells"]}
        cells = _cells(report)
        assert len(found) == len(cells)
        for cell, value in cells:
            assert Decimal(str(found[cell.label])) == value, cell.label


def _labels_around(sheet, row: int, column: int) -> set[str]:
    """Header texts to the left in the same row and above in the same column (merged cells resolved)."""
    def text(r: int, c: int):
        for merged in sheet.merged_cells.ranges:
            if merged.min_row <= r <= merged.max_row and merged.min_col <= c <= merged.max_col:
                return sheet.cell(merged.min_row, merged.min_col).value
        return sheet.cell(r, c).value

    seen = {text(row, c) for c in range(1, column)} | {text(r, column) for r in range(2, row)}
    return {s for s in seen if isinstance(s, str)}


def test_xlsx_is_laid_out_like_the_official_tables(sample, sample_reports) -> None:
    for report in sample_reports:
        book = openpyxl.load_workbook(sample.site / "reports" / report.agency.slug / f"{report.year}.xlsx")
        assert book.sheetnames[0] == "说明"
        assert book["说明"]["B1"].value == report.title and book["说明"]["B5"].value == report.published.isoformat()
        for table in report.format.tables:
            sheet = book[table.title[:31]]
            assert sheet["A1"].value == table.title
            assert sheet.merged_cells.ranges, "headers span columns as on the form"
            # The data cells in the form's order: the table's cells read left to right, top to bottom.
            numbers = [(c.row, c.column, c.value) for row in sheet.iter_rows(min_row=2) for c in row
                       if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)]
            cells = list(table.cells())
            assert len(numbers) == len(cells)
            for cell, (r, c, value) in zip(_form_order(table), numbers):
                assert Decimal(str(value)) == report.values[cell.path], cell.label
                labels = _labels_around(sheet, r, c)
                wanted = set(cell.label.split(" › ")[1:])  # every label but the table's title
                assert wanted <= labels, (cell.label, wanted - labels)


def _form_order(table):
    """Cells in the order the official grid writes them (the HTML renderer's order)."""
    from gongkai.rendering.tables import DataCell, table_layout

    class _Values(dict):
        def __missing__(self, path):
            return 0

    class _Report:
        values = _Values()

        def text(self, path):  # table_layout after the archive model (issue 12)
            return "0"

    layout = table_layout(_Report(), table)
    by_path = {".".join(c.path): c for c in table.cells()}
    rows = [*layout.head, *(r for body in layout.bodies for r in body)]
    return [by_path[cell.path] for row in rows for cell in row if isinstance(cell, DataCell)]


@pytest.mark.parametrize("suffix", ["csv", "json", "xlsx"])
def test_no_half_written_download_is_left(sample, suffix: str) -> None:
    leftovers = [p for p in sample.site.rglob(".gongkai-*")]
    assert not leftovers
    assert list(Path(sample.site).rglob(f"*.{suffix}"))
