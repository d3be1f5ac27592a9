"""Roll-ups: per year, the cell-by-cell sum of every counted report of tables 二、三、四.

A roll-up is itself a ``Report`` (agency "合计"), so the official table renderer draws it and
the same arithmetic rules (``validate_report``) check it. Reports are summed per format
version; a report that cannot be counted (missing, failing, a cell published blank or not
applicable) is named beside the total, never silently left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import Finding
from ..model import Agency, CellPath, CellValue, CellValues, Report
from ..validation import validate_report
from .cells import cell_states, table_cells, tables_of

TOTAL_SLUG = "total"


@dataclass(frozen=True)
class Left:
    """A report that the total does not count, and why (in words)."""

    name: str  # agency name
    code: str
    why: str


@dataclass
class Rollup:
    year: int
    scope: str  # 全部机关, or a roster group's name
    totals: list[Report]  # one per format version present (normally one)
    counted: list[Report]
    left_out: list[Left] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # the arithmetic rules on the totals

    @property
    def ok(self) -> bool:
        return not self.findings


def uncountable(report: Report) -> str | None:
    """Why a report cannot be summed (naming the cells it published blank), or None."""
    blank: list[str] = []
    for table in tables_of(report):
        infos = table_cells(table)
        if table is not report.format.table(table.key):
            return f"{table.title}沿用其他格式的表格"
        if report.as_published:  # only a cell published as such is blank or not applicable (``cell_states``)
            blank += [f"表{info.table[:1]} {info.row} › {info.column}" for info, (_, status, _) in
                      zip(infos, cell_states(report, infos)) if status in ("blank", "not-applicable")]
    if blank:
        more = f"等 {len(blank)} 个单元格" if len(blank) > 1 else ""
        return f"{blank[0]}{more}原文空白或不适用（未填报），无法相加，不作 0 计"
    return None


def sum_reports(reports: list[Report], year: int, scope: str) -> Report:
    """The cell-by-cell sum of reports of one format version, as a report."""
    spec = reports[0].format
    values: dict[CellPath, CellValue] = {}
    columns = _columns(reports)
    for table in spec.tables:
        for info in table_cells(table):
            if columns is not None and info.path in columns[0]:  # every report's value of the cell, in order
                column = columns[1][columns[0][info.path]]
                values[info.path] = sum(column, start=type(column[0])())
            else:
                values[info.path] = sum((r.values[info.path] for r in reports),
                                        start=type(reports[0].values[info.path])())
    return Report(source=Path(f"{scope}-{year}"), display_path=f"{scope}{year}年度合计", agency=Agency(TOTAL_SLUG, scope),
                  year=year, format=spec, published=max(r.published for r in reports), narrative={},
                  values=values, given_totals=frozenset(values))


def _columns(reports: list[Report]) -> tuple[dict[CellPath, int], list[tuple[CellValue, ...]]] | None:
    """When every report holds its values in one ``CellValues`` layout: each path's position, and each
    position's values over the reports (``r.values[path]`` of each report, in order); else None."""
    first = reports[0].values
    if first.__class__ is not CellValues:
        return None
    paths, _ = first.in_order()
    rows = []
    for report in reports:
        values = report.values
        if values.__class__ is not CellValues:
            return None
        layout, numbers = values.in_order()
        if layout is not paths:
            return None
        rows.append(numbers)
    return {path: n for n, path in enumerate(paths)}, list(zip(*rows))


def rollup(year: int, scope: str, reports: Iterable[Report], missing: Iterable[Left] = (),
           why_not: Callable[[Report], str | None] = uncountable) -> Rollup:
    """Sum ``reports`` (one year) per format version; ``missing`` names the ones that never came;
    ``why_not`` says why a report cannot be summed (``uncountable``, or a cache of it)."""
    counted: dict[str, list[Report]] = {}
    left = list(missing)
    for report in sorted(reports, key=lambda r: r.agency.slug):
        why = why_not(report)
        if why is not None:
            left.append(Left(report.agency.name, report.agency.slug, why))
        else:
            counted.setdefault(report.format.version, []).append(report)
    totals = [sum_reports(group, year, scope) for version, group in sorted(counted.items(), reverse=True)]
    findings = [f for total in totals for f in validate_report(total)]
    return Rollup(year, scope, totals, [r for v in counted.values() for r in v], left, findings)


__all__ = ["Left", "Rollup", "rollup", "sum_reports", "uncountable"]
