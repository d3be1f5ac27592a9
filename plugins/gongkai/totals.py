"""Which cells are totals, and what they add up: read from the format declaration.

A total column sums the block's other leaf columns; a total row sums every other leaf row
of its group, sub-items included, in every column — the total column too, so the cell where the
two meet (（七）总计 of the 总计 column) is checked both ways. Parsing fills missing totals from here and validation checks given ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from types import MappingProxyType
from typing import Iterator, Mapping

from .formats import Block, CellSpec, Column, LeafRow, TableSpec
from .shared_paths import shared_path

CellPath = tuple[str, ...]


@dataclass(frozen=True)
class TotalRule:
    """``target`` must equal the sum of ``addends``."""

    rule: str  # "total-column" or "total-row"
    target: CellSpec
    addends: tuple[CellSpec, ...]
    # The paths, worked out once: rules are shared by every report and checked for each.
    target_path: CellPath = field(init=False, repr=False, compare=False)
    addend_paths: tuple[CellPath, ...] = field(init=False, repr=False, compare=False)

    @property
    def code(self) -> str:
        """The rule code a mismatch is reported under: total-row-sum or total-column-sum."""
        return f"{self.rule}-sum"

    def __post_init__(self) -> None:
        # The loader's tuples (``shared_path``): a total parsing fills in is keyed by the same object as a given one.
        object.__setattr__(self, "target_path", shared_path(self.target.path))
        object.__setattr__(self, "addend_paths", tuple(shared_path(a.path) for a in self.addends))

    def expected(self, values: Mapping[CellPath, int | Decimal]) -> int | Decimal:
        return sum((values[path] for path in self.addend_paths), 0)


def _leaf_columns(block: Block) -> list[tuple[Column, tuple[Column, ...]]]:
    found: list[tuple[Column, tuple[Column, ...]]] = []

    def walk(columns: tuple[Column, ...], ancestors: tuple[Column, ...]) -> None:
        for column in columns:
            if column.children:
                walk(column.children, ancestors + (column,))
            else:
                found.append((column, ancestors))

    walk(block.columns, ())
    return found


@dataclass(frozen=True)
class _Declared:
    """What a table declaration implies, worked out once: its cells, their labels, its totals."""

    cells: Mapping[CellPath, CellSpec]
    labels: Mapping[CellPath, str]
    rules: tuple[TotalRule, ...]
    leaf_columns: Mapping[str, tuple[Column, ...]]  # by block key


@cache  # keyed by the table declaration itself (hashed by identity); every report of a portal shares it
def _declared(table: TableSpec) -> _Declared:
    cells = {cell.path: cell for cell in table.cells()}
    return _Declared(
        cells=MappingProxyType(cells),
        labels=MappingProxyType({path: cell.label for path, cell in cells.items()}),
        rules=tuple(_total_rules(table, cells)),
        leaf_columns=MappingProxyType({b.key: tuple(c for c, _ in _leaf_columns(b)) for b in table.blocks}),
    )


def cells_by_path(table: TableSpec) -> Mapping[CellPath, CellSpec]:
    """Every cell of the table by its YAML path, in ``table.cells()`` order (computed once per table)."""
    return _declared(table).cells


def cell_labels(table: TableSpec) -> Mapping[CellPath, str]:
    """The official label of every cell by its YAML path (computed once per table)."""
    return _declared(table).labels


def leaf_columns(table: TableSpec, block: Block) -> tuple[Column, ...]:
    """The block's columns that hold values, left to right (computed once per table)."""
    return _declared(table).leaf_columns[block.key]


def total_rules(table: TableSpec) -> Iterator[TotalRule]:
    """Row totals first (they feed the total column of the total row), then column totals, then the
    total row's total column summed down its column (the cell both kinds of total meet in)."""
    return iter(_declared(table).rules)


def _total_rules(table: TableSpec, cells: Mapping[CellPath, CellSpec]) -> Iterator[TotalRule]:
    for block in table.blocks:
        rows = [leaf for b, leaf in table.leaf_rows() if b is block]
        columns = _leaf_columns(block)
        yield from _row_totals(table, cells, rows, [c for c, _ in columns if not c.is_total])
        for leaf in rows:
            for column, _ in columns:
                if not column.is_total:
                    continue
                yield TotalRule(
                    "total-column",
                    cells[_path(table, leaf, column)],
                    tuple(cells[_path(table, leaf, c)] for c, _ in columns if not c.is_total),
                )
        # The total column of a total row is both: after the column totals, so that parsing fills
        # it from its row (as before) and validation checks it down its column as well.
        yield from _row_totals(table, cells, rows, [c for c, _ in columns if c.is_total])


def _row_totals(table: TableSpec, cells: Mapping[CellPath, CellSpec], rows: list[LeafRow],
                columns: list[Column]) -> Iterator[TotalRule]:
    for leaf in rows:
        if not leaf.row.is_total:
            continue
        siblings = _parts(rows, leaf)
        for column in columns:
            yield TotalRule(
                "total-row",
                cells[_path(table, leaf, column)],
                tuple(cells[_path(table, r, column)] for r in siblings),
            )


def _parts(rows: list[LeafRow], total: LeafRow) -> list[LeafRow]:
    """The leaf rows a total row adds up: every other row of its group, sub-items included."""
    group = total.path[:-1]
    return [r for r in rows if r.path[: len(group)] == group and len(r.path) > len(group) and not r.row.is_total]


def _path(table: TableSpec, leaf: LeafRow, column: Column) -> CellPath:
    return (table.key,) + leaf.path + (column.key,)
