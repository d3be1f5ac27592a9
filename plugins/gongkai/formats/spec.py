"""Building blocks for declaring a national report format as data.

A format is declared once (rows, columns, spans, official labels, and the relations its
figures must keep); the loader, the validator, the renderer, the importer, the `new`
scaffold and the exports all read it.

The declaration classes compare and hash by identity (``eq=False``): each is declared once
and shared, so anything worked out from one can be cached with ``functools.cache``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Iterator, Literal, TypeVar


class Kind(str, Enum):
    """What a cell may hold."""

    COUNT = "count"  # non-negative integer
    SIGNED = "signed"  # integer that may be negative (e.g. 本年增/减)
    AMOUNT = "amount"  # non-negative decimal (e.g. 万元)


@dataclass(frozen=True, eq=False)
class Column:
    """A leaf column, or a column group when it has children."""

    key: str
    label: str
    kind: Kind = Kind.COUNT
    children: tuple["Column", ...] = ()
    is_total: bool = False  # computed when left out, checked when given

    @property
    def is_group(self) -> bool:
        return bool(self.children)

    def leaves(self) -> Iterator["Column"]:
        if self.children:
            for child in self.children:
                yield from child.leaves()
        else:
            yield self


@dataclass(frozen=True, eq=False)
class Row:
    """A data row, or a row group (its own cells are not reported) when it has children."""

    key: str
    label: str
    children: tuple["Row", ...] = ()
    is_total: bool = False
    # False for groups the official cell labels leave out (e.g. 三、本年度办理结果).
    in_label_path: bool = True

    @property
    def is_group(self) -> bool:
        return bool(self.children)


RowPath = tuple[str, ...]

# "grid": rows down the side, columns across the top (tables 二, 三).
# "single-line": each leaf row becomes a group of column headers over one line of cells (table 四).
TableLayout = Literal["grid", "single-line"]


@dataclass(frozen=True)
class LeafRow:
    """A row that carries values, with where it sits in the row tree."""

    path: RowPath  # YAML keys from the table down to this row
    row: Row
    ancestors: tuple[Row, ...]  # groups above it, outermost first

    @property
    def key(self) -> str:
        return self.row.key

    @property
    def label_path(self) -> tuple[str, ...]:
        labels = [g.label for g in self.ancestors if g.in_label_path]
        labels.append(self.row.label)
        return tuple(labels)


@dataclass(frozen=True, eq=False)
class Block:
    """A sub-table with its own header line (e.g. 第二十条第（一）项 in table 二)."""

    key: str
    label: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    row_header_label: str = "信息内容"


@dataclass(frozen=True, eq=False)
class TableSpec:
    """One statistical table of the format.

    ``blocks`` with a single block is the ordinary case; table 二 has one block per
    article of the regulation, each with its own columns.
    """

    key: str  # YAML key of the section, e.g. "applications"
    number: str  # 二 / 三 / 四
    title: str  # official section title with its number
    blocks: tuple[Block, ...]
    note: str = ""  # text the official table prints above itself
    corner_label: str = ""  # label of the top-left header cell
    layout: TableLayout = "grid"  # how the official form lays the rows and columns out

    def leaf_rows(self) -> Iterator[tuple[Block, LeafRow]]:
        for block in self.blocks:
            for row in block.rows:
                yield from ((block, leaf) for leaf in _leaf_rows(row, (), ()))

    def cells(self) -> Iterator["CellSpec"]:
        for block, leaf in self.leaf_rows():
            for column in _leaf_columns_with_ancestors(block.columns):
                yield CellSpec(table=self, block=block, row=leaf, column=column[-1], column_ancestors=column[:-1])

    def block_of_row(self, row_key: str) -> Block:
        for block, leaf in self.leaf_rows():
            if leaf.path[0] == row_key:
                return block
        raise KeyError(row_key)


def _leaf_rows(row: Row, path: RowPath, ancestors: tuple[Row, ...]) -> Iterator[LeafRow]:
    here = path + (row.key,)
    if row.children:
        for child in row.children:
            yield from _leaf_rows(child, here, ancestors + (row,))
    else:
        yield LeafRow(path=here, row=row, ancestors=ancestors)


def _leaf_columns_with_ancestors(columns: tuple[Column, ...]) -> Iterator[tuple[Column, ...]]:
    for column in columns:
        if column.children:
            for sub in _leaf_columns_with_ancestors(column.children):
                yield (column,) + sub
        else:
            yield (column,)


@dataclass(frozen=True)
class CellSpec:
    """One reportable cell: a leaf row crossed with a leaf column."""

    table: TableSpec
    block: Block
    row: LeafRow
    column: Column
    column_ancestors: tuple[Column, ...] = ()

    @property
    def path(self) -> tuple[str, ...]:
        """YAML path of the cell, e.g. ("applications", "results", "total", "natural_person")."""
        return (self.table.key,) + self.row.path + (self.column.key,)

    @property
    def label(self) -> str:
        """Official label, e.g. 三、收到和处理政府信息公开申请情况 › （七）总计 › 自然人."""
        parts = [self.table.title]
        if len(self.table.blocks) > 1:
            parts.append(self.block.label)
        parts.extend(self.row.label_path)
        parts.extend(c.label for c in self.column_ancestors)
        parts.append(self.column.label)
        return " › ".join(parts)

    @property
    def is_total(self) -> bool:
        return self.column.is_total or self.row.row.is_total


@dataclass(frozen=True, eq=False)
class Section:
    """One of the six official sections; narrative ones have no table."""

    number: str  # 一 … 六
    title: str  # e.g. 一、总体情况
    key: str  # YAML key
    table: TableSpec | None = None

    @property
    def is_narrative(self) -> bool:
        return self.table is None


# --- relations the figures keep -----------------------------------------------------------
# Totals are declared where they stand (``is_total`` on a row or column); the relations
# below tie other rows together, within one report or from one year's report to the next.
# Each names the rule code (see ``rules.py``) its mismatch is reported under.

Term = tuple[str, RowPath]  # a row, with the name the rule's message gives it


@dataclass(frozen=True, eq=False)
class Balance:
    """Within one report, column by column: the ``left`` rows add up to the ``right`` rows."""

    rule: str
    table: str  # the table's key
    left: tuple[Term, ...]
    right: tuple[Term, ...]
    at: RowPath  # the row whose cells a mismatch points at


@dataclass(frozen=True, eq=False)
class CarryOver:
    """From one year to the next, column by column: ``row`` equals last year's ``source`` row."""

    rule: str
    table: str
    row: RowPath  # e.g. 二、上年结转
    source: RowPath  # e.g. 四、结转下年度继续办理, in last year's report


