"""The portal-wide dataset: every report's cells in one tidy CSV and one JSON file, the
Frictionless Data Package descriptor that defines every field, and ``reports.json``, the
machine-readable index of reports and their downloads.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from ..model import Report
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


class DatasetStream:
    """``cells.csv`` and ``reports-data.json`` written to disk as each report's own files are made.

    Each report's CSV and JSON are made once (``exports.rendered``) for its downloads, and its
    share of the dataset is appended then, in the dataset's order (agency code, year): the dataset
    is never held in memory, nor made twice. A report whose downloads were not made in this build
    (a dirty build keeps unchanged files) is made here when its turn comes. The files are written
    under a temporary name and renamed into place by ``finish``, once every report is in.
    """

    def __init__(self, reports: Sequence[Report]) -> None:
        self.reports = reports  # in the dataset's order
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
        json_bytes = (b",\n" if self.done else b"\n") + made.json
        self.out["csv"].write(made.cells_csv)
        self.out["json"].write(json_bytes)
        self.sizes["csv"] += len(made.cells_csv)
        self.sizes["json"] += len(json_bytes)
        self.done += 1

    def add(self, report: Report, made: Rendered) -> None:
        """A report's CSV and JSON, just made for its downloads: appended in its turn."""
        position = self.position.get(id(report))
        if position is None or position < self.done or not self._open():
            return
        while self.done < position:
            self._append(rendered(self.reports[self.done]))
        self._append(made)

    def finish(self, kind: str) -> int | None:
        """Complete the dataset and rename the ``kind`` file into place: its size, or None when not streamed."""
        if kind in self.finished or not self._open():
            return None
        while self.done < len(self.reports):
            self._append(rendered(self.reports[self.done]))
        out = self.out.pop(kind)
        out.write(JSON_END if kind == "json" else b"")
        self.sizes[kind] += len(JSON_END) if kind == "json" else 0
        out.close()
        os.replace(part_path(self.targets[kind]), self.targets[kind])
        self.finished.add(kind)
        return self.sizes[kind]

    def abort(self) -> None:
        """A failed build: close and remove what was begun."""
        for kind, out in list(self.out.items()):
            out.close()
            if os.path.exists(part_path(self.targets[kind])):
                os.unlink(part_path(self.targets[kind]))
        self.out.clear()


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
                        "每行一个单元格（机关、年度、表格、行、列、数值、状态）。"),
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
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
