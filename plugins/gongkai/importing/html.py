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

    def flush(self) -> None:
        text = _CJK_GAP.sub("", clean_space("".join(self.parts)))
        self.parts = []
        if not text:
            return
        cells = (text,) if self.cells and self.cells[-1] else tuple(text.split(" "))
        self.paragraphs.append(Paragraph(text, self.line, cells))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag == self.skipping[-1] and tag not in VOID_TAGS:
                self.skipping.append(tag)
            return
        if tag in SKIPPED_TAGS:
            self.skipping.append(tag)
        elif tag == "title":
            self.in_title = True
        elif tag in BLOCK_TAGS:
            self.flush()
            self.track_cells(tag, opening=True)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skipping and tag in BLOCK_TAGS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
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
                self.cells.append(False)
            elif self.cells:
                self.cells.pop()
        elif self.cells and (tag in CELL_TAGS or tag == "tr"):
            self.cells[-1] = opening and tag in CELL_TAGS

    def handle_data(self, data: str) -> None:
        if self.skipping:
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
    """Paragraphs and table cells of an HTML page, in reading order, with their source lines."""
    collector = _Collector()
    collector.feed(text)
    collector.close()
    return Source(path=path, display_path=display_path or str(path), paragraphs=collector.paragraphs,
                  titles=[t for t in collector.titles if t])
