"""HTML pages: Word pasted into a CMS (spans, &nbsp;, full-width digits, rowspan/colspan), and
gongkai's own pages, which import back to the same data (round trip)."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pytest
from import_kit import load_report, narrative_paragraphs, report_html

from gongkai.importing.html import read_html
from gongkai.model import Report


def test_a_word_pasted_page_gives_the_sample_report(run_import, sample: Report, tmp_path: Path) -> None:
    page = report_html(sample)
    for feature in ("&nbsp;", "０", "<span", "<br>", "rowspan=", "colspan="):  # what Word pastes
        assert feature in page
    source = tmp_path / "report.html"
    source.write_text(page, encoding="utf-8")
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), "--slug", "shifan-zhen")
    assert code == 0, output
    imported = load_report(tmp_path / "out" / "shifan-zhen" / "2024.yml")
    assert imported.values == sample.values
    assert imported.narrative == sample.narrative  # spans joined, &nbsp; indents dropped, furniture left out
    assert imported.agency.name == "示例镇人民政府"
    assert imported.published == date(2025, 1, 20)


def test_a_gbk_page_is_read(run_import, sample: Report, tmp_path: Path) -> None:
    source = tmp_path / "report.htm"
    source.write_bytes(report_html(sample).replace("charset='utf-8'", "charset='gbk'").encode("gb18030"))
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), "--slug", "shifan-zhen")
    assert code == 0, output


def test_cells_are_read_once_whatever_their_spans_and_an_empty_cell_is_blank() -> None:
    page = """<table>
      <tr><td rowspan="2" colspan="2">申请人<br/>情况</td><td colspan="3"><p><span>法人或</span><span>其他组织</span></p></td></tr>
      <tr><td>１２</td><td>&nbsp;3&nbsp;</td><td></td></tr>
    </table>"""
    source = read_html(page, Path("t.html"))
    assert [p.cells for p in source.paragraphs] == [("申请人情况",), ("法人或其他组织",), ("１２",), ("3",), ("",)]
    assert source.paragraphs[0].line == 2


def test_scripts_navigation_and_footer_are_not_text() -> None:
    page = "<nav>一、总体情况</nav><script>一、总体情况</script><p>正文</p><footer>版权所有</footer>"
    assert [p.text for p in read_html(page, Path("t.html")).paragraphs] == ["正文"]


def test_a_report_carried_in_a_script_string_is_read() -> None:
    page = ("<html><body><div id='c'></div><script>var c = '<p>一、总体情况</p>' +\n"
            "  '<table><tr><td>\\u89c4\\u7ae0</td><td>3</td><td>&nbsp;</td></tr></table>';"
            "document.getElementById('c').innerHTML = c;</script></body></html>")
    source = read_html(page, Path("t.html"))
    assert [p.cells for p in source.paragraphs] == [("一、总体情况",), ("规章",), ("3",), ("",)]


def _own_page(report: Report) -> str:
    """A page the way gongkai publishes a report: headings, narrative paragraphs, rendered tables."""
    from gongkai.rendering import tables
    prefixes = {"二": "t2-", "三": "t3-", "四": "t4-"}
    parts = [f"<!doctype html><html><head><title>{html.escape(report.title)}</title></head><body>",
             f"<h1>{html.escape(report.title)}</h1>",
             f"<p>发布日期：<time datetime='{report.published}'>{report.published.isoformat()}</time></p>"]
    for section in report.format.sections:
        parts.append(f"<h2>{html.escape(section.title)}</h2>")
        if section.table is not None:
            parts.append(tables.render_table(report, section.table, id_prefix=prefixes[section.number]))
            continue
        for text in report.narrative[section.key].strip().split("\n\n"):
            if text.startswith("### "):
                parts.append(f"<h3>{html.escape(text[4:])}</h3>")
            else:
                parts.append(f"<p>{html.escape(text)}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


@pytest.mark.parametrize("report_file", ["shifan-zhen/2024.yml", "shifan-qu/2019.yml", "shifan-qu/2020.yml"])
def test_a_page_rendered_by_gongkai_imports_back_to_the_same_data(run_import, tmp_path: Path,
                                                                  report_file: str) -> None:
    from import_kit import ROOT

    path = ROOT / "reports" / report_file
    assert path.exists(), f"the sample {report_file} is missing from reports/"
    report = load_report(path)
    source = tmp_path / "page.html"
    source.write_text(_own_page(report), encoding="utf-8")
    slug = report.agency.slug
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), "--slug", slug)
    assert code == 0, output
    imported = load_report(tmp_path / "out" / slug / f"{report.year}.yml")
    assert imported.values == report.values
    assert imported.narrative == report.narrative
    assert (imported.agency, imported.year, imported.published, imported.format) == (
        report.agency, report.year, report.published, report.format)
    assert narrative_paragraphs(imported, "overview") == narrative_paragraphs(report, "overview")


def test_a_layout_table_around_the_article_keeps_its_paragraphs_apart() -> None:
    page = ("<table><tr><td><p>一、总体情况</p><p>2024年，我镇认真落实条例。</p>"
            "<table><tr><td><p>规章</p></td><td><p>1</p><p></p></td><td></td></tr></table>"
            "<p>五、存在的主要问题及改进情况</p></td></tr></table>")
    source = read_html(page, Path("t.html"))
    assert [p.cells for p in source.paragraphs] == [("一、总体情况",), ("2024年，我镇认真落实条例。",), ("规章",), ("1",),
                                                    ("",), ("五、存在的主要问题及改进情况",)]


def test_the_page_s_own_address_is_kept_as_the_archived_source() -> None:
    page = "<html><head><link rel='canonical' href='https://www.example.gov.cn/2024ndbg.html'/></head><body><p>x</p></body></html>"
    assert read_html(page, Path("t.html")).origin == "https://www.example.gov.cn/2024ndbg.html"
