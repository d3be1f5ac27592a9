"""The official statistical tables (二, 三, 四) as accessible HTML, laid out from the format.

Python computes a layout (a grid of header cells and data cells with their spans, ids and
``headers``); the template ``tables/table.html`` only writes the markup. Every label comes
from the format declaration, so both format versions go through the same code.

The layout depends on the table and the id prefix, never on the report: ``render_table``
renders the template once per (table, id prefix, template) with a placeholder in place of each
number (``skeleton.py``), and for each report only writes the numbers into that HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from markupsafe import escape

from ..formats import Block, CellSpec, Column, Row, TableSpec
from ..model import CellPath, CellState, CellValue, PublishedCell, Report
from .skeleton import TextOf, cached_skeleton

if TYPE_CHECKING:  # Jinja is imported where a table is rendered: laying one out (``forms``, the XLSX) needs none
    from jinja2 import Environment, Template

TEMPLATE = "tables/table.html"

# CSS hooks, styled in overrides/ by the site's stylesheet.
CLASS_SCROLL = "gk-table-scroll"
CLASS_TABLE = "gk-table"
CLASS_CAPTION = "gk-table-caption"
CLASS_NOTE = "gk-table-note"
CLASS_CORNER = "gk-table-corner"
CLASS_BLOCK = "gk-table-block"
CLASS_GROUP = "gk-table-group"
CLASS_NUMBER = "gk-num"
CLASS_TOTAL = "gk-total"
CLASS_HIDDEN = "gk-visually-hidden"  # read by screen readers, not shown
BLANK_LABEL = "空白"  # what a screen reader says for a cell published blank (not 0)

_ID_PREFIX = re.compile(r"^(?:[A-Za-z][A-Za-z0-9_-]*)?$")
_ID_PART = re.compile(r"^[A-Za-z0-9_]+$")

Scope = Literal["col", "colgroup", "row"]


# --- the layout model (what the template reads) ----------------------------------------


@dataclass(frozen=True)
class HeaderCell:
    """A ``<th>``: an official label, its id and where it sits in the grid."""

    text: str
    id: str
    scope: Scope
    colspan: int = 1
    rowspan: int = 1
    classes: tuple[str, ...] = ()
    tag: str = "th"


@dataclass(frozen=True)
class DataCell:
    """A ``<td>``: one reported number and the ids of every header that describes it."""

    text: str
    headers: tuple[str, ...]
    path: str  # dotted YAML path, e.g. applications.results.total.natural_person
    colspan: int = 1
    classes: tuple[str, ...] = ()
    tag: str = "td"


@dataclass(frozen=True)
class BlankCell:
    """A ``<td>`` holding nothing, for a corner the format leaves unlabelled."""

    colspan: int = 1
    rowspan: int = 1
    classes: tuple[str, ...] = ()
    tag: str = "td"


GridCell = HeaderCell | DataCell | BlankCell
GridRow = tuple[GridCell, ...]
HeadAndBodies = tuple[tuple[GridRow, ...], tuple[tuple[GridRow, ...], ...]]  # <thead> rows, then each <tbody>


@dataclass(frozen=True)
class TableLayout:
    """One official table as rows of cells, split into ``<thead>`` and ``<tbody>`` groups."""

    caption: str
    caption_id: str
    classes: tuple[str, ...]
    head: tuple[GridRow, ...]
    bodies: tuple[tuple[GridRow, ...], ...]
    note: str = ""
    note_id: str = ""


# --- header trees -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Node:
    """A header label in a tree; a leaf also knows its part of the cell path."""

    label: str
    id: str
    children: tuple["_Node", ...] = ()
    is_total: bool = False
    path: tuple[str, ...] = ()  # leaves only: the keys this header adds to the cell path

    def leaves(self) -> list["_Node"]:
        if not self.children:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]


Chain = tuple[_Node, ...]  # from a root header down to a leaf


def _id(prefix: str, kind: str, keys: Iterable[str]) -> str:
    """An ASCII id from YAML keys, so that ids are stable and readable in links and tests."""
    parts = list(keys)
    for part in parts:
        if not _ID_PART.match(part):
            raise ValueError(f"format key {part!r} cannot be used in an HTML id")
    return f"{prefix}{kind}-{'-'.join(parts)}"


def _column_nodes(
    columns: Iterable[Column], prefix: str, id_keys: tuple[str, ...], row_path: tuple[str, ...] = (),
) -> tuple[_Node, ...]:
    return tuple(
        _Node(
            label=column.label,
            id=_id(prefix, "col", id_keys + (column.key,)),
            children=_column_nodes(column.children, prefix, id_keys + (column.key,), row_path),
            is_total=column.is_total,
            path=() if column.children else row_path + (column.key,),
        )
        for column in columns
    )


def _row_nodes(rows: Iterable[Row], prefix: str, path: tuple[str, ...]) -> tuple[_Node, ...]:
    return tuple(
        _Node(
            label=row.label,
            id=_id(prefix, "row", path + (row.key,)),
            children=_row_nodes(row.children, prefix, path + (row.key,)),
            is_total=row.is_total,
            path=() if row.children else path + (row.key,),
        )
        for row in rows
    )


def _rows_as_columns(
    rows: Iterable[Row], columns: tuple[Column, ...], prefix: str, path: tuple[str, ...]
) -> tuple[_Node, ...]:
    """Single-line layout: each row becomes a column group over the block's columns."""
    nodes = []
    for row in rows:
        here = path + (row.key,)
        if row.children:
            children = _rows_as_columns(row.children, columns, prefix, here)
        else:
            children = _column_nodes(columns, prefix, here, row_path=here)
        nodes.append(_Node(row.label, _id(prefix, "col", here), children, row.is_total))
    return tuple(nodes)