Sign = int  # +1 or -1


@dataclass(frozen=True, eq=False)
class RunningCount:
    """From one year to the next (same format), row by row: ``column`` is usually last year's
    ``last`` columns plus this year's ``this`` columns, each with its sign."""

    rule: str
    table: str
    column: str  # the column that runs on, e.g. in_force
    last: tuple[tuple[str, Sign], ...]  # columns of last year's row
    this: tuple[tuple[str, Sign], ...] = ()  # columns of this year's row


Relation = Balance | CarryOver | RunningCount
R = TypeVar("R", Balance, CarryOver, RunningCount)


@dataclass(frozen=True, eq=False)
class FormatSpec:
    """A national report format (国办公开办函〔2021〕30号 or 〔2019〕60号)."""

    version: str  # "2021" or "2019"
    document: str  # the notice that set the format
    first_year: int
    last_year: int | None
    sections: tuple[Section, ...]
    relations: tuple[Relation, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def tables(self) -> tuple[TableSpec, ...]:
        return tuple(s.table for s in self.sections if s.table is not None)

    @property
    def narrative_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.is_narrative)

    def table(self, key: str) -> TableSpec:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    def relations_of(self, kind: type[R]) -> tuple[R, ...]:
        """The declared relations of one kind (``Balance``, ``CarryOver``, ``RunningCount``)."""
        return tuple(r for r in self.relations if isinstance(r, kind))
