"""Load, type-check and validate every report of a portal, parsing each file once.

The findings are everything a build would refuse: each file's own, those across files
(``validate_collection``) and agency codes the site's URLs cannot hold (``check_layout``).

``ReportStore`` keeps parsed reports keyed by (path, size, mtime_ns), so that a
``mkdocs serve`` rebuild re-reads only the files that changed. Pass ``cache=False``
(or make a new store) to bypass it.

Every report stays in memory for the whole build (the listings, open data and the pages read
them), so what each keeps is kept small: once a report is validated, its source positions
(``Report.marks``, half of a parsed report) are dropped and read again from the file only if a
later finding asks for one (``_MarksOnDemand``); identical ``given_totals`` sets are shared.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from .findings import Finding, has_errors
from .indexing import check_layout
from .loading import load_file
from .loading_pool import START_METHOD, Parsed, parse_file, parse_in_parallel
from .marks import Mark
from .model import CellPath, CellValues, Report
from .placement import REPORT_SUFFIXES, Found, display_path, survey
from .roster import ROSTER_FILE, Roster, apply_roster, load_roster
from .rules import Where, finding
from .validation import validate_collection

__all__ = ["REPORT_SUFFIXES", "Portal", "ReportStore", "find_report_files", "load_portal"]


@dataclass
class Portal:
    """Every report found, and every finding about them."""

    reports: list[Report]
    findings: list[Finding]
    files: list[Path] = field(default_factory=list)
    changed: list[Path] = field(default_factory=list)  # files (re)parsed in this load
    roster: Roster | None = None  # reports/roster.yml, when the portal has one

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


def find_report_files(paths: Iterable[Path]) -> list[Path]:
    """Every report file under the given files and folders, hidden ones left out (see ``placement``)."""
    return [found.path for found in survey(paths)[0]]


def _display(path: Path, resolved: Path, base: Path | None) -> str:
    """The file relative to the (resolved) base when it lies under it, else as given (a link by its own name)."""
    return display_path(path, base, resolved)


class _MarksOnDemand(Mapping[tuple[Any, ...], Mark]):
    """A validated report's source positions, read again from its file when first asked for.

    Findings after validation are rare (a cross-year check, a late warning); holding every
    report's positions for them was half of a large portal's memory.
    """

    __slots__ = ("_path", "_display", "_marks")

    def __init__(self, path: Path, display: str) -> None:
        self._path, self._display = path, display
        self._marks: Mapping[tuple[Any, ...], Mark] | None = None

    def _loaded(self) -> Mapping[tuple[Any, ...], Mark]:
        if self._marks is None:
            document, _ = load_file(self._path, self._display)
            self._marks = document.marks() if document is not None else {}
        return self._marks

    def __getitem__(self, path: tuple[Any, ...]) -> Mark:
        return self._loaded()[path]

    def get(self, path: tuple[Any, ...], default: Any = None) -> Any:
        return self._loaded().get(path, default)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())


# From how many files to read on, a load reads them in two processes (``loading_pool``): below, starting
# the worker costs more than it saves; and a `mkdocs serve` store reads in this process (``parallel``).
PARALLEL_FROM = 2000

_GIVEN: dict[frozenset[CellPath], frozenset[CellPath]] = {}  # one set for every report that gave the same totals


def _compact(report: Report, path: Path, display: str) -> None:
    """Keeps less of a validated report: positions read on demand, shared ``given_totals``, values in a tuple."""
    report.marks = _MarksOnDemand(path, display)
    report.given_totals = _GIVEN.setdefault(report.given_totals, report.given_totals)
    report.values = CellValues.of(report.values)


@dataclass
class _Entry:
    stamp: tuple[int, int]
    report: Report | None
    findings: list[Finding]
    load: int = 0  # the last load that found the file (older entries are dropped)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Parsing makes millions of small objects that live on (values, marks) and no cycles; the
    cyclic collector would rescan them over and over (half the load time at 10,000 reports)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class ReportStore:
    """Parsed reports kept between loads, invalidated by each file's size and mtime."""

    def __init__(self, base: Path | None = None, *, parallel: bool = True) -> None:
        self.base = base
        # Resolved once (resolving means a system call per folder of the path, for every file).
        self._resolved_base = base.resolve() if base is not None else None
        self._entries: dict[Path, _Entry] = {}
        self._loads = 0
        self._fresh: set[Path] = set()  # read in parallel for the current load, not yet taken
        self.parallel = parallel
        self.parallel_from = PARALLEL_FROM
        self.start_method = START_METHOD

    def _identify(self, path: Path) -> tuple[Path, tuple[int, int]]:
        """The file's key in the store (its resolved path) and its stamp (size, mtime)."""
        try:
            key = path.resolve()
        except (OSError, RuntimeError):  # a symlink loop: the reader names it
            key = Path(os.path.abspath(path))
        try:
            stat = path.stat()
            stamp = (stat.st_size, stat.st_mtime_ns)
        except OSError:
            stamp = (-1, -1)
        return key, stamp

    def load_one(self, path: Path, found: Found | None = None,
                 identity: tuple[Path, tuple[int, int]] | None = None) -> tuple[Report | None, list[Finding], bool]:
        """Returns the report, its own findings, and whether the file was parsed now (``identity``: ``_identify``'s)."""
        key, stamp = identity or self._identify(path)
        entry = self._entries.get(key)
        if entry is not None and entry.stamp == stamp:
            entry.load = self._loads
            parsed = key in self._fresh  # read by ``_read_in_parallel`` for this load
            self._fresh.discard(key)
            return entry.report, entry.findings, parsed
        display = _display(path, key, self._resolved_base)
        self._store(key, stamp, path, display, parse_file(path, found, display))
        return self._entries[key].report, self._entries[key].findings, True

    def _store(self, key: Path, stamp: tuple[int, int], path: Path, display: str, parsed: Parsed) -> None:
        report, findings = parsed
        if report is not None:
            _compact(report, path, display)
        self._entries[key] = _Entry(stamp, report, findings, self._loads)

    def _read_in_parallel(self, identified: list[tuple[Found, Path, tuple[int, int]]]) -> None:
        """Above ``parallel_from`` files to read, they are read by this process and a worker (``loading_pool``)."""
        self._fresh.clear()
        todo: dict[Path, tuple[Found, tuple[int, int]]] = {}
        for found, key, stamp in identified:
            entry = self._entries.get(key)
            if (entry is None or entry.stamp != stamp) and key not in todo:  # a second link to a file: as read first
                todo[key] = (found, stamp)
        if not self.parallel or len(todo) < self.parallel_from:
            return
        tasks = [(found.path, found, _display(found.path, key, self._resolved_base)) for key, (found, _) in todo.items()]
        for (key, (_, stamp)), (path, _, display), parsed in zip(
                todo.items(), tasks, parse_in_parallel(tasks, start_method=self.start_method)):
            self._store(key, stamp, path, display, parsed)
            self._fresh.add(key)

    def load(self, paths: Sequence[Path]) -> Portal:
        self._loads += 1
        surveyed, findings = survey(paths, self.base)
        refused = any(f.is_error for f in findings)  # files that look like reports but are not read
        files = [found.path for found in surveyed]
        reports: list[Report] = []
        changed: list[Path] = []
        with _collector_paused():
            identified = [(found, *(found.identity or self._identify(found.path))) for found in surveyed]
            self._read_in_parallel(identified)
            for found, key, stamp in identified:
                report, own, parsed = self.load_one(found.path, found, (key, stamp))
                findings.extend(own)
                if parsed:
                    changed.append(found.path)
                if report is not None:
                    reports.append(report)
        findings.extend(check_layout(reports))  # here, so the CLI and the site cannot disagree
        for stale in [p for p, entry in self._entries.items() if entry.load != self._loads]:
            del self._entries[stale]
        findings.extend(validate_collection(reports))
        roster = None
        for folder in (p for p in paths if p.is_dir() and (p / ROSTER_FILE).is_file()):
            roster, roster_findings = load_roster(folder / ROSTER_FILE, _display(
                folder / ROSTER_FILE, (folder / ROSTER_FILE).resolve(), self._resolved_base))
            findings.extend(roster_findings)
        apply_roster(reports, roster)
        if not files and not refused:
            where = "、".join(str(p) for p in paths)
            findings.append(finding("no-reports", Where.at(where), paths=where))
        return Portal(reports=reports, findings=findings, files=files, changed=changed, roster=roster)


def load_portal(paths: Sequence[Path], base: Path | None = None) -> Portal:
    """One-off load of every report under ``paths`` (no cache kept)."""
    return ReportStore(base).load(paths)
