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


# --- importing archives as published (importer, issue 12) ------------------------------
rule("import-approximate-label", W, "导入时按相近写法认出的标题或行名",
     "源文件中的“{published}”与官方写法不完全一致，已按“{official}”读取，请核对")
rule("import-mixed-layout", W, "导入的表格沿用了另一版国家格式",
     "{table}按 {layout} 格式（{document}）的行次发布，已按原样记录（layouts: {key}: \"{layout}\"）")
rule("import-scanned-pdf", E, "PDF 没有文字层（扫描件）",
     "这份 PDF 没有可提取的文字（可能是扫描件或图片），无法可靠地读取数字；"
     "请找到文字版的 PDF 或网页版再导入，或做文字识别并逐一核对后另存为 .txt 导入")
rule("import-pdf-unreadable", E, "PDF 无法打开", "无法读取这份 PDF：{reason}")
rule("import-unit-misplaced", E, "带单位的数字不在金额栏",
     "“{column}”这一格应是数字，实为带单位的“{text}”（只有金额栏可以带单位）")
