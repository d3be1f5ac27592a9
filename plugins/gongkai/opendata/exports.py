"""One report's downloads: CSV (UTF-8 with BOM, for Excel), JSON (``schema/report-data.schema.json``), XLSX.

CSV and JSON hold one record per table cell (``cells``). The XLSX workbook lays each table
out like the official form (``xlsx``: the layout is the HTML renderer's ``table_layout``, worked
out once per set of table declarations, a report puts in its values). Labels are escaped once
per table, so that a report costs only its values.

Two ways to the same bytes: ``csv_bodies``, ``report_json_text`` and ``xlsx_reference`` write
text cell by cell (the definition, kept for the tests and the rarely used whole-dataset files);
``rendered`` and ``report_xlsx`` put a report's values, as UTF-8, between pieces encoded once per
set of tables (``_Pieces``): most of a file is labels, and a report then costs one ``bytes.join``
per file (``tests/opendata/test_opendata_bytes.py`` compares both ways).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from itertools import compress, count, repeat
from operator import is_not, itemgetter
from pathlib import Path
from typing import Any

from ..formats import TableSpec
from ..model import CellPath, CellValue, CellValues, Report
from .cells import STATUSES, CellInfo, cell_states, json_number, number_text, table_cells, tables_of
from .xlsx import Workbook, workbook

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


_CSV_QUOTED = re.compile('[,"\r\n]')  # what makes a CSV field quoted


def _csv_field(text: str) -> str:
    if _CSV_QUOTED.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


@dataclass(frozen=True)
class _TableText:
    """A table's per-cell text that does not depend on the report, escaped once."""

    infos: tuple[CellInfo, ...]
    csv_middle: tuple[str, ...]  # "table,row,column,"
    csv_end: tuple[str, ...]  # ",cell\r\n"
    json_start: tuple[str, ...]  # '{"cell":…,"row":…,"column":…,"total":…,"value":'
    totals: tuple[tuple[int, CellPath], ...]  # (index, path) of each total cell: computed unless given
    cells: tuple[str, ...]  # each cell's dotted path (``CellInfo.cell``)
    tails: dict[tuple[str, str, str], tuple[tuple[str, ...], tuple[str, ...]]] = field(
        default_factory=dict, compare=False, repr=False)  # ``csv_tails``, per variant

    def csv_tails(self, number_status: str, yes: str, no: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """What follows a number in each cell's line (status, empty text, computed, cell): not computed, computed."""
        key = (number_status, yes, no)
        found = self.tails.get(key)
        if found is None:
            found = self.tails[key] = (tuple(f",{number_status},,{no}{end}" for end in self.csv_end),
                                        tuple(f",{number_status},,{yes}{end}" for end in self.csv_end))
        return found

    def computed(self, report: Report) -> list[int]:
        """The indexes of the totals the report did not give (computed by gongkai)."""
        given = report.given_totals
        return [i for i, path in self.totals if path not in given]


JSON_ENDS = (',"computed":false}', ',"computed":true}')  # what closes a cell's record: not computed, computed


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
              f'"total":{"true" if i.is_total else "false"},"value":' for i in infos),
        tuple((n, i.path) for n, i in enumerate(infos) if i.is_total),
        tuple(i.cell for i in infos))


def csv_body(report: Report, *, statuses: dict[str, str], yes: str, no: str) -> str:
    """The report's cells as CSV lines (no header): ``FIELDS`` in order."""
    return csv_bodies(report, ((statuses, yes, no),))[0]


CellStates = dict[str, list[tuple[CellValue | None, str, str]]]  # table key → (value, status, text) of each cell


def report_states(report: Report) -> CellStates:
    """Each cell's value, status and text, read once for all of a report's downloads."""
    return {t.key: cell_states(report, table_cells(t)) for t in tables_of(report)}


