"""What a new year's report inherits from the agency's previous one (used by `gongkai new`)."""

from __future__ import annotations

from .formats import FormatSpec
from .model import CellPath, CellValue, Report


def values_carried_from(previous: Report, spec: FormatSpec) -> dict[CellPath, CellValue]:
    """Pre-filled cells: 上年结转 from last year's 结转下年度, and the counts that run on.

    结转下年度 is set to the same figures so the template balances until the editor fills
    in the year; 现行有效件数 (2021) and 上一年项目数量 (2019) start from last year's figures.
    """
    values: dict[CellPath, CellValue] = {}
    before = previous.values  # an archived report's blank cells are absent: nothing to carry from them
    for cell in spec.table("applications").cells():
        if cell.row.path == ("carried_over",) and not cell.column.is_total:
            carried = before.get(("applications", "carried_forward", cell.column.key))
            if carried is not None:
                values[cell.path] = carried
                values[("applications", "carried_forward", cell.column.key)] = carried
    if previous.table("proactive") is not spec.table("proactive"):
        return values
    for cell in spec.table("proactive").cells():
        if cell.column.key == "in_force" and cell.path in before:
            values[cell.path] = before[cell.path]
        elif cell.column.key == "previous_items" and cell.path in before and cell.path[:-1] + ("change",) in before:
            values[cell.path] = before[cell.path] + before[cell.path[:-1] + ("change",)]
    return values
