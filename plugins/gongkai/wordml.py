"""A report as a Word document (``.docx``), written as WordprocessingML by string assembly.

A ``.docx`` is a zip of a few XML parts. python-docx took ~0.7 s per report, too slow to
attach a Word document to every report of every build; here the parts that never change
(content types, relationships, styles) are constants, each table's grid is laid out once per
table declaration (``forms.form_layout``: the official grid, merged headers as ``gridSpan`` and
``vMerge``, header rows repeated on every page) with a slot per number, and a report only
fills in its numbers and narratives. Every text is XML-escaped, and characters XML cannot hold
are dropped. The zip has fixed timestamps: the same report gives the same bytes.

Layout after GB/T 9704 (党政机关公文格式): A4, title in 宋体 二号, body in 仿宋 三号, first-level
headings in 黑体, second-level in 楷体, tables in 仿宋 五号 (小五 for wide tables).
"""

from __future__ import annotations

import html
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, cast

from .formats import TableSpec
from .forms import FIRST_GRID_ROW, form_layout
from .model import CellPath, Report
from .rendering import table_layout

# --- characters ---------------------------------------------------------------------------

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Text for an XML element or attribute: escaped, and without characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# --- the parts that never change ----------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/footer1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    "</Relationships>"
)
DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" '
    'Target="settings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" '
    'Target="footer1.xml"/>'
    "</Relationships>"
)
SETTINGS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:settings xmlns:w="{W_NS}"><w:defaultTabStop w:val="420"/>'
    '<w:characterSpacingControl w:val="compressPunctuation"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
    'w:val="15"/></w:compat></w:settings>'
)


R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# The page number, centred: “— 1 —” in 宋体 四号, as GB/T 9704 has it.
_PAGE_NUMBER_RUN = ('<w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/>'
                    '<w:szCs w:val="28"/></w:rPr>')
FOOTER = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:ftr xmlns:w="{W_NS}"><w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
    '<w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr>'
    f'<w:r>{_PAGE_NUMBER_RUN}<w:t xml:space="preserve">— </w:t></w:r>'
    f'<w:fldSimple w:instr=" PAGE "><w:r>{_PAGE_NUMBER_RUN}<w:t>1</w:t></w:r></w:fldSimple>'
    f'<w:r>{_PAGE_NUMBER_RUN}<w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>'
)


def _fonts(east_asian: str) -> str:
    return (f'<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="{east_asian}" '
            'w:cs="Times New Roman"/>')


def _style(kind: str, style_id: str, name: str, ppr: str, rpr: str, *, based_on: str = "Normal",
           extra: str = "") -> str:
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return (f'<w:style w:type="{kind}" w:styleId="{style_id}"><w:name w:val="{name}"/>{based}{extra}'
            f"<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>")


