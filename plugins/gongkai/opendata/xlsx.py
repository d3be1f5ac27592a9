"""A small XLSX writer for the report workbooks: the official tables, laid out, filled by string assembly.

A workbook is a zip of a few XML parts. Everything that does not depend on the report (the
styles, the workbook and its relations, each sheet's labels, spans and merged ranges) is worked
out once per set of table declarations (``Workbook``): each sheet is its XML cut around the
data cells. A report's workbook is those pieces with its values put in, zipped by hand with the
constant parts compressed once. No third-party library, so a build that publishes 50,000
workbooks pays for its numbers only; openpyxl (tests) and Excel read the result.
"""

from __future__ import annotations

import re
import struct
import sys
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache, cached_property
from typing import Any

from ..formats import TableSpec
from ..forms import FIRST_GRID_ROW, form_layout

# Styles (cellXfs): 0 plain, 1 bold label, 2 table title, 3 header (bold, wrapped, centred, ruled), 4 data (ruled).
PLAIN, BOLD, TITLE, HEADER, RULED = range(5)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
INFO_ROWS = (("报告", "title"), ("机关", "agency"), ("年度", "year"), ("报告格式", "format"),
             ("发布日期", "published"), ("数据来源", "source"))
INFO_SHEET = "说明"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '{sheets}'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '</Types>')
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    '</Relationships>')
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="13"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1">'
    '<alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')
