"""The site's search index, made by Pagefind from the built pages: a page view loads no index,
a query loads only the index chunks and result fragments it needs.

Only what readers search for is indexed. Every page whose content the theme marks with
``data-pagefind-body`` (every page but the listings, see ``overrides/main.html``) is read once
and reduced to a small search page (:func:`digest`): its title, the agency's name with the short
forms readers type (:func:`agency_terms`), its section headings and the first words of each
section's text — not its tables, nor the whole narrative of a long report. Pagefind indexes these
small pages, so its memory and the chunks a query loads no longer grow with the pages' size.

A large portal's index is made in parts, one run of Pagefind after another, each part holding
at most ``PART_PAGES`` pages of whole years (or a slice of a larger year), so the memory of one
run is bounded. ``pagefind/parts.json`` tells the search box which part holds which year: a
query that names a year (``2023年``) loads only the parts holding it; any other query the newest
year's parts first, the older ones when the reader asks (Pagefind's ``mergeIndex``). The index is
written next to the site's pages and swapped in whole, so a failure leaves the previous index as
it was.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

INDEX_DIR = "pagefind"  # <site>/pagefind/<part>/pagefind.js, as overrides/assets/gongkai-search.js loads it
PARTS_FILE = "parts.json"  # <site>/pagefind/parts.json: the parts and the years each holds
LANGUAGE = "zh"  # Pagefind's extended build segments Chinese words for this language
TIMEOUT_SECONDS = 3600
# A part of the index holds at most this many pages: Pagefind's memory grows with the pages of a
# run (measured on the benchmark's reports: 64 MB and about 0.18 MB a page; 2,500 pages take
# about 0.5 GB, 1,668 pages 351 MB, 3,336 pages 678 MB).
# GONGKAI_SEARCH_PART_PAGES sets it (the tests make small parts).
PART_PAGES = int(os.environ.get("GONGKAI_SEARCH_PART_PAGES", "2500"))
# How much of a page's running text is indexed: the first paragraphs of every section, cut at
# a sentence end. Headings, the title and the agency's names are always indexed.
SECTION_PARAGRAPHS = 1
PARAGRAPH_CHARS = 200
PAGE_CHARS = 1200
# Inside the indexed content: tables (every report repeats the same labels and mostly the same
# numbers), the headings' permalink signs, a report's publication date and format (a query for
# 2023年 should find the 2023 reports, not those published in 2023), its links to the listings
# and its downloads.
SKIPPED_TAGS = frozenset({"table", "script", "style", "noscript", "svg", "button", "form", "nav", "select"})
SKIPPED_CLASSES = frozenset({"headerlink", "gk-report-meta", "gk-report-links", "gk-downloads", "gk-search"})
NAMES_WEIGHT = 5  # the agency's names and short forms weigh as a heading (Pagefind: h1 7, h2 6, h3 5, text 1)
# A report page links to its agency's listing first, as "<agency name>历年报告" (templates/pages/report.md):
# the index holds the agency's name and short forms from it.
AGENCY_LINKS = "gk-report-links"
AGENCY_LINK_SUFFIX = "历年报告"
SKIPPED_ATTRIBUTES = ("data-pagefind-ignore", "data-search-exclude")
# Pagefind's ready-made interfaces: the site has its own search box (assets/gongkai-search.js).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")

_YEAR_IN_PATH = re.compile(r"(?:^|[/_-])((?:19|20)\d\d)(?=$|[/_-])")
_SENTENCE_END = re.compile(r"[。！？；;!?]")
_BLOCKS = frozenset({"h1", "h2", "h3", "h4", "p", "li", "dt", "dd", "blockquote"})
_VOID = frozenset({"br", "img", "hr", "input", "meta", "link", "wbr", "source", "col", "area", "base", "embed",
                   "track", "param"})


class SearchIndexError(Exception):
    """The search index could not be made; the message (Chinese) says why and what to do."""


@dataclass(frozen=True)
class SearchIndex:
    folder: Path
    pages: int  # pages indexed
    seconds: float
    parts: tuple[str, ...] = ()  # the parts' folders under ``folder``


# --- what a page gives the index ----------------------------------------------------------

# Long words of agency names and the short forms readers type for them (市场监督管理局 → 市场监管局).
_SHORT_FORMS = (
    ("人民政府", "政府"), ("监督管理", "监管"), ("委员会", "委"), ("办公室", "办"), ("街道办事处", "街道"),
    ("发展和改革", "发改"), ("人力资源和社会保障", "人社"), ("住房和城乡建设", "住建"), ("卫生健康", "卫健"),
    ("生态环境", "环境"), ("自然资源和规划", "自然资源"), ("农业农村", "农业"), ("文化和旅游", "文旅"),
)
_PLACE_KINDS = ("自治州", "自治县", "街道", "省", "市", "区", "县", "旗", "镇", "乡")


def agency_terms(name: str) -> list[str]:
    """The agency's name and the short forms readers type, each once: 西山镇人民政府 → 西山镇人民政府,
    西山镇政府, 西山镇, 西山 镇. The place and its kind are also given apart (西山 镇), as a browser
    may cut the query 西山镇 into those two words where Pagefind cut the name differently."""
    terms = [name]

    def add(term: str) -> None:
        term = term.strip()
        if len(term) >= 2 and term not in terms:
            terms.append(term)

    short = name
    for long, abbreviation in _SHORT_FORMS:
        short = short.replace(long, abbreviation)
    add(short)
    base = re.sub(r"（[^）]*）$", "", name)  # 凤凰镇人民政府（第2片区） → 凤凰镇人民政府
    add(base)
    for suffix in ("人民政府", "街道办事处", "办事处"):
        if base.endswith(suffix):
            add(base[: -len(suffix)])  # 西山镇
    place_and_kind = re.match(r"^(.{2,}?)(%s)" % "|".join(_PLACE_KINDS), base)
    if place_and_kind:
        place, kind = place_and_kind.groups()
        rest = base[place_and_kind.end():]
        add(f"{place} {kind}")  # 西山 镇
        for long, abbreviation in _SHORT_FORMS:
            rest = rest.replace(long, abbreviation)
        if rest and rest not in ("政府", "办事处", "街道"):
            add(rest)  # 市场监管局 (without the place)
    return terms


@dataclass
class Digest:
    """What the index holds of one page."""

    title: str = ""
    agency: str = ""
    blocks: list[tuple[str, str]] = field(default_factory=list)  # ("h2"/"h3"/…/"p", text)


class _Reader(HTMLParser):
    """Reads the indexed content of a built page into a :class:`Digest`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.digest = Digest()
        self._depth = 0  # open elements inside data-pagefind-body (0: outside)
        self._skip = 0  # depth at which a skipped element began (0: not skipping)
        self._block: str | None = None
        self._text: list[str] = []
        self._paragraphs = 0  # in the current section
        self._chars = 0  # running text kept on this page
        self._agency = 0  # depth of the report's links while reading the first (0: not reading)
        self._agency_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if not self._depth:
            if "data-pagefind-body" in attributes:
                self._depth = 1
            return
        if tag in _VOID:
            return
        self._depth += 1
        if self._skip:
            return
        classes = set((attributes.get("class") or "").split())
        if AGENCY_LINKS in classes and not self.digest.agency:
            self._agency = self._depth  # the report's links to the listings: the first names its agency
        if tag in SKIPPED_TAGS or classes & SKIPPED_CLASSES or any(a in attributes for a in SKIPPED_ATTRIBUTES):
            self._end_block()
            self._skip = self._depth
        elif tag in _BLOCKS and (self._block is None or tag[0] == "h"):
            self._end_block()
            self._block = tag

    def handle_endtag(self, tag: str) -> None:
        if not self._depth or tag in _VOID:
            return
        if self._agency and (tag == "a" or self._depth == self._agency):
            name = " ".join("".join(self._agency_text).split())
            self.digest.agency = name[: -len(AGENCY_LINK_SUFFIX)] if name.endswith(AGENCY_LINK_SUFFIX) else ""
            self._agency = 0
        if self._skip == self._depth:
            self._skip = 0
        elif not self._skip and tag == self._block:
            self._end_block()
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._agency:
            self._agency_text.append(data)
        if self._depth and not self._skip and self._block:
            self._text.append(data)

    def _end_block(self) -> None:
        block, text = self._block, " ".join("".join(self._text).split())
        self._block, self._text = None, []
        if not block or not text:
            return
        if block == "h1" and not self.digest.title:
            self.digest.title = text
        elif block[0] == "h":
            self.digest.blocks.append((block, text))
            self._paragraphs = 0
        elif self._paragraphs < SECTION_PARAGRAPHS and self._chars < PAGE_CHARS:
            kept = _cut(text, min(PARAGRAPH_CHARS, PAGE_CHARS - self._chars))
            self.digest.blocks.append(("p", kept))
            self._paragraphs += 1
            self._chars += len(kept)

    def close(self) -> None:
        super().close()
        self._end_block()


