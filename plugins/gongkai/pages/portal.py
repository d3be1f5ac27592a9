"""Every page a portal publishes: where it lives, what kind it is, and how to make its Markdown.

Listing pages (the index, one per year, one per agency) are few and cheap; report pages are
many and dearer, so their Markdown is made only when asked for (``PortalPage.markdown()``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

from jinja2 import Environment

from ..indexing import Layout, PortalIndex
from ..model import Report
from .index_pages import DEFAULT_INDEX_TITLE, agencies_page, agency_page, index_page, year_page
from .report_page import report_page


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
                 index_title: str = DEFAULT_INDEX_TITLE) -> list[PortalPage]:
    """The index, the agency directory, the years (newest first), the agencies, then every report."""
    pages = [PortalPage(layout.index(), "index", partial(index_page, index, layout, env, index_title))]
    if index.agencies:
        pages.append(PortalPage(layout.agencies(), "agencies", partial(agencies_page, index, layout, env)))
    pages.extend(PortalPage(layout.year(g.year), "year", partial(year_page, g, layout, env))
                 for g in index.years)
    pages.extend(PortalPage(layout.agency(g.agency.slug), "agency", partial(agency_page, g, layout, env))
                 for g in index.agencies)
    pages.extend(PortalPage(layout.report(r), "report", partial(report_page, r, layout, env, tables_inline=False),
                            report=r)
                 for r in index.reports)
    return pages