_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    '<dc:creator>gongkai</dc:creator><dc:title>{title}</dc:title>'
    '<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
    '</cp:coreProperties>')
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def column_letter(number: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def escape(text: str) -> str:
    """``xml.sax.saxutils.escape``, whose module imports ``urllib.request`` (and with it ``http``,
    ``email``, ``ssl``: 20–34 ms of the files worker's start)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """``xml.sax.saxutils.quoteattr``: escaped, line breaks and tabs as references, in the quotes that
    need no escaping (``tests/opendata/test_opendata_file_costs.py`` compares the two)."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace('"', "&quot;") + '"'


def xml_text(text: str) -> str:
    return escape(_NOT_XML.sub("", text))


def _cell(ref: str, style: int, value: Any) -> str:
    """One ``<c>``: a number, inline text, or (None) an empty cell that keeps its style."""
    return f'<c r="{ref}" s="{style}"' + _cell_rest(value)


def _cell_rest(value: Any) -> str:
    """A ``<c>`` after its reference and style."""
    if value is None or value == "":
        return "/>"
    if isinstance(value, str):
        return f' t="inlineStr"><is><t xml:space="preserve">{xml_text(value)}</t></is></c>'
    if isinstance(value, Decimal):  # 万元 amounts: exact, never in exponent notation
        value = "0" if value == 0 else format(value.normalize(), "f")
    return f"><v>{value}</v></c>"


@dataclass(frozen=True)
class Sheet:
    """A worksheet's XML cut around its data cells: parts[0], slot 0, parts[1], …"""

    name: str
    parts: tuple[str, ...]
    slots: tuple[tuple[str, str], ...]  # (cell reference, key: a dotted cell path, or "info:<name>")

    @cached_property
    def _heads(self) -> tuple[tuple[str, str], ...]:
        """(the XML before a slot and the slot's '<c r=… s=…', its key), worked out once."""
        return tuple((before + f'<c r="{ref}" s="{PLAIN if key.startswith("info:") else RULED}"', key)
                     for before, (ref, key) in zip(self.parts, self.slots))

    @cached_property
    def _keys(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The heads and the keys of ``_heads``, apart."""
        return tuple(head for head, _ in self._heads), tuple(key for _, key in self._heads)

    def xml(self, values: Mapping[str, Any]) -> str:
        heads, keys = self._keys
        pieces = [f"{head}><v>{value}</v></c>" if value.__class__ is int else head + _cell_rest(value)
                  for head, value in zip(heads, map(values.get, keys))]
        pieces.append(self.parts[-1])
        return "".join(pieces)

    @cached_property
    def template(self) -> tuple[bytes, ...]:
        """``xml`` as UTF-8 pieces, four per slot (the XML before it and its '<c r=… s=…', '><v>', its
        number, '</v></c>'), then the end: ``xml_bytes`` puts the numbers in."""
        pieces: list[bytes] = []
        for head in self._keys[0]:
            pieces += [head.encode("utf-8"), b"><v>", b"", b"</v></c>"]
        pieces.append(self.parts[-1].encode("utf-8"))
        return tuple(pieces)

    def xml_bytes(self, numbers: Sequence[bytes], others: Iterable[tuple[int, Any]] = ()) -> bytes:
        """``xml`` encoded, made from the text of each slot's number (``numbers``, in slot order, ASCII),
        but for the slots ``others`` gives another value (slot, value: None, a text…): the same bytes."""
        pieces = list(self.template)
        pieces[2::4] = numbers
        for slot, value in others:
            at = 4 * slot + 1
            pieces[at:at + 3] = (_cell_rest(value).encode("utf-8"), b"", b"")
        return b"".join(pieces)


class _SheetWriter:
    """Collects a sheet's cells row by row; data cells become slots."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rows: dict[int, list[tuple[int, str, str | None]]] = {}  # row → (column, cell XML, or its slot's key)
        self.merged: list[str] = []
        self.widths: list[tuple[int, float]] = []

    def put(self, row: int, column: int, style: int, value: Any = None) -> None:
        self.rows.setdefault(row, []).append((column, _cell(f"{column_letter(column)}{row}", style, value), None))

    def slot(self, row: int, column: int, key: str) -> None:
        self.rows.setdefault(row, []).append((column, "", key))

    def merge(self, row: int, column: int, last_row: int, last_column: int) -> None:
        self.merged.append(f"{column_letter(column)}{row}:{column_letter(last_column)}{last_row}")

    def finish(self) -> Sheet:
        head = [_SHEET_HEAD, "<cols>"]
        head += [f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>' for c, w in self.widths]
        head.append("</cols><sheetData>")
        parts: list[str] = []
        current = "".join(head)
        slots: list[tuple[str, str]] = []
        for row in sorted(self.rows):
            current += f'<row r="{row}">'
            for column, xml, key in sorted(self.rows[row], key=lambda item: item[0]):
                if key is not None:
                    parts.append(current)
                    current = ""
                    slots.append((f"{column_letter(column)}{row}", key))
                else:
                    current += xml
            current += "</row>"
        current += "</sheetData>"
        if self.merged:
            current += f'<mergeCells count="{len(self.merged)}">' + "".join(
                f'<mergeCell ref="{m}"/>' for m in self.merged) + "</mergeCells>"
        current += '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
        parts.append(current)
        return Sheet(self.name, tuple(parts), tuple(slots))


class _AnyValue(dict[tuple[str, ...], int]):
    """``table_layout`` reads ``report.values[path]``: the layout does not depend on the numbers."""

    def __missing__(self, path: tuple[str, ...]) -> int:
        return 0


class _LayoutOnly:
    values = _AnyValue()
    as_published: dict[tuple[str, ...], Any] = {}

    def text(self, path: tuple[str, ...]) -> str:
        return "0"


def _info_sheet() -> Sheet:
    sheet = _SheetWriter(INFO_SHEET)
    for row, (label, name) in enumerate(INFO_ROWS, start=1):
        sheet.put(row, 1, BOLD, label)
        sheet.slot(row, 2, f"info:{name}")
    sheet.widths = [(1, 12), (2, 70)]
    return sheet.finish()


def _table_sheet(table: TableSpec) -> Sheet:
    """The official layout (``forms.form_layout``, as the Excel form has it): header cells with their
    spans merged, a slot in each data cell."""
    sheet = _SheetWriter(table.title[:31])
    sheet.put(1, 1, TITLE, table.title)
    if table.note:
        sheet.put(2, 1, PLAIN, table.note)
    width = 1
    for cell in form_layout(table, _LayoutOnly()):  # type: ignore[arg-type]
        r, c = cell.row, cell.column
        if cell.label is not None:
            sheet.put(r, c, HEADER, cell.label)
        elif cell.path is not None:
            sheet.slot(r, c, ".".join(cell.path))
        else:
            sheet.put(r, c, RULED)
        for dr in range(cell.rowspan):  # the ruled border of the cells a span covers
            for dc in range(cell.colspan):
                if dr or dc:
                    sheet.put(r + dr, c + dc, HEADER if cell.label is not None else RULED)
        if cell.colspan > 1 or cell.rowspan > 1:
            sheet.merge(r, c, r + cell.rowspan - 1, c + cell.colspan - 1)
        width = max(width, c + cell.colspan - 1)
    for row in range(1, FIRST_GRID_ROW if table.note else 2):
        if width > 1:
            sheet.merge(row, 1, row, width)
    sheet.widths = [(column, 16 if column == 1 else 12) for column in range(1, width + 1)]
    return sheet.finish()


@dataclass(frozen=True)
class _Member:
    """A zip member stored once: its name, compressed data, CRC and sizes."""

    name: bytes
    data: bytes
    crc: int
    size: int
    deflated: bool


if sys.version_info >= (3, 11):
    def _deflate(raw: bytes, level: int) -> bytes:
        """Raw deflate in one call: the bytes of ``compressobj(level, DEFLATED, -15)`` (one allocation of zlib's
        state fewer, no compressor object)."""
        return zlib.compress(raw, level, wbits=-15)
else:
    def _deflate(raw: bytes, level: int) -> bytes:
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        return packer.compress(raw) + packer.flush()


def _member(name: str, content: str | bytes, level: int = 1) -> _Member:
    raw = content.encode("utf-8") if isinstance(content, str) else content
    data = _deflate(raw, level)
    if len(data) >= len(raw):
        return _Member(name.encode(), raw, zlib.crc32(raw), len(raw), False)
    return _Member(name.encode(), data, zlib.crc32(raw), len(raw), True)


def _dos_date(day: date) -> int:
    return ((day.year - 1980) << 9) | (day.month << 5) | day.day


def _zip(members: Sequence[_Member], day: date) -> bytes:
    """A zip archive (no extras, no comment, DOS time of ``day``): the same members give the same bytes.
    The definition of ``Workbook.write_sheets``' archive (``_Archive``: the constant members' records
    made once per day, the others packed with fewer copies)."""
    dos_date = _dos_date(day)
    local: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for m in members:
        method = 8 if m.deflated else 0
        header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0x800, method, 0, dos_date, m.crc, len(m.data), m.size,
                             len(m.name), 0) + m.name
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0x800, method, 0, dos_date, m.crc,
                                   len(m.data), m.size, len(m.name), 0, 0, 0, 0, 0, offset) + m.name)
        local.append(header)
        local.append(m.data)
        offset += len(header) + len(m.data)
    directory = b"".join(central)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), offset, 0)
    return b"".join(local) + directory + end


