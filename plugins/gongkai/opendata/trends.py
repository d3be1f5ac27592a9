"""Trends across years, from the reports' own figures: series, then bar charts as inline SVG.

Each chart is drawn at build time (readable with JavaScript off, printable) with a text
alternative and, beside it, the same figures in a table; ``Chart.rows`` is what both read.
A figure an archived report published blank or not applicable is None, never 0: the chart
shows the gap (a hatched outline), the table and the text alternative say 未填报, and a sum over
several reports counts only those that gave the figure and says how many did not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..model import CellPath, CellValues, Report

# Outcome groups of table 三 (rows under 三、本年度办理结果), in the form's order.
OUTCOMES = (("disclosed", "予以公开"), ("partially_disclosed", "部分公开"), ("withheld", "不予公开"),
            ("unavailable", "无法提供"), ("not_processed", "不予处理"), ("other_handling", "其他处理"))
APPEAL_OUTCOMES = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"))
# Fills told apart by pattern as well as colour (print, colour blindness); the table says it in numbers.
PALETTE = ("#1f5fa8", "#d9822b", "#2f8a4c", "#8c4fa3", "#b23b3b", "#5f6b7a")


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[int | None, ...]  # one per year; None: no report of that year gave the figure
    blank: tuple[int, ...] = ()  # per year: reports that published a cell of it blank or not applicable

    def left_blank(self, i: int) -> int:
        return self.blank[i] if self.blank else 0


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    unit: str
    years: tuple[int, ...]
    series: tuple[Series, ...]
    stacked: bool

    @property
    def rows(self) -> list[tuple[int, list[int | None]]]:
        """(year, the value of each series): the accessible table beside the chart."""
        return [(year, [s.values[i] for s in self.series]) for i, year in enumerate(self.years)]

    def cell_text(self, i: int, j: int) -> str:
        """A figure as the table beside the chart shows it: a gap or a partial sum is said in words."""
        series = self.series[j]
        value, blank = series.values[i], series.left_blank(i)
        if value is None:
            return "未填报"
        return f"{value}（另有 {blank} 份报告未填报，未计入）" if blank else str(value)

    @property
    def table(self) -> list[tuple[int, list[str]]]:
        return [(year, [self.cell_text(i, j) for j in range(len(self.series))]) for i, year in enumerate(self.years)]

    @property
    def gaps(self) -> list[str]:
        """What the chart leaves out, in words: '2020 年度报告该项未填报'."""
        out = []
        for i, year in enumerate(self.years):
            for series in self.series:
                blank = series.left_blank(i)
                if series.values[i] is None:
                    out.append(f"{series.label}：{year} 年度报告该项未填报，图中空缺，不作 0 计")
                elif blank:
                    out.append(f"{series.label}：{year} 年度有 {blank} 份报告该项未填报，合计只含已填报的报告")
        return out

    @property
    def summary(self) -> str:
        """The text alternative: every figure, in words, and every gap."""
        parts = []
        for i, year in enumerate(self.years):
            figures = "，".join(
                f"{s.label}{s.values[i]}{self.unit}" if s.values[i] is not None and not s.left_blank(i)
                else f"{s.label}{s.values[i]}{self.unit}（另有 {s.left_blank(i)} 份报告该项未填报）"
                if s.values[i] is not None else f"{s.label}：{year} 年度报告该项未填报"
                for s in self.series)
            parts.append(f"{year}年度：{figures}")
        return f"{self.title}。" + "；".join(parts) + "。"


_PATHS: dict[tuple[int, tuple[str, ...], str], tuple[tuple[str, ...], ...]] = {}


def _paths(report: Report, prefix: tuple[str, ...], column: str) -> tuple[tuple[str, ...], ...]:
    """The cells under a row prefix in one column (per format declaration, worked out once)."""
    key = (id(report.format), prefix, column)
    found = _PATHS.get(key)
    if found is None:
        found = _PATHS[key] = tuple(c.path for t in report.format.tables for c in t.cells()
                                    if c.path[:len(prefix)] == prefix and c.path[-1] == column)
    return found


def _sum(report: Report, prefix: tuple[str, ...], column: str = "total") -> int | None:
    """A row group's figure, or None when the report published one of its cells blank or not applicable
    (an archived report as published: not a zero)."""
    values = report.values
    total = 0
    for path in _paths(report, prefix, column):
        value = values.get(path)
        if value is None:
            return None
        total += int(value)
    return total


Figures = tuple[int | None, ...]


def applications_received(report: Report) -> Figures:
    return (_sum(report, ("applications", "received")), _sum(report, ("applications", "carried_over")))


def carried_forward(report: Report) -> int | None:
    return _sum(report, ("applications", "carried_forward"))


def outcomes(report: Report) -> Figures:
    return tuple(_sum(report, ("applications", "results", key)) for key, _ in OUTCOMES)


def appeals(report: Report, kind: str) -> Figures:
    return tuple(_sum(report, ("appeals", kind), column) for column, _ in APPEAL_OUTCOMES)


@dataclass(frozen=True)
class KeyFigures:
    """A report's figures that the charts and the year-over-year table show."""

    applications: Figures  # received, carried over (``applications_received``)
    outcomes: Figures  # ``OUTCOMES``
    carried_forward: int | None
    review: Figures  # ``APPEAL_OUTCOMES`` of 行政复议
    litigation: Figures  # and of 行政诉讼


