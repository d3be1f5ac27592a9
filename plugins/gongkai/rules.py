"""The one catalogue of rules: code, severity, the handbook's one-line title, and the message.

Every finding the project reports — loader, parser, validator, importer, site checks — is made
here, by rule code and named fields: ``RULES["applications-balance"].at(where, received=9, …)``
or the shorthand ``finding("applications-balance", where, …)``. No other module writes a
message. The handbook's rule table, the JSON output and the tests all read this catalogue.

A rule's ``template`` is a ``str.format`` string over named fields; ``expected`` and
``actual`` are kept apart (they print as （应为 X，实为 Y） and go to JSON as they are).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable, Mapping

from .findings import Finding, Severity

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Where:
    """Where a finding points: a file, a 1-based line and column, the YAML path and the cell's label."""

    file: str
    line: int | None = None
    column: int | None = None
    path: tuple[str, ...] = ()
    label: str = ""

    @classmethod
    def at(cls, file: str, mark: Any = None, path: Iterable[Any] = (), label: str = "") -> "Where":
        """From any object with ``line`` and ``column`` (a loader ``Mark``), or none."""
        line = getattr(mark, "line", None) if mark is not None else None
        column = getattr(mark, "column", None) if mark is not None else None
        return cls(file, line, column, tuple(str(p) for p in path), label)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)


@dataclass(frozen=True)
class Rule:
    code: str  # stable English code, e.g. "applications-balance"
    severity: Severity
    title: str  # one line for the handbook's rule table
    template: str  # the Chinese message, over named fields

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(name for _, name, _, _ in string.Formatter().parse(self.template) if name)

    def message(self, **fields: Any) -> str:
        missing = [name for name in self.fields if name not in fields]
        if missing:
            raise KeyError(f"rule {self.code}: message fields missing: {', '.join(missing)}")
        return self.template.format(**{k: _text(v) if isinstance(v, Decimal) else v for k, v in fields.items()})

    def at(self, where: Where, *, expected: object = None, actual: object = None,
           severity: Severity | None = None, **fields: Any) -> Finding:
        """This rule's finding at ``where``; ``severity`` only for rules whose catalogue entry says it varies."""
        return Finding(
            rule=self.code,
            severity=severity or self.severity,
            message=self.message(**fields),
            file=where.file,
            line=where.line,
            column=where.column,
            path=where.path,
            label=where.label,
            expected=_text(expected),
            actual=_text(actual),
        )


RULES: dict[str, Rule] = {}


def rule(code: str, severity: Severity, title: str, template: str) -> Rule:
    """Declare a rule (once per code)."""
    if code in RULES:
        raise ValueError(f"rule {code} declared twice")
    declared = Rule(code, severity, title, template)
    RULES[code] = declared
    return declared


def finding(code: str, where: Where, **kwargs: Any) -> Finding:
    """``RULES[code].at(where, **kwargs)``: the one way a finding is made."""
    return RULES[code].at(where, **kwargs)


def catalogue() -> Mapping[str, Rule]:
    return RULES


# --- files and YAML --------------------------------------------------------------------
# (The sections below are the catalogue. Each part of the project adds its rules in its own
# section; the handbook lists them in this order.)


# --- editors: drafts, deadlines, the Excel form (gongkai new / import / validate, preview) ---

rule("invalid-status", E, "状态（status）只能是 draft 或 final",
     "“status”只能是 draft（草稿：只在预览中显示，发布时不生成页面）或 final（定稿）；定稿后也可以删去这一行")
rule("report-late", W, "发布日期晚于法定截止日（网站上会标注“逾期发布”）",
     "发布日期 {published} 晚于法定截止日 {deadline}，逾期 {days} 天；网站上会标注“逾期发布”。"
     "如果发布日期填错了，请改正")
rule("xlsx-unreadable", E, "Excel 文件无法打开",
     "无法打开这个 Excel 文件（{reason}）。请确认它是用 gongkai new --xlsx 生成、在 Excel 或 WPS 中另存为 .xlsx 的文件")
rule("xlsx-not-a-form", E, "Excel 文件不是 gongkai 的报告表单",
     "找不到工作表“{sheet}”：这个文件不是用 gongkai new --xlsx 生成的报告表单，请用表单填写后再导入")
rule("xlsx-wrong-value", E, "Excel 表单中的单元格应填数字",
     "单元格 {cell} 应填{wanted}，实为“{value}”")
rule("xlsx-placeholder", E, "Excel 表单中还有模板的占位文字",
     "单元格 {cell} 还是模板的占位文字（含“【请填写】”），请替换为{what}")
rule("xlsx-missing-value", E, "Excel 表单中的必填单元格是空的",
     "单元格 {cell} 是空的：{what}")
