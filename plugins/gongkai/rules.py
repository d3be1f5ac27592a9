"""The one catalogue of rules: code, severity, the handbook's one-line title, and the message.

Every finding the project reports — loader, parser, validator, importer, site checks — is made
here, by rule code and named fields: ``RULES["applications-balance"].at(where, received=9, …)``
or the shorthand ``finding("applications-balance", where, …)``. No other module writes a
message. The handbook's rule table, the JSON output and the tests all read this catalogue.

A rule's ``template`` is a ``str.format`` string over named fields; ``expected`` and
``actual`` are kept apart (they print as （应为 X，实为 Y） and go to JSON as they are).
A rule that says the same thing in more than one situation lists its other messages as
``variants`` (picked with ``variant=``), each optionally with its own severity. Fields that
are lists print joined by “、”.

A new rule: declare it in the section of its area below, emit it with ``finding(...)`` from
one declaration or rule function, and add a case under ``tests/core/cases/<code>/``.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .findings import Finding, Severity

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Where:
    """Where a finding points: a file, a 1-based line and column, the YAML path and the cell's label.

    ``detail`` is a position a line number cannot give (e.g. 第 2 个表格第 5 行 in a Word
    file); it is added to the message in brackets.
    """

    file: str
    line: int | None = None
    column: int | None = None
    path: tuple[str, ...] = ()
    label: str = ""
    detail: str = ""

    @classmethod
    def at(cls, file: str, mark: Any = None, path: Iterable[Any] = (), label: str = "", detail: str = "") -> Where:
        """From any object with ``line`` (and ``column``): a loader ``Mark``, an import token; or none."""
        line = getattr(mark, "line", None) if mark is not None else None
        column = getattr(mark, "column", None) if mark is not None else None
        return cls(file, line, column, tuple(str(p) for p in path), label, detail)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)


def _field(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return "、".join(str(_field(item)) for item in value)
    return value


Message = str | tuple[Severity, str]  # a variant's template, or its severity and template


@dataclass(frozen=True)
class Rule:
    code: str  # stable English code, e.g. "applications-balance"
    severity: Severity
    title: str  # one line for the handbook's rule table
    template: str  # the Chinese message, over named fields
    variants: Mapping[str, Message] = field(default_factory=dict)  # other messages of the same rule

    def _message(self, variant: str | None) -> tuple[Severity, str]:
        if variant is None:
            return self.severity, self.template
        try:
            chosen = self.variants[variant]
        except KeyError:
            raise KeyError(f"rule {self.code}: no message variant {variant!r}") from None
        return chosen if isinstance(chosen, tuple) else (self.severity, chosen)

    @property
    def templates(self) -> dict[str | None, str]:
        """Every message of the rule: the main one (key None), then the variants."""
        return {None: self.template, **{k: self._message(k)[1] for k in self.variants}}

    def fields(self, variant: str | None = None) -> tuple[str, ...]:
        template = self._message(variant)[1]
        return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)

    def message(self, variant: str | None = None, **fields: Any) -> str:
        missing = [name for name in self.fields(variant) if name not in fields]
        if missing:
            raise KeyError(f"rule {self.code}: message fields missing: {', '.join(missing)}")
        return self._message(variant)[1].format(**{k: _field(v) for k, v in fields.items()})

    def at(self, where: Where, *, expected: object = None, actual: object = None, variant: str | None = None,
           severity: Severity | None = None, **fields: Any) -> Finding:
        """This rule's finding at ``where``; ``variant`` picks one of its other messages."""
        message = self.message(variant, **fields)
        if where.detail:
            message += f"（{where.detail}）"
        return Finding(
            rule=self.code,
            severity=severity or self._message(variant)[0],
            message=message,
            file=where.file,
            line=where.line,
            column=where.column,
            path=where.path,
            label=where.label,
            expected=_text(expected),
            actual=_text(actual),
        )


RULES: dict[str, Rule] = {}
_RESERVED = frozenset({"code", "where", "expected", "actual", "variant", "severity"})


