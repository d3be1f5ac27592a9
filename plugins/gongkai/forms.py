"""The Excel form (``gongkai new --xlsx``): tables 二、三、四 laid out as the official form.

One sheet of basic facts (基本信息), one sheet per table in the renderer's official layout
(labels and merged headers from the format declaration), and one sheet for the narrative
(正文). Only the cells an editor fills in are unlocked (the sheets are protected without a
password, so a form cannot be broken by accident yet anyone may lift the protection); each
takes whole numbers ≥ 0 (or as the column's kind says); totals are formulas. ``form_layout``
says where every cell is, for the writer here and the reader (``importing/xlsx.py``) alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .formats import FormatSpec, Kind, TableSpec
from .model import CellPath, Report
from .rendering import DataCell, HeaderCell, table_layout
from .totals import cells_by_path, total_rules

INFO_SHEET = "基本信息"
NARRATIVE_SHEET = "正文"
FIRST_GRID_ROW = 3  # row 1: the table's title, row 2: its note (or empty)
NARRATIVE_FIRST_ROW = 2
# 基本信息: label in column A, value in column B, one fact per row
INFO_ROWS = (("agency", "机关代码"), ("name", "机关名称"), ("year", "报告年度"), ("format", "报告格式"),
             ("published", "发布日期"))
INFO_ROW = {key: 3 + offset for offset, (key, _) in enumerate(INFO_ROWS)}
INFO_INPUTS = frozenset({"name", "published"})


def sheet_name(table: TableSpec) -> str:
    return table.title[:31]  # Excel's limit


@dataclass(frozen=True)
class Placed:
    """One cell of a table's sheet: 1-based row and column, spans, and what it holds."""

    row: int
    column: int
    rowspan: int
    colspan: int
    label: str | None  # a header's text
    path: CellPath | None  # a data cell's YAML path
    is_total: bool = False


def form_layout(table: TableSpec, report: Report) -> list[Placed]:
    """Where every header and data cell of the table sits on its sheet (the official layout)."""
    layout = table_layout(report, table)
    cells = cells_by_path(table)
    placed: list[Placed] = []
    taken: set[tuple[int, int]] = set()
    grid_rows = [*layout.head, *(row for body in layout.bodies for row in body)]
    for offset, grid_row in enumerate(grid_rows):
        r, c = FIRST_GRID_ROW + offset, 1
        for cell in grid_row:
            while (r, c) in taken:
                c += 1
            rowspan = getattr(cell, "rowspan", 1)
            for dr in range(rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            if isinstance(cell, HeaderCell):
                placed.append(Placed(r, c, rowspan, cell.colspan, cell.text, None))
            elif isinstance(cell, DataCell):
                path = tuple(cell.path.split("."))
                placed.append(Placed(r, c, rowspan, cell.colspan, None, path, cells[path].is_total))
            else:
                placed.append(Placed(r, c, rowspan, cell.colspan, None, None))
            c += cell.colspan
    return placed


def data_cells(table: TableSpec, report: Report) -> Iterator[Placed]:
    return (p for p in form_layout(table, report) if p.path is not None)


def _reference(placed: Placed) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(placed.column)}{placed.row}"


def _validation(kind: Kind) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    if kind is Kind.AMOUNT:
        rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
        rule.error = "这里只能填不小于 0 的数（万元，可带小数）"
    elif kind is Kind.SIGNED:
        rule = DataValidation(type="whole", operator="between", formula1="-1000000000", formula2="1000000000")
        rule.error = "这里只能填整数（减少用负数表示）"
    else:
        rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
        rule.error = "这里只能填不小于 0 的整数；没有数据请填 0"
    rule.errorTitle, rule.showErrorMessage, rule.allow_blank = "数字不符合要求", True, True
    return rule


