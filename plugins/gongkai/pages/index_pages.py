"""Markdown for the index pages: all reports by year, one year, one agency; home page links.

Every entry shows its publication date and says in words when it was published late
(after its deadline under 条例第四十九条, ``Report.deadline``), not by colour alone.

No listing page holds more than ``page_size`` entries (``listing_pages``): a portal that fits
keeps one page per listing; a larger one lists, for a year and for the agency directory, the
roster's groups (the governments agencies belong to), each group on pages of its own, and
splits what is still too long into numbered pages with a pager (``paging.pager``: a ``nav`` landmark
labelled 分页, 上一页/下一页, the current page marked ``aria-current="page"``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from jinja2 import Environment

from ..indexing import DEFAULT_PAGE_SIZE, AgencyGroup, Group, Layout, PortalIndex, YearGroup, page_source, relative_link
from ..model import Report
from .islands import Islands
from .paging import chunks, pager
from .templates import make_environment

if TYPE_CHECKING:
    from ..opendata.site import OpenData

DEFAULT_INDEX_TITLE = "政府信息公开工作年度报告"
T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    """One report as an index lists it."""

    report: Report
    link: str  # relative .md link from the listing page

    @property
    def is_late(self) -> bool:
        return self.report.is_late


def _entries(reports: tuple[Report, ...], here: str, layout: Layout) -> list[Entry]:
    return [Entry(r, relative_link(here, layout.report(r))) for r in reports]


def index_page(index: PortalIndex, layout: Layout = Layout(), env: Environment | None = None,
               title: str = DEFAULT_INDEX_TITLE, opendata: OpenData | None = None,
               page_size: int = DEFAULT_PAGE_SIZE) -> str:
    """``reports/index.md``: every report, grouped by year, newest year first.

    Past ``page_size`` reports, the years and the groups only (each links its own listing).
    """
    env = env or make_environment()
    here = layout.index()
    compact = sum(len(g.reports) for g in index.years) > page_size
    years = [(group, relative_link(here, layout.year(group.year)),
              [] if compact else _entries(group.reports, here, layout)) for group in index.years]
    agencies = [] if len(index.agencies) > page_size else [
        (group, relative_link(here, layout.agency(group.agency.slug))) for group in index.agencies]
    # Too many agencies to list: their groups instead, when there are a few.
    groups = [(g, relative_link(here, layout.agencies_group(g.code))) for g in index.groups
              ] if not agencies and 1 < len(index.groups) <= page_size else []
    data_links = [] if opendata is None else [
        ("数据下载", relative_link(here, opendata.data_page())), ("历年趋势", relative_link(here, opendata.trends_page())),
        ("报送情况", relative_link(here, opendata.compliance_page()))]
    return env.get_template("pages/index.md").render(
        title=title, index=index, years=years, agencies=agencies, compact=compact, groups=groups,
        agencies_link=relative_link(here, layout.agencies()), data_links=data_links)


def year_page(group: YearGroup, layout: Layout = Layout(), env: Environment | None = None, *,
              here: str | None = None, part: Group | None = None, reports: Sequence[Report] | None = None,
              pages: Sequence[str] = (), number: int = 1,
              groups: Sequence[tuple[Group, Sequence[Report]]] = (), of_part: Sequence[Report] = ()) -> str:
    """``reports/<year>/index.md``: every agency's report for one year.

    For a long listing (``listing_pages``): ``part`` (one group's reports), ``reports`` (this
    page's share), ``pages`` (every page's source, for the pager) and ``number`` (this one's);
    or ``groups`` (the groups, each with its reports), listed instead of the reports; ``of_part``:
    every report of the group (for its counts).
    """
    env = env or make_environment()
    here = here or layout.year(group.year)
    shown = group.reports if reports is None else reports
    group_rows = [(g, relative_link(here, layout.year_group(group.year, g.code)), len(own),
                   sum(1 for r in own if r.is_late)) for g, own in groups]
    return env.get_template("pages/year.md").render(
        group=group, entries=[] if groups else _entries(tuple(shown), here, layout), part=part, groups=group_rows,
        count=len(of_part) if part else len(group.reports),
        late_count=sum(1 for r in of_part if r.is_late) if part else group.late_count,
        year_link=relative_link(here, layout.year(group.year)) if part else "",
        index_link=relative_link(here, layout.index()), number=number, total=max(len(pages), 1),
        pager=pager(here, pages, number))


def agency_page(group: AgencyGroup, layout: Layout = Layout(), env: Environment | None = None,
                opendata: OpenData | None = None, islands: Islands | None = None) -> str:
    """``reports/<slug>/index.md``: one agency's reports, newest first, and its trends."""
    env = env or make_environment()
    here = layout.agency(group.agency.slug)
    return env.get_template("pages/agency.md").render(
        group=group, entries=_entries(group.reports, here, layout),
        index_link=relative_link(here, layout.index()),
        trends=_trends(group, env, opendata, islands))


def _trends(group: AgencyGroup, env: Environment, opendata: OpenData | None, islands: Islands | None) -> str:
    """The agency's trend charts: inline, or, when ``islands`` is given, a slot filled with them
    once the page is rendered (made then, not kept for every agency at once)."""
    if opendata is None:
        return ""
    if islands is not None:  # drawn when the page is filled: thousands of agencies' charts are never all held
        return islands.later(opendata.agency_trends_key(group), lambda: opendata.agency_trends(group, env))
    return opendata.agency_trends(group, env)


def agencies_page(index: PortalIndex, layout: Layout = Layout(), env: Environment | None = None, *,
                  here: str | None = None, part: Group | None = None, agencies: Sequence[AgencyGroup] | None = None,
                  pages: Sequence[str] = (), number: int = 1, groups: Sequence[Group] = ()) -> str:
    """``reports/agencies.md``: every agency with its years, the navigation's way in when agencies are many.

    For a long directory (``listing_pages``): ``part``, ``agencies`` (this page's share),
    ``pages`` and ``number`` as for ``year_page``; or ``groups``, listed instead of the agencies.
    """
    env = env or make_environment()
    here = here or layout.agencies()
    shown = index.agencies if agencies is None else agencies
    rows = [] if groups else [(group, relative_link(here, layout.agency(group.agency.slug)),
                               _entries(group.reports, here, layout)) for group in shown]
    group_rows = [(g, relative_link(here, layout.agencies_group(g.code)), len(g.slugs)) for g in groups]
    return env.get_template("pages/agencies.md").render(
        index=index, agencies=rows, part=part, groups=group_rows,
        count=len(part.slugs) if part else len(index.agencies),
        directory_link=relative_link(here, layout.agencies()) if part else "",
        index_link=relative_link(here, layout.index()), number=number, total=max(len(pages), 1),
        pager=pager(here, pages, number))


# --- long listings ------------------------------------------------------------------------

@dataclass(frozen=True)
class Listing:
    """One listing page: where it lives, what kind it is, how to make its Markdown."""

    src_uri: str
    kind: str  # "index", "agencies", "year"
    markdown: Callable[[], str]


def _paged(first: str, items: Sequence[T], size: int, page: Callable[..., str], kind: str, **fixed: object
           ) -> list[Listing]:
    """``items`` over as many pages as ``size`` needs, the first at ``first``, each made by ``page``."""
    pieces = chunks(items, size)
    sources = [page_source(first, n) for n in range(1, len(pieces) + 1)] if len(pieces) > 1 else []
    return [Listing(page_source(first, n), kind, partial(page, here=page_source(first, n), pages=sources, number=n,
                                                         **{**fixed, "_items": piece}))
            for n, piece in enumerate(pieces, 1)]


def listing_pages(index: PortalIndex, layout: Layout, env: Environment, index_title: str = DEFAULT_INDEX_TITLE,
                  opendata: OpenData | None = None, page_size: int = DEFAULT_PAGE_SIZE) -> list[Listing]:
    """The index, the agency directory and the years, each split to at most ``page_size`` entries."""
    pages = [Listing(layout.index(), "index", partial(index_page, index, layout, env, index_title, opendata, page_size))]
    if index.agencies:
        pages.extend(_directory(index, layout, env, page_size))
    for group in index.years:
        pages.extend(_year(index, group, layout, env, page_size))
    return pages


def _directory(index: PortalIndex, layout: Layout, env: Environment, size: int) -> list[Listing]:
    def directory(*, _items: Sequence[AgencyGroup], **kw: object) -> str:
        return agencies_page(index, layout, env, agencies=_items, **kw)  # type: ignore[arg-type]

    def groups(*, _items: Sequence[Group], **kw: object) -> str:
        return agencies_page(index, layout, env, groups=_items, **kw)  # type: ignore[arg-type]

    if len(index.agencies) <= size or len(index.groups) <= 1:
        return _paged(layout.agencies(), index.agencies, size, directory, "agencies")
    pages = _paged(layout.agencies(), index.groups, size, groups, "agencies")
    for group, members in index.in_groups(index.agencies, lambda a: a.agency.slug):
        pages += _paged(layout.agencies_group(group.code), members, size, directory, "agencies", part=group)
    return pages


def _year(index: PortalIndex, year: YearGroup, layout: Layout, env: Environment, size: int) -> list[Listing]:
    def reports(*, _items: Sequence[Report], **kw: object) -> str:
        return year_page(year, layout, env, reports=_items, **kw)  # type: ignore[arg-type]

    def groups(*, _items: Sequence[tuple[Group, Sequence[Report]]], **kw: object) -> str:
        return year_page(year, layout, env, groups=_items, **kw)  # type: ignore[arg-type]

    if len(year.reports) <= size or len(index.groups) <= 1:
        return _paged(layout.year(year.year), year.reports, size, reports, "year")
    by_group = index.in_groups(year.reports, lambda r: r.agency.slug)
    pages = _paged(layout.year(year.year), by_group, size, groups, "year")
    for group, own in by_group:
        pages += _paged(layout.year_group(year.year, group.code), own, size, reports, "year", part=group, of_part=own)
    return pages


def home_replacements(index: PortalIndex, layout: Layout, page_src: str,
                      opendata: OpenData | None = None) -> dict[str, Callable[[], str]]:
    """Values for ``{{ gongkai.<name> }}`` placeholders in a hand-written page at ``page_src``."""
    latest = index.latest_year

    def latest_year_link() -> str:
        if latest is None:
            return "（暂无年度报告）"
        return f"[{latest}年度政府信息公开工作年度报告]({relative_link(page_src, layout.year(latest))})"

    def index_link() -> str:
        return f"[全部年度报告]({relative_link(page_src, layout.index())})"

    def years_list() -> str:
        return "\n".join(f"- [{g.year}年度]({relative_link(page_src, layout.year(g.year))})（{len(g.reports)} 份）"
                         for g in index.years) or "（暂无年度报告）"

    def summary() -> str:
        return f"共收录 {len(index.agencies)} 个机关的 {len(index.reports)} 份年度报告"

    def data_links() -> str:
        if opendata is None:
            return ""
        return " · ".join(f"[{text}]({relative_link(page_src, target)})" for text, target in (
            ("数据下载", opendata.data_page()), ("历年趋势", opendata.trends_page()),
            ("报送情况", opendata.compliance_page())))

    return {
        "latest_year": lambda: str(latest or ""),
        "data_links": data_links,
        "latest_year_link": latest_year_link,
        "index_link": index_link,
        "years_list": years_list,
        "summary": summary,
    }


PLACEHOLDER = re.compile(r"\{\{\s*gongkai\.([A-Za-z_]+)\s*\}\}")


def fill_placeholders(markdown: str, values: Mapping[str, Callable[[], str]]) -> tuple[str, list[str]]:
    """``{{ gongkai.<name> }}`` replaced by its value; unknown placeholders are kept as written, and returned."""
    if "gongkai." not in markdown:
        return markdown, []
    unknown: list[str] = []

    def replace(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        if value is None:
            unknown.append(match.group(0))
            return match.group(0)
        return value()

    return PLACEHOLDER.sub(replace, markdown), unknown
