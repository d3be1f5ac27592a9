"""PDF reports, read from their text layer with pdfplumber.

Ruled tables are read by their cell geometry: one paragraph per table row, one cell per table
cell, an empty cell a blank token, a cell covered by a merged neighbour left out. Text outside
tables is read line by line, words apart by more than a character's width being separate cells
(a table without rules). A PDF without a text layer (a scan) is refused with a clear message.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from ..loading import Mark
from ..rules import Where, finding
from .normalize import clean_space
from .source import Paragraph, Source, UnreadableSource

BLANK = ""  # an empty table cell (``tables.BLANK``)
LINE_TOLERANCE = 3  # points: words whose tops differ by less are on one line
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def read_pdf(raw: bytes, path: Path, display_path: str | None = None) -> Source:
    """Paragraphs and table rows of every page, top to bottom; ``line`` counts them (PDFs have no lines)."""
    import pdfplumber  # imported late: only PDF imports pay for it
    from pdfminer.pdfparser import PDFSyntaxError

    display = display_path or str(path)
    paragraphs: list[Paragraph] = []
    any_text = False
    try:
        with pdfplumber.open(io.BytesIO(raw)) as document:
            for number, page in enumerate(document.pages, start=1):
                blocks = _page_blocks(page)
                any_text = any_text or bool(page.chars)
                for cells in blocks:
                    text = clean_space(" ".join(c for c in cells if c))
                    paragraphs.append(Paragraph(text, len(paragraphs) + 1, tuple(cells), f"第 {number} 页"))
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as error:
        raise UnreadableSource([finding("import-pdf-unreadable", Where.at(display), reason=str(error) or
                                        type(error).__name__)]) from None
    except Exception as error:  # pdfminer raises its own types for damaged or encrypted files
        if type(error).__module__.startswith(("pdfminer", "pdfplumber")):
            raise UnreadableSource([finding("import-pdf-unreadable", Where.at(display),
                                            reason=str(error) or type(error).__name__)]) from None
        raise
    if not any_text:
        raise UnreadableSource([finding("import-scanned-pdf", Where.at(display, Mark(1, 1)))])
    return Source(path=path, display_path=display, paragraphs=paragraphs)


def _page_blocks(page: Any) -> list[list[str]]:
    """The page's tables (row by row) and its other text lines, in order from the top."""
    tables = page.find_tables()
    placed: list[tuple[float, float, list[str]]] = []
    boxes = []
    for table in tables:
        boxes.append(table.bbox)
        for row, texts in zip(table.rows, table.extract()):
            cells = [_join_lines(text) for text in texts if text is not None]  # None: covered by a merged cell
            top = min((b[1] for b in row.cells if b is not None), default=table.bbox[1])
            placed.append((top, 0.0, cells))
    words = [w for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)
             if not any(_inside(w, box) for box in boxes)]
    for top, x0, line in _lines(words):
        placed.append((top, x0, line))
    placed.sort(key=lambda item: (round(item[0], 1), item[1]))
    return [cells for _, _, cells in placed if cells]


def _inside(word: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _lines(words: list[dict[str, Any]]) -> list[tuple[float, float, list[str]]]:
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
        lines.append((row[0]["top"], row[0]["x0"], cells))
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
