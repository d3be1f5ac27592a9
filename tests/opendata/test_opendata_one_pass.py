"""Open data's HTML written in one pass is what its definitions write.

A trend chart (``fast_html.chart_markup``) is what ``chart_html`` writes of ``draw``'s drawing, itself what
the package's template renders; a report page's extras written from the key figures
(``report_extras_of_figures``) are what ``report_extras_html`` writes of ``OpenData.year_over_year``'s rows,
itself the template's. Over the sample reports, the archived fixtures (blank and "/" cells), the corpus,
reports made hard, charts made by hand (gaps, partial sums, text to escape, labels as ``Markup``) and
random charts and figures."""

from __future__ import annotations

import random

import pytest
from markupsafe import Markup
from test_opendata_bytes import _archived, _hard, corpus_reports  # noqa: F401 (a fixture)
from test_opendata_fastpaths import _charts

from gongkai.indexing import Layout, build_index
from gongkai.model import Report
from gongkai.opendata import fast_html
from gongkai.opendata.fast_html import (
    CHART_TEMPLATE,
    EXTRAS_TEMPLATE,
    chart_html,
    chart_markup,
    report_extras_html,
    report_extras_of_figures,
)
from gongkai.opendata.site import KEY_FIGURE_LABELS, OpenData, _figure_values, size_text
from gongkai.opendata.trends import PALETTE, Chart, Series, charts, draw, key_figures
from gongkai.pages.templates import make_environment


def _both(chart: Chart, palette: tuple[str, ...] = PALETTE) -> tuple[str, str]:
    return chart_markup(chart, palette), chart_html(chart, draw(chart), palette)


def test_the_charts_of_the_reports_are_the_drawings(sample_reports: list[Report],
                                                    corpus_reports: list[Report]) -> None:  # noqa: F811
    reports = [*sample_reports, *_archived(), *corpus_reports, *_hard(sample_reports)]
    index = build_index(reports)
    made = [chart for group in index.agencies for chart in charts(group.reports, "trend-")]
    made += charts(reports, "portal-")
    for odd in _archived():  # beside a report of another year: its blank figures alone in their year
        made += charts([odd, next(r for r in sample_reports if r.year != odd.year)], "trend-")
    assert len(made) > 8
    assert any(s.blank and any(s.blank) for c in made for s in c.series)  # a sum leaving out a blank figure
    assert any(None in s.values for c in made for s in c.series)  # a figure not published: a gap
    for chart in made:
        fast, slow = _both(chart)
        assert fast == slow, chart.id


@pytest.mark.parametrize("chart", _charts(), ids=lambda c: c.id)
def test_charts_made_by_hand_are_the_drawings(chart: Chart) -> None:
    fast, slow = _both(chart)
    assert fast == slow
    env = make_environment()
    assert fast == env.get_template(CHART_TEMPLATE).render(chart=chart, drawing=draw(chart), palette=PALETTE).strip()


def test_labels_given_as_markup_are_written_as_the_drawing_has_them() -> None:
    chart = Chart("m<&>", Markup("<b>标题</b>"), Markup("<i>件</i>"), (2022, 2023),
                  (Series(Markup("<em>新收</em>"), (3, None), (1, 0)), Series("结转&", (0, 7))), stacked=False)
    assert _both(chart)[0] == _both(chart)[1]
    stacked = Chart("m2", "t", "件", (2022, 2023), chart.series, stacked=True)
    assert _both(stacked)[0] == _both(stacked)[1]


def _random_chart(rng: random.Random) -> Chart:
    years = tuple(sorted(rng.sample(range(2015, 2030), rng.randint(0, 6))))
    labels = ["本年新收", "上年结转", "a&b", "<x>", '"q"', "很长的一个系列名称", "其他"]
    series = []
    for _ in range(rng.randint(1, 7)):
        values = tuple(None if rng.random() < 0.15 else rng.choice([0, 0, 1, 3, rng.randint(0, 10 ** rng.randint(1, 7))])
                       for _ in years)
        blank = tuple(rng.choice([0, 0, 0, 1, 4]) for _ in years) if rng.random() < 0.4 else ()
        series.append(Series(rng.choice(labels), values, blank))
    return Chart(rng.choice(["trend-applications", "portal-review", "x&y", "trend-<o>"]), rng.choice(["标题", "a<b"]),
                 rng.choice(["件", "&"]), years, tuple(series), stacked=rng.random() < 0.5)


def test_random_charts_are_the_drawings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast_html, "_KEPT", 3)  # the kept parts cleared along the way
    rng = random.Random(11)
    palettes = [PALETTE, PALETTE[:2], ("#000", "a&b", *PALETTE)]
    for n in range(600):
        chart = _random_chart(rng)
        palette = palettes[n % len(palettes)]
        fast, slow = _both(chart, palette)
        assert fast == slow, (n, chart)


def _reports(sample_reports: list[Report], corpus: list[Report]) -> list[Report]:
    return [*sample_reports, *_archived(), *corpus, *_hard(sample_reports)]


def test_report_extras_of_the_figures_are_the_rows(sample_reports: list[Report],
                                                   corpus_reports: list[Report]) -> None:  # noqa: F811
    reports = _reports(sample_reports, corpus_reports)
    opendata = OpenData(build_index(sample_reports), Layout())
    opendata.offloaded = lambda report: (1234, 56789, 2_000_000)
    downloads = [(d, size_text(d.file.measure())) for d in opendata.downloads(sample_reports[0], "a/b.md")]
    template = make_environment().get_template(EXTRAS_TEMPLATE)
    seen = set()
    for report in reports:
        for previous in (None, *[r for r in reports if r.year < report.year][:6]):
            for case in (downloads, []):
                rows = OpenData.year_over_year(report, previous) if previous is not None else []
                expected = report_extras_html(report, previous, rows, case)
                figures = (_figure_values(key_figures(previous)) if previous is not None else (),
                           _figure_values(key_figures(report)))
                assert report_extras_of_figures(report, previous, KEY_FIGURE_LABELS, *figures, case) == expected
                assert expected == template.render(report=report, previous=previous, rows=rows, downloads=case).strip()
                seen.update(text for row in rows for text in row[1:] if not text.lstrip("+-").isdigit())
    assert {"未填报", "—"} <= seen


def test_report_extras_of_random_figures_are_the_rows(sample_reports: list[Report]) -> None:
    rng = random.Random(5)
    report, previous = next((r, p) for r in sample_reports for p in sample_reports if p.year < r.year)
    labels = ("本年新收", "a&b", "<x>", '"q"', "其他")
    for _ in range(300):
        before = [None if rng.random() < 0.2 else rng.randint(-20, 20) for _ in labels]
        now = [None if rng.random() < 0.2 else rng.choice([rng.randint(-20, 20), before[i] or 0]) for i in range(len(labels))]
        rows = [(label, "未填报" if b is None else str(b), "未填报" if n is None else str(n),
                 "—" if b is None or n is None else f"{n - b:+d}" if n != b else "0")
                for label, b, n in zip(labels, before, now)]
        assert report_extras_of_figures(report, previous, labels, before, now, []) == report_extras_html(
            report, previous, rows, [])
