"""The field and rule tables of the editors' handbook (handbook/填报说明.md), made from the declaration.

The prose of the handbook is written by hand; the tables between the two markers are
generated here so that no label is typed twice and none goes stale (a test checks).
"""

from __future__ import annotations

from pathlib import Path

from .findings import SEVERITY_LABELS, Severity
from .formats import FORMAT_2019, FORMAT_2021, Block, FormatSpec, Row, TableSpec
from .parsing import ARCHIVED_KEYS, AGENCY_KEYS, DISCREPANCY_KEYS, KIND_NAMES, TOP_LEVEL_KEYS
from .rules import catalogue

BEGIN = "<!-- 以下内容由 `gongkai handbook --write handbook/填报说明.md` 生成，请勿手工修改 -->"
END = "<!-- 自动生成内容结束 -->"

E, W = Severity.ERROR, Severity.WARNING

# Every rule code the checker can report, with what it means for an editor.
RULES: tuple[tuple[str, Severity, str], ...] = (
    ("file-unreadable", E, "文件无法读取（权限或路径问题）"),
    ("file-encoding", E, "文件不是 UTF-8 编码（例如用 GBK 保存）"),
    ("yaml-syntax", E, "YAML 格式错误：缩进不对、用了 Tab、冒号或引号不成对等"),
    ("duplicate-key", E, "同一层级中同一个键出现了两次"),
    ("unknown-key", E, "出现了格式中没有的键（通常是拼写错误），这一项数据不会被采用"),
    ("missing-section", E, "缺少某一部分，或文字部分是空的"),
    ("missing-field", E, "表格中缺少某一行或某一格；没有数据请填 0"),
    ("wrong-type", E, "类型不对：应填数字却填了文字、引号中的数字、是/否、列表等"),
    ("not-an-integer", E, "件数等应为整数，却填了小数"),
    ("negative-count", E, "数量不能为负数"),
    ("negative-amount", E, "金额不能为负数"),
    ("invalid-date", E, "发布日期不存在、格式不对，或早于报告年度结束（晚于今天时为警告）"),
    ("unknown-format", E, "报告格式（format）只能是 2021 或 2019"),
    ("format-year-mismatch", E, "报告格式与报告年度不符：2019、2020 年度用 2019 格式，2021 年度起用 2021 格式"),
    ("unsupported-year", E, "报告年度早于 2019 年或晚于今年"),
    ("invalid-slug", E, "机关代码只能由小写英文字母、数字和连字符组成"),
    ("narrative-html", E, "文字部分（或机关名称）中出现了 HTML 标签"),
    ("narrative-unsafe-link", E, "文字部分中有 javascript: 等脚本链接"),
    ("narrative-placeholder", E, "文字部分还是模板的占位文字“【请填写】”"),
    ("total-row-sum", E, "（七）总计行不等于（一）至（六）各项（含各小项）之和"),
    ("total-column-sum", E, "总计列不等于同一行其他各列之和（表三：六类申请人；表四：维持、纠正、其他、尚未审结）"),
    ("applications-balance", E, "表三中，第一项加第二项之和不等于第三项加第四项之和"),
    ("carry-over-mismatch", E, "表三“二、上年结转”不等于上一年度报告的“四、结转下年度继续办理”"),
    ("duplicate-report", E, "同一机关同一年度有两份报告"),
    ("agency-name-changed", W, "同一机关代码在不同年度的机关名称不同（机关更名时请确认）"),
    ("in-force-continuity", W, "2021 格式：现行有效件数通常等于上一年度的现行有效件数加本年制发、减本年废止"),
    ("previous-items-continuity", W, "2019 格式：上一年项目数量通常等于上一年度报告的上一年项目数量加本年增/减"),
    ("slug-clashes-with-year", E, "机关代码全部由数字组成，会与年度页面的网址冲突"),
    ("slug-reserved", E, "机关代码为 agencies，与机关目录页面的网址冲突"),
    ("no-reports", W, "指定的路径下没有找到报告文件"),
)


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
    lines.extend(f"| `{code}` | {SEVERITY_LABELS[severity]} | {meaning} |" for code, severity, meaning in RULES)
    listed = {code for code, _, _ in RULES}
    lines.extend(f"| `{r.code}` | {SEVERITY_LABELS[r.severity]} | {r.title} |"
                 for r in catalogue().values() if r.code not in listed)
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