def _under_block(block: Block, prefix: str, nodes: tuple[_Node, ...]) -> tuple[_Node, ...]:
    """Puts a labelled block (e.g. 申请人情况) above its columns; an unlabelled one adds nothing."""
    if not block.label:
        return nodes
    return (_Node(block.label, _id(prefix, "block", (block.key,)), nodes),)


def _chains(forest: Iterable[_Node]) -> list[Chain]:
    chains: list[Chain] = []
    for node in forest:
        if node.children:
            chains.extend((node,) + chain for chain in _chains(node.children))
        else:
            chains.append((node,))
    return chains


def _depth(forest: Iterable[_Node]) -> int:
    return max((len(chain) for chain in _chains(forest)), default=0)


def _header_classes(node: _Node) -> tuple[str, ...]:
    classes = []
    if node.children:
        classes.append(CLASS_GROUP)
    if node.is_total:
        classes.append(CLASS_TOTAL)
    return tuple(classes)


def _column_header_rows(forest: tuple[_Node, ...], depth: int, extra: int = 0) -> list[list[GridCell]]:
    """Header rows over the data columns; ``extra`` widens the last column to fill the grid."""
    rows: list[list[GridCell]] = [[] for _ in range(depth)]
    last_leaf = _chains(forest)[-1][-1].id

    def visit(node: _Node, level: int) -> None:
        leaves = node.leaves()
        width = len(leaves) + (extra if leaves[-1].id == last_leaf else 0)
        rows[level].append(HeaderCell(
            text=node.label,
            id=node.id,
            scope="colgroup" if node.children else "col",
            colspan=width,
            rowspan=1 if node.children else depth - level,
            classes=_header_classes(node),
        ))
        for child in node.children:
            visit(child, level + 1)

    for root in forest:
        visit(root, 0)
    return rows


def _row_header_cells(chain: Chain, depth: int, seen: set[str]) -> list[GridCell]:
    """The ``<th>`` cells that start on this row; groups span the rows of their leaves."""
    cells: list[GridCell] = []
    for level, node in enumerate(chain):
        if node.id in seen:
            continue
        seen.add(node.id)
        cells.append(HeaderCell(
            text=node.label,
            id=node.id,
            scope="row",  # not "rowgroup", which would reach every row of the <tbody>
            rowspan=len(node.leaves()),
            colspan=1 if node.children else depth - level,
            classes=_header_classes(node),
        ))
    return cells


