"""Open data's HTML written without Jinja: fast paths of ``templates/opendata/chart.html`` (a trend
chart) and ``templates/opendata/report_extras.html`` (a report page's year-over-year table and downloads).

The package's templates are the definition; these write the same bytes (``tests/opendata/test_opendata_fastpaths.py``
renders both and compares them) with one escape per text instead of one per placeholder: an agency
page has four charts of some 60 elements each, every report page its extras, and Jinja's
per-placeholder escaping and attribute look-ups were most of their cost. A site that overrides one
of these templates gets its template (``OpenData`` uses a fast path only while the package's own
template is the one found: ``own_template``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment
from markupsafe import escape

from ..model import Report
from .trends import BOTTOM, GAP, LEFT, RIGHT, TOP, Chart, Drawing, _n, _nice_top


class _File(Protocol):
    @property
    def media_type(self) -> str: ...


class Link(Protocol):
    """What the extras read of a download (``site.Download``)."""

    @property
    def kind(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def href(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def file(self) -> _File: ...

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CHART_TEMPLATE = "opendata/chart.html"
EXTRAS_TEMPLATE = "opendata/report_extras.html"


# (id of an environment, template name) → the environment, the found file's "up to date" check, whether it is the package's
_OWN: dict[tuple[int, str], tuple[Environment, Callable[[], bool] | None, bool]] = {}


def own_template(env: Environment, name: str) -> bool:
    """Whether ``env`` finds the package's own template ``name`` (not a site's override of it).

    Asked of the loader, which finds the file Jinja would load, without compiling it (the fast path
    never renders it); asked again when that file changed, as Jinja reloads a template."""
    key = (id(env), name)
    known = _OWN.get(key)
    if known is None or known[0] is not env or (known[1] is not None and not known[1]()):
        if env.loader is None:
            return False
        _, filename, uptodate = env.loader.get_source(env, name)
        known = _OWN[key] = (env, uptodate, filename is not None and os.path.samefile(filename, TEMPLATES / name))
    return known[2]


def _e(text: object) -> str:
    """``escape``'s text: most texts here are figures and labels with nothing to escape, returned as they are."""
    if text.__class__ is str:
        if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
            return str(escape(text))
        return text
    if text.__class__ is int:
        return str(text)
    return str(escape(text))


def _figure_head(chart: Chart, width: int, height: int, summary: str) -> list[str]:
    """A chart's figure up to its patterns' ``<defs>`` (not included); ``summary``: ``chart.summary`` escaped."""
    cid = _e(chart.id)
    title = _e(chart.title)
    return [
        f'<figure class="gk-chart" id="{cid}" aria-labelledby="{cid}-caption" data-search-exclude '
        f'data-pagefind-ignore="all">\n',
        f'<figcaption id="{cid}-caption">{title}（单位：{_e(chart.unit)}）</figcaption>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{cid}-svg-title {cid}-svg-desc" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" class="gk-chart-svg">\n',
        f'<title id="{cid}-svg-title">{title}</title>\n',
        f'<desc id="{cid}-svg-desc">{summary}</desc>\n',
    ]


def _defs(cid: str, palette: Sequence[str], gaps: bool) -> str:
    """The ``<defs>`` of a chart (``cid`` escaped): a pattern per fill, and the gaps' hatching if it has gaps."""
    out = ["<defs>\n"]
    for i, fill in enumerate(palette):
        turn = ' patternTransform="rotate(45)"' if i % 3 == 1 else ' patternTransform="rotate(-45)"' if i % 3 == 2 else ""
        line = f'<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="{1 + i % 2}"/>' if i > 0 else ""
        out.append(f'<pattern id="{cid}-p{i}" width="6" height="6" patternUnits="userSpaceOnUse"{turn}>'
                   f'<rect width="6" height="6" fill="{_e(fill)}"/>{line}</pattern>\n')
    if gaps:
        out.append(f'<pattern id="{cid}-gap" width="6" height="6" patternUnits="userSpaceOnUse" '
                   'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" '
                   'x2="0" y2="6" stroke="#555" stroke-width="1.5"/></pattern>')
    out.append("</defs>\n")
    return "".join(out)


