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

from ..deadlines import deadline_summary
from ..indexing import DEFAULT_PAGE_SIZE, AgencyGroup, Group, Layout, PortalIndex, YearGroup, page_source, relative_link
from ..model import Report
from ..sanitizing import plain_paragraphs
from .headings import HeadingStyle, HtmlPage, escape_attribute
from .islands import Islands
from .paging import chunks, pager, pager_html
from .report_page import ReportHtml, _inline
from .templates import date_zh, make_environment, package_templates

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


# --- listing pages as HTML, without Markdown --------------------------------------------------
# What MkDocs makes of a listing page's Markdown (Python-Markdown with toc, attr_list and tables),
# written from the same data, as ``report_page.report_html`` writes a report page; ``None`` (the
# page goes through Markdown) when the site overrides a template or a text is not plain enough to
# be sure. tests/site/test_site_listing_html.py renders many pages both ways.

AGENCY_TEMPLATES = ("pages/agency.md", "pages/_entry_status.md")
_TABLE_ROW = "<tr>\n{cells}\n</tr>"


def _cell_text(text: str) -> str | None:
    """A name or title in a table cell or a link as Markdown writes it; ``None`` when its ends hold whitespace."""
    inner = _inline(text)
    return inner if inner is not None and inner == inner.strip() and inner else None


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table as the ``tables`` extension writes one (no alignment); ``rows`` of cells' inner HTML."""
    def row(tag: str, cells: Sequence[str]) -> str:
        return _TABLE_ROW.format(cells="\n".join(f"<{tag}>{cell}</{tag}>" for cell in cells))

    body = "\n".join(row("td", cells) for cells in rows)
    return f"<table>\n<thead>\n{row('th', head)}\n</thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _statuses(env: Environment) -> dict[bool, str]:
    """``pages/_entry_status.md`` for an entry on time and a late one (inline HTML: Markdown keeps it)."""
    template = env.get_template("pages/_entry_status.md")
    return {late: template.render(entry=_Late(late)).strip() for late in (False, True)}


@dataclass(frozen=True)
class _Late:
    is_late: bool


def _entry_rows(reports: Sequence[Report], link: Callable[[str], str | None], layout: Layout,
                first: Callable[[Report], str | None], statuses: Mapping[bool, str]) -> list[list[str]] | None:
    """The rows of ``_entry_status.md``'s listings: ``first`` cell, the report's link, its date and status."""
    rows = []
    for report in reports:
        url, title, lead = link(layout.report(report)), _cell_text(report.title), first(report)
        if url is None or title is None or lead is None:
            return None
        rows.append([lead, f'<a href="{escape_attribute(url)}">{title}</a>', date_zh(report.published),
                     statuses[report.is_late]])
    return rows


def agency_html(group: AgencyGroup, layout: Layout, env: Environment, opendata: OpenData | None,
                islands: Islands | None, style: HeadingStyle, link: Callable[[str], str | None]) -> ReportHtml | None:
    """``agency_page`` as HTML (``link``: the URL of a page by its source path, as for ``report_html``)."""
    if not package_templates(env, AGENCY_TEMPLATES) or not group.reports:
        return None
    if opendata is not None and islands is None:  # the charts inline: HTML Markdown may read otherwise
        return None
    name, index_url = _inline(group.agency.name), link(layout.index())
    if name is None or index_url is None:
        return None
    name = name.lstrip().rstrip(" ")
    rows = _entry_rows(group.reports, link, layout, lambda r: f"{r.year}年度", _statuses(env))
    if not name or rows is None:
        return None
    page = HtmlPage(style, ids={"agency-title", "trends"})
    page.heading(1, name, "agency-title")
    page.element(f"<p>历年政府信息公开工作年度报告，共 {len(rows)} 份。"
                 f'<a href="{escape_attribute(index_url)}">返回全部年度报告</a></p>')
    page.element(_table(["年度", "报告", "发布日期", "发布情况"], rows))
    trends = _trends(group, env, opendata, islands)
    if trends:
        page.heading(2, "历年趋势", "trends")
        page.raw(str(trends))
    return ReportHtml(page.content, page.toc_tokens(), page.title, page.present_anchor_ids(), page.self_links())


YEAR_TEMPLATES = ("pages/year.md", "pages/_entry_status.md")


