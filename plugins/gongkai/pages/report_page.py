"""Markdown for one report's page: title, publication facts, the six official sections.

Narrative sections stay Markdown (MkDocs renders them with the site's extensions); the
statistical tables are HTML from ``gongkai.rendering.tables``, written inline or handed over
later through a slot (``table_slot`` / ``insert_tables``, below).
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
# Narratives reach the page as cleaned HTML without comments (``safe_narrative``): none can forge a slot.
TABLE_SLOT = "<!--gongkai-table:{key}-->"
_TABLE_SLOT = re.compile(r"<!--gongkai-table:([a-z_]+)-->")
OPEN_DATA_SLOT = "open_data"  # the year-over-year table and the downloads, after the six sections


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
            body = table_slot(section)
        elif section.table is not None:
            body = _table_html(report, section, env)
        else:
            body = safe_narrative(report.narrative.get(section.key, "无。"))
        views.append(SectionView(section.number, section.title, section_id(section), Markup(body.strip("\n"))))
    return views


# --- tables handed over after Markdown -----------------------------------------------------
# ``report_page(..., tables_inline=False)`` leaves each table out of the Markdown as a slot, and
# ``insert_tables`` fills the slots in the rendered HTML. The MkDocs adapter fills them after the
# search plugin has read the page (``on_page_context``): the large tables then go through
# neither the Markdown parser nor the search plugin's HTML parser (together half of a large
# build's time), and the page is the same as with the tables inline. The slot is an HTML
# comment because a comment is the one piece of Markdown that every extension passes through
# unchanged and in place (``TABLE_SLOT``, above).


def table_slot(section: Section) -> str:
    """Where ``insert_tables`` will put the section's table."""
    return TABLE_SLOT.format(key=section.key)


def insert_tables(page_html: str, report: Report, env: Environment | None = None,
                  opendata: OpenData | None = None) -> str:
    """Fill the table slots left by ``report_page(..., tables_inline=False)`` in rendered HTML
    (and open data's: the year-over-year table and the download links, with their sizes)."""
    env = env or make_environment()
    by_key = {s.key: s for s in report.sections if s.table is not None}

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        section = by_key.get(key)
        if section is not None:
            return _table_html(report, section, env)
        if opendata is not None and key == OPEN_DATA_SLOT:
            return opendata.report_extras(report, env)
        return match.group(0)

    return _TABLE_SLOT.sub(fill, page_html)


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
    extras = "" if opendata is None else (
        TABLE_SLOT.format(key=OPEN_DATA_SLOT) if not tables_inline else opendata.report_extras(report, env))
    return env.get_template(TEMPLATE).render(
        report=report,
        sections=sections(report, env, tables_inline=tables_inline),
        discrepancies=discrepancy_views(report),
        agency_link=relative_link(here, layout.agency(report.agency.slug)),
        year_link=relative_link(here, layout.year(report.year)),
        open_data=Markup(extras),
    )
