"""Markdown for one report's page: title, publication facts, the six official sections.

Narrative sections stay Markdown (MkDocs renders them with the site's extensions); the
statistical tables are HTML from ``gongkai.rendering.tables``. With ``tables_inline=False``
each table is left as a comment slot and ``insert_tables`` puts it into the rendered HTML,
so the large tables never go through the Markdown parser (a fifth of a big build's time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jinja2 import Environment
from markupsafe import Markup

from ..formats import Section
from ..indexing import Layout, relative_link
from ..model import Discrepancy, Report
from ..rendering.tables import render_table
from ..rules import DISCREPANCY_NOTES, RULES
from ..totals import cell_labels
from .templates import make_environment
from .text import safe_narrative

if TYPE_CHECKING:
    from ..opendata.site import OpenData

TEMPLATE = "pages/report.md"
# Narratives have every "<" escaped (``safe_narrative``), so no narrative can forge a slot.
TABLE_SLOT = "<!--gongkai-table:{key}-->"
_TABLE_SLOT = re.compile(r"<!--gongkai-table:([a-z_]+)-->")


def section_id(section: Section) -> str:
    """Stable anchor of an official section, e.g. ``applications`` or ``other-matters``."""
    return section.key.replace("_", "-")


@dataclass(frozen=True)
class SectionView:
    number: str
    title: str
    id: str
    body: Markup  # Markdown (narrative) or HTML (table), already made safe


def _table_html(report: Report, section: Section, env: Environment) -> str:
    assert section.table is not None
    return render_table(report, section.table, id_prefix=f"{section_id(section)}-", environment=env).strip("\n")


def sections(report: Report, env: Environment, *, tables_inline: bool = True) -> list[SectionView]:
    views = []
    for section in report.sections:
        if section.table is not None and not tables_inline:
            body = TABLE_SLOT.format(key=section.key)
        elif section.table is not None:
            body = _table_html(report, section, env)
        else:
            body = safe_narrative(report.narrative.get(section.key, "无。"))
        views.append(SectionView(section.number, section.title, section_id(section), Markup(body.strip("\n"))))
    return views


def insert_tables(page_html: str, report: Report, env: Environment | None = None,
                  opendata: OpenData | None = None) -> str:
    """Fill the table slots left by ``report_page(..., tables_inline=False)`` in rendered HTML,
    and the download sizes (known once the files are written)."""
    env = env or make_environment()
    by_key = {s.key: s for s in report.sections if s.table is not None}

    def fill(match: re.Match[str]) -> str:
        section = by_key.get(match.group(1))
        return _table_html(report, section, env) if section is not None else match.group(0)

    filled = _TABLE_SLOT.sub(fill, page_html)
    return opendata.fill_sizes(filled) if opendata is not None else filled


@dataclass(frozen=True)
class DiscrepancyView:
    """One acknowledged discrepancy in words: the cell's official label, what was published, what the rule expects."""

    label: str
    text: str  # the sentence after the label (plain text; the template escapes it)


def discrepancy_views(report: Report) -> list[DiscrepancyView]:
    return [_discrepancy_view(report, item) for item in report.discrepancies]


def _discrepancy_view(report: Report, item: Discrepancy) -> DiscrepancyView:
    label = cell_labels(report.table(item.cell[0])).get(item.cell, item.cell_key)
    template = DISCREPANCY_NOTES.get(item.rule, DISCREPANCY_NOTES[""])
    published = f"“{item.published}”" if item.published and not item.published[0].isdigit() else item.published
    text = template.format(published=published or "空白", expected=item.expected,
                           rule=RULES[item.rule].title if item.rule in RULES else item.rule)
    return DiscrepancyView(label=label, text=text)


def report_page(report: Report, layout: Layout = Layout(), env: Environment | None = None, *,
                tables_inline: bool = True, opendata: OpenData | None = None) -> str:
    """The page's Markdown source; links are relative ``.md`` paths for MkDocs to rewrite."""
    env = env or make_environment()
    here = layout.report(report)
    previous = opendata.previous_report(report) if opendata is not None else None
    return env.get_template(TEMPLATE).render(
        report=report,
        sections=sections(report, env, tables_inline=tables_inline),
        discrepancies=discrepancy_views(report),
        agency_link=relative_link(here, layout.agency(report.agency.slug)),
        year_link=relative_link(here, layout.year(report.year)),
        downloads=opendata.downloads(report, here) if opendata is not None else [],
        previous=previous,
        year_over_year=opendata.year_over_year(report, previous) if previous is not None else [],
    )
