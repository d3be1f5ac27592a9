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


# --- text that reaches a page: names and narratives (gongkai.narrative) -----------------

rule("name-markup", E, "名称中有 HTML 符号、字符实体或控制字符",
     "{field}中不能有{what}：网页会把它当作代码，而不是文字。请只写名称本身的文字"
     "（确需这些符号时，请用全角“＜＞＆”）")
rule("narrative-markup", E, "正文中有 HTML 标签",
     "正文中不能使用 HTML 标签。请用 Markdown 书写，例如 **加粗**、空行分段；"
     "要写小于号时请用全角“＜”，或放在 `反引号` 中")
rule("narrative-attributes", E, "正文中有给段落或标题加属性的花括号",
     "正文中不能用花括号给段落、标题或链接加属性或样式：报告页面的样式由门户统一设置。"
     "请删去这对花括号及其中的内容")
rule("narrative-link-scheme", E, "正文中的链接指向不安全的地址",
     "链接“{text}”的地址不安全：正文中的链接只能指向 http(s) 网址、邮箱（mailto:）、电话（tel:）或站内页面，"
     "不能使用 javascript:、data:、vbscript: 等（也包括用字符实体、大小写或换行写出的）。请改为网址或删去这个链接")
rule("narrative-heading-level", E, "正文中的标题级别过高",
     "“{text}”会成为{level}级标题：报告页面已有一级标题（报告名称）和二级标题（六个部分），正文中的小标题请从三级开始，"
     "写成“### {text}”{hint}")
rule("narrative-image", E, "正文中插入了图片",
     "正文中不能插入图片：门户页面不从其他网站加载任何内容，报告也没有存放图片的位置。"
     "请改为文字说明，或写成链接 [说明](https://…)")