def _figure_tail(chart: Chart, gaps: Sequence[str], rows: str) -> str:
    """A chart's figure after its ``</svg>``: the gaps in words (``chart.gaps``, escaped), then the table of
    its figures (``rows``: its body's rows, ``chart.table``'s)."""
    cid = _e(chart.id)
    title = _e(chart.title)
    unit = _e(chart.unit)
    out = []
    if gaps:
        out.append('<p class="gk-chart-gaps">注：' + "；".join(gaps) + "（图中以斜线框标出）。</p>")
    out.append("</figure>\n")
    out.append(f'<div class="gk-table-scroll" role="region" aria-labelledby="{cid}-table-caption" tabindex="0" '
               'data-search-exclude data-pagefind-ignore="all">\n<table class="gk-chart-table">\n'
               f'<caption id="{cid}-table-caption">{title}：图中数据（单位：{unit}）</caption>\n'
               '<thead><tr><th scope="col">年度</th>'
               + "".join(f'<th scope="col">{_e(series.label)}</th>' for series in chart.series)
               + "</tr></thead>\n<tbody>\n")
    out.append(rows)
    out.append("</tbody>\n</table>\n</div>")
    return "".join(out)


def _cell(text: str) -> str:
    """A figure of the table beside a chart (escaped): a number, or a gap or partial sum said in words."""
    return f'<td class="gk-num">{text}</td>' if text.isdigit() else f'<td class="gk-gap">{text}</td>'


def _table_rows(chart: Chart) -> str:
    return "".join(f'<tr><th scope="row">{_e(year)}年度</th>' + "".join(_cell(_e(text)) for text in texts) + "</tr>\n"
                   for year, texts in chart.table)


def chart_html(chart: Chart, drawing: Drawing, palette: Sequence[str]) -> str:
    """What ``opendata/chart.html`` renders for ``chart`` (stripped)."""
    cid = _e(chart.id)
    out = _figure_head(chart, drawing.width, drawing.height, _e(chart.summary))
    out.append(_defs(cid, palette, bool(drawing.gaps)))
    left, right, bottom = drawing.plot_left, drawing.plot_right, drawing.plot_bottom
    for y, text_y, text in drawing.ticks:
        y = _e(y)
        out.append(f'<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="#c8ccd2" stroke-width="1"/>\n'
                   f'<text x="{left - 6}" y="{_e(text_y)}" text-anchor="end" font-size="12" fill="#333">'
                   f"{_e(text)}</text>\n")
    for bar in drawing.bars:
        out.append(f'<rect x="{_e(bar.x)}" y="{_e(bar.y)}" width="{_e(bar.width)}" height="{_e(bar.height)}" '
                   f'fill="url(#{cid}-p{bar.pattern % 6})" stroke="#222" stroke-width="0.5"><title>{_e(bar.label)}'
                   "</title></rect>\n")
    for x, y, width, label in drawing.gaps:
        out.append(f'<rect x="{_e(x)}" y="{_e(y)}" width="{_e(width)}" height="12" fill="url(#{cid}-gap)" '
                   f'stroke="#555" stroke-width="1" stroke-dasharray="3 2"><title>{_e(label)}</title></rect>\n')
    for x, text in drawing.years:
        out.append(f'<text x="{_e(x)}" y="{bottom + 18}" text-anchor="middle" font-size="12" fill="#333">'
                   f"{_e(text)}</text>\n")
    for x, text_x, label, _, pattern in drawing.legend:
        out.append(f'<rect x="{_e(x)}" y="{bottom + 34}" width="14" height="14" fill="url(#{cid}-p{pattern % 6})" '
                   'stroke="#222" stroke-width="0.5"/>\n'
                   f'<text x="{_e(text_x)}" y="{bottom + 46}" font-size="12" fill="#333">{_e(label)}</text>\n')
    out.append("</svg>\n")
    out.append(_figure_tail(chart, [_e(gap) for gap in chart.gaps], _table_rows(chart)))
    return "".join(out)


