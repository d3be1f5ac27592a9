"""The typed report: agency, year, format, narrative and every table cell."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Iterator, Mapping, Union

from .formats import CellSpec, FormatSpec, TableSpec
from .loading import Mark
from .roster import Duty, duty_from_name

CellValue = Union[int, Decimal]
CellPath = tuple[str, ...]

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REPORT_TITLE_SUFFIX = "政府信息公开工作年度报告"


@dataclass(frozen=True)
class Agency:
    slug: str  # URL-safe identifier, e.g. "shifan-zhen"
    name: str  # official name, e.g. 示例镇人民政府


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
    values: dict[CellPath, CellValue]
    given_totals: frozenset[CellPath] = frozenset()
    # Where each field was written (``loading.Marks`` for a parsed file: packed, paths shared).
    marks: Mapping[tuple, Mark] = field(default_factory=dict, repr=False)
    draft: bool = False  # `status: draft`: shown in preview, left out of a published build
    # The agency's kind and deadline from the roster (``roster.apply_roster``); None: inferred from the name.
    duty: Duty | None = field(default=None, repr=False, compare=False)

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

    def value(self, cell: CellSpec | CellPath) -> CellValue:
        path = cell.path if isinstance(cell, CellSpec) else cell
        return self.values[path]

    def mark(self, path: CellPath) -> Mark:
        """Source position of a field, or of its nearest written ancestor."""
        probe = tuple(path)
        while probe:
            found = self.marks.get(probe)
            if found:
                return found
            probe = probe[:-1]
        return Mark(1, 1)

    def cells(self, table: TableSpec | None = None) -> Iterator[tuple[CellSpec, CellValue]]:
        tables = (table,) if table else self.format.tables
        for spec in tables:
            for cell in spec.cells():
                yield cell, self.values[cell.path]
