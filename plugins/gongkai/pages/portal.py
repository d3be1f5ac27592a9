"""Every page a portal publishes: where it lives, what kind it is, and how to make its Markdown.

Listing pages (the index, one per year, one per agency) are few and cheap; report pages are
many and dearer, so their Markdown is made only when asked for (``PortalPage.markdown()``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from jinja2 import Environment

from ..indexing import DEFAULT_PAGE_SIZE, Layout, PortalIndex
from ..model import Report
from .headings import HeadingStyle
from .index_pages import DEFAULT_INDEX_TITLE, agency_html, agency_page, listing_pages
from .islands import Islands
from .paging import wrap_pagers
from .report_page import ReportHtml, insert_tables, report_html, report_page

if TYPE_CHECKING:
    from ..opendata.site import OpenData


@dataclass(frozen=True)
class PortalPage:
    src_uri: str  # source path relative to the docs folder (``Layout``)
    kind: str  # "index", "agencies", "year", "agency", "opendata" or "report"
    markdown: Callable[[], str]
    report: Report | None = None  # the report a report page shows
    # Puts back, into the rendered HTML, what the Markdown left as slots (tables, charts, downloads).
    finish: Callable[[str], str] | None = None
    also_from: tuple[Path, ...] = ()  # other report files a report page shows figures of
    # The page's content written as HTML, as Markdown would render ``markdown()`` (``report_page.report_html``,
    # ``index_pages.agency_html``):
    # given the site's heading style and the URL of a page by its source path; None when only Markdown can tell.
    html: Callable[[HeadingStyle, Callable[[str], str | None]], ReportHtml | None] | None = None

    @property
    def is_report(self) -> bool:
        return self.report is not None


def portal_pages(index: PortalIndex, layout: Layout, env: Environment,
                 index_title: str = DEFAULT_INDEX_TITLE, opendata: OpenData | None = None,
                 page_size: int = DEFAULT_PAGE_SIZE) -> list[PortalPage]:
    """The index, the agency directory, the years (newest first), each in pages of at most
    ``page_size`` entries (``index_pages.listing_pages``), the agencies, open data's pages, then
    every report."""
    pages = [PortalPage(listing.src_uri, listing.kind, listing.markdown, finish=wrap_pagers, html=listing.html)
             for listing in listing_pages(index, layout, env, index_title, opendata, page_size)]
    for group in index.agencies:
        islands = Islands()
        pages.append(PortalPage(layout.agency(group.agency.slug), "agency",
                                partial(agency_page, group, layout, env, opendata, islands), finish=islands.fill,
                                html=partial(agency_html, group, layout, env, opendata, islands)))
    if opendata is not None:
        for src, markdown, islands in opendata.pages(env, page_size):
            pages.append(PortalPage(src, "opendata", markdown, finish=islands.fill))
    for report in index.reports:
        previous = opendata.previous_report(report) if opendata is not None else None
        pages.append(PortalPage(
            layout.report(report), "report",
            partial(report_page, report, layout, env, tables_inline=False, opendata=opendata), report=report,
            finish=partial(insert_tables, report=report, env=env, opendata=opendata),
            html=partial(report_html, report, layout=layout, env=env, tables_inline=False, opendata=opendata),
            also_from=(previous.source,) if previous is not None else ()))
    return pages