def rule(code: str, severity: Severity, title: str, template: str, variants: Mapping[str, Message] | None = None,
         ) -> Rule:
    """Declare a rule (once per code)."""
    if code in RULES:
        raise ValueError(f"rule {code} declared twice")
    declared = Rule(code, severity, title, template, dict(variants or {}))
    for variant in (None, *declared.variants):
        clash = _RESERVED.intersection(declared.fields(variant))
        if clash:
            raise ValueError(f"rule {code}: field names {sorted(clash)} are taken by finding()'s own arguments")
    RULES[code] = declared
    return declared


def finding(code: str, where: Where, **kwargs: Any) -> Finding:
    """``RULES[code].at(where, **kwargs)``: the one way a finding is made."""
    return RULES[code].at(where, **kwargs)


def catalogue() -> Mapping[str, Rule]:
    return RULES


# --- pieces of messages -----------------------------------------------------------------
# Words that several messages share: how a value is described, and how the importer names a
# place in a table. Kept here so that every word of every message is in this one file.

PHRASES: dict[str, str] = {
    # a value as the editor wrote it (``describe``)
    "null": "空值",
    "bool": "是/否（布尔值）",
    "mapping": "一组键值",
    "list": "列表",
    "text": "文字“{text}”",
    "decimal": "小数 {value}",
    "other": "“{value}”",
    # expected and actual values
    "on-or-after": "{date} 或以后",
    "copies": "{count} 份",
    # the keys a level allows
    "key-and-label": "{key}（{label}）",
    # a hint after a wrong cell value
    "hint-empty": "；没有数据请填 0",
    "hint-quoted-number": "；请去掉引号、空格或全角字符，只写阿拉伯数字",
    # the importer's place in a table
    "header": "表头“{label}”",
    "row": "“{label}”这一行",
    "this-row": "这一行",
    "after-header": "表头之后",
    "numbers-of-line": "这一行的 {count} 个数字",
    "found-some": "只找到 {count} 个",
    "found-none": "一个也没有找到",
    "then-text": "，随后是“{text}”",
    "then-end": "，表格就结束了",
    "section-after": "“{title}”之后",
    "option-agency": "机关名称（--name）",
    "option-year": "报告年度（--year）",
}


# --- messages that are not findings -------------------------------------------------------
# A command called wrongly or a setting out of range: said in one line, not located in a report.

USAGE: dict[str, str] = {
    "year": "年度应是四位数字，例如 2024（实为“{text}”）",
    "date": "日期应写成 YYYY-MM-DD，例如 2025-01-20（实为“{text}”）",
    "agency-code": "--agency 表示机关代码（小写英文字母、数字和连字符，例如 shifan-zhen），实为“{agency}”",
    "page-size": "gongkai：plugins.gongkai.page_size（每个列表页最多列出的条目数）应为正整数，实为 {value}",
}


def usage(name: str, **fields: Any) -> str:
    """A one-line message about how a command was called or a setting written (see ``USAGE``)."""
    return USAGE[name].format(**fields)


def phrase(name: str, **fields: Any) -> str:
    """A piece of a message (see ``PHRASES``), to pass as a field."""
    return PHRASES[name].format(**{k: _field(v) for k, v in fields.items()})


def describe(value: Any) -> str:
    """What a value is, in words an editor knows (e.g. 文字“五”, 空值, 列表)."""
    if value is None:
        return phrase("null")
    if isinstance(value, bool):
        return phrase("bool")
    if isinstance(value, dict):
        return phrase("mapping")
    if isinstance(value, list):
        return phrase("list")
    if isinstance(value, str):
        return phrase("text", text=value[:30])
    if isinstance(value, Decimal):
        return phrase("decimal", value=value)
    return phrase("other", value=value)


def shown(value: Any) -> str:
    """A value for （实为 …）: containers shortened, nothing for a missing value."""
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    return "" if value is None else str(value)


# --- files and YAML (loading) ------------------------------------------------------------
# (The sections below are the catalogue. Each part of the project adds its rules in its own
# section; the handbook lists them in this order.)

