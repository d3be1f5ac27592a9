"""A validated report keeps little in memory: its source positions are read again only when asked for, its values in a tuple."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import pytest
from core_kit import build_report, set_value

from gongkai import model
from gongkai.collection import ReportStore
from gongkai.loading import load_file
from gongkai.model import CellValues
from gongkai.parsing import parse_document
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


def test_loaded_values_are_stored_compactly_and_read_as_a_dict(tmp_path: Path) -> None:
    for year in (2019, 2020, 2023, 2024):
        version = "2019" if year < 2021 else "2021"
        _write(tmp_path, f"shifan-zhen/{year}.yml", report_to_yaml(build_report(version, year), include_totals=year % 2 == 0))
    reports = ReportStore(tmp_path).load([tmp_path / "reports"]).reports
    for report in reports:
        document, _ = load_file(report.source)
        assert document is not None
        parsed, _ = parse_document(document)
        assert parsed is not None and isinstance(parsed.values, dict)
        values, expected = report.values, parsed.values
        assert isinstance(values, CellValues)
        assert list(values) == list(expected) and list(values.items()) == list(expected.items())
        assert len(values) == len(expected) and values == expected and expected == values
        for path in expected:
            assert values[path] == expected[path] and values.get(path) == expected[path] and path in values
        absent = ("applications", "nowhere", "total")
        assert absent not in values and values.get(absent) is None and values.get(absent, 7) == 7
        with pytest.raises(KeyError):
            values[absent]
        again = pickle.loads(pickle.dumps(values))
        assert again == values and again._index is values._index  # the same layout, not a copy
    assert sys.getsizeof(reports[0].values._numbers) < sys.getsizeof(dict(reports[0].values)) / 3


def test_past_the_bound_of_layouts_values_stay_a_dict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "_LAYOUTS", {})
    monkeypatch.setattr(model, "_LAYOUTS_BOUND", 1)
    first = CellValues.of({("a", "b"): 1, ("a", "c"): 2})
    assert isinstance(first, CellValues) and CellValues.of({("a", "c"): 2, ("a", "b"): 1}) == {("a", "b"): 1, ("a", "c"): 2}
    assert isinstance(CellValues.of({("a", "c"): 2, ("a", "b"): 1}), dict)  # another order: a second layout
    assert pickle.loads(pickle.dumps(first)) == first