def _corner(text: str, id_: str, colspan: int, rowspan: int) -> GridCell:
    """Top-left cell: a header over the row labels (信息内容, or table 三's note)."""
    if not text:
        return BlankCell(colspan=colspan, rowspan=rowspan, classes=(CLASS_CORNER,))
    return HeaderCell(text=text, id=id_, scope="col", colspan=colspan, rowspan=rowspan, classes=(CLASS_CORNER,))


# --- data cells ---------------------------------------------------------------------------


def format_value(value: CellValue) -> str:
    """Numbers as the form prints them: integers as-is, 万元 amounts without trailing zeros."""
    if isinstance(value, Decimal):
        if value == 0:
            return "0"
        return format(value.normalize(), "f")
    return str(value)


def _data_cell(
    text_of: TextOf, cells: dict[CellPath, CellSpec], table: TableSpec,
    row: Chain, column: Chain, extra_headers: tuple[str, ...] = (), colspan: int = 1,
) -> DataCell:
    path = (table.key,) + (row[-1].path if row else ()) + column[-1].path
    spec = cells[path]
    return DataCell(
        text=text_of(path),
        headers=extra_headers + tuple(n.id for n in row) + tuple(n.id for n in column),
        path=".".join(path),
        colspan=colspan,
        classes=(CLASS_NUMBER, CLASS_TOTAL) if spec.is_total else (CLASS_NUMBER,),
    )


# --- the three layouts --------------------------------------------------------------------


def _grid(text_of: TextOf, table: TableSpec, prefix: str) -> HeadAndBodies:
    """One block: column headers in ``<thead>``, row headers down the side (table 三)."""
    (block,) = table.blocks
    cells = {cell.path: cell for cell in table.cells()}
    columns = _under_block(block, prefix, _column_nodes(block.columns, prefix, ()))
    rows = _row_nodes(block.rows, prefix, ())
    row_depth, column_depth = _depth(rows), _depth(columns)
    head = _column_header_rows(columns, column_depth)
    head[0].insert(0, _corner(table.corner_label or block.row_header_label, f"{prefix}corner",
                              row_depth, column_depth))
    column_chains = _chains(columns)
    seen: set[str] = set()
    body = [
        tuple(_row_header_cells(row, row_depth, seen))
        + tuple(_data_cell(text_of, cells, table, row, column) for column in column_chains)
        for row in _chains(rows)
    ]
    return tuple(tuple(r) for r in head), (tuple(body),)


def _stacked(text_of: TextOf, table: TableSpec, prefix: str) -> HeadAndBodies:
    """Several blocks (table 二): each a ``<tbody>`` with its own label and column headers."""
    # One <table>, not one per block: the form's single grid, with headers/id (WCAG H43) naming each cell's block.
    cells = {cell.path: cell for cell in table.cells()}
    forests = [
        (block, _column_nodes(block.columns, prefix, (block.key,)), _row_nodes(block.rows, prefix, ()))
        for block in table.blocks
    ]
    width = max(len(_chains(columns)) for _, columns, _ in forests)
    row_depth = max(_depth(rows) for _, _, rows in forests)
    bodies = []
    for block, columns, rows in forests:
        block_id = _id(prefix, "block", (block.key,))
        column_chains = _chains(columns)
        extra = width - len(column_chains)
        lines: list[GridRow] = [(HeaderCell(
            text=block.label, id=block_id, scope="colgroup", colspan=row_depth + width, classes=(CLASS_BLOCK,),
        ),)]
        head = _column_header_rows(columns, _depth(columns), extra)
        head[0].insert(0, _corner(block.row_header_label, _id(prefix, "rowhead", (block.key,)),
                                  row_depth, len(head)))
        lines.extend(tuple(r) for r in head)
        seen: set[str] = set()
        for row in _chains(rows):
            data = tuple(
                _data_cell(text_of, cells, table, row, column, (block_id,),
                           colspan=1 + (extra if i == len(column_chains) - 1 else 0))
                for i, column in enumerate(column_chains)
            )
            lines.append(tuple(_row_header_cells(row, row_depth, seen)) + data)
        bodies.append(tuple(lines))
    return (), tuple(bodies)


