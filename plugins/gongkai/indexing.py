"""The portal's structure as data: reports by year and by agency, and where each page lives.

Pure functions over typed reports; the page builders (``gongkai.pages``) and the MkDocs
adapter read this, nothing here knows about MkDocs.

URL scheme (``prefix`` defaults to ``reports``; paths are MkDocs source paths, so
``use_directory_urls`` decides the final URL):

- ``reports/index.md``               all reports, by year, newest first
- ``reports/<year>/index.md``        one year: every agency's report
- ``reports/<slug>/index.md``        one agency: every year's report
- ``reports/<slug>/<year>.md``       one report (URL ``reports/<slug>/<year>/``)
- ``reports/agencies.md``            every agency, with its reports (URL ``reports/agencies/``)

Years and agencies share ``reports/<name>/``; an agency code made only of digits could
clash with a year, so ``check_layout`` rejects it (rule ``slug-clashes-with-year``), and the
code ``agencies`` is kept for the directory (rule ``slug-reserved``).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Iterable

from .findings import Finding
from .model import Agency, Report
from .rules import Where, finding

DEFAULT_PREFIX = "reports"
AGENCIES_PAGE = "agencies"  # reports/agencies/: the directory of agencies
_DIGITS = re.compile(r"^[0-9]+$")
_PREFIX = re.compile(r"^[a-z0-9_-]+(?:/[a-z0-9_-]+)*$")


@dataclass(frozen=True)
class Layout:
    """Where each generated page lives, as a source path relative to the docs folder."""

    prefix: str = DEFAULT_PREFIX

    def __post_init__(self) -> None:
        if not _PREFIX.match(self.prefix):
            raise ValueError(f"网址前缀“{self.prefix}”无效：只能用小写字母、数字、连字符和“/”，且不能为空（例如 reports）")

    def index(self) -> str:
        return f"{self.prefix}/index.md"

    def year(self, year: int) -> str:
        return f"{self.prefix}/{year}/index.md"

    def agency(self, slug: str) -> str:
        return f"{self.prefix}/{slug}/index.md"

    def report(self, report: Report) -> str:
        return f"{self.prefix}/{report.agency.slug}/{report.year}.md"

    def agencies(self) -> str:
        return f"{self.prefix}/{AGENCIES_PAGE}.md"


def relative_link(from_src: str, to_src: str) -> str:
    """A relative Markdown link between two source paths (MkDocs rewrites it to the page URL)."""
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


@dataclass(frozen=True)
class YearGroup:
    year: int
    reports: tuple[Report, ...]  # by agency code

    @property
    def late_count(self) -> int:
        return sum(1 for r in self.reports if r.is_late)


@dataclass(frozen=True)
class AgencyGroup:
    agency: Agency  # name as in the newest report
    reports: tuple[Report, ...]  # newest first


@dataclass(frozen=True)
class PortalIndex:
    years: tuple[YearGroup, ...]  # newest first
    agencies: tuple[AgencyGroup, ...]  # by agency code

    @property
    def latest_year(self) -> int | None:
        return self.years[0].year if self.years else None

    @property
    def reports(self) -> tuple[Report, ...]:
        return tuple(r for group in self.years for r in group.reports)


def build_index(reports: Iterable[Report]) -> PortalIndex:
    """Group reports by year (newest first) and by agency; one report per agency and year."""
    unique: dict[tuple[str, int], Report] = {}
    for report in sorted(reports, key=lambda r: (r.agency.slug, r.year, r.display_path)):
        unique.setdefault(report.key, report)  # duplicates are the validator's business
    by_year: dict[int, list[Report]] = {}
    by_agency: dict[str, list[Report]] = {}
    for report in unique.values():
        by_year.setdefault(report.year, []).append(report)
        by_agency.setdefault(report.agency.slug, []).append(report)
    years = tuple(YearGroup(year, tuple(by_year[year])) for year in sorted(by_year, reverse=True))
    agencies = []
    for slug in sorted(by_agency):
        newest_first = tuple(sorted(by_agency[slug], key=lambda r: r.year, reverse=True))
        agencies.append(AgencyGroup(newest_first[0].agency, newest_first))
    return PortalIndex(years=years, agencies=tuple(agencies))


def check_layout(reports: Iterable[Report]) -> list[Finding]:
    """Agency codes that cannot get a page of their own under this URL scheme."""
    found = []
    for report in reports:
        slug = report.agency.slug
        rule = "slug-clashes-with-year" if _DIGITS.match(slug) else "slug-reserved" if slug == AGENCIES_PAGE else None
        if rule is None:
            continue
        path = ("agency", "slug")
        where = Where.at(report.display_path, report.mark(path), path, "机关代码")
        found.append(finding(rule, where, page=AGENCIES_PAGE, actual=slug))
    return found
