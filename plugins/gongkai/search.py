"""The site's search index, made by Pagefind from the pages as they are written: a page view
loads no index, a query loads only the index chunks and result fragments it needs.

Only what readers search for is indexed. Every page whose content the theme marks with
``data-pagefind-body`` (every page but the listings, see ``overrides/main.html``) is taken as it
is written (:class:`Indexer`; a page no one gave it is read from disk at the end) and reduced
to a small search page (:func:`digest`): its title, the agency's name with the short
forms readers type (:func:`agency_terms`), its section headings and the first words of each
section's text — not its tables, nor the whole narrative of a long report. Pagefind indexes these
small pages, so its memory and the chunks a query loads no longer grow with the pages' size.
The small pages are given to Pagefind's service through a pipe (no file is written for them),
in a set order (:func:`pagefind_order`), which decides the order of results that score alike.

A large portal's index is made in parts, each holding the pages of one year (or a slice of at
most ``PART_PAGES`` pages of a larger year; the pages without a year likewise), each by
Pagefind in a process of its own, on the machine's other core while the build writes the next
pages, one run at a time so that the memory of Pagefind stays bounded. The part being written is
given to Pagefind page by page as it is written (in Pagefind's order, :class:`Indexer`): when its
last page is written, only Pagefind's final step is left. ``pagefind/parts.json`` tells the search box which part holds which year: a
query that names a year (``2023年``) loads only the parts holding it; any other query the newest
year's parts first, the older ones when the reader asks (Pagefind's ``mergeIndex``). The index is
written next to the site's pages and swapped in whole, so a failure leaves the previous index as
it was.
"""

from __future__ import annotations

import base64
import contextlib
import heapq
import html
import importlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO

INDEX_DIR = "pagefind"  # <site>/pagefind/<part>/pagefind.js, as overrides/assets/gongkai-search.js loads it
PARTS_FILE = "parts.json"  # <site>/pagefind/parts.json: the parts and the years each holds
LANGUAGE = "zh"  # Pagefind's extended build segments Chinese words for this language
TIMEOUT_SECONDS = 3600
# A part of the index holds at most this many pages: Pagefind's memory grows with the pages of a
# run (measured on the benchmark's reports: 64 MB and about 0.18 MB a page; 2,500 pages take
# about 0.5 GB, 1,668 pages 351 MB, 3,336 pages 678 MB). Pagefind runs beside the build, so its
# memory adds to the build's: 1,800 pages keep it under 400 MB.
# GONGKAI_SEARCH_PART_PAGES sets it (the tests make small parts).
PART_PAGES = int(os.environ.get("GONGKAI_SEARCH_PART_PAGES", "1800"))
# GONGKAI_SEARCH_TRACE names a file the indexer appends its runs' events to (bench/tail_trace.py reads it).
TRACE = os.environ.get("GONGKAI_SEARCH_TRACE")
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
    part = indexed_part(page)
    return None if part is None else read_part(part)


def indexed_part(page: str) -> str | None:
    """The part of a built page the index reads: its content, without its tables (string
    operations only, cheap); None for a page the theme leaves out."""
    start = page.find("data-pagefind-body")
    if start < 0:
        return None
    body = page[page.rfind("<", 0, start):]
    end = body.find("</article>")  # the theme's content ends there: the footer and scripts are not read
    return "".join(_without_tables(body[:end] if end > 0 else body))


def read_part(part: str) -> Digest:
    """What the index holds of a page's :func:`indexed_part`: read by tokens (:func:`_read_plain`)
    when the part is plain markup, as the built pages are (about half the HTML parser's cost);
    by the parser (:func:`read_part_parsed`) otherwise."""
    digest = _read_plain(part)
    return read_part_parsed(part) if digest is None else digest


def read_part_parsed(part: str) -> Digest:
    """What the index holds of a page's :func:`indexed_part`, read by Python's HTML parser (the reference)."""
    reader = _Reader()
    reader.feed(part)
    reader.close()
    return reader.digest


