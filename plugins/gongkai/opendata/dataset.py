"""The portal-wide dataset: every report's cells in one tidy CSV and one JSON file, the
Frictionless Data Package descriptor that defines every field, and ``reports.json``, the
machine-readable index of reports and their downloads.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from ..model import Report
from . import fileio
from .exports import (
    DATASET_CSV,
    DATASET_STATUS_NAMES,
    FIELDS,
    SCHEMA_NAME,
    SCHEMA_VERSION,
    Rendered,
    csv_bodies,
    csv_document,
    csv_header,
    rendered,
    report_json_text,
)

CELLS_CSV = "cells.csv"
CELLS_JSON = "reports-data.json"
DATAPACKAGE = "datapackage.json"
REPORTS_JSON = "reports.json"
LICENCE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "知识共享署名 4.0 国际许可协议（CC BY 4.0）"}
# The dataset's order (cells.csv and reports-data.json): the portal index's, the order the report pages are
# written in (the files are made beside them, ``gongkai.offload``).
ORDER = "各报告按年度从新到旧、同一年度内按机关代码排列，每份报告的单元格按官方表格的顺序排列。"
LICENCE_LINE = ("各机关的年度报告是依法公开的政府信息；本门户整理的数据文件按知识共享署名 4.0 国际许可协议"
                "（CC BY 4.0）提供，使用时请注明来源（本门户及原报告机关）。")


def dataset_csv(reports: Iterable[Report]) -> Iterable[bytes]:
    """One row per cell of every report (UTF-8 with BOM), field names as in ``datapackage.json``."""
    return csv_document([f.name for f in FIELDS], (csv_bodies(r, (DATASET_CSV,))[0] for r in reports))


JSON_START = f'{{"schema_version":"{SCHEMA_VERSION}","schema":"{SCHEMA_NAME}","reports":['.encode()
JSON_END = b"\n]}\n"


def dataset_json(reports: Iterable[Report]) -> Iterator[bytes]:
    """``{"schema_version", "reports": [report model, …]}``: each report as its own JSON download."""
    yield JSON_START
    for i, report in enumerate(reports):
        yield (("," if i else "") + "\n" + report_json_text(report)).encode("utf-8")
    yield JSON_END


def part_path(path: str) -> str:
    """Where a file is written before it is renamed into place (never a half-written file)."""
    return os.path.join(os.path.dirname(path), f".gongkai-{os.path.basename(path)}.part")


Stamp = tuple[str, int, int, str, bool, str]  # what a report's share is made from: its file and its deadline


def stamp(report: Report) -> Stamp | None:
    """The report file (path, mtime, size) and what the roster makes of it (deadline, late, kind)."""
    try:
        info = os.stat(report.source)
    except OSError:
        return None
    return (str(report.source), info.st_mtime_ns, info.st_size, report.deadline.isoformat(), report.is_late,
            report.obligation.kind)


@dataclass(frozen=True)
class Ledger:
    """Where each report's share was written by the last build (kept by ``mkdocs serve --dirty``)."""

    targets: dict[str, str]  # "csv" / "json" → the files
    shares: dict[tuple[str, int], tuple[Stamp, int, int, int, int]]  # key → stamp, csv offset, length, json …