def csv_bodies(report: Report, variants: Sequence[tuple[dict[str, str], str, str]],
               states: CellStates | None = None) -> list[str]:
    """The report's cells as CSV lines, in each variant (status names, computed yes / no) in one pass."""
    lead = ",".join(_csv_field(s) for s in (report.agency.slug, report.agency.name, str(report.year),
                                             report.format.version)) + ","
    outs: list[list[str]] = [[] for _ in variants]
    for table in tables_of(report):
        text = _table_text(table)
        of_table = states[table.key] if states is not None else cell_states(report, text.infos)
        computed = text.computed(report)
        special = [n for n, (_, status, _) in enumerate(of_table) if status] if report.as_published else []
        for out, (statuses, yes, no) in zip(outs, variants):
            plain, done = text.csv_tails(statuses[""], yes, no)
            lines = [f"{lead}{middle}{published}{tail}"
                     for middle, (_, _, published), tail in zip(text.csv_middle, of_table, plain)]
            for n in computed:  # a number (a total with a status is never computed)
                if not of_table[n][1]:
                    lines[n] = f"{lead}{text.csv_middle[n]}{of_table[n][2]}{done[n]}"
            for n in special:  # blank, not applicable, with its unit: the published text after the status
                _, status, published = of_table[n]
                lines[n] = (f"{lead}{text.csv_middle[n]},{statuses[status]},{_csv_field(published)},{no}"
                            f"{text.csv_end[n]}")
            out.extend(lines)
    return ["".join(out) for out in outs]


REPORT_STATUS_NAMES = {k: ("" if not k else v) for k, v in STATUSES.items()}
DATASET_STATUS_NAMES = {k: k for k in STATUSES}
REPORT_CSV = (REPORT_STATUS_NAMES, "是", "")  # a report's own CSV: Chinese, for people
DATASET_CSV = (DATASET_STATUS_NAMES, "true", "false")  # the portal's cells.csv: as datapackage.json defines it


def csv_document(header: Sequence[str], bodies: Iterable[str]) -> Iterable[bytes]:
    """UTF-8 with a BOM and CRLF line ends: what Excel in China opens without asking."""
    yield csv_header(header)
    for body in bodies:
        yield body.encode("utf-8")


def csv_header(header: Sequence[str]) -> bytes:
    return ("\ufeff" + ",".join(_csv_field(h) for h in header) + "\r\n").encode("utf-8")


def report_csv(report: Report) -> bytes:
    return csv_header([f.title for f in FIELDS]) + csv_bodies(report, (REPORT_CSV,))[0].encode("utf-8")


@dataclass(frozen=True)
class Rendered:
    """A report's CSV and JSON, made in one pass: its own downloads and its share of the portal dataset."""

    csv: bytes  # the report's CSV download, header included
    cells_csv: bytes  # its lines of the portal's cells.csv
    json: bytes  # its JSON (UTF-8): the download (plus a line end) and its entry in reports-data.json
    states: ReportCells  # its cells' values, for its workbook (``report_xlsx``)


def rendered(report: Report) -> Rendered:
    """The report's CSV (its own and its share of cells.csv) and JSON: the bytes of ``csv_bodies`` and
    ``report_json_text``, put together from pieces (``ReportCells``)."""
    cells = ReportCells.of(report)
    own, portal = cells.csv((REPORT_CSV, DATASET_CSV), (_report_csv_header(), b""))
    return Rendered(own, portal, cells.json(), cells)


@cache
def _report_csv_header() -> bytes:
    return csv_header([f.title for f in FIELDS])


def _cells_json(report: Report, table: TableSpec, states: CellStates | None = None) -> str:
    text = _table_text(table)
    of_table = states[table.key] if states is not None else cell_states(report, text.infos)
    plain, done = JSON_ENDS
    parts = [f"{start}{value}{plain}" if value.__class__ is int else
             f"{start}{_json_value(value)}{plain}"
             for start, (value, _, _) in zip(text.json_start, of_table)]
    for n in text.computed(report):
        value, status, _ = of_table[n]
        if not status:
            parts[n] = f"{text.json_start[n]}{_json_value(value)}{done}"
    if report.as_published:
        for n, (value, status, published) in enumerate(of_table):
            if status:
                parts[n] = (f'{text.json_start[n]}{_json_value(value)},"status":"{status}",'
                            f'"text":{json.dumps(published, ensure_ascii=False)}{plain}')
    return "[" + ",".join(parts) + "]"