# What repeats from chart to chart, kept by what it is made of (a handful of chart ids, palettes, peaks,
# series labels and year spans in a build): cleared when it holds more than ``_KEPT`` of a kind.
_KEPT = 256
_KEPT_DEFS: dict[tuple[str, tuple[str, ...], bool], str] = {}
_KEPT_TICKS: dict[int, str] = {}
_KEPT_HEADS: dict[tuple[str, ...], tuple[str, ...]] = {}  # the year-over-year rows' heads, by their labels
_KEPT_LEGENDS: dict[tuple[str, tuple[str, ...], tuple[int, ...]], tuple[str, int]] = {}


def _kept(store: dict[Any, Any], key: object, make: Callable[[], Any]) -> Any:
    found = store.get(key)
    if found is None:
        if len(store) >= _KEPT:
            store.clear()
        found = store[key] = make()
    return found


def _ticks(peak: int) -> str:
    """The value axis of ``draw``'s plot (its lines and figures) up to ``peak``."""
    out = []
    for k in range(6):
        y = _n(BOTTOM - k * (BOTTOM - TOP) / 5)
        out.append(f'<line x1="{LEFT}" x2="{{right}}" y1="{y}" y2="{y}" stroke="#c8ccd2" stroke-width="1"/>\n'
                   f'<text x="{LEFT - 6}" y="{_n(BOTTOM - k * (BOTTOM - TOP) / 5 + 4)}" text-anchor="end" '
                   f'font-size="12" fill="#333">{_e(f"{peak * k / 5:g}")}</text>\n')
    return "".join(out)


def _legend(cid: str, labels: tuple[str, ...], lengths: tuple[int, ...]) -> tuple[str, int]:
    """``draw``'s legend of the series (``cid`` and ``labels`` escaped, ``lengths`` the labels' own), and the
    right end of its last label."""
    out = []
    x = float(LEFT)
    for j, (label, length) in enumerate(zip(labels, lengths)):
        out.append(f'<rect x="{_n(x)}" y="{BOTTOM + 34}" width="14" height="14" fill="url(#{cid}-p{j % 6})" '
                   'stroke="#222" stroke-width="0.5"/>\n'
                   f'<text x="{_n(x + 18)}" y="{BOTTOM + 46}" font-size="12" fill="#333">{label}</text>\n')
        x += 22 + 13 * length
    return "".join(out), int(x)


