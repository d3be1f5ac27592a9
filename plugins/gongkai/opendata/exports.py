"""One report's downloads: CSV (UTF-8 with BOM, for Excel), JSON (``schema/report-data.schema.json``), XLSX.

CSV and JSON hold one record per table cell (``cells``). The XLSX workbook lays each table
out like the official form: the layout (spans, labels) is the HTML renderer's ``table_layout``,
written once per set of table declarations with openpyxl, with a marker number in each data
cell; a report's workbook is that skeleton with its numbers written over the markers.
Labels are escaped once per table, so that a report costs only its values.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from ..formats import TableSpec
from ..model import Report
from ..rendering.tables import BlankCell, DataCell, HeaderCell, table_layout
from .cells import STATUSES, CellInfo, cell_states, json_number, table_cells, tables_of

SCHEMA_VERSION = "1.0"
SCHEMA_NAME = "report-data.schema.json"
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / SCHEMA_NAME


@dataclass(frozen=True)
class Field:
    name: str  # machine name (portal dataset, datapackage.json)
    title: str  # Chinese header (a report's own CSV)
    type: str  # Frictionless type
    description: str


FIELDS = (
    Field("agency_code", "机关代码", "string", "机关代码（网址中使用），如 shifan-qu"),
    Field("agency_name", "机关名称", "string", "机关名称，如 示例区人民政府"),
    Field("year", "年度", "integer", "报告年度"),
    Field("format", "报告格式", "string", "报告格式：2021 为国办公开办函〔2021〕30号，2019 为国办公开办函〔2019〕60号"),
    Field("table", "表格", "string", "官方表格的标题，如 三、收到和处理政府信息公开申请情况"),
    Field("row", "行", "string", "行的正式名称，由外到内以“ › ”连接（表二先写所属条款）"),
    Field("column", "列", "string", "列的正式名称，由外到内以“ › ”连接"),
    Field("value", "数值", "number", "单元格的数值（金额单位为万元）；原文空白或不适用时为空"),
    Field("status", "状态", "string",
          "单元格状态：空为数值；blank 原文空白；not-applicable 原文不适用（如“/”）；with-unit 原文带单位"),
    Field("text", "原文", "string", "状态不为空时，原文所写的内容"),
    Field("computed", "自动计算的合计", "boolean", "是否为填报时未填写、由 gongkai 按表内关系计算的合计数"),
    Field("cell", "单元格代码", "string", "单元格在报告 YAML 文件中的路径，以“.”连接，如 applications.received.total"),
)


def _csv_field(text: str) -> str:
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


@dataclass(frozen=True)
class _TableText:
    """A table's per-cell text that does not depend on the report, escaped once."""

    infos: tuple[CellInfo, ...]
    csv_middle: tuple[str, ...]  # "table,row,column,"
    csv_end: tuple[str, ...]  # ",cell\r\n"
    json_start: tuple[str, ...]  # '{"cell":…,"row":…,"column":…,"total":…,"value":'