_BODY_SIZE = 32  # 三号, in half-points
_LINE = '<w:spacing w:before="0" w:after="0" w:line="560" w:lineRule="exact"/>'  # 28 pt: 22 lines a page
_INDENT = '<w:ind w:firstLineChars="200" w:firstLine="640"/>'
_BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
_TABLE_BORDERS = (f"<w:tblBorders><w:top {_BORDER}/><w:left {_BORDER}/><w:bottom {_BORDER}/><w:right {_BORDER}/>"
                  f"<w:insideH {_BORDER}/><w:insideV {_BORDER}/></w:tblBorders>")
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:styles xmlns:w="{W_NS}">'
    f"<w:docDefaults><w:rPrDefault><w:rPr>{_fonts('仿宋')}<w:sz w:val=\"{_BODY_SIZE}\"/>"
    f'<w:szCs w:val="{_BODY_SIZE}"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
    "<w:pPrDefault><w:pPr><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
    f"<w:pPr>{_LINE}{_INDENT}</w:pPr><w:rPr>{_fonts('仿宋')}</w:rPr></w:style>"
    + _style("paragraph", "Title", "Title",
             '<w:spacing w:before="0" w:after="560" w:line="700" w:lineRule="exact"/><w:ind w:firstLineChars="0" w:firstLine="0"/>'
             '<w:jc w:val="center"/>', f'{_fonts("宋体")}<w:b/><w:sz w:val="44"/><w:szCs w:val="44"/>',
             extra='<w:next w:val="Normal"/>')
    + _style("paragraph", "Subtitle", "Subtitle", '<w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/>', "",
             extra='<w:next w:val="Normal"/>')
    + _style("paragraph", "Heading1", "heading 1", f'<w:keepNext/>{_LINE}<w:outlineLvl w:val="0"/>',
             _fonts("黑体"), extra='<w:next w:val="Normal"/>')
    + _style("paragraph", "Heading2", "heading 2", f'<w:keepNext/>{_LINE}<w:outlineLvl w:val="1"/>',
             _fonts("楷体"), extra='<w:next w:val="Normal"/>')
    + _style("paragraph", "Heading3", "heading 3", f'<w:keepNext/>{_LINE}<w:outlineLvl w:val="2"/>',
             f"{_fonts('仿宋')}<w:b/>", extra='<w:next w:val="Normal"/>')
    + _style("paragraph", "Note", "Note", '<w:ind w:firstLineChars="0" w:firstLine="0"/>', "")
    + _style("paragraph", "TableText", "Table Text",
             '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/>'
             '<w:jc w:val="center"/>', '<w:sz w:val="21"/><w:szCs w:val="21"/>')
    + _style("paragraph", "TableTextSmall", "Table Text Small", "", '<w:sz w:val="18"/><w:szCs w:val="18"/>',
             based_on="TableText")
    + '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
    '<w:left w:w="60" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="60" w:type="dxa"/>'
    "</w:tblCellMar></w:tblPr></w:style>"
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>'
    f"<w:tblPr>{_TABLE_BORDERS}</w:tblPr></w:style>"
    "</w:styles>"
)

# A4 with the margins of GB/T 9704: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (in twips).
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN_LEFT, MARGIN_RIGHT = 1588, 1474
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
SECTION = ('<w:sectPr><w:footerReference w:type="default" r:id="rId3"/>'
           f'<w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/><w:pgMar w:top="2098" '
           f'w:right="{MARGIN_RIGHT}" w:bottom="1984" w:left="{MARGIN_LEFT}" w:header="851" w:footer="992" '
           'w:gutter="0"/><w:docGrid w:type="lines" w:linePitch="560"/></w:sectPr>')
DOCUMENT_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'
)
DOCUMENT_END = f"{SECTION}</w:body></w:document>"


# --- paragraphs ---------------------------------------------------------------------------


def run(text: str, *, bold: bool = False, italic: bool = False) -> str:
    if not text:
        return ""
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    lines = xml_text(text).split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)
    return f"<w:r>{'<w:rPr>' + props + '</w:rPr>' if props else ''}{body}</w:r>"


def paragraph(runs: str, style: str = "", align: str = "") -> str:
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + (f'<w:jc w:val="{align}"/>' if align else "")
    return f"<w:p>{'<w:pPr>' + props + '</w:pPr>' if props else ''}{runs}</w:p>"


def text_paragraph(text: str, style: str = "", *, bold: bool = False) -> str:
    return paragraph(run(text, bold=bold), style)


# --- the official tables ------------------------------------------------------------------


class _NoFigures:
    """A stand-in report for laying out a table: the layout never depends on the figures."""

    values: dict[CellPath, Any] = {}
    as_published: dict[CellPath, Any] = {}


LAYOUT_ONLY = cast(Report, _NoFigures())  # ``table_layout`` and ``form_layout`` read only these two


@dataclass(frozen=True)
class TableXml:
    """A table's XML cut around its numbers: ``parts[0]``, number 0, ``parts[1]``, … ``parts[-1]``."""

    parts: tuple[str, ...]
    paths: tuple[CellPath, ...]


