"""From loaded YAML values to a typed Report: structure and types, checked field by field.

Every unknown key, missing field and wrongly typed value becomes a finding with the
file, line and official label; nothing is dropped silently. Arithmetic is checked later
(``validation``), on the typed report.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any

from . import limits
from .drafts import is_draft_value, status_finding
from .findings import Finding
from .formats import CURRENT_FORMAT, FORMATS, Block, CellSpec, Column, FormatSpec, Kind, Row, TableSpec, format_for_year
from .loading import InvalidScalar, OddNumber, SourceDocument, odd_number, shared_path
from .model import (
    BLANK,
    SLUG_PATTERN,
    Agency,
    Archived,
    CellPath,
    CellState,
    CellValue,
    Discrepancy,
    PublishedCell,
    Report,
)
from .rules import Where, describe, finding, phrase, shown
from .text_checks import check_name, check_narrative, where_in
from .totals import cell_labels, cells_by_path, leaf_columns, total_rules

TOP_LEVEL_KEYS: dict[str, str] = {
    "agency": "机关信息",
    "year": "报告年度",
    "format": "报告格式",
    "published": "发布日期",
    "status": "草稿状态",
    **{section.key: section.title for section in CURRENT_FORMAT.sections},  # the same six in every format
    # Archived, as-published reports only (issue 12): optional.
    "archived": "按原文存档",
    "layouts": "表格版式",
    "discrepancies": "原文数据说明",
}
OPTIONAL_KEYS = frozenset({"format", "status", "archived", "layouts", "discrepancies"})
ARCHIVED_KEYS: dict[str, str] = {"source": "原文出处（网址或文件名）", "retrieved": "存档日期（YYYY-MM-DD）"}
DISCREPANCY_KEYS: dict[str, str] = {
    "rule": "规则代码", "cell": "格子的路径", "published": "原文数字（空白写 \"\"）", "expected": "按规则应为",
}
# The rules whose findings an archived report may acknowledge (the arithmetic of the national format).
ACKNOWLEDGEABLE_RULES = ("total-row-sum", "total-column-sum", "applications-balance", "carry-over-mismatch")
# A cell published as not applicable: kept verbatim, never read as a number.
NOT_APPLICABLE = frozenset({"/", "／", "—", "——", "－", "-", "–", "不适用", "无"})
# An amount with its unit, thousands separated or not: 251000元, 251,000.00元, 25.1 万元.
AMOUNT_WITH_UNIT = r"((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(万元|元)"
_AMOUNT_WITH_UNIT = re.compile(AMOUNT_WITH_UNIT)
_YUAN_PER_WAN = Decimal(10000)
AGENCY_KEYS: dict[str, str] = {"slug": "机关代码（网址用）", "name": "机关名称"}

_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^<>\s]*>", re.IGNORECASE)  # CommonMark: no < inside


class _FirstTag:
    """``<\\s*/?\\s*[A-Za-z!][^>]*>`` searched in linear time (limits): as a plain regex search it
    rescans to the end from every ``<a`` that no ``>`` follows, and 300,000 of them took minutes.
    Only the leftmost tag start can match: if no ``>`` follows it, none follows a later one."""

    _start = re.compile(r"<\s*/?\s*[A-Za-z!]")
    _whole = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")

    def search(self, text: str) -> re.Match[str] | None:
        start = self._start.search(text)
        if start is None:
            return None
        end = text.find(">", start.end())
        return None if end == -1 else self._whole.match(text, start.start(), end + 1)


_HTML_TAG = _FirstTag()
_UNSAFE_LINK = re.compile(r"\]\(\s*<?\s*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)

# Marks text that `gongkai new` left for the editor; a report still holding it is not finished.
PLACEHOLDER = "【请填写】"

KIND_NAMES = {Kind.COUNT: "非负整数", Kind.SIGNED: "整数（减少用负数表示）", Kind.AMOUNT: "非负数（可带小数）"}


class _Parser:
    def __init__(self, document: SourceDocument) -> None:
        self.document = document
        self.findings: list[Finding] = []
        self.archived = False  # whether blank / not-applicable / with-unit cells are allowed
        self.as_published: dict[CellPath, PublishedCell] = {}

    # --- findings ---------------------------------------------------------------------

    def error(self, rule: str, path: Iterable[Any], label: str = "", *, at_key: bool = False, **fields: Any) -> None:
        """A finding of ``rule`` at the value (or, ``at_key``, the key) of ``path``; ``fields`` as ``finding`` takes."""
        path = tuple(path)
        mark = self.document.key_mark(path) if at_key else self.document.mark(path)
        self.findings.append(finding(rule, Where.at(self.document.display_path, mark, path, label), **fields))

    def check_keys(self, mapping: dict[str, Any], path: tuple[str, ...], allowed: dict[str, str], where: str) -> None:
        for key in mapping:
            if key in allowed:
                continue
            hint = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
            options = [phrase("key-and-label", key=k, label=v) for k, v in allowed.items()]
            close = {"variant": "did-you-mean", "hint": hint[0], "hint_label": allowed[hint[0]]} if hint else {}
            self.error("unknown-key", path + (key,), where, at_key=True, key=key, section=where, allowed=options, **close)

    def expect_mapping(self, value: Any, path: tuple[str, ...], label: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.error("wrong-type", path, label, variant="not-a-mapping", described=_describe(value), actual=shown(value))
        return None

    # --- report -----------------------------------------------------------------------

    def parse(self) -> Report | None:
        data = self.document.data
        if data is None:
            self.error("missing-section", (), variant="empty-file")
            return None
        root = self.expect_mapping(data, (), "报告")
        if root is None:
            return None
        self.check_keys(root, (), TOP_LEVEL_KEYS, "报告顶层")
        for key, label in TOP_LEVEL_KEYS.items():
            if key not in root and key not in OPTIONAL_KEYS:
                self.error("missing-section", (), label, key=key, key_label=label)

        agency = self.parse_agency(root["agency"]) if "agency" in root else None
        year = self.parse_year(root.get("year")) if "year" in root else None
        spec = self.parse_format(root, year)
        published = self.parse_published(root.get("published"), year) if "published" in root else None
        draft = is_draft_value(root.get("status"))
        if "status" in root and draft is None:
            self.findings.append(status_finding(self.document, root["status"]))
        self.archived = "archived" in root
        archived = self.parse_archived(root["archived"]) if self.archived else None
        layouts = self.parse_layouts(root["layouts"], spec) if "layouts" in root else {}
        narrative = {s.key: self.parse_narrative(root[s.key], s.key, s.title)
                     for s in (spec or CURRENT_FORMAT).narrative_sections if s.key in root}
        for section in (spec or CURRENT_FORMAT).narrative_sections:
            text = narrative.get(section.key)
            if text is not None and not self.renderable(text, section):
                narrative[section.key] = None
            elif text is not None:  # what would not reach the page as written (text_checks), once it can be rendered
                unsafe = check_narrative(text, where_in(self.document, (section.key,), section.title))
                self.findings.extend(unsafe)
                if unsafe:
                    narrative[section.key] = None

        values: dict[CellPath, CellValue] = {}
        given: set[CellPath] = set()
        tables = {t.key: t for t in spec.tables} if spec is not None else {}
        for key, version in layouts.items():
            tables[key] = FORMATS[version].table(key)
        for table in tables.values():
            if table.key in root:
                self.parse_table(table, root[table.key], values, given)
        discrepancies = (self.parse_discrepancies(root["discrepancies"], tables)
                         if "discrepancies" in root else ())

        if any(f.is_error for f in self.findings):
            return None
        assert agency and year and spec and published  # guaranteed by the error checks above
        return Report(
            source=self.document.path,
            display_path=self.document.display_path,
            agency=agency,
            year=year,
            format=spec,
            published=published,
            narrative={k: v for k, v in narrative.items() if v is not None},
            values=values,
            given_totals=frozenset(given),
            marks=self.document.marks(),
            draft=bool(draft),
            archived=archived,
            layouts=layouts,
            as_published=self.as_published,
            discrepancies=discrepancies,
        )

    def parse_agency(self, value: Any) -> Agency | None:
        agency = self.expect_mapping(value, ("agency",), "机关信息")
        if agency is None:
            return None
        self.check_keys(agency, ("agency",), AGENCY_KEYS, "机关信息（agency）")
        slug, name = agency.get("slug"), agency.get("name")
        for key, label in AGENCY_KEYS.items():
            if key not in agency:
                self.error("missing-field", ("agency",), "机关信息", variant="agency", key=key, key_label=label)
        if "slug" in agency and (not isinstance(slug, str) or not SLUG_PATTERN.match(slug)):
            self.error("invalid-slug", ("agency", "slug"), "机关代码", actual=shown(slug))
            slug = None
        if "name" in agency and (not isinstance(name, str) or not name.strip()):
            self.error("wrong-type", ("agency", "name"), "机关名称", variant="agency-name", actual=shown(name))
            name = None
        if isinstance(name, str) and _HTML_TAG.search(name):
            self.error("narrative-html", ("agency", "name"), "机关名称", variant="agency-name")
            name = None
        markup = check_name(name, where_in(self.document, ("agency", "name"), "机关名称")) if isinstance(name, str) else []
        if markup:
            self.findings.extend(markup)
            name = None
        slug, name = self.check_lengths(slug, name)
        if isinstance(slug, str) and isinstance(name, str):
            return Agency(slug=slug, name=name.strip())
        return None

    def check_lengths(self, slug: Any, name: Any) -> tuple[Any, Any]:
        """A slug becomes a folder and URL, a name a page title: both bounded (limits.py)."""
        if isinstance(slug, str) and len(slug) > limits.MAX_SLUG_LENGTH:
            self.findings.append(finding("slug-too-long", self.where(("agency", "slug"), "机关代码"),
                                         length=len(slug), limit=limits.MAX_SLUG_LENGTH))
            slug = None
        if isinstance(name, str) and len(name.strip()) > limits.MAX_NAME_LENGTH:
            self.findings.append(finding("name-too-long", self.where(("agency", "name"), "机关名称"),
                                         length=len(name.strip()), limit=limits.MAX_NAME_LENGTH))
            name = None
        return slug, name

    def renderable(self, text: str, section: Any) -> bool:
        """Within what Markdown renders in reasonable time (limits.py): length, links, nesting."""
        openers = text.count("[") + text.count("<")
        nesting = max((len(_NESTING.match(line).group(0)) for line in text.splitlines()), default=0)  # type: ignore[union-attr]
        too_much = next(((what, limit) for what, count, limit in (
            (f"有 {len(text)} 个字符", len(text), limits.MAX_NARRATIVE_CHARS),
            (f"有 {openers} 个“[”或“<”", openers, limits.MAX_NARRATIVE_OPENERS),
            (f"有一行缩进或嵌套 {nesting} 层字符", nesting, limits.MAX_NARRATIVE_NESTING)) if count > limit), None)
        if too_much is not None:
            self.findings.append(finding("narrative-too-large", self.where((section.key,), section.title),
                                         what=too_much[0], limit=too_much[1]))
        return too_much is None

    def where(self, path: CellPath, label: str) -> Where:
        return Where.at(self.document.display_path, self.document.mark(path), path, label)

    def parse_year(self, value: Any) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.error("wrong-type", ("year",), "报告年度", variant="year", actual=shown(value))
            return None
        if format_for_year(value) is None or value > date.today().year:
            self.error("unsupported-year", ("year",), "报告年度", year=value, actual=str(value))
            return None
        return value

    def parse_format(self, root: dict[str, Any], year: int | None) -> FormatSpec | None:
        expected = format_for_year(year) if year is not None else None
        if "format" not in root:
            return expected or (CURRENT_FORMAT if year is None else None)
        raw = root["format"]
        version = str(raw) if isinstance(raw, (int, str)) and not isinstance(raw, bool) else None
        if version not in FORMATS:
            self.error("unknown-format", ("format",), "报告格式", actual=shown(raw))
            return expected
        spec = FORMATS[version]
        if expected is not None and spec is not expected:
            self.error("format-year-mismatch", ("format",), "报告格式", year=year, version=expected.version,
                       document=expected.document, expected=expected.version, actual=version)
            return expected
        return spec

    def parse_published(self, value: Any, year: int | None) -> date | None:
        if isinstance(value, InvalidScalar):
            self.error("invalid-date", ("published",), "发布日期", variant="no-such-day", text=value.text,
                       actual=value.text)
            return None
        if isinstance(value, datetime):
            value = value.date()
        if not isinstance(value, date):
            self.error("invalid-date", ("published",), "发布日期", actual=shown(value))
            return None
        if year is not None and value.year <= year:
            self.error("invalid-date", ("published",), "发布日期", variant="too-early", year=year,
                       expected=phrase("on-or-after", date=f"{year + 1}-01-01"), actual=value.isoformat())
            return None
        if value > date.today():
            self.error("invalid-date", ("published",), "发布日期", variant="in-the-future", actual=value.isoformat())
        return value

    def parse_narrative(self, value: Any, key: str, title: str) -> str | None:
        path = (key,)
        if not isinstance(value, str):
            self.error("wrong-type", path, title, variant="narrative", key=key, described=_describe(value),
                       actual=shown(value))
            return None
        if not value.strip():
            self.error("missing-section", path, title, variant="empty-text")
            return None
        if PLACEHOLDER in value:
            self.error("narrative-placeholder", path, title, placeholder=PLACEHOLDER,
                       actual=_excerpt(value, PLACEHOLDER))
            return None
        stripped = _AUTOLINK.sub("", value)
        tag = _HTML_TAG.search(stripped)
        if tag:
            self.error("narrative-html", path, title, tag=tag.group(0)[:40], actual=tag.group(0)[:80])
            return None
        if _UNSAFE_LINK.search(value):
            self.error("narrative-unsafe-link", path, title)
            return None
        return value

    # --- archived reports (issue 12) ----------------------------------------------------

    def parse_archived(self, value: Any) -> Archived | None:
        where = TOP_LEVEL_KEYS["archived"]
        if value is None:
            self.error("archived-source", ("archived",), where)
            return None
        mapping = self.expect_mapping(value, ("archived",), where)
        if mapping is None:
            return None
        self.check_keys(mapping, ("archived",), ARCHIVED_KEYS, where)
        source = mapping.get("source")
        if not isinstance(source, str) or not source.strip():
            self.error("archived-source", ("archived", "source") if "source" in mapping else ("archived",), where)
            return None
        retrieved = mapping.get("retrieved")
        if isinstance(retrieved, datetime):
            retrieved = retrieved.date()
        if retrieved is not None and not isinstance(retrieved, date):
            self.error("archived-retrieved", ("archived", "retrieved"), ARCHIVED_KEYS["retrieved"], actual=shown(retrieved))
            return None
        return Archived(source=source.strip(), retrieved=retrieved)

    def parse_layouts(self, value: Any, spec: FormatSpec | None) -> dict[str, str]:
        where = TOP_LEVEL_KEYS["layouts"]
        if not self.archived:
            self.error("archived-only", ("layouts",), where, at_key=True, key="layouts")
            return {}
        mapping = self.expect_mapping(value, ("layouts",), where)
        if mapping is None or spec is None:
            return {}
        tables = {t.key: t.title for t in spec.tables}
        layouts: dict[str, str] = {}
        for key, raw in mapping.items():
            version = str(raw) if isinstance(raw, (int, str)) and not isinstance(raw, bool) else None
            if key not in tables or version not in FORMATS:
                self.error("layout-invalid", ("layouts", key), where, key=key, version=shown(raw),
                         tables="、".join(f"{k}（{t}）" for k, t in tables.items()))
                continue
            layouts[key] = version
        return layouts

    def parse_discrepancies(self, value: Any, tables: Mapping[str, TableSpec]) -> tuple[Discrepancy, ...]:
        where = TOP_LEVEL_KEYS["discrepancies"]
        if not self.archived:
            self.error("archived-only", ("discrepancies",), where, at_key=True, key="discrepancies")
            return ()
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error("discrepancy-invalid", ("discrepancies",), where, index=1, field="discrepancies",
                     rules="、".join(ACKNOWLEDGEABLE_RULES), actual=shown(value))
            return ()
        found: list[Discrepancy] = []
        for index, item in enumerate(value):
            here: tuple[Any, ...] = ("discrepancies", index)  # a list index, as the marks hold it
            mapping = self.expect_mapping(item, here, where)
            if mapping is None:
                continue
            self.check_keys(mapping, here, DISCREPANCY_KEYS, where)
            fields = {key: _discrepancy_field(key, mapping.get(key), tables) for key in DISCREPANCY_KEYS}
            bad = next((key for key, parsed in fields.items() if parsed is None), None)
            if bad is not None:
                self.error("discrepancy-invalid", here + ((bad,) if bad in mapping else ()), where, index=index + 1,
                         field=bad, rules="、".join(ACKNOWLEDGEABLE_RULES), actual=shown(mapping.get(bad)))
                continue
            found.append(Discrepancy(rule=fields["rule"], cell=fields["cell"], published=fields["published"],
                                     expected=fields["expected"]))
        return tuple(found)

    def parse_published_cell(self, value: Any, column: Column, path: CellPath, label: str) -> CellValue | None:
        """A cell of an archived report: blank, not applicable, an amount with its unit, or a number."""
        if value is None:
            self.as_published[path] = BLANK
            return None
        if isinstance(value, str):
            text = value.strip()
            if not text:
                self.as_published[path] = PublishedCell(CellState.BLANK, value)
                return None
            if text in NOT_APPLICABLE:
                self.as_published[path] = PublishedCell(CellState.NOT_APPLICABLE, value)
                return None
            match = _AMOUNT_WITH_UNIT.fullmatch(text) if len(text) <= limits.MAX_NUMBER_CHARS else None
            if match and column.kind is Kind.AMOUNT:
                self.as_published[path] = PublishedCell(CellState.WITH_UNIT, value)
                amount = Decimal(match.group(1).replace(",", ""))
                return amount / _YUAN_PER_WAN if match.group(2) == "元" else amount
        return self.parse_cell(value, column, path, label)

    # --- tables -----------------------------------------------------------------------

    def parse_table(self, table: TableSpec, value: Any, values: dict[CellPath, CellValue], given: set[CellPath]) -> None:
        mapping = self.expect_mapping(value, (table.key,), table.title)
        if mapping is None:
            return
        rows = tuple(row for block in table.blocks for row in block.rows)
        self.check_keys(mapping, (table.key,), {r.key: r.label for r in rows}, table.title)
        for block in table.blocks:
            for row in block.rows:
                self.parse_row(table, block, row, mapping, (table.key,), values, given)
        if any(f.is_error for f in self.findings):
            return
        if self.as_published:  # blank and not-applicable cells are absent from every sum
            for rule in total_rules(table):
                present = [values[p] for p in rule.addend_paths if p in values]
                if rule.target_path not in values and rule.target_path not in self.as_published and present:
                    values[rule.target_path] = sum(present, 0)
            return
        for rule in total_rules(table):
            if rule.target_path not in values:
                values[rule.target_path] = rule.expected(values)

    def parse_row(self, table: TableSpec, block: Block, row: Row, parent: dict[str, Any], path: tuple[str, ...],
                  values: dict[CellPath, CellValue], given: set[CellPath]) -> None:
        here = path + (row.key,)
        label = f"{table.title} › {row.label}"
        if row.key not in parent:
            if not row.is_total:
                self.error("missing-field", path, label, variant="row", key=row.key, key_label=row.label)
            return
        mapping = self.expect_mapping(parent[row.key], here, label)
        if mapping is None:
            return
        if row.children:
            self.check_keys(mapping, here, {c.key: c.label for c in row.children}, row.label)
            for child in row.children:
                self.parse_row(table, block, child, mapping, here, values, given)
            return
        leaf = _leaf_row(table, block, here)
        self.check_keys(mapping, here, leaf.allowed, row.label)
        for key, cell_path, column, cell, is_total in leaf.cells:
            if key not in mapping:
                if not is_total:
                    self.error("missing-field", here, cell.label, key=column.key, key_label=column.label)
                continue
            value = mapping[key]
            # The common case, what parse_cell would return without a finding: a count or change as written.
            if value.__class__ is int and (0 <= value < _COUNT_BOUND or column.kind is Kind.SIGNED
                                           and -_COUNT_BOUND < value < _COUNT_BOUND) and column.kind is not Kind.AMOUNT:
                parsed: CellValue | None = value
            elif self.archived:
                parsed = self.parse_published_cell(value, column, cell_path, cell_labels(table)[cell_path])
            else:
                parsed = self.parse_cell(value, column, cell_path, cell_labels(table)[cell_path])
            if parsed is not None:
                values[cell_path] = parsed
                if is_total:
                    given.add(cell_path)

    def parse_cell(self, value: Any, column: Column, path: CellPath, label: str) -> CellValue | None:
        kind = column.kind
        expected = KIND_NAMES[kind]
        value = self.decimal_number(value, expected, path, label)
        if value is _REFUSED:
            return None
        if isinstance(value, bool) or value is None or isinstance(value, (str, InvalidScalar, list, dict)):
            hint = phrase("hint-empty") if value is None else ""
            if isinstance(value, str) and _looks_like_number(value):
                hint = phrase("hint-quoted-number")
            self.error("wrong-type", path, label, kind=expected, described=_describe(value), hint=hint,
                       expected=expected, actual=shown(value))
            return None
        if kind is Kind.AMOUNT:
            amount = Decimal(value)
            if amount < 0:
                self.error("negative-amount", path, label, expected="≥ 0", actual=str(value))
                return None
            exponent = amount.as_tuple().exponent
            if amount.adjusted() >= limits.MAX_AMOUNT_INTEGER_DIGITS or \
                    (isinstance(exponent, int) and -exponent > limits.MAX_AMOUNT_FRACTION_DIGITS):
                self.findings.append(finding(
                    "number-too-large", Where.at(self.document.display_path, self.document.mark(path), path, label),
                    limit=f"整数部分最多 {limits.MAX_AMOUNT_INTEGER_DIGITS} 位，小数最多 "
                          f"{limits.MAX_AMOUNT_FRACTION_DIGITS} 位", actual=str(value)[:limits.MAX_NUMBER_CHARS]))
                return None
            return amount
        if isinstance(value, Decimal):
            self.error("not-an-integer", path, label, kind=expected, expected=expected, actual=str(value))
            return None
        if kind is Kind.COUNT and value < 0:
            self.error("negative-count", path, label, expected="≥ 0", actual=str(value))
            return None
        if abs(value) >= _COUNT_BOUND:
            self.findings.append(finding(
                "number-too-large", Where.at(self.document.display_path, self.document.mark(path), path, label),
                limit=f"最多 {limits.MAX_COUNT_DIGITS} 位数字", actual=str(value)))
            return None
        return int(value)

    def decimal_number(self, value: Any, expected: str, path: CellPath, label: str) -> Any:
        """One rule for what a number is: decimal digits. Other YAML forms, dates and times are named.

        A leading zero (``012``) is read as 12, in decimal, with a warning; anything else is refused.
        """
        if isinstance(value, str) and _NUMBER_LIKE.fullmatch(value.strip()) and not _looks_like_number(value):
            value = odd_number(value.strip())
        elif isinstance(value, (date, time)):
            value = OddNumber(value.isoformat(), "not-decimal", "日期或时间（YAML 会把 2024-01-01 这样的文字读作日期）")
        elif not isinstance(value, _PLAIN_VALUES):  # bytes (!!binary), sets and other tagged values
            value = OddNumber(repr(value)[:limits.MAX_NUMBER_CHARS], "not-decimal", f"无法作为数字的值（{type(value).__name__}）")
        if not isinstance(value, OddNumber):
            return value
        where = Where.at(self.document.display_path, self.document.mark(path), path, label)
        text = value.text if len(value.text) <= limits.MAX_NUMBER_CHARS else value.text[:limits.MAX_NUMBER_CHARS] + "…"
        if value.decimal is not None:
            self.findings.append(finding("number-leading-zero", where, text=text, value=value.decimal,
                                         expected=str(value.decimal), actual=text))
            return value.decimal
        self.findings.append(finding("number-form", where, kind=expected, text=text, form=value.form,
                                     actual=text))
        return _REFUSED


_COUNT_BOUND = 10 ** limits.MAX_COUNT_DIGITS
_NESTING = re.compile(r"[ \t>*+\-0-9.]*")  # what nests a Markdown line: indentation, quotes, list markers
_REFUSED = object()  # a cell whose finding is already made
_PLAIN_VALUES = (int, Decimal, float, str, list, dict, type(None), InvalidScalar)
# Texts YAML 1.1 leaves as text although they read as numbers (0o17, 1e3): named like the other forms.
_NUMBER_LIKE = re.compile(r"[-+]?[0-9.][0-9A-Za-z_:.+-]*")


@dataclass(frozen=True)
class _LeafRow:
    """What parsing a leaf row needs from the declaration: the same for every report."""

    allowed: dict[str, str]  # column keys and their labels
    cells: tuple[tuple[str, CellPath, Column, CellSpec, bool], ...]  # key, path (shared), column, cell, is total


@cache  # keyed by the declarations (hashed by identity) and the row's path
def _leaf_row(table: TableSpec, block: Block, here: CellPath) -> _LeafRow:
    cells = cells_by_path(table)
    columns = leaf_columns(table, block)
    paths = [shared_path(here + (column.key,)) for column in columns]  # the marks' tuples: one per path
    return _LeafRow(
        allowed={column.key: column.label for column in columns},
        cells=tuple((column.key, path, column, cells[path], cells[path].is_total) for column, path in zip(columns, paths)),
    )


def _discrepancy_field(key: str, value: Any, tables: Mapping[str, TableSpec]) -> Any:
    """One field of an acknowledged discrepancy, or None when it is missing or wrong."""
    if key == "rule":
        return value if value in ACKNOWLEDGEABLE_RULES else None
    if key == "cell":
        if not isinstance(value, str):
            return None
        path = tuple(value.strip().split("."))
        table = tables.get(path[0])
        return path if table is not None and path in cells_by_path(table) else None
    if value is None:
        return "" if key == "published" else None
    if isinstance(value, (bool, list, dict, InvalidScalar)):
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value).strip()


def _excerpt(text: str, needle: str) -> str:
    """The line that holds ``needle``, shortened, so the editor can find it."""
    line = next(line for line in text.splitlines() if needle in line)
    return line.strip()[:60]


def _looks_like_number(text: str) -> bool:
    normalized = text.strip().translate(str.maketrans("０１２３４５６７８９．－", "0123456789.-"))
    return bool(re.fullmatch(r"-?\d+(\.\d+)?", normalized))


def _describe(value: Any) -> str:
    return describe(value.text if isinstance(value, InvalidScalar) else value)


def parse_document(document: SourceDocument) -> tuple[Report | None, list[Finding]]:
    """Type-check one loaded document; returns the report only when it has no errors."""
    parser = _Parser(document)
    report = parser.parse()
    return report, parser.findings
