"""Lay a report's tables out as agencies publish them, from hand-recorded numbers (not from the importer).

A table is a grid of ``Cell`` rows with row and column spans, built from the format declaration
and a list of numbers in reading order (``cases.json``). Renderers turn a ``Doc`` into a web
page as copied, Word-exported HTML, text extracted from a PDF, or a PDF (reportlab).
"""

from __future__ import annotations

import html
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from gongkai.formats import FORMATS, Column, Row, TableSpec

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "importing"))
from import_kit import Cell

Grid = list[list[Cell]]


@dataclass
class Doc:
    """A report to lay out: title, date, the six sections (narrative text or a table grid)."""

    title: str
    published: str
    sections: list[tuple[str, list[str] | Grid]]  # (heading, paragraphs) or (heading, grid)
    before: list[str] = field(default_factory=list)  # page chrome before the title
    after: list[str] = field(default_factory=list)  # signature, 抄送, 附件下载 after section 六


def _leaves(node: Row | Column) -> int:
    return sum(_leaves(c) for c in node.children) if node.children else 1


def _leaf_columns(columns: tuple[Column, ...]) -> list[Column]:
    return [leaf for c in columns for leaf in c.leaves()]


def _depth(rows: tuple[Row, ...]) -> int:
    return max((1 + _depth(r.children) for r in rows), default=0)


def grid(table: TableSpec, numbers: Iterator[str]) -> Grid:
    """The official grid of ``table`` with the next numbers of ``numbers`` in its cells."""
    if table.layout == "single-line":
        return _single_line(table, numbers)
    rows: Grid = []
    for block in table.blocks:
        leaves = _leaf_columns(block.columns)
        depth = _depth(block.rows)
        col_depth = max((2 if c.children else 1) for c in block.columns)
        width = depth + len(leaves)
        if block.label and len(table.blocks) > 1:
            rows.append([Cell(block.label, colspan=width)])
        header: Grid = [[] for _ in range(col_depth)]
        header[0].append(Cell(table.corner_label or "信息内容", rowspan=col_depth, colspan=depth))
        for column in block.columns:
            if column.children:
                header[0].append(Cell(column.label, colspan=len(column.children)))
                header[1].extend(Cell(c.label) for c in column.children)
            else:
                header[0].append(Cell(column.label, rowspan=col_depth))
        if table.key == "applications":
            rows.append([Cell(table.corner_label, rowspan=col_depth + 1, colspan=depth), Cell("申请人情况", colspan=len(leaves))])
            header[0] = header[0][1:]
        rows.extend(header)

        def visit(row: Row, level: int) -> None:
            if row.children:
                first = True
                for child in row.children:
                    line_start = len(rows)
                    visit(child, level + 1)
                    if first:
                        rows[line_start].insert(0, Cell(row.label, rowspan=_leaves(row)))
                        first = False
                return
            label = Cell(row.label, colspan=depth - level)  # noqa: B023 - called within the loop
            rows.append([label] + [Cell(next(numbers), number=True) for _ in leaves])  # noqa: B023

        for row in block.rows:
            visit(row, 0)
    return rows


def _single_line(table: TableSpec, numbers: Iterator[str]) -> Grid:
    (block,) = table.blocks
    columns = block.columns
    top: list[Cell] = []
    middle: list[Cell] = []
    bottom: list[Cell] = []
    for row in block.rows:
        top.append(Cell(row.label, colspan=_leaves(row) * len(columns)))
        if row.children:
            for child in row.children:
                middle.append(Cell(child.label, colspan=len(columns)))
                bottom.extend(Cell(c.label) for c in columns)
        else:
            middle.extend(Cell(c.label, rowspan=2) for c in columns)
    values = [Cell(next(numbers), number=True) for _ in range(sum(_leaves(r) for r in block.rows) * len(columns))]
    return [top, middle, bottom, values]


