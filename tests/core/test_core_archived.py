"""Archived reports are kept as published: blank, not-applicable and unit cells, other layouts, acknowledged
discrepancies. Each case file in archived_cases/ is a built report with some cells changed, and what the check says.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from core_kit import report_text

from gongkai.findings import Finding
from gongkai.formats import FORMATS
from gongkai.loading import load_text
from gongkai.model import Report
from gongkai.parsing import parse_document
from gongkai.validation import check_report, discrepancies_of
from gongkai.writing import report_to_yaml

CASES = sorted((Path(__file__).parent / "archived_cases").glob("*.yml"))
SOURCE = "https://www.example.gov.cn/xxgk/ndbg.html"


def _case(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _report_data(case: dict[str, Any], year: int) -> dict[str, Any]:
    data = yaml.safe_load(report_text(case["format"], year))
    if case.get("archived"):
        data["archived"] = {"source": SOURCE}
    if "discrepancies" in case:
        data["discrepancies"] = case["discrepancies"]
    data.update(case.get("top", {}))
    for dotted, value in case.get("cells", {}).items():
        *parents, last = dotted.split(".")
        node = data
        for key in parents:
            node = node[key]
        node[last] = value
    return data


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _year(case: dict[str, Any]) -> int:
    return case.get("year", 2024 if case["format"] == "2021" else 2019)


def _facts(found: Finding, length: int) -> list[str | None]:
    return [found.severity.value, found.rule, ".".join(found.path), found.expected, found.actual][:length]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_archived_case(portal, path: Path) -> None:
    case = _case(path)
    year = _year(case)
    files = {f"shifan-zhen/{year}.yml": _dump(_report_data(case, year))}
    if case.get("previous"):
        files[f"shifan-zhen/{year - 1}.yml"] = report_text(case["format"], year - 1)
    loaded = portal(files)
    if "errors_include" in case:
        assert set(case["errors_include"]) <= {f.rule for f in loaded.findings if f.is_error}
        return
    unmatched = list(case["findings"])  # [severity, rule, path] and, where given, expected and actual
    for found in loaded.findings:
        match = next((e for e in unmatched if _facts(found, len(e)) == e), None)
        assert match is not None, f"unexpected: {found}"
        unmatched.remove(match)
    assert unmatched == []
    if loaded.ok:
        report = next(r for r in loaded.reports if r.year == year)
        acknowledged = check_report(report).acknowledged
        assert sorted([f.rule, ".".join(f.path)] for f in acknowledged) == sorted(case.get("acknowledged", []))
        for dotted, value in case.get("values", {}).items():
            assert report.values[tuple(dotted.split("."))] == Decimal(value)
        for key, version in case.get("tables", {}).items():
            assert report.layout_version(key) == version
            assert report.table(key) is FORMATS[version].table(key)


def _parse(text: str) -> Report:
    document, findings = load_text(text, Path("archived.yml"))
    assert document is not None and findings == []
    report, findings = parse_document(document)
    assert report is not None and not [f for f in findings if f.is_error], findings
    return report


@pytest.mark.parametrize("path", [p for p in CASES if "findings" in _case(p) and not [
    f for f in _case(p)["findings"] if f[1] not in ("total-column-sum", "total-row-sum", "applications-balance",
                                                    "discrepancy-stale")]], ids=lambda p: p.stem)
def test_archived_report_round_trips(path: Path) -> None:
    """What the writer makes of an archived report reads back the same, and is written again identically."""
    case = _case(path)
    original = _parse(_dump(_report_data(case, _year(case))))
    text = report_to_yaml(original)
    again = _parse(text)
    for field in ("values", "as_published", "discrepancies", "layouts", "archived", "given_totals"):
        assert getattr(again, field) == getattr(original, field), field
    assert report_to_yaml(again) == text


SITE_ARCHIVES = sorted((Path(__file__).parents[1] / "site" / "fixtures" / "archived").glob("*.yml"))


@pytest.mark.parametrize("path", SITE_ARCHIVES, ids=lambda p: p.stem)
def test_discrepancies_of_an_archive_are_what_its_figures_break(path: Path) -> None:
    """What the importer records: each arithmetic error as published, and nothing corrected."""
    report = _parse(path.read_text(encoding="utf-8"))
    values = dict(report.values)
    assert report.discrepancies and discrepancies_of(report) == report.discrepancies
    assert report.values == values


def test_an_archive_keeps_its_totals_even_when_totals_are_left_out() -> None:
    """A blank total written as computed would be a correction: an archive's totals are always written."""
    report = _parse((Path(__file__).parents[1] / "site" / "fixtures" / "archived" /
                     "blank_total_acknowledged_2021.yml").read_text(encoding="utf-8"))
    text = report_to_yaml(report, include_totals=False)
    assert "total: null" in text and text == report_to_yaml(report)


def test_new_after_an_archived_year_carries_only_what_was_published(tmp_path: Path) -> None:
    """`gongkai new` after an archive: a blank 结转下年度 is not carried as a number; the rest is."""
    from gongkai import cli

    archive = (Path(__file__).parents[1] / "site" / "fixtures" / "archived" / "blank_total_acknowledged_2021.yml")
    folder = tmp_path / "reports" / "cundang-zhen"
    folder.mkdir(parents=True)
    (folder / "2024.yml").write_text(archive.read_text(encoding="utf-8"), encoding="utf-8")
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        assert cli.main(["new", "--agency", "cundang-zhen", "--year", "2025"]) == 0
    finally:
        os.chdir(previous)
    created = yaml.safe_load((folder / "2025.yml").read_text(encoding="utf-8"))
    carried = created["applications"]["carried_over"]
    assert carried["natural_person"] == 1  # last year's 结转下年度 as published
    assert carried["other"] == 0  # published blank last year: left at 0 for the editor, not invented
    assert "archived" not in created  # a new report is not an archive
