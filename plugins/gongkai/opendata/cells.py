"""Every table cell of a report as one tidy record: official table, row and column labels, value, status.

The labels of a table's cells depend on the declaration only, so they are worked out once per
table (``table_cells``); a report adds its values. ``cell_status`` is the one place a cell's
value and status are read: the downloads, the portal dataset and the roll-up all go through it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..formats import CellSpec, TableSpec
from ..model import CellPath, CellValue, Report

SEPARATOR = " › "
# A cell with a number has status ""; the others say why there is no plain number.
STATUSES = {
    "": "数值",
    "blank": "空白（原文未填）",
    "not-applicable": "不适用（原文如“/”“—”）",
    "with-unit": "原文带单位（数值已折算为表格的单位）",
}


@dataclass(frozen=True)
class CellInfo:
    """What a table's declaration says about one cell (the same for every report)."""

    path: CellPath
    cell: str  # dotted YAML path, the stable id of the cell
    table: str  # official table title, e.g. 三、收到和处理政府信息公开申请情况
    table_key: str
    row: str  # row labels, outermost first (table 二: the block's label first), joined by " › "
    column: str  # column labels, outermost first, joined by " › "
    is_total: bool


@dataclass(frozen=True)
class CellRecord:
    info: CellInfo
    value: CellValue | None  # None: no number published (see status)
    status: str  # "" for a number; "blank", "not-applicable" or "with-unit"
    text: str  # as published: the number as the form prints it, or the verbatim text
    computed: bool  # a total the editor left out, computed by gongkai


def row_label(cell: CellSpec) -> str:
    parts = [cell.block.label] if len(cell.table.blocks) > 1 else []
    parts.extend(cell.row.label_path)
    return SEPARATOR.join(parts)


def column_label(cell: CellSpec) -> str:
    return SEPARATOR.join([c.label for c in cell.column_ancestors] + [cell.column.label])


_TABLE_CELLS: dict[int, tuple[TableSpec, tuple[CellInfo, ...]]] = {}


def table_cells(table: TableSpec) -> tuple[CellInfo, ...]:
    """Every cell of a table with its labels, in the form's order (cached by declaration)."""
    cached = _TABLE_CELLS.get(id(table))
    if cached is None or cached[0] is not table:
        infos = tuple(CellInfo(c.path, ".".join(c.path), table.title, table.key, row_label(c), column_label(c),
                               c.is_total) for c in table.cells())
        cached = _TABLE_CELLS[id(table)] = (table, infos)
    return cached[1]


def tables_of(report: Report) -> tuple[TableSpec, ...]:
    """The tables as this report holds them (an archived report may keep another format's layout)."""
    return report.tables


def number_text(value: CellValue) -> str:
    if value.__class__ is int:
        return str(value)
    if isinstance(value, Decimal):
        return "0" if value == 0 else format(value.normalize(), "f")
    return str(value)


_PATHS: dict[int, tuple[Iterable[CellInfo], tuple[CellPath, ...]]] = {}


def _paths(infos: Iterable[CellInfo]) -> tuple[CellPath, ...]:
    """The cells' paths, worked out once per table (``table_cells``' tuple), else each time."""
    if not isinstance(infos, tuple):
        return tuple(info.path for info in infos)
    cached = _PATHS.get(id(infos))
    if cached is None or cached[0] is not infos:
        cached = _PATHS[id(infos)] = (infos, tuple(info.path for info in infos))
    return cached[1]


def cell_states(report: Report, infos: Iterable[CellInfo]) -> list[tuple[CellValue | None, str, str]]:
    """(value, status, published text) of each cell: the one place a cell's status is read.

    An archived report (``Report.as_published``) may publish a cell blank, not applicable or
    with its unit (status "blank", "not-applicable", "with-unit"); every other cell is a number
    (status "").
    """
    published = report.as_published
    values = report.values
    if not published:  # every cell a number (or None): one pass over the values
        return [(value, "", str(value)) if value.__class__ is int
                else (value, "", number_text(value) if value is not None else "")
                for value in map(values.get, _paths(infos))]
    out: list[tuple[CellValue | None, str, str]] = []
    for info in infos:
        special = published.get(info.path) if published else None
        value = values.get(info.path)
        if special is not None:
            out.append((value, str(special.state.value), special.text))
        elif value.__class__ is int:
            out.append((value, "", str(value)))
        else:
            out.append((value, "", number_text(value) if value is not None else ""))
    return out


def cell_records(report: Report, table: TableSpec | None = None) -> Iterator[CellRecord]:
    given = report.given_totals
    for spec in (table,) if table is not None else tables_of(report):
        infos = table_cells(spec)
        for info, (value, status, text) in zip(infos, cell_states(report, infos)):
            yield CellRecord(info, value, status, text, info.is_total and not status and info.path not in given)


def json_number(value: CellValue | None) -> int | float | None:
    """A cell's number for JSON: integers stay integers; 万元 amounts as decimals."""
    if value is None or value.__class__ is int:
        return value
    assert isinstance(value, Decimal)
    return int(value) if value == value.to_integral_value() else float(value)