def build_doc(case: dict, narrative: dict[str, list[str]], layouts: dict[str, str] | None = None) -> Doc:
    """A ``Doc`` of the case's format with its recorded numbers in the tables."""
    spec = FORMATS[case["format_of_year"]]
    numbers = iter(case["numbers"])
    sections: list[tuple[str, list[str] | Grid]] = []
    for section in spec.sections:
        if section.table is not None:
            table = FORMATS[(layouts or {}).get(section.key, spec.version)].table(section.key)
            sections.append((section.title, grid(table, numbers)))
        else:
            sections.append((section.title, narrative.get(section.key) or ["无。"]))
    rest = list(numbers)
    assert not rest, f"{len(rest)} numbers left over"
    return Doc(title=case["title"], published=case["published"], sections=sections)


# --- renderers ------------------------------------------------------------------------------


def plain_html(doc: Doc) -> str:
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>", html.escape(doc.title), "</title></head><body>"]
    parts += [f"<div class='crumbs'>{html.escape(t)}</div>" for t in doc.before]
    parts.append(f"<h1>{html.escape(doc.title)}</h1><p>发布日期：{doc.published}</p>")
    for heading, body in doc.sections:
        parts.append(f"<p>{html.escape(heading)}</p>")
        if body and isinstance(body[0], str):
            parts += [f"<p>{html.escape(p)}</p>" for p in body]  # type: ignore[arg-type]
        else:
            parts.append("<table border='1'>")
            for row in body:  # type: ignore[union-attr]
                parts.append("<tr>" + "".join(_td(c) for c in row) + "</tr>")  # type: ignore[union-attr]
            parts.append("</table>")
    parts += [f"<p>{html.escape(t)}</p>" for t in doc.after]
    parts.append("</body></html>")
    return "\n".join(parts)


def _td(cell: Cell) -> str:
    spans = (f" rowspan='{cell.rowspan}'" if cell.rowspan > 1 else "") + (
        f" colspan='{cell.colspan}'" if cell.colspan > 1 else "")
    return f"<td{spans}>{html.escape(cell.text)}</td>"


WORD_STYLE = ("<style><!-- /* Style Definitions */ p.MsoNormal, li.MsoNormal, div.MsoNormal {mso-style-unhide:no;"
              "mso-style-qformat:yes; margin:0cm; text-align:justify; font-size:10.5pt; font-family:等线;} "
              "--></style>")


