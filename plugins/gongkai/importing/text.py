"""Text copied from a web page or a PDF: one cell per line, or several separated by spaces/tabs."""

from __future__ import annotations

from pathlib import Path

from .normalize import clean_space
from .source import Paragraph, Source


def read_text(text: str, path: Path, display_path: str | None = None) -> Source:
    """Each non-blank line is a paragraph; its cells are the pieces between spaces or tabs."""
    paragraphs = []
    for number, line in enumerate(text.splitlines(), start=1):
        clean = clean_space(line)
        if clean:
            paragraphs.append(Paragraph(clean, number, tuple(clean.split(" "))))
    return Source(path=path, display_path=display_path or str(path), paragraphs=paragraphs)
