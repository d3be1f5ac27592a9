"""Open data's fast paths write what their definitions write: the chart template, the CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from markupsafe import Markup, escape
from opendata_kit import REPO

from gongkai.indexing import Layout, build_index
from gongkai.model import Report
from gongkai.opendata.cells import cell_records, json_number
from gongkai.opendata.exports import DATASET_CSV, REPORT_CSV, csv_bodies, report_json_text
from gongkai.opendata.fast_html import CHART_TEMPLATE, EXTRAS_TEMPLATE, chart_html, report_extras_html
from gongkai.opendata.site import Download, OpenData, size_text
from gongkai.opendata.trends import PALETTE, Chart, Series, draw
from gongkai.pages.templates import make_environment


def _charts() -> list[Chart]:
    years = (2021, 2022, 2023)
    return [
        # grouped bars, a figure not published (a gap), text that must be escaped
        Chart("trend-a&b", "申请<数量>", "件", years,
              (Series("本年新收 & \"其他\"", (5, None, 12), (0, 0, 1)), Series("上年结转", (0, 3, 40))), stacked=False),
        # stacked bars, a gap above a stack, a partial sum
        Chart("portal-outcomes", "申请办理结果构成", "件", years,
              (Series("予以公开", (10, 20, None)), Series("部分公开", (1, 0, 2), (2, 0, 0)),
               Series("不予公开", (0, 0, 0))), stacked=True),
        # nothing to draw: every figure zero
        Chart("trend-review", "行政复议结果", "件", years[:2],
              (Series("结果维持", (0, 0)), Series("结果纠正", (0, 0))), stacked=True),
    ]


@pytest.mark.parametrize("chart", _charts(), ids=lambda c: c.id)
def test_chart_fast_path_writes_what_the_template_writes(chart: Chart) -> None:
    env = make_environment()
    drawing = draw(chart)
    expected = env.get_template(CHART_TEMPLATE).render(chart=chart, drawing=drawing, palette=PALETTE).strip()
    assert chart_html(chart, drawing, PALETTE) == expected
    assert "<rect" in expected or not drawing.bars


def test_a_sites_own_chart_template_is_used(tmp_path: Path, sample_reports: list[Report]) -> None:
    (tmp_path / "opendata").mkdir()
    (tmp_path / "opendata" / "chart.html").write_text("<p>站点自己的图表 {{ chart.id }}</p>\n", encoding="utf-8")
    index = build_index(sample_reports)
    opendata = OpenData(index, Layout())
    group = next(g for g in index.agencies if len({r.year for r in g.reports}) > 1)
    own = str(opendata.agency_trends(group, make_environment([tmp_path])))
    assert own.startswith("<p>站点自己的图表 trend-applications</p>")
    assert "<svg" not in own
    packaged = str(opendata.agency_trends(group, make_environment()))
    assert packaged.startswith('<figure class="gk-chart" id="trend-applications"') and "<svg" in packaged


def _reports_with_every_status(sample_reports: list[Report]) -> list[Report]:
    from gongkai.collection import load_portal

    archived = load_portal(sorted((REPO / "tests" / "site" / "fixtures" / "archived").glob("*.yml")), base=REPO)
    return [*sample_reports, *archived.reports]


def test_csv_lines_are_the_cell_records(sample_reports: list[Report]) -> None:
    """Each CSV line (the report's own and its share of cells.csv) says what ``cell_records`` says of the cell."""
    reports = _reports_with_every_status(sample_reports)
    statuses_seen = set()
    for report in reports:
        own, portal = csv_bodies(report, (REPORT_CSV, DATASET_CSV))
        for body, (names, yes, no) in ((own, REPORT_CSV), (portal, DATASET_CSV)):
            rows = list(csv.reader(io.StringIO(body, newline="")))
            records = list(cell_records(report))
            assert len(rows) == len(records)
            for row, record in zip(rows, records):
                statuses_seen.add(record.status)
                assert row == [report.agency.slug, report.agency.name, str(report.year), report.format.version,
                               record.info.table, record.info.row, record.info.column,
                               "" if record.status else record.text, names[record.status],
                               record.text if record.status else "", yes if record.computed else no, record.info.cell]
    assert {"", "blank", "not-applicable"} <= statuses_seen
    assert any(r.computed for report in reports for r in cell_records(report))


def test_json_cells_are_the_cell_records(sample_reports: list[Report]) -> None:
    for report in _reports_with_every_status(sample_reports):
        data = json.loads(report_json_text(report))
        cells = [cell for table in data["tables"] for cell in table["cells"]]
        records = list(cell_records(report))
        assert [c["cell"] for c in cells] == [r.info.cell for r in records]
        for cell, record in zip(cells, records):
            assert cell["value"] == json_number(record.value)
            assert cell["computed"] is record.computed
            assert cell["total"] is record.info.is_total
            assert (cell.get("status"), cell.get("text")) == ((record.status, record.text) if record.status else (None, None))


def test_report_extras_fast_path_writes_what_the_template_writes(sample_reports: list[Report]) -> None:
    index = build_index(sample_reports)
    opendata = OpenData(index, Layout())
    opendata.offloaded = lambda report: (1234, 56789, 2_000_000)
    layout = Layout()
    env = make_environment()
    template = env.get_template(EXTRAS_TEMPLATE)
    seen = set()
    for report in index.reports:
        previous = opendata.previous_report(report)
        rows = opendata.year_over_year(report, previous) if previous is not None else []
        downloads = [(d, size_text(d.file.measure())) for d in opendata.downloads(report, layout.report(report))]
        other = Download("DOCX", "另一份<文件> & 说明", downloads[0][0].file, "../a&b.docx", title="附件“一”<>")
        for case in (downloads, [*downloads, (other, "1.0 KB")], []):
            expected = template.render(report=report, previous=previous, rows=rows, downloads=case).strip()
            assert report_extras_html(report, previous, rows, case) == expected
            seen.add((bool(rows), bool(case)))
        assert opendata.report_extras(report, env) == template.render(
            report=report, previous=previous, rows=rows, downloads=downloads).strip()
    assert seen == {(True, True), (True, False), (False, True), (False, False)}


@pytest.mark.parametrize("text", ["", "2024", "+3", "未填报", "—", "a&b", "<x>", '"q"', "'s'", "&amp;", "全<部>&'\"",
                                  12, -5, 0, 2.5, None, Markup("<b>已转义</b>"), Markup("a&amp;b")])
def test_the_fast_paths_escape_as_markupsafe_does(text: object) -> None:
    from gongkai.opendata.fast_html import _e

    assert _e(text) == str(escape(text))


@pytest.mark.parametrize("directory_urls", [True, False])
def test_download_links_are_the_relative_links(sample_reports: list[Report], directory_urls: bool) -> None:
    """A report page's download links, made from the link to their folder, are ``href``'s links."""
    index = build_index(sample_reports)
    for layout in (Layout(), Layout("nianbao/reports")):
        opendata = OpenData(index, layout, directory_urls=directory_urls)
        for report in index.reports:
            page = layout.report(report)
            found = opendata.downloads(report, page)
            assert [d.href for d in found] == [opendata.href(page, d.file.src_uri) for d in found]
            assert found[0].href in (f"../{report.year}.csv", f"{report.year}.csv")
    odd = OpenData(index, Layout())
    for page in ("index.md", "a/index.md", "a/b.md", "a/b/c.md"):
        for target in ("x.csv", "a/x.csv", "a/b/x.csv", "c/d/x.csv"):
            folder = odd.href(page, target.rpartition("/")[0] + "/") if "/" in target else ""
            assert odd._in_folder(folder, target, page) == odd.href(page, target), (page, target)
