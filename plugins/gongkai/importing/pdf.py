"""PDF reports, read from their text layer with pdfplumber.

Ruled tables are read by their cell geometry: one paragraph per table row, one cell per table
cell, an empty cell a blank token, a cell covered by a merged neighbour left out. Text outside
tables is read line by line, words apart by more than a character's width being separate cells
(a table without rules). A PDF without a text layer (a scan) is refused with a clear message.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..marks import Mark
from ..rules import Where, finding
from .normalize import clean_space
from .source import Paragraph, Source, UnreadableSource

BLANK = ""  # an empty table cell (``tables.BLANK``)
MIN_CHARACTERS_PER_PAGE = 20  # fewer on average: no text layer worth the name (a scan, page numbers at most)
MIN_RUNNING = 6  # characters: a shorter line repeated on several pages (无。) is text, not a running header
# A line opening with a section or item number starts a paragraph of its own.
HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])")
LINE_TOLERANCE = 3  # points: words whose tops differ by less are on one line
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@dataclass
class _Block:
    """A table row or a line of text on a page, with where it stands."""

    cells: list[str]
    page: int
    top: float
    x0: float = 0.0
    x1: float = 0.0
    size: float = 10.0
    text_line: bool = False  # a line of text outside the tables


def read_pdf(raw: bytes, path: Path, display_path: str | None = None) -> Source:
    """Paragraphs and table rows of every page, top to bottom; ``line`` counts them (PDFs have no lines)."""
    import pdfplumber  # imported late: only PDF imports pay for it
    from pdfminer.pdfparser import PDFSyntaxError

    display = display_path or str(path)
    blocks: list[_Block] = []
    characters = pages = 0
    try:
        with pdfplumber.open(io.BytesIO(raw)) as document:
            for number, page in enumerate(document.pages, start=1):
                blocks += _page_blocks(page, number)
                characters += sum(1 for c in page.chars if c.get("text", "").strip())
                pages += 1
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as error:
        raise UnreadableSource([finding("import-pdf-unreadable", Where.at(display), reason=str(error) or
                                        type(error).__name__)]) from None
    except Exception as error:  # pdfminer raises its own types for damaged or encrypted files
        if type(error).__module__.startswith(("pdfminer", "pdfplumber")):
            raise UnreadableSource([finding("import-pdf-unreadable", Where.at(display),
                                            reason=str(error) or type(error).__name__)]) from None
        raise
    if characters < MIN_CHARACTERS_PER_PAGE * max(pages, 1):  # a scan (at most a stamped page number)
        raise UnreadableSource([finding("import-scanned-pdf", Where.at(display, Mark(1, 1)))])
    paragraphs: list[Paragraph] = []
    for cells, page_number in _paragraphs(_without_running_lines(blocks)):
        text = clean_space(" ".join(c for c in cells if c))
        paragraphs.append(Paragraph(text, len(paragraphs) + 1, tuple(cells), f"第 {page_number} 页"))
    return Source(path=path, display_path=display, paragraphs=paragraphs)


def _without_running_lines(blocks: list[_Block]) -> list[_Block]:
    """Running headers and footers: a line of text printed again on later pages is kept only the first time."""
    pages: dict[str, set[int]] = {}
    for block in blocks:
        if block.text_line:
            pages.setdefault(" ".join(block.cells), set()).add(block.page)
    repeated = {text for text, found in pages.items() if len(found) > 1 and len(text) >= MIN_RUNNING}
    seen: set[str] = set()
    kept = []
    for block in blocks:
        text = " ".join(block.cells)
        if block.text_line and text in repeated:
            if text in seen:
                continue
            seen.add(text)
        kept.append(block)
    return kept


def _paragraphs(blocks: list[_Block]) -> list[tuple[list[str], int]]:
    """Lines of a paragraph wrapped at the right margin joined again; table rows and headings stay apart."""
    margins: dict[int, tuple[float, float]] = {}
    for block in blocks:
        if block.text_line:
            left, right = margins.get(block.page, (block.x0, block.x1))
            margins[block.page] = (min(left, block.x0), max(right, block.x1))
    out: list[tuple[list[str], int]] = []
    previous: _Block | None = None
    for block in blocks:
        joined = False
        if (previous is not None and block.text_line and previous.text_line and len(block.cells) == 1
                and len(previous.cells) == 1 and not HEADING_START.match(block.cells[0])):
            _, right = margins[previous.page]
            left, _ = margins[block.page]
            if previous.x1 >= right - 1.5 * previous.size and block.x0 <= left + 0.5 * block.size:
                out[-1][0][0] = _join_lines(out[-1][0][0] + "\n" + block.cells[0])
                joined = True
        if not joined:
            out.append((list(block.cells), block.page))
        previous = block
    return out


def _page_blocks(page: Any, number: int) -> list[_Block]:
    """The page's tables (row by row) and its other text lines, in order from the top."""
    tables = page.find_tables()
    placed: list[_Block] = []
    boxes = []
    for table in tables:
        boxes.append(table.bbox)
        for row, texts in zip(table.rows, table.extract()):
            cells = [_join_lines(text) for text in texts if text is not None]  # None: covered by a merged cell
            top = min((b[1] for b in row.cells if b is not None), default=table.bbox[1])
            placed.append(_Block(cells, number, top))
    words = [w for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)
             if not any(_inside(w, box) for box in boxes)]
    placed += [_Block(cells, number, top, x0, x1, size, True) for top, x0, x1, size, cells in _lines(words)]
    placed.sort(key=lambda block: (round(block.top, 1), block.x0))
    return [block for block in placed if block.cells]


def _inside(word: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _lines(words: list[dict[str, Any]]) -> list[tuple[float, float, float, float, list[str]]]:
    """Words grouped into lines; a gap wider than about two characters separates cells."""
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if rows and abs(rows[-1][0]["top"] - word["top"]) < LINE_TOLERANCE:
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        cells: list[str] = []
        previous = None
        for word in row:
            size = word["bottom"] - word["top"] or 10
            if previous is not None and word["x0"] - previous["x1"] < size * 1.5:
                cells[-1] += word["text"] if _CJK.search(cells[-1][-1:] + word["text"][:1]) else " " + word["text"]
            else:
                cells.append(word["text"])
            previous = word
        size = max(w["bottom"] - w["top"] for w in row) or 10
        lines.append((row[0]["top"], row[0]["x0"], row[-1]["x1"], size, cells))
    return lines


def _join_lines(text: str) -> str:
    """A cell's text wrapped over lines, joined (no space between Chinese characters)."""
    parts = [clean_space(p) for p in text.splitlines() if clean_space(p)]
    joined = ""
    for part in parts:
        if joined and not (_CJK.search(joined[-1]) or _CJK.search(part[0])):
            joined += " "
        joined += part
    return joined
