"""Rules across reports: carry-over, one report per agency and year, names, running counts."""

from __future__ import annotations

import pytest
from core_kit import build_report, locate, only, set_value

from gongkai.findings import Severity
from gongkai.writing import report_to_yaml

APPLICATIONS = "三、收到和处理政府信息公开申请情况"
PAIRS = [pytest.param("2021", 2023, id="format-2021"), pytest.param("2019", 2019, id="format-2019")]


def _text(version: str, year: int, **agency: str) -> str:
    return report_to_yaml(build_report(version, year, **agency), include_totals=False)


def _pair(version: str, first: int) -> dict[str, str]:
    return {f"shifan-zhen/{first}.yml": _text(version, first), f"shifan-zhen/{first + 1}.yml": _text(version, first + 1)}


@pytest.mark.parametrize(("version", "first"), PAIRS)
def test_consecutive_years_agree(portal, version, first):
    result = portal(_pair(version, first))
    assert result.findings == []
    assert len(result.reports) == 2


def test_carry_over_across_the_change_of_format(portal):
    result = portal({"shifan-zhen/2020.yml": _text("2019", 2020), "shifan-zhen/2021.yml": _text("2021", 2021)})
    assert result.findings == []


@pytest.mark.parametrize(("version", "first"), PAIRS)
def test_carry_over_mismatch(portal, version, first):
    files = _pair(version, first)
    later = f"shifan-zhen/{first + 1}.yml"
    text, line = set_value(files[later], ("applications", "carried_over", "natural_person"), "2")
    text, _ = set_value(text, ("applications", "received", "natural_person"), "4")  # still balanced
    files[later] = text
    findings = [f for f in portal(files).findings if f.rule == "carry-over-mismatch"]
    assert {f.path[-1] for f in findings} == {"natural_person"}  # a computed total does not repeat it
    finding = next(f for f in findings if f.path[-1] == "natural_person")
    assert (finding.file, finding.line) == (f"reports/{later}", line)
    assert finding.label == f"{APPLICATIONS} › 二、上年结转政府信息公开申请数量 › 自然人"
    assert (finding.expected, finding.actual) == ("1", "2")
    assert f"reports/shifan-zhen/{first}.yml" in finding.message


def test_carry_over_is_per_agency(portal):
    files = {"shifan-zhen/2023.yml": _text("2021", 2023),
             "shifan-qu/2024.yml": _text("2021", 2024, slug="shifan-qu", name="示例区人民政府")}
    text, _ = set_value(files["shifan-qu/2024.yml"], ("applications", "carried_over", "natural_person"), "2")
    files["shifan-qu/2024.yml"], _ = set_value(text, ("applications", "received", "natural_person"), "4")
    assert portal(files).findings == []


# Two files for one agency and year can only differ in the suffix: the path names both (placement.py).
@pytest.mark.parametrize(("version", "first"), PAIRS)
def test_duplicate_report(portal, version, first):
    text = _text(version, first)
    result = portal({f"shifan-zhen/{first}.yml": text, f"shifan-zhen/{first}.yaml": text})
    finding = only(result.findings, "duplicate-report")
    assert finding.file == f"reports/shifan-zhen/{first}.yml"
    assert finding.line == locate(text, ("agency", "slug")).line
    assert f"reports/shifan-zhen/{first}.yaml" in finding.message
    assert (finding.expected, finding.actual) == ("1 份", "2 份")
    assert not result.ok


@pytest.mark.parametrize(("version", "first"), PAIRS)
def test_agency_name_changed_is_a_warning(portal, version, first):
    files = _pair(version, first)
    later = f"shifan-zhen/{first + 1}.yml"
    files[later], line = set_value(files[later], ("agency", "name"), '"示例镇政府"')
    result = portal(files)
    finding = only(result.findings, "agency-name-changed")
    assert finding.severity is Severity.WARNING
    assert (finding.file, finding.line, finding.label) == (f"reports/{later}", line, "机关名称")
    assert (finding.expected, finding.actual) == ("示例镇人民政府", "示例镇政府")
    assert result.ok


def test_in_force_continuity(portal):
    files = _pair("2021", 2023)
    files["shifan-zhen/2024.yml"], line = set_value(
        files["shifan-zhen/2024.yml"], ("proactive", "normative_documents", "in_force"), "14")
    result = portal(files)
    finding = only(result.findings, "in-force-continuity")
    assert finding.severity is Severity.WARNING
    assert finding.line == line
    assert finding.label == "二、主动公开政府信息情况 › 第二十条第（一）项 › 行政规范性文件 › 现行有效件数"
    assert (finding.expected, finding.actual) == ("13", "14")  # 12 + 2 − 1
    assert result.ok


def test_previous_items_continuity(portal):
    files = _pair("2019", 2019)
    files["shifan-zhen/2020.yml"], line = set_value(
        files["shifan-zhen/2020.yml"], ("proactive", "licensing", "previous_items"), "52")
    result = portal(files)
    finding = only(result.findings, "previous-items-continuity")
    assert finding.severity is Severity.WARNING
    assert finding.line == line
    assert finding.label == "二、主动公开政府信息情况 › 第二十条第（五）项 › 行政许可 › 上一年项目数量"
    assert (finding.expected, finding.actual) == ("50", "52")  # 52 + (−2)
    assert result.ok


def test_continuity_is_not_checked_across_formats(portal):
    files = {"shifan-zhen/2020.yml": _text("2019", 2020), "shifan-zhen/2021.yml": _text("2021", 2021)}
    files["shifan-zhen/2021.yml"], _ = set_value(files["shifan-zhen/2021.yml"],
                                                 ("proactive", "regulations", "in_force"), "99")
    assert portal(files).findings == []
