"""A validated report keeps little in memory: its source positions are read again only when asked for."""

from __future__ import annotations

from pathlib import Path

from core_kit import build_report, set_value

from gongkai.collection import ReportStore
from gongkai.loading import load_file
from gongkai.writing import report_to_yaml


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "reports" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_positions_are_read_again_from_the_file_when_a_finding_needs_them(tmp_path: Path) -> None:
    _write(tmp_path, "shifan-zhen/2023.yml", report_to_yaml(build_report("2021", 2023), include_totals=False))
    text = report_to_yaml(build_report("2021", 2024), include_totals=False)
    text, line = set_value(text, ("applications", "carried_over", "natural_person"), "2")
    text, _ = set_value(text, ("applications", "received", "natural_person"), "4")
    later = _write(tmp_path, "shifan-zhen/2024.yml", text)
    store = ReportStore(tmp_path)
    for _ in range(2):  # parsed, then taken from the store (as `mkdocs serve` rebuilds do)
        portal = store.load([tmp_path / "reports"])
        report = next(r for r in portal.reports if r.year == 2024)
        assert report.marks.__class__.__name__ == "_MarksOnDemand"
        finding = next(f for f in portal.findings if f.rule == "carry-over-mismatch")
        assert (finding.file, finding.line) == ("reports/shifan-zhen/2024.yml", line)
    document, _ = load_file(later)
    assert document is not None
    path = ("applications", "carried_over", "natural_person")
    assert report.mark(path) == document.marks()[path] and dict(report.marks) == dict(document.marks())


def test_reports_that_give_the_same_totals_share_one_set(tmp_path: Path) -> None:
    for year in (2023, 2024):
        _write(tmp_path, f"shifan-zhen/{year}.yml", report_to_yaml(build_report("2021", year)))
    first, second = ReportStore(tmp_path).load([tmp_path / "reports"]).reports
    assert first.given_totals and first.given_totals is second.given_totals