def _single_line(text_of: TextOf, table: TableSpec, prefix: str) -> HeadAndBodies:
    """Rows turned into column groups over one line of cells (table 四)."""
    cells = {cell.path: cell for cell in table.cells()}
    columns = tuple(
        node
        for block in table.blocks
        for node in _under_block(block, prefix, _rows_as_columns(block.rows, block.columns, prefix, ()))
    )
    head = _column_header_rows(columns, _depth(columns))
    line = tuple(_data_cell(text_of, cells, table, (), column) for column in _chains(columns))
    return tuple(tuple(r) for r in head), ((line,),)


def table_layout(report: Report, table: TableSpec, *, id_prefix: str = "") -> TableLayout:
    """The grid of one official table, for the template and for exports that need the layout."""
    values = report.values
    # Cells of an archived report as published (read loosely: exports pass a stand-in with only ``values``).
    published: Mapping[CellPath, PublishedCell] = getattr(report, "as_published", None) or {}

    def text_of(path: CellPath) -> str:
        if path in published:
            return published[path].text
        try:
            return format_value(values[path])
        except KeyError:  # a total over blank cells only: published blank
            return ""

    return _layout(table, id_prefix, text_of)


def _layout(table: TableSpec, id_prefix: str, text_of: TextOf) -> TableLayout:
    if not _ID_PREFIX.match(id_prefix):
        raise ValueError(f"id_prefix {id_prefix!r} must start with a letter and be ASCII letters, digits, - or _")
    if table.layout == "single-line":
        head, bodies = _single_line(text_of, table, id_prefix)
    elif len(table.blocks) > 1:
        head, bodies = _stacked(text_of, table, id_prefix)
    else:
        head, bodies = _grid(text_of, table, id_prefix)
    return TableLayout(
        caption=table.title,
        caption_id=f"{id_prefix}caption",
        classes=(CLASS_TABLE, f"{CLASS_TABLE}--{table.key}"),
        head=head,
        bodies=bodies,
        note=table.note,
        note_id=f"{id_prefix}note" if table.note else "",
    )


# --- markup -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def default_environment() -> Environment:
    """The package's own templates; a site passes its own environment to override them."""
    from ..templating import make_environment

    return make_environment(keep_trailing_newline=False)


def render_layout(template: Template, layout: TableLayout) -> str:
    """The HTML of one laid-out table: the plain way, which the skeleton only speeds up."""
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
    skeleton = cached_skeleton(table, id_prefix, template,
                               lambda text_of: render_layout(template, _layout(table, id_prefix, text_of)))
    values = report.values
    published = report.as_published  # empty unless the report is archived as published
    parts = skeleton.parts
    html = [parts[0]]
    for path, escaped, after in zip(skeleton.paths, skeleton.escaped, parts[1:]):
        if published and (path in published or path not in values):
            html.append(published_cell_html(published.get(path), escaped))
            html.append(after)
            continue
        value = values[path]
        if value.__class__ is int:  # digits and a sign: nothing to escape
            html.append(str(value))
        else:
            text = format_value(value)
            html.append(escape(text) if escaped else text)
        html.append(after)
    return "".join(html)


def published_cell_html(cell: PublishedCell | None, escaped: bool) -> str:
    """A cell of an archived report as published: blank reads “空白” to screen readers, the rest verbatim."""
    if cell is None or cell.state is CellState.BLANK:
        return f'<span class="{CLASS_HIDDEN}">{BLANK_LABEL}</span>'
    return str(escape(cell.text)) if escaped else cell.text
