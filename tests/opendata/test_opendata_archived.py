"""An archived report's blank and not-applicable cells: said so in every download, never summed as zero."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import openpyxl

from gongkai.model import Archived, CellState, PublishedCell
from gongkai.opendata.exports import report_csv, report_json, report_xlsx
from gongkai.opendata.rollup import rollup

BLANK = ("applications", "received", "natural_person")
SLASH = ("appeals", "review", "upheld")


def _archived(report):
    values = {p: v for p, v in report.values.items() if p not in (BLANK, SLASH)}
    return replace(report, values=values, archived=Archived(source="https://example.gov.cn/2024.html"),
                   as_published={BLANK: PublishedCell(CellState.BLANK, ""),
                                 SLASH: PublishedCell(CellState.NOT_APPLICABLE, "/")})


def test_blank_and_not_applicable_cells_in_every_download(sample_reports) -> None:
    report = _archived(next(r for r in sample_reports if r.key == ("shifan-zhen", 2024)))
    rows = {r["单元格代码"]: r for r in csv.DictReader(io.StringIO(report_csv(report).decode("utf-8-sig")))}
    assert (rows[".".join(BLANK)]["数值"], rows[".".join(BLANK)]["状态"]) == ("", "空白（原文未填）")
    assert (rows[".".join(SLASH)]["数值"], rows[".".join(SLASH)]["原文"]) == ("", "/")
    cells = {c["cell"]: c for t in json.loads(report_json(report))["tables"] for c in t["cells"]}
    assert cells[".".join(BLANK)]["value"] is None and cells[".".join(BLANK)]["status"] == "blank"
    assert cells[".".join(SLASH)]["text"] == "/" and cells[".".join(SLASH)]["status"] == "not-applicable"
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report)))
    texts = [c.value for row in book["四、政府信息公开行政复议、行政诉讼情况"].iter_rows() for c in row]
    assert "/" in texts


def test_rollup_names_a_report_it_cannot_sum(sample_reports) -> None:
    of_2024 = [r for r in sample_reports if r.year == 2024]
    archived = _archived(of_2024[-1])
    total = rollup(2024, "全部机关", [*of_2024[:-1], archived])
    assert [left.code for left in total.left_out] == [archived.agency.slug]
    assert "空白或不适用" in total.left_out[0].why
    assert len(total.counted) == len(of_2024) - 1 and total.ok
