"""The compliance view: every agency that must report × every year, and how each report stands.

Read from the roster (``reports/roster.yml``) when there is one, else from the agencies that
have reports (each from its first report on). A report is on time, late (after its deadline
under 条例第四十九条 or the roster's override), a draft, failing validation, missing, or not yet
due (its deadline is after ``as_of``). The same view feeds the site's 报送情况 page and
``gongkai check`` (text and JSON).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from ..findings import Finding
from ..model import Report
from ..roster import Duty, Roster, duty_for
from ..rules import Where, finding

ON_TIME, LATE, DRAFT, FAILING, MISSING, NOT_DUE = "on-time", "late", "draft", "failing", "missing", "not-due"
LABELS = {ON_TIME: "按期发布", LATE: "逾期发布", DRAFT: "草稿", FAILING: "未通过校验", MISSING: "未发布",
          NOT_DUE: "尚未到期"}
UNGROUPED, ALL = "未分组", "全部机关"  # the group of agencies the roster gives none (all of them, when no roster does)
PROBLEMS = (FAILING, MISSING, DRAFT)  # what makes `gongkai check` fail (a draft is not yet published)
_REPORT_FILE = re.compile(r"^(?P<code>[a-z0-9]+(?:-[a-z0-9]+)*)/(?P<year>[0-9]{4})\.ya?ml$")


@dataclass(frozen=True)
class Cell:
    status: str
    report: Report | None = None
    deadline: date | None = None
    errors: int = 0  # failing: how many errors
    file: str = ""  # failing or draft: the report file

    @property
    def label(self) -> str:
        return LABELS[self.status]


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    group: str | None
    kind: str
    duty: Duty
    listed: bool  # in the roster
    first_year: int
    cells: dict[int, Cell]  # year → cell; years before first_year absent


@dataclass(frozen=True)
class Compliance:
    years: tuple[int, ...]
    rows: tuple[Row, ...]
    as_of: date
    has_roster: bool

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows for cell in row.cells.values() if cell.status == status)

    def groups(self) -> list[tuple[str, list[Row]]]:
        """The rows by roster group (in the roster's order; agencies without a group last, as 未分组)."""
        out: dict[str, list[Row]] = {}
        for row in self.rows:
            out.setdefault(row.group or "", []).append(row)
        ungrouped = out.pop("", None)
        named = [(name, rows) for name, rows in out.items()]
        if ungrouped is not None:
            named.append((UNGROUPED if named else ALL, ungrouped))
        return named

    @property
    def problems(self) -> list[tuple[Row, int, Cell]]:
        return [(row, year, cell) for row in self.rows for year, cell in sorted(row.cells.items())
                if cell.status in PROBLEMS]


def failing_files(findings: Iterable[Finding], reports_prefix: str = "") -> dict[tuple[str, int], tuple[str, int]]:
    """Report files with errors, by (agency code, year) read from their path ``<code>/<year>.yml``."""
    out: dict[tuple[str, int], tuple[str, int]] = {}
    for item in findings:
        if not item.is_error:
            continue
        path = PurePosixPath(item.file.replace("\\", "/"))
        match = _REPORT_FILE.match("/".join(path.parts[-2:]))
        if match:
            key = (match.group("code"), int(match.group("year")))
            out[key] = (item.file, out.get(key, ("", 0))[1] + 1)
    return out


def report_keys(files: Iterable[str]) -> dict[tuple[str, int], str]:
    """(agency code, year) of report files ``<code>/<year>.yml`` (e.g. the drafts a build leaves out)."""
    out: dict[tuple[str, int], str] = {}
    for file in files:
        match = _REPORT_FILE.match("/".join(PurePosixPath(file.replace("\\", "/")).parts[-2:]))
        if match:
            out[(match.group("code"), int(match.group("year")))] = file
    return out


def compliance(reports: Iterable[Report], roster: Roster | None, *, as_of: date,
               failing: dict[tuple[str, int], tuple[str, int]] | None = None, until: int | None = None,
               drafts: Iterable[str] = ()) -> Compliance:
    """The matrix; years run from the earliest first year to ``until`` (default: the latest report's year).

    ``drafts``: files marked ``status: draft`` that are not among ``reports`` (a published build
    leaves them out; a draft that fails validation is a draft all the same): each is 草稿, neither
    on time nor missing.
    """
    failing = failing or {}
    reports = list(reports)
    draft_files = report_keys(drafts)
    draft_files.update({r.key: r.display_path for r in reports if r.draft})
    failing = {key: value for key, value in failing.items() if key not in draft_files}
    by_key = {r.key: r for r in reports}
    names = {slug: r.agency.name for (slug, _), r in sorted(by_key.items())}
    first_report: dict[str, int] = {}
    for slug, year in sorted(by_key):
        first_report.setdefault(slug, year)
    for slug, year in [*failing, *draft_files]:
        first_report[slug] = min(year, first_report.get(slug, year))
    listed = {e.code: e for e in roster.entries} if roster is not None else {}
    codes = list(listed) + sorted(c for c in first_report if c not in listed)
    years_seen = [y for _, y in by_key] + [y for _, y in failing] + [y for _, y in draft_files]
    last = until if until is not None else max(years_seen, default=as_of.year - 1)
    rows = []
    for code in codes:
        entry = listed.get(code)
        first = (entry.first_year if entry is not None and entry.first_year is not None
                 else first_report.get(code, last))
        name = entry.name if entry is not None else names.get(code, code)
        duty = duty_for(roster, code, name)
        cells: dict[int, Cell] = {}
        for year in range(first, last + 1):
            deadline = duty.deadline(year)
            report = by_key.get((code, year))
            if (code, year) in draft_files:
                cells[year] = Cell(DRAFT, report, deadline, file=draft_files[(code, year)])
            elif (code, year) in failing:
                file, errors = failing[(code, year)]
                cells[year] = Cell(FAILING, None, deadline, errors, file)
            elif report is not None:
                cells[year] = Cell(LATE if report.is_late else ON_TIME, report, report.deadline)
            else:
                cells[year] = Cell(NOT_DUE if deadline >= as_of else MISSING, None, deadline)
        rows.append(Row(code, name, entry.group if entry else None, duty.kind, duty, entry is not None, first, cells))
    years = tuple(range(min((r.first_year for r in rows), default=last), last + 1))
    return Compliance(years, tuple(rows), as_of, roster is not None)


def compliance_findings(view: Compliance, roster_file: str = "reports/roster.yml",
                        folder: str = "reports") -> list[Finding]:
    """The view as findings, for `gongkai check`: missing, failing and draft are errors, late a warning."""
    out: list[Finding] = []
    for row in view.rows:
        if view.has_roster and not row.listed:
            out.append(finding("agency-not-in-roster", Where.at(roster_file), name=row.name, agency_code=row.code,
                               roster=roster_file))
        for year, cell in sorted(row.cells.items()):
            base = {"name": row.name, "agency_code": row.code, "year": year}
            if cell.status == MISSING:
                out.append(finding("report-missing", Where.at(f"{folder}/{row.code}/{year}.yml"),
                                   expected=f"{cell.deadline.isoformat() if cell.deadline else ''} 前发布",
                                   actual="没有报告文件", **base))
            elif cell.status == FAILING:
                out.append(finding("report-failing", Where.at(cell.file), errors=cell.errors, **base))
            elif cell.status == DRAFT:
                out.append(finding("report-draft", Where.at(cell.file),
                                   expected=f"{cell.deadline.isoformat() if cell.deadline else ''} 前发布",
                                   actual="草稿（status: draft）", **base))
            elif cell.status == LATE and cell.report is not None:
                out.append(finding("report-late", Where.at(cell.report.display_path),
                                   published=cell.report.published.isoformat(),
                                   deadline=cell.report.deadline.isoformat(), basis=row.duty.basis,
                                   expected=cell.report.deadline.isoformat(),
                                   actual=cell.report.published.isoformat(), **base))
    return out


def group_counts(rows: Iterable[Row], years: Iterable[int]) -> dict[int, dict[str, int]]:
    """Per year, how many reports of ``rows`` stand in each status (statuses absent count 0)."""
    counts: dict[int, dict[str, int]] = {year: dict.fromkeys(LABELS, 0) for year in years}
    for row in rows:
        for year, cell in row.cells.items():
            if year in counts:
                counts[year][cell.status] += 1
    return counts


def compliance_json(view: Compliance) -> dict[str, Any]:
    return {
        "as_of": view.as_of.isoformat(),
        "years": list(view.years),
        "roster": view.has_roster,
        "counts": {status: view.count(status) for status in LABELS},
        "agencies": [{
            "code": row.code, "name": row.name, "group": row.group, "kind": row.kind,
            "kind_inferred": row.duty.inferred, "in_roster": row.listed, "first_year": row.first_year,
            "years": {str(year): {"status": cell.status, "label": cell.label,
                                  "deadline": cell.deadline.isoformat() if cell.deadline else None,
                                  "published": (cell.report.published.isoformat()
                                                if cell.report and cell.status != DRAFT else None),
                                  **({"file": cell.file, "errors": cell.errors} if cell.status == FAILING else {}),
                                  **({"file": cell.file} if cell.status == DRAFT else {})}
                      for year, cell in sorted(row.cells.items())},
        } for row in view.rows],
    }


def compliance_text(view: Compliance) -> str:
    """The matrix for a terminal: one line per agency, then the problems."""
    span = f"{view.years[0]}—{view.years[-1]} 年度" if view.years else "无应报年度"
    lines = [f"报送情况（截至 {view.as_of.isoformat()}，{span}）"]
    if not view.has_roster:
        lines.append("（没有机关名单 reports/roster.yml：按已有报告列出机关，机关类别按名称推定）")
    for row in view.rows:
        marks = "  ".join(f"{year} {row.cells[year].label}" if year in row.cells else f"{year} —" for year in view.years)
        note = "" if row.listed or not view.has_roster else "（不在名单中）"
        inferred = "（类别按名称推定）" if row.duty.inferred else ""
        lines.append(f"{row.name}（{row.code}）{note}{inferred}：{marks}")
    counts = "，".join(f"{LABELS[s]} {view.count(s)}" for s in LABELS if view.count(s))
    lines.append(f"合计：{counts or '无'}")
    if view.count(DRAFT):
        lines.append(f"其中 {view.count(DRAFT)} 份报告仍是草稿（status: draft），尚未发布：既不算按期，也不算未报送；"
                     "定稿发布前检查不通过")
    return "\n".join(lines)
