"""A report for a CMS article and as an attachment: every number findable in the HTML fragment,
the one-file page and the Word document; no scripts, no stylesheets, no classes to lose."""

from __future__ import annotations

import io
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document

from gongkai.collection import load_portal
from gongkai.embedding import cell_text, report_docx, report_fragment, report_page_html
from gongkai.forms import FIRST_GRID_ROW, form_layout
from gongkai.model import Report
from gongkai.rendering import table_layout

REPO = Path(__file__).resolve().parents[2]
SAMPLES = {"2021": REPO / "reports" / "shifan-zhen" / "2024.yml", "2019": REPO / "reports" / "shifan-qu" / "2019.yml"}


def sample(version: str) -> Report:
    portal = load_portal([SAMPLES[version]], base=REPO)
    (report,) = portal.reports
    return report


class _Reader(HTMLParser):
    """Tags seen, and each table's data cells (``td``) as text, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.tables: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "table":
            self.tables.append([])
        elif tag == "td":
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.cell is not None:
            self.tables[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def expected_cells(report: Report) -> list[list[str]]:
    """Each table's data cells in reading order, as the site's layout has them."""
    out = []
    for table in report.format.tables:
        layout = table_layout(report, table)
        rows = [*layout.head, *(row for body in layout.bodies for row in body)]
        out.append([cell_text(report, tuple(c.path.split("."))) for row in rows for c in row if hasattr(c, "path")])
    return out


@pytest.mark.parametrize("version", sorted(SAMPLES))
def test_the_fragment_holds_every_number_with_inline_styles_only(version: str) -> None:
    report = sample(version)
    reader = _Reader()
    reader.feed(report_fragment(report))
    assert reader.tables == expected_cells(report)
    names = {tag for tag, _ in reader.tags}
    assert not names & {"script", "style", "link", "iframe", "img"}
    assert all("class" not in attrs and not any(k.startswith("on") for k in attrs) for _, attrs in reader.tags)
    assert all(attrs.get("style") for tag, attrs in reader.tags if tag in ("table", "th", "td"))
    headers = [attrs for tag, attrs in reader.tags if tag == "td"]
    assert all(attrs.get("headers") for attrs in headers)  # each number still names its row and column headers
    text = report_fragment(report)
    assert report.title in text and all(section.title in text for section in report.format.sections)


@pytest.mark.parametrize("version", sorted(SAMPLES))
def test_the_one_file_page_is_the_fragment_in_a_page(version: str) -> None:
    report = sample(version)
    page = report_page_html(report)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page and '<meta charset="utf-8">' in page
    assert report_fragment(report) in page and "<script" not in page


@pytest.mark.parametrize("version", sorted(SAMPLES))
def test_the_word_document_holds_every_number_in_the_official_grid(version: str) -> None:
    report = sample(version)
    document = Document(io.BytesIO(report_docx(report)))
    assert document.paragraphs[0].text == report.title
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.title for s in report.format.sections]
    assert len(document.tables) == len(report.format.tables)
    for word_table, table in zip(document.tables, report.format.tables):
        for placed in form_layout(table, report):
            cell = word_table.cell(placed.row - FIRST_GRID_ROW, placed.column - 1)
            if placed.path is not None:
                assert cell.text == cell_text(report, placed.path), placed.path
            elif placed.label is not None:
                assert cell.text == placed.label


def test_gongkai_export_writes_the_three_files(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "gongkai", "export", str(SAMPLES["2021"]), "-o", str(tmp_path)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["shifan-zhen-2024.docx", "shifan-zhen-2024.fragment.html", "shifan-zhen-2024.html"]
    bad = tmp_path / "bad.yml"
    bad.write_text(SAMPLES["2021"].read_text(encoding="utf-8").replace("year: 2024", "year: 1999"), encoding="utf-8")
    refused = subprocess.run([sys.executable, "-m", "gongkai", "export", str(bad), "-o", str(tmp_path / "out")],
                             capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert refused.returncode == 1 and "unsupported-year" in refused.stdout + refused.stderr
    assert not (tmp_path / "out").exists()