def key_figures_reference(report: Report) -> KeyFigures:
    """``key_figures`` figure by figure (``_sum``): its definition."""
    return KeyFigures(applications_received(report), outcomes(report), carried_forward(report),
                      appeals(report, "review"), appeals(report, "litigation"))


# Each key figure's row prefix and column, in ``KeyFigures``' order (applications 2, outcomes, carried
# forward 1, review, litigation): what ``key_figures_reference`` sums.
_FIGURES = (((("applications", "received"), "total"), (("applications", "carried_over"), "total")),
            tuple(((("applications", "results", key), "total")) for key, _ in OUTCOMES),
            ((("applications", "carried_forward"), "total"),),
            tuple(((("appeals", "review"), column)) for column, _ in APPEAL_OUTCOMES),
            tuple(((("appeals", "litigation"), column)) for column, _ in APPEAL_OUTCOMES))
# (id of a format, id of a values layout) → both, and each figure's cells' positions in the layout's values
_PLANS: dict[tuple[int, int], tuple[object, tuple[CellPath, ...], tuple[tuple[tuple[int, ...], ...], ...]]] = {}


def _plan(report: Report, layout: tuple[CellPath, ...]) -> tuple[tuple[tuple[int, ...], ...], ...]:
    """The positions in ``layout``'s values of each key figure's cells (``len(layout)``: a cell it does not hold)."""
    key = (id(report.format), id(layout))
    found = _PLANS.get(key)
    if found is None or found[0] is not report.format or found[1] is not layout:
        position = {path: n for n, path in enumerate(layout)}
        plan = tuple(tuple(tuple(position.get(path, len(layout)) for path in _paths(report, prefix, column))
                           for prefix, column in group) for group in _FIGURES)
        found = _PLANS[key] = (report.format, layout, plan)
    return found[2]


def key_figures(report: Report) -> KeyFigures:
    """A report's figures for the charts and the year-over-year table: ``key_figures_reference``'s, summed
    from the values by positions worked out once per format and layout when the report holds ``CellValues``."""
    values = report.values
    if values.__class__ is not CellValues:
        return key_figures_reference(report)
    layout, numbers = values.in_order()
    held = (*numbers, None)
    groups = []
    for group in _plan(report, layout):
        figures: list[int | None] = []
        for positions in group:
            cells = [held[n] for n in positions]
            figures.append(None if None in cells else sum(map(int, cells)))  # type: ignore[arg-type]
        groups.append(tuple(figures))
    return KeyFigures(groups[0], groups[1], groups[2][0], groups[3], groups[4])


class FigureMemo:
    """Each report's ``key_figures``, worked out once (key: the report object; one memo per build, so
    that an agency's charts, the portal's and each report page's year-over-year table share them)."""

    def __init__(self) -> None:
        self._of: dict[int, tuple[Report, KeyFigures]] = {}

    def __call__(self, report: Report) -> KeyFigures:
        found = self._of.get(id(report))
        if found is None or found[0] is not report:
            found = self._of[id(report)] = (report, key_figures(report))
        return found[1]


def charts(reports: Iterable[Report], prefix: str,
           figures_of: Callable[[Report], KeyFigures] = key_figures) -> list[Chart]:
    """The trend charts over ``reports`` (one agency's, or sums of all), oldest year first (each
    report's figures from ``figures_of``: ``key_figures``, or a ``FigureMemo`` of it)."""
    by_year: dict[int, list[Report]] = {}
    for report in reports:
        by_year.setdefault(report.year, []).append(report)
    years = tuple(sorted(by_year))
    if len(years) < 2:
        return []

    of_year = [[figures_of(r) for r in by_year[y]] for y in years]

    def series(labels: Sequence[str], figures: Callable[[KeyFigures], Figures]) -> tuple[Series, ...]:
        # Per year, per figure: its values over the year's reports. A series holds each year's sum of the
        # figure over the reports that gave it (None when none did) and how many left it blank.
        columns = [list(zip(*[figures(f) for f in of])) for of in of_year]
        out = []
        for i, label in enumerate(labels):
            values: list[int | None] = []
            blank: list[int] = []
            for column in columns:
                given = column[i]
                if None in given:
                    known = [v for v in given if v is not None]
                    values.append(sum(known) if known else None)
                    blank.append(len(given) - len(known))
                else:
                    values.append(sum(given))
                    blank.append(0)
            out.append(Series(label, tuple(values), tuple(blank)))
        return tuple(out)

    return [
        Chart(f"{prefix}applications", "政府信息公开申请数量", "件", years,
              series(("本年新收", "上年结转"), lambda f: f.applications), stacked=False),
        Chart(f"{prefix}outcomes", "申请办理结果构成", "件", years,
              series([label for _, label in OUTCOMES], lambda f: f.outcomes), stacked=True),
        Chart(f"{prefix}review", "行政复议结果", "件", years,
              series([label for _, label in APPEAL_OUTCOMES], lambda f: f.review), stacked=True),
        Chart(f"{prefix}litigation", "行政诉讼结果", "件", years,
              series([label for _, label in APPEAL_OUTCOMES], lambda f: f.litigation), stacked=True),
    ]


