"""Which cells are totals, and what they add up: read from the format declaration.

A total column sums the block's other leaf columns; a total row sums every other leaf row
of its group, sub-items included. Parsing fills missing totals from here and validation checks given ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator, Mapping

from .formats import Block, CellSpec, Column, LeafRow, TableSpec

CellPath = tuple[str, ...]


@dataclass(frozen=True)
class TotalRule:
    """``target`` must equal the sum of ``addends``."""

    rule: str  # "total-column" or "total-row"
    target: CellSpec
    addends: tuple[CellSpec, ...]

    def expected(self, values: Mapping[CellPath, object]) -> int | Decimal:
        return sum((values[a.path] for a in self.addends), 0)  # type: ignore[arg-type, return-value]


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


def total_rules(table: TableSpec) -> Iterator[TotalRule]:
    """Row totals first (they feed the total column of the total row), then column totals."""
    cells = {cell.path: cell for cell in table.cells()}
    for block in table.blocks:
        rows = [leaf for b, leaf in table.leaf_rows() if b is block]
        columns = _leaf_columns(block)
        for leaf in rows:
            if not leaf.row.is_total:
                continue
            group = leaf.path[:-1]
            siblings = [
                r for r in rows if r.path[: len(group)] == group and len(r.path) > len(group) and not r.row.is_total
            ]
            for column, _ in columns:
                if column.is_total:
                    continue
                yield TotalRule(
                    "total-row",
                    cells[_path(table, leaf, column)],
                    tuple(cells[_path(table, r, column)] for r in siblings),
                )
        for leaf in rows:
            for column, _ in columns:
                if not column.is_total:
                    continue
                yield TotalRule(
                    "total-column",
                    cells[_path(table, leaf, column)],
                    tuple(cells[_path(table, leaf, c)] for c, _ in columns if not c.is_total),
                )


def _path(table: TableSpec, leaf: LeafRow, column: Column) -> CellPath:
    return (table.key,) + leaf.path + (column.key,)