def _widths(columns: int, number_columns: set[int]) -> list[int]:
    """Each grid column's width in twips: numbers narrow, labels sharing the rest of the text width."""
    labels = columns - len(number_columns)
    if not labels:
        return [TEXT_WIDTH // columns] * columns
    number = min(1800, TEXT_WIDTH * 3 // 5 // max(1, len(number_columns)))
    label = (TEXT_WIDTH - number * len(number_columns)) // labels
    return [number if c in number_columns else label for c in range(1, columns + 1)]


def _cell(width: int, span: int, merge: str, body: str) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if merge:
        props += merge
    return f'<w:tc><w:tcPr>{props}<w:vAlign w:val="center"/></w:tcPr>{body}</w:tc>'


@cache  # by declaration (hashed by identity): the same grid for every report
def table_xml(table: TableSpec) -> TableXml:
    """The table's grid as WordprocessingML, with a slot for each number."""
    placed = form_layout(table, LAYOUT_ONLY)
    head_rows = len(table_layout(LAYOUT_ONLY, table).head)
    rows = max(p.row + p.rowspan for p in placed) - FIRST_GRID_ROW
    columns = max(p.column + p.colspan for p in placed) - 1
    number_columns = {p.column for p in placed if p.path is not None}
    widths = _widths(columns, number_columns)
    style = "TableTextSmall" if columns > 10 else "TableText"
    starts = {(p.row - FIRST_GRID_ROW, p.column - 1): p for p in placed}
    data_rows = {p.row - FIRST_GRID_ROW for p in placed if p.path is not None}
    covering: dict[tuple[int, int], int] = {}  # (row, column) under a cell merged down → its colspan
    for p in placed:
        for extra in range(1, p.rowspan):
            covering[(p.row - FIRST_GRID_ROW + extra, p.column - 1)] = p.colspan

    parts: list[str] = [f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/>'
                        f'<w:jc w:val="center"/>{_TABLE_BORDERS}<w:tblLayout w:type="fixed"/>'
                        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
                        'w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>'
                        + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"]
    paths: list[CellPath] = []
    for r in range(rows):
        header = "<w:tblHeader/>" if r < head_rows else ""
        parts[-1] += f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>"
        c = 0
        while c < columns:
            start = starts.get((r, c))
            if start is None:
                span = covering.get((r, c), 1)
                merge = "<w:vMerge/>" if (r, c) in covering else ""
                parts[-1] += _cell(sum(widths[c:c + span]), span, merge, paragraph("", style))
                c += span
                continue
            span = start.colspan
            merge = '<w:vMerge w:val="restart"/>' if start.rowspan > 1 else ""
            width = sum(widths[c:c + span])
            if start.path is not None:
                before, after = _cell(width, span, merge, f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
                                      "\0</w:p>").split("\0")
                parts[-1] += before
                paths.append(start.path)
                parts.append(after)
            else:
                row_label = r in data_rows and start.label is not None
                body = paragraph(run(start.label or "", bold=not row_label), style, "left" if row_label else "")
                parts[-1] += _cell(width, span, merge, body)
            c += span
        parts[-1] += "</w:tr>"
    parts[-1] += "</w:tbl>"
    return TableXml(tuple(parts), tuple(paths))


def fill_table(report: Report, table: TableSpec) -> str:
    """The table's XML with each of the report's numbers, as published (``Report.text``)."""
    skeleton = table_xml(table)
    paths, published = skeleton.paths, report.as_published
    got = zip(paths, map(report.values.get, paths))
    # An int not published otherwise is digits and a sign: nothing to escape.
    if published:
        runs = [f"<w:r><w:t>{value}</w:t></w:r>" if value.__class__ is int and path not in published
                else run(report.text(path)) for path, value in got]
    else:
        runs = [f"<w:r><w:t>{value}</w:t></w:r>" if value.__class__ is int else run(report.text(path))
                for path, value in got]
    return interleave(skeleton.parts, runs)


@cache  # by declaration, as ``table_xml``
def _table_template(table: TableSpec) -> tuple[bytes, ...]:
    """``table_xml`` as UTF-8 pieces, four per number (the XML before it, its run's start, the number, the
    run's end), then the end: ``table_bytes`` puts the numbers in."""
    parts = table_xml(table).parts
    pieces: list[bytes] = []
    for part in parts[:-1]:
        pieces += [part.encode("utf-8"), b"<w:r><w:t>", b"", b"</w:t></w:r>"]
    pieces.append(parts[-1].encode("utf-8"))
    return tuple(pieces)


def table_bytes(report: Report, table: TableSpec) -> bytes:
    """``fill_table(report, table)`` encoded, from pieces encoded once: the same bytes
    (tests/attach/test_attach_fastpaths.py)."""
    return filled(_table_template(table), 4, table_xml(table).paths, report, lambda path: run(report.text(path)))


def filled(template: tuple[bytes, ...], stride: int, paths: Sequence[CellPath], report: Report,
           other: Callable[[CellPath], str]) -> bytes:
    """A skeleton's UTF-8 pieces with the report's numbers put in: ``stride`` pieces per number (the XML
    before it first, the number's digits in the middle), then the end. A number that is not an int, or
    is published otherwise (an archive's), is ``other(path)`` in place of all but the first of its pieces."""
    values = list(map(report.values.get, paths))
    pieces = list(template)
    published = report.as_published
    middle = stride // 2
    if values and not published and set(map(type, values)) == {int}:  # as good as every report
        pieces[middle::stride] = "\n".join(map(str, values)).encode("ascii").split(b"\n")
        return b"".join(pieces)
    for n, (path, value) in enumerate(zip(paths, values)):
        at = stride * n
        if value.__class__ is int and path not in published:
            pieces[at + middle] = str(value).encode("ascii")
        else:
            pieces[at + 1:at + stride] = (other(path).encode("utf-8"), *(b"",) * (stride - 2))
    return b"".join(pieces)


def interleave(parts: Sequence[str], slots: Sequence[str]) -> str:
    """``parts[0]``, ``slots[0]``, ``parts[1]``, … ``parts[-1]``, joined (a skeleton filled in)."""
    out = [""] * (len(parts) + len(slots))
    out[0::2] = parts
    out[1::2] = slots
    return "".join(out)


# --- narratives (their cleaned HTML, as the site renders them) ---------------------------

_TOKEN = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=/>]+(?:="[^"]*")?)*)\s*/?>|([^<]+)')
_HREF = re.compile(r'\shref="([^"]*)"')
_HEADINGS = {"h1": "Heading2", "h2": "Heading2", "h3": "Heading2", "h4": "Heading3", "h5": "Heading3",
             "h6": "Heading3"}
_BLOCKS = {"p", "li", "pre", "blockquote", "div", *_HEADINGS}


class _Narrative:
    """Turns a narrative's clean HTML (``sanitizing.NARRATIVE_HTML``) into Word paragraphs and tables."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.runs: list[str] | None = None  # the open paragraph's runs
        self.style = ""
        self.bold = self.italic = 0
        self.lists: list[list[int]] = []  # open lists: [next number] for ol, [0] for ul
        self.pre = 0
        self.link: tuple[str, int] | None = None  # an open link's address, and where its text starts
        self.rows: list[list[str]] | None = None  # inside a table: its rows of cell texts
        self.cell: list[str] | None = None

    def flush(self) -> None:
        if self.runs is not None and any(self.runs):
            self.out.append(paragraph("".join(self.runs), self.style))
        self.runs, self.style = None, ""

    def open(self, style: str) -> None:
        self.flush()
        self.runs, self.style = [], style

    def text(self, text: str) -> None:
        text = html.unescape(text)
        if self.cell is not None:
            self.cell.append(text)
            return
        if self.rows is not None:
            return  # whitespace between rows and cells
        if not self.pre:
            text = re.sub(r"\s*\n\s*", "", text) if re.search(r"[\u3000-\u9fff]", text) else re.sub(r"\s+", " ", text)
        if self.runs is None:
            if not text.strip():
                return
            self.open("")
        assert self.runs is not None
        self.runs.append(run(text, bold=self.bold > 0, italic=self.italic > 0))

    def start(self, tag: str, attributes: str = "") -> None:
        if self.rows is not None:
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = []
            return
        if tag == "table":
            self.flush()
            self.rows = []
        elif tag == "a" and self.runs is not None:
            href = _HREF.search(attributes)
            self.link = (html.unescape(href.group(1)), len(self.runs)) if href else None
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag in ("ul", "ol"):
            self.flush()
            self.lists.append([1 if tag == "ol" else 0])
        elif tag == "li":
            self.open("Note")
            marker = "·"
            if self.lists and self.lists[-1][0]:
                marker = f"{self.lists[-1][0]}."
                self.lists[-1][0] += 1
            assert self.runs is not None
            self.runs.append(run("　" * max(0, len(self.lists) - 1) + marker + " "))
        elif tag == "br" and self.runs is not None:
            self.runs.append("<w:r><w:br/></w:r>")
        elif tag == "pre":
            self.pre += 1
            self.open("Note")
        elif tag in _HEADINGS:
            self.open(_HEADINGS[tag])
        elif tag == "p" and not (self.runs is not None and len(self.runs) == 1 and self.style == "Note"):
            self.open("")  # a loose list's item keeps its marker's paragraph

    def end(self, tag: str) -> None:
        if self.rows is not None:
            if tag in ("td", "th") and self.cell is not None and self.rows:
                self.rows[-1].append("".join(self.cell).strip())
                self.cell = None
            elif tag == "table":
                rows, self.rows = self.rows, None
                self.out.append(simple_table(rows))
            return
        if tag == "a" and self.link is not None and self.runs is not None:
            # On paper a link is its words and its address (a narrative's links are http, https, mailto or tel).
            address, first = self.link
            if address not in "".join(self.runs[first:]):
                self.runs.append(run(f"（{address}）"))
            self.link = None
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        elif tag in ("ul", "ol"):
            self.flush()
            if self.lists:
                self.lists.pop()
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self.flush()
        elif tag in _BLOCKS:
            self.flush()


def narrative_xml(markup: str) -> str:
    """A narrative's clean HTML as Word paragraphs (headings, lists, emphasis, simple tables)."""
    reader = _Narrative()
    for match in _TOKEN.finditer(markup):
        closing, tag, attributes, text = match.groups()
        if text is not None:
            reader.text(text)
        elif closing:
            reader.end(tag.lower())
        else:
            reader.start(tag.lower(), attributes)
    reader.flush()
    if reader.rows is not None:
        reader.out.append(simple_table(reader.rows))
    return "".join(reader.out)


def simple_table(rows: Sequence[Sequence[str]]) -> str:
    """A narrative's own table: a plain grid of equal columns."""
    columns = max((len(r) for r in rows), default=0)
    if not columns:
        return ""
    width = TEXT_WIDTH // columns
    out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/>'
           f'{_TABLE_BORDERS}<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>'
           + f'<w:gridCol w:w="{width}"/>' * columns + "</w:tblGrid>"]
    for row in rows:
        cells = [*row, *([""] * (columns - len(row)))]
        out.append("<w:tr>" + "".join(_cell(width, 1, "", text_paragraph(text, "TableText")) for text in cells)
                   + "</w:tr>")
    out.append("</w:tbl>")
    out.append(paragraph("", "Note"))  # two tables in a row would run together in Word
    return "".join(out)


# --- the package --------------------------------------------------------------------------

_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: a rebuild gives the same bytes
_FIXED = {name: text.encode("utf-8") for name, text in (
    ("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", PACKAGE_RELS),
    ("word/_rels/document.xml.rels", DOCUMENT_RELS), ("word/styles.xml", STYLES), ("word/settings.xml", SETTINGS),
    ("word/footer1.xml", FOOTER))}


def core_properties(title: str, author: str, published: date) -> str:
    stamp = f"{published.isoformat()}T00:00:00Z"
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{xml_text(title)}</dc:title><dc:creator>{xml_text(author)}</dc:creator>"
            "<dc:language>zh-CN</dc:language>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
            "</cp:coreProperties>")