# Plain markup, as the site's pages are written: tags with ASCII names, quoted or plain attribute
# values, text without "<". What the HTML parser reads in a way of its own (comments, declarations,
# the raw text of script and style, a stray "<", unusual names or values) sends the part to the parser.
_WS = "[\t\n\r\f ]"
_NAME = "[a-zA-Z][a-zA-Z0-9-]*"
_ATTRIBUTE_NAME = "[a-zA-Z_:][-a-zA-Z0-9_:.]*"
_ATTRIBUTE_VALUE = "\"[^\"]*\"|'[^']*'|[-a-zA-Z0-9_:.#%]+(?![^\\t\\n\\r\\f >])"  # the parser reads a=b/> as "b/"
_ATTRIBUTES = re.compile(f"{_WS}+({_ATTRIBUTE_NAME})(?:{_WS}*={_WS}*({_ATTRIBUTE_VALUE}))?")
# A heading's permalink sign as Python-Markdown writes it (a dozen on a report page): an element
# the reader skips, read as one token (its attribute values and text need no unescaping).
_PERMALINK = '<a class="headerlink"(?: href="([^"<>&]*)")?(?: title="([^"<>&]*)")?>([^<>&]*)</a>'
_TOKENS = re.compile(f"{_PERMALINK}|([^<]+)|<({_NAME})((?:{_WS}+{_ATTRIBUTE_NAME}(?:{_WS}*={_WS}*(?:{_ATTRIBUTE_VALUE}))?)*)"
                     f"{_WS}*(/?)>|</({_NAME}){_WS}*>")
_PARSER_ONLY = re.compile(r"<[!?]|<(?:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)\b",
                          re.IGNORECASE)


def _read_plain(part: str) -> Digest | None:
    """:func:`read_part_parsed`'s digest, the tags and text given to the same reader as the parser
    gives them (names in lower case, attribute values unquoted and unescaped, text unescaped,
    ``<br/>`` a start and an end); None when ``part`` is not plain markup."""
    if _PARSER_ONLY.search(part):
        return None
    reader = _Reader()
    at = 0
    unescape = html.unescape
    for m in _TOKENS.finditer(part):
        if m.start() != at:  # something the tokens do not read (a stray "<")
            return None
        at = m.end()
        href, title, sign, text, tag, attributes, closing, end_tag = m.groups()
        if sign is not None:  # a permalink sign
            if reader._depth and not reader._agency:
                # inside the indexed content, what the reader does with its start tag, text and
                # end tag comes to ending the current block (unless it is already skipping)
                if not reader._skip:
                    reader._end_block()
            else:  # outside it, or while the agency's name is read (its text counts there)
                reader.handle_starttag("a", [("class", "headerlink"), *([("href", href)] if href is not None else []),
                                             *([("title", title)] if title is not None else [])])
                if sign:
                    reader.handle_data(sign)
                reader.handle_endtag("a")
        elif text is not None:
            reader.handle_data(unescape(text) if "&" in text else text)
        elif end_tag is not None:
            reader.handle_endtag(end_tag.lower())
        else:
            pairs: list[tuple[str, str | None]] = []
            if attributes:
                for a in _ATTRIBUTES.finditer(attributes):
                    value = a.group(2)
                    if value is not None:
                        if value[:1] in ("'", '"'):
                            value = value[1:-1]
                        if "&" in value:
                            value = unescape(value)
                    pairs.append((a.group(1).lower(), value))
            reader.handle_starttag(tag.lower(), pairs)
            if closing:
                reader.handle_endtag(tag.lower())
    if at != len(part):
        return None
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


# --- the index, made while the site is written -----------------------------------------------

Unit = tuple[int | None, int]  # pages of one year (None: without a year), and their slice of at most PART_PAGES
SINGLE = "all"  # the one part of an index of at most PART_PAGES pages


def _unit_order(unit: Unit) -> tuple[int, int]:
    return (unit[0] if unit[0] is not None else 10_000, unit[1])


def _unit_dir(unit: Unit) -> str:
    return f"{unit[0] if unit[0] is not None else 'none'}.{unit[1]}"


def pagefind_command(site_dir: Path, output: Path) -> list[str]:
    """The Pagefind command line that indexes the pages of ``site_dir`` into ``output``: the way
    the index was made from small page files, kept as the reference the tests compare the service
    (:class:`_Service`) with."""
    return [*pagefind_program(), "--site", str(site_dir), "--output-path", str(output),
            "--force-language", LANGUAGE, "--quiet"]


def pagefind_service_command() -> list[str]:
    """Pagefind as a service: pages given through its standard input, no files read."""
    return [*pagefind_program(), "--service"]


