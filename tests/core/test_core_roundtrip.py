"""Writing a report as YAML and loading it again gives the same report."""

from __future__ import annotations

from pathlib import Path

import pytest
from core_kit import FORMAT_YEARS, REPO, build_report

from gongkai.loading import load_file, load_text
from gongkai.model import Report
from gongkai.parsing import parse_document
from gongkai.writing import report_to_yaml


def _reload(text: str) -> Report:
    document, findings = load_text(text, Path("roundtrip.yml"))
    assert findings == [] and document is not None
    report, findings = parse_document(document)
    assert findings == [] and report is not None
    return report


def _same(a: Report, b: Report) -> None:
    assert (a.agency, a.year, a.format, a.published) == (b.agency, b.year, b.format, b.published)
    assert a.values == b.values
    assert {k: v.strip() for k, v in a.narrative.items()} == {k: v.strip() for k, v in b.narrative.items()}


@pytest.mark.parametrize("sample", ["shifan-zhen/2024.yml", "shifan-qu/2019.yml"])
@pytest.mark.parametrize("include_totals", [True, False])
def test_samples_round_trip(sample, include_totals):
    document, findings = load_file(REPO / "reports" / sample)
    assert document is not None and findings == []
    original, findings = parse_document(document)
    assert original is not None and findings == []
    _same(_reload(report_to_yaml(original, include_totals=include_totals)), original)


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_built_reports_round_trip(version, year):
    built = build_report(version, year)
    _same(_reload(report_to_yaml(built)), built)


@pytest.mark.parametrize("name", ["示例局: 临时", "#示例", "'引号' \"双引号\"", "- 列表样"])
def test_awkward_names_and_narrative_round_trip(name):
    built = build_report("2021", 2024, name=name)
    built.narrative["other_matters"] = "  缩进开头的一行\n\n### 不是注释（以 # 开头）\n\n- 列表: 有冒号\n"
    reloaded = _reload(report_to_yaml(built))
    assert reloaded.agency.name == name
    assert reloaded.narrative["other_matters"].rstrip("\n") == built.narrative["other_matters"].rstrip("\n")
