"""The typed report: agency, year, format, narrative and every table cell."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from .deadlines import Duty, duty_from_name
from .formats import FORMATS, CellSpec, FormatSpec, Relation, Section, TableSpec
from .marks import Mark, nearest
from .shared_paths import shared_path

CellValue = int | Decimal
R = TypeVar("R")
CellPath = tuple[str, ...]

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REPORT_TITLE_SUFFIX = "政府信息公开工作年度报告"


@dataclass(frozen=True)
class Agency:
    slug: str  # URL-safe identifier, e.g. "shifan-zhen"
    name: str  # official name, e.g. 示例镇人民政府


class CellState(str, Enum):
    """How an archived report published a cell that is not a plain number."""

    BLANK = "blank"  # 空白: left empty as published; not zero
    NOT_APPLICABLE = "not-applicable"  # “/”, “—”, “不适用”…: kept verbatim
    WITH_UNIT = "with-unit"  # an amount written with its unit, e.g. 251000元


@dataclass(frozen=True)
class PublishedCell:
    """A cell of an archived report as published, when it is not a plain number.

    A blank or not-applicable cell has no entry in ``Report.values`` (it is absent from every
    sum); an amount with a unit has its value in 万元 there and its published text here.
    """

    state: CellState
    text: str  # as published: "" when blank, "/" or "不适用" verbatim, "251000元"


BLANK = PublishedCell(CellState.BLANK, "")


@dataclass(frozen=True)
class Archived:
    """The report is an archived, as-published record: numbers kept exactly as published."""

    source: str  # where it was published: a URL or a file name
    retrieved: date | None = None  # when it was copied


@dataclass(frozen=True)
class Discrepancy:
    """An acknowledged inconsistency of the published numbers (原文数据说明): nothing is corrected."""

    rule: str  # rule code from the catalogue, e.g. total-column-sum
    cell: CellPath  # the cell the finding names
    published: str  # the published figure the rule compares ("" for blank)
    expected: str  # what the rule computes

    @property
    def cell_key(self) -> str:
        return ".".join(self.cell)


class CellValues(Mapping[CellPath, CellValue]):
    """A report's cell values, stored compactly: the numbers in a tuple, their paths in an index
    shared by every report that holds the same paths in the same order (``of``).

    Every report stays in memory for the whole build, and a dict of its ~200 cells was two thirds
    of it. A read-only mapping: ``values[path]``, ``get``, ``in``, iteration in the order the
    cells were read; pickled as the index's paths and the numbers.
    """

    __slots__ = ("_index", "_numbers")

    def __init__(self, index: _Layout, numbers: tuple[CellValue, ...]) -> None:
        self._index, self._numbers = index, numbers

    @classmethod
    def of(cls, values: Mapping[CellPath, CellValue]) -> Mapping[CellPath, CellValue]:
        """``values`` stored compactly; as given past ``_LAYOUTS_BOUND`` distinct layouts (cells in many orders)."""
        if isinstance(values, CellValues):
            return values
        index = _layout(tuple(values))
        return values if index is None else cls(index, tuple(values.values()))

    def __getitem__(self, path: CellPath) -> CellValue:
        return self._numbers[self._index[path]]

    def get(self, path: CellPath, default: Any = None) -> Any:
        position = self._index.get(path)
        return default if position is None else self._numbers[position]

    def in_order(self) -> tuple[tuple[CellPath, ...], tuple[CellValue, ...]]:
        """The paths (one tuple shared by every report of the layout) and the values, in the same order."""
        return self._index.paths, self._numbers

    def __contains__(self, path: object) -> bool:
        return path in self._index

    def __iter__(self) -> Iterator[CellPath]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._numbers)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CellValues) and other._index is self._index:
            return other._numbers == self._numbers
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]  # (equal to dicts, which are not hashable)

    def __repr__(self) -> str:
        return repr(dict(self.items()))

    def __reduce__(self) -> tuple[Any, tuple[tuple[CellPath, ...], tuple[CellValue, ...]]]:
        return _cell_values, (self._index.paths, self._numbers)


class _Layout(dict[CellPath, int]):
    """Each path's position, and the paths in order (pickled once per layout: the same tuple every time)."""

    __slots__ = ("paths",)

    def __init__(self, paths: tuple[CellPath, ...]) -> None:
        super().__init__((path, position) for position, path in enumerate(paths))
        self.paths = paths


# One index per layout (the cells' paths in the order a report holds them): a few per portal.
_LAYOUTS: dict[tuple[CellPath, ...], _Layout] = {}
_LAYOUTS_BOUND = 1000


def _layout(paths: tuple[CellPath, ...]) -> _Layout | None:
    index = _LAYOUTS.get(paths)
    if index is None:
        if len(_LAYOUTS) >= _LAYOUTS_BOUND:
            return None
        paths = tuple(shared_path(path) for path in paths)  # the loader's tuples, also for an unpickled layout
        index = _LAYOUTS[paths] = _Layout(paths)
    return index