def _json_value(value: CellValue | None) -> str:
    """A cell's value as JSON: an integer, a decimal amount (``json_number``), or null."""
    number = value if value.__class__ is int else json_number(value)
    return "null" if number is None else str(number)


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


def report_head_json(report: Report) -> str:
    """``json.dumps(report_head(report), ensure_ascii=False)``, written without the encoder's walk over the
    dict (``report_head_json_by_dumps`` is the definition): the head's fields are text, integers and
    booleans; anything else (a subclass, another type) goes to ``json.dumps``."""
    duty = report.obligation
    fmt = report.format
    texts = (report.title, report.agency.slug, report.agency.name, duty.kind, fmt.version, fmt.document)
    year, inferred, late = report.year, duty.inferred, report.is_late
    if (any(t.__class__ is not str for t in texts) or year.__class__ is not int
            or inferred.__class__ is not bool or late.__class__ is not bool):
        return report_head_json_by_dumps(report)
    narrative = report.narrative
    sections = []
    for section in fmt.sections:
        if section.table is not None:
            continue
        text = narrative.get(section.key, "")
        if section.number.__class__ is not str or section.title.__class__ is not str or \
                section.key.__class__ is not str or text.__class__ is not str:
            return report_head_json_by_dumps(report)
        sections.append(f'{{"number": {_TEXT(section.number)}, "title": {_TEXT(section.title)}, '
                        f'"key": {_TEXT(section.key)}, "text": {_TEXT(text)}}}')
    title, code, name, kind, version, document = map(_TEXT, texts)
    return (f'{{"schema_version": {_TEXT(SCHEMA_VERSION)}, "title": {title}, "agency": {{"code": {code}, '
            f'"name": {name}, "kind": {kind}, "kind_inferred": {"true" if inferred else "false"}}}, '
            f'"year": {int.__repr__(year)}, "format": {{"version": {version}, "document": {document}}}, '
            f'"published": {_TEXT(report.published.isoformat())}, "deadline": {_TEXT(report.deadline.isoformat())}, '
            f'"late": {"true" if late else "false"}, "sections": [{", ".join(sections)}]}}')


def report_head_json_by_dumps(report: Report) -> str:
    return json.dumps(report_head(report), ensure_ascii=False)


_TEXT = json.encoder.encode_basestring  # what ``ensure_ascii=False`` writes a text with (the C one when built)


def report_json_text(report: Report, states: CellStates | None = None) -> str:
    """The report model as JSON: ``report_head`` plus ``tables``, each with every cell."""
    head = report_head_json_by_dumps(report)
    tables = ",".join(
        f'{{"key":{json.dumps(t.key)},"number":{json.dumps(t.number, ensure_ascii=False)},'
        f'"title":{json.dumps(t.title, ensure_ascii=False)},"cells":{_cells_json(report, t, states)}}}'
        for t in tables_of(report))
    return head[:-1] + ',"tables":[' + tables + "]}"


def report_json(report: Report) -> bytes:
    return (report_json_text(report) + "\n").encode("utf-8")


# --- XLSX ---------------------------------------------------------------------------------


def report_xlsx(report: Report, source: str = "", states: ReportCells | None = None) -> bytes:
    """The report's tables laid out like the official forms, one sheet each, after a 说明 sheet: the
    bytes of ``xlsx_reference``, each table's sheet put together from pieces (``Sheet.xml_bytes``)."""
    cells = states if states is not None and states.report is report else ReportCells.of(report)
    book = workbook(cells.pieces.tables)
    sheets: list[str | bytes] = [book.sheets[0].xml(_info(report, source))]
    sheets += cells.sheets(book)
    # Dated by the report, not the build: the same report gives the same bytes (cold = incremental builds).
    return book.write_sheets(sheets, title=report.title, day=report.published)