def chart_markup(chart: Chart, palette: Sequence[str]) -> str:
    """``chart_html(chart, draw(chart), palette)`` in one pass: the geometry ``draw`` works out, written as it
    is worked out (no ``Drawing``), the patterns, value axis and legend kept from chart to chart."""
    cid = _e(chart.id)
    series = chart.series
    keys = (cid, tuple(_e(s.label) for s in series), tuple(len(s.label) for s in series))
    stacked = chart.stacked
    per_year = 34 if stacked else 18 * len(series)
    step = per_year + GAP
    rows = chart.rows
    totals = [sum(x for x in v if x is not None) if stacked else max((x for x in v if x is not None), default=0)
              for _, v in rows]
    peak = _nice_top(max(totals, default=0))
    scale = (BOTTOM - TOP) / peak
    legend, legend_end = _kept(_KEPT_LEGENDS, keys, lambda: _legend(*keys))
    width = max(LEFT + RIGHT + len(chart.years) * step, legend_end + RIGHT)
    marks = [_e(str(s.label)) for s in series]  # as the bars' titles have them: in a text escaped whole
    unit = _e(str(chart.unit))
    body: list[str] = []
    gaps: list[str] = []
    years: list[str] = []
    said: list[str] = []  # ``chart.summary``'s figures of each year, escaped
    left_out: list[str] = []  # ``chart.gaps``, escaped
    table: list[str] = []  # ``chart.table``'s rows
    blanks = [s.blank for s in series]  # per series: how many reports left each year's figure blank (or ())
    gap_y = f"{BOTTOM - 12:.1f}"
    for i, (year, values) in enumerate(rows):
        figures = []
        cells = []
        x0 = LEFT + GAP / 2 + i * step
        base = float(BOTTOM)
        missing: list[str] = []
        # One pass over the year's figures: its words (``chart.summary``, ``chart.gaps``), its table row and
        # its bars (``draw``), each list in the order its own loop gave it.
        for j, value in enumerate(values):
            mark = marks[j]
            if value is None:  # not published: a gap, never a zero
                figures.append(f"{mark}：{year} 年度报告该项未填报")
                left_out.append(f"{mark}：{year} 年度报告该项未填报，图中空缺，不作 0 计")
                cells.append('<td class="gk-gap">未填报</td>')
                missing.append(mark)
                if not stacked:
                    gaps.append(_gap(f"{x0 + j * 18:.1f}", gap_y, "16", cid, f"{year}年度 {mark}：报告该项未填报"))
                continue
            counts = blanks[j]
            blank = counts[i] if counts else 0
            if blank:
                figures.append(f"{mark}{value}{unit}（另有 {blank} 份报告该项未填报）")
                left_out.append(f"{mark}：{year} 年度有 {blank} 份报告该项未填报，合计只含已填报的报告")
                cells.append(f'<td class="gk-gap">{value}（另有 {blank} 份报告未填报，未计入）</td>')
            else:
                figures.append(f"{mark}{value}{unit}")
                text = f"{value}"
                cells.append(f'<td class="gk-num">{text}</td>' if text.isdigit() else f'<td class="gk-gap">{text}</td>')
            height = value * scale
            if not height:
                continue
            title = f"{year}年度 {mark} {value}{unit}" + (f"（另有 {blank} 份报告该项未填报，未计入）" if blank else "")
            if stacked:
                base -= height
                body.append(f'<rect x="{x0:.1f}" y="{base:.1f}" width="{per_year:.1f}" height="{height:.1f}" '
                            f'fill="url(#{cid}-p{j % 6})" stroke="#222" stroke-width="0.5"><title>{title}</title></rect>\n')
            else:
                body.append(f'<rect x="{x0 + j * 18:.1f}" y="{BOTTOM - height:.1f}" width="16" height="{height:.1f}" '
                            f'fill="url(#{cid}-p{j % 6})" stroke="#222" stroke-width="0.5"><title>{title}</title></rect>\n')
        said.append(f"{year}年度：" + "，".join(figures))
        table.append(f'<tr><th scope="row">{year}年度</th>' + "".join(cells) + "</tr>\n")
        years.append(f'<text x="{x0 + per_year / 2:.1f}" y="{BOTTOM + 18}" text-anchor="middle" font-size="12" '
                     f'fill="#333">{_e(f"{year}")}</text>\n')
        if stacked and missing:  # above the stack: what it leaves out
            gaps.append(_gap(_n(x0), _n(base - 12), _n(per_year), cid, f"{year}年度 {'、'.join(missing)}：报告该项未填报"))
    summary = f"{_e(str(chart.title))}。" + "；".join(said) + "。"
    out = _figure_head(chart, width, BOTTOM + 56, summary)
    out.append(_kept(_KEPT_DEFS, (cid, tuple(palette), bool(gaps)), lambda: _defs(cid, palette, bool(gaps))))
    out.append(_kept(_KEPT_TICKS, peak, lambda: _ticks(peak)).replace("{right}", str(width - RIGHT)))
    out += body
    out += gaps
    out += years
    out.append(legend)
    out.append("</svg>\n")
    out.append(_figure_tail(chart, left_out, "".join(table)))
    return "".join(out)


