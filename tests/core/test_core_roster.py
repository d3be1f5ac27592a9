"""The roster and deadlines: 条例第四十九条 by kind, overrides, located findings, never read as a report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from core_kit import report_text, set_value

from gongkai.collection import find_report_files
from gongkai.roster import deadline_for, kind_from_name, load_roster

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "roster" / "cases.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("name", "kind"), [
    ("示例区人民政府", "government"), ("某某市人民政府", "government"), ("某某县人民政府", "government"),
    ("某某自治旗人民政府", "government"), ("示例镇人民政府", "township"), ("某某乡人民政府", "township"),
    ("某某街道办事处", "township"), ("示例区市场监督管理局", "department"), ("某某市人民政府办公室", "department"),
])
def test_kind_inferred_from_name(name: str, kind: str) -> None:
    assert kind_from_name(name) == kind


def test_deadlines_follow_article_49() -> None:
    assert deadline_for("government", 2024) == date(2025, 3, 31)
    assert deadline_for("department", 2024) == date(2025, 1, 31)
    assert deadline_for("township", 2024) == date(2025, 1, 31)
    assert deadline_for("government", 2024, (2, 28)) == date(2025, 2, 28)
    assert deadline_for("department", 2022, (2, 29)) == date(2023, 2, 28)  # no 29 February in 2023


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_roster_mistakes_are_located(tmp_path: Path, case: dict) -> None:
    path = tmp_path / "roster.yml"
    path.write_text(case["roster"], encoding="utf-8")
    roster, findings = load_roster(path, "reports/roster.yml")
    assert [f.rule for f in findings] == [case["rule"]]
    assert findings[0].line == case["line"] and findings[0].file == "reports/roster.yml"
    assert findings[0].message and "{" not in findings[0].message
    if case["kept"] is None:
        assert roster is None
    else:
        assert roster is not None and [e.code for e in roster.entries] == case["kept"]


def test_roster_is_not_a_report(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "roster.yml").write_text("agencies: []\n", encoding="utf-8")
    (tmp_path / "a" / "roster.yml").write_text("", encoding="utf-8")  # deeper down it is a report file
    assert find_report_files([tmp_path]) == [tmp_path / "a" / "roster.yml"]


ROSTER = """agencies:
  - {code: shifan-qu, name: 示例区人民政府, kind: government, group: 示例区}
  - {code: shifan-ju, name: 示例区某某局, kind: department, group: 示例区, deadline: "02-15"}
"""


def _published(text: str, day: str) -> str:
    return set_value(text, ("published",), day)[0]


def test_government_report_in_march_is_on_time_and_department_is_held_to_its_override(portal) -> None:
    loaded = portal({
        "roster.yml": ROSTER,
        "shifan-qu/2024.yml": _published(report_text("2021", 2024, slug="shifan-qu", name="示例区人民政府"),
                                         "2025-03-20"),
        "shifan-ju/2024.yml": _published(report_text("2021", 2024, slug="shifan-ju", name="示例区某某局"),
                                         "2025-02-16"),
        "shifan-zhen/2024.yml": _published(report_text("2021", 2024), "2025-02-01"),
    })
    assert loaded.ok, loaded.findings
    assert loaded.roster is not None
    by_slug = {r.agency.slug: r for r in loaded.reports}
    assert len(by_slug) == 3  # roster.yml was not read as a report
    government, department, town = by_slug["shifan-qu"], by_slug["shifan-ju"], by_slug["shifan-zhen"]
    assert government.deadline == date(2025, 3, 31) and not government.is_late
    assert department.deadline == date(2025, 2, 15) and department.is_late
    assert town.deadline == date(2025, 1, 31) and town.is_late
    assert town.obligation.inferred and "按名称推定" in town.obligation.basis
    assert "第四十九条" in government.obligation.basis and "3月31日" in government.obligation.basis


def test_without_roster_the_kind_is_inferred(portal) -> None:
    loaded = portal({"shifan-qu/2024.yml": _published(
        report_text("2021", 2024, slug="shifan-qu", name="示例区人民政府"), "2025-03-20")})
    (report,) = loaded.reports
    assert loaded.roster is None and not report.is_late and report.obligation.inferred


def test_a_broken_roster_is_a_located_error(portal) -> None:
    loaded = portal({"roster.yml": "agencies:\n  - {name: 甲区人民政府, kind: city}\n",
                     "shifan-zhen/2024.yml": report_text("2021", 2024)})
    assert not loaded.ok
    (found,) = [f for f in loaded.findings if f.rule.startswith("roster-")]
    assert found.rule == "roster-kind-invalid" and found.file == "reports/roster.yml" and found.line == 2
