"""Arithmetic rules of the national format, within one report and across years.

Runs on typed reports (see ``parsing``). What to check is read from the format declaration
(``formats``): totals from its ``is_total`` rows and columns, the other relations from its
``relations`` — one small function per kind of relation below, none per format:

- ``total-row-sum`` / ``total-column-sum``: a given total equals the sum of its parts;
- ``Balance`` (``applications-balance``): per column, the left rows add up to the right rows;
- ``CarryOver`` (``carry-over-mismatch``): a row equals a row of last year's report, per column;
- ``RunningCount`` (warnings ``in-force-continuity``, ``previous-items-continuity``): a count that
  runs on from last year's report;

and across the portal: ``duplicate-report`` (one report per agency and year) and
``agency-name-changed`` (warning: one agency, one name across years). Also
``narrative-count-mismatch`` (warning, ``narrative``): a count the narrative states differs from its cell.

Each table is checked in the layout the report holds it in (``Report.table``), with the relations
of that layout's format (``Report.relations_of``). In an archived report a blank or
not-applicable cell is absent: sums take the parts present (0 when none is: a published total
whose parts are all blank is compared with 0), an absent total is a discrepancy when they add
up to more than 0, and a balance, carry-over or running count with an absent
operand is not compared. An error matching an acknowledged discrepancy (same rule, cell,
published and expected figure) becomes a note; an acknowledgement matching none is
``discrepancy-stale``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from .findings import Finding
from .formats import FORMATS, Balance, CarryOver, CellSpec, Relation, RunningCount, TableSpec
from .model import CellPath, CellValue, Discrepancy, Report
from .narrative import check_narrative
from .parsing import ACKNOWLEDGEABLE_RULES
from .rules import Where, finding, phrase
from .totals import TotalRule, cells_by_path, total_rules


def _where(report: Report, path: CellPath, label: str) -> Where:
    return Where.at(report.display_path, report.mark(path), path, label)


@cache  # by declaration (hashed by identity) and row: the same for every report
def _row_cells(table: TableSpec, row: tuple[str, ...]) -> tuple[CellSpec, ...]:
    return tuple(cell for cell in cells_by_path(table).values() if cell.row.path == row)


@cache
def _column_cells(table: TableSpec, column: str) -> tuple[CellSpec, ...]:
    return tuple(cell for cell in cells_by_path(table).values() if cell.column.key == column)


@cache
def _row_label(table: TableSpec, row: tuple[str, ...]) -> str:
    return next(leaf.row.label for _, leaf in table.leaf_rows() if leaf.path == row)


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


def _total_finding(report: Report, rule: TotalRule, expected: CellValue, actual: object) -> Finding:
    parts = [_part_label(addend, rule.rule) for addend in rule.addends[:4]]
    return finding(rule.code, _where(report, rule.target_path, rule.target.label),
                   variant="many" if len(rule.addends) > 4 else None, parts=parts,
                   count=len(rule.addends), expected=expected, actual=actual)


def _check_published_totals(report: Report, table: TableSpec) -> list[Finding]:
    """Totals of an archived report: blank and not-applicable cells are absent from the sums."""
    values, published = report.values, report.as_published
    found = []
    for rule in total_rules(table):
        target = rule.target_path
        present = [values[p] for p in rule.addend_paths if p in values]
        expected = _sum(present)
        if target in published and target not in values:  # a blank or not-applicable total
            if present and expected != 0:
                found.append(_total_finding(report, rule, expected, published[target].text))
        elif target in report.given_totals and expected != values[target]:  # no part present: they add up to 0
            found.append(_total_finding(report, rule, expected, values[target]))
    return found


def _part_label(addend: CellSpec, rule: str) -> str:
    """What a part of a total is called: its column in a total column, its row in a total row."""
    return addend.column.label if rule == "total-column" else addend.row.row.label


def _sum(values: Sequence[CellValue]) -> CellValue:
    return sum(values, 0)


def check_balance(report: Report, balance: Balance) -> list[Finding]:
    """Every column: the balance's left rows add up to its right rows."""
    table = report.table(balance.table)
    found = []
    values = report.values
    for cell in _row_cells(table, balance.at):
        paths = {name: (table.key,) + row + (cell.column.key,) for name, row in balance.left + balance.right}
        if report.as_published and any(path not in values for path in paths.values()):
            continue  # a blank operand leaves the balance undetermined
        terms = {name: values[path] for name, path in paths.items()}
        left = _sum([terms[name] for name, _ in balance.left])
        right = _sum([terms[name] for name, _ in balance.right])
        if left != right:
            found.append(finding(balance.rule, _where(report, cell.path, cell.label), expected=left, actual=right,
                                 **terms))
    return found


def validate_report(report: Report) -> list[Finding]:
    """Every arithmetic rule that one report must satisfy on its own."""
    return check_report(report).findings


@dataclass(frozen=True)
class Checked:
    """A report's own findings, and the errors its acknowledged discrepancies turned into notes."""

    findings: list[Finding]
    acknowledged: list[Finding]


