"""One table reader for every source: walks the format declaration and picks the numbers.

For each leaf row it finds the row's official label (leniently, see ``normalize``), then
takes the next N numbers, N being the leaf columns of the row's block. A table laid out on a
single line (table 四) lists its row labels as header groups, then all numbers in a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..findings import Finding
from ..formats import Block, Column, Kind, LeafRow, TableSpec
from ..marks import Mark
from ..model import CellPath, CellValue
from ..parsing import (  # what an archived report may hold as published
    AMOUNT_WITH_UNIT,
    NOT_APPLICABLE,
)
from ..rules import Where, finding, phrase
from .normalize import is_number, label_keys, match_key, to_decimal
from .similar import THRESHOLD, score
from .source import Token, source_error

MAX_LABEL_PIECES = 24  # a label split over more cells than this (spaced-out characters) is not looked for
MAX_WRAP_PIECES = 6  # a published label that does not match exactly is looked for in this many cells
_WITH_UNIT = re.compile(AMOUNT_WITH_UNIT)  # the parser's own pattern: what is imported reads back
BLANK = ""  # the text of a token standing for an empty table cell (readers that see the grid)


def cell_kind(text: str) -> str | None:
    """What a cell holds: "number", "blank", "not-applicable", "with-unit", or None for text."""
    if text == BLANK:
        return "blank"
    if is_number(text):
        return "number"
    folded = text.strip()
    if folded in NOT_APPLICABLE:
        return "not-applicable"
    if _WITH_UNIT.fullmatch(folded.replace(" ", "")):
        return "with-unit"
    return None


def is_value(text: str) -> bool:
    return cell_kind(text) is not None


def is_figure(text: str) -> bool:
    """A value that is not a blank cell: a number, a dash or slash, an amount with its unit."""
    kind = cell_kind(text)
    return kind is not None and kind != "blank"


def amount_in_wanyuan(text: str) -> Decimal:
    """``251000元`` → 25.1 (万元, the unit of the national format); ``25.1万元`` → 25.1."""
    match = _WITH_UNIT.fullmatch(text.strip().replace(" ", ""))
    assert match is not None
    number = Decimal(match.group(1).replace(",", ""))
    return number / 10000 if match.group(2) == "元" else number


@dataclass
class TableValues:
    """The numbers read from one table, each with the source line it came from."""

    values: dict[CellPath, CellValue]
    marks: dict[CellPath, Mark]
    published: dict[CellPath, str] = field(default_factory=dict)  # blank, not-applicable, with-unit: the text
    warnings: list[Finding] = field(default_factory=list)  # labels taken by similarity


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
        if not piece or is_value(tokens[index].text):  # a lone dash or slash is a cell, not part of a label
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
        self.published: dict[CellPath, str] = {}
        self.warnings: list[Finding] = []
        self.leaves = [leaf for _, leaf in table.leaf_rows()]
        self.similar: tuple[LeafRow, Finding] | None = None  # the last row taken by similarity, and its warning

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
            kind = cell_kind(token.text) if token is not None else None
            if token is None or kind is None:
                found = phrase("found-some", count=offset) if offset else phrase("found-none")
                then = phrase("then-text", text=_short(token.text)) if token is not None else phrase("then-end")
                raise self.fail("import-too-few-cells", token or after, self.row_label(leaf), place=where,
                                count=len(cells), found=found, then=then)
            path = (self.table.key,) + leaf.path + (column.key,)
            self.marks[path] = Mark(token.line, 1)
            if kind == "number":
                self.values[path] = self.value(token, column, leaf)
            elif kind == "with-unit":
                if column.kind is not Kind.AMOUNT:
                    raise TableError(finding("import-unit-misplaced", self.where(token, self.row_label(leaf)),
                                             column=column.label, text=token.text))
                self.values[path] = amount_in_wanyuan(token.text)
                self.published[path] = token.text.strip()
            else:
                self.published[path] = token.text.strip()  # "" blank, or "/" "—" "不适用" as published
        return start + len(cells)

    def where(self, token: Token, label: str) -> Where:
        return Where.at(self.display, Mark(token.line, 1) if token.line else None, label=label)

    def no_numbers(self, start: int, stop: int, previous: str, wanted: str) -> None:
        """Numbers between two rows mean a row with too many cells, or a label not recognised."""
        for token in self.tokens[start:stop]:
            if is_figure(token.text):
                raise self.fail("import-extra-cells", token, row=wanted, number=token.text, previous=previous)

    # --- layouts ----------------------------------------------------------------------

    def find_row(self, leaf: LeafRow, start: int, previous: str) -> tuple[int, int]:
        """The row's label before the next figures: as written, else the most similar one (with a warning)."""
        keys = label_keys(leaf.row.label)
        boundary = next((i for i in range(start, len(self.tokens)) if is_figure(self.tokens[i].text)),
                        len(self.tokens))
        found = find_label(self.tokens, start, boundary, keys)
        if found is not None:
            return found
        similar = self.similar_label(leaf, start, boundary)
        if similar is not None:
            return similar
        found = find_label(self.tokens, start, len(self.tokens), keys)
        wanted = leaf.row.label
        if found is None:
            raise self.fail("import-missing-row", self.last_token(start), self.row_label(leaf), row=wanted,
                            previous=previous)
        self.no_numbers(start, found[0], previous, wanted)
        return found

    def similar_label(self, leaf: LeafRow, start: int, stop: int) -> tuple[int, int] | None:
        """The first run of text cells in ``[start, stop)`` ending in a label like this row's, not like another's."""
        keys = label_keys(leaf.row.label)
        others = [label_keys(other.row.label) for other in self.leaves if other is not leaf]
        index = start
        while index < stop:
            if not match_key(self.tokens[index].text) or is_value(self.tokens[index].text):
                index += 1
                continue
            end = index
            while end < stop and match_key(self.tokens[end].text) and not is_value(self.tokens[end].text):
                end += 1
            best: tuple[float, int] = (0.0, end)
            for first in range(max(index, end - MAX_WRAP_PIECES), end):  # the label ends the run
                text = "".join(match_key(t.text) for t in self.tokens[first:end])
                value = max(score(text, k) for k in keys)
                if value > best[0] and all(value >= max(score(text, k) for k in other) for other in others):
                    best = (value, first)
            if best[0] >= THRESHOLD:
                published = "".join(t.text for t in self.tokens[best[1]:end])
                warning = finding("import-approximate-label", self.where(self.tokens[best[1]], self.row_label(leaf)),
                                  published=_short(published, 40), official=leaf.row.label)
                self.warnings.append(warning)
                self.similar = (leaf, warning)
                return best[1], end
            index = end
        return None

    def last_token(self, index: int) -> Token:
        return self.tokens[min(index, len(self.tokens) - 1)] if self.tokens else self.title

    def read_grid(self) -> None:
        position, previous = 0, phrase("header", label=self.table.title)
        for block, leaf in self.table.leaf_rows():
            start, stop = self.find_row(leaf, position, previous)
            cells = [(leaf, column) for column in _leaf_columns(block)]
            position = self.take(stop, cells, phrase("this-row"), self.tokens[stop - 1])
            position = self.wrapped_rest(leaf, start, stop, position)
            previous = phrase("row", label=leaf.row.label)
        self.check_rest(position, previous)

    def wrapped_rest(self, leaf: LeafRow, start: int, stop: int, position: int) -> int:
        """A label wrapped around its numbers (head, numbers, tail) is exact after all: no warning, tail skipped."""
        if not self.similar or self.similar[0] is not leaf:
            return position
        _, warning = self.similar
        self.similar = None
        keys = label_keys(leaf.row.label)
        head = "".join(match_key(t.text) for t in self.tokens[start:stop])
        tail = ""
        for index in range(position, min(position + MAX_WRAP_PIECES, len(self.tokens))):
            text = self.tokens[index].text
            if is_value(text) or not match_key(text):
                break
            tail += match_key(text)
            if head + tail in keys:
                self.warnings.remove(warning)
                return index + 1
        return position

    def read_single_line(self) -> None:
        position, previous = 0, phrase("header", label=self.table.title)
        cells: list[tuple[LeafRow, Column]] = []
        after_first = 0  # where the first header ends: figures printed in pieces start after it
        for block, leaf in self.table.leaf_rows():
            # a header as written, even past figures (行政复议 with its numbers, then 行政诉讼); else as in a grid
            found = find_label(self.tokens, position, len(self.tokens), label_keys(leaf.row.label))
            _, position = found or self.find_row(leaf, position, previous)
            after_first = after_first or position
            previous = phrase("header", label=leaf.row.label)
            cells.extend((leaf, column) for column in _leaf_columns(block))
        first = self.value_run(position, len(cells))
        if first is None:
            raise self.fail("import-too-few-cells", self.last_token(position), variant="none-after-header",
                            count=len(cells))
        whole = self.tokens[first: first + len(cells)]
        scattered = self.scattered_values(after_first, len(cells))
        if scattered is not None and not (len(whole) == len(cells) and all(is_value(t.text) for t in whole)):
            self.tokens = [self.tokens[i] for i in scattered]  # the line of numbers printed in pieces
            first = 0
        position = self.take(first, cells, phrase("after-header"), self.tokens[first])
        self.check_rest(position, phrase("numbers-of-line", count=len(cells)))

    def scattered_values(self, start: int, count: int) -> list[int] | None:
        """Exactly ``count`` figures after the headers, with text between them (行政复议 and 行政诉讼 printed apart)."""
        figures = [i for i in range(start, len(self.tokens)) if is_figure(self.tokens[i].text)]
        return figures if len(figures) == count else None

    def value_run(self, start: int, count: int) -> int | None:
        """Where the line of numbers starts: the first run of exactly ``count`` cells, else the first figure.

        Empty header cells (a blank row under 行政复议) form runs of their own before it.
        """
        runs: list[tuple[int, int]] = []
        index = start
        while index < len(self.tokens):
            if is_value(self.tokens[index].text):
                end = index
                while end < len(self.tokens) and is_value(self.tokens[end].text):
                    end += 1
                runs.append((index, end))
                index = end
            else:
                index += 1
        exact = next((begin for begin, end in runs if end - begin == count), None)
        if exact is not None:
            return exact
        return next((i for i in range(start, len(self.tokens)) if is_figure(self.tokens[i].text)), None)

    def check_rest(self, position: int, previous: str) -> None:
        for token in self.tokens[position:]:
            if is_figure(token.text):
                raise self.fail("import-extra-cells", token, variant="at-end", number=token.text, previous=previous)


def read_table(display: str, table: TableSpec, tokens: list[Token], title: Token) -> TableValues:
    """The numbers of ``table`` from the cells of its section; raises ``TableError`` saying where."""
    reader = _Reader(display, table, tokens, title)
    if getattr(table, "layout", "grid") == "single-line":
        reader.read_single_line()
    else:
        reader.read_grid()
    return TableValues(reader.values, reader.marks, reader.published, reader.warnings)