def _dump(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@cache  # declarations hash by identity: one entry per table declaration
def _table_text(table: TableSpec) -> _TableText:
    infos = table_cells(table)
    return _TableText(
        infos,
        tuple(",".join(_csv_field(s) for s in (i.table, i.row, i.column)) + "," for i in infos),
        tuple("," + _csv_field(i.cell) + "\r\n" for i in infos),
        tuple(f'{{"cell":{_dump(i.cell)},"row":{_dump(i.row)},"column":{_dump(i.column)},'
              f'"total":{"true" if i.is_total else "false"},"value":' for i in infos))


def csv_body(report: Report, *, statuses: dict[str, str], yes: str, no: str) -> str:
    """The report's cells as CSV lines (no header): ``FIELDS`` in order."""
    lead = ",".join(_csv_field(s) for s in (report.agency.slug, report.agency.name, str(report.year),
                                             report.format.version)) + ","
    given = report.given_totals
    out: list[str] = []
    for table in tables_of(report):
        text = _table_text(table)
        states = cell_states(report, text.infos)
        for info, middle, end, (_value, status, published) in zip(text.infos, text.csv_middle, text.csv_end, states):
            computed = info.is_total and not status and info.path not in given
            out.append(lead + middle + (published if not status else "") + "," + statuses[status] + ","
                       + (_csv_field(published) if status else "") + "," + (yes if computed else no) + end)
    return "".join(out)


REPORT_STATUS_NAMES = {k: ("" if not k else v) for k, v in STATUSES.items()}
DATASET_STATUS_NAMES = {k: k for k in STATUSES}


def csv_document(header: Sequence[str], bodies: Iterable[str]) -> Iterable[bytes]:
    """UTF-8 with a BOM and CRLF line ends: what Excel in China opens without asking."""
    yield ("\ufeff" + ",".join(_csv_field(h) for h in header) + "\r\n").encode("utf-8")
    for body in bodies:
        yield body.encode("utf-8")


def report_csv(report: Report) -> bytes:
    body = csv_body(report, statuses=REPORT_STATUS_NAMES, yes="是", no="")
    return b"".join(csv_document([f.title for f in FIELDS], [body]))


def _cells_json(report: Report, table: TableSpec) -> str:
    text = _table_text(table)
    given = report.given_totals
    parts = []
    for info, start, (value, status, published) in zip(text.infos, text.json_start,
                                                        cell_states(report, text.infos)):
        computed = info.is_total and not status and info.path not in given
        number = value if value.__class__ is int else json_number(value)
        parts.append(start + ("null" if number is None else str(number))
                     + (f',"status":"{status}","text":{json.dumps(published, ensure_ascii=False)}' if status else "")
                     + (',"computed":true}' if computed else ',"computed":false}'))
    return "[" + ",".join(parts) + "]"


def report_head(report: Report) -> dict[str, Any]:
    """Everything of the report model but its cells."""
    duty = report.obligation
    return {
        "schema_version": SCHEMA_VERSION,
        "title": report.title,
        "agency": {"code": report.agency.slug, "name": report.agency.name, "kind": duty.kind,
                   "kind_inferred": duty.inferred},
        "year": report.year,
        "format": {"version": report.format.version, "document": report.format.document},
        "published": report.published.isoformat(),
        "deadline": report.deadline.isoformat(),
        "late": report.is_late,
        "sections": [{"number": s.number, "title": s.title, "key": s.key, "text": report.narrative.get(s.key, "")}
                     for s in report.format.sections if s.table is None],
    }


def report_json_text(report: Report) -> str:
    """The report model as JSON: ``report_head`` plus ``tables``, each with every cell."""
    head = json.dumps(report_head(report), ensure_ascii=False)
    tables = ",".join(
        f'{{"key":{json.dumps(t.key)},"number":{json.dumps(t.number, ensure_ascii=False)},'
        f'"title":{json.dumps(t.title, ensure_ascii=False)},"cells":{_cells_json(report, t)}}}'
        for t in tables_of(report))
    return head[:-1] + ',"tables":[' + tables + "]}"


def report_json(report: Report) -> bytes:
    return (report_json_text(report) + "\n").encode("utf-8")


# --- XLSX ---------------------------------------------------------------------------------

_STAMP = datetime(2000, 1, 1)
_STAMP_TEXT = b"2000-01-01T00:00:00Z"
_MARK_BASE = 900_000_000  # marker numbers: no reported figure comes near them
_MARKED = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)><v>(9[0-9]{8})</v></c>')
_INFO = (("报告", "title"), ("机关", "agency"), ("年度", "year"), ("报告格式", "format"),
         ("发布日期", "published"), ("数据来源", "source"))


@dataclass(frozen=True)
class _Sheet:
    """A worksheet's XML cut around its markers: parts[0], cell 0, parts[1], …"""

    parts: tuple[str, ...]
    cells: tuple[tuple[str, str, str], ...]  # (reference, attributes, meaning) of each marker


@dataclass(frozen=True)
class _Book:
    members: tuple[tuple[str, bytes | _Sheet], ...]


def _grid_rows(table: TableSpec, marker: dict[str, int]) -> list[tuple[Any, ...]]:
    """The official layout, row by row (header, data and blank cells with their spans)."""

    class _Values(dict[tuple[str, ...], int]):  # table_layout reads report.values[path]: a marker number per cell
        def __missing__(self, path: tuple[str, ...]) -> int:
            return marker.setdefault(".".join(path), _MARK_BASE + len(marker))

    class _Markers:
        values = _Values()

        def text(self, path: tuple[str, ...]) -> str:  # table_layout after the archive model (issue 12)
            return str(self.values[path])

    layout = table_layout(_Markers(), table)  # type: ignore[arg-type]
    return [*layout.head, *(row for body in layout.bodies for row in body)]


