"""The portal dataset, reports.json, roll-ups and trends: checked against the reports' own figures."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

from frictionless import Package, validate
from opendata_kit import copy_portal

CELL = re.compile(r'<td headers="[^"]*" data-cell="([^"]+)"[^>]*>([^<]*)</td>')


def test_dataset_has_one_row_per_cell_of_every_report(sample, sample_reports) -> None:
    rows = list(csv.DictReader(io.StringIO(
        (sample.site / "reports/open_data/cells.csv").read_bytes().decode("utf-8-sig"))))
    expected = {(r.agency.slug, str(r.year), ".".join(c.path)): r.values[c.path]
                for r in sample_reports for t in r.format.tables for c in t.cells()}
    keys = [(row["agency_code"], row["year"], row["cell"]) for row in rows]
    assert len(keys) == len(set(keys)) == len(expected)
    for row, key in zip(rows, keys):
        assert Decimal(row["value"]) == expected[key], key


def test_datapackage_validates_with_frictionless(sample) -> None:
    descriptor = sample.site / "reports/open_data/datapackage.json"
    package = Package(str(descriptor))
    fields = {f.name for f in package.get_resource("cells").schema.fields}
    header = (sample.site / "reports/open_data/cells.csv").read_bytes().decode("utf-8-sig").split("\r\n", 1)[0]
    assert fields == set(header.split(","))
    assert all(f.description for f in package.get_resource("cells").schema.fields)
    report = validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_dataset_json_holds_every_report(sample, sample_reports) -> None:
    data = json.loads((sample.site / "reports/open_data/reports-data.json").read_bytes())
    assert [(r["agency"]["code"], r["year"]) for r in data["reports"]] == [r.key for r in sample_reports]


def test_reports_json_indexes_every_report_and_its_files(sample, sample_reports) -> None:
    data = json.loads((sample.site / "reports/open_data/reports.json").read_bytes())
    assert data["count"] == len(sample_reports)
    for entry, report in zip(data["reports"], sample_reports):
        assert (entry["agency_code"], entry["year"], entry["format"]) == (
            report.agency.slug, report.year, report.format.version)
        assert entry["published"] == report.published.isoformat() and entry["late"] is report.is_late
        assert entry["deadline"] == report.deadline.isoformat()
        assert (sample.site / entry["page"] / "index.html").is_file()
        for path in entry["downloads"].values():
            assert (sample.site / path).is_file(), path


def test_data_page_links_the_files_with_field_definitions_and_licence(sample) -> None:
    html = sample.html("reports/open_data/")
    for name in ("cells.csv", "reports-data.json", "datapackage.json", "reports.json"):
        assert f'<a href="{name}" download>' in html and (sample.site / "reports/open_data" / name).is_file()
    for field in ("agency_code", "row", "column", "value", "status"):
        assert f"<code>{field}</code>" in html
    assert "CC BY 4.0" in html


def test_rollup_equals_the_cell_by_cell_sum(sample, sample_reports) -> None:
    for year in sorted({r.year for r in sample_reports}):
        of_year = [r for r in sample_reports if r.year == year]
        expected = {".".join(c.path): sum(r.values[c.path] for r in of_year)
                    for t in of_year[0].format.tables for c in t.cells()}
        # 全部机关 on the year's page, and the roster's one group (every sample agency) on its own
        for url in (f"reports/open_data/totals-{year}/", f"reports/open_data/totals-{year}/shili-qu/"):
            html = sample.html(url)
            shown = {path: Decimal(text) for path, text in CELL.findall(html)}
            assert shown == expected, url
            assert "合计数符合表内勾稽关系" in html
        assert '<a href="shili-qu/">示例区</a>' in sample.html(f"reports/open_data/totals-{year}/")


def test_rollup_names_a_report_that_is_not_counted(tmp_path) -> None:
    portal = copy_portal(tmp_path / "portal")
    (portal.reports / "shifan-zhen" / "2023.yml").unlink()
    result = portal.build()
    assert result.returncode == 0, result.stderr
    html = portal.html("reports/open_data/totals-2023/")
    assert "未计入合计" in html and "示例镇人民政府（shifan-zhen）：未发布" in html


ROWS = re.compile(r"<tr><th scope=\"row\">(\d{4})年度</th>((?:<td class=\"gk-num\">\d+</td>)+)</tr>")


def _chart_rows(html: str, chart_id: str) -> dict[int, list[int]]:
    table = html.split(f'id="{chart_id}-table-caption"', 1)[1].split("</table>", 1)[0]
    return {int(y): [int(v) for v in re.findall(r">(\d+)<", cells)] for y, cells in ROWS.findall(table)}


def test_chart_tables_equal_the_reports_figures(sample, sample_reports) -> None:
    html = sample.html("reports/shifan-qu/")
    mine = {r.year: r for r in sample_reports if r.agency.slug == "shifan-qu"}
    received = _chart_rows(html, "trend-applications")
    assert received == {y: [r.values[("applications", "received", "total")],
                            r.values[("applications", "carried_over", "total")]] for y, r in mine.items()}
    review = _chart_rows(html, "trend-review")
    assert review == {y: [r.values[("appeals", "review", k)] for k in ("upheld", "corrected", "other", "pending")]
                      for y, r in mine.items()}
    outcomes = _chart_rows(html, "trend-outcomes")
    for year, values in outcomes.items():
        assert sum(values) == mine[year].values[("applications", "results", "total", "total")]
    assert "<svg" in html and 'role="img"' in html and "<desc" in html
    portal = _chart_rows(sample.html("reports/open_data/trends/"), "portal-applications")
    assert portal[2024] == [sum(r.values[("applications", p, "total")] for r in sample_reports if r.year == 2024)
                            for p in ("received", "carried_over")]


def test_report_page_compares_with_the_agency_previous_report(sample, sample_reports) -> None:
    html = sample.html("reports/shifan-scjgj/2024/")
    this, before = (next(r for r in sample_reports if r.key == ("shifan-scjgj", y)) for y in (2024, 2023))
    row = re.search(r'<th scope="row">本年新收政府信息公开申请</th><td class="gk-num">(\d+)</td>'
                    r'<td class="gk-num">(\d+)</td><td class="gk-num">([+\-0-9]+)</td>', html)
    assert row is not None
    old, new = before.values[("applications", "received", "total")], this.values[("applications", "received", "total")]
    assert (int(row.group(1)), int(row.group(2)), int(row.group(3))) == (old, new, new - old)
    assert 'id="year-over-year"' not in sample.html("reports/shifan-zhen/2022/")  # its first report