def xlsx_reference(report: Report, source: str = "") -> bytes:
    """``report_xlsx`` written cell by cell from the values by cell path (``xlsx.Sheet.xml``): its definition."""
    values: dict[str, Any] = _cell_values(report, report_states(report))
    values.update(_info(report, source))
    return workbook(tables_of(report)).write(values, title=report.title, day=report.published)


def _info(report: Report, source: str) -> dict[str, Any]:
    """The 说明 sheet's values."""
    return {"info:title": report.title, "info:agency": f"{report.agency.name}（{report.agency.slug}）",
            "info:year": report.year, "info:format": report.format.document,
            "info:published": report.published.isoformat(), "info:source": source}


def _cell_values(report: Report, states: CellStates) -> dict[str, Any]:
    """Each cell's content for the workbook, by dotted path: its number, or the published text."""
    out: dict[str, Any] = {}
    for table in tables_of(report):
        of_table = states[table.key]
        out.update(zip(_table_text(table).cells, (text if status else value for value, status, text in of_table)
                       if report.as_published else (value for value, _, _ in of_table)))
    return out


# --- the same files from pieces -----------------------------------------------------------------


def _ascii_lines(texts: Sequence[str]) -> list[bytes]:
    """Each text (numbers: ASCII, no line end) as bytes, encoded in one go."""
    if not texts:
        return []
    out = "\n".join(texts).encode("utf-8").split(b"\n")
    if len(out) != len(texts):  # a line end in a text after all: one by one
        return [text.encode("utf-8") for text in texts]
    return out


@dataclass(frozen=True, eq=False)
class _Pieces:
    """Every cell of a set of tables (a format's, or the layouts an archived report keeps), and what does
    not depend on the report around each cell's value in the CSV lines, the JSON records and the
    workbook's sheets, encoded once (``pieces``)."""

    tables: tuple[TableSpec, ...]
    texts: tuple[_TableText, ...]
    paths: tuple[CellPath, ...]  # every cell's, in the tables' order
    totals: tuple[tuple[int, CellPath], ...]  # (index, path) of each total
    csv_middle: tuple[str, ...]  # each cell's "table,row,column,"
    csv_end: tuple[str, ...]  # each cell's ",cell\r\n"
    json_pieces: tuple[bytes, ...]  # per cell: what goes before its value, its value (empty), what closes it; the end
    variants: dict[tuple[str, str, str], tuple[tuple[bytes, ...], tuple[bytes, ...]]] = field(
        default_factory=dict, compare=False, repr=False)
    slots: dict[int, tuple[_SheetCells, ...]] = field(default_factory=dict, compare=False, repr=False)
    # id of a ``CellValues`` layout → the layout, and what takes this set's values from its numbers (None: as they are)
    takers: dict[int, tuple[tuple[CellPath, ...], Callable[[tuple[Any, ...]], tuple[Any, ...]] | None]] = field(
        default_factory=dict, compare=False, repr=False)

    @cached_property
    def index(self) -> dict[CellPath, int]:
        return {path: n for n, path in enumerate(self.paths)}

    def values_of(self, values: Mapping[CellPath, CellValue]) -> Sequence[CellValue | None]:
        """A report's value of each cell (None where it has none), in ``paths``' order: ``values.get`` of each
        path, taken from a ``CellValues``' numbers by positions worked out once per layout."""
        if values.__class__ is CellValues and len(self.paths) > 1:
            layout, numbers = values.in_order()
            found = self.takers.get(id(layout))
            if found is None or found[0] is not layout:
                found = self.takers[id(layout)] = (layout, self._taker(layout))
            take = found[1]
            return numbers if take is None else take((*numbers, None))
        return list(map(values.get, self.paths))

    def _taker(self, layout: tuple[CellPath, ...]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]] | None:
        """None when the layout holds these cells in this order, else a getter of their positions in its
        numbers followed by a None (the position of a cell the layout does not hold)."""
        if layout == self.paths:
            return None
        position = {path: n for n, path in enumerate(layout)}
        return itemgetter(*(position.get(path, len(layout)) for path in self.paths))

    def csv_template(self, number_status: str, yes: str, no: str) -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
        """A CSV variant's pieces, four per cell (lead, "table,row,column,", value, the rest of the line),
        with the lead and the value left empty; and the rest of each cell's line when it is a computed total."""
        key = (number_status, yes, no)
        found = self.variants.get(key)
        if found is None:
            plain: list[bytes] = []
            done: list[bytes] = []
            for middle, end in zip(self.csv_middle, self.csv_end):
                plain += [b"", middle.encode("utf-8"), b"", f",{number_status},,{no}{end}".encode()]
                done.append(f",{number_status},,{yes}{end}".encode())
            found = self.variants[key] = (tuple(plain), tuple(done))
        return found

    def sheet_slots(self, book: Workbook) -> tuple[_SheetCells, ...]:
        """For each table's sheet (after the 说明 sheet): the cell in each of its slots, the slots that hold
        no cell of the tables (left empty), and what takes the slots' items from a list in the cells' order."""
        found = self.slots.get(id(book))
        if found is None:
            index = self.index
            out = []
            for sheet in book.sheets[1:]:
                keys = [key for _, key in sheet.slots]
                cells = tuple(index.get(tuple(key.split(".")), 0) for key in keys)
                empty = tuple(j for j, key in enumerate(keys) if tuple(key.split(".")) not in index)
                out.append((cells, empty, _taker(cells)))
            found = self.slots[id(book)] = tuple(out)
        return found


