"""A JSON Schema (draft 2020-12) for report files, generated from the format declaration.

Editors get completion, official labels on hover and early errors in VS Code; the
validator (``parsing``/``validation``) stays the authority, the schema is a helper.
The committed copy lives in ``schema/report.schema.json`` and a test keeps it current.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .formats import FORMAT_2019, FORMAT_2021, FORMATS, Block, Column, FormatSpec, Kind, Row, TableSpec
from .model import REPORT_TITLE_SUFFIX, SLUG_PATTERN
from .parsing import (
    ACKNOWLEDGEABLE_RULES,
    AGENCY_KEYS,
    AMOUNT_WITH_UNIT,
    ARCHIVED_KEYS,
    DISCREPANCY_KEYS,
    NOT_APPLICABLE,
    OPTIONAL_KEYS,
    PLACEHOLDER,
    TOP_LEVEL_KEYS,
)

SCHEMA_ID = "https://gongkai.invalid/schema/report.schema.json"
SCHEMA_PATH = Path(__file__).parent / "schema" / "report.schema.json"

Schema = dict[str, Any]

_KIND_SCHEMAS: dict[Kind, Schema] = {
    Kind.COUNT: {"type": "integer", "minimum": 0},
    Kind.SIGNED: {"type": "integer"},
    Kind.AMOUNT: {"type": "number", "minimum": 0},
}
_KIND_HINTS = {Kind.COUNT: "非负整数", Kind.SIGNED: "整数，减少用负数表示", Kind.AMOUNT: "非负数，可带小数"}


def _cell(column: Column, label: str, archived: bool) -> Schema:
    note = "可不填，自动计算；填了会核对。" if column.is_total else ""
    if archived:  # one shared definition per kind: blank, not applicable, or (amounts) with unit
        return {"title": column.label, "description": f"{label}（{_ARCHIVED_HINTS[column.kind]}）{note}",
                "$ref": f"#/$defs/archived-{column.kind.value}"}
    return {"title": column.label, "description": f"{label}（{_KIND_HINTS[column.kind]}）{note}",
            **_KIND_SCHEMAS[column.kind]}


_ARCHIVED_HINTS = {kind: f"按原文：{hint}；空白写 null，不适用照录（如 \"/\"）" for kind, hint in _KIND_HINTS.items()}
_ARCHIVED_HINTS[Kind.AMOUNT] += "，带单位的照录（如 \"251000元\"）"


def _archived_cell(kind: Kind) -> Schema:
    forms: list[Schema] = [_KIND_SCHEMAS[kind], {"type": "null"}, {"enum": ["", *sorted(NOT_APPLICABLE)]}]
    if kind is Kind.AMOUNT:
        forms.append({"type": "string", "pattern": rf"^\s*{AMOUNT_WITH_UNIT}\s*$"})
    return {"title": f"按原文存档的格子（{_KIND_HINTS[kind]}）", "description": _ARCHIVED_HINTS[kind], "anyOf": forms}


def _row(table: TableSpec, block: Block, row: Row, path: tuple[str, ...], labels: dict[tuple[str, ...], str],
         archived: bool) -> Schema:
    here = path + (row.key,)
    required: list[str]
    if row.children:
        properties = {child.key: _row(table, block, child, here, labels, archived) for child in row.children}
        required = [child.key for child in row.children if not child.is_total]
    else:
        columns = [leaf for column in block.columns for leaf in column.leaves()]
        properties = {c.key: _cell(c, labels[here + (c.key,)], archived) for c in columns}
        required = [c.key for c in columns if not c.is_total and not row.is_total]
    note = "（总计行：可不填，自动计算；填了会核对）" if row.is_total else ""
    return {
        "title": row.label,
        "description": f"{table.title} › {row.label}{note}",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _table(table: TableSpec, archived: bool = False) -> Schema:
    labels = {cell.path: cell.label for cell in table.cells()}
    properties: Schema = {}
    required: list[str] = []
    for block in table.blocks:
        for row in block.rows:
            properties[row.key] = _row(table, block, row, (table.key,), labels, archived)
            if not row.is_total:
                required.append(row.key)
    description = table.title + (f"。{table.corner_label}" if table.corner_label else "")
    return {
        "title": table.title,
        "description": description,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _narrative(title: str) -> Schema:
    return {
        "title": title,
        "description": f"{title}：Markdown 文字（空行分段，### 小标题，**加粗**），不能用 HTML 标签；"
                       f"模板的占位文字“{PLACEHOLDER}”必须替换",
        "type": "string",
        "minLength": 1,
        "not": {"pattern": PLACEHOLDER},
    }


def _table_name(spec: FormatSpec, table: TableSpec, archived: bool) -> str:
    return f"{'archived-' if archived else ''}table-{spec.version}-{table.key}"


def _table_property(spec: FormatSpec, table: TableSpec, archived: bool) -> Schema:
    return {"$ref": f"#/$defs/{_table_name(spec, table, archived)}"}


def _layouts_differ(a: TableSpec, b: TableSpec) -> bool:
    return [cell.path for cell in a.cells()] != [cell.path for cell in b.cells()]


def _layout_choices(spec: FormatSpec) -> list[Schema]:
    """An archived report's table follows the other format's rows when ``layouts`` says so."""
    choices = []
    for table in spec.tables:
        for other in FORMATS.values():
            if other is spec or not _layouts_differ(other.table(table.key), table):
                continue
            layout = {"title": table.title, "description": f"按{other.document}的版式",
                      "enum": [other.version, int(other.version)]}
            declared = {"properties": {"layouts": {"title": TOP_LEVEL_KEYS["layouts"], "description": "表格版式",
                                                   "properties": {table.key: layout}, "required": [table.key]}},
                        "required": ["layouts"]}
            choices.append({"if": declared, "then": {"properties": {table.key: _table_property(other, table, True)}},
                            "else": {"properties": {table.key: _table_property(spec, table, True)}}})
    return choices


def _archive_properties(spec: FormatSpec) -> Schema:
    return {
        "archived": {
            "title": TOP_LEVEL_KEYS["archived"], "description": "按原文存档：数字与原文一致，不作任何更正",
            "type": "object",
            "properties": {
                "source": {"title": ARCHIVED_KEYS["source"], "description": "原文发布的网址或文件名",
                           "type": "string", "minLength": 1},
                "retrieved": {"title": ARCHIVED_KEYS["retrieved"], "description": "存档日期，写成 YYYY-MM-DD",
                              "type": "string", "format": "date"},
            },
            "required": ["source"],
            "additionalProperties": False,
        },
        "layouts": {
            "title": TOP_LEVEL_KEYS["layouts"], "description": "按另一格式的版式发布的表格：表格键 → 格式（2019 或 2021）",
            "type": "object",
            "properties": {t.key: {"title": t.title, "description": f"{t.title}按哪一格式的版式发布",
                                   "enum": [*FORMATS, *(int(v) for v in FORMATS)]} for t in spec.tables},
            "additionalProperties": False,
        },
        "discrepancies": {
            "title": TOP_LEVEL_KEYS["discrepancies"], "description": "原文中不符合勾稽关系之处，逐项说明（数字不作更正）",
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "rule": {"title": DISCREPANCY_KEYS["rule"], "description": "不符合的规则", "enum": list(ACKNOWLEDGEABLE_RULES)},
                    "cell": {"title": DISCREPANCY_KEYS["cell"], "description": "格子的路径，如 applications.results.total.total",
                             "type": "string", "pattern": r"^[a-z_]+(\.[a-z_]+)+$"},
                    "published": {"title": DISCREPANCY_KEYS["published"], "description": "原文的数字，空白写 \"\"",
                                  "type": ["string", "number", "null"]},
                    "expected": {"title": DISCREPANCY_KEYS["expected"], "description": "按规则计算应为的数字",
                                 "type": ["string", "number"]},
                },
                "required": list(DISCREPANCY_KEYS),
                "additionalProperties": False,
            },
        },
    }


def _format_schema(spec: FormatSpec, archived: bool = False) -> Schema:
    year: Schema = {"title": TOP_LEVEL_KEYS["year"], "description": f"报告年度（{spec.document} 格式适用的年份）",
                    "type": "integer", "minimum": spec.first_year}
    if spec.last_year is not None:
        year["maximum"] = spec.last_year
    properties: Schema = {
        "agency": {"$ref": "#/$defs/agency"},
        "year": year,
        "format": {"title": TOP_LEVEL_KEYS["format"], "description": f"报告格式：{spec.document}",
                   "enum": [int(spec.version), spec.version]},
        "published": {"$ref": "#/$defs/published"},
        "status": {"title": TOP_LEVEL_KEYS["status"], "description": "draft：草稿，只在预览中显示，发布时不生成页面；"
                   "final 或不写：定稿", "enum": ["draft", "final"]},
    }
    for section in spec.sections:
        properties[section.key] = (_table_property(spec, section.table, archived) if section.table
                                   else _narrative(section.title))
    extra: Schema = {}
    if archived:
        properties.update(_archive_properties(spec))
        for table in spec.tables:  # a table with another layout is checked by the choices below
            if any(_layouts_differ(other.table(table.key), table) for other in FORMATS.values()):
                properties[table.key] = {"title": table.title, "description": f"{table.title}（按原文存档；表格版式见 layouts）"}
        extra["allOf"] = _layout_choices(spec)
    return {
        "title": f"{spec.document} 格式" + ("（按原文存档）" if archived else ""),
        "description": f"{spec.first_year} 年度起" + (f"至 {spec.last_year} 年度" if spec.last_year else "") + "的报告格式",
        "type": "object",
        "properties": properties,
        "required": [key for key in properties if key not in OPTIONAL_KEYS],
        "additionalProperties": False,
        **extra,
    }


def build_schema() -> Schema:
    """The whole schema: reports up to 2020 use the 2019 format, later ones the 2021 format."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": REPORT_TITLE_SUFFIX,
        "description": "gongkai 报告文件（YAML）。2019、2020 年度用国办公开办函〔2019〕60号格式，"
                       "2021 年度起用国办公开办函〔2021〕30号格式。",
        "type": "object",
        "required": ["year"],
        "if": {"properties": {"year": {"type": "integer", "maximum": FORMAT_2019.last_year}}, "required": ["year"]},
        "then": {"if": {"required": ["archived"]}, "then": {"$ref": "#/$defs/archived-format-2019"},
                 "else": {"$ref": "#/$defs/format-2019"}},
        "else": {"if": {"required": ["archived"]}, "then": {"$ref": "#/$defs/archived-format-2021"},
                 "else": {"$ref": "#/$defs/format-2021"}},
        "$defs": {
            "agency": {
                "title": TOP_LEVEL_KEYS["agency"],
                "description": "发布报告的行政机关",
                "type": "object",
                "properties": {
                    "slug": {"title": AGENCY_KEYS["slug"],
                             "description": "机关代码，用于网址：小写英文字母、数字和连字符，例如 shifan-zhen",
                             "type": "string", "pattern": SLUG_PATTERN.pattern},
                    "name": {"title": AGENCY_KEYS["name"], "description": "机关的正式名称，例如 示例镇人民政府",
                             "type": "string", "minLength": 1},
                },
                "required": list(AGENCY_KEYS),
                "additionalProperties": False,
            },
            "published": {
                "title": TOP_LEVEL_KEYS["published"],
                "description": "报告发布日期，写成 YYYY-MM-DD，须在报告年度结束之后",
                "type": "string",
                "format": "date",
                "pattern": r"^\d{4}-\d{2}-\d{2}$",
            },
            "format-2019": _format_schema(FORMAT_2019),
            "format-2021": _format_schema(FORMAT_2021),
            "archived-format-2019": _format_schema(FORMAT_2019, archived=True),
            "archived-format-2021": _format_schema(FORMAT_2021, archived=True),
            **{f"archived-{kind.value}": _archived_cell(kind) for kind in Kind},
            **{_table_name(spec, table, archived): _table(table, archived)
               for spec in FORMATS.values() for table in spec.tables for archived in (False, True)},
        },
    }


def schema_json() -> str:
    """The schema as the text committed in ``schema/report.schema.json``."""
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"
