"""Each attachment of every sample report, read back: every number of tables 二、三、四 in its labelled
cell (HTML: a ``td`` whose ``headers`` name its row and column; Word: the official grid, merged
cells and all), the narrative's every sentence, the draft mark, an archive's note and its
figures as published."""

from __future__ import annotations

from dataclasses import replace

import pytest
from attach_kit import docx_text, narrative_texts, read_docx, read_html, sample_reports, squeeze

from gongkai.attachments import FRAGMENT, KINDS, PAGE, WORD, make
from gongkai.forms import FIRST_GRID_ROW, form_layout
from gongkai.model import CellState, Report
from gongkai.pages.report_page import discrepancy_views
from gongkai.rendering import table_layout
from gongkai.totals import cell_labels
from gongkai.wordml import PAGE_HEIGHT, PAGE_WIDTH

REPORTS = sample_reports()
IDS = [f"{r.agency.slug}-{r.year}" for r in REPORTS]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def is_blank(report: Report, path: tuple[str, ...]) -> bool:
    published = report.as_published.get(path)
    return report.text(path) == "" or (published is not None and published.state is CellState.BLANK)


@pytest.mark.parametrize("kind", [FRAGMENT, PAGE], ids=["fragment", "page"])
@pytest.mark.parametrize("report", REPORTS, ids=IDS)
def test_every_number_is_in_its_labelled_cell_of_the_html(report: Report, kind: object) -> None:
    html = read_html(make(report, kind).decode("utf-8"))  # type: ignore[arg-type]
    checked = 0
    for table in report.tables:
        labels = cell_labels(table)
        for spec in table.cells():
            cell = html.cells[".".join(spec.path)]
            if is_blank(report, spec.path):
                assert (cell.text, cell.hidden) == ("", "空白"), spec.path
            else:
                assert cell.text == report.text(spec.path), spec.path
            headers = {squeeze(html.header_text[h]) for h in cell.headers}  # each id names a th of the fragment
            for part in labels[spec.path].split(" › ")[1:]:
                assert squeeze(part) in headers, (spec.path, part, headers)
            checked += 1
    assert checked == len(html.cells) > 50


@pytest.mark.parametrize("kind", [FRAGMENT, PAGE], ids=["fragment", "page"])
@pytest.mark.parametrize("report", REPORTS, ids=IDS)
def test_the_html_holds_the_title_sections_and_every_sentence(report: Report, kind: object) -> None:
    markup = make(report, kind).decode("utf-8")  # type: ignore[arg-type]
    html = read_html(markup)
    text = squeeze("".join(html.text))
    assert squeeze(report.title) in text and all(squeeze(s.title) in text for s in report.sections)
    for sentence in narrative_texts(report):
        assert sentence in text
    assert {tag for tag, _ in html.tags}.isdisjoint({"script", "style", "link", "img", "iframe", "object", "meta"}
                                                     if kind is FRAGMENT else {"script", "style", "link", "img"})
    assert all("class" not in attrs and not any(k.startswith("on") for k in attrs) for _, attrs in html.tags)
    if kind is PAGE:
        assert markup.startswith("<!DOCTYPE html>") and make(report, FRAGMENT).decode("utf-8") in markup


@pytest.mark.parametrize("report", REPORTS, ids=IDS)
def test_every_number_is_in_its_cell_of_the_word_grid(report: Report) -> None:
    document = read_docx(make(report, WORD))
    assert len(document.tables) == len(report.tables)
    for word_table, table in zip(document.tables, report.tables):
        placed = form_layout(table, report)
        grid = [row.cells for row in word_table.rows]  # python-docx's reading of gridSpan and vMerge
        for p in placed:
            start = grid[p.row - FIRST_GRID_ROW][p.column - 1]
            if p.path is not None:
                assert start.text == report.text(p.path), p.path
            else:
                assert start.text == (p.label or "")
            for dr in range(p.rowspan):  # a merged cell is one cell wherever python-docx looks into it
                for dc in range(p.colspan):
                    assert grid[p.row - FIRST_GRID_ROW + dr][p.column - 1 + dc].text == start.text
        head = len(table_layout(report, table).head)
        repeated = [row._tr.trPr is not None and row._tr.trPr.find(f"{W}tblHeader") is not None
                    for row in word_table.rows]
        assert repeated == [i < head for i in range(len(word_table.rows))]  # header rows repeat on every page