def year_html(group: YearGroup, layout: Layout, env: Environment, style: HeadingStyle, link: Callable[[str], str | None],
              *, here: str | None = None, part: Group | None = None, reports: Sequence[Report] | None = None,
              pages: Sequence[str] = (), number: int = 1, groups: Sequence[tuple[Group, Sequence[Report]]] = (),
              of_part: Sequence[Report] = ()) -> ReportHtml | None:
    """``year_page`` as HTML (the same arguments; ``here`` is implied by ``link``)."""
    del here
    if not package_templates(env, YEAR_TEMPLATES):
        return None
    part_name = "" if part is None else _cell_text(part.name)
    index_url = link(layout.index())
    year_url = link(layout.year(group.year)) if part else ""
    summary = deadline_summary(group.year)
    pager = pager_html(pages, number, link)
    if part_name is None or index_url is None or year_url is None or pager is None or (
            plain_paragraphs(summary) != f"<p>{summary}</p>"):
        return None
    count = len(of_part) if part else len(group.reports)
    late = sum(1 for r in of_part if r.is_late) if part else group.late_count
    total = max(len(pages), 1)
    page = HtmlPage(style, ids={"year-title"})
    page.heading(1, f"{group.year}年度{part_name}政府信息公开工作年度报告"
                    + (f"（第 {number} 页，共 {total} 页）" if total > 1 else ""), "year-title")
    back = f'<a href="{escape_attribute(year_url)}">返回{group.year}年度报告一览</a> · ' if part else ""
    page.element(f"<p>{part_name}共 {count} 份报告" + (f"，其中 {late} 份逾期发布" if late else "")
                 + f'。{summary}。{back}<a href="{escape_attribute(index_url)}">返回全部年度报告</a></p>')
    rows: list[list[str]] | None
    if groups:
        page.element("<p>按所属政府查看：</p>")
        rows = []
        for g, own in groups:
            url, name = link(layout.year_group(group.year, g.code)), _cell_text(g.name)
            if url is None or name is None:
                return None
            rows.append([f'<a href="{escape_attribute(url)}">{name}</a>', str(len(own)),
                         str(sum(1 for r in own if r.is_late))])
        head = ["所属政府", "报告份数", "逾期发布"]
    else:
        rows = _entry_rows(group.reports if reports is None else reports, link, layout,
                           lambda r: _cell_text(r.agency.name), _statuses(env))
        head = ["机关", "报告", "发布日期", "发布情况"]
    if not rows:
        return None
    page.element(_table(head, rows))
    if pager:
        page.element(pager)
    return ReportHtml(page.content, page.toc_tokens(), page.title, page.present_anchor_ids(), page.self_links())


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
    html: Callable[[HeadingStyle, Callable[[str], str | None]], ReportHtml | None] | None = None  # as ``PortalPage.html``


def _paged(first: str, items: Sequence[T], size: int, page: Callable[..., str], kind: str,
           html: Callable[..., ReportHtml | None] | None = None, **fixed: object) -> list[Listing]:
    """``items`` over as many pages as ``size`` needs, the first at ``first``, each made by ``page``
    (and written as HTML by ``html``, given the heading style and the link resolver first)."""
    pieces = chunks(items, size)
    sources = [page_source(first, n) for n in range(1, len(pieces) + 1)] if len(pieces) > 1 else []
    listings = []
    for n, piece in enumerate(pieces, 1):
        arguments = {"here": page_source(first, n), "pages": sources, "number": n, **fixed, "_items": piece}
        listings.append(Listing(page_source(first, n), kind, partial(page, **arguments),
                                None if html is None else partial(html, **arguments)))
    return listings


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

    def reports_html(style: HeadingStyle, link: Callable[[str], str | None], *, _items: Sequence[Report],
                     **kw: object) -> ReportHtml | None:
        return year_html(year, layout, env, style, link, reports=_items, **kw)  # type: ignore[arg-type]

    def groups_html(style: HeadingStyle, link: Callable[[str], str | None], *,
                    _items: Sequence[tuple[Group, Sequence[Report]]], **kw: object) -> ReportHtml | None:
        return year_html(year, layout, env, style, link, groups=_items, **kw)  # type: ignore[arg-type]

    if len(year.reports) <= size or len(index.groups) <= 1:
        return _paged(layout.year(year.year), year.reports, size, reports, "year", reports_html)
    by_group = index.in_groups(year.reports, lambda r: r.agency.slug)
    pages = _paged(layout.year(year.year), by_group, size, groups, "year", groups_html)
    for group, own in by_group:
        pages += _paged(layout.year_group(year.year, group.code), own, size, reports, "year", reports_html,
                        part=group, of_part=own)
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