def _n(value: float) -> str:
    """A coordinate as SVG writes it (made here, once, not by the template)."""
    return f"{value:.1f}"


@dataclass(frozen=True)
class Bar:
    x: str
    y: str
    width: str
    height: str
    fill: str
    pattern: int  # index of the series: its fill pattern
    label: str  # <title> of the bar, e.g. 2024年度 本年新收 5件


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[str, str, str], ...]  # (y of the line, y of the text, text) of the value axis
    years: tuple[tuple[str, str], ...]  # (x, text) of the year labels
    legend: tuple[tuple[str, str, str, str, int], ...]  # (x of the key, x of the text, label, fill, pattern)
    gaps: tuple[tuple[str, str, str, str], ...]  # (x, y, width, <title>) of what was not published: hatched
    plot_top: int
    plot_bottom: int
    plot_left: int
    plot_right: int


def _nice_top(peak: int) -> int:
    if peak <= 5:
        return 5
    step = 10 ** (len(str(peak)) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        top = int(step * factor)
        if top >= peak:
            return top
    return peak


LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 200  # the plot's margins: left, right, top, and its bottom line
GAP = 28  # between two years' bars


def draw(chart: Chart) -> Drawing:
    """Bar geometry: grouped bars per year, or one stacked bar per year."""
    left, right, top, bottom = LEFT, RIGHT, TOP, BOTTOM
    per_year = 34 if chart.stacked else 18 * len(chart.series)
    gap = GAP
    width = left + right + len(chart.years) * (per_year + gap)
    totals = [sum(x for x in v if x is not None) if chart.stacked else max((x for x in v if x is not None), default=0)
              for _, v in chart.rows]
    peak = _nice_top(max(totals, default=0))
    scale = (bottom - top) / peak
    bars = []
    labels = []
    gaps = []
    for i, (year, values) in enumerate(chart.rows):
        x0 = left + gap / 2 + i * (per_year + gap)
        labels.append((_n(x0 + per_year / 2), f"{year}"))
        base = float(bottom)
        missing: list[str] = []
        for j, (series, value) in enumerate(zip(chart.series, values)):
            if value is None:  # not published: a gap, drawn as such, never a zero
                missing.append(series.label)
                if not chart.stacked:
                    gaps.append((_n(x0 + j * 18), _n(bottom - 12), "16", f"{year}年度 {series.label}：报告该项未填报"))
                continue
            height = value * scale
            if not height:
                continue
            blank = series.left_blank(i)
            label = f"{year}年度 {series.label} {value}{chart.unit}" + (
                f"（另有 {blank} 份报告该项未填报，未计入）" if blank else "")
            if chart.stacked:
                bars.append(Bar(_n(x0), _n(base - height), _n(per_year), _n(height), PALETTE[j % len(PALETTE)], j,
                                label))
                base -= height
            else:
                bars.append(Bar(_n(x0 + j * 18), _n(bottom - height), "16", _n(height), PALETTE[j % len(PALETTE)], j,
                                label))
        if chart.stacked and missing:  # above the stack: what it leaves out
            gaps.append((_n(x0), _n(base - 12), _n(per_year), f"{year}年度 {'、'.join(missing)}：报告该项未填报"))
    ticks = tuple((_n(bottom - k * (bottom - top) / 5), _n(bottom - k * (bottom - top) / 5 + 4), f"{peak * k / 5:g}")
                  for k in range(6))
    legend = []
    x = float(left)
    for j, series in enumerate(chart.series):
        legend.append((_n(x), _n(x + 18), series.label, PALETTE[j % len(PALETTE)], j))
        x += 22 + 13 * len(series.label)
    width = max(width, int(x) + right)
    return Drawing(width, bottom + 56, tuple(bars), ticks, tuple(labels), tuple(legend), tuple(gaps),
                   top, bottom, left, width - right)