@pytest.mark.parametrize("report", REPORTS, ids=IDS)
def test_the_word_document_holds_the_narratives_headings_and_page(report: Report) -> None:
    document = read_docx(make(report, WORD))
    assert document.paragraphs[0].text == report.title and document.paragraphs[0].style.name == "Title"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.title for s in report.sections]
    text = squeeze(docx_text(document))
    for sentence in narrative_texts(report):
        assert sentence in text
    section = document.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (PAGE_WIDTH, PAGE_HEIGHT)  # A4
    normal = document.styles["Normal"].element.xml
    assert 'w:eastAsia="仿宋"' in normal and 'w:eastAsia="黑体"' in document.styles["Heading 1"].element.xml
    footer = section.footer  # the page number, “— 1 —” as GB/T 9704 has it (python-docx does not read fields)
    assert footer.paragraphs[0].text == "—  —" and 'w:instr=" PAGE "' in footer._element.xml
    assert document.core_properties.title == report.title
    assert not any(rel.is_external for rel in document.part.rels.values())


NARRATIVE = """### （一）主动公开

见[政府网站](https://www.example.gov.cn/xxgk/?a=1&b=2)，**全年**公开 923 条。

1. 第一项
2. 第二项

| 项目 | 数量 |
| --- | --- |
| 培训 | 3 |
"""


def test_a_narrative_reads_the_same_in_word() -> None:
    report = replace(REPORTS[0], narrative={**REPORTS[0].narrative, "overview": NARRATIVE})
    document = read_docx(make(report, WORD))
    texts = [p.text for p in document.paragraphs]
    start = texts.index(report.sections[0].title)
    assert texts[start + 1:start + 5] == ["（一）主动公开", "见政府网站（https://www.example.gov.cn/xxgk/?a=1&b=2），全年公开 923 条。",
                                          "1. 第一项", "2. 第二项"]
    assert document.paragraphs[start + 1].style.name == "Heading 2"
    assert [r.bold for r in document.paragraphs[start + 2].runs if r.text == "全年"] == [True]
    table = document.tables[0]  # the narrative's own table comes before the official ones
    assert [[c.text for c in row.cells] for row in table.rows] == [["项目", "数量"], ["培训", "3"]]
    assert len(document.tables) == len(report.tables) + 1


def test_a_draft_says_so_in_all_three() -> None:
    draft = replace(REPORTS[0], draft=True)
    for kind in (FRAGMENT, PAGE):
        assert "草稿：本报告尚未发布" in make(draft, kind).decode("utf-8")
        assert "草稿" not in make(REPORTS[0], kind).decode("utf-8")
    assert "草稿：本报告尚未发布" in docx_text(read_docx(make(draft, WORD)))


ARCHIVED = [r for r in REPORTS if r.archived is not None]


@pytest.mark.parametrize("report", ARCHIVED, ids=[f"{r.agency.slug}-{r.year}" for r in ARCHIVED])
def test_an_archive_shows_its_figures_as_published_and_its_discrepancies(report: Report) -> None:
    notes = discrepancy_views(report)
    assert notes  # each fixture's published numbers break a rule
    html = read_html(make(report, FRAGMENT).decode("utf-8"))
    text = "".join(html.text)
    word = docx_text(read_docx(make(report, WORD)))
    assert report.archived is not None
    for shown in (text, word):
        assert "原文数据说明" in shown and report.archived.source in shown  # the source's "<list>" as text
        for note in notes:
            assert f"{note.label}：{note.text}" in shown
    for path, published in report.as_published.items():
        if published.state is not CellState.BLANK:
            assert html.cells[".".join(path)].text == published.text  # “/”, “251000元” as printed


def test_the_archives_hold_blank_not_applicable_and_with_unit_cells() -> None:
    states = {p.state for r in ARCHIVED for p in r.as_published.values()}
    assert states == set(CellState)


def test_the_three_kinds_are_named_for_the_page() -> None:
    assert [(k.title, k.type) for k in KINDS] == [("嵌入片段", "HTML"), ("单文件网页", "HTML"), ("Word 文档", "DOCX")]