def word_html(doc: Doc, padding: int = 0) -> str:
    """Word's "save as web page": MsoNormal paragraphs, spans per run, &nbsp; padding, cells of several <p>."""
    out = ["<html xmlns:o='urn:schemas-microsoft-com:office:office' xmlns:w='urn:schemas-microsoft-com:office:word'>",
           "<head><meta http-equiv=Content-Type content='text/html; charset=utf-8'>",
           f"<title>{html.escape(doc.title)}</title>", WORD_STYLE,
           "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->",
           "</head><body lang=ZH-CN style='tab-interval:21.0pt'><div class=WordSection1>"]
    out.append(f"<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:16.0pt;"
               f"font-family:方正小标宋简体'>{html.escape(doc.title)}<span lang=EN-US><o:p></o:p></span></span></b></p>")
    out.append(f"<p class=MsoNormal><span style='font-family:仿宋_GB2312'>发布日期：{doc.published}</span></p>")
    for heading, body in doc.sections:
        out.append(f"<p class=MsoNormal style='text-indent:32.0pt'><span style='font-size:16.0pt;font-family:黑体'>"
                   f"{_runs(heading)}</span></p>")
        if body and isinstance(body[0], str):
            for paragraph in body:
                out.append(f"<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'><span "
                           f"style='font-size:16.0pt;font-family:仿宋_GB2312'>{_runs(paragraph)}</span></p>")  # type: ignore[arg-type]
        else:
            out.append("<div align=center><table class=MsoNormalTable border=0 cellspacing=0 cellpadding=0 "
                       "style='border-collapse:collapse;mso-table-layout-alt:fixed;mso-padding-alt:0cm 5.4pt'>")
            for row in body:  # type: ignore[union-attr]
                out.append("<tr style='mso-yfti-irow:0;height:20.0pt'>")
                for cell in row:  # type: ignore[union-attr]
                    spans = (f" rowspan={cell.rowspan}" if cell.rowspan > 1 else "") + (
                        f" colspan={cell.colspan}" if cell.colspan > 1 else "")
                    text = cell.text
                    if cell.number:
                        inner = (f"<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US "
                                 f"style='font-size:10.0pt;font-family:宋体'>&nbsp;{html.escape(text)}&nbsp;<o:p></o:p>"
                                 "</span></p>") if text else "<p class=MsoNormal><span lang=EN-US>&nbsp;<o:p></o:p></span></p>"
                    else:
                        half = max(1, len(text) // 2)
                        inner = "".join(f"<p class=MsoNormal align=center style='text-align:center'><span "
                                        f"style='font-size:10.0pt;font-family:宋体;mso-bidi-font-family:宋体'>{_runs(piece)}"
                                        "</span></p>" for piece in ((text[:half], text[half:]) if len(text) > 8 else (text,)))
                    out.append(f"<td width=60{spans} style='width:45.0pt;border:solid windowtext 1.0pt;"
                               f"mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt'>{inner}</td>")
                out.append("</tr>")
            out.append("</table></div>")
    for text in doc.after:
        out.append(f"<p class=MsoNormal align=right style='text-align:right'><span>{_runs(text)}</span></p>")
    out.append("</div>")
    out.append("<!-- " + "w" * padding + " -->" if padding else "")
    out.append("</body></html>")
    return "\n".join(out)


def _runs(text: str) -> str:
    """Text in several <span> runs, the way Word splits it at every change of proofing state."""
    if len(text) < 6:
        return html.escape(text)
    third = len(text) // 3
    pieces = (text[:third], text[third: 2 * third], text[2 * third:])
    return "".join(f"<span style='mso-bidi-font-size:10.5pt'>{html.escape(p)}</span>" for p in pieces)


def body_lines(doc: Doc) -> list[str]:
    """A web page as copied: every paragraph and table cell on a line of its own."""
    lines = list(doc.before) + [doc.title, f"发布日期：{doc.published}"]
    for heading, body in doc.sections:
        lines.append(heading)
        if body and isinstance(body[0], str):
            lines += body  # type: ignore[arg-type]
        else:
            for row in body:  # type: ignore[union-attr]
                lines += [c.text for c in row]  # type: ignore[union-attr]
    return lines + list(doc.after)


def with_blanks(doc: Doc, blanks: dict[str, str]) -> Doc:
    """The doc with some numbers replaced (e.g. "0" → "" or "/"): ``blanks`` maps an index in reading order."""
    counter = 0
    sections = []
    for heading, body in doc.sections:
        if body and isinstance(body[0], list):
            new_body: Grid = []
            for row in body:  # type: ignore[union-attr]
                new_row = []
                for cell in row:  # type: ignore[union-attr]
                    if cell.number:
                        if str(counter) in blanks:
                            cell = replace(cell, text=blanks[str(counter)])
                        counter += 1
                    new_row.append(cell)
                new_body.append(new_row)
            sections.append((heading, new_body))
        else:
            sections.append((heading, body))
    return replace(doc, sections=sections)


def write_pdf(doc: Doc, path: Path, *, ruled: bool = True, page_numbers: bool = True, running_header: str = "") -> None:
    """A PDF made with reportlab (CID font STSong-Light: no font file needed), tables ruled or not."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import (
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK")
    small = ParagraphStyle("small", fontName="STSong-Light", fontSize=8, leading=10, wordWrap="CJK")
    story = [Paragraph(html.escape(doc.title), ParagraphStyle("title", parent=body, fontSize=15, leading=22)),
             Paragraph(f"发布日期：{doc.published}", body), Spacer(1, 6)]
    for heading, content in doc.sections:
        story.append(Paragraph(html.escape(heading), body))
        if content and isinstance(content[0], str):
            story += [Paragraph(html.escape(p), body) for p in content]  # type: ignore[arg-type]
            continue
        matrix, styles = _matrix(content)  # type: ignore[arg-type]
        data = [[Paragraph(html.escape(t), small) if t else "" for t in row] for row in matrix]
        widths = _widths(len(matrix[0]))
        table = Table(data, colWidths=widths, repeatRows=0)
        style = [("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        if ruled:
            style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
        table.setStyle(TableStyle(style + styles))
        story += [table, Spacer(1, 6)]
    story += [Paragraph(html.escape(t), body) for t in doc.after]

    def decorate(canvas, document) -> None:  # type: ignore[no-untyped-def]
        canvas.setFont("STSong-Light", 9)
        if page_numbers:
            canvas.drawCentredString(A4[0] / 2, 20, f"- {document.page} -")
        if running_header and document.page > 1:
            canvas.drawCentredString(A4[0] / 2, A4[1] - 30, running_header)

    SimpleDocTemplate(str(path), pagesize=A4, topMargin=50, bottomMargin=45, title=doc.title).build(
        story, onFirstPage=decorate, onLaterPages=decorate)


def _widths(count: int) -> list[float]:
    total = 470.0
    if count == 10:  # table 三: three label columns, seven numbers
        return [34.0, 46.0, 145.0] + [35.0] * 7
    if count == 15:  # table 四 on one line
        return [470.0 / 15] * 15
    first = 150.0
    return [first] + [(total - first) / (count - 1)] * (count - 1)


def _matrix(rows: Grid) -> tuple[list[list[str]], list[tuple]]:
    """A grid with spans as a full matrix (spanned positions empty) and reportlab SPAN commands."""
    width = sum(c.colspan for c in rows[-1]) if rows else 0
    width = max(width, max(sum(c.colspan for c in r) for r in rows))
    taken: dict[tuple[int, int], bool] = {}
    matrix: list[list[str]] = []
    spans: list[tuple] = []
    for r, row in enumerate(rows):
        line = [""] * width
        c = 0
        for cell in row:
            while taken.get((r, c)):
                c += 1
            line[c] = cell.text
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken[(r + dr, c + dc)] = True
            if cell.rowspan > 1 or cell.colspan > 1:
                spans.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
            c += cell.colspan
        matrix.append(line)
    # a row spanned entirely from above still needs its own list
    height = max(r + 1 for (r, _c) in taken) if taken else 0
    while len(matrix) < height:
        matrix.append([""] * width)
    return matrix, spans


def write_docx(doc: Doc, path: Path) -> None:
    """A Word document with the tables merged as on the paper form (python-docx)."""
    import docx

    document = docx.Document()
    document.core_properties.title = doc.title
    document.add_paragraph(doc.title)
    document.add_paragraph(f"发布日期：{doc.published}")
    for heading, body in doc.sections:
        document.add_paragraph(heading)
        if body and isinstance(body[0], str):
            for paragraph in body:
                document.add_paragraph(paragraph)  # type: ignore[arg-type]
            continue
        matrix, spans = _matrix(body)  # type: ignore[arg-type]
        table = document.add_table(rows=len(matrix), cols=len(matrix[0]))
        for _command, (c0, r0), (c1, r1) in spans:
            table.cell(r0, c0).merge(table.cell(r1, c1))
        covered = {(r, c) for _command, (c0, r0), (c1, r1) in spans for r in range(r0, r1 + 1)
                   for c in range(c0, c1 + 1) if (r, c) != (r0, c0)}
        for r, row in enumerate(matrix):
            for c, text in enumerate(row):
                if (r, c) not in covered and text:
                    table.cell(r, c).text = text
    for text in doc.after:
        document.add_paragraph(text)
    document.save(str(path))
