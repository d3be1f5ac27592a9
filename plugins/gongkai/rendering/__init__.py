"""HTML for the official tables, read entirely from the format declaration."""

from .layout import DataCell, HeaderCell, TableLayout, format_value, table_layout
from .tables import render_table

__all__ = ["DataCell", "HeaderCell", "TableLayout", "format_value", "render_table", "table_layout"]
