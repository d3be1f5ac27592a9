"""Pick the reader for a source by its name and content; decode text the way Chinese sites do."""

from __future__ import annotations

from pathlib import Path

from ..limits import MAX_SOURCE_BYTES, LimitExceeded, read_regular_file
from ..rules import Where, finding
from .source import Source, UnreadableSource, source_error

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")  # many government sites still serve GBK


def decode(raw: bytes, display: str) -> str:
    marked = "utf-32" if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")) else (
        "utf-16" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else None)  # Notepad's "Unicode": UTF-16 with its mark
    if marked:
        try:
            return raw.decode(marked)
        except UnicodeDecodeError:
            pass
    for encoding in TEXT_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableSource([source_error(display, "import-encoding")])


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:2000].lower()
    return head.startswith("<") and any(tag in head for tag in ("<html", "<!doctype html", "<body", "<table", "<p", "<div"))


def read_source(path: Path, display_path: str | None = None) -> Source:
    """Read one source file (text, HTML, PDF or .docx) into paragraphs of cells."""
    display = display_path or str(path)
    suffix = path.suffix.lower()
    if suffix in (".doc", ".wps"):
        raise UnreadableSource([source_error(display, "import-unsupported-file", variant="old-word")])
    try:
        raw = read_regular_file(path, MAX_SOURCE_BYTES)
    except LimitExceeded as refusal:
        raise UnreadableSource([finding(refusal.rule, Where(display), **refusal.fields)]) from None
    except OSError as error:
        raise UnreadableSource([source_error(display, "file-unreadable", reason=error.strerror)]) from None
    if suffix == ".pdf" or raw.startswith(b"%PDF-"):
        from .pdf import read_pdf

        return read_pdf(raw, path, display)
    if suffix == ".docx":
        from .docx import read_docx

        return read_docx(raw, path, display)
    text = decode(raw, display)
    if suffix in HTML_SUFFIXES or _looks_like_html(text):
        from .html import read_html

        return read_html(text, path, display)
    from .text import read_text

    return read_text(text, path, display)