rule("file-unreadable", E, "文件无法读取（权限或路径问题）", "无法读取文件：{reason}")
rule("file-encoding", E, "文件不是 UTF-8 编码（例如用 GBK 保存）",
     "文件不是 UTF-8 编码。请在编辑器中以 UTF-8 编码另存（不要用 GBK/GB2312）")
rule("yaml-syntax", E, "YAML 格式错误：缩进不对、用了 Tab、冒号或引号不成对等",
     "{explanation}。（YAML：{problem}）",
     {"untranslated": "YAML 格式错误：{problem}。"})
rule("duplicate-key", E, "同一层级中同一个键出现了两次",
     "键“{key}”重复出现（第一次在第 {first_line} 行）。同一层级每个键只能出现一次，请删去或合并多余的一处")

# What libyaml says (its English problem text, matched by substring) and what it means for an editor.
YAML_PROBLEMS: dict[str, str] = {
    "mapping values are not allowed here": "此处不能出现“键: 值”（常见原因：缩进不对，或文字里有英文冒号而没有加引号）",
    "mapping values are not allowed in this context": "此处不能出现“键: 值”（常见原因：缩进不对，或文字里有英文冒号而没有加引号）",
    "could not find expected ':'": "缺少英文冒号“:”（检查上一行的键和缩进）",
    "did not find expected key": "缩进不一致，找不到预期的键（检查这一行与上一行的缩进空格数）",
    "found character '\\t' that cannot start any token": "不能用 Tab 键缩进，请改用空格",
    "found a tab character": "不能用 Tab 键缩进，请改用空格",
    "found character that cannot start any token": "这个字符不能出现在值的开头（例如 @、`、%），以它开头的文字请加引号",
    "did not find expected node content": "缺少内容（检查括号、引号是否成对）",
    "found unexpected end of stream": "文件意外结束（检查引号是否成对）",
    "did not find expected ',' or '}'": "花括号 { } 内的内容格式不对（检查逗号、冒号和右括号）",
    "did not find expected ',' or ']'": "方括号 [ ] 内的内容格式不对（检查逗号和右括号）",
    "found undefined alias": "引用了未定义的锚点（*别名）",
    "block sequence entries are not allowed in this context": "此处不能出现“- ”列表项（检查缩进）",
    "found unknown escape character": "双引号文字中有无法识别的转义符“\\”，请改用单引号或删去反斜杠",
}
UNKNOWN_YAML_PROBLEM = "无法解析"


def yaml_syntax(where: Where, problem: str | None) -> Finding:
    """A YAML syntax error, explained in Chinese when libyaml's problem is a known one."""
    problem = problem or UNKNOWN_YAML_PROBLEM
    for english, explanation in YAML_PROBLEMS.items():
        if english in problem:
            return finding("yaml-syntax", where, explanation=explanation, problem=problem)
    return finding("yaml-syntax", where, variant="untranslated", problem=problem)


# --- report structure and types (parsing) ------------------------------------------------

rule("unknown-key", E, "出现了格式中没有的键（通常是拼写错误），这一项数据不会被采用",
     "未知的键“{key}”？这一项的数据不会被采用，请改正拼写。{section}下允许的键：{allowed}",
     {"did-you-mean": "未知的键“{key}”，是否应为“{hint}”（{hint_label}）？这一项的数据不会被采用，请改正拼写。"
                      "{section}下允许的键：{allowed}"})
rule("missing-section", E, "缺少某一部分，或文字部分是空的",
     "缺少“{key}”（{key_label}）。请补上这一部分",
     {"empty-file": "文件是空的。请用 `gongkai new` 生成模板后填写",
      "empty-text": "这一部分不能为空；没有需要报告的内容时请写明“无”"})
rule("missing-field", E, "表格中缺少某一行或某一格；没有数据请填 0",
     "缺少“{key}”（{key_label}）这一格；没有数据请填 0",
     {"row": "缺少“{key}”（{key_label}）这一行",
      "agency": "缺少“agency.{key}”（{key_label}）"})
