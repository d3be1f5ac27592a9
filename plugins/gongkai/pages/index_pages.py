"""Markdown for the index pages: all reports by year, one year, one agency; home page links.

Every entry shows its publication date and says in words when it was published late
(after its deadline under 条例第四十九条, ``Report.deadline``), not by colour alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jinja2 import Environment

from ..indexing import AgencyGroup, Layout, PortalIndex, YearGroup, relative_link
from ..model import Report
from .islands import Islands
from .templates import make_environment

if TYPE_CHECKING:
    from ..opendata.site import OpenData

DEFAULT_INDEX_TITLE = "政府信息公开工作年度报告"


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
               title: str = DEFAULT_INDEX_TITLE, opendata: OpenData | None = None) -> str:
    """``reports/index.md``: every report, grouped by year, newest year first."""
    env = env or make_environment()
    here = layout.index()
    years = [(group, relative_link(here, layout.year(group.year)), _entries(group.reports, here, layout))
             for group in index.years]
    agencies = [(group, relative_link(here, layout.agency(group.agency.slug))) for group in index.agencies]
    data_links = [] if opendata is None else [
        ("数据下载", relative_link(here, opendata.data_page())), ("历年趋势", relative_link(here, opendata.trends_page())),
        ("报送情况", relative_link(here, opendata.compliance_page()))]
    return env.get_template("pages/index.md").render(
        title=title, index=index, years=years, agencies=agencies,
        agencies_link=relative_link(here, layout.agencies()), data_links=data_links)


def year_page(group: YearGroup, layout: Layout = Layout(), env: Environment | None = None) -> str:
    """``reports/<year>/index.md``: every agency's report for one year."""
    env = env or make_environment()
    here = layout.year(group.year)
    return env.get_template("pages/year.md").render(
        group=group, entries=_entries(group.reports, here, layout),
        index_link=relative_link(here, layout.index()))


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
    """The agency's trend charts: inline, or a slot filled after rendering when ``islands`` is given."""
    if opendata is None:
        return ""
    if islands is not None:  # drawn when the page is filled: thousands of agencies' charts are never all held
        return islands.later(opendata.agency_trends_key(group), lambda: opendata.agency_trends(group, env))
    return opendata.agency_trends(group, env)


def agencies_page(index: PortalIndex, layout: Layout = Layout(), env: Environment | None = None) -> str:
    """``reports/agencies.md``: every agency with its years, the navigation's way in when agencies are many."""
    env = env or make_environment()
    here = layout.agencies()
    agencies = [(group, relative_link(here, layout.agency(group.agency.slug)),
                 _entries(group.reports, here, layout)) for group in index.agencies]
    return env.get_template("pages/agencies.md").render(
        index=index, agencies=agencies, index_link=relative_link(here, layout.index()))


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
