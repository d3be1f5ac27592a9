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
rule("roster-code-missing", E, "机关名单缺少机关代码",
     "请填写机关代码（code），例如 shifan-qu（本安装不能由名称自动生成代码）")
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
rule("report-late", W, "年度报告逾期发布",
     "{name}（{agency_code}）{year} 年度报告于 {published} 发布，晚于发布期限 {deadline}（{basis}）")
rule("agency-not-in-roster", W, "机关不在机关名单中",
     "机关“{name}”（{agency_code}）不在机关名单 {roster} 中：发布期限按名称推定的机关类别计算，请在名单中补充")

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
     "{table}按 {layout} 格式（{document}）的行次发布，已按原样记录（layouts: {key}: \"{layout}\"）")
rule("import-scanned-pdf", E, "PDF 没有文字层（扫描件）",
     "这份 PDF 没有可提取的文字（可能是扫描件或图片），无法可靠地读取数字；"
     "请找到文字版的 PDF 或网页版再导入，或做文字识别并逐一核对后另存为 .txt 导入")
rule("import-pdf-unreadable", E, "PDF 无法打开", "无法读取这份 PDF：{reason}")
rule("import-unit-misplaced", E, "带单位的数字不在金额栏",
     "“{column}”这一格应是数字，实为带单位的“{text}”（只有金额栏可以带单位）")
