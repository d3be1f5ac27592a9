"""What a new year's report inherits from the agency's previous one (used by `gongkai new`).

Read from the relations the format declares: a ``CarryOver`` row starts as last year's source
row, and a ``RunningCount`` column starts where last year's figures leave it.
"""

from __future__ import annotations

from .formats import CarryOver, FormatSpec, RunningCount
from .model import CellPath, CellValue, Report


def values_carried_from(previous: Report, spec: FormatSpec) -> dict[CellPath, CellValue]:
    """Pre-filled cells: 上年结转 from last year's 结转下年度, and the counts that run on.

    The source row (结转下年度) is set to the same figures so the template balances until the
    editor fills in the year; running counts (现行有效件数, 上一年项目数量) start from last year's
    figures, as if nothing changed this year.
    """
    values: dict[CellPath, CellValue] = {}
    before = previous.values  # an archived report's blank cells are absent: nothing is carried from them
    for carry in spec.relations_of(CarryOver):
        for cell in spec.table(carry.table).cells():
            if cell.row.path == carry.row and not cell.column.is_total:
                source = (carry.table,) + carry.source + (cell.column.key,)
                if source in before:
                    values[cell.path] = values[source] = before[source]
    for count in spec.relations_of(RunningCount):
        if previous.table(count.table) is not spec.table(count.table):
            continue  # last year's table in another layout
        for cell in spec.table(count.table).cells():
            if cell.column.key == count.column:
                row = cell.path[:-1]
                if all(row + (column,) in before for column, _ in count.last):
                    values[cell.path] = sum((sign * before[row + (column,)] for column, sign in count.last), 0)
    return values
