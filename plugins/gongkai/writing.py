"""Write a report as the commented YAML an editor fills in (used by `new` and `import`).

Every field carries its official Chinese label as a comment, so the file reads like the
paper form. Loading what this writes gives back the same report.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from .findings import Finding
from .formats import FORMATS, Block, Column, FormatSpec, Row, TableSpec
from .model import CellPath, CellState, CellValue, PublishedCell, Report
from .rules import Where, finding
from .totals import cell_labels

SCHEMA_COMMENT = "# yaml-language-server: $schema={ref}"
DEFAULT_SCHEMA_REF = "../../plugins/gongkai/schema/report.schema.json"


def _published(cell: PublishedCell) -> str:
    """A cell as published: ``null`` when blank, else its text quoted (kept verbatim)."""
    return "null" if cell.state is CellState.BLANK and not cell.text else _quote(cell.text)


def _scalar(value: CellValue) -> str:
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text
    return str(value)


def _quote(text: str) -> str:
    """A double-quoted scalar: safe for any name (colons, #, leading symbols)."""
    return json.dumps(text, ensure_ascii=False)


def _slug(slug: str) -> str:
    """Plain when YAML reads it back as text; quoted when it would become a number (e.g. 2024)."""
    return _quote(slug) if slug.isdigit() else slug


def _literal(text: str, indent: str) -> str:
    body = text.strip("\n").rstrip()
    lines = body.split("\n")
    indicator = "|2" if lines and lines[0].startswith((" ", "\t")) else "|"
    rendered = "\n".join(f"{indent}{line}".rstrip() if line.strip() else "" for line in lines)
    return f"{indicator}\n{rendered}\n"


def _leaf_columns(block: Block) -> list[Column]:
    return [leaf for column in block.columns for leaf in column.leaves()]


def _row_line(row: Row, path: CellPath, block: Block, values: Mapping[CellPath, CellValue], indent: str,
              include_totals: bool, width: int, published: Mapping[CellPath, PublishedCell]) -> str:
    cells = []
    for column in _leaf_columns(block):
        cell_path = path + (column.key,)
        if column.is_total and not include_totals:
            continue
        if cell_path in published:
            cells.append(f"{column.key}: {_published(published[cell_path])}")
        elif cell_path in values:
            cells.append(f"{column.key}: {_scalar(values[cell_path])}")
    head = f"{indent}{row.key}:".ljust(width)
    return f"{head} {{{', '.join(cells)}}}  # {row.label}\n"


def _rows(rows: tuple[Row, ...], path: CellPath, block: Block, values: Mapping[CellPath, CellValue], indent: str,
          include_totals: bool, published: Mapping[CellPath, PublishedCell]) -> str:
    width = max(len(indent) + len(r.key) + 1 for r in rows)
    text = ""
    for row in rows:
        if row.is_total and not include_totals:
            continue
        if row.children:
            text += f"{indent}{row.key}:  # {row.label}\n"
            text += _rows(row.children, path + (row.key,), block, values, indent + "  ", include_totals, published)
        else:
            text += _row_line(row, path + (row.key,), block, values, indent, include_totals, width, published)
    return text


def _column_legend(block: Block) -> str:
    parts = []
    for column in block.columns:
        if column.children:
            inner = "、".join(f"{c.key}={c.label}" for c in column.children)
            parts.append(f"{column.label}：{inner}")
        else:
            note = "（可不填，自动计算；填了会核对）" if column.is_total else ""
            parts.append(f"{column.key}={column.label}{note}")
    return "；".join(parts)


def _table(table: TableSpec, values: Mapping[CellPath, CellValue], include_totals: bool,
           published: Mapping[CellPath, PublishedCell]) -> str:
    text = f"# {table.title}\n"
    if table.corner_label:
        text += f"# {table.corner_label}\n"
    text += f"{table.key}:\n"
    for block in table.blocks:
        label = f"{block.label}。" if block.label and len(table.blocks) > 1 else ""
        text += f"  # {label}列：{_column_legend(block)}\n"
        text += _rows(block.rows, (table.key,), block, values, "  ", include_totals, published)
    return text


def _archive_fields(report: Report) -> str:
    """``archived`` and ``layouts``: what marks a report as kept as published."""
    out = ""
    if report.archived is not None:
        out += "archived:  # 按原文存档：数字与原文一致，不作任何更正\n"
        out += f"  source: {_quote(report.archived.source)}  # 原文出处（网址或文件名）\n"
        if report.archived.retrieved is not None:
            out += f"  retrieved: {report.archived.retrieved.isoformat()}  # 存档日期\n"
    if report.layouts:
        out += "layouts:  # 按另一格式的版式发布的表格\n"
        for key, version in report.layouts.items():
            out += f"  {key}: {_quote(version)}  # {report.table(key).title}：{FORMATS[version].document}的版式\n"
    return out


def _discrepancies(report: Report) -> str:
    out = "\n# 原文数据说明：原文中不符合勾稽关系之处（数字按原文保留，不作更正）\n"
    out += "discrepancies:\n"
    for item in report.discrepancies:
        label = cell_labels(report.table(item.cell[0])).get(item.cell, "")
        out += f"  - rule: {item.rule}\n"
        out += f"    cell: {item.cell_key}" + (f"  # {label}" if label else "") + "\n"
        out += f"    published: {_quote(item.published)}\n"
        out += f"    expected: {_quote(item.expected)}\n"
    return out


def report_to_yaml(report: Report, *, include_totals: bool = True, schema_ref: str | None = DEFAULT_SCHEMA_REF,
                   header_note: str = "", published_text: str | None = None) -> str:
    """The commented YAML of a report; ``include_totals=False`` leaves totals to be computed;
    ``published_text`` stands in for the date (``gongkai new``'s placeholder).

    An archived report always keeps its totals: they are published figures (a blank one stays blank).
    """
    include_totals = include_totals or report.archived is not None
    spec: FormatSpec = report.format
    out = ""
    if schema_ref:
        out += SCHEMA_COMMENT.format(ref=schema_ref) + "\n"
    out += f"# {report.title}\n"
    if report.archived is not None:
        out += f"# 格式：{spec.document}。按原文存档：空白格写 null，不适用照录原文（如 \"/\"），带单位的金额照录（如 \"251000元\"）。\n"
    else:
        out += f"# 格式：{spec.document}。所有数字只写阿拉伯数字，没有数据填 0。\n"
    if header_note:
        out += "".join(f"# {line}\n" for line in header_note.splitlines())
    out += "\n"
    out += "agency:\n"
    out += f"  slug: {_slug(report.agency.slug)}  # 机关代码（用于网址：小写字母、数字、连字符）\n"
    out += f"  name: {_quote(report.agency.name)}  # 机关名称\n"
    out += f"year: {report.year}  # 报告年度\n"
    out += f"format: {spec.version}  # 报告格式：{spec.document}\n"
    published = published_text if published_text is not None else report.published.isoformat()
    out += f"published: {published}  # 发布日期（YYYY-MM-DD）\n"
    out += _archive_fields(report)
    for section in report.sections:
        out += "\n"
        if section.table is not None:
            out += _table(section.table, report.values, include_totals, report.as_published)
        else:
            out += f"# {section.title}（Markdown：空行分段，### 小标题，**加粗**）\n"
            out += f"{section.key}: " + _literal(report.narrative.get(section.key, ""), "  ")
    if report.discrepancies:
        out += _discrepancies(report)
    return out


# --- writing the file ----------------------------------------------------------------------


class OutputError(Exception):
    """The file could not be written; ``finding`` says where and why, in Chinese."""

    def __init__(self, found: Finding) -> None:
        super().__init__(found.message)
        self.finding = found


def write_atomically(target: Path, text: str) -> None:
    """Write beside the target, then rename: never a half-written YAML.

    The file keeps the mode of the one it replaces, or gets the umask's default (not mkstemp's 0600).
    """
    temporary: Path | None = None
    try:
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = target.stat().st_mode & 0o7777 if target.exists() else _default_file_mode()
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        temporary = Path(name)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            os.chmod(name, mode)
            stream.write(text)
        os.replace(name, target)
    except OSError as error:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise OutputError(finding("output-unwritable", Where(str(target)), target=str(target),
                                  reason=_reason(error, target))) from None
    except BaseException:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise


def _default_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _reason(error: OSError, target: Path) -> str:
    """Why a path could not be written, in words an editor can act on."""
    if isinstance(error, IsADirectoryError):
        return "这是一个文件夹，请给出文件名（例如 …/2024.yml）"
    if isinstance(error, (NotADirectoryError, FileExistsError)):
        blocking = next((p for p in reversed(target.parents) if p.exists() and not p.is_dir()), target.parent)
        return f"路径中的“{blocking}”是文件而不是文件夹"
    if isinstance(error, PermissionError):
        return "没有写入权限（文件夹或文件是只读的）"
    if isinstance(error, FileNotFoundError):
        return "上级文件夹不存在，也无法创建"
    if error.errno == errno.ENOSPC:
        return "磁盘空间不足"
    if error.errno == errno.EROFS:
        return "所在的磁盘是只读的"
    return error.strerror or str(error)
