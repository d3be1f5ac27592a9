"""HTML pages (CMS pages, Word saved as HTML, gongkai's own pages), read with the stdlib parser.

Every block element, ``<br>`` and table cell ends a paragraph; a cell is read once whatever its
rowspan/colspan (the table reader walks cells in reading order, not a grid). Text inside
``<span>``/``<font>`` joins up, ``&nbsp;`` is a space, full-width digits are read as digits.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from .normalize import clean_space
from .source import Paragraph, Source

BLOCK_TAGS = frozenset(
    "address article blockquote body caption center dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 header hr "
    "li main ol p pre section table tbody td tfoot th thead tr ul br".split()
)
CELL_TAGS = frozenset({"td", "th"})
BLANK = ""  # an empty table cell (``tables.BLANK``)
MERGED_CELL_MAX = 160  # characters: a longer cell (a layout cell around the article) keeps its paragraphs
# Content that is never part of the report: scripts, and the site's own navigation and footer.
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "nav", "footer", "aside", "button",
                          "select", "iframe", "object"})
VOID_TAGS = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "wbr"})
# Spaces between two Chinese characters come from line breaks in the HTML source, not the text.
_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[Paragraph] = []
        self.titles: list[str] = []
        self.parts: list[str] = []
        self.line = 0
        self.skipping: list[str] = []
        self.in_title = False
        self.cells: list[bool] = []  # per open <table>: inside a cell? A cell is never split at spaces
        # per open <table>: paragraphs before the current cell's first (None: the cell holds a table)
        self.starts: list[int | None] = []
        self.origin = ""  # <link rel="canonical"> or og:url: where the page was published
        self.scripts: list[str] = []  # script bodies: some CMS pages carry the report in a string
        self.in_script = False

    def flush(self) -> None:
        text = _CJK_GAP.sub("", clean_space("".join(self.parts)))
        self.parts = []
        if not text:
            return
        cells = (text,) if self.cells and self.cells[-1] else tuple(text.split(" "))
        self.paragraphs.append(Paragraph(text, self.line, cells))

    def in_cell(self) -> bool:
        return bool(self.cells and self.cells[-1])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and not self.skipping:
            self.in_script = True
        if self.skipping:
            if tag == self.skipping[-1] and tag not in VOID_TAGS:
                self.skipping.append(tag)
            return
        self.note_origin(tag, attrs)
        if tag in SKIPPED_TAGS:
            self.skipping.append(tag)
        elif tag == "title":
            self.in_title = True
        elif tag in BLOCK_TAGS:
            self.flush()
            self.track_cells(tag, opening=True)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.note_origin(tag, attrs)
        if not self.skipping and tag in BLOCK_TAGS:
            self.flush()

    def note_origin(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("link", "meta") and not self.origin:
            found = dict(attrs)
            if found.get("rel") == "canonical" or found.get("property") == "og:url":
                self.origin = (found.get("href") or found.get("content") or "").strip()

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
                if tag == "script":
                    self.in_script = False
            return
        if tag == "title":
            self.in_title = False
        elif tag in BLOCK_TAGS:
            self.flush()
            self.track_cells(tag, opening=False)

    def track_cells(self, tag: str, opening: bool) -> None:
        """Unclosed cells (sloppy markup) end at the next cell, row or the table's end."""
        if tag == "table":
            if opening:
                if self.in_cell():
                    self.starts[-1] = None  # a layout cell around a table: its paragraphs stay apart
                self.cells.append(False)
                self.starts.append(None)
            elif self.cells:
                if self.cells[-1]:
                    self.end_cell()
                self.cells.pop()
                self.starts.pop()
        elif self.cells and (tag in CELL_TAGS or tag == "tr"):
            if self.cells[-1]:  # the cell ends (an unclosed one at the next cell or row)
                self.end_cell()
            self.cells[-1] = opening and tag in CELL_TAGS
            if self.cells[-1]:
                self.starts[-1] = len(self.paragraphs)

    def end_cell(self) -> None:
        """A cell's text split over several <p>/<span>/<br> is one cell; an empty cell is a blank token."""
        start = self.starts[-1]
        self.cells[-1] = False
        if start is None:
            return
        pieces = self.paragraphs[start:]
        if not pieces:
            self.paragraphs.append(Paragraph(BLANK, self.line, (BLANK,)))  # an empty cell, as published
        elif len(pieces) > 1 and sum(len(p.text) for p in pieces) <= MERGED_CELL_MAX:
            text = "".join(p.text for p in pieces)
            self.paragraphs[start:] = [Paragraph(text, pieces[0].line, (text,))]

    def handle_data(self, data: str) -> None:
        if self.skipping:
            if self.in_script:
                self.scripts.append(data)
            return
        if self.in_title:
            self.titles.append(clean_space(data))
            return
        if not self.parts or not "".join(self.parts).strip():
            line, _ = self.getpos()
            self.line = line + data[: len(data) - len(data.lstrip())].count("\n")
        self.parts.append(data)

    def close(self) -> None:
        super().close()
        self.flush()


def read_html(text: str, path: Path, display_path: str | None = None) -> Source:
    """Paragraphs and table cells of an HTML page, in reading order, with their source lines.

    A page whose visible text holds no report but whose script carries one in a string (some CMS
    pages write the article with ``document.write`` or set it from a variable) is read from there.
    """
    collector = _Collector()
    collector.feed(text)
    collector.close()
    titles = [t for t in collector.titles if t]
    visible = "".join(p.text for p in collector.paragraphs)
    if REPORT_MARK not in visible:
        embedded = [markup for script in collector.scripts for markup in script_strings(script) if REPORT_MARK in markup]
        if embedded:
            inner = _Collector()
            inner.feed(max(embedded, key=len))
            inner.close()
            return Source(path=path, display_path=display_path or str(path), paragraphs=inner.paragraphs,
                          titles=titles, origin=collector.origin)
    return Source(path=path, display_path=display_path or str(path), paragraphs=collector.paragraphs,
                  titles=titles, origin=collector.origin)


REPORT_MARK = "总体情况"
_JS_STRING = re.compile(r"""'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`""", re.DOTALL)
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.DOTALL)
_JS_SIMPLE = {"n": "\n", "t": "\t", "r": "", "b": "", "f": "", "v": "", "0": ""}


def script_strings(script: str) -> list[str]:
    """The string literals of a script, unescaped, adjacent ``'a' + 'b'`` pieces joined."""
    pieces: list[str] = []
    last_end = None
    for match in _JS_STRING.finditer(script):
        raw = next(g for g in match.groups() if g is not None) if any(g is not None for g in match.groups()) else ""
        text = _JS_ESCAPE.sub(_unescape, raw)
        between = script[last_end: match.start()] if last_end is not None else None
        if pieces and between is not None and between.strip() in ("+", ""):
            pieces[-1] += text
        else:
            pieces.append(text)
        last_end = match.end()
    return pieces


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] in "ux" and len(code) > 1:
        return chr(int(code[1:], 16))
    return _JS_SIMPLE.get(code, code)
