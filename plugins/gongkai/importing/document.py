"""From a read source to a report: sections, narrative, agency, year, date, format and tables.

Numbers are kept exactly as published (totals included); checking them is left to
``validation``, so that an import never corrects what the agency printed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from ..findings import Finding
from ..formats import FORMATS, FormatSpec, Section, TableSpec, format_for_year
from ..limits import MAX_TITLE_CHARS
from ..marks import Mark
from ..model import (
    BLANK,
    Agency,
    Archived,
    CellPath,
    CellState,
    CellValue,
    PublishedCell,
    Report,
)
from ..rules import Where, finding, phrase
from ..validation import discrepancies_of
from .cleanup import section_titles, tidy
from .normalize import clean_space, label_keys, match_key, to_simplified
from .similar import MAX_HEADING, RENUMBERED, THRESHOLD, best_score
from .source import Source, Token, UnreadableSource, source_error
from .tables import TableError, cell_kind, find_label, read_table

_DATE = r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
LABELED_DATE = re.compile(r"(?:发布|发文|成文|印发|公开|更新)?(?:日期|时间)\s*[:：]?\s*" + _DATE)
DATE_LINE = re.compile(r"[^\d，。,;；:：]{0,40}?\s*" + _DATE + r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?")
TITLE_PATTERNS = (
    re.compile(r"(?P<agency>[^\s>›»|_:：，,。、（）()]+?)(?P<year>(?:19|20)\d{2})年度?政府信息公开(?:工作)?年度报告"),
    re.compile(r"(?P<year>(?:19|20)\d{2})年度?(?P<agency>[^\s>›»|_:：，,。、（）()\d]+?)政府信息公开(?:工作)?年度报告"),
)
# A short paragraph that only names a part, e.g. （一）主动公开: a Markdown sub-heading.
SUBHEADING = re.compile(r"[（(][一二三四五六七八九十]{1,3}[)）][^。，,；;：:！？!?]{1,24}")
# Page furniture: a paragraph matching one of these ends the report (after section 六).
FURNITURE = re.compile(
    r"^(?:分享|打印本页|【?打印】?|关闭窗口|【?关闭】?|返回顶部|收藏|上一篇|下一篇|相关(?:链接|文章|阅读|稿件)"
    r"|扫一扫|版权所有|主办单位|承办单位|网站标识码|网站地图|联系我们|责任编辑|【?字体|字号|浏览次数|访问量"
    r"|首页\s*[>›»]|当前位置|您(?:当前)?的位置)"
    r"|ICP备|公网安备"
)


ORIGIN = re.compile(r"(?:原文链接|原文地址|原文网址|来源网址|网址|链接)\s*[:：]\s*(?P<url>https?://[^\s，。；;]+)")


def published_cell(text: str) -> PublishedCell:
    """A cell kept as published: blank, not applicable, or an amount with its unit."""
    kind = cell_kind(text)
    if kind == "blank":
        return BLANK
    return PublishedCell(CellState.WITH_UNIT if kind == "with-unit" else CellState.NOT_APPLICABLE, text)


@dataclass(frozen=True)
class Overrides:
    """What the command line says about the report; it wins over what the source says."""

    slug: str | None = None  # None: derived from the agency's name (``slugs.slug_for``) by the command
    agency: str | None = None
    year: int | None = None
    published: date | None = None
    source: str | None = None  # where the report was published (URL); default: the page's own, or the file name


@dataclass
class Imported:
    """A report read from a source, with what the editor should know about the import."""

    report: Report
    notices: list[str] = field(default_factory=list)  # things the editor should know (not errors)
    warnings: list[Finding] = field(default_factory=list)  # labels read by similarity, mixed layouts


def _fail(source: Source, rule: str, token: Token | None = None, label: str = "", **fields: Any) -> UnreadableSource:
    return UnreadableSource([source_error(source, rule, token, label, **fields)])


# --- sections -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Located:
    """A section's title in the token stream: title cells [start, stop), content up to ``end``."""

    section: Section
    start: int
    stop: int
    end: int


def locate_sections(source: Source, tokens: list[Token], spec: FormatSpec,
                    warnings: list[Finding] | None = None) -> list[Located]:
    """Every section title, in order; a missing one is an error naming the previous one.

    A title is taken as written in either format (or the 2019 document's own wording); failing
    that, a short paragraph opening with the section's number and like its title, with a warning.
    """
    spans: list[tuple[Section, int, int]] = []
    position = 0
    wordings = section_titles()
    for section in spec.sections:
        keys = frozenset().union(*(label_keys(t) for t in wordings[section.number]))
        found = find_label(tokens, position, len(tokens), keys)
        if found is None:
            found = _similar_heading(source, tokens, position, section, wordings[section.number], warnings)
        if found is None:
            after = phrase("section-after", title=spans[-1][0].title) if spans else ""
            token = tokens[spans[-1][1]] if spans else None
            raise _fail(source, "import-missing-section", token, section.title, number=section.number,
                        title=section.title, after=after)
        spans.append((section, found[0], found[1]))
        position = found[1]
    ends = [start for _, start, _ in spans[1:]] + [len(tokens)]
    return [Located(s, start, stop, end) for (s, start, stop), end in zip(spans, ends)]