def _cut(text: str, limit: int) -> str:
    """``text`` up to ``limit`` characters, ending at a sentence end when there is one in its second half."""
    if len(text) <= limit:
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, limit)]
    return text[: ends[-1]] if ends and ends[-1] > limit // 2 else text[:limit]


def digest(page: str) -> Digest | None:
    """What the index holds of a built page; None for a page the theme leaves out (no ``data-pagefind-body``)."""
    start = page.find("data-pagefind-body")
    if start < 0:
        return None
    body = page[page.rfind("<", 0, start):]
    end = body.find("</article>")  # the theme's content ends there: the footer and scripts are not read
    reader = _Reader()
    for piece in _without_tables(body[:end] if end > 0 else body):
        reader.feed(piece)
    reader.close()
    return reader.digest


def _without_tables(body: str) -> Iterator[str]:
    """``body`` without its tables (most of a report page), which the index skips anyway."""
    at = 0
    while (start := body.find("<table", at)) >= 0:
        depth, end = 1, start + len("<table")
        while depth:  # to the end of this table, over the tables inside it
            close = body.find("</table>", end)
            if close < 0:
                yield body[at:]
                return
            inner = body.find("<table", end, close)
            depth, end = (depth + 1, inner + len("<table")) if inner >= 0 else (depth - 1, close + len("</table>"))
        yield body[at:start]
        at = end
    yield body[at:]


