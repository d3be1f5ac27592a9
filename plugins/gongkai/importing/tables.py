"""One table reader for every source: walks the format declaration and picks the numbers.

For each leaf row it finds the row's official label (leniently, see ``normalize``), then
takes the next N numbers, N being the leaf columns of the row's block. A table laid out on a
single line (table 四) lists its row labels as header groups, then all numbers in a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..findings import Finding
from ..formats import Block, Column, Kind, LeafRow, TableSpec
from ..marks import Mark
from ..model import CellPath, CellValue
from ..rules import phrase
from .normalize import is_number, label_keys, match_key, to_decimal
from .source import Token, source_error

MAX_LABEL_PIECES = 8  # a label split over more cells than this is not looked for


@dataclass
class TableValues:
    """The numbers read from one table, each with the source line it came from."""

    values: dict[CellPath, CellValue]
    marks: dict[CellPath, Mark]


class TableError(Exception):
    """Where a table stops making sense; reading that table ends there."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def match_label(tokens: list[Token], start: int, end: int, keys: frozenset[str]) -> int | None:
    """End (exclusive) of the longest run of cells from ``start`` that spells one of ``keys``."""
    text, best = "", None
    for index in range(start, min(end, start + MAX_LABEL_PIECES)):
        piece = match_key(tokens[index].text)
        if not piece or is_number(tokens[index].text):  # a lone dash or slash is a cell, not part of a label
            break
        text += piece
        if text in keys:
            best = index + 1
        if not any(key.startswith(text) for key in keys):
            break
    return best


def find_label(tokens: list[Token], start: int, end: int, keys: frozenset[str]) -> tuple[int, int] | None:
    """First place in ``tokens[start:end]`` where a label starts: (its start, its end)."""
    for index in range(start, end):
        stop = match_label(tokens, index, end, keys)
        if stop is not None:
            return index, stop
    return None


def _leaf_columns(block: Block) -> list[Column]:
    return [leaf for column in block.columns for leaf in column.leaves()]


def _placeholder(text: str) -> bool:
    """A cell standing where a number should: a dash, a slash, 无, 空 (not a label)."""
    return len(text) <= 3 and not is_number(text) and (not match_key(text) or text in ("无", "空", "暂无"))


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Reader:
    """Reads one table's cells in order, remembering each number's source line for findings."""

    def __init__(self, display: str, table: TableSpec, tokens: list[Token], title: Token) -> None:
        self.display = display
        self.table = table
        self.tokens = tokens  # the cells between this table's section title and the next section
        self.title = title
        self.values: dict[CellPath, CellValue] = {}
        self.marks: dict[CellPath, Mark] = {}

    def fail(self, rule: str, token: Token | None, label: str = "", **fields: Any) -> TableError:
        return TableError(source_error(self.display, rule, token or self.title, label or self.table.title, **fields))

    def row_label(self, leaf: LeafRow) -> str:
        return f"{self.table.title} › {' › '.join(leaf.label_path)}"

    # --- cells ------------------------------------------------------------------------

    def value(self, token: Token, column: Column, leaf: LeafRow) -> CellValue:
        label = self.row_label(leaf)
        number = to_decimal(token.text)
        if number is None:
            raise self.fail("import-not-a-number", token, label, column=column.label, text=_short(token.text))
        if column.kind is Kind.AMOUNT:
            if number < 0:
                raise self.fail("import-not-a-number", token, label, variant="negative-amount", column=column.label,
                                text=token.text)
            return number
        if number != number.to_integral_value() or "." in token.text:
            raise self.fail("import-not-a-number", token, label, variant="not-an-integer", column=column.label,
                            text=token.text)
        if column.kind is Kind.COUNT and number < 0:
            raise self.fail("import-not-a-number", token, label, variant="negative-count", column=column.label,
                            text=token.text)
        return int(number)

    def take(self, start: int, cells: list[tuple[LeafRow, Column]], where: str, after: Token) -> int:
        """Reads ``len(cells)`` numbers from ``start``; returns the index after the last one."""
        for offset, (leaf, column) in enumerate(cells):
            index = start + offset
            token = self.tokens[index] if index < len(self.tokens) else None
            if token is not None and _placeholder(token.text):
                raise self.fail("import-not-a-number", token, self.row_label(leaf), variant="placeholder",
                                column=column.label, text=token.text)
            if token is None or not is_number(token.text):
                found = phrase("found-some", count=offset) if offset else phrase("found-none")
                then = phrase("then-text", text=_short(token.text)) if token is not None else phrase("then-end")
                raise self.fail("import-too-few-cells", token or after, self.row_label(leaf), place=where,
                                count=len(cells), found=found, then=then)
            path = (self.table.key,) + leaf.path + (column.key,)
            self.marks[path] = Mark(token.line, 1)
            self.values[path] = self.value(token, column, leaf)
        return start + len(cells)

    def no_numbers(self, start: int, stop: int, previous: str, wanted: str) -> None:
        """Numbers between two rows mean a row with too many cells, or a label not recognised."""
        for token in self.tokens[start:stop]:
            if is_number(token.text):
                raise self.fail("import-extra-cells", token, row=wanted, number=token.text, previous=previous)

    # --- layouts ----------------------------------------------------------------------

    def find_row(self, leaf: LeafRow, start: int, previous: str) -> tuple[int, int]:
        keys = label_keys(leaf.row.label)
        found = find_label(self.tokens, start, len(self.tokens), keys)
        wanted = leaf.row.label
        if found is None:
            raise self.fail("import-missing-row", self.last_token(start), self.row_label(leaf), row=wanted,
                            previous=previous)
        self.no_numbers(start, found[0], previous, wanted)
        return found

    def last_token(self, index: int) -> Token:
        return self.tokens[min(index, len(self.tokens) - 1)] if self.tokens else self.title

    def read_grid(self) -> None:
        position, previous = 0, phrase("header", label=self.table.title)
        for block, leaf in self.table.leaf_rows():
            start, stop = self.find_row(leaf, position, previous)
            cells = [(leaf, column) for column in _leaf_columns(block)]
            position = self.take(stop, cells, phrase("this-row"), self.tokens[stop - 1])
            previous = phrase("row", label=leaf.row.label)
        self.check_rest(position, previous)

    def read_single_line(self) -> None:
        position, previous = 0, phrase("header", label=self.table.title)
        cells: list[tuple[LeafRow, Column]] = []
        for block, leaf in self.table.leaf_rows():
            _, position = self.find_row(leaf, position, previous)
            previous = phrase("header", label=leaf.row.label)
            cells.extend((leaf, column) for column in _leaf_columns(block))
        first = next((i for i in range(position, len(self.tokens)) if is_number(self.tokens[i].text)), None)
        if first is None:
            raise self.fail("import-too-few-cells", self.last_token(position), variant="none-after-header",
                            count=len(cells))
        position = self.take(first, cells, phrase("after-header"), self.tokens[first])
        self.check_rest(position, phrase("numbers-of-line", count=len(cells)))

    def check_rest(self, position: int, previous: str) -> None:
        for token in self.tokens[position:]:
            if is_number(token.text):
                raise self.fail("import-extra-cells", token, variant="at-end", number=token.text, previous=previous)


def read_table(display: str, table: TableSpec, tokens: list[Token], title: Token) -> TableValues:
    """The numbers of ``table`` from the cells of its section; raises ``TableError`` saying where."""
    reader = _Reader(display, table, tokens, title)
    if getattr(table, "layout", "grid") == "single-line":
        reader.read_single_line()
    else:
        reader.read_grid()
    return TableValues(reader.values, reader.marks)
