"""Word documents: paragraphs and tables in document order, merged cells read once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import pytest
from import_kit import load_report, report_docx

from gongkai.importing.docx import read_docx
from gongkai.model import Report


def test_a_word_document_gives_the_sample_report(run_import, sample: Report, tmp_path: Path) -> None:
    source = report_docx(sample, tmp_path / "report.docx")
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), "--slug", "shifan-zhen")
    assert code == 0, output
    imported = load_report(tmp_path / "out" / "shifan-zhen" / "2024.yml")
    assert imported.values == sample.values
    assert imported.narrative == sample.narrative  # the signature (name, date) is not narrative
    assert imported.agency.name == "示例镇人民政府"
    assert imported.published == date(2025, 1, 20)  # from the signature: 2025年1月20日


def test_merged_cells_are_read_once(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("前言")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "三、本年度办理结果"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "行政诉讼"
    table.cell(1, 1).text = "1"
    table.cell(1, 2).text = "2"
    document.add_paragraph("后记")
    path = tmp_path / "merged.docx"
    document.save(path)
    source = read_docx(path.read_bytes(), path)
    assert [p.text for p in source.paragraphs] == ["前言", "三、本年度办理结果", "行政诉讼", "1", "2", "后记"]
    assert source.paragraphs[3].where == "第 1 个表格第 2 行"


def test_a_file_that_is_not_a_docx_is_refused(run_import, tmp_path: Path) -> None:
    source = tmp_path / "broken.docx"
    source.write_text("not a zip", encoding="utf-8")
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), "--slug", "x")
    assert code == 1
    assert "import-unsupported-file" in output and "docx" in output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("name", "hint"), [("old.doc", ".docx"), ("broken.pdf", "import-pdf-unreadable")])
def test_old_word_and_broken_pdf_files_get_a_hint(run_import, tmp_path: Path, name: str, hint: str) -> None:
    source = tmp_path / name
    source.write_bytes(b"\xd0\xcf\x11\xe0")
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), "--slug", "x")
    assert code == 1 and hint in output