def pagefind_program() -> list[str]:
    """Pagefind's binary as the ``pagefind`` package finds it (``PAGEFIND_BINARY_PATH``, then its
    extended build, then the plain one), started directly: ``python -m pagefind`` costs a Python
    start (about 0.2 s of CPU) per part. When neither is installed, ``python -m pagefind``, which
    says what is missing."""
    configured = os.environ.get("PAGEFIND_BINARY_PATH")
    if configured:
        return [configured]
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            return [str(importlib.import_module(package).get_executable())]
        except (ImportError, AttributeError, OSError):
            continue
    return [sys.executable, "-m", "pagefind"]


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


def pagefind_order(relative: str) -> tuple[int, int, str]:
    """The order the pages of a part are given to Pagefind, which numbers them in that order:
    the newest year's first, then by path; the pages without a year last. Pagefind ranks results
    by score and breaks ties by its numbering, so results that score alike (a query naming only a
    year matches every report of that year alike) come in an order set here, whatever order the
    pages were written in, and whatever the file system (the command line numbers pages in the
    order it finds their files in the folder)."""
    year = page_year(relative)
    return (0, -year, relative) if year is not None else (1, 0, relative)


# Requests Pagefind's service has not answered yet, at most: it reads and decodes all it is sent
# ahead of indexing them. Sending all of a part's pages at once cost it, at 1,000 reports, about
# 15 MB more memory and more system time than 16 at a time.
_IN_FLIGHT = 16


def _message(message_id: int, payload: dict[str, object]) -> bytes:
    """A request to Pagefind's service: JSON in base64, ending with a comma."""
    request = json.dumps({"message_id": message_id, "payload": payload}, ensure_ascii=False)
    return base64.b64encode(request.encode("utf-8")) + b","


class _Service:
    """One run of Pagefind's service (``pagefind --service``) indexing the pages of one part. The
    pages (the small pages' HTML, :func:`digest_html`) are given as they come (:meth:`give`, in
    :func:`pagefind_order`: Pagefind numbers them in the order it takes them), at most
    ``_IN_FLIGHT`` unanswered at a time; :meth:`close` asks for the index's files (``GetFiles``:
    their contents in its answer), which a thread reading its answers writes into ``output``
    itself, then closes its input, on which it ends. No page file is written; the process ending
    is the run's end, its answers' errors are kept for the message.

    The service's own ``WriteFiles`` is not used: it answers while its last writes may still be
    under way, and it exits the moment its input ends, so a file of the index could be left
    empty (seen in CI: a part's ``pagefind-entry.json`` of 0 bytes, and search on that part
    failing in the browser)."""

    def __init__(self, process: subprocess.Popen[bytes], output: Path) -> None:
        self.process = process
        self.errors: list[str] = []
        self.written = False
        self.given = 0  # pages given so far
        # The requests not yet sent, and how many sent are unanswered: a thread sends them (the
        # caller never waits for Pagefind), another reads the answers.
        self._ready = threading.Condition()
        self._waiting: deque[bytes] = deque([_message(0, {"type": "NewIndex", "config": {"force_language": LANGUAGE}})])
        self._in_flight = 0
        self._ended = False
        self.thread = threading.Thread(target=self._read, args=(output,), daemon=True)
        self.thread.start()
        threading.Thread(target=self._send, daemon=True).start()

    def give(self, pages: Iterable[tuple[str, str]]) -> None:
        """Gives Pagefind these pages, after those given before."""
        with self._ready:
            for relative, page in pages:
                self.given += 1
                self._waiting.append(_message(self.given, {"type": "AddFile", "index_id": 0, "file_path": relative,
                                                           "file_contents": page}))
            self._ready.notify_all()

    def close(self) -> None:
        """No more pages: Pagefind makes the index, the thread reading its answers writes it."""
        with self._ready:
            self._waiting.append(_message(self.given + 1, {"type": "GetFiles", "index_id": 0}))
            self._ready.notify_all()

    def _send(self) -> None:
        """Sends the waiting requests, at most ``_IN_FLIGHT`` unanswered (one more for each answer:
        Pagefind's queue stays short), until it ends."""
        stdin = self.process.stdin
        assert stdin is not None
        try:
            while True:
                with self._ready:
                    self._ready.wait_for(lambda: self._ended or (self._waiting and self._in_flight < _IN_FLIGHT))
                    if self._ended:
                        return
                    batch = []
                    while self._waiting and self._in_flight < _IN_FLIGHT:
                        batch.append(self._waiting.popleft())
                        self._in_flight += 1
                stdin.write(b"".join(batch))
                stdin.flush()
        except (OSError, ValueError) as error:  # Pagefind ended
            self.errors.append(str(error))

    def _read(self, output: Path) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        try:
            for payload in _answers(stdout.fileno()):
                with self._ready:
                    self._in_flight -= 1
                    self._ready.notify_all()
                if payload.get("type") == "Error":
                    self.errors.append(f"{payload.get('message')} {payload.get('original_message') or ''}".strip())
                elif payload.get("type") == "GetFiles":
                    _write_index(payload.get("files") or [], output)
                    self.written = True
                    break
        except (OSError, ValueError) as error:  # Pagefind ended, or answered what it should not
            self.errors.append(str(error))
        finally:
            with self._ready:
                self._ended = True
                self._ready.notify_all()
            with contextlib.suppress(OSError, AssertionError):
                assert self.process.stdin is not None
                self.process.stdin.close()  # the end of its input: the service ends


