"""Counts the narrative states in so many words, checked against the tables (warning ``narrative-count-mismatch``).

Only phrasings whose meaning is unambiguous are read; anything else is left alone, since a
false alarm on a consistent report is worse than a missed one. Each pattern names the one cell
it speaks of:

- 收到/新收（政府信息公开/依申请公开）申请 N 件, 收到 N 件申请 → 一、本年新收 › 总计 (not 受理: it may include the carried over);
- 上年（度）/上一年/<last year>年 结转（申请）N 件 → 二、上年结转 › 总计;
- 结转下年（度）（继续办理）N 件, N 件结转下年 → 四、结转下年度继续办理 › 总计;
- 办结 N 件 → 三、本年度办理结果 （七）总计 › 总计;
- 现行有效（的）行政规范性文件/规章 N 件 → 表二 现行有效件数 (where the layout has that column: 2021);
- （政府信息公开）行政复议（案件）N 件 → 表四 行政复议 › 总计; 行政诉讼（案件）N 件 → 未经复议直接起诉 + 复议后起诉 总计.

A count within a clause that speaks of a part (其中, 分别, 各) is not read; a cell published blank
or not applicable is not compared.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .findings import Finding
from .formats import FORMATS
from .model import CellPath, CellValue, Report
from .rules import Where, finding
from .totals import cell_labels, cells_by_path

_N = r"\s*(\d+)\s*件"  # a count: "9件" or "9 件"
_APPLICATION = r"(?:政府信息公开申请|依申请公开申请|依申请公开|信息公开申请|申请)"
_JOIN = r"(?:共|共计|合计|总计)?"


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    cells: tuple[CellPath, ...]  # the stated count is their sum; read only where the report's layout has them


def _pattern(regex: str, *cells: CellPath) -> _Pattern:
    return _Pattern(re.compile(regex), cells)


_RECEIVED = ("applications", "received", "total")
_CARRIED_OVER = ("applications", "carried_over", "total")
_CARRIED_FORWARD = ("applications", "carried_forward", "total")
_HANDLED = ("applications", "results", "total", "total")

PATTERNS: tuple[_Pattern, ...] = (
    _pattern(rf"(?:收到|新收){_APPLICATION}{_JOIN}{_N}", _RECEIVED),
    _pattern(rf"(?:收到|新收){_JOIN}{_N}(?:政府信息公开|依申请公开)?申请", _RECEIVED),
    _pattern(rf"(?:上年度|上一年度|上年|上一年|(?P<year>\d{{4}})年度?)结转{_APPLICATION}?{_JOIN}{_N}", _CARRIED_OVER),
    _pattern(rf"结转下一?年度?(?:继续)?(?:办理)?{_APPLICATION}?{_JOIN}{_N}", _CARRIED_FORWARD),
    _pattern(rf"{_N}(?:申请)?结转下一?年", _CARRIED_FORWARD),
    _pattern(rf"办结{_APPLICATION}?{_JOIN}{_N}", _HANDLED),
    _pattern(rf"现行有效的?行政规范性文件{_JOIN}{_N}", ("proactive", "normative_documents", "in_force")),
    _pattern(rf"现行有效的?规章{_JOIN}{_N}", ("proactive", "regulations", "in_force")),
    _pattern(rf"行政复议(?:案件|申请)?{_JOIN}{_N}", ("appeals", "review", "total")),
    _pattern(rf"行政诉讼(?:案件)?{_JOIN}{_N}",
             ("appeals", "litigation", "direct", "total"), ("appeals", "litigation", "after_review", "total")),
)


@dataclass(frozen=True)
class StatedCount:
    """A count the narrative states, and the cells it speaks of."""

    section: str  # narrative section key
    quote: str  # the words, as written (a short excerpt)
    offset: int  # where the match starts in the section's text
    stated: int
    cells: tuple[CellPath, ...]


def _read_patterns(report: Report) -> tuple[_Pattern, ...]:
    """The patterns whose cells the report's tables have (e.g. 现行有效件数: a column of the 2021 layout of
    table 二 only): the same for every report of one format and layouts, worked out once for them."""
    if FORMATS.get(report.format.version) is not report.format:  # a format of its own (not declared): no cache
        return _patterns_of(report)
    key = (report.format.version, tuple(sorted(report.layouts.items())))
    found = _READ_PATTERNS.get(key)
    if found is None:
        found = _READ_PATTERNS[key] = _patterns_of(report)
    return found


def _patterns_of(report: Report) -> tuple[_Pattern, ...]:
    return tuple(p for p in PATTERNS if all(path in cells_by_path(report.table(path[0])) for path in p.cells))


_READ_PATTERNS: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[_Pattern, ...]] = {}


def stated_counts(report: Report) -> Iterator[StatedCount]:
    patterns = _read_patterns(report)
    for section, text in report.narrative.items():
        for pattern in patterns:
            for match in pattern.regex.finditer(text):
                year = match.groupdict().get("year")
                if year is not None and int(year) != report.year - 1:
                    continue  # "2024年结转" in a 2024 report may mean carried forward: not read
                if _PART.search(_clause_before(text, match.start())):
                    continue  # "其中…收到申请9件": a part of the whole, not the table's total
                yield StatedCount(section, _quote(text, match), match.start(), int(match.groups()[-1]),
                                  pattern.cells)


_STOPS = "。；;，,\n"
_PART = re.compile(r"其中|分别|各")


def _clause_before(text: str, position: int) -> str:
    return text[max(text.rfind(stop, 0, position) for stop in _STOPS) + 1: position]


def _quote(text: str, match: re.Match[str]) -> str:
    """The clause around the match, so the editor finds it: from the last stop before it to the next."""
    start = max(text.rfind(stop, 0, match.start()) for stop in _STOPS) + 1
    ends = [i for i in (text.find(stop, match.end()) for stop in _STOPS) if i != -1]
    end = min(ends) if ends else len(text)
    return text[start:end].strip()[:60]


def _sum(report: Report, cells: tuple[CellPath, ...]) -> CellValue | None:
    values = [report.values.get(path) for path in cells]
    if any(value is None for value in values) or any(path in report.as_published for path in cells):
        return None
    return sum(values, 0)  # type: ignore[arg-type]


def check_narrative(report: Report) -> list[Finding]:
    """A warning for each count the narrative states that its table cell does not show."""
    found = []
    for stated in stated_counts(report):
        table = _sum(report, stated.cells)
        if table is None or table == stated.stated:
            continue
        labels = cell_labels(report.table(stated.cells[0][0]))
        cell = " + ".join(labels[path] for path in stated.cells)
        title = next(s.title for s in report.sections if s.key == stated.section)
        found.append(finding("narrative-count-mismatch", Where.at(
            report.display_path, _line_of(report, stated), (stated.section,), title),
            expected=table, actual=stated.stated, quote=stated.quote, stated=stated.stated, cell=cell, table=table))
    return found


def _line_of(report: Report, stated: StatedCount) -> object:
    """The line of the quote: a block scalar (``|``) starts on the line after its key."""
    mark = report.mark((stated.section,))
    text = report.narrative[stated.section]
    block = 1 if text.endswith("\n") else 0
    return type(mark)(mark.line + block + text.count("\n", 0, stated.offset), 1)