_LOCAL_HEAD = struct.Struct("<4s5H")  # signature, version, flags, method, time, date
_SIZES = struct.Struct("<3L")  # CRC, compressed size, size
_NAME_LENGTHS = struct.Struct("<2H")  # name length, extra length
_CENTRAL_HEAD = struct.Struct("<4s6H")  # signature, made by, version, flags, method, time, date
_CENTRAL_TAIL = struct.Struct("<5HL")  # name length, extra, comment, disk, internal, external; + offset (L)
_OFFSET = struct.Struct("<L")
_END = struct.Struct("<4s4H2LH")
_DAYS = 512  # days whose constant records are kept (a few KB each)


class _Archive:
    """``_zip`` of a workbook's members, the constant ones (first) packed once per day: for a report, its
    variable members (core properties, sheets) are deflated and their records packed around them, and the
    archive joined once. The bytes of ``_zip`` (``Workbook.write_sheets_by_members``)."""

    def __init__(self, constant: Sequence[_Member], names: Sequence[str]) -> None:
        self.constant = tuple(constant)
        self.names = tuple(name.encode() for name in names)
        # Per variable member: after its sizes, in the local record (name length, 0, name) and in the
        # central one (name length, 0, 0, 0, 0, 0 and, after the offset, the name).
        self.local_ends = tuple(_NAME_LENGTHS.pack(len(name), 0) + name for name in self.names)
        self.central_ends = tuple(_CENTRAL_TAIL.pack(len(name), 0, 0, 0, 0, 0) for name in self.names)
        self.days: dict[int, tuple[bytes, bytes, int, dict[bool, bytes], dict[bool, bytes]]] = {}

    def _day(self, dos_date: int) -> tuple[bytes, bytes, int, dict[bool, bytes], dict[bool, bytes]]:
        """The constant members' local records and central records, their length, and the heads of a
        deflated and a stored member's local and central records, on that day."""
        found = self.days.get(dos_date)
        if found is None:
            if len(self.days) >= _DAYS:
                self.days.clear()
            whole = _zip(self.constant, date(1980 + (dos_date >> 9), (dos_date >> 5) & 15, dos_date & 31))
            end = _END.unpack(whole[-_END.size:])
            size, offset = end[5], end[6]
            heads = {deflated: _LOCAL_HEAD.pack(b"PK\x03\x04", 20, 0x800, 8 if deflated else 0, 0, dos_date)
                     for deflated in (True, False)}
            centrals = {deflated: _CENTRAL_HEAD.pack(b"PK\x01\x02", 20, 20, 0x800, 8 if deflated else 0, 0, dos_date)
                        for deflated in (True, False)}
            found = self.days[dos_date] = (whole[:offset], whole[offset:offset + size], offset, heads, centrals)
        return found

    def pack(self, contents: Sequence[bytes], dos_date: int) -> bytes:
        """The archive of the constant members then ``contents`` (one per name, UTF-8), each deflated
        (``_deflate``, level 1) unless that does not make it smaller: ``_zip``'s bytes."""
        local, central, offset, heads, centrals = self._day(dos_date)
        out = [local]
        directory = [central]
        pack_sizes = _SIZES.pack
        pack_offset = _OFFSET.pack
        for raw, local_end, central_end in zip(contents, self.local_ends, self.central_ends):
            data = _deflate(raw, 1)
            deflated = len(data) < len(raw)
            if not deflated:
                data = raw
            sizes = pack_sizes(zlib.crc32(raw), len(data), len(raw))
            out += (heads[deflated], sizes, local_end, data)
            directory += (centrals[deflated], sizes, central_end, pack_offset(offset))
            directory.append(local_end[_NAME_LENGTHS.size:])
            offset += _LOCAL_HEAD.size + _SIZES.size + len(local_end) + len(data)
        count = len(self.constant) + len(contents)
        length = sum(map(len, directory))
        out += directory
        out.append(_END.pack(b"PK\x05\x06", 0, 0, count, count, length, offset, 0))
        return b"".join(out)