def _gap(x: str, y: str, width: str, cid: str, title: str) -> str:
    """A hatched outline where a figure was not published (``title`` escaped)."""
    return (f'<rect x="{x}" y="{y}" width="{width}" height="12" fill="url(#{cid}-gap)" stroke="#555" stroke-width="1" '
            f'stroke-dasharray="3 2"><title>{title}</title></rect>\n')


_GAPS = ("未填报", "—")


def report_extras_html(report: Report, previous: Report | None, rows: Sequence[tuple[str, str, str, str]],
                       downloads: Sequence[tuple[Link, str]]) -> str:
    """What ``opendata/report_extras.html`` renders (stripped)."""
    body = "".join(f'<tr><th scope="row">{_e(label)}</th>'
                   + "".join(f'<td class="{"gk-gap" if text in _GAPS else "gk-num"}">{_e(text)}</td>' for text in texts)
                   + "</tr>\n" for label, *texts in rows)
    return _extras(report, previous, body, downloads)


def report_extras_of_figures(report: Report, previous: Report | None, labels: Sequence[str],
                             before: Sequence[int | None], now: Sequence[int | None],
                             downloads: Sequence[tuple[Link, str]]) -> str:
    """``report_extras_html`` of ``OpenData.year_over_year``'s rows, written from the figures (``labels``, the
    previous report's and this one's, integers or None), without the rows' texts: a figure's text, its
    change and their classes need no escaping (digits, a sign, 未填报, —)."""
    if previous is None:
        return _extras(report, previous, "", downloads)
    heads = _kept(_KEPT_HEADS, tuple(labels), lambda: tuple(f'<tr><th scope="row">{_e(label)}</th>' for label in labels))
    out = []
    for head, old, new in zip(heads, before, now):
        old_text = '<td class="gk-gap">未填报</td>' if old is None else f'<td class="gk-num">{old}</td>'
        new_text = '<td class="gk-gap">未填报</td>' if new is None else f'<td class="gk-num">{new}</td>'
        change = ('<td class="gk-gap">—</td>' if old is None or new is None else
                  f'<td class="gk-num">{new - old:+d}</td>' if new != old else '<td class="gk-num">0</td>')
        out.append(f"{head}{old_text}{new_text}{change}</tr>\n")
    return _extras(report, previous, "".join(out), downloads)


def _extras(report: Report, previous: Report | None, body: str, downloads: Sequence[tuple[Link, str]]) -> str:
    """The extras around the year-over-year table's rows (``body``: none, no table)."""
    out = []
    if body:
        assert previous is not None
        before, now = _e(previous.year), _e(report.year)
        out.append('<h2 id="year-over-year">与上年比较</h2>\n<div class="gk-table-scroll" role="region" '
                   'aria-labelledby="yoy-caption" tabindex="0" data-search-exclude data-pagefind-ignore="all">'
                   '<table class="gk-yoy">\n'
                   f'<caption id="yoy-caption">主要数字：{before}年度与{now}年度（单位：件）</caption>\n'
                   f'<thead><tr><th scope="col">项目</th><th scope="col">{before}年度</th><th scope="col">{now}年度'
                   '</th><th scope="col">增减</th></tr></thead>\n<tbody>\n')
        out.append(body)
        out.append("</tbody></table></div>\n")
    if downloads:
        out.append('<h2 id="downloads">数据下载</h2>\n<ul class="gk-downloads" data-search-exclude '
                   'data-pagefind-ignore="all">\n')
        year = _e(report.year)
        for download, size in downloads:
            name = (f"{_e(download.title)}（{_e(download.kind)}，{_e(size)}）" if download.title
                    else f"{year}年度报告数据（{_e(download.kind)} 文件，{_e(size)}）")
            out.append(f'<li><a href="{_e(download.href)}" download type="{_e(download.file.media_type)}">{name}</a>'
                       f"：{_e(download.description)}</li>\n")
        out.append("</ul>\n")
    return "".join(out).strip()
