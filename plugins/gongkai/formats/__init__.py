"""The national report formats, declared as data."""

from .national import CURRENT_FORMAT, FORMAT_2019, FORMAT_2021, FORMATS, format_for_year
from .spec import (
    Balance,
    Block,
    CarryOver,
    CellSpec,
    Column,
    FormatSpec,
    Kind,
    LeafRow,
    Relation,
    Row,
    RunningCount,
    Section,
    TableSpec,
)

__all__ = [
    "Balance", "Block", "CarryOver", "CellSpec", "Column", "CURRENT_FORMAT", "FORMATS", "FORMAT_2019", "FORMAT_2021",
    "FormatSpec", "Kind", "LeafRow", "Relation", "Row", "RunningCount", "Section", "TableSpec", "format_for_year",
]