def write_form(new: Any, output: Path) -> None:
    """The workbook for one ``starting.NewReport``: written to a temporary file, then renamed."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    from .starting import PUBLISHED_PLACEHOLDER, notes

    report: Report = new.report
    spec: FormatSpec = report.format
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centred = Alignment(wrap_text=True, vertical="center", horizontal="center")
    wrapped = Alignment(wrap_text=True, vertical="top")
    unlocked = Protection(locked=False)
    input_fill = PatternFill("solid", start_color="FFF7D6")  # the cells to fill in, as forms mark them
    total_fill = PatternFill("solid", start_color="E9E5DF")

    book = Workbook()
    info = book.active
    info.title = INFO_SHEET
    info.cell(1, 1, report.title).font = Font(bold=True, size=14)
    facts = {"agency": report.agency.slug, "name": report.agency.name, "year": report.year,
             "format": spec.version,
             "published": report.published if new.published_given else PUBLISHED_PLACEHOLDER}
    for key, label in INFO_ROWS:
        row = INFO_ROW[key]
        info.cell(row, 1, label).font = Font(bold=True)
        value = info.cell(row, 2, facts[key])
        value.border = border
        if key == "published":
            value.number_format = "yyyy-mm-dd"
        if key in INFO_INPUTS:
            value.protection, value.fill = unlocked, input_fill
    info.cell(INFO_ROW["format"], 3, spec.document)
    info.cell(10, 1, "填写说明").font = Font(bold=True)
    guide = "浅黄色的格子需要填写，其余格子已锁定（工作表保护，没有密码）；总计由公式自动计算。填好后运行：gongkai import 本文件"
    for offset, line in enumerate([*notes(new), guide]):
        info.cell(11 + offset, 1, line)
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 14, 40
    info.protection.sheet = True

    for table in spec.tables:
        sheet = book.create_sheet(sheet_name(table))
        sheet.cell(1, 1, table.title).font = Font(bold=True, size=13)
        if table.note:
            sheet.cell(2, 1, table.note)
        placed = form_layout(table, report)
        where = {p.path: _reference(p) for p in placed if p.path is not None}
        formulas = {rule.target_path: "=SUM(" + ",".join(where[a] for a in rule.addend_paths) + ")"
                    for rule in total_rules(table)}
        cells = cells_by_path(table)
        validations: dict[Kind, Any] = {}
        width = 1
        for p in placed:
            target = sheet.cell(p.row, p.column)
            if p.label is not None:
                target.value, target.font, target.alignment = p.label, Font(bold=True), centred
            elif p.path is not None and p.is_total:
                target.value, target.fill = formulas[p.path], total_fill
            elif p.path is not None:
                kind = cells[p.path].column.kind
                target.value, target.protection, target.fill = report.values[p.path], unlocked, input_fill
                if kind not in validations:
                    validations[kind] = _validation(kind)
                    sheet.add_data_validation(validations[kind])
                validations[kind].add(target)
            for dr in range(p.rowspan):
                for dc in range(p.colspan):
                    sheet.cell(p.row + dr, p.column + dc).border = border
            if p.rowspan > 1 or p.colspan > 1:
                sheet.merge_cells(start_row=p.row, start_column=p.column,
                                  end_row=p.row + p.rowspan - 1, end_column=p.column + p.colspan - 1)
            width = max(width, p.column + p.colspan - 1)
        from openpyxl.utils import get_column_letter

        for column in range(1, width + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 12
        sheet.column_dimensions["A"].width = 24
        sheet.protection.sheet = True

    text = book.create_sheet(NARRATIVE_SHEET)
    text.cell(1, 1, "正文（一、五、六部分）：在右侧格子中填写，可换行（Alt+Enter）").font = Font(bold=True)
    for offset, section in enumerate(spec.narrative_sections):
        row = NARRATIVE_FIRST_ROW + offset
        title = text.cell(row, 1, section.title)
        title.font, title.alignment = Font(bold=True), wrapped
        body = text.cell(row, 2, report.narrative.get(section.key, ""))
        body.alignment, body.protection, body.fill, body.border = wrapped, unlocked, input_fill, border
        text.row_dimensions[row].height = 180
    text.column_dimensions["A"].width, text.column_dimensions["B"].width = 20, 90
    text.protection.sheet = True

    _save(book, output)


def _save(book: Any, output: Path) -> None:
    """Never a half-written workbook: save beside the target, then rename."""
    import os
    import tempfile

    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    os.close(handle)
    try:
        book.save(temporary)
        mask = os.umask(0)  # mkstemp makes the file private; the form gets the usual permissions
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