def check_report(report: Report) -> Checked:
    """Every rule of one report on its own, with its acknowledged discrepancies applied."""
    found: list[Finding] = []
    for table in report.tables:
        found.extend(check_totals(report, table))
    for balance in report.relations_of(Balance):
        found.extend(check_balance(report, balance))
    found.extend(check_narrative(report))
    if not report.discrepancies:
        return Checked(found, [])
    return acknowledge(report, found, lambda item: item.rule not in _ACROSS_YEARS_RULES)


def discrepancies_of(report: Report, previous: Report | None = None) -> tuple[Discrepancy, ...]:
    """What an archived report's ``discrepancies`` should say: each arithmetic error of its figures as
    published (with last year's report, the carry-over too). For the importer; nothing is corrected."""
    bare = replace(report, discrepancies=())
    found = check_report(bare).findings + (check_across_years(bare, previous) if previous is not None else [])
    return tuple(Discrepancy(f.rule, f.path, f.actual or "", f.expected or "") for f in found
                 if f.is_error and f.rule in ACKNOWLEDGEABLE_RULES)


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
            path: tuple[Any, ...] = ("discrepancies", index)  # a list index, as the marks hold it
            standing.append(finding("discrepancy-stale", _where(report, path, "原文数据说明"),
                                    expected=item.expected, actual=item.published, rule=item.rule,
                                    published=item.published or "空白", computed=item.expected))
    return Checked(standing, notes)


def check_carry_over(report: Report, previous: Report, carry: CarryOver) -> list[Finding]:
    """This year's row equals last year's source row, column by column."""
    table = report.table(carry.table)
    found = []
    for cell in _row_cells(table, carry.row):
        if cell.column.is_total and cell.path not in report.given_totals:
            continue  # a computed total repeats its columns' mismatch
        actual = report.values.get(cell.path)
        expected = previous.values.get((table.key,) + carry.source + (cell.column.key,))
        if actual is not None and expected is not None and actual != expected:  # blank: not compared
            found.append(finding(carry.rule, _where(report, cell.path, cell.label), previous_year=previous.year,
                                 previous_file=previous.display_path, source_label=_row_label(table, carry.source),
                                 expected=expected, actual=actual))
    return found


def check_running_count(report: Report, previous: Report, count: RunningCount) -> list[Finding]:
    """Counts that run on from year to year (warnings: agencies may restate last year's figure)."""
    table = report.table(count.table)
    if table is not previous.table(count.table):
        return []  # another layout last year: the counts do not run on
    values, before = report.values, previous.values
    found = []
    for cell in _column_cells(table, count.column):
        row = cell.path[:-1]
        operands = [row + (column,) for column, _ in count.last]
        if (cell.path not in values or any(path not in before for path in [cell.path, *operands])
                or any(row + (column,) not in values for column, _ in count.this)):
            continue  # blank as published: not compared
        expected = _sum([sign * before[row + (column,)] for column, sign in count.last]
                        + [sign * values[row + (column,)] for column, sign in count.this])
        if values[cell.path] != expected:
            found.append(finding(count.rule, _where(report, cell.path, cell.label), last=before[cell.path],
                                 expected=expected, actual=values[cell.path]))
    return found


# What each kind of relation across years is checked by.
ACROSS_YEARS: dict[type, Callable[[Report, Report, Relation], list[Finding]]] = {
    CarryOver: check_carry_over,  # type: ignore[dict-item]
    RunningCount: check_running_count,  # type: ignore[dict-item]
}


def check_across_years(report: Report, previous: Report) -> list[Finding]:
    """Every relation this year's format declares between a report and last year's."""
    found: list[Finding] = []
    for relation in report.relations:
        check = ACROSS_YEARS.get(type(relation))
        if check is not None:
            found.extend(check(report, previous, relation))
    return found


def validate_collection(reports: Iterable[Report]) -> list[Finding]:
    """Rules across reports: one per agency and year, carry-over, continuity, names."""
    found: list[Finding] = []
    by_key: dict[tuple[str, int], Report] = {}
    names: dict[str, Report] = {}
    for report in sorted(reports, key=lambda r: (r.agency.slug, r.year, r.display_path)):
        first = by_key.get(report.key)
        if first is not None:
            found.append(finding("duplicate-report", _where(report, ("agency", "slug"), "机关信息"),
                                 slug=report.agency.slug, year=report.year, first_file=first.display_path,
                                 expected=phrase("copies", count=1), actual=phrase("copies", count=2)))
            continue
        by_key[report.key] = report
        known = names.get(report.agency.slug)
        if known is not None and known.agency.name != report.agency.name:
            found.append(finding("agency-name-changed", _where(report, ("agency", "name"), "机关名称"),
                                 slug=report.agency.slug, other_file=known.display_path,
                                 expected=known.agency.name, actual=report.agency.name))
        names.setdefault(report.agency.slug, report)
    for (slug, year), report in by_key.items():
        previous = by_key.get((slug, year - 1))
        across = check_across_years(report, previous) if previous is not None else []
        if report.discrepancies:  # acknowledgements of these rules are checked here, the others with the report
            across = acknowledge(report, across, lambda item: item.rule in _ACROSS_YEARS_RULES).findings
        found.extend(across)
    return found


# The rules of relations across years: their acknowledgements need last year's report.
_ACROSS_YEARS_RULES = frozenset(
    relation.rule for spec in FORMATS.values() for relation in spec.relations if type(relation) in ACROSS_YEARS)