def _similar_heading(source: Source, tokens: list[Token], start: int, section: Section, wordings: tuple[str, ...],
                     warnings: list[Finding] | None) -> tuple[int, int] | None:
    keys = frozenset(match_key(w) for w in wordings)
    for index in range(start, len(tokens)):
        text = tokens[index].text.strip()
        if len(text) > MAX_HEADING or not match_key(text):
            continue
        # numbered like the section and similar, or the title itself numbered otherwise (（二）主动公开…)
        value = best_score(text, keys)
        if value >= (THRESHOLD if text.startswith(section.number) else RENUMBERED):
            if warnings is not None:
                token = tokens[index]
                warnings.append(finding("import-approximate-label",
                                        Where.at(source.display_path, Mark(token.line, 1), label=section.title),
                                        published=text, official=section.title))
            return index, index + 1
    return None


def first_section_index(tokens: list[Token]) -> int:
    """Where section 一 starts under any format (their titles agree), or the end."""
    keys = frozenset().union(*(label_keys(t) for t in section_titles()["一"]))
    found = find_label(tokens, 0, len(tokens), keys)
    return found[0] if found else len(tokens)


# --- narrative ----------------------------------------------------------------------------


def paragraphs_between(source: Source, tokens: list[Token]) -> list[str]:
    """The paragraphs the tokens belong to, whole when all their cells are there."""
    texts: list[str] = []
    groups: dict[int, list[str]] = {}
    for token in tokens:
        groups.setdefault(token.paragraph, []).append(token.text)
    for index, cells in groups.items():
        whole = source.paragraphs[index]
        texts.append(whole.text if len(cells) == len(whole.cells) else " ".join(cells))
    return [t for t in texts if t]


def is_furniture(text: str) -> bool:
    return bool(FURNITURE.search(clean_space(text)))


def narrative_markdown(paragraphs: Iterable[str]) -> str:
    """Paragraphs separated by blank lines; （一）-style headings as ### sub-headings."""
    blocks = [f"### {text}" if SUBHEADING.fullmatch(text) else text for text in paragraphs]
    return "\n\n".join(blocks) + "\n"  # as a YAML literal block loads: one final newline


# --- agency, year and date ----------------------------------------------------------------


_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}
_CN_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
                      r"\s*([一二三四五六七八九十]{1,3})\s*日")


def _cn_number(text: str) -> str:
    """一 → 1, 十二 → 12, 二十八 → 28 (the day and month of a date written in Chinese numerals)."""
    if "十" not in text:
        return "".join(_CN_DIGITS[c] for c in text)
    tens, _, ones = text.partition("十")
    return str(int(_CN_DIGITS.get(tens, "1") if tens else "1") * 10 + (int(_CN_DIGITS[ones]) if ones else 0))


def _fold(text: str) -> str:
    """Width folded; a date in Chinese numerals (二〇二二年一月二十八日, common in signatures) in digits."""
    folded = unicodedata.normalize("NFKC", text)
    return _CN_DATE.sub(lambda m: f"{''.join(_CN_DIGITS[c] for c in m.group(1))}年{_cn_number(m.group(2))}月"
                        f"{_cn_number(m.group(3))}日", folded)


def find_title(texts: Iterable[str]) -> tuple[str, int] | None:
    """Agency name and year from a title like 示例镇2024年政府信息公开工作年度报告."""
    for text in texts:
        # A title is a short line: the patterns' lazy agency part is quadratic in the text's length.
        compact = re.sub(r"\s+", "", _fold(text[:MAX_TITLE_CHARS * 2]))[:MAX_TITLE_CHARS]
        for pattern in TITLE_PATTERNS:
            match = pattern.search(compact)
            if match and match.group("agency"):
                return match.group("agency"), int(match.group("year"))
    return None


def _date(match: re.Match[str]) -> date | None:
    try:
        return date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    except ValueError:
        return None


def labeled_date(texts: Iterable[str]) -> date | None:
    for text in texts:
        match = LABELED_DATE.search(_fold(text))
        if match and _date(match):
            return _date(match)
    return None


def date_line(text: str) -> date | None:
    """The date of a paragraph that holds only a date, perhaps after the agency's name."""
    match = DATE_LINE.fullmatch(_fold(clean_space(text)))
    return _date(match) if match else None


