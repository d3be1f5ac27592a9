"""Builders that lay a report out the way agencies publish it: as text, Word-style HTML or .docx.

Layouts follow the official forms (rows down the side, grouped headers, table 四 on one
line) and are built from the format declaration, so both format versions go through them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from gongkai.formats import Column, Row, TableSpec
from gongkai.loading import load_file
from gongkai.model import Report
from gongkai.parsing import parse_document
from gongkai.rendering.tables import format_value

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = ROOT / "reports" / "shifan-zhen" / "2024.yml"


@dataclass(frozen=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    number: bool = False


Layout = list[list[Cell]]


def load_report(path: Path) -> Report:
    document, findings = load_file(path)
    assert document is not None, findings
    report, findings = parse_document(document)
    assert report is not None, findings
    return report


# --- layouts ------------------------------------------------------------------------------


def _leaves(node: Row | Column) -> int:
    return sum(_leaves(c) for c in node.children) if node.children else 1


def _depth(nodes: tuple) -> int:
    return max((1 + _depth(n.children) for n in nodes), default=0)


def _header_rows(nodes: tuple, depth: int, width_of: Callable[[object], int], children_of: Callable) -> Layout:
    rows: Layout = [[] for _ in range(depth)]

    def visit(node: object, level: int) -> None:
        kids = children_of(node)
        rows[level].append(Cell(node.label, rowspan=1 if kids else depth - level, colspan=width_of(node)))  # type: ignore[attr-defined]
        for kid in kids:
            visit(kid, level + 1)

    for node in nodes:
        visit(node, 0)
    return rows


def _numbers(report: Report, table: TableSpec, path: tuple[str, ...], columns: list[Column]) -> list[Cell]:
    return [Cell(format_value(report.values[(table.key,) + path + (c.key,)]), number=True) for c in columns]


def table_layout(report: Report, table: TableSpec) -> Layout:
    """The official grid of one table, with rowspan/colspan, as agencies publish it."""
    if table.layout == "single-line":
        (block,) = table.blocks
        columns = block.columns
        leaf_columns = [leaf for c in columns for leaf in c.leaves()]

        def kids(node: object) -> tuple:
            if isinstance(node, Row):
                return node.children or columns
            return node.children  # type: ignore[attr-defined]

        def width(node: object) -> int:
            return _leaves(node) * len(leaf_columns) if isinstance(node, Row) else _leaves(node)  # type: ignore[arg-type]

        depth = _depth(block.rows) + _depth(columns)
        rows = _header_rows(block.rows, depth, width, kids)
        line = [cell for _, leaf in table.leaf_rows() for cell in _numbers(report, table, leaf.path, leaf_columns)]
        return rows + [line]
    rows: Layout = []
    for block in table.blocks:
        leaf_columns = [leaf for c in block.columns for leaf in c.leaves()]
        row_depth = _depth(block.rows)
        if len(table.blocks) > 1:
            rows.append([Cell(block.label, colspan=row_depth + len(leaf_columns))])
        head = _header_rows(block.columns, _depth(block.columns), _leaves, lambda n: n.children)
        corner = block.row_header_label or block.label
        head[0].insert(0, Cell(corner, rowspan=len(head), colspan=row_depth))
        rows.extend(head)
        seen: set[int] = set()
        for _, leaf in ((b, r) for b, r in table.leaf_rows() if b is block):
            line: list[Cell] = []
            for group in leaf.ancestors:
                if id(group) not in seen:
                    seen.add(id(group))
                    line.append(Cell(group.label, rowspan=_leaves(group)))
            line.append(Cell(leaf.row.label, colspan=row_depth - len(leaf.ancestors)))
            rows.append(line + _numbers(report, table, leaf.path, leaf_columns))
    return rows


def narrative_paragraphs(report: Report, key: str) -> list[str]:
    return [p.removeprefix("### ") for p in report.narrative[key].strip().split("\n\n")]


# --- text ---------------------------------------------------------------------------------


def report_text(report: Report, separator: str = "\t", *, title: bool = True) -> str:
    """The report as text copied from a page: each table row on one line, cells separated."""
    lines = ["首页 > 政务公开 > 政府信息公开年度报告"]
    if title:
        lines += [report.title, f"发布日期：{report.published.isoformat()}"]
    for section in report.format.sections:
        lines.append(section.title)
        if section.table is None:
            lines.extend(narrative_paragraphs(report, section.key))
            continue
        if section.table.corner_label:
            lines.append(section.table.corner_label)
        lines.extend(separator.join(c.text for c in row) for row in table_layout(report, section.table))
    lines += ["分享:", "打印本页 关闭窗口"]
    return "\n".join(lines) + "\n"


# --- Word-style HTML ----------------------------------------------------------------------

FULL_WIDTH = str.maketrans("0123456789.-", "０１２３４５６７８９．－")


def _word_cell(cell: Cell, index: int) -> str:
    spans = "".join(f' {name}="{value}"' for name, value in (("rowspan", cell.rowspan), ("colspan", cell.colspan))
                    if value > 1)
    text = html.escape(cell.text)
    if cell.number:
        text = f"&nbsp;{cell.text.translate(FULL_WIDTH) if index % 2 else text}&nbsp;"
    elif len(cell.text) == 4:  # header cells broken over two lines, as Word pastes them
        text = f"{text[:2]}<br>{text[2:]}"
    return (f'<td{spans} style="border:solid windowtext 1.0pt"><p class="MsoNormal" align="center">'
            f'<span style="font-family:宋体">{text}</span></p></td>')


def report_html(report: Report) -> str:
    """A CMS page holding a report pasted from Word: spans, &nbsp;, full-width digits, spans."""
    parts = [f"<html><head><meta charset='utf-8'><title>{report.title}_示例区人民政府门户网站</title>"
             "<script>var nav = '一、总体情况';</script></head><body>",
             "<nav>首页 | 政务公开 | 政府信息公开年度报告</nav>",
             '<div class="crumb">首页&nbsp;&gt;&nbsp;政务公开</div>',
             f"<h1>{report.title}</h1><div class='info'>发布日期：{report.published.isoformat()}&nbsp;&nbsp;来源：办公室</div>"]
    for section in report.format.sections:
        parts.append(f'<p class="MsoNormal"><b><span style="font-family:黑体">{section.title}</span></b></p>')
        if section.table is None:
            for text in narrative_paragraphs(report, section.key):
                half = len(text) // 2
                parts.append(f'<p class="MsoNormal" style="text-indent:2em">&nbsp;&nbsp;<span>{html.escape(text[:half])}'
                             f'</span><span lang="EN-US">{html.escape(text[half:])}</span></p>')
            continue
        if section.table.corner_label:
            parts.append(f"<p>{section.table.corner_label}</p>")
        parts.append('<table class="MsoNormalTable" border="1">')
        for row in table_layout(report, section.table):
            parts.append("<tr>" + "".join(_word_cell(c, i) for i, c in enumerate(row)) + "</tr>")
        parts.append("</table>")
    parts.append("<div>分享：</div><div><a>打印本页</a> <a>关闭窗口</a></div><footer>版权所有</footer></body></html>")
    return "\n".join(parts)


# --- Word ---------------------------------------------------------------------------------


def report_docx(report: Report, path: Path) -> Path:
    """A .docx built with python-docx: title, narrative paragraphs, merged-cell tables, signature."""
    import docx

    document = docx.Document()
    document.add_paragraph(report.title)
    for section in report.format.sections:
        document.add_paragraph(section.title)
        if section.table is None:
            for text in narrative_paragraphs(report, section.key):
                document.add_paragraph(text)
            continue
        layout = table_layout(report, section.table)
        width = sum(c.colspan for c in layout[0])
        table = document.add_table(rows=len(layout), cols=width)
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(layout):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                target = table.cell(r, c)
                if cell.rowspan > 1 or cell.colspan > 1:
                    target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
                target.text = cell.text
                taken.update((r + i, c + j) for i in range(cell.rowspan) for j in range(cell.colspan))
                c += cell.colspan
    document.add_paragraph(report.agency.name)
    document.add_paragraph(f"{report.published.year}年{report.published.month}月{report.published.day}日")
    document.save(path)
    return path