_SheetCells = tuple[tuple[int, ...], tuple[int, ...], Callable[[Sequence[Any]], Sequence[Any]]]


def _taker(positions: tuple[int, ...]) -> Callable[[Sequence[Any]], Sequence[Any]]:
    """What takes the items at ``positions`` of a sequence, in that order (``[items[n] for n in positions]``)."""
    if len(positions) > 1:
        return itemgetter(*positions)
    return lambda items: [items[n] for n in positions]


@cache  # declarations hash by identity: one entry per set of tables
def table_pieces(tables: tuple[TableSpec, ...]) -> _Pieces:
    texts = tuple(_table_text(t) for t in tables)
    json_pieces: list[bytes] = []
    pending = ""
    offset = 0
    totals: list[tuple[int, CellPath]] = []
    for n, (table, text) in enumerate(zip(tables, texts)):
        pending += (("," if n else "") + f'{{"key":{json.dumps(table.key)},'
                    f'"number":{json.dumps(table.number, ensure_ascii=False)},'
                    f'"title":{json.dumps(table.title, ensure_ascii=False)},"cells":[')
        for k, start in enumerate(text.json_start):
            json_pieces += [(pending + ("," if k else "") + start).encode("utf-8"), b"", JSON_BYTES_ENDS[0]]
            pending = ""
        pending += "]}"
        totals += [(offset + i, path) for i, path in text.totals]
        offset += len(text.infos)
    json_pieces.append(pending.encode("utf-8"))
    return _Pieces(tables, texts, tuple(i.path for t in texts for i in t.infos), tuple(totals),
                   tuple(m for t in texts for m in t.csv_middle), tuple(e for t in texts for e in t.csv_end),
                   tuple(json_pieces))


JSON_BYTES_ENDS = tuple(end.encode("utf-8") for end in JSON_ENDS)