rule("wrong-type", E, "类型不对：应填数字却填了文字、引号中的数字、是/否、列表等",
     "应填{kind}，实为{described}{hint}",
     {"not-a-mapping": "这里应是一组“键: 值”（映射），实为{described}。请检查缩进",
      "agency-name": "机关名称应是非空文字",
      "year": "报告年度应是四位数字的年份，例如 2024",
      "narrative": "“{key}”应是一段文字（Markdown），实为{described}。多段文字请用“|”开头的块"})
rule("not-an-integer", E, "件数等应为整数，却填了小数", "应填{kind}，不能有小数")
rule("negative-count", E, "数量不能为负数", "数量不能为负数")
rule("negative-amount", E, "金额不能为负数", "金额不能为负数")
rule("invalid-date", E, "发布日期不存在、格式不对，或早于报告年度结束（晚于今天时为警告）",
     "发布日期应写成 YYYY-MM-DD，例如 2025-01-20",
     {"no-such-day": "日期“{text}”不存在（请检查月份和日期）",
      "too-early": "{year} 年度的报告不可能在 {year} 年结束前发布",
      "in-the-future": (W, "发布日期晚于今天")})
rule("unknown-format", E, "报告格式（format）只能是 2021 或 2019",
     "报告格式应为 2021（国办公开办函〔2021〕30号）或 2019（国办公开办函〔2019〕60号）")
rule("format-year-mismatch", E, "报告格式与报告年度不符：2019、2020 年度用 2019 格式，2021 年度起用 2021 格式",
     "{year} 年度的报告应使用 {version} 格式（{document}）")
rule("unsupported-year", E, "报告年度早于 2019 年或晚于今年",
     "报告年度 {year} 不在支持范围内（2019 年起，按国家格式编制，且不晚于今年）")
rule("invalid-slug", E, "机关代码只能由小写英文字母、数字和连字符组成",
     "机关代码只能由小写英文字母、数字和连字符组成，且不能以连字符开头或结尾（例如 shifan-zhen）；它会出现在网址中")
rule("narrative-html", E, "文字部分（或机关名称）中出现了 HTML 标签",
     "正文中不能使用 HTML 标签（发现“{tag}”）。请用 Markdown 书写，例如 **加粗**、空行分段",
     {"agency-name": "机关名称中不能有 HTML 标签"})
rule("narrative-unsafe-link", E, "文字部分中有 javascript: 等脚本链接",
     "正文中的链接只能指向 http(s) 网址或站内页面，不能使用 javascript: 等脚本链接")
rule("narrative-placeholder", E, "文字部分还是模板的占位文字“【请填写】”",
     "这一部分还是模板的占位文字（含“{placeholder}”），请替换为实际内容后再发布；没有需要报告的内容时请写明“无”")

# --- within one report (validation) ---------------------------------------------------------

_TOTAL, _TOTAL_OF_MANY = "总计应等于{parts}共 {count} 项之和", {"many": "总计应等于{parts} 等共 {count} 项之和"}
_ARCHIVED_SUM = ("；按原文存档的报告中，空白、不适用的格不计入（各项都空白时按 0 比较），"
                 "总计本身空白而其余各项之和大于 0 的也算不符")
_ARCHIVED_COMPARE = "；按原文存档的报告中，有一格空白或不适用的列不作比较"
rule("total-row-sum", E, "（七）总计行不等于（一）至（六）各项（含各小项）之和（总计列的（七）总计也按列核对）"
     + _ARCHIVED_SUM, _TOTAL, _TOTAL_OF_MANY)
rule("total-column-sum", E, "总计列不等于同一行其他各列之和（表三：六类申请人；表四：维持、纠正、其他、尚未审结）"
     + _ARCHIVED_SUM, _TOTAL, _TOTAL_OF_MANY)
rule("applications-balance", E, "表三中，第一项加第二项之和不等于第三项加第四项之和" + _ARCHIVED_COMPARE,
     "第一项加第二项之和应等于第三项加第四项之和：新收 {received} + 上年结转 {carried_over} "
     "≠ 办理结果总计 {handled} + 结转下年度 {carried_forward}")

# --- across reports and years (validation) ------------------------------------------------

