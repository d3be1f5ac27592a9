"""Markdown for one report's page: title, publication facts, the six official sections.

Narrative sections stay Markdown (MkDocs renders them with the site's extensions); the
statistical tables are HTML from ``gongkai.rendering.tables``, written inline or handed over
later through a slot (``table_slot`` / ``insert_tables``, below).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from jinja2 import Environment
from markupsafe import Markup, escape

from ..formats import Section
from ..indexing import Layout, relative_link
from ..model import Discrepancy, Report
from ..rendering.tables import render_table
from ..rules import DISCREPANCY_NOTES, RULES
from ..sanitizing import plain_text
from ..totals import cell_labels
from .headings import HeadingStyle, HtmlPage, escape_attribute
from .templates import make_environment
from .text import NarrativeHeading, narrative_parts, safe_narrative

if TYPE_CHECKING:
    from ..opendata.site import OpenData

TEMPLATE = "pages/report.md"
# The page's HTML parts, shared by TEMPLATE and ``report_html``: the publication facts, an archived report's note.
META_TEMPLATE = "pages/_report_meta.html"
ARCHIVE_NOTE_TEMPLATE = "pages/_archive_note.html"
TITLE_ID = "report-title"
LINKS_CLASS = "gk-report-links"
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


# --- the page as HTML, without Markdown -----------------------------------------------------
# ``report_html`` writes what MkDocs makes of ``report_page``'s Markdown (Python-Markdown with
# toc and attr_list, then MkDocs' tree processors), from the same parts: the HTML blocks come
# from the same templates (``META_TEMPLATE``, ``ARCHIVE_NOTE_TEMPLATE``), the sections and
# narratives from ``sections`` and ``narrative_parts``; only the order of the blocks, below, is
# written again, and tests/site/test_site_report_html.py renders many reports both ways.
# The adapter falls back to the Markdown when a site changes what it cannot see (its own
# report.md, Markdown extensions or options not emulated by ``headings.HeadingStyle``).

_CONTROL = re.compile(r"[\x00-\x1f]")  # none is left in a name or title (``plain_text``); Markdown would see them
_NORMALIZED = re.compile(r"[\t\r\x02\x03]")  # what Python-Markdown changes in its source before reading it


@dataclass(frozen=True)
class ReportHtml:
    """A report page's content as MkDocs would render it, and what MkDocs reads from the rendering."""

    content: str
    toc_tokens: list[dict[str, Any]]  # as Python-Markdown's ``toc_tokens``
    title: str | None  # what MkDocs takes from the first heading
    anchor_ids: set[str]  # ``present_anchor_ids``
    self_links: dict[str, str]  # links to the page's own anchors (anchor → link as written)


PACKAGE_TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / TEMPLATE


def package_template(env: Environment) -> bool:
    """Whether ``env`` makes report pages from the package's ``TEMPLATE`` (a site may override it:
    ``report_html`` writes only what the package's template would)."""
    filename = env.get_template(TEMPLATE).filename
    return filename is not None and Path(filename).resolve() == PACKAGE_TEMPLATE


def _inline(text: str) -> str | None:
    """A name or title as Markdown renders the ``md`` filter's output (``None``: not sure, use Markdown)."""
    inner = str(escape(plain_text(text)))
    return None if _CONTROL.search(inner) else inner


def report_html(report: Report, style: HeadingStyle, link: Callable[[str], str | None],
                layout: Layout = Layout(), env: Environment | None = None, *,
                tables_inline: bool = True, opendata: OpenData | None = None) -> ReportHtml | None:
    """The page ``report_page`` writes in Markdown, as HTML; ``None`` when only Markdown can tell.

    ``link(src_uri)``: the URL of a page (its source path) from this report's page, as MkDocs
    writes a link to it; ``None`` when MkDocs would not rewrite the link (no such page).
    """
    env = env or make_environment()
    agency_url, year_url = link(layout.agency(report.agency.slug)), link(layout.year(report.year))
    title, agency = _inline(report.title), _inline(report.agency.name)
    if agency_url is None or year_url is None or title is None or agency is None:
        return None
    title = title.lstrip().rstrip(" ")  # the heading's text, then attr_list's `` { #id }`` with the spaces before it
    if not title:
        return None
    page = HtmlPage(style, ids={TITLE_ID, *(section_id(section) for section in report.sections)})
    page.heading(1, title, TITLE_ID)
    context = {"report": report, "discrepancies": discrepancy_views(report)}
    page.raw(env.get_template(META_TEMPLATE).render(context).strip("\n"))
    if report.archived:
        page.raw(env.get_template(ARCHIVE_NOTE_TEMPLATE).render(context).strip("\n"))
    page.element(f'<p class="{LINKS_CLASS}"><a href="{escape_attribute(agency_url)}">{agency}历年报告</a> · '
                 f'<a href="{escape_attribute(year_url)}">{report.year}年度全部报告</a></p>')
    for section in report.sections:
        heading = _inline(section.title)
        if heading is None or not heading.strip():
            return None
        page.heading(2, heading.lstrip().rstrip(" "), section_id(section))
        if section.table is not None:
            page.raw(_table_html(report, section, env) if tables_inline else table_slot(section))
            continue
        for part in narrative_parts(report.narrative.get(section.key, "无。")):
            if isinstance(part, NarrativeHeading):
                words = str(escape(part.words))
                if _NORMALIZED.search(words):
                    return None
                page.heading(part.level, words.strip())
            else:
                page.raw(part)
    extras = "" if opendata is None else (
        TABLE_SLOT.format(key=OPEN_DATA_SLOT) if not tables_inline else opendata.report_extras(report, env))
    if extras:
        page.raw(extras)
    return ReportHtml(page.content, page.toc_tokens(), page.title, page.present_anchor_ids(), page.self_links())
