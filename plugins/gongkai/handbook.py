"""The field and rule tables of the editors' handbook (handbook/填报说明.md), made from the declaration
and the rule catalogue (``rules.py``).

The prose of the handbook is written by hand; the tables between the two markers are
generated here so that no label is typed twice and none goes stale (a test checks).
"""

from __future__ import annotations

from pathlib import Path

from .findings import SEVERITY_LABELS
from .formats import FORMAT_2019, FORMAT_2021, Block, FormatSpec, Row, TableSpec
from .parsing import AGENCY_KEYS, ARCHIVED_KEYS, DISCREPANCY_KEYS, KIND_NAMES, TOP_LEVEL_KEYS
from .rules import catalogue

BEGIN = "<!-- 以下内容由 `gongkai handbook --write handbook/填报说明.md` 生成，请勿手工修改 -->"
END = "<!-- 自动生成内容结束 -->"

def _top_level(spec: FormatSpec) -> str:
    lines = ["| 键 | 含义 |", "| --- | --- |"]
    for key, label in TOP_LEVEL_KEYS.items():
        lines.append(f"| `{key}` | {label} |")
        if key == "agency":
            lines.extend(f"| `agency.{k}` | {v} |" for k, v in AGENCY_KEYS.items())
        elif key == "archived":
            lines.extend(f"| `archived.{k}` | {v} |" for k, v in ARCHIVED_KEYS.items())
        elif key == "layouts":
            lines.extend(f"| `layouts.{t.key}` | {t.title}：按哪一格式的版式发布（`\"2019\"` 或 `\"2021\"`） |"
                         for t in spec.tables)
        elif key == "discrepancies":
            lines.extend(f"| `discrepancies[].{k}` | {v} |" for k, v in DISCREPANCY_KEYS.items())
    return "\n".join(lines)


def _rows(rows: tuple[Row, ...], depth: int) -> list[str]:
    lines = []
    for row in rows:
        note = "（可不填，自动计算）" if row.is_total else ""
        lines.append(f"| {'　' * depth}`{row.key}` | {row.label}{note} |")
        lines.extend(_rows(row.children, depth + 1))
    return lines


def _columns(block: Block) -> list[str]:
    lines = []
    for column in block.columns:
        for leaf in column.leaves():
            group = f"{column.label} › " if column.children else ""
            note = "（可不填，自动计算）" if leaf.is_total else ""
            lines.append(f"| `{leaf.key}` | {group}{leaf.label}{note} | {KIND_NAMES[leaf.kind]} |")
    return lines


def _table(table: TableSpec) -> str:
    out = [f"#### {table.title}（`{table.key}`）", ""]
    if table.corner_label:
        out += [table.corner_label, ""]
    for block in table.blocks:
        if len(table.blocks) > 1:
            out += [f"**{block.label}**", ""]
        out += ["| 行（键） | 官方名称 |", "| --- | --- |", *_rows(block.rows, 0), ""]
        out += ["| 列（键） | 官方名称 | 填写 |", "| --- | --- | --- |", *_columns(block), ""]
    return "\n".join(out)


def _format(spec: FormatSpec) -> str:
    years = f"{spec.first_year}–{spec.last_year} 年度" if spec.last_year else f"{spec.first_year} 年度起"
    out = [f"### {spec.version} 格式（{spec.document}，{years}）", "", "顶层各项：", "", _top_level(spec), ""]
    for section in spec.sections:
        if section.table is None:
            out += [f"#### {section.title}（`{section.key}`）", "", "一段 Markdown 文字（见上文“文字部分”）。", ""]
        else:
            out.append(_table(section.table))
    return "\n".join(out)


def _rules() -> str:
    lines = ["| 规则代码 | 级别 | 含义 |", "| --- | --- | --- |"]
    lines.extend(f"| `{rule.code}` | {SEVERITY_LABELS[rule.severity]} | {rule.title} |" for rule in catalogue().values())
    return "\n".join(lines)


def reference_markdown() -> str:
    """The generated part of the handbook: rule table, then the fields of both formats."""
    parts = ["## 附录一：检查规则一览", "", _rules(), "", "## 附录二：字段一览", "",
             _format(FORMAT_2021), _format(FORMAT_2019)]
    return "\n".join(parts).rstrip() + "\n"


def update_handbook(path: Path) -> None:
    """Replace the text between the markers (or append it) with freshly generated tables."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{BEGIN}\n\n{reference_markdown()}\n{END}\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        text = head + block + tail
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + block
    path.write_text(text, encoding="utf-8")
