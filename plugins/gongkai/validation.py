"""Arithmetic rules of the national format, within one report and across years.

Runs on typed reports (see ``parsing``); every rule has a stable code:

- ``total-row-sum``: （七）总计 equals the sum of （一）…（六） with every sub-item, per column;
- ``total-column-sum``: a 总计 column equals the sum of the other columns of its row
  (table 三: the six applicant columns; table 四: 维持 + 纠正 + 其他 + 尚未审结);
- ``applications-balance``: table 三, per column, 第一项 + 第二项 = 第三项 + 第四项;
- ``carry-over-mismatch``: 上年结转 equals last year's 结转下年度继续办理, per column;
- ``duplicate-report``: one report per agency and year;
- ``agency-name-changed`` (warning): one agency, one name across years;
- ``in-force-continuity`` (warning, 2021 format): 现行有效件数 = last year's + 制发 − 废止;
- ``previous-items-continuity`` (warning, 2019 format): 上一年项目数量 = last year's 上一年项目数量 + 本年增/减;
- ``discrepancy-stale``: an acknowledged discrepancy of an archived report that matches no finding.

Each table is checked in the layout the report holds it in (``Report.table``). In an archived
report a blank or not-applicable cell is absent: sums take the parts present, an absent total is
a discrepancy when they add up to more than 0, and a balance or carry-over with an absent
operand is not compared. An error matching an acknowledged discrepancy becomes a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Callable, Iterable

from .findings import Finding, Severity
from .formats import FORMATS, TableSpec
from .model import CellPath, Discrepancy, Report
from .rules import Where, finding
from .totals import TotalRule, cells_by_path, total_rules


def _finding(report: Report, rule: str, path: CellPath, label: str, message: str, expected: object,
             actual: object, severity: Severity = Severity.ERROR) -> Finding:
    mark = report.mark(path)
    return Finding(
        rule=rule,
        severity=severity,
        message=message,
        file=report.display_path,
        line=mark.line,
        column=mark.column,
        path=path,
        label=label,
        expected=_number(expected),
        actual=_number(actual),
    )


def _number(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)


def check_totals(report: Report, table: TableSpec) -> list[Finding]:
    """Given totals must equal the sum of their parts (missing ones were computed)."""
    if report.as_published:
        return _check_published_totals(report, table)
    found = []
    for rule in total_rules(table):
        target = rule.target_path
        if target not in report.given_totals:
            continue
        expected = rule.expected(report.values)
        actual = report.values[target]
        if expected != actual:
            found.append(_total_finding(report, rule, expected, actual))
    return found


def _total_finding(report: Report, rule: TotalRule, expected: object, actual: object) -> Finding:
    parts = "、".join(_short_label(a.label, rule.rule) for a in rule.addends[:4])
    more = " 等" if len(rule.addends) > 4 else ""
    return _finding(report, f"{rule.rule}-sum", rule.target_path, rule.target.label,
                    f"总计应等于{parts}{more}共 {len(rule.addends)} 项之和", expected, actual)


def _check_published_totals(report: Report, table: TableSpec) -> list[Finding]:
    """Totals of an archived report: blank and not-applicable cells are absent from the sums."""
    values, published = report.values, report.as_published
    found = []
    for rule in total_rules(table):
        target = rule.target_path
        present = [values[p] for p in rule.addend_paths if p in values]
        expected = sum(present, 0)
        if target in published and target not in values:  # a blank or not-applicable total
            if present and expected != 0:
                found.append(_total_finding(report, rule, expected, published[target].text))
        elif target in report.given_totals and present and expected != values[target]:
            found.append(_total_finding(report, rule, expected, values[target]))
    return found


def _short_label(label: str, rule: str) -> str:
    parts = label.split(" › ")
    return parts[-1] if rule == "total-column" else parts[-2]


def check_applications_balance(report: Report) -> list[Finding]:
    """Table 三, every column: 第一项 + 第二项 = 第三项（七）总计 + 第四项."""
    table = report.table("applications")
    found = []
    values = report.values
    for cell in cells_by_path(table).values():
        if cell.row.path != ("results", "total"):
            continue
        column = cell.column.key
        operands = (("applications", "received", column), ("applications", "carried_over", column), cell.path,
                    ("applications", "carried_forward", column))
        if report.as_published and any(path not in values for path in operands):
            continue  # a blank operand leaves the balance undetermined
        received, carried_over, handled, carried_forward = (values[path] for path in operands)
        if received + carried_over != handled + carried_forward:
            found.append(_finding(
                report, "applications-balance", cell.path, cell.label,
                f"第一项加第二项之和应等于第三项加第四项之和：新收 {received} + 上年结转 {carried_over} "
                f"≠ 办理结果总计 {handled} + 结转下年度 {carried_forward}",
                received + carried_over, handled + carried_forward))
    return found


def validate_report(report: Report) -> list[Finding]:
    """Every arithmetic rule that one report must satisfy on its own."""
    return check_report(report).findings


@dataclass(frozen=True)
class Checked:
    """A report's own findings, and the errors its acknowledged discrepancies turned into notes."""

    findings: list[Finding]
    acknowledged: list[Finding]


# Acknowledgements checked with the report alone; the others need the previous year's report.
_OWN_RULES = frozenset({"total-row-sum", "total-column-sum", "applications-balance"})


def check_report(report: Report) -> Checked:
    """Every arithmetic rule of one report, with its acknowledged discrepancies applied."""
    found: list[Finding] = []
    for table in report.tables:
        found.extend(check_totals(report, table))
    found.extend(check_applications_balance(report))
    if not report.discrepancies:
        return Checked(found, [])
    return acknowledge(report, found, lambda item: item.rule in _OWN_RULES)