rule("carry-over-mismatch", E, "表三“二、上年结转”不等于上一年度报告的“四、结转下年度继续办理”" + _ARCHIVED_COMPARE,
     "应等于 {previous_year} 年度报告（{previous_file}）的“{source_label}”")
rule("duplicate-report", E, "同一机关同一年度有两份报告",
     "{slug} 的 {year} 年度报告已有一份：{first_file}。每个机关每年只能有一份报告")
rule("agency-name-changed", W, "同一机关代码在不同年度的机关名称不同（机关更名时请确认）",
     "同一机关代码 {slug} 在 {other_file} 中的名称不同（机关更名时请确认）")
rule("in-force-continuity", W, "2021 格式：现行有效件数通常等于上一年度的现行有效件数加本年制发、减本年废止",
     "通常等于上一年度的现行有效件数 {last} 加本年制发、减本年废止")
rule("previous-items-continuity", W, "2019 格式：上一年项目数量通常等于上一年度报告的上一年项目数量加本年增/减",
     "通常等于上一年度报告的上一年项目数量加本年增/减")

# --- the site (indexing, collection) ------------------------------------------------------

rule("slug-clashes-with-year", E, "机关代码全部由数字组成，会与年度页面的网址冲突",
     "机关代码不能全部由数字组成：年度页面的网址是 reports/<年份>/，纯数字的机关代码会与之冲突。"
     "请改用拼音或英文缩写（例如 shifan-zhen）")
rule("slug-reserved", E, "机关代码为 agencies，与机关目录页面的网址冲突",
     "机关代码“{page}”留给机关目录页面（reports/{page}/）使用，请改用其他代码")
rule("no-reports", W, "指定的路径下没有找到报告文件", "没有找到报告文件（*.yml）：{paths}")

# --- importing published reports (importing) ----------------------------------------------

rule("import-unsupported-file", E, "导入：源文件的类型无法读取（旧版 Word、损坏的 .docx）",
     "无法作为 Word .docx 文件读取（{error}）",
     {"old-word": "不支持旧版 Word（.doc/.wps）文件，请在 Word 或 WPS 中另存为 .docx 后再导入"})
rule("import-encoding", E, "导入：源文件既不是 UTF-8 也不是 GBK 编码", "无法识别文件编码（应为 UTF-8 或 GBK）")
rule("import-missing-metadata", E, "导入：源文件中找不到机关名称或报告年度，命令行也没有给出",
     "源文件中没有找到形如“XXX2024年政府信息公开工作年度报告”的标题，无法得知{missing}；请用相应选项指定")
rule("import-unsupported-year", E, "导入：报告年度早于 2019 年",
     "报告年度 {year} 不在支持范围内（2019 年起按国家格式编制的报告）")
rule("import-missing-section", E, "导入：源文件中找不到国家格式的某一部分标题",
     "找不到第{number}部分“{title}”{after}。源文件不像一份按国家格式编制的年度报告，或这一部分的标题写法不同")
rule("import-format-year-mismatch", E, "导入：源文件表格的格式与报告年度不符",
     "源文件的表格是 {detected_version} 格式（{detected_document}），但 {year} 年度的报告应使用 "
     "{version} 格式（{document}）。请核对年度（--year）")
rule("import-missing-row", E, "导入：表格中找不到某一行的官方标签", "找不到“{row}”这一行（在{previous}之后）")
rule("import-not-a-number", E, "导入：表格中应是数字的格不是数字（或是负数、小数）",
     "“{column}”这一格应是数字，实为“{text}”",
     {"negative-amount": "“{column}”是金额，不能为负数（实为“{text}”）",
      "not-an-integer": "“{column}”应是整数，实为“{text}”",
      "negative-count": "“{column}”是数量，不能为负数（实为“{text}”）"})
rule("import-too-few-cells", E, "导入：表格某一行的数字比格式规定的少",
     "{place}应有 {count} 个数字，{found}{then}。请核对源文件这一行是否缺了格",
     {"none-after-header": "表头之后应有 {count} 个数字，一个也没有找到"})
