"""One report's downloads: CSV (UTF-8 with BOM, for Excel), JSON (``schema/report-data.schema.json``), XLSX.

CSV and JSON hold one record per table cell (``cells``). The XLSX workbook lays each table
out like the official form (``xlsx``: the layout is the HTML renderer's ``table_layout``, worked
out once per set of table declarations, a report puts in its values). Labels are escaped once
per table, so that a report costs only its values.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..formats import TableSpec
from ..model import CellPath, CellValue, Report
from .cells import STATUSES, CellInfo, cell_states, json_number, table_cells, tables_of
from .xlsx import workbook

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
    states: CellStates  # for its workbook


def rendered(report: Report) -> Rendered:
    states = report_states(report)
    own, portal = csv_bodies(report, (REPORT_CSV, DATASET_CSV), states)
    return Rendered(csv_header([f.title for f in FIELDS]) + own.encode("utf-8"), portal.encode("utf-8"),
                    report_json_text(report, states).encode("utf-8"), states)


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


def report_json_text(report: Report, states: CellStates | None = None) -> str:
    """The report model as JSON: ``report_head`` plus ``tables``, each with every cell."""
    head = json.dumps(report_head(report), ensure_ascii=False)
    tables = ",".join(
        f'{{"key":{json.dumps(t.key)},"number":{json.dumps(t.number, ensure_ascii=False)},'
        f'"title":{json.dumps(t.title, ensure_ascii=False)},"cells":{_cells_json(report, t, states)}}}'
        for t in tables_of(report))
    return head[:-1] + ',"tables":[' + tables + "]}"


def report_json(report: Report) -> bytes:
    return (report_json_text(report) + "\n").encode("utf-8")


# --- XLSX ---------------------------------------------------------------------------------


def report_xlsx(report: Report, source: str = "", states: CellStates | None = None) -> bytes:
    """The report's tables laid out like the official forms, one sheet each, after a 说明 sheet."""
    values: dict[str, Any] = _cell_values(report, states or report_states(report))
    values.update({"info:title": report.title, "info:agency": f"{report.agency.name}（{report.agency.slug}）",
                   "info:year": report.year, "info:format": report.format.document,
                   "info:published": report.published.isoformat(), "info:source": source})
    # Dated by the report, not the build: the same report gives the same bytes (cold = incremental builds).
    return workbook(tables_of(report)).write(values, title=report.title, day=report.published)


def _cell_values(report: Report, states: CellStates) -> dict[str, Any]:
    """Each cell's content for the workbook, by dotted path: its number, or the published text."""
    out: dict[str, Any] = {}
    for table in tables_of(report):
        of_table = states[table.key]
        out.update(zip(_table_text(table).cells, (text if status else value for value, status, text in of_table)
                       if report.as_published else (value for value, _, _ in of_table)))
    return out