def _cell_values(paths: tuple[CellPath, ...], numbers: tuple[CellValue, ...]) -> Mapping[CellPath, CellValue]:
    """Unpickled: this process's index of the layout (its own tuples), or a dict past the bound."""
    index = _layout(paths)
    return dict(zip(paths, numbers)) if index is None else CellValues(index, numbers)


@cache
def _sections(version: str, layouts: tuple[tuple[str, str], ...]) -> tuple[Section, ...]:
    """The format's sections with each table in its declared layout (the same objects every time)."""
    chosen = dict(layouts)
    return tuple(
        replace(s, table=FORMATS[chosen[s.key]].table(s.key)) if s.table is not None and s.key in chosen else s
        for s in FORMATS[version].sections
    )


@dataclass
class Report:
    """One agency's report for one year, with totals filled in.

    ``values`` holds every cell of every table, keyed by the cell's YAML path; totals the
    editor left out are computed, and ``given_totals`` says which ones were typed in.
    """

    source: Path
    display_path: str
    agency: Agency
    year: int
    format: FormatSpec
    published: date
    narrative: dict[str, str]
    values: Mapping[CellPath, CellValue]  # a dict, or ``CellValues`` once loaded (``collection``)
    given_totals: frozenset[CellPath] = frozenset()
    # Where each field was written (``loading.Marks`` for a parsed file: packed, paths shared).
    marks: Mapping[tuple[Any, ...], Mark] = field(default_factory=dict, repr=False)
    draft: bool = False  # `status: draft`: shown in preview, left out of a published build
    # The agency's kind and deadline from the roster (``roster.apply_roster``); None: inferred from the name.
    duty: Duty | None = field(default=None, repr=False, compare=False)
    # An archived, as-published record (issue 12): only such a report may hold the three below.
    archived: Archived | None = None
    # Tables published in another national format's layout: table key → format version.
    layouts: Mapping[str, str] = field(default_factory=dict)
    # Cells published as blank, not applicable or with a unit (see ``PublishedCell``).
    as_published: Mapping[CellPath, PublishedCell] = field(default_factory=dict)
    discrepancies: tuple[Discrepancy, ...] = ()

    @property
    def title(self) -> str:
        return f"{self.agency.name}{self.year}年{REPORT_TITLE_SUFFIX}"

    @property
    def obligation(self) -> Duty:
        return self.duty or duty_from_name(self.agency.name)

    @property
    def deadline(self) -> date:
        """The legal deadline (条例第四十九条): by the roster's kind or override, else the name's kind."""
        return self.obligation.deadline(self.year)

    @property
    def is_late(self) -> bool:
        return self.published > self.deadline

    @property
    def key(self) -> tuple[str, int]:
        return (self.agency.slug, self.year)

    @property
    def sections(self) -> tuple[Section, ...]:
        """The six sections, each table in the layout it was published in."""
        if not self.layouts:
            return self.format.sections
        return _sections(self.format.version, tuple(sorted(self.layouts.items())))

    @property
    def tables(self) -> tuple[TableSpec, ...]:
        return tuple(s.table for s in self.sections if s.table is not None)

    def table(self, key: str) -> TableSpec:
        """The declaration of one table as this report holds it (its own layout, if declared)."""
        version = self.layouts.get(key)
        return FORMATS[version].table(key) if version else self.format.table(key)

    def relations_of(self, kind: type[R]) -> tuple[R, ...]:
        """The declared relations of one kind, each from the format whose layout its table is held in."""
        return tuple(r for r in self.relations if isinstance(r, kind))

    @property
    def relations(self) -> tuple[Relation, ...]:
        """Every declared relation, each from the format whose layout its table is held in."""
        if not self.layouts:
            return self.format.relations
        found: list[Relation] = []
        for version in dict.fromkeys((self.format.version, *self.layouts.values())):
            found.extend(r for r in FORMATS[version].relations
                         if self.layout_version(r.table) == version and not any(r is f for f in found))
        return tuple(found)

    def layout_version(self, key: str) -> str:
        """The format version whose rows and columns this report's table ``key`` follows."""
        return self.layouts.get(key, self.format.version)

    def value(self, cell: CellSpec | CellPath) -> CellValue:
        path = cell.path if isinstance(cell, CellSpec) else cell
        return self.values[path]

    def text(self, path: CellPath) -> str:
        """A cell as published: its number, or the blank / not-applicable / with-unit text."""
        special = self.as_published.get(path)
        if special is not None:
            return special.text
        value = self.values.get(path)
        if value is None:
            return ""
        if isinstance(value, Decimal):
            return "0" if value == 0 else format(value.normalize(), "f")
        return str(value)

    def mark(self, path: CellPath) -> Mark:
        """Source position of a field, or of its nearest written ancestor."""
        return nearest(path, self.marks.get)

    def cells(self, table: TableSpec | None = None) -> Iterator[tuple[CellSpec, CellValue | None]]:
        """Every cell with its value; ``None`` for a blank or not-applicable cell of an archived report."""
        tables = (table,) if table else self.tables
        for spec in tables:
            for cell in spec.cells():
                yield cell, self.values.get(cell.path)
