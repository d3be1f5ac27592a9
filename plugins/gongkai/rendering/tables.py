"""The official statistical tables as accessible HTML: the layout (``layout.py``) written by a template.

The template ``tables/table.html`` writes the markup of a ``TableLayout``; a site can
override it. ``render_table`` goes through the skeleton cache (``skeleton.py``), which gives
the same HTML as ``render_layout`` for every report, the template rendered once per table.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, Template

from ..formats import TableSpec
from ..model import Report
from ..templating import make_environment
from .layout import BlankCell, DataCell, HeaderCell, TableLayout, TextOf, format_value, layout_with, table_layout
from .skeleton import cached_skeleton

# The layout's names too, for callers that import them from here.
__all__ = ["TEMPLATE", "BlankCell", "DataCell", "HeaderCell", "TableLayout", "default_environment", "format_value",
           "render_layout", "render_table", "table_layout"]

TEMPLATE = "tables/table.html"

# CSS hooks of the markup around the grid, styled in overrides/ by the site's stylesheet.
CLASS_SCROLL = "gk-table-scroll"
CLASS_CAPTION = "gk-table-caption"
CLASS_NOTE = "gk-table-note"


@lru_cache(maxsize=1)
def default_environment() -> Environment:
    """The package's own templates; a site passes its own environment to override them."""
    return make_environment(keep_trailing_newline=False)


def render_layout(template: Template, layout: TableLayout) -> str:
    """The HTML of one laid-out table."""
    return template.render(
        table=layout,
        scroll_class=CLASS_SCROLL,
        caption_class=CLASS_CAPTION,
        note_class=CLASS_NOTE,
    )


def render_table(
    report: Report, table: TableSpec, *, id_prefix: str = "", environment: Environment | None = None,
) -> str:
    """HTML of one official table, laid out as the national format lays it out.

    The template is rendered once per table layout, with placeholders for the numbers: it may
    write ``cell.text`` anywhere (escaped or not), but not compute with it.
    """
    template = (environment or default_environment()).get_template(TEMPLATE)

    def render(text_of: TextOf) -> str:
        return render_layout(template, layout_with(table, text_of, id_prefix=id_prefix))

    return cached_skeleton(table, id_prefix, template, render).fill(report.values)