class DatasetStream:
    """``cells.csv`` and ``reports-data.json`` written to disk as each report's own files are made.

    Each report's CSV and JSON are made once (``exports.rendered``) for its downloads, and its
    share of the dataset is appended then, in the dataset's order (``ORDER``: the portal index's, newest
    year first, then agency code): the dataset
    is never held in memory, nor made twice. A report whose downloads were not made in this build
    (a dirty build keeps unchanged files) is made here when its turn comes. The files are written
    under a temporary name and renamed into place by ``finish``, once every report is in.

    With ``record``, each report's share is noted (``ledger``); given the last build's ledger
    (``previous``), a report whose file and deadline did not change is copied from the last
    dataset instead of made again: a dirty rebuild after one report changed makes one report.
    """

    def __init__(self, reports: Sequence[Report], previous: Ledger | None = None, record: bool = False) -> None:
        self.reports = reports  # in the dataset's order
        self.previous = previous
        self.shares: dict[tuple[str, int], tuple[Stamp, int, int, int, int]] | None = {} if record else None
        self.old: dict[str, IO[bytes]] = {}  # the last build's dataset files, read while the new ones are written
        self.position = {id(r): i for i, r in enumerate(reports)}
        self.done = 0  # reports appended so far
        self.targets: dict[str, str] = {}  # "csv" / "json" → destination path, once known
        self.out: dict[str, IO[bytes]] = {}
        self.sizes: dict[str, int] = {}
        self.finished: set[str] = set()

    def aim(self, kind: str, path: str) -> None:
        """Where the dataset's ``kind`` ("csv" or "json") file goes (known once the site folder is)."""
        self.targets[kind] = path

    def _open(self) -> bool:
        if self.out:
            return True
        if set(self.targets) != {"csv", "json"} or self.done or self.finished:
            return False
        for kind, start in (("csv", csv_header([f.name for f in FIELDS])), ("json", JSON_START)):
            os.makedirs(os.path.dirname(self.targets[kind]), exist_ok=True)
            self.out[kind] = open(part_path(self.targets[kind]), "wb")  # noqa: SIM115 (closed by finish/abort)
            self.out[kind].write(start)
            self.sizes[kind] = len(start)
        return True

    def _append(self, made: Rendered) -> None:
        self._write(self.reports[self.done], made.cells_csv, made.json, None)

    def _write(self, report: Report, cells_csv: bytes, json_text: bytes, mark: Stamp | None) -> None:
        lead = b",\n" if self.done else b"\n"
        if self.shares is not None:
            mark = mark or stamp(report)
            if mark is not None:
                self.shares[report.key] = (mark, self.sizes["csv"], len(cells_csv), self.sizes["json"] + len(lead),
                                           len(json_text))
        self.out["csv"].write(cells_csv)
        self.out["json"].write(lead + json_text)
        self.sizes["csv"] += len(cells_csv)
        self.sizes["json"] += len(lead) + len(json_text)
        self.done += 1

    def _catch_up(self) -> None:
        """The next report, whose own files were not made in this build: copied from the last dataset
        when it did not change, else made."""
        report = self.reports[self.done]
        share = self.previous.shares.get(report.key) if self.previous is not None else None
        mark = stamp(report) if share is not None else None
        if share is not None and mark == share[0] and self._old_files():
            _, csv_at, csv_length, json_at, json_length = share
            self.old["csv"].seek(csv_at)
            self.old["json"].seek(json_at)
            cells_csv, json_text = self.old["csv"].read(csv_length), self.old["json"].read(json_length)
            if len(cells_csv) == csv_length and len(json_text) == json_length:
                self._write(report, cells_csv, json_text, mark)
                return
        self._append(rendered(report))

    def _old_files(self) -> bool:
        if self.old:
            return True
        if self.previous is None or self.previous.targets != self.targets:
            return False
        try:
            for kind in ("csv", "json"):
                self.old[kind] = open(self.targets[kind], "rb")  # noqa: SIM115 (closed by _close_old)
        except OSError:
            self._close_old()
            self.previous = None
            return False
        return True

    def _close_old(self) -> None:
        for old in self.old.values():
            old.close()
        self.old.clear()

    def ledger(self) -> Ledger | None:
        """This build's shares (when recorded and complete), for the next dirty build."""
        if self.shares is None or len(self.finished) < 2:
            return None
        return Ledger(dict(self.targets), self.shares)

    def add(self, report: Report, made: Rendered) -> None:
        """A report's CSV and JSON, just made for its downloads: appended in its turn."""
        position = self.position.get(id(report))
        if position is None or position < self.done or not self._open():
            return
        while self.done < position:
            self._catch_up()
        self._append(made)

    def finish(self, kind: str) -> int | None:
        """Complete the dataset and rename the ``kind`` file into place: its size, or None when not streamed."""
        if kind in self.finished or not self._open():
            return None
        while self.done < len(self.reports):
            self._catch_up()
        self._close_old()
        out = self.out.pop(kind)
        out.write(JSON_END if kind == "json" else b"")
        self.sizes[kind] += len(JSON_END) if kind == "json" else 0
        out.close()
        os.replace(part_path(self.targets[kind]), self.targets[kind])
        self.finished.add(kind)
        return self.sizes[kind]

    def abort(self) -> None:
        """A failed build: close and remove what was begun."""
        self._close_old()
        for kind, out in list(self.out.items()):
            out.close()
            if os.path.exists(part_path(self.targets[kind])):
                os.unlink(part_path(self.targets[kind]))
        self.out.clear()


