"""The Excel form filled in (``gongkai new --xlsx``, saved by Excel or WPS) back into a report.

Only the cells an editor fills in are read; totals are computed again from them, never taken
from the formulas' cached results (a file saved by some programs has none, and a total typed
over a formula would not be the sum). Numbers stored as text and full-width digits are read as
numbers, and said so. The form's layout is ``gongkai.forms.form_layout``, the writer's own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..formats import FORMATS, FormatSpec, Kind, TableSpec, format_for_year
from ..forms import (
    INFO_ROW,
    INFO_SHEET,
    NARRATIVE_FIRST_ROW,
    NARRATIVE_SHEET,
    form_layout,
    sheet_name,
)
from ..model import SLUG_PATTERN, Agency, CellPath, CellValue, Report
from ..parsing import PLACEHOLDER
from ..rules import Where, finding
from ..totals import cell_labels, cells_by_path, total_rules
from .document import Imported, Overrides
from .source import UnreadableSource

FORM_SUFFIXES = (".xlsx", ".xlsm")
KIND_WORDS = {Kind.COUNT: "不小于 0 的整数", Kind.SIGNED: "整数", Kind.AMOUNT: "不小于 0 的数"}
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class _Zeros(dict[CellPath, int]):
    def __missing__(self, path: CellPath) -> int:
        return 0


@dataclass
class _StandIn:
    """What ``form_layout`` reads of a report: its values (the layout does not depend on them)."""

    values: _Zeros

    def text(self, path: CellPath) -> str:
        return "0"


def _text(value: Any) -> str:
    return unicodedata.normalize("NFKC", str(value)).replace("\u3000", " ").strip()


class _Reader:
    def __init__(self, path: Path, display: str, overrides: Overrides) -> None:
        self.display = display
        self.overrides = overrides
        self.errors: list[Finding] = []
        self.as_text: list[str] = []  # cells whose number was stored as text
        try:
            from openpyxl import load_workbook

            self.book = load_workbook(path, data_only=False)
            self.cached = load_workbook(path, data_only=True)  # only for a formula typed into an input cell
        except Exception as error:  # noqa: BLE001 - any unreadable file: one located message
            raise UnreadableSource([finding("xlsx-unreadable", Where(display), reason=type(error).__name__)]) from None

    def fail(self, code: str, label: str = "", **fields: Any) -> None:
        self.errors.append(finding(code, Where(self.display, label=label), **fields))

    def sheet(self, name: str) -> Any:
        if name not in self.book.sheetnames:
            raise UnreadableSource([finding("xlsx-not-a-form", Where(self.display), sheet=name)])
        return self.book[name]

    def value(self, sheet: Any, row: int, column: int) -> Any:
        value = sheet.cell(row, column).value
        if isinstance(value, str) and value.startswith("="):
            value = self.cached[sheet.title].cell(row, column).value
        return value

    # --- 基本信息 -----------------------------------------------------------------------

    def info(self) -> tuple[Agency | None, int | None, FormatSpec | None, date | None]:
        sheet = self.sheet(INFO_SHEET)

        def fact(key: str) -> tuple[Any, str]:
            row = INFO_ROW[key]
            return self.value(sheet, row, 2), f"{INFO_SHEET}!B{row}"

        slug_value, slug_ref = fact("agency")
        slug = self.overrides.slug or (_text(slug_value) if slug_value is not None else "")
        if not SLUG_PATTERN.match(slug):
            self.fail("xlsx-wrong-value", label="机关代码", cell=slug_ref, wanted="机关代码（小写英文字母、数字和连字符）",
                      value=slug)
        name_value, name_ref = fact("name")
        name = self.overrides.agency or (_text(name_value) if name_value is not None else "")
        if not name:
            self.fail("xlsx-missing-value", label="机关名称", cell=name_ref, what="请填写机关名称")
        year_value, year_ref = fact("year")
        year = self.overrides.year or _whole(year_value)
        if year is None or format_for_year(year) is None:
            self.fail("xlsx-wrong-value", label="报告年度", cell=year_ref, wanted="四位数字的年份（2019 年起）",
                      value=_text(year_value))
            year = None
        version_value, version_ref = fact("format")
        spec = FORMATS.get(_text(version_value)) if version_value is not None else None
        if spec is None or (year is not None and format_for_year(year) is not spec):
            self.fail("xlsx-wrong-value", label="报告格式", cell=version_ref, wanted="与报告年度相符的格式（2019 或 2021）",
                      value=_text(version_value))
            spec = None
        published_value, published_ref = fact("published")
        published = self.overrides.published or _date(published_value)
        if published is None and PLACEHOLDER in str(published_value):
            self.fail("xlsx-placeholder", label="发布日期", cell=published_ref, what="实际发布日期，例如 2025-01-20")
        elif published is None:
            self.fail("xlsx-wrong-value", label="发布日期", cell=published_ref, wanted="日期，例如 2025-01-20",
                      value=_text(published_value) if published_value is not None else "")
        agency = Agency(slug, name) if SLUG_PATTERN.match(slug) and name else None
        return agency, year, spec, published

    # --- tables and narrative ------------------------------------------------------------

    def table(self, table: TableSpec, values: dict[CellPath, CellValue]) -> None:
        sheet = self.sheet(sheet_name(table))
        cells, labels = cells_by_path(table), cell_labels(table)
        for placed in form_layout(table, _StandIn(_Zeros())):  # type: ignore[arg-type]
            ref = f"{sheet.title}!{sheet.cell(placed.row, placed.column).coordinate}"
            if placed.label is not None:
                found = self.value(sheet, placed.row, placed.column)
                if found is None or _text(found) != _text(placed.label):
                    raise UnreadableSource([finding(
                        "xlsx-wrong-value", Where(self.display, label=table.title), cell=ref,
                        wanted=f"表头“{placed.label}”（表格结构不能改动，请用 gongkai new --xlsx 生成的表单）",
                        value=_text(found) if found is not None else "")])
                continue
            if placed.path is None or placed.is_total:
                continue
            kind = cells[placed.path].column.kind
            raw = self.value(sheet, placed.row, placed.column)
            number = self.number(raw, kind, ref, labels[placed.path])
            if number is not None:
                values[placed.path] = number

    def number(self, raw: Any, kind: Kind, ref: str, label: str) -> CellValue | None:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            self.fail("xlsx-missing-value", label=label, cell=ref, what="没有数据请填 0")
            return None
        parsed: Decimal | None = None
        if isinstance(raw, (bool, datetime, date)):
            parsed = None
        elif isinstance(raw, int):
            parsed = Decimal(raw)
        elif isinstance(raw, float):
            parsed = Decimal(repr(raw))
        elif isinstance(raw, str):
            text = _text(raw).replace(",", "").replace(" ", "")
            if _NUMBER.match(text):
                parsed = Decimal(text)
                self.as_text.append(f"{ref}“{raw}”")
        if parsed is not None and kind is Kind.AMOUNT and parsed >= 0:
            return parsed.normalize() if parsed != parsed.to_integral() else Decimal(int(parsed))
        if parsed is not None and parsed == parsed.to_integral() and (kind is Kind.SIGNED or parsed >= 0):
            return int(parsed)
        self.fail("xlsx-wrong-value", label=label, cell=ref, wanted=KIND_WORDS[kind], value=_text(raw))
        return None

    def narrative(self, spec: FormatSpec) -> dict[str, str]:
        sheet = self.sheet(NARRATIVE_SHEET)
        narrative = {}
        for offset, section in enumerate(spec.narrative_sections):
            row = NARRATIVE_FIRST_ROW + offset
            ref = f"{NARRATIVE_SHEET}!B{row}"
            title = self.value(sheet, row, 1)
            if title is None or _text(title) != section.title:
                raise UnreadableSource([finding("xlsx-wrong-value", Where(self.display, label=section.title),
                                                cell=f"{NARRATIVE_SHEET}!A{row}", wanted=f"标题“{section.title}”",
                                                value=_text(title) if title is not None else "")])
            body = self.value(sheet, row, 2)
            text = str(body).replace("\r\n", "\n").strip() if body is not None else ""
            if not text:
                self.fail("xlsx-missing-value", label=section.title, cell=ref, what="没有需要报告的内容时请写明“无”")
            elif PLACEHOLDER in text:
                self.fail("xlsx-placeholder", label=section.title, cell=ref, what="实际内容；没有需要报告的内容时写明“无”")
            else:
                narrative[section.key] = text + "\n"  # as a YAML block keeps it
        return narrative

    def read(self, path: Path) -> Imported:
        agency, year, spec, published = self.info()
        values: dict[CellPath, CellValue] = {}
        narrative: dict[str, str] = {}
        if spec is not None:
            for table in spec.tables:
                self.table(table, values)
            narrative = self.narrative(spec)
        if self.errors:
            raise UnreadableSource(self.errors)
        assert agency is not None and year is not None and spec is not None and published is not None
        for table in spec.tables:
            for rule in total_rules(table):
                values[rule.target_path] = rule.expected(values)
        notices = ["总计按表中填写的各项重新计算（不读取表格中公式的结果）"]
        if self.as_text:
            shown = "、".join(self.as_text[:5]) + ("等" if len(self.as_text) > 5 else "")
            notices.append(f"{len(self.as_text)} 个单元格的数字是以文字形式保存的（{shown}），已按数字读取")
        report = Report(source=path, display_path=self.display, agency=agency, year=year, format=spec,
                        published=published, narrative=narrative, values=values)
        return Imported(report, notices)


def _whole(value: Any) -> int | None:
    text = _text(value) if value is not None else ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return int(text) if text.isdigit() else None


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None:
        return None
    match = _DATE.match(_text(value))
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def read_form(path: Path, display: str, overrides: Overrides) -> Imported:
    """The report a filled-in form holds; raises ``UnreadableSource`` naming each cell at fault."""
    try:
        return _Reader(path, display, overrides).read(path)
    except (InvalidOperation, KeyError) as error:  # a sheet edited beyond recognition
        raise UnreadableSource([finding("xlsx-unreadable", Where(display), reason=type(error).__name__)]) from None
