"""`gongkai new --year` with a roster: every missing report at once; codes from Chinese names."""

from __future__ import annotations

from pathlib import Path

from core_kit import build_report
from openpyxl import load_workbook
from test_core_cli import run

from gongkai.slugs import slug_for
from gongkai.writing import report_to_yaml

ROSTER = """\
agencies:
  - code: shifan-zhen
    name: 示例镇人民政府
    kind: township
  - name: 示例县教育局
    kind: department
  - name: 示例县人民政府
    kind: government
  - name: 示例县交通运输局
    kind: department
    first_year: 2026
"""


def portal(tmp_path: Path) -> Path:
    reports = tmp_path / "reports"
    (reports / "shifan-zhen").mkdir(parents=True)
    (reports / "roster.yml").write_text(ROSTER, encoding="utf-8")
    last_year = build_report("2021", 2024)
    assert last_year.values[("applications", "carried_forward", "natural_person")] == 1
    (reports / "shifan-zhen" / "2024.yml").write_text(report_to_yaml(last_year), encoding="utf-8")
    return reports


def test_every_missing_report_of_the_roster_at_once(tmp_path: Path) -> None:
    reports = portal(tmp_path)
    assert run(tmp_path, "validate").returncode == 0
    done = run(tmp_path, "new", "--year", "2025")
    assert done.returncode == 0, done.stderr
    education, county = slug_for("示例县教育局"), slug_for("示例县人民政府")
    made = sorted(p.relative_to(reports).as_posix() for p in reports.rglob("2025.*"))
    assert made == sorted(["shifan-zhen/2025.yml", f"{education}/2025.yml", f"{county}/2025.yml"])
    assert "为 3 个机关生成了 2025 年度报告模板" in done.stdout and "1 个机关 2025 年度尚不需报送" in done.stdout

    town = (reports / "shifan-zhen" / "2025.yml").read_text(encoding="utf-8")
    assert "carried_over:    {natural_person: 1," in town  # last year's 结转下年度, carried over
    assert "法定截止日为 2026-01-31" in town
    assert "法定截止日为 2026-03-31" in (reports / county / "2025.yml").read_text(encoding="utf-8")  # 本级政府
    assert f"slug: {education}" in (reports / education / "2025.yml").read_text(encoding="utf-8")

    # again: nothing missing, nothing touched (even the unfinished templates)
    before = {p: p.read_bytes() for p in reports.rglob("2025.yml")}
    again = run(tmp_path, "new", "--year", "2025")
    assert again.returncode == 0 and "为 0 个机关生成" in again.stdout and "3 个机关已有该年度报告" in again.stdout
    assert {p: p.read_bytes() for p in reports.rglob("2025.yml")} == before


def test_the_batch_as_excel_forms(tmp_path: Path) -> None:
    reports = portal(tmp_path)
    assert run(tmp_path, "new", "--year", "2025", "--xlsx").returncode == 0
    forms = sorted(p.relative_to(reports).as_posix() for p in reports.rglob("2025.xlsx"))
    assert len(forms) == 3 and "shifan-zhen/2025.xlsx" in forms
    book = load_workbook(reports / "shifan-zhen" / "2025.xlsx")
    assert book["基本信息"]["B4"].value == "示例镇人民政府"


def test_a_chinese_name_alone_gets_a_stable_code(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    done = run(tmp_path, "new", "--name", "县教育局", "--year", "2025")
    assert done.returncode == 0, done.stderr
    code = slug_for("县教育局")
    assert f"机关代码：{code}" in done.stdout and (reports / code / "2025.yml").is_file()
    # the old spelling (--agency with the name) gives the same code, and a notice
    again = run(tmp_path, "new", "--agency", "县教育局", "--year", "2024")
    assert again.returncode == 0, again.stderr
    assert "已按 --name 处理" in again.stderr and (reports / code / "2024.yml").is_file()


def test_without_a_roster_the_batch_says_what_to_do(tmp_path: Path) -> None:
    done = run(tmp_path, "new", "--year", "2025")
    assert done.returncode == 2 and "roster.yml" in done.stderr and "--agency" in done.stderr