rule("import-extra-cells", E, "导入：表格某一行的数字比格式规定的多",
     "在“{row}”之前遇到多余的数字 {number}：{previous}多了格，或“{row}”的写法与官方标签不同",
     {"at-end": "表格末尾有多余的数字 {number}（在{previous}之后）。请核对源文件这一行是否多了格"})
rule("import-empty-section", E, "导入：源文件中某一文字部分下面没有文字", "“{title}”下面没有文字")
rule("import-missing-date", E, "导入：源文件中找不到发布日期，或日期早于报告年度结束",
     "源文件中没有找到发布日期（如“发布日期：2025-01-20”或文末落款日期），请用 --published YYYY-MM-DD 指定",
     {"too-early": "源文件中的日期 {date} 不可能是 {year} 年度报告的发布日期（应在 {year} 年结束之后），"
                   "请用 --published YYYY-MM-DD 指定"})
rule("import-exists", E, "导入：要写入的报告文件已存在（加 --force 覆盖）",
     "{target} 已存在，未覆盖；确认要覆盖请加 --force")
rule("import-round-trip", E, "导入：生成的 YAML 读回后与导入的数据不一致（程序错误）",
     "生成的 YAML 读回后与导入的数据不一致（程序错误，请报告）")

# --- editors: drafts, deadlines, the Excel form (gongkai new / import / validate, preview) ---

rule("invalid-status", E, "状态（status）只能是 draft 或 final",
     "“status”只能是 draft（草稿：只在预览中显示，发布时不生成页面）或 final（定稿）；定稿后也可以删去这一行")
