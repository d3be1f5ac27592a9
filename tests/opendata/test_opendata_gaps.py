"""A figure an archived report published blank is a gap: never drawn or summed as 0, and said so in words."""

from __future__ import annotations

import re
from dataclasses import replace

from gongkai.indexing import Layout, build_index
from gongkai.model import Archived, CellState, PublishedCell
from gongkai.opendata.rollup import rollup
from gongkai.opendata.site import OpenData
from gongkai.opendata.trends import charts, draw
from gongkai.pages import make_environment

RECEIVED = ("applications", "received", "total")


def _blank(report, *paths):
    """The report as an archive published it, with ``paths`` left blank."""
    return replace(report, values={p: v for p, v in report.values.items() if p not in paths},
                   archived=Archived(source="https://example.gov.cn/archive.html"),
                   as_published={p: PublishedCell(CellState.BLANK, "") for p in paths})


def _agency(sample_reports, slug="shifan-zhen"):
    return sorted((r for r in sample_reports if r.agency.slug == slug), key=lambda r: r.year)


def test_a_blank_figure_is_a_gap_in_the_chart_its_table_and_its_text(sample_reports) -> None:
    reports = _agency(sample_reports)
    blank_year = reports[0].year
    chart = charts([_blank(reports[0], RECEIVED), *reports[1:]], "t-")[0]
    assert chart.title == "政府信息公开申请数量"
    received = chart.series[0]
    assert received.values[0] is None  # not 0
    assert list(received.values[1:]) == [r.values[RECEIVED] for r in reports[1:]]
    assert chart.table[0][1][0] == "未填报"
    assert f"{blank_year} 年度报告该项未填报" in chart.summary
    assert any(f"{blank_year} 年度报告该项未填报" in gap for gap in chart.gaps)
    drawing = draw(chart)
    assert len(drawing.gaps) == 1 and f"{blank_year}年度" in drawing.gaps[0][3]
    assert not [b for b in drawing.bars if b.label.startswith(f"{blank_year}年度 本年新收")]  # no bar, not a zero bar

    html = OpenData(build_index(sample_reports), Layout()).charts_html(
        [_blank(reports[0], RECEIVED), *reports[1:]], "t-", make_environment())
    table = html.split('id="t-applications-table-caption"', 1)[1].split("</table>", 1)[0]
    row = re.search(rf'<tr><th scope="row">{blank_year}年度</th>(.*?)</tr>', table)
    assert row is not None
    carried = reports[0].values[("applications", "carried_over", "total")]
    assert row.group(1) == f'<td class="gk-gap">未填报</td><td class="gk-num">{carried}</td>'
    assert 'id="t-applications-gap"' in html and "图中以斜线框标出" in html
    assert f"{blank_year} 年度报告该项未填报" in html.split("<desc", 1)[1].split("</desc>", 1)[0]


def test_a_portal_total_counts_only_the_reports_that_gave_the_figure_and_says_so(sample_reports) -> None:
    of_2024 = [r for r in sample_reports if r.year == 2024]
    of_2023 = [r for r in sample_reports if r.year == 2023]
    blanked = _blank(of_2024[0], RECEIVED)
    chart = charts([*of_2023, blanked, *of_2024[1:]], "p-")[0]
    i = chart.years.index(2024)
    assert chart.series[0].values[i] == sum(r.values[RECEIVED] for r in of_2024[1:])
    assert chart.series[0].left_blank(i) == 1
    assert chart.table[i][1][0].endswith("（另有 1 份报告未填报，未计入）")
    assert "2024 年度有 1 份报告该项未填报" in "；".join(chart.gaps)


def test_year_over_year_shows_a_blank_figure_as_not_published(sample_reports) -> None:
    before, after = _agency(sample_reports)[-2:]
    rows = OpenData.year_over_year(_blank(after, RECEIVED), before)
    label, old, new, change = rows[0]
    assert label == "本年新收政府信息公开申请" and new == "未填报" and change == "—"
    assert old == str(before.values[RECEIVED])


def test_rollup_names_the_report_and_the_cell_it_left_blank(sample_reports) -> None:
    of_2024 = [r for r in sample_reports if r.year == 2024]
    blanked = _blank(of_2024[0], RECEIVED)
    total = rollup(2024, "全部机关", [blanked, *of_2024[1:]])
    [left] = total.left_out
    assert left.code == blanked.agency.slug
    assert "表三" in left.why and "未填报" in left.why and "不作 0 计" in left.why
    assert total.totals[0].values[RECEIVED] == sum(r.values[RECEIVED] for r in of_2024[1:])