_PARTS = ("[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "word/_rels/document.xml.rels", "word/document.xml",
          "word/styles.xml", "word/settings.xml", "word/footer1.xml")  # the zip's order
_CORE, _DOCUMENT = 2, 4  # the two parts that differ between reports (the others are ``_FIXED``)


DOCUMENT_START_BYTES = DOCUMENT_START.encode("utf-8")
DOCUMENT_END_BYTES = DOCUMENT_END.encode("utf-8")


def package(body: str, core: str) -> bytes:
    """The ``.docx`` file: the fixed parts, the document's body and its core properties, zipped
    (``package_document`` of the document encoded)."""
    return package_document((DOCUMENT_START + body + DOCUMENT_END).encode("utf-8"), core)


def package_document(document: bytes, core: str) -> bytes:
    """The ``.docx`` file of ``word/document.xml``'s bytes (``DOCUMENT_START``, the body, ``DOCUMENT_END``).

    Only the body is compressed: the other parts are a few KB, and compressing each costs more
    than storing it. The same bytes as ``zipfile`` writes (``package_by_zipfile``, the reference:
    tests/attach/test_attach_fastpaths.py), without its per-member machinery: the fixed parts'
    records are made once (``_fixed_members``).
    """
    members = _fixed_members()
    locals_: list[bytes] = []
    centrals: list[bytes] = []
    offset = 0
    for index, name in enumerate(_PARTS):
        if index == _CORE:
            member = _member(name, core.encode("utf-8"), deflated=False)
        elif index == _DOCUMENT:
            member = _member(name, document, deflated=True)
        else:
            member = members[index]
        local, central = member
        centrals.append(central[0] + offset.to_bytes(4, "little") + central[1])
        locals_.append(local)
        offset += len(local)
    directory = b"".join(centrals)
    end = _END.pack(b"PK\x05\x06", 0, 0, len(_PARTS), len(_PARTS), len(directory), offset, 0)
    return b"".join(locals_) + directory + end


