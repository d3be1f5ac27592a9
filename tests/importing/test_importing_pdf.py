"""PDF reports: tables by cell geometry, narrative lines joined again, running headers and page numbers gone."""

from __future__ import annotations

from pathlib import Path

from import_kit import load_report

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "sources"
TITLE = "平潭综合实验区2021年政府信息公开工作年度报告"


def test_a_pdf_narrative_reads_as_written(run_import, tmp_path: Path) -> None:
    code, output = run_import(str(CORPUS / "v01_pingtan_2021_ruled.pdf"), "-o", str(tmp_path))
    assert code == 0, output
    report = load_report(tmp_path / "pingtanzhsy-qu" / "2021.yml")
    overview = report.narrative["overview"]
    # a paragraph wrapped at the right margin is one paragraph again
    assert "不断拓展重点领域信息公开的广度与深度。" in overview.split("\n\n")[0]
    text = "".join(report.narrative.values())
    assert TITLE not in text  # the running header printed on every page
    assert "- 2 -" not in text and "-2-" not in text  # page numbers
    assert report.published.isoformat() == "2022-02-08" and report.agency.name == "平潭综合实验区"


def test_a_scanned_pdf_is_refused_with_a_clear_message(run_import, tmp_path: Path) -> None:
    code, output = run_import(str(CORPUS / "v17_scanned.pdf"), "-o", str(tmp_path))
    assert code == 1 and "[import-scanned-pdf]" in output and "扫描件" in output
    assert not list(tmp_path.rglob("*.yml"))
