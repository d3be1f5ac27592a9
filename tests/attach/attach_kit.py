"""Reading the attachments back as a reader's tools would: the HTML with html.parser, the Word
document with python-docx; and the reports they are made from (every sample, the archives)."""

from __future__ import annotations

import importlib.util
import io
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

from docx import Document
from docx.document import Document as WordDocument

from gongkai.collection import load_portal
from gongkai.model import Report
from gongkai.sanitizing import render_narrative

REPO = Path(__file__).resolve().parents[2]
ARCHIVES = REPO / "tests" / "site" / "fixtures" / "archived"


def site_module(name: str) -> ModuleType:
    """A helper module of tests/site (``conftest``, ``injection_kit``), loaded under its own name."""
    spec = importlib.util.spec_from_file_location(f"site_{name}", REPO / "tests" / "site" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def sample_reports() -> list[Report]:
    """Every report of the sample portal, and the archived (as-published) fixtures."""
    portal = load_portal([REPO / "reports"], base=REPO)
    archives = load_portal(sorted(ARCHIVES.glob("*.yml")), base=REPO)
    assert portal.ok and archives.ok, portal.findings + archives.findings
    return sorted(portal.reports, key=lambda r: r.key) + archives.reports


# --- HTML ------------------------------------------------------------------------------------


@dataclass
class Cell:
    text: str = ""
    headers: tuple[str, ...] = ()
    hidden: str = ""  # text in a visually hidden span (“空白”)


@dataclass
class ReadHtml(HTMLParser):
    """The tags, the header cells by id, the data cells by path, and the text outside tables."""

    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    header_text: dict[str, str] = field(default_factory=dict)
    cells: dict[str, Cell] = field(default_factory=dict)
    text: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._th: str | None = None
        self._td: Cell | None = None
        self._hidden = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        if tag == "th":
            self._th = values.get("id", "")
            self.header_text[self._th] = ""
        elif tag == "td" and "data-cell" in values:
            self._td = self.cells[values["data-cell"]] = Cell(headers=tuple(values.get("headers", "").split()))
        elif tag == "span" and "position:absolute" in values.get("style", ""):
            self._hidden = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "th":
            self._th = None
        elif tag == "td":
            self._td = None
        elif tag == "span":
            self._hidden = False

    def handle_data(self, data: str) -> None:
        if self._th is not None:
            self.header_text[self._th] += data
        elif self._td is not None:
            if self._hidden:
                self._td.hidden += data
            else:
                self._td.text += data
        self.text.append(data)


def read_html(markup: str) -> ReadHtml:
    reader = ReadHtml()
    reader.feed(markup)
    reader.close()
    return reader


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def narrative_texts(report: Report) -> list[str]:
    """Each run of text of each narrative, as the site renders it (without whitespace)."""
    out = []
    for section in report.sections:
        if section.table is None:
            rendered = read_html(render_narrative(report.narrative.get(section.key, "无。")))
            out.extend(squeeze(t) for t in rendered.text if squeeze(t))
    return out


# --- Word ------------------------------------------------------------------------------------


def read_docx(data: bytes) -> WordDocument:
    return Document(io.BytesIO(data))


def docx_text(document: WordDocument) -> str:
    """Every paragraph's text, in the body and in the tables."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)