def digest_html(d: Digest, year: int | None) -> str:
    """The small page Pagefind indexes for ``d``: title, the agency's names, headings, paragraphs."""
    e = html.escape
    parts = [f'<!doctype html><html lang="{LANGUAGE}"><head><meta charset="utf-8"><title>{e(d.title)}</title>'
             f'</head><body><main data-pagefind-body><h1>{e(d.title)}</h1>']
    if d.agency:
        parts.append(f'<p data-pagefind-weight="{NAMES_WEIGHT}">{e(" ".join(agency_terms(d.agency)))}</p>')
    if year is not None:
        parts.append(f'<span data-pagefind-filter="year" hidden>{year}</span>')
    parts.extend(f"<{tag}>{e(text)}</{tag}>" for tag, text in d.blocks)
    parts.append("</main></body></html>")
    return "".join(parts)


def page_year(relative: str) -> int | None:
    """The year a page belongs to, from its path: a report's (reports/<agency>/2023/), a year's
    page (open_data/totals-2023/); None for the others."""
    found = _YEAR_IN_PATH.findall(relative)
    return int(found[-1]) if found else None


# --- the parts of a large index -------------------------------------------------------------

Unit = tuple[int | None, int]  # pages of one year (None: without a year) and their slice of at most PART_PAGES


def plan_parts(units: dict[Unit, int], limit: int | None = None) -> list[tuple[str, list[Unit]]]:
    """Units (a year's pages, or a slice of them for a year larger than ``limit``) packed in order
    into parts of at most ``limit`` pages; pages without a year go with the others when all fit
    in one part, else in parts of their own. Each part: (folder name, its units)."""
    most = PART_PAGES if limit is None else limit
    if sum(units.values()) <= most:
        return [("all", sorted(units, key=_unit_order))]
    groups: list[list[Unit]] = []
    size = 0
    for kind in ("dated", "undated"):
        chosen = sorted((u for u in units if (u[0] is None) == (kind == "undated")), key=_unit_order)
        for i, unit in enumerate(chosen):
            if i and size + units[unit] <= most:
                groups[-1].append(unit)
                size += units[unit]
            else:
                groups.append([unit])
                size = units[unit]
    return [(f"p{i}", group) for i, group in enumerate(groups)]


def _unit_order(unit: Unit) -> tuple[int, int]:
    return (unit[0] if unit[0] is not None else 10_000, unit[1])


def _unit_dir(unit: Unit) -> str:
    return f"{unit[0] if unit[0] is not None else 'none'}.{unit[1]}"


def pagefind_command(site_dir: Path, output: Path) -> list[str]:
    """The Pagefind command line that indexes ``site_dir`` into ``output``."""
    return [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-path", str(output),
            "--force-language", LANGUAGE, "--quiet"]