rule("published-after-deadline", W, "发布日期晚于法定截止日（网站上会标注“逾期发布”）",
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

# --- archived reports: as published, acknowledged discrepancies, narrative counts (issue 12) ---
# An archived report (top-level ``archived:``) keeps every cell as published: a blank cell is
# absent, not 0, and so is a not-applicable one (“/”, “—”, “不适用”, “无”). Sums are taken over
# the parts present; a blank or not-applicable total is a discrepancy when the parts present add
# up to more than 0; a balance or carry-over with an absent operand is not compared.

rule("archived-only", E,
     "空白格、不适用格、带单位的金额、表格版式（layouts）和原文数据说明（discrepancies）只能用于按原文存档（archived）的报告",
     "“{key}”只能用于按原文存档的报告：新编的报告须按格式填写每一格。如确为存档的已发布报告，请在顶层加上"
     " archived（写明原文出处 source）；否则请删去这一项")
rule("archived-source", E, "按原文存档（archived）须写明原文出处 source（网址或文件名）",
     "按原文存档须写明原文出处：在 archived 下写 source: 原文网址或文件名")
rule("archived-retrieved", E, "存档日期（archived.retrieved）应写成 YYYY-MM-DD",
     "存档日期应写成 YYYY-MM-DD，例如 2026-01-05")
rule("layout-invalid", E,
     "表格版式（layouts）只能为表二、三、四声明 2019 或 2021 格式的版式",
     "“{key}: {version}”无法识别：可声明版式的表格为 {tables}，版式只能是 2019 或 2021")
rule("discrepancy-invalid", E,
     "原文数据说明（discrepancies）的一项缺少或写错了 rule、cell、published、expected",
     "原文数据说明第 {index} 项的“{field}”缺少或写得不对。每项须写 rule（规则代码，可为 {rules}）、"
     "cell（格子的路径，如 applications.results.total.total）、published（原文数字，空白写 \"\"）、"
     "expected（按规则应为的数字）")
rule("discrepancy-stale", E,
     "原文数据说明中的一项与表中数字对不上：原文数字被改动过，或说明写错了（说明不能掩盖改动）",
     "原文数据说明中的这一项（{rule}：原文 {published}，应为 {computed}）与表中数字对不上，"
     "没有相应的不符之处。如表中数字被改动过，请恢复为原文；如说明有误，请改正或删去这一项")
rule("narrative-count-mismatch", W,
     "正文中写明的件数与表格中的数字不一致（只比对含义明确的说法，如“收到政府信息公开申请9件”）",
     "正文“{quote}”写的是 {stated} 件，而表格“{cell}”为 {table}")

# How the page's 原文数据说明 words each acknowledged discrepancy, after the cell's label; by rule code.
DISCREPANCY_NOTES: dict[str, str] = {
    "total-row-sum": "原文为 {published}；按各项之和应为 {expected}。",
    "total-column-sum": "原文为 {published}；按本行各列之和应为 {expected}。",
    "applications-balance": "原文第三项加第四项之和为 {published}；按“第一项加第二项之和等于第三项加第四项之和”应为 {expected}。",
    "carry-over-mismatch": "原文为 {published}；按上一年度报告的“结转下年度继续办理”应为 {expected}。",
    "": "原文为 {published}；按“{rule}”应为 {expected}。",
}

# --- importing archives as published (importer, issue 12) ------------------------------
rule("import-approximate-label", W, "导入时按相近写法认出的标题或行名",
     "源文件中的“{published}”与官方写法不完全一致，已按“{official}”读取，请核对")
rule("import-mixed-layout", W, "导入的表格沿用了另一版国家格式",
     "本表按 {layout} 格式（{document}）的行次发布，已按原样记录（layouts: {key}: \"{layout}\"）")
rule("import-scanned-pdf", E, "PDF 没有文字层（扫描件）",
     "这份 PDF 没有可提取的文字（可能是扫描件或图片），无法可靠地读取数字；"
     "请找到文字版的 PDF 或网页版再导入，或做文字识别并逐一核对后另存为 .txt 导入")
rule("import-pdf-unreadable", E, "PDF 无法打开", "无法读取这份 PDF：{reason}")
rule("import-unit-misplaced", E, "带单位的数字不在金额栏",
     "“{column}”这一格应是数字，实为带单位的“{text}”（只有金额栏可以带单位）")

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
rule("year-file-mismatch", E, "报告年度与文件名不一致（常见于复制上一年度的文件后忘了改年度）",
     "报告年度 {year} 与文件名“{name}”不一致：这份报告的文件应命名为 {year}.yml；"
     "如果是复制上一年度的文件，请改写报告年度")
rule("misplaced-report", E, "报告文件放错了位置",
     "报告文件不能直接放在报告目录下，应放在机关代码命名的文件夹中：{expected_path}")
rule("stray-file", W, "报告目录中的其他文件",
     "这不是报告文件（报告应为 <机关代码>/<年度>.yml），未读取。如是备份或草稿，请移出报告目录")
rule("output-unwritable", E, "无法写入输出文件", "无法写入 {target}：{reason}")
rule("archive-too-large", E, "压缩文件解压后过大（疑似“压缩炸弹”）",
     "这个 Word 文件解压后过大（{what}，上限 {limit}），未读取。正常的年度报告远小于此，请检查文件来源")
rule("narrative-too-large", E, "文字部分过长、链接过多或嵌套过深，网站无法安全生成",
     "这一部分{what}，超出上限 {limit}，未采用：这样的文字会让网站生成耗时过久或失败。请精简，或删去多余的符号")

# --- text that reaches a page: names and narratives (gongkai.text_checks) -----------------

rule("name-markup", E, "名称中有 HTML 符号、字符实体或控制字符",
     "{field}中不能有{what}：网页会把它当作代码，或者显示不出来。请只写名称本身的文字"
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

# --- totals: what the walk of reports/ leaves out ---------------------------------------------------------------
rule("hidden-file", W, "报告目录中的隐藏文件或文件夹（名称以“.”开头）未读取（.DS_Store、Thumbs.db、.git 等系统文件除外）",
     "隐藏{kind}“{name}”（名称以“.”开头）未读取。编辑器留下的临时文件（如 .2024.yml.swp）可以删除；"
     "如果这是报告，请去掉名称开头的“.”")

# --- roster, deadlines and compliance (opendata) ---------------------------------------

rule("roster-structure", E, "机关名单格式不对",
     "机关名单应为“agencies:”下的列表，每一项是一个机关（name、kind 等键）")
rule("roster-unknown-key", E, "机关名单中有无法识别的键",
     "无法识别的键“{key}”，可用的键：{allowed}")
rule("roster-name-missing", E, "机关名单缺少机关名称", "请填写机关名称（name）")
rule("roster-kind-invalid", E, "机关类别无效",
     "机关类别（kind）应为 {kinds} 之一")
rule("roster-code-invalid", E, "机关代码无效",
     "机关代码（code）只能用小写字母、数字和连字符，例如 shifan-qu")
rule("roster-code-duplicate", E, "机关代码重复",
     "机关代码“{agency_code}”已用于名单中第 {first} 个机关，每个机关的代码应唯一")
rule("roster-group-invalid", E, "所属政府应为文字", "所属政府（group）应为文字，例如 示例区；已忽略")
rule("roster-first-year-invalid", E, "起报年度无效",
     "起报年度（first_year）应为 2008 至 2100 之间的年份，例如 2019；已忽略")
rule("roster-deadline-invalid", E, "发布期限格式不对",
     "发布期限（deadline）应写成“月-日”并加引号，例如 \"02-28\"（次年的该日）；已按条例第四十九条的期限处理")
rule("report-missing", E, "名单中的机关缺少年度报告",
     "{name}（{agency_code}）应报送 {year} 年度政府信息公开工作年度报告，但没有这份报告文件")
rule("report-failing", E, "年度报告未通过校验",
     "{name}（{agency_code}）{year} 年度报告有 {errors} 个错误，未通过校验")
rule("report-draft", E, "年度报告仍是草稿，尚未发布",
     "{name}（{agency_code}）{year} 年度报告仍是草稿（status: draft），网站不发布草稿：定稿后改为 status: final 或删去这一行")
rule("report-late", W, "年度报告逾期发布",
     "{name}（{agency_code}）{year} 年度报告于 {published} 发布，晚于发布期限 {deadline}（{basis}）")
rule("agency-not-in-roster", W, "机关不在机关名单中",
     "机关“{name}”（{agency_code}）不在机关名单 {roster} 中：发布期限按名称推定的机关类别计算，请在名单中补充")

# --- government-site conventions: the footer's identifiers and organiser (siteconv, issue 13) ---
# Options under plugins.gongkai.site_info in mkdocs.yml (gongkai.siteinfo).

rule("site-info-not-text", E, "网站页脚信息的设置应为文字",
     "应写成一行文字（可加引号），实为{value}")
rule("site-info-code", E, "网站标识码格式不对",
     "应为10位：地方政府网站为6位行政区划代码加4位数字（例如 3406000012），"
     "国务院部门网站为 bm 加8位数字（例如 bm55000001）；请照抄全国政府网站信息报送系统中的标识码")
rule("site-info-icp", E, "ICP备案号格式不对",
     "应照抄工业和信息化部备案系统的写法：省份简称、“ICP备”、数字和“号”，"
     "例如 京ICP备12345678号 或 京ICP备12345678号-1")
rule("site-info-police", E, "公安机关备案号格式不对",
     "应照抄全国互联网安全管理服务平台的写法：省份简称、“公网安备”、14位数字和“号”，"
     "例如 京公网安备11010502030143号")
rule("site-info-email", E, "联系邮箱格式不对", "应写成 名称@域名，例如 gongkai@example.gov.cn")
rule("site-info-remote-image", E, "页脚图片不能从其他网站加载",
     "图片不能写网址：网站的页面不从其他网站加载任何内容。请把图片保存到 docs 目录中，"
     "这里写它相对于 docs 目录的路径，例如 assets/dangzheng.png")
rule("site-info-image-missing", E, "页脚图片文件不存在或不是图片",
     "在 docs 目录中找不到图片“{path}”（或它不是 {kinds} 图片）。请把图片放到 docs 目录中，并检查路径和大小写")
rule("site-info-link", E, "页脚链接只能是 http(s) 网址",
     "链接应以 https:// 或 http:// 开头，例如党政机关网站标识的注册页面 https://bszs.conac.cn/sitename?method=show&id=…")
rule("site-info-unknown-key", E, "网站页脚信息中有无法识别的键",
     "无法识别的键“{key}”，可用的键：{allowed}")