@dataclass(frozen=True)
class Workbook:
    """The workbook of one set of table declarations: a 说明 sheet, then one sheet per table."""

    sheets: tuple[Sheet, ...]
    constant: tuple[_Member, ...]  # content types, relations, workbook, styles

    def write(self, values: Mapping[str, Any], *, title: str, day: date) -> bytes:
        """The workbook with ``values`` (dotted cell path or ``info:<name>`` → number or text) put in."""
        return self.write_sheets([sheet.xml(values) for sheet in self.sheets], title=title, day=day)

    def write_sheets(self, sheets: Sequence[str | bytes], *, title: str, day: date) -> bytes:
        """The workbook of the sheets' XML (``Sheet.xml`` or ``Sheet.xml_bytes``, one per sheet, in order):
        the bytes of ``write_sheets_by_members`` (``_Archive``)."""
        stamp = f"{day.isoformat()}T00:00:00Z"
        core = _CORE.format(title=xml_text(title), stamp=stamp).encode("utf-8")
        return self.archive.pack([core, *(xml if isinstance(xml, bytes) else xml.encode("utf-8") for xml in sheets)],
                                 _dos_date(day))

    def write_sheets_by_members(self, sheets: Sequence[str | bytes], *, title: str, day: date) -> bytes:
        """``write_sheets``' definition: every member made (``_member``), then zipped (``_zip``)."""
        stamp = f"{day.isoformat()}T00:00:00Z"
        members = [*self.constant, _member("docProps/core.xml", _CORE.format(title=xml_text(title), stamp=stamp))]
        members += [_member(f"xl/worksheets/sheet{n}.xml", xml) for n, xml in enumerate(sheets, 1)]
        return _zip(members, day)

    @cached_property
    def archive(self) -> _Archive:
        return _Archive(self.constant, ("docProps/core.xml",
                                        *(f"xl/worksheets/sheet{n}.xml" for n in range(1, len(self.sheets) + 1))))


@cache  # declarations hash by identity: one workbook layout per set of tables
def workbook(tables: tuple[TableSpec, ...]) -> Workbook:
    sheets = (_info_sheet(), *(_table_sheet(t) for t in tables))
    workbook_xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        + "".join(f'<sheet name={quoteattr(s.name)} sheetId="{n}" r:id="rId{n}"/>' for n, s in enumerate(sheets, 1))
        + "</sheets></workbook>")
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(f'<Relationship Id="rId{n}" Target="worksheets/sheet{n}.xml" '
                  'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
                  for n in range(1, len(sheets) + 1))
        + f'<Relationship Id="rId{len(sheets) + 1}" Target="styles.xml" '
          'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/></Relationships>')
    types = _CONTENT_TYPES.replace("{sheets}", "".join(_SHEET_TYPE.format(n=n) for n in range(1, len(sheets) + 1)))
    constant = (_member("[Content_Types].xml", types, 9), _member("_rels/.rels", _ROOT_RELS, 9),
                _member("xl/workbook.xml", workbook_xml, 9), _member("xl/_rels/workbook.xml.rels", rels, 9),
                _member("xl/styles.xml", _STYLES, 9))
    return Workbook(sheets, constant)