class DatasetWriter:
    """``cells.csv`` and ``reports-data.json`` written straight to their place, one report's share
    after another in the order they come (``gongkai.offload``: a staged build, which is swapped in
    whole, so no temporary name). The same bytes as ``dataset_csv`` / ``dataset_json`` of the
    reports in that order.

    Both files are kept open as file descriptors, without a buffer: a share is written by one system
    call per file (``fileio.write_all``: its CSV lines; the separator and its JSON in one ``writev``),
    not the three of a ``BufferedWriter`` (which writes the two-byte separator on its own before a
    JSON larger than its buffer)."""

    def __init__(self, csv_path: str, json_path: str) -> None:
        self.paths = {"csv": csv_path, "json": json_path}
        self.fds: dict[str, int] = {}
        self.sizes = {"csv": 0, "json": 0}
        self.count = 0

    def open(self) -> None:
        for kind, start in (("csv", csv_header([f.name for f in FIELDS])), ("json", JSON_START)):
            os.makedirs(os.path.dirname(self.paths[kind]), exist_ok=True)
            self.fds[kind] = os.open(self.paths[kind], fileio.FLAGS, 0o666)
            self.sizes[kind] = fileio.write_all(self.fds[kind], (start,))

    def add(self, cells_csv: bytes, json_text: bytes) -> None:
        """One report's share: its lines of ``cells.csv``, its JSON (``exports.Rendered``)."""
        lead = b",\n" if self.count else b"\n"
        self.sizes["csv"] += fileio.write_all(self.fds["csv"], (cells_csv,))
        self.sizes["json"] += fileio.write_all(self.fds["json"], (lead, json_text))
        self.count += 1

    def finish(self) -> tuple[int, int]:
        """Close both files: their sizes (CSV, JSON)."""
        self.sizes["json"] += fileio.write_all(self.fds["json"], (JSON_END,))
        for kind in ("csv", "json"):
            os.close(self.fds.pop(kind))
        return self.sizes["csv"], self.sizes["json"]

    def abort(self) -> None:
        for fd in self.fds.values():
            os.close(fd)
        self.fds.clear()


def datapackage(title: str, reports_count: int) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of the dataset (every field defined)."""
    field_types: dict[str, dict[str, Any]] = {"number": {"type": "number", "bareNumber": True}, "integer": {"type": "integer"},
                   "boolean": {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]},
                   "string": {"type": "string"}}
    fields = []
    for f in FIELDS:
        item: dict[str, Any] = {"name": f.name, "title": f.title, "description": f.description, **field_types[f.type]}
        if f.name == "status":
            item["constraints"] = {"enum": [k for k in DATASET_STATUS_NAMES if k]}
        if f.name in ("agency_code", "agency_name", "year", "format", "table", "row", "column", "cell"):
            item.setdefault("constraints", {})["required"] = True
        fields.append(item)
    return {
        "name": "gongkai-annual-reports",
        "title": f"{title}：统计表数据",
        "description": (f"本门户收录的 {reports_count} 份政府信息公开工作年度报告中，统计表（二、三、四）的每一个单元格，"
                        "每行一个单元格（机关、年度、表格、行、列、数值、状态）。" + ORDER),
        "licenses": [LICENCE],
        "resources": [{
            "name": "cells",
            "path": CELLS_CSV,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
            "schema": {"fields": fields, "missingValues": [""],
                       "primaryKey": ["agency_code", "year", "cell"]},
        }],
    }


def reports_index(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "count": len(entries), "reports": entries}


def to_json(data: Any) -> bytes:
    """``json.dumps(data, ensure_ascii=False, indent=1)`` and a line end, as UTF-8 (``indented_json``)."""
    return (indented_json(data) + "\n").encode("utf-8")


class _Unusual(Exception):
    """A value ``indented_json`` leaves to ``json.dumps`` (a key that is no text, a type JSON does not take as it is)."""


def indented_json(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=1)``: its text, written without its pure-Python encoder
    (``json`` takes its C encoder only without ``indent``) for what ``reports.json`` and ``datapackage.json``
    hold (dicts with text keys, lists, text, numbers, true, false, null); anything else is ``json.dumps``'s."""
    out: list[str] = []
    try:
        _put(data, "\n", out)
    except (_Unusual, RecursionError):
        return json.dumps(data, ensure_ascii=False, indent=1)
    return "".join(out)


_TEXT = json.encoder.encode_basestring  # what ``ensure_ascii=False`` writes a text with (the C one when built)
_CONSTANTS = {True: "true", False: "false", None: "null"}


def _put(value: Any, line: str, out: list[str]) -> None:
    """Append ``value``'s JSON at the indentation ``line`` (a line end and its spaces)."""
    kind = value.__class__
    if kind is str:
        out.append(_TEXT(value))
    elif kind is int:
        out.append(int.__repr__(value))
    elif value is True or value is False or value is None:
        out.append(_CONSTANTS[value])
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = line + " "
        first = True
        for key, item in value.items():
            if key.__class__ is not str:
                raise _Unusual
            out.append(("{" if first else ",") + inner + _TEXT(key) + ": ")
            first = False
            _put(item, inner, out)
        out.append(line + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = line + " "
        for n, item in enumerate(value):
            out.append(("[" if not n else ",") + inner)
            _put(item, inner, out)
        out.append(line + "]")
    else:  # floats (nan, infinity), subclasses, what JSON cannot write: as json writes them, or its error
        raise _Unusual
