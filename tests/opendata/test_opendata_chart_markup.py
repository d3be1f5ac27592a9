"""A trend chart written in one pass (``fast_html.chart_markup``) is what ``chart_html`` writes of ``draw``'s
drawing, itself what the package's template renders: the charts of every agency and of the portal built
from the sample reports, the archived fixtures (blank and "/" cells), the corpus and reports made hard,
charts made by hand (gaps, partial sums, text to escape, labels as ``Markup``) and random charts."""

from __future__ import annotations

import random

import pytest
from markupsafe import Markup
from test_opendata_bytes import _archived, _hard, corpus_reports  # noqa: F401 (a fixture)
from test_opendata_fastpaths import _charts

from gongkai.indexing import build_index
from gongkai.model import Report
from gongkai.opendata import fast_html
from gongkai.opendata.fast_html import CHART_TEMPLATE, chart_html, chart_markup
from gongkai.opendata.trends import PALETTE, Chart, Series, charts, draw
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