def _answers(stdout: int) -> Iterator[dict[str, Any]]:
    """The payloads of the service's answers (JSON in base64, each ending with a comma) until it
    ends. The index's files come in one answer of several MB: the bytes read are searched once."""
    buffer = bytearray()
    while chunk := os.read(stdout, 1 << 20):
        searched = len(buffer)
        buffer += chunk
        while (end := buffer.find(b",", searched)) != -1:
            answer = json.loads(base64.b64decode(bytes(buffer[:end])))
            del buffer[:end + 1]
            searched = 0
            yield answer.get("payload") or {} if isinstance(answer, dict) else {}


def _write_index(files: list[dict[str, Any]], output: Path) -> None:
    """Writes the index's files from the service's ``GetFiles`` answer (each a path relative to
    the index's folder and its contents in base64) under ``output``, but Pagefind's ready-made
    interfaces (:data:`UNUSED`). A path that would leave ``output`` is an error."""
    folders: set[Path] = set()
    for file in files:
        relative = str(file.get("path") or "")
        parts = Path(relative).parts
        if not parts or Path(relative).is_absolute() or ".." in parts:
            raise ValueError(f"Pagefind 给出的索引文件路径不对：{relative!r}")
        if relative in UNUSED:
            continue
        target = output.joinpath(*parts)
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        target.write_bytes(base64.b64decode(file.get("content") or ""))


@dataclass
class _Run:
    """One run of Pagefind: a part of the index being made (``unit``; None: the single part).
    A run may start while its part's pages are still being written: it is given the pages that
    can no longer be preceded by another in :func:`pagefind_order` (``sent``, in that order), and
    the rest when its part is complete (``closed``)."""

    name: str
    unit: Unit | None
    process: subprocess.Popen[bytes]
    service: _Service
    output: Path
    log: BinaryIO  # Pagefind's output (standard error), for the message when it fails
    pending: list[tuple[tuple[int, int, str], str, str]] = field(default_factory=list)  # a heap: not yet given
    sent: list[str] = field(default_factory=list)
    closed: bool = False


