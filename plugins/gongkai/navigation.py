"""The site navigation: home, the index, the years and the agencies, as MkDocs' ``nav`` setting spells it.

A pure function over the portal index: a list of ``{title: source path}`` entries and
sections, or plain source paths. Report pages are never listed one by one: the theme renders
the navigation on every page, so its size multiplies the build time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .indexing import Layout, PortalIndex
from .sanitizing import plain_text

HOME_PAGE = "index.md"

NavEntry = Any  # a source path, or {title: a source path or a list of entries}


@dataclass(frozen=True)
class NavTitles:
    """The navigation's titles, and how many agencies it lists one by one."""

    section: str = "年度报告"
    index: str = "全部年度报告"
    home: str = "首页"
    agencies: str = "按机关"
    all_agencies: str = "全部机关"
    # Up to this many agencies get an entry each; beyond it one entry links the agency
    # directory, so the navigation keeps the same size however many agencies there are.
    agencies_max: int = 30


def reports_section(index: PortalIndex, layout: Layout, titles: NavTitles = NavTitles(),
                    extra: Sequence[NavEntry] = ()) -> dict[str, list[NavEntry]]:
    """The index, the years (newest first), the agencies or their directory, then ``extra`` entries."""
    # Titles reach the theme's nav, breadcrumbs and <title> as plain text (sanitizing.plain_text).
    section: list[NavEntry] = [{plain_text(titles.index): layout.index()}]
    section.extend({f"{g.year}年度": layout.year(g.year)} for g in index.years)
    agencies = index.agencies
    if agencies and len(agencies) <= titles.agencies_max:
        section.append({plain_text(titles.agencies): [{plain_text(titles.all_agencies): layout.agencies()}]
                        + [{plain_text(g.agency.name): layout.agency(g.agency.slug)} for g in agencies]})
    elif agencies:
        section.append({plain_text(titles.agencies): layout.agencies()})
    section.extend(extra)
    return {plain_text(titles.section): section}


def site_nav(index: PortalIndex, layout: Layout, handwritten: Iterable[str], *, titles: NavTitles = NavTitles(),
             configured: list[NavEntry] | None = None, extra: Sequence[NavEntry] = ()) -> list[NavEntry]:
    """The whole navigation: the site's own ``nav`` (when it has one) or its hand-written pages, then ours.

    ``handwritten`` are the source paths of the site's own pages; without a configured ``nav``
    the home page comes first, then the others in path order.
    """
    ours = reports_section(index, layout, titles, extra)
    if configured is not None:
        return [*configured, ours]
    pages = sorted(handwritten, key=lambda src: (src != HOME_PAGE, src))
    nav: list[NavEntry] = [{plain_text(titles.home): src} if src == HOME_PAGE else src for src in pages]
    nav.append(ours)
    return nav
