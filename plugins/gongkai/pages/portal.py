"""Every page a portal publishes: where it lives, what kind it is, and how to make its Markdown.

Listing pages (the index, one per year, one per agency) are few and cheap; report pages are
many and dearer, so their Markdown is made only when asked for (``PortalPage.markdown()``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from jinja2 import Environment

from ..indexing import Layout, PortalIndex
from ..model import Report
from .index_pages import DEFAULT_INDEX_TITLE, agencies_page, agency_page, index_page, year_page
from .report_page import report_page

if TYPE_CHECKING:
    from ..opendata.site import OpenData


@dataclass(frozen=True)
class PortalPage:
    src_uri: str  # source path relative to the docs folder (``Layout``)
    kind: str  # "index", "year", "agency" or "report"
    markdown: Callable[[], str]
    report: Report | None = None  # the report a report page shows

    @property
    def is_report(self) -> bool:
        return self.report is not None


def portal_pages(index: PortalIndex, layout: Layout, env: Environment,
                 index_title: str = DEFAULT_INDEX_TITLE, opendata: OpenData | None = None) -> list[PortalPage]:
    """The index, the agency directory, the years (newest first), the agencies, open data's pages,
    then every report."""
    pages = [PortalPage(layout.index(), "index", lambda: index_page(index, layout, env, index_title, opendata))]
    if index.agencies:
        pages.append(PortalPage(layout.agencies(), "agencies", lambda: agencies_page(index, layout, env)))
    pages.extend(PortalPage(layout.year(g.year), "year", lambda g=g: year_page(g, layout, env))
                 for g in index.years)
    pages.extend(PortalPage(layout.agency(g.agency.slug), "agency", lambda g=g: agency_page(g, layout, env, opendata))
                 for g in index.agencies)
    if opendata is not None:
        pages.extend(PortalPage(src, "opendata", markdown) for src, markdown in opendata.pages(env))
    pages.extend(PortalPage(layout.report(r), "report",
                            lambda r=r: report_page(r, layout, env, tables_inline=False, opendata=opendata), report=r)
                 for r in index.reports)
    return pages