class Indexer:
    """The search index of a site, made while its pages are written.

    :meth:`add` takes each page as it is written and keeps its small page (:func:`digest`,
    :func:`digest_html`, a few KB) with the pages of its unit: its year's current slice of at most
    ``PART_PAGES`` pages. A unit is complete when it is full, or when every page of its year has
    been written (``expected``: the paths of the pages to be written, from which the pages of
    each year are counted); each unit is indexed by Pagefind's service in a process of its own,
    its pages given through a pipe (no files), one run at a time (the memory of one run is
    bounded), while the site is still being written. An index of at most ``PART_PAGES`` pages in
    all is one part.

    Pagefind's run for a unit starts before the unit is complete (a *stream*): the unit being
    written when no other run is under way (the single part, when the expected pages are at most
    ``PART_PAGES``), given each page as soon as every expected page that would precede it in
    :func:`pagefind_order` has been written, so that Pagefind reads and segments the pages while
    the build writes the next ones and only its final step is left when the unit completes. The
    pages it was given are checked then against the unit's pages in order: a page that came out
    of order (one not expected) makes the run start again with every page, so the index is the
    one made from the complete unit whatever the order the pages came in.

    :meth:`finish` reads from disk the pages :meth:`add` was not given (pages written by other
    plugins, the theme's 404 page), indexes what is left, writes ``pagefind/parts.json`` and
    swaps the new index in whole; on a failure, or :meth:`abort`, Pagefind is stopped and the
    index made so far removed, the previous index left as it was.
    """

    def __init__(self, site_dir: Path, expected: Iterable[str] = (), *, limit: int | None = None,
                 timeout: float = TIMEOUT_SECONDS) -> None:
        self.site_dir = Path(site_dir)
        self.size = PART_PAGES if limit is None else limit
        self.timeout = timeout
        self.started = time.perf_counter()
        self.deadline = time.monotonic() + timeout
        self.fresh = self.site_dir / f".{INDEX_DIR}.new"
        for leftover in (self.site_dir / f".{INDEX_DIR}.pages", self.fresh, self.site_dir / f".{INDEX_DIR}.old"):
            shutil.rmtree(leftover, ignore_errors=True)
        expected = sorted(set(expected), key=pagefind_order)
        self.expected = Counter(page_year(relative) for relative in expected)  # pages to be written, per year
        # The expected pages in Pagefind's order, of each year and all: a stream gives a page once
        # those before it are written (``upcoming``: the first not yet written, per list).
        self.ordered: dict[int | None | str, list[str]] = {SINGLE: expected}
        for relative in expected:
            self.ordered.setdefault(page_year(relative), []).append(relative)
        self.upcoming: Counter[int | None | str] = Counter()
        # One part of every page when the pages expected fit in one: its run streams from the start.
        self.single = 0 < len(expected) <= self.size
        self.written: Counter[int | None] = Counter()  # pages written so far, per year (indexed or not)
        self.seen: set[str] = set()
        self.filling: dict[int | None, tuple[int, int]] = {}  # per year: its slice being filled, and its pages
        self.slices: Counter[int | None] = Counter()  # per year: its complete slices
        self.units: dict[Unit, int] = {}  # the complete units and their pages
        self.held: dict[Unit, list[tuple[str, str]]] = {}  # the small pages of the units not yet wholly given
        self.queue: list[Unit] = []  # complete units waiting for Pagefind (all of them while the index fits one part)
        self.pages = 0
        self.last_year: int | None = None  # of the page taken last
        self.single_started = False
        self.finishing = False
        self.running: _Run | None = None
        self.error: SearchIndexError | None = None

    @property
    def split(self) -> bool:
        """Whether the index is in parts (more than ``size`` pages)."""
        return self.pages > self.size

    def _likely_split(self) -> bool:
        """Whether the index will be in parts, as far as the pages written so far tell: a unit's
        run may stream before the index is known to be in parts (a wrong guess costs the
        stream's run, stopped at the end)."""
        if self.split:
            return True
        if self.single or self.finishing or len(self.seen) < 50:
            return False
        return self.pages * len(self.ordered[SINGLE]) > 1.25 * self.size * len(self.seen)

    def add(self, relative: str, page: str) -> None:
        """Takes the page written at ``relative`` (under the site) into the index."""
        if self.error is None and relative not in self.seen:
            self.take(relative, indexed_part(page))

    def take(self, relative: str, part: str | None) -> None:
        """Takes a page by its :func:`indexed_part` (None: a page the index leaves out)."""
        if self.error is not None or relative in self.seen:
            return
        self.seen.add(relative)
        year = self.last_year = page_year(relative)
        d = None if part is None else read_part(part)
        if d is not None and (d.title or d.blocks):
            k, n = self.filling.get(year, (self.slices[year], 0))
            small = digest_html(d, year)
            self.held.setdefault((year, k), []).append((relative, small))
            run = self.running
            if run is not None and not run.closed and run.unit in (None, (year, k)):
                heapq.heappush(run.pending, (pagefind_order(relative), relative, small))
            self.filling[year] = (k, n + 1)
            self.pages += 1
            if n + 1 >= self.size:
                self._complete(year)
        self.written[year] += 1
        if self.written[year] == self.expected[year]:
            self._complete(year)
        if self.single and self.split:  # more pages than expected: parts after all, no single stream
            self.single = False
            if self.running is not None and self.running.unit is None:
                self._stop()
        self._poll()

    def _trace(self, event: str, run: _Run | None, **values: object) -> None:
        if TRACE:
            with open(TRACE, "a", encoding="utf-8") as trace:
                trace.write(json.dumps({"t": time.monotonic(), "event": event, "part": run.name if run else None,
                                        "pages": self.pages, "seen": len(self.seen), **values}) + "\n")

    def _complete(self, year: int | None) -> None:
        if year in self.filling:
            k, n = self.filling.pop(year)
            self.units[(year, k)] = n
            self.slices[year] = k + 1
            self.queue.append((year, k))

    def _poll(self, wait: bool = False) -> None:
        """Feeds the stream, notes a finished run of Pagefind and starts the next (``wait``: until none is left)."""
        while True:
            run = self.running
            if run is not None:
                if not run.closed:
                    self._feed(run)
                if self.running is not run:  # started again, in order
                    continue
                if not run.closed:
                    return
                try:
                    code = (run.process.wait(max(self.deadline - time.monotonic(), 0.01)) if wait
                            else run.process.poll())
                except subprocess.TimeoutExpired:
                    code = None
                if code is None:
                    if time.monotonic() < self.deadline:
                        return
                    self._stop()
                    self.error = SearchIndexError(
                        f"站内搜索索引在 {self.timeout:.0f} 秒内未生成完毕，已放弃；网站其余部分已生成，原有的搜索索引保持不变")
                    return
                self.running = None
                self._trace("end", run)
                self._finished(run, code)
            if self.error is not None:
                return
            if self.split and self.queue:
                self._start(self.queue[0])
            elif self.single and not self.single_started and self.pages:
                self._start(None)
            elif (stream := self._stream()) is not None:
                self._start(stream)
            else:
                return
            if not wait and self.running is not None and self.running.closed:
                return

    def _stream(self) -> Unit | None:
        """The unit whose run may start before it is complete: the slice being filled of the year
        of the page written last, once the index is likely in parts."""
        if self.finishing or not self.seen or not self._likely_split():
            return None
        year = self.last_year
        return (year, self.filling[year][0]) if year in self.filling else None

    def _pages_of(self, unit: Unit | None) -> list[tuple[str, str]]:
        """The pages of a unit's run (None: every unit's, the single part), in Pagefind's order."""
        units = [unit] if unit is not None else list(self.held)
        return sorted((page for u in units for page in self.held.get(u, [])), key=lambda p: pagefind_order(p[0]))

    def _bound(self, key: int | None | str) -> tuple[int, int, str] | None:
        """The order of the first expected page of ``key`` (a year, or every page) not yet written."""
        names, at = self.ordered.get(key, []), self.upcoming[key]
        while at < len(names) and names[at] in self.seen:
            at += 1
        self.upcoming[key] = at
        return pagefind_order(names[at]) if at < len(names) else None

    def _feed(self, run: _Run) -> None:
        """Gives a stream the pages it may have; all of them, and asks for the index, once its unit is complete."""
        if run.unit in self.units if run.unit is not None else self.finishing:
            if not self.split and run.unit is not None:  # the index may still be one part: the run waits
                return
            pages = self._pages_of(run.unit)
            if [relative for relative, _ in pages[:len(run.sent)]] != run.sent:  # a page came out of order
                self._trace("again", run)
                self._stop()
                self._start(run.unit, stream=False)
            else:
                self._close(run, pages[len(run.sent):])
            return
        bound = self._bound(SINGLE if run.unit is None else run.unit[0])
        given = []
        while run.pending and (bound is None or run.pending[0][0] < bound):
            _, relative, small = heapq.heappop(run.pending)
            given.append((relative, small))
        if given:
            run.sent.extend(relative for relative, _ in given)
            run.service.give(given)

    def _start(self, unit: Unit | None, *, stream: bool = True) -> None:
        """Starts Pagefind's run for ``unit`` (None: the single part): complete, it is given every
        page; else (a stream) the pages it may have, the others as they come."""
        if unit is not None and unit in self.queue:
            self.queue.remove(unit)
        name = SINGLE if unit is None else _unit_dir(unit)
        output = self.fresh / name
        log = tempfile.TemporaryFile()  # noqa: SIM115 - closed when the run ends (_finished, _stop)
        try:
            process = subprocess.Popen(pagefind_service_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=log)
        except OSError as error:
            log.close()
            self.error = SearchIndexError(_failure_message(None, str(error)))
            return
        self.single_started |= unit is None
        run = self.running = _Run(name, unit, process, _Service(process, output), output, log)
        self._trace("start", run, stream=stream)
        if stream:
            run.pending = [(pagefind_order(relative), relative, small) for relative, small in self._pages_of(unit)]
            heapq.heapify(run.pending)
            self._feed(run)
        else:
            self._close(run, self._pages_of(unit))

    def _close(self, run: _Run, pages: list[tuple[str, str]]) -> None:
        """Gives a run its last pages and asks for the index: its pages are no longer held here."""
        self._trace("close", run, given=len(run.sent), left=len(pages))
        run.service.give(pages)
        run.service.close()
        run.closed = True
        for unit in [run.unit] if run.unit is not None else list(self.held):
            self.held.pop(unit, None)
            if unit in self.queue:
                self.queue.remove(unit)

    def _finished(self, run: _Run, code: int) -> None:
        run.service.thread.join()
        run.log.seek(0)
        output = run.log.read().decode("utf-8", "replace")
        run.log.close()
        if code != 0 or run.service.errors or not run.service.written or not (run.output / "pagefind.js").is_file():
            self.error = SearchIndexError(_failure_message(code, "\n".join([output, *run.service.errors])))
            return

    def _stop(self) -> None:
        run, self.running = self.running, None
        if run is not None:
            run.process.kill()
            run.process.wait()
            run.service.thread.join()
            run.log.close()

    def finish(self) -> SearchIndex:
        """Takes the pages not given to :meth:`add` from disk, indexes what is left and swaps the
        new index in whole: the index's folder, with every page written under ``site_dir``."""
        self._trace("finish", self.running)
        try:
            for relative, path in _pages(self.site_dir):
                if self.error is not None:
                    break
                if relative not in self.seen:
                    self.add(relative, path.read_text(encoding="utf-8", errors="replace"))
            self.finishing = True
            self._trace("walked", self.running)
            for year in sorted(self.filling, key=lambda y: _unit_order((y, 0))):
                self._complete(year)
            if self.error is None and not self.split:  # one part, of every unit
                if self.running is not None and self.running.unit is not None:
                    self._stop()  # a unit's stream: the index is one part after all
                if not self.single_started:
                    self._start(None, stream=False)
            self._poll(wait=True)
            if self.error is not None:
                raise self.error
            units = sorted(self.units, key=_unit_order)
            parts = ([{"dir": SINGLE, "years": sorted({y for y, _ in units if y is not None})}] if not self.split else
                     [{"dir": _unit_dir(u), "years": [u[0]] if u[0] is not None else []} for u in units])
            # The box's first part (its Pagefind script and WebAssembly): the pages without a year
            # when they have a part of their own, else the newest year's.
            self.fresh.mkdir(parents=True, exist_ok=True)
            (self.fresh / PARTS_FILE).write_text(json.dumps({"hub": parts[-1]["dir"], "parts": parts},
                                                            ensure_ascii=False), encoding="utf-8")
        except BaseException:
            self.abort()
            raise
        target, stale = self.site_dir / INDEX_DIR, self.site_dir / f".{INDEX_DIR}.old"
        if target.exists():
            target.rename(stale)
        self.fresh.rename(target)
        shutil.rmtree(stale, ignore_errors=True)
        return SearchIndex(target, self.pages, time.perf_counter() - self.started,
                           tuple(str(p["dir"]) for p in parts))

    def abort(self) -> None:
        """Stops Pagefind and removes the index made so far (the build failed): the old index stays."""
        self._stop()
        self.error = self.error or SearchIndexError("站内搜索索引未生成完毕，已放弃")
        self.held.clear()
        shutil.rmtree(self.fresh, ignore_errors=True)


