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


# --- limits: resources, files and paths, how numbers are written (helper "limits") -----------
# Bounds are in limits.py; these rules say, at a file and line, what was refused and why.
rule("not-a-regular-file", E, "报告目录中的特殊文件（管道、设备、文件夹链接等）",
     "这不是普通文件，而是{kind}，未读取。报告目录中只能放报告文件（<机关代码>/<年度>.yml）")
rule("symlink-loop", E, "符号链接循环", "这是一个循环的符号链接（最终指向自己），无法读取。请删去它，放入实际的报告文件")
rule("outside-portal", E, "符号链接指向报告目录之外",
     "这个符号链接指向报告目录之外（{target}），未读取。请把报告文件本身放进报告目录")
rule("file-too-large", E, "文件过大", "文件过大（{size}，上限 {limit}），未读取。报告文件通常只有几十 KB，请检查是否放错了文件")
rule("control-character", E, "文件中有控制字符",
     "文件中有不可见的控制字符 {char}，请删去（常见于从其他软件复制粘贴的文字）")
rule("yaml-alias", E, "报告中使用了 YAML 锚点或别名",
     "报告中不能使用 YAML 锚点和别名（“&名称”“*名称”），请把内容直接写出来（别名会让很短的文字展开成极大的数据）")
rule("yaml-too-deep", E, "YAML 嵌套过深", "嵌套层级超过 {limit} 层，未读取。报告最多只有五六层缩进，请检查括号和缩进")
rule("yaml-too-many-nodes", E, "YAML 内容过多", "文件中的值超过 {limit} 个，未读取。请检查是否放错了文件")
rule("number-form", E, "数字不是十进制阿拉伯数字",
     "应填{kind}，只能用阿拉伯数字按十进制书写；“{text}”是{form}，未采用")
rule("number-leading-zero", W, "数字以 0 开头",
     "“{text}”以 0 开头，已按十进制读作 {value}（不是八进制）；请删去开头的 0")
rule("number-too-large", E, "数字超出范围", "数字超出合理范围（{limit}），请检查是否多写了数字")
rule("slug-too-long", E, "机关代码过长", "机关代码过长（{length} 个字符，最多 {limit} 个）；它会成为网址和文件夹名")
rule("name-too-long", E, "机关名称过长", "机关名称过长（{length} 个字，最多 {limit} 个）")
rule("slug-folder-mismatch", E, "机关代码与文件夹不一致",
     "机关代码“{slug}”与报告所在的文件夹“{folder}”不一致。报告应放在 {expected_path}，或把机关代码改为“{folder}”")
rule("year-file-mismatch", E, "报告年度与文件名不一致",
     "报告年度 {year} 与文件名“{name}”不一致：这份报告的文件应命名为 {year}.yml")
rule("misplaced-report", E, "报告文件放错了位置",
     "报告文件不能直接放在报告目录下，应放在机关代码命名的文件夹中：{expected_path}")
rule("stray-file", W, "报告目录中的其他文件",
     "这不是报告文件（报告应为 <机关代码>/<年度>.yml），未读取。如是备份或草稿，请移出报告目录")
rule("output-unwritable", E, "无法写入输出文件", "无法写入 {target}：{reason}")
rule("archive-too-large", E, "压缩文件解压后过大（疑似“压缩炸弹”）",
     "这个 Word 文件解压后过大（{what}，上限 {limit}），未读取。正常的年度报告远小于此，请检查文件来源")