def _pages(site_dir: Path) -> Iterator[tuple[str, Path]]:
    """Every HTML page of the site but the index's own folders, in a stable order."""
    for folder, dirs, files in os.walk(site_dir):
        if folder == str(site_dir):
            dirs[:] = [d for d in dirs if not d.startswith(f".{INDEX_DIR}") and d != INDEX_DIR]
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".html"):
                path = Path(folder, name)
                yield path.relative_to(site_dir).as_posix(), path


def write_digests(site_dir: Path, work: Path, limit: int | None = None) -> tuple[list[tuple[str, list[Unit]]], int]:
    """Writes the small page of every indexed page under ``work/<year>.<slice>/``, then moves
    the units into their parts' folders ``work/parts/<part>/``: the parts and the pages."""
    size = PART_PAGES if limit is None else limit
    counts: dict[int | None, int] = {}
    for relative, path in _pages(site_dir):
        d = digest(path.read_text(encoding="utf-8", errors="replace"))
        if d is None or not (d.title or d.blocks):
            continue
        year = page_year(relative)
        unit = (year, counts.get(year, 0) // size)
        target = work / _unit_dir(unit) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(digest_html(d, year), encoding="utf-8")
        counts[year] = counts.get(year, 0) + 1
    units = {(year, k): min(size, n - k * size) for year, n in counts.items() for k in range(-(-n // size))}
    parts = plan_parts(units, size)
    for name, members in parts:
        for unit in members:
            _merge_tree(work / _unit_dir(unit), work / "parts" / name)
    return parts, sum(counts.values())


def _merge_tree(source: Path, target: Path) -> None:
    for folder, _dirs, files in os.walk(source):
        destination = target / Path(folder).relative_to(source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in files:
            os.replace(Path(folder, name), destination / name)
    shutil.rmtree(source, ignore_errors=True)


def build_search_index(site_dir: Path, *, timeout: float = TIMEOUT_SECONDS) -> SearchIndex:
    """Indexes the built site in ``site_dir`` into ``site_dir/pagefind``, replacing the old index whole."""
    started = time.perf_counter()
    site_dir = Path(site_dir)
    target = site_dir / INDEX_DIR
    work = site_dir / f".{INDEX_DIR}.pages"
    fresh = site_dir / f".{INDEX_DIR}.new"
    stale = site_dir / f".{INDEX_DIR}.old"
    for leftover in (work, fresh, stale):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        parts, pages = write_digests(site_dir, work)
        deadline = time.monotonic() + timeout
        for name, _years in parts:
            _run_pagefind(work / "parts" / name, fresh / name, deadline - time.monotonic(), timeout)
        # The box's first part (its Pagefind script and WebAssembly): the pages without a year
        # when they have a part of their own, else the newest year's.
        manifest = {"hub": parts[-1][0],
                    "parts": [{"dir": name, "years": sorted({y for y, _ in units if y is not None})}
                              for name, units in parts]}
        fresh.mkdir(exist_ok=True)
        (fresh / PARTS_FILE).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if target.exists():
        target.rename(stale)
    fresh.rename(target)
    shutil.rmtree(stale, ignore_errors=True)
    return SearchIndex(target, pages, time.perf_counter() - started, tuple(name for name, _ in parts))


def _run_pagefind(pages: Path, output: Path, remaining: float, timeout: float) -> None:
    try:
        proc = subprocess.run(pagefind_command(pages, output), capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=max(remaining, 1.0))
    except subprocess.TimeoutExpired:
        raise SearchIndexError(f"站内搜索索引在 {timeout:.0f} 秒内未生成完毕，已放弃；网站其余部分已生成，"
                               "原有的搜索索引保持不变") from None
    if proc.returncode != 0 or not (output / "pagefind.js").is_file():
        raise SearchIndexError(_failure_message(proc))
    for name in UNUSED:
        (output / name).unlink(missing_ok=True)


def _failure_message(proc: subprocess.CompletedProcess[str]) -> str:
    output = (proc.stderr or proc.stdout or "").strip()
    if "No module named pagefind" in output or "pagefind_bin" in output or "executable" in output.lower():
        return ("找不到站内搜索工具 Pagefind：请在本项目的 Python 环境中安装它"
                "（pip install -e . 或 pip install \"pagefind[extended]\"），再生成网站")
    tail = "\n".join(output.splitlines()[-8:])
    return f"站内搜索索引生成失败（Pagefind 退出码 {proc.returncode}），原有的搜索索引保持不变：\n{tail}"