# zipfile's records (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16), as it writes them for these parts: version 2.0,
# no flags (every name is ASCII), Unix (3) with mode 0644, no extra field, no comment.
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5HL")  # without the last field: the local record's offset
_END = struct.Struct("<4s4H2LH")
_DOS_TIME = _EPOCH[3] << 11 | _EPOCH[4] << 5 | _EPOCH[5] // 2
_DOS_DATE = (_EPOCH[0] - 1980) << 9 | _EPOCH[1] << 5 | _EPOCH[2]
_Member = tuple[bytes, tuple[bytes, bytes]]  # local record with the data; central record around the offset


def _member(name: str, data: bytes, *, deflated: bool) -> _Member:
    if deflated:  # as zipfile compresses at level 1: one compress, then flush
        compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
        stored = compressor.compress(data) + compressor.flush()
    else:
        stored = data
    method = zipfile.ZIP_DEFLATED if deflated else zipfile.ZIP_STORED
    crc = zlib.crc32(data)
    encoded = name.encode("ascii")
    local = _LOCAL.pack(b"PK\x03\x04", 20, 0, 0, method, _DOS_TIME, _DOS_DATE, crc, len(stored), len(data),
                        len(encoded), 0)
    central = _CENTRAL.pack(b"PK\x01\x02", 20, 3, 20, 0, 0, method, _DOS_TIME, _DOS_DATE, crc, len(stored),
                            len(data), len(encoded), 0, 0, 0, 0, 0o644 << 16)
    return local + encoded + stored, (central, encoded)