# --- the whole report ---------------------------------------------------------------------


def detect_format(tokens: Iterable[Token], table: str | None = None) -> FormatSpec | None:
    """The format whose own labels (those the other format lacks) the tables (or ``table``) print, if clear."""
    joined = "".join(match_key(t.text) for t in tokens)
    labels = {version: _label_keys(version, table) for version in FORMATS}
    scores, plain = {}, []
    for version, own in labels.items():
        others = set().union(*(keys for v, keys in labels.items() if v != version))
        distinctive = {k for k in own if not any(k in other for other in others)}
        scores[version] = sum(1 for k in distinctive if k in joined)
        if not distinctive:
            plain.append(version)
    best = max(scores.values())
    winners = [v for v, s in scores.items() if s == best]
    if best == 0 and table is not None and len(plain) == 1 and sum(k in joined for k in labels[plain[0]]) > 3:
        return FORMATS[plain[0]]  # a table whose rows are a subset of the other format's, without the extra rows
    return FORMATS[winners[0]] if best > 0 and len(winners) == 1 else None


@lru_cache(maxsize=16)
def _label_keys(version: str, only: str | None = None) -> frozenset[str]:
    keys: set[str] = set()
    for table in FORMATS[version].tables:
        if only is not None and table.key != only:
            continue
        for block in table.blocks:
            keys |= label_keys(block.label) if block.label else set()
            stack = list(block.columns)
            while stack:
                column = stack.pop()
                keys |= label_keys(column.label)
                stack.extend(column.children)
            rows = list(block.rows)
            while rows:
                row = rows.pop()
                keys |= label_keys(row.label)
                rows.extend(row.children)
    return frozenset(keys)