def build_search_index(site_dir: Path, *, timeout: float = TIMEOUT_SECONDS) -> SearchIndex:
    """Indexes the built site in ``site_dir`` (every page read from disk) into ``site_dir/pagefind``,
    replacing the old index whole."""
    return Indexer(site_dir, timeout=timeout).finish()


def _failure_message(code: int | None, output: str) -> str:
    output = output.strip()
    if (code is None or "No module named pagefind" in output or "pagefind_bin" in output
            or "executable" in output.lower()):
        return ("找不到站内搜索工具 Pagefind：请在本项目的 Python 环境中安装它"
                "（pip install -e . 或 pip install \"pagefind[extended]\"），再生成网站")
    tail = "\n".join(output.splitlines()[-8:])
    return f"站内搜索索引生成失败（Pagefind 退出码 {code}），原有的搜索索引保持不变：\n{tail}"


# --- the index in a process of its own -------------------------------------------------------

# The worker runs this file by its path, with the standard library only (not the gongkai package
# and its imports): the process stays small.
_WORKER = "import runpy, sys; del sys.path[0]; runpy.run_path(sys.argv[1], run_name='__main__')"
_PIPE_BYTES = 1 << 20  # the pipe to the worker (Linux: F_SETPIPE_SZ): the build seldom waits for it
_STOP_SECONDS = 30


