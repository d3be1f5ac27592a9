"""Word documents (.docx) via python-docx: paragraphs and tables in document order.

python-docx repeats a merged cell for every grid position it covers; each cell is read
once, keyed by its underlying ``<w:tc>`` element. A cell's paragraphs make one cell; an empty
cell is a blank token (a blank cell as published).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.opc.exceptions import OpcError
from docx.table import Table
from docx.text.paragraph import Paragraph as WordParagraph
from lxml.etree import LxmlError  # type: ignore[import-untyped]

from ..limits import LimitExceeded, check_zip
from ..rules import Where, finding
from .normalize import clean_space
from .source import Paragraph, Source, UnreadableSource, source_error

# What python-docx raises on a damaged package: broken XML, missing parts, parts of the wrong kind.
_DAMAGED = (OpcError, LxmlError, AttributeError, TypeError, IndexError, NotImplementedError, EOFError, OSError,
            RecursionError)  # tables nested past Python's stack


class _Walker:
    def __init__(self) -> None:
        self.paragraphs: list[Paragraph] = []
        self.line = 0  # paragraphs and table rows, counted in document order
        self.tables = 0
        self.body_paragraphs = 0

    def body(self, items: Iterator[WordParagraph | Table]) -> None:
        for item in items:
            if isinstance(item, Table):
                self.table(item)
            else:
                self.line += 1
                self.body_paragraphs += 1
                text = clean_space(item.text)
                if text:
                    self.paragraphs.append(Paragraph(text, self.line, tuple(text.split(" ")),
                                                     f"第 {self.body_paragraphs} 段"))

    def table(self, table: Table) -> None:
        self.tables += 1
        number = self.tables
        seen: set[object] = set()  # the <w:tc> elements themselves, kept alive so identity holds
        for row_number, row in enumerate(table.rows, start=1):
            self.line += 1
            where = f"第 {number} 个表格第 {row_number} 行"
            for cell in row.cells:
                if cell._tc in seen:
                    continue
                seen.add(cell._tc)
                texts: list[str] = []  # a cell's paragraphs are one cell; an empty cell is a blank token
                nested = False
                for item in cell.iter_inner_content():
                    if isinstance(item, Table):
                        nested = True
                        self.table(item)
                        continue
                    text = clean_space(item.text)
                    if text:
                        texts.append(text)
                if texts or not nested:
                    text = "".join(texts)
                    self.paragraphs.append(Paragraph(text, self.line, (text,), where))


def read_docx(raw: bytes, path: Path, display_path: str | None = None) -> Source:
    """Paragraphs and table cells of a .docx, in document order."""
    display = display_path or str(path)
    try:
        check_zip(raw)  # before python-docx decompresses anything
    except LimitExceeded as refusal:
        raise UnreadableSource([finding(refusal.rule, Where(display), **refusal.fields)]) from None
    try:
        document = docx.Document(io.BytesIO(raw))
        walker = _Walker()
        walker.body(document.iter_inner_content())
        title = clean_space(document.core_properties.title or "")
    except (zipfile.BadZipFile, KeyError, ValueError, *_DAMAGED) as error:
        raise UnreadableSource([source_error(display, "import-unsupported-file", error=str(error))]) from None
    return Source(path=path, display_path=display, paragraphs=walker.paragraphs, titles=[title] if title else [])
