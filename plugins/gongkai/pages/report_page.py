"""Markdown for one report's page: title, publication facts, the six official sections.

Narrative sections stay Markdown (MkDocs renders them with the site's extensions); the
statistical tables are inserted as HTML from ``gongkai.rendering.tables``.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment
from markupsafe import Markup

from ..formats import Section
from ..indexing import Layout, relative_link
from ..model import Report
from ..rendering.tables import render_table
from .templates import make_environment
from .text import safe_narrative

TEMPLATE = "pages/report.md"


def section_id(section: Section) -> str:
    """Stable anchor of an official section, e.g. ``applications`` or ``other-matters``."""
    return section.key.replace("_", "-")


@dataclass(frozen=True)
class SectionView:
    number: str
    title: str
    id: str
    body: Markup  # Markdown (narrative) or HTML (table), already made safe


def sections(report: Report, env: Environment) -> list[SectionView]:
    views = []
    for section in report.format.sections:
        if section.table is not None:
            body = render_table(report, section.table, id_prefix=f"{section_id(section)}-", environment=env)
        else:
            body = safe_narrative(report.narrative.get(section.key, "无。"))
        views.append(SectionView(section.number, section.title, section_id(section), Markup(body.strip("\n"))))
    return views


def report_page(report: Report, layout: Layout = Layout(), env: Environment | None = None) -> str:
    """The page's Markdown source; links are relative ``.md`` paths for MkDocs to rewrite."""
    env = env or make_environment()
    here = layout.report(report)
    return env.get_template(TEMPLATE).render(
        report=report,
        sections=sections(report, env),
        agency_link=relative_link(here, layout.agency(report.agency.slug)),
        year_link=relative_link(here, layout.year(report.year)),
    )
