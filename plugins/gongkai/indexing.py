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

Listings longer than the page size (``page_size``, 200 entries by default) are split, so that no
page lists tens of thousands of links, with stable URLs:

- ``reports/<year>/<group>/index.md``      one year, the agencies of one group (a roster ``group``:
  the government they belong to); the year's page then lists the groups
- ``reports/agencies/<group>/index.md``    the agencies of one group, with their reports
- ``<listing>/<n>.md``                     page ``n`` (2, 3…) of a listing still too long
  (``reports/2024/<group>/2.md``, ``reports/agencies/2.md``…)

Group codes are made from the group's name (``slugs.slug_for``) and never only of digits.

Years and agencies share ``reports/<name>/``; an agency code made only of digits could
clash with a year, so ``check_layout`` rejects it (rule ``slug-clashes-with-year``), and the
code ``agencies`` is kept for the directory (rule ``slug-reserved``).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, TypeVar

from .model import Agency, Report

if TYPE_CHECKING:  # types only: the files worker (``Layout``) reads no roster (nor YAML)
    from .findings import Finding
    from .roster import Roster

DEFAULT_PREFIX = "reports"
DEFAULT_PAGE_SIZE = 200  # entries of a listing page, at most
OTHER_GROUP = "其他机关"  # agencies the roster gives no group
AGENCIES_PAGE = "agencies"  # reports/agencies/: the directory of agencies
_DIGITS = re.compile(r"^[0-9]+$")
T = TypeVar("T")
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

    def year_group(self, year: int, group: str) -> str:
        return f"{self.prefix}/{year}/{group}/index.md"

    def agencies_group(self, group: str) -> str:
        return f"{self.prefix}/{AGENCIES_PAGE}/{group}/index.md"


def page_source(first: str, number: int) -> str:
    """Page ``number`` (1, 2…) of a listing whose first page is ``first``: ``a/index.md`` → ``a/2.md``,
    ``a/b.md`` → ``a/b/2.md``."""
    if number <= 1:
        return first
    folder = first[: -len("/index.md")] if first.endswith("/index.md") else first.removesuffix(".md")
    return f"{folder}/{number}.md"


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
class Group:
    """The agencies of one roster group (the government they belong to)."""

    name: str
    code: str  # its folder in URLs
    slugs: frozenset[str]  # its agencies' codes


@dataclass(frozen=True)
class PortalIndex:
    years: tuple[YearGroup, ...]  # newest first
    agencies: tuple[AgencyGroup, ...]  # by agency code
    groups: tuple[Group, ...] = ()  # roster order, ungrouped agencies last; () without a roster group

    def group_of(self, slug: str) -> Group | None:
        cached = self.__dict__.get("_group_of")
        if cached is None:
            cached = {s: g for g in self.groups for s in g.slugs}
            object.__setattr__(self, "_group_of", cached)
        return cached.get(slug)

    def in_groups(self, items: Iterable[T], slug: Callable[[T], str]) -> list[tuple[Group, list[T]]]:
        """``items`` split by their agency's group, in the groups' order (groups with none left out)."""
        by_group: dict[str, list[T]] = {}
        for item in items:
            group = self.group_of(slug(item))
            by_group.setdefault(group.code if group else "", []).append(item)
        return [(g, by_group[g.code]) for g in self.groups if g.code in by_group]

    @property
    def latest_year(self) -> int | None:
        return self.years[0].year if self.years else None

    @property
    def reports(self) -> tuple[Report, ...]:
        return tuple(r for group in self.years for r in group.reports)


def build_index(reports: Iterable[Report], roster: Roster | None = None) -> PortalIndex:
    """Group reports by year (newest first), by agency, and agencies by the roster's groups;
    one report per agency and year."""
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
    return PortalIndex(years=years, agencies=tuple(agencies), groups=_groups(by_agency, roster))


def _groups(slugs: Iterable[str], roster: Roster | None) -> tuple[Group, ...]:
    """The roster's groups that have reports, in roster order, then the agencies with no group."""
    from .slugs import slug_for  # here: the files worker needs ``Layout`` alone

    if roster is None or not roster.groups:
        return ()
    members: dict[str, set[str]] = {}
    for slug in slugs:
        entry = roster.get(slug)
        members.setdefault(entry.group if entry is not None and entry.group else OTHER_GROUP, set()).add(slug)
    names = [g for g in [*roster.groups, OTHER_GROUP] if g in members]
    taken: list[str] = []
    for name in names:
        code = slug_for(name, taken=taken)
        if _DIGITS.match(code):
            code = slug_for(f"g{code}", taken=taken)
        taken.append(code)
    return tuple(Group(name, code, frozenset(members[name])) for name, code in zip(names, taken))


def check_layout(reports: Iterable[Report]) -> list[Finding]:
    """Agency codes that cannot get a page of their own under this URL scheme."""
    from .rules import Where, finding  # here: the files worker needs ``Layout`` alone

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
