"""The roster of agencies that must report (``reports/roster.yml``, optional).

It declares each agency's kind (hence its deadline under 条例第四十九条, ``deadlines``), its
group and the first year it must report, and may override the deadline where a province sets an
earlier date. Without a roster entry the kind is inferred from the agency's name (``Duty.inferred``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .deadlines import (
    ARTICLE,
    DEPARTMENT,
    GOVERNMENT,
    KINDS,
    ROSTER_FILE,
    TOWNSHIP,
    Duty,
    deadline_for,
    deadline_summary,
    duty_from_name,
    kind_from_name,
)
from .findings import Finding
from .loading import SourceDocument, load_file
from .rules import Where, finding
from .slugs import slug_for

if TYPE_CHECKING:  # the model imports this module (for Duty)
    from .model import Report

_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")
_ENTRY_KEYS = ("code", "name", "kind", "group", "first_year", "deadline")


@dataclass(frozen=True)
class RosterEntry:
    code: str
    name: str
    kind: str
    group: str | None = None
    first_year: int | None = None
    deadline_override: tuple[int, int] | None = None

    @property
    def duty(self) -> Duty:
        return Duty(self.kind, self.deadline_override)

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind][0]

    def due(self, year: int) -> bool:
        """Whether this agency must report for ``year``."""
        return self.first_year is None or year >= self.first_year


@dataclass(frozen=True)
class Roster:
    entries: tuple[RosterEntry, ...]
    display_path: str = f"reports/{ROSTER_FILE}"

    def get(self, code: str) -> RosterEntry | None:
        return self._by_code.get(code)

    @property
    def _by_code(self) -> dict[str, RosterEntry]:
        cached = self.__dict__.get("_codes")
        if cached is None:
            cached = {e.code: e for e in self.entries}
            object.__setattr__(self, "_codes", cached)
        return cached

    @property
    def groups(self) -> list[str]:
        """Every group named, in roster order."""
        return list(dict.fromkeys(e.group for e in self.entries if e.group))

    def duty(self, code: str, name: str) -> Duty:
        entry = self.get(code)
        return entry.duty if entry is not None else duty_from_name(name)


def duty_for(roster: Roster | None, code: str, name: str) -> Duty:
    """The roster's word on an agency, else its kind inferred from the name."""
    return roster.duty(code, name) if roster is not None else duty_from_name(name)


def apply_roster(reports: Iterable[Report], roster: Roster | None) -> None:
    """Give each report its agency's duty (kind, deadline) from the roster; unlisted: inferred."""
    for report in reports:
        entry = roster.get(report.agency.slug) if roster is not None else None
        report.duty = entry.duty if entry is not None else None


class _Reader:
    def __init__(self, document: SourceDocument) -> None:
        self.document = document
        self.findings: list[Finding] = []

    def bad(self, rule: str, path: tuple[Any, ...], label: str = "", /, **fields: Any) -> None:
        mark = self.document.mark(path)
        self.findings.append(finding(rule, Where.at(self.document.display_path, mark, path, label), **fields))

    def entries(self) -> list[RosterEntry] | None:
        """The usable entries; None when the file is no roster at all."""
        data = self.document.data
        listed = data.get("agencies") if isinstance(data, dict) else None
        if not isinstance(listed, list):
            self.bad("roster-structure", ("agencies",), "agencies")
            return None
        if isinstance(data, dict):
            for key in data:
                if key != "agencies":
                    self.bad("roster-unknown-key", (key,), str(key), key=key, allowed="agencies")
        entries: list[RosterEntry] = []
        codes: dict[str, int] = {}
        for number, item in enumerate(listed):
            entry = self.entry(number, item, codes)
            if entry is not None:
                codes[entry.code] = number
                entries.append(entry)
        return entries

    def entry(self, number: int, item: Any, codes: dict[str, int]) -> RosterEntry | None:
        at = ("agencies", number)
        if not isinstance(item, dict):
            self.bad("roster-structure", at, f"第 {number + 1} 个机关")
            return None
        for key in item:
            if key not in _ENTRY_KEYS:
                self.bad("roster-unknown-key", at + (key,), str(key), key=key, allowed="、".join(_ENTRY_KEYS))
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            self.bad("roster-name-missing", at + ("name",), f"第 {number + 1} 个机关")
            return None
        name = name.strip()
        kind = item.get("kind")
        if kind not in KINDS:
            self.bad("roster-kind-invalid", at + ("kind",), name, actual=kind,
                     kinds="、".join(f"{k}（{v[0]}）" for k, v in KINDS.items()))
            return None
        code = item.get("code")
        if code is None:
            code = slug_for(name, taken=tuple(codes))  # the same code `gongkai new` and `import` derive
        elif not isinstance(code, str) or not _CODE.match(code):
            self.bad("roster-code-invalid", at + ("code",), name, actual=code)
            return None
        if code in codes:
            self.bad("roster-code-duplicate", at + ("code",), name, agency_code=code, first=codes[code] + 1)
            return None
        group = item.get("group")
        if group is not None and not isinstance(group, str):
            self.bad("roster-group-invalid", at + ("group",), name, actual=group)
            group = None
        first_year = item.get("first_year")
        if first_year is not None and (isinstance(first_year, bool) or not isinstance(first_year, int)
                                       or not 2008 <= first_year <= 2100):
            self.bad("roster-first-year-invalid", at + ("first_year",), name, actual=first_year)
            first_year = None
        override = None
        raw = item.get("deadline")
        if raw is not None:
            override = _parse_month_day(raw)
            if override is None:
                self.bad("roster-deadline-invalid", at + ("deadline",), name, actual=raw)
        return RosterEntry(code, name, kind, group.strip() if group else None, first_year, override)


def _parse_month_day(raw: Any) -> tuple[int, int] | None:
    match = _MONTH_DAY.match(str(raw).strip()) if isinstance(raw, str) else None
    if not match:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    try:
        date(2000, month, day)  # a leap year: 02-29 is a valid override
    except ValueError:
        return None
    return month, day


def load_roster(path: Path, display_path: str | None = None) -> tuple[Roster | None, list[Finding]]:
    """The roster at ``path``: ``(None, [])`` when there is none, ``(None, findings)`` when unusable.

    An entry with an error is left out (and said so); the others still count.
    """
    if not path.is_file():
        return None, []
    display = display_path or str(path)
    document, found = load_file(path, display)
    if document is None:
        return None, found
    reader = _Reader(document)
    entries = reader.entries()
    findings = found + reader.findings
    if entries is None:
        return None, findings
    return Roster(tuple(entries), display), findings


def roster_path(reports_dir: Path) -> Path:
    return reports_dir / ROSTER_FILE


__all__ = ["ARTICLE", "DEPARTMENT", "GOVERNMENT", "KINDS", "ROSTER_FILE", "TOWNSHIP", "Duty", "Roster", "RosterEntry",
           "apply_roster", "deadline_for", "deadline_summary", "duty_for", "duty_from_name", "kind_from_name",
           "load_roster", "roster_path"]