class _Importer:
    def __init__(self, source: Source, overrides: Overrides) -> None:
        self.source = tidy(to_simplified(source))
        self.overrides = overrides
        self.tokens = self.source.tokens()
        self.notices: list[str] = []
        self.warnings: list[Finding] = []  # what the editor should check: labels taken by similarity
        self.layouts: dict[str, str] = {}  # tables in the other format's layout
        self.as_published: dict[CellPath, str] = {}  # blank, not-applicable and with-unit cells as published
        self.footer: list[str] = []  # paragraphs after the report's end (page furniture)

    def run(self) -> Imported:
        head = self.tokens[: first_section_index(self.tokens)]
        preamble = paragraphs_between(self.source, head)
        # the page's heading before its <title>; a title printed over two lines (PDFs) joined again
        title = find_title(preamble + list(self.source.titles) + [a + b for a, b in zip(preamble, preamble[1:])])
        agency, year = self.agency_and_year(title)
        spec = format_for_year(year)
        if spec is None:
            raise _fail(self.source, "import-unsupported-year", year=year)
        located = locate_sections(self.source, self.tokens, spec, self.warnings)
        self.layouts = self.check_format(spec, year, located)
        values, marks, errors = self.read_tables(located)
        if errors:
            raise UnreadableSource(errors)
        narrative, signature = self.narrative(located, agency)
        published = self.published(preamble, signature, year)
        marks.update({(s.section.key,): Mark(self.tokens[s.start].line, 1) for s in located})
        tables = [FORMATS[self.layouts.get(t.key, spec.version)].table(t.key) for t in spec.tables]
        totals = frozenset(path for table in tables for cell in table.cells() if cell.is_total
                           for path in (cell.path,) if path in values)
        report = Report(
            source=self.source.path,
            display_path=self.source.display_path,
            agency=Agency(slug=self.overrides.slug or "", name=agency),
            year=year,
            format=spec,
            published=published,
            narrative=narrative,
            values=values,
            given_totals=totals,
            marks=dict(marks),
            archived=Archived(source=self.overrides.source or self.origin(preamble)),
            layouts=dict(self.layouts),
            as_published={path: published_cell(text) for path, text in self.as_published.items()},
        )
        report.discrepancies = discrepancies_of(report)
        skipped = [p for p in preamble if not self.is_metadata(p)]
        if skipped:
            self.notices.append("以下标题与“一、总体情况”之间的文字未导入："
                                + " / ".join(p[:40] for p in skipped[:5]))
        return Imported(report, self.notices, self.warnings)

    def origin(self, preamble: list[str]) -> str:
        """Where the report was published: a URL the page names as its own, else the file's name."""
        if self.source.origin.startswith(("http://", "https://")):
            return self.source.origin
        for text in preamble + self.footer:
            match = ORIGIN.search(text)
            if match:
                return match.group("url")
        return self.source.path.name

    def is_metadata(self, text: str) -> bool:
        return bool(is_furniture(text) or find_title([text]) or date_line(text) or labeled_date([text]))

    def agency_and_year(self, title: tuple[str, int] | None) -> tuple[str, int]:
        name = self.overrides.agency or (title[0] if title else None)
        year = self.overrides.year or (title[1] if title else None)
        if title and self.overrides.year and self.overrides.year != title[1]:
            self.notices.append(f"源文件标题写的是 {title[1]} 年度，已按 --year 记为 {self.overrides.year} 年度")
        if name is None or year is None:
            missing = [phrase(option) for option, value in (("option-agency", name), ("option-year", year))
                       if value is None]
            raise _fail(self.source, "import-missing-metadata", missing=missing)
        return name, year

    def check_format(self, spec: FormatSpec, year: int, located: list[Located]) -> dict[str, str]:
        """Tables published in the other format's layout (e.g. 2019 rows of table 三 in a 2023 report)."""
        layouts: dict[str, str] = {}
        differing = 0
        for part in located:
            table = part.section.table
            if table is None or len({_label_keys(version, table.key) for version in FORMATS}) == 1:
                continue  # the same rows and columns in both formats (table 四)
            differing += 1
            detected = detect_format(self.tokens[part.stop: part.end], table.key)
            if detected is not None and detected is not spec:
                layouts[table.key] = detected.version
        # Every table in the other format: a wrong --year, most likely. A year read from the report's own
        # title is what the agency published: its tables are kept in the layout they were printed in.
        if layouts and len(layouts) == differing and self.overrides.year is not None:
            detected = FORMATS[next(iter(layouts.values()))]
            raise _fail(self.source, "import-format-year-mismatch", self.tokens[located[1].start],
                        detected_version=detected.version, detected_document=detected.document, year=year,
                        version=spec.version, document=spec.document)
        for key, version in layouts.items():
            part = next(p for p in located if p.section.key == key)
            other = FORMATS[version]
            self.warnings.append(finding("import-mixed-layout", Where.at(
                self.source.display_path, Mark(self.tokens[part.start].line, 1), label=part.section.title),
                layout=version, document=other.document, key=key))
        return layouts

    def read_tables(self, located: list[Located]) -> tuple[dict[CellPath, CellValue], dict[tuple, Mark], list[Finding]]:
        values: dict[CellPath, CellValue] = {}
        marks: dict[tuple, Mark] = {}
        errors: list[Finding] = []
        for part in located:
            table: TableSpec | None = part.section.table
            if table is None:
                continue
            if table.key in self.layouts:
                table = FORMATS[self.layouts[table.key]].table(table.key)
            try:
                read = read_table(self.source.display_path, table, self.tokens[part.stop: part.end],
                                  self.tokens[part.start])
            except TableError as error:
                errors.append(error.finding)
                continue
            values.update(read.values)
            marks.update(read.marks)
            self.as_published.update(read.published)
            self.warnings.extend(read.warnings)
        return values, marks, errors

    def narrative(self, located: list[Located], agency: str) -> tuple[dict[str, str], date | None]:
        """Narrative sections as Markdown; the report ends at the first piece of page furniture."""
        narrative: dict[str, str] = {}
        signature: date | None = None
        last = located[-1]
        for part in located:
            if part.section.table is not None:
                continue
            texts = paragraphs_between(self.source, self.tokens[part.stop: part.end])
            if part is last:
                texts, signature = self.trim_end(texts, agency)
            if not texts:
                raise _fail(self.source, "import-empty-section", self.tokens[part.start], part.section.title,
                            title=part.section.title)
            narrative[part.section.key] = narrative_markdown(texts)
        return narrative, signature

    def trim_end(self, texts: list[str], agency: str) -> tuple[list[str], date | None]:
        """Drops page furniture and the closing signature (agency name, date) after the last section."""
        for index, text in enumerate(texts):
            if is_furniture(text):
                self.footer = texts[index:]
                texts = texts[:index]
                break
        signature = None
        while texts and (date_line(texts[-1]) or match_key(texts[-1]) == match_key(agency)):
            signature = signature or date_line(texts[-1])
            texts = texts[:-1]
        return texts, signature

    def published(self, preamble: list[str], signature: date | None, year: int) -> date:
        if self.overrides.published:
            return self.overrides.published
        found = labeled_date(list(self.source.titles) + preamble + self.footer) or signature or next(
            (d for d in map(date_line, preamble) if d), None)
        if found is None:
            raise _fail(self.source, "import-missing-date")
        if found.year <= year:
            raise _fail(self.source, "import-missing-date", variant="too-early", date=found.isoformat(), year=year)
        return found


def import_report(source: Source, overrides: Overrides) -> Imported:
    """The report a source holds, numbers as published; raises ``UnreadableSource`` saying where."""
    return _Importer(source, overrides).run()

