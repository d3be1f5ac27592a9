"""The portal-wide dataset: every report's cells in one tidy CSV and one JSON file, the
Frictionless Data Package descriptor that defines every field, and ``reports.json``, the
machine-readable index of reports and their downloads.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..model import Report
from .exports import (
    DATASET_STATUS_NAMES,
    FIELDS,
    SCHEMA_NAME,
    SCHEMA_VERSION,
    csv_body,
    csv_document,
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
    return csv_document([f.name for f in FIELDS],
                        (csv_body(r, statuses=DATASET_STATUS_NAMES, yes="true", no="false") for r in reports))


def dataset_json(reports: Iterable[Report]) -> Iterator[bytes]:
    """``{"schema_version", "reports": [report model, …]}``: each report as its own JSON download."""
    yield f'{{"schema_version":"{SCHEMA_VERSION}","schema":"{SCHEMA_NAME}","reports":['.encode()
    for i, report in enumerate(reports):
        yield (("," if i else "") + "\n" + report_json_text(report)).encode("utf-8")
    yield b"\n]}\n"


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