class IndexerProcess:
    """An :class:`Indexer` in a process of its own: the build hands over each page's
    :func:`indexed_part` as the page is written and goes on writing; reading it, making its
    small page and running Pagefind take the machine's other core. The same methods as
    :class:`Indexer`; :meth:`abort`, or the build's process ending, stops the worker and Pagefind."""

    def __init__(self, site_dir: Path, expected: Iterable[str] = (), *, limit: int | None = None,
                 timeout: float = TIMEOUT_SECONDS) -> None:
        self.error: SearchIndexError | None = None
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - the worker's own errors, for the message; closed by finish
        self.process = subprocess.Popen([sys.executable, "-c", _WORKER, str(Path(__file__).resolve())],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log)
        assert self.process.stdin is not None
        self.stdin = self.process.stdin
        try:
            import fcntl  # Linux and the BSDs; elsewhere the pipe keeps its size

            fcntl.fcntl(self.stdin.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_BYTES)
        except (ImportError, OSError):
            pass
        settings = {"site": str(site_dir), "expected": list(expected), "timeout": timeout,
                    "limit": PART_PAGES if limit is None else limit}
        self._send(json.dumps(settings, ensure_ascii=False).encode("utf-8") + b"\n")

    def _send(self, data: bytes) -> None:
        if self.error is not None:
            return
        try:
            self.stdin.write(data)
        except OSError:  # the worker ended
            self.error = self._failed()

    def _failed(self) -> SearchIndexError:
        self.process.wait()
        self.log.seek(0)
        tail = "\n".join(self.log.read().decode("utf-8", "replace").strip().splitlines()[-8:])
        return SearchIndexError(f"站内搜索索引生成失败（索引进程退出码 {self.process.returncode}），原有的搜索索引保持不变：\n{tail}")

    def add(self, relative: str, page: str) -> None:
        """Hands the page written at ``relative`` (under the site) over to the worker."""
        part = indexed_part(page)
        data = b"" if part is None else part.encode("utf-8")
        size = "-" if part is None else str(len(data))
        self._send(f"P {size} {json.dumps(relative, ensure_ascii=False)}\n".encode() + data)

    def finish(self) -> SearchIndex:
        """The worker reads the pages it was not given from disk, indexes what is left and swaps the index in."""
        try:
            self._send(b"F\n")
            if self.error is None:
                with contextlib.suppress(OSError):
                    self.stdin.close()
                assert self.process.stdout is not None
                reply = self.process.stdout.read()
                self.process.wait()
                try:
                    answer = json.loads(reply)
                except ValueError:
                    raise self._failed() from None
                if "error" in answer:
                    raise SearchIndexError(answer["error"])
                return SearchIndex(Path(answer["folder"]), answer["pages"], answer["seconds"], tuple(answer["parts"]))
            raise self.error
        except BaseException:
            self.abort()
            raise
        finally:
            self.log.close()

    def abort(self) -> None:
        """Stops the worker, which stops Pagefind and removes the index made so far."""
        self.error = self.error or SearchIndexError("站内搜索索引未生成完毕，已放弃")
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.stdin.close()  # the end of its input before "F": the worker aborts
            try:
                self.process.wait(_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def _work(source: BinaryIO, answer: BinaryIO) -> int:
    """The worker's side of :class:`IndexerProcess`: settings, then the pages, then "F" (finish)."""
    settings = json.loads(source.readline())
    indexer = Indexer(Path(settings["site"]), settings["expected"], limit=settings["limit"],
                      timeout=settings["timeout"])
    try:
        while (line := source.readline()).startswith(b"P "):
            _, size, relative = line.decode("utf-8").rstrip("\n").split(" ", 2)
            part = None if size == "-" else source.read(int(size)).decode("utf-8")
            indexer.take(json.loads(relative), part)
        if line != b"F\n":  # the build ended without finishing: no index
            indexer.abort()
            return 1
        try:
            index = indexer.finish()
        except SearchIndexError as error:
            reply: dict[str, object] = {"error": str(error)}
        else:
            reply = {"folder": str(index.folder), "pages": index.pages, "seconds": index.seconds,
                     "parts": list(index.parts)}
    except BaseException:
        indexer.abort()
        raise
    answer.write(json.dumps(reply, ensure_ascii=False).encode("utf-8"))
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped: abort (Pagefind too) on the way out
    sys.exit(_work(sys.stdin.buffer, sys.stdout.buffer))