def _same_figure(written: str, found: str | None) -> bool:
    if found is None:
        return False
    if written.strip() == found.strip():
        return True
    try:
        return Decimal(written) == Decimal(found)
    except (InvalidOperation, ValueError):
        return False


def _matches(item: Discrepancy, found: Finding) -> bool:
    return (found.rule == item.rule and found.path == item.cell
            and _same_figure(item.published, found.actual) and _same_figure(item.expected, found.expected))


def acknowledge(report: Report, found: list[Finding], applies: Callable[[Discrepancy], bool]) -> Checked:
    """Errors matching an acknowledged discrepancy become notes; an acknowledgement matching none is an error."""
    items = [(index, item) for index, item in enumerate(report.discrepancies) if applies(item)]
    matched: set[int] = set()
    standing: list[Finding] = []
    notes: list[Finding] = []
    for candidate in found:
        hits = [index for index, item in items if candidate.is_error and _matches(item, candidate)]
        if hits:
            matched.update(hits)
            notes.append(candidate)
        else:
            standing.append(candidate)
    for index, item in items:
        if index not in matched:
            path = ("discrepancies", index)
            standing.append(finding("discrepancy-stale", Where.at(report.display_path, report.mark(path), path,
                                                                  "原文数据说明"),
                                    expected=item.expected, actual=item.published, rule=item.rule,
                                    published=item.published or "空白", computed=item.expected))
    return Checked(standing, notes)


def check_carry_over(report: Report, previous: Report) -> list[Finding]:
    """上年结转 this year equals 结转下年度继续办理 last year, column by column."""
    table = report.table("applications")
    found = []
    for cell in cells_by_path(table).values():
        if cell.row.path != ("carried_over",):
            continue
        if cell.column.is_total and cell.path not in report.given_totals:
            continue  # a computed total repeats its columns' mismatch
        actual = report.values.get(cell.path)
        expected = previous.values.get(("applications", "carried_forward", cell.column.key))
        if actual is None or expected is None:
            continue  # blank as published: not compared
        if actual != expected:
            found.append(_finding(
                report, "carry-over-mismatch", cell.path, cell.label,
                f"应等于 {previous.year} 年度报告（{previous.display_path}）的“四、结转下年度继续办理”",
                expected, actual))
    return found


def check_proactive_continuity(report: Report, previous: Report) -> list[Finding]:
    """Counts that run on from year to year (warnings: agencies may restate last year's figure)."""
    table = report.table("proactive")
    if table is not previous.table("proactive"):
        return []
    found = []
    values, before = report.values, previous.values
    if table is FORMATS["2021"].table("proactive"):
        for row in ("regulations", "normative_documents"):
            path = ("proactive", row, "in_force")
            operands = (path, ("proactive", row, "issued"), ("proactive", row, "repealed"))
            if any(p not in values for p in operands) or path not in before:
                continue  # blank as published: not compared
            expected = before[path] + values[("proactive", row, "issued")] - values[("proactive", row, "repealed")]
            if values[path] != expected:
                label = cells_by_path(table)[path].label
                found.append(_finding(report, "in-force-continuity", path, label,
                                      f"通常等于上一年度的现行有效件数 {before[path]} 加本年制发、减本年废止",
                                      expected, values[path], Severity.WARNING))
    else:
        for cell in cells_by_path(table).values():
            if cell.column.key != "previous_items":
                continue
            row = cell.path[1]
            if cell.path not in values or cell.path not in before or ("proactive", row, "change") not in before:
                continue  # blank as published: not compared
            expected = before[cell.path] + before[("proactive", row, "change")]
            if values[cell.path] != expected:
                found.append(_finding(report, "previous-items-continuity", cell.path, cell.label,
                                      "通常等于上一年度报告的上一年项目数量加本年增/减", expected, values[cell.path],
                                      Severity.WARNING))
    return found


def validate_collection(reports: Iterable[Report]) -> list[Finding]:
    """Rules across reports: one per agency and year, carry-over, continuity, names."""
    found: list[Finding] = []
    by_key: dict[tuple[str, int], Report] = {}
    names: dict[str, Report] = {}
    for report in sorted(reports, key=lambda r: (r.agency.slug, r.year, r.display_path)):
        first = by_key.get(report.key)
        if first is not None:
            found.append(_finding(
                report, "duplicate-report", ("agency", "slug"), "机关信息",
                f"{report.agency.slug} 的 {report.year} 年度报告已有一份：{first.display_path}。每个机关每年只能有一份报告",
                "1 份", "2 份"))
            continue
        by_key[report.key] = report
        known = names.get(report.agency.slug)
        if known is not None and known.agency.name != report.agency.name:
            found.append(_finding(
                report, "agency-name-changed", ("agency", "name"), "机关名称",
                f"同一机关代码 {report.agency.slug} 在 {known.display_path} 中的名称不同（机关更名时请确认）",
                known.agency.name, report.agency.name, Severity.WARNING))
        names.setdefault(report.agency.slug, report)
    for (slug, year), report in by_key.items():
        previous = by_key.get((slug, year - 1))
        across: list[Finding] = []
        if previous is not None:
            across.extend(check_carry_over(report, previous))
            across.extend(check_proactive_continuity(report, previous))
        if report.discrepancies:
            across = acknowledge(report, across, lambda item: item.rule not in _OWN_RULES).findings
        found.extend(across)
    return found
