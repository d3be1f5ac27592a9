"""The national report formats, declared as data."""

from .national import FORMAT_2019, FORMAT_2021, FORMATS, format_for_year
from .spec import Block, CellSpec, Column, FormatSpec, Kind, LeafRow, Row, Section, TableSpec

__all__ = [
    "Block", "CellSpec", "Column", "FORMATS", "FORMAT_2019", "FORMAT_2021", "FormatSpec",
    "Kind", "LeafRow", "Row", "Section", "TableSpec", "format_for_year",
]
