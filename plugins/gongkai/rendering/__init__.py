"""HTML for the official tables, read entirely from the format declaration."""

from .tables import DataCell, HeaderCell, TableLayout, format_value, render_table, table_layout

__all__ = ["DataCell", "HeaderCell", "TableLayout", "format_value", "render_table", "table_layout"]