@cache
def _fixed_members() -> dict[int, _Member]:
    return {index: _member(name, _FIXED[name], deflated=False)
            for index, name in enumerate(_PARTS) if index not in (_CORE, _DOCUMENT)}


def package_by_zipfile(body: str, core: str) -> bytes:
    """``package`` written by ``zipfile`` (the reference the tests compare it with)."""
    parts: Iterable[tuple[str, bytes, int]] = (
        ("[Content_Types].xml", _FIXED["[Content_Types].xml"], zipfile.ZIP_STORED),
        ("_rels/.rels", _FIXED["_rels/.rels"], zipfile.ZIP_STORED),
        ("docProps/core.xml", core.encode("utf-8"), zipfile.ZIP_STORED),
        ("word/_rels/document.xml.rels", _FIXED["word/_rels/document.xml.rels"], zipfile.ZIP_STORED),
        ("word/document.xml", (DOCUMENT_START + body + DOCUMENT_END).encode("utf-8"), zipfile.ZIP_DEFLATED),
        ("word/styles.xml", _FIXED["word/styles.xml"], zipfile.ZIP_STORED),
        ("word/settings.xml", _FIXED["word/settings.xml"], zipfile.ZIP_STORED),
        ("word/footer1.xml", _FIXED["word/footer1.xml"], zipfile.ZIP_STORED),
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data, compression in parts:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = compression
            info.create_system = 3  # the same bytes on every system
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=1)
    return out.getvalue()
