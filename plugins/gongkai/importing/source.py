"""The intermediate every reader produces: paragraphs of text cells, in reading order."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..rules import Where, finding


@dataclass(frozen=True)
class Token:
    """One cell (or a whole paragraph) of the source, with where it stands."""

    text: str
    line: int  # 1-based line of the source (for .docx: paragraph or table row, counted in order)
    paragraph: int  # index into ``Source.paragraphs``
    where: str = ""  # extra position a line number does not give, e.g. 第 2 个表格第 5 行

    @property
    def location(self) -> str:
        return self.where or f"第 {self.line} 行"


@dataclass(frozen=True)
class Paragraph:
    """A line of text, a ``<p>`` or a table cell; ``cells`` are its tokens (a line may hold several)."""

    text: str
    line: int
    cells: tuple[str, ...]
    where: str = ""


@dataclass
class Source:
    """A report source read into paragraphs; ``titles`` are page titles (HTML ``<title>``, Word title)."""

    path: Path
    display_path: str
    paragraphs: list[Paragraph]
    titles: list[str] = field(default_factory=list)
    origin: str = ""  # the address the page names as its own (canonical link), if any

    def tokens(self) -> list[Token]:
        return [
            Token(cell, paragraph.line, index, paragraph.where)
            for index, paragraph in enumerate(self.paragraphs)
            for cell in paragraph.cells
        ]


class UnreadableSource(Exception):
    """The source cannot be read as a report; ``findings`` say where and why."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


def source_error(source: Source | str, rule: str, token: Token | None = None, label: str = "",
                 **fields: Any) -> Finding:
    """An import finding of ``rule`` (fields as ``rules.finding`` takes), at the token's line when one is known."""
    display = source.display_path if isinstance(source, Source) else source
    where = Where.at(display, token, (), label, token.where if token is not None else "")
    return finding(rule, where, **fields)