@dataclass(frozen=True, eq=False)
class ReportCells:
    """A report's cell values once, as the files write them: the text of each number, each cell's
    JSON value, the cells published blank, not applicable or with their unit, and the totals gongkai
    computed. Its CSV, JSON and workbook sheets are the pieces of its tables with these put in."""

    report: Report
    pieces: _Pieces
    values: Sequence[CellValue | None]
    numbers: list[bytes]  # each cell's number as the CSV and the workbook write it ("" for none)
    json_values: list[bytes]  # each cell's value as JSON
    special: list[tuple[int, str, str]]  # (index, status, published text) of each cell published as such
    computed: list[int]  # the totals the report did not give (computed by gongkai) and published as numbers

    @classmethod
    def of(cls, report: Report) -> ReportCells:
        spec = table_pieces(tables_of(report))
        values = spec.values_of(report.values)
        numbers = _ascii_lines(list(map(str, values)))  # an integer's text, in the CSV, workbook and JSON alike
        json_values = numbers
        # The cells holding no integer (a decimal amount, a cell left empty: their own texts), found without a
        # Python loop over every cell.
        odd = list(compress(count(), map(is_not, map(type, values), repeat(int))))
        if odd:
            json_values = list(numbers)
            for n in odd:
                value = values[n]
                numbers[n] = ("" if value is None else number_text(value)).encode("utf-8")
                json_values[n] = _json_value(value).encode("utf-8")
        published = report.as_published
        special: list[tuple[int, str, str]] = []
        if published:
            index = spec.index
            special = sorted((index[path], str(cell.state.value), cell.text)
                             for path, cell in published.items() if path in index)
        given = report.given_totals
        computed = [n for n, path in spec.totals if path not in given]
        if special:
            published_at = {n for n, _, _ in special}
            computed = [n for n in computed if n not in published_at]
        return cls(report, spec, values, numbers, json_values, special, computed)

    @cached_property
    def states(self) -> CellStates:
        """(value, status, published text) of each cell by table (``report_states``)."""
        return report_states(self.report)

    def _lead(self) -> bytes:
        report = self.report
        return (",".join(_csv_field(s) for s in (report.agency.slug, report.agency.name, str(report.year),
                                                  report.format.version)) + ",").encode("utf-8")

    def csv(self, variants: Sequence[tuple[dict[str, str], str, str]], heads: Sequence[bytes] = ()) -> list[bytes]:
        """The CSV lines in each variant: ``csv_bodies``' text, encoded, after the variant's head (``heads``,
        none by default: put in the same join)."""
        spec = self.pieces
        count = len(spec.paths)
        leads = [self._lead()] * count
        numbers = self.numbers
        if self.special:
            numbers = list(numbers)
            for n, _, _ in self.special:  # its text goes after its status
                numbers[n] = b""
        out = []
        lead = leads[0] if leads else b""
        for v, (statuses, yes, no) in enumerate(variants):
            template, done = spec.csv_template(statuses[""], yes, no)
            parts = list(template)
            parts[0::4] = leads
            if v < len(heads) and heads[v]:
                if parts:
                    parts[0] = heads[v] + lead
                else:
                    parts.append(heads[v])
            parts[2::4] = numbers
            for n in self.computed:
                parts[4 * n + 3] = done[n]
            for n, status, text in self.special:
                parts[4 * n + 3] = f",{statuses[status]},{_csv_field(text)},{no}{spec.csv_end[n]}".encode()
            out.append(b"".join(parts))
        return out

    def json(self) -> bytes:
        """The report model as JSON: ``report_json_text``, encoded."""
        parts = list(self.pieces.json_pieces)
        parts[1:-1:3] = self.json_values
        done = JSON_BYTES_ENDS[1]
        for n in self.computed:
            parts[3 * n + 2] = done
        for n, status, text in self.special:
            parts[3 * n + 1] = (f'{_json_value(self.values[n])},"status":"{status}",'
                                f'"text":{json.dumps(text, ensure_ascii=False)}').encode()
        head = (report_head_json(self.report)[:-1] + ',"tables":[').encode("utf-8")
        parts[0] = head + parts[0]
        parts.append(b"]}")
        return b"".join(parts)

    def sheets(self, book: Workbook) -> list[bytes]:
        """Each table's sheet of the workbook (``Sheet.xml`` of the cell values, encoded)."""
        numbers = self.numbers
        others: dict[int, str | None] = {}
        if None in self.values:  # left empty (an archived report's blank cell)
            others = {n: None for n, value in enumerate(self.values) if value is None}
        others.update((n, text) for n, _, text in self.special)
        out = []
        for sheet, (cells, empty, take) in zip(book.sheets[1:], self.pieces.sheet_slots(book)):
            rest = [(j, others[n]) for j, n in enumerate(cells) if n in others] if others else []
            rest += [(j, None) for j in empty]
            out.append(sheet.xml_bytes(take(numbers), rest))
        return out