def _build_book(tables: tuple[TableSpec, ...]) -> _Book:
    from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.styles import Alignment, Border, Font, Side  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    meaning: dict[int, str] = {}
    book = Workbook()
    info = book.active
    info.title = "说明"
    for row, (label, name) in enumerate(_INFO, start=1):
        info.cell(row, 1, label).font = Font(bold=True)
        info.cell(row, 2, _MARK_BASE + 99_000_000 + row)
        meaning[_MARK_BASE + 99_000_000 + row] = f"info:{name}"
    info.column_dimensions["A"].width = 12
    info.column_dimensions["B"].width = 70
    for number, table in enumerate(tables):
        marker: dict[str, int] = {}
        sheet = book.create_sheet(table.title[:31])
        sheet.cell(1, 1, table.title).font = Font(bold=True, size=13)
        first = 3 if table.note else 2
        if table.note:
            sheet.cell(2, 1, table.note)
        taken: set[tuple[int, int]] = set()
        width = 1
        for offset, grid_row in enumerate(_grid_rows(table, marker)):
            r, c = first + offset, 1
            for cell in grid_row:
                while (r, c) in taken:
                    c += 1
                rowspan = getattr(cell, "rowspan", 1)
                target = sheet.cell(r, c)
                if isinstance(cell, HeaderCell):
                    target.value, target.font, target.alignment = cell.text, Font(bold=True), wrap
                elif isinstance(cell, DataCell):
                    target.value = int(cell.text)
                else:
                    assert isinstance(cell, BlankCell)
                for dr in range(rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                        sheet.cell(r + dr, c + dc).border = border
                if cell.colspan > 1 or rowspan > 1:
                    sheet.merge_cells(start_row=r, start_column=c, end_row=r + rowspan - 1,
                                      end_column=c + cell.colspan - 1)
                c += cell.colspan
            width = max(width, c - 1)
        for row in range(1, first):
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        for column in range(1, width + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 16 if column == 1 else 12
        meaning.update({n + number * 1_000_000: path for path, n in marker.items()})
        for cell_row in sheet.iter_rows():  # markers unique across sheets
            for cell_ in cell_row:
                if isinstance(cell_.value, int) and _MARK_BASE <= cell_.value < _MARK_BASE + 99_000_000:
                    cell_.value += number * 1_000_000
    book.properties.creator = "gongkai"
    book.properties.created = book.properties.modified = _STAMP  # replaced by the report's date
    out = io.BytesIO()
    book.save(out)
    members: list[tuple[str, bytes | _Sheet]] = []
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        for item in archive.infolist():
            data = archive.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                pieces = _MARKED.split(data.decode("utf-8"))  # text, ref, attributes, marker, text, …
                members.append((item.filename, _Sheet(
                    tuple(pieces[0::4]),
                    tuple((ref, re.sub(r'\s+t="[^"]*"', "", attrs), meaning[int(mark)])
                          for ref, attrs, mark in zip(pieces[1::4], pieces[2::4], pieces[3::4])))))
            elif item.filename == "docProps/core.xml":  # openpyxl dates "modified" by the clock
                members.append((item.filename, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + _STAMP_TEXT, data)))
            else:
                members.append((item.filename, data))
    return _Book(tuple(members))


_BOOKS: dict[tuple[int, ...], tuple[tuple[TableSpec, ...], _Book]] = {}


def _book(tables: tuple[TableSpec, ...]) -> _Book:
    key = tuple(id(t) for t in tables)
    cached = _BOOKS.get(key)
    if cached is None or cached[0] != tables:
        cached = _BOOKS[key] = (tables, _build_book(tables))
    return cached[1]


def _xml_cell(ref: str, attributes: str, value: Any) -> str:
    if value is None:
        return f'<c r="{ref}"{attributes}/>'
    if isinstance(value, str):
        return f'<c r="{ref}"{attributes} t="inlineStr"><is><t>{xml_escape(value)}</t></is></c>'
    return f'<c r="{ref}"{attributes}><v>{value}</v></c>'


def report_xlsx(report: Report, source: str = "") -> bytes:
    """The report's tables laid out like the official forms, one sheet each, after a 说明 sheet."""
    book = _book(tables_of(report))
    info = {"title": report.title, "agency": f"{report.agency.name}（{report.agency.slug}）", "year": report.year,
            "format": report.format.document, "published": report.published.isoformat(), "source": source}
    values = _cell_values(report)
    # Dated by the report, not the build: the same report gives the same bytes (cold = incremental builds).
    stamp = (report.published.year, report.published.month, report.published.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, member in book.members:
            entry = zipfile.ZipInfo(name, stamp)
            if isinstance(member, _Sheet):
                pieces = [member.parts[0]]
                for (ref, attrs, meaning), after in zip(member.cells, member.parts[1:]):
                    value = values[meaning] if meaning in values else info[meaning[5:]]
                    pieces.append(_xml_cell(ref, attrs, value))
                    pieces.append(after)
                archive.writestr(entry, "".join(pieces), compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
            elif name == "docProps/core.xml":
                archive.writestr(entry, member.replace(_STAMP_TEXT, f"{report.published.isoformat()}T00:00:00Z".encode()))
            else:  # styles, workbook, relations: a few hundred bytes each, stored as they are
                archive.writestr(entry, member)
    return out.getvalue()


def _cell_values(report: Report) -> dict[str, Any]:
    """Each cell's content for the workbook, by dotted path: its number, or the published text."""
    out: dict[str, Any] = {}
    for table in tables_of(report):
        infos = table_cells(table)
        for info, (value, status, text) in zip(infos, cell_states(report, infos)):
            out[info.cell] = text if status else value if value.__class__ is int else json_number(value)
    return out
