"""The compliance view and `gongkai check`: missing, late, failing and on time, by 条例第四十九条."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from opendata_kit import Built, copy_portal

GONGKAI = [sys.executable, "-m", "gongkai"]
GROUP = "shili-qu"  # 示例区: the group's code, as the year and agency listings name it (gongkai.indexing)


def _published(path: Path, day: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^published: \S+", f"published: {day}", text, count=1, flags=re.MULTILINE), encoding="utf-8")


def _row(html: str, name: str) -> list[str]:
    """The matrix row of an agency: each year's status, as text."""
    start = html.index(f'<th scope="row">{name}')
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", html[start:html.index("</tr>", start)])]


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sample portal with one report deleted and the district government's 2024 report published on 20 March."""
    portal = copy_portal(tmp_path_factory.mktemp("compliance") / "portal")
    (portal.reports / "shifan-zhen" / "2023.yml").unlink()
    _published(portal.reports / "shifan-qu" / "2024.yml", "2025-03-20")
    result = portal.build()
    assert result.returncode == 0, result.stderr
    return portal


def test_matrix_marks_missing_late_and_on_time(changed: Built) -> None:
    html = changed.html(f"reports/open_data/compliance/{GROUP}/")  # the roster's group
    assert _row(html, "示例镇人民政府") == ["—", "—", "—", "按期发布", "未发布", "按期发布"]
    assert _row(html, "示例区市场监督管理局")[4] == "逾期发布"  # 26 February: a department's deadline is 31 January
    assert _row(html, "示例区人民政府")[5] == "按期发布"  # 20 March: a government's own report is due by 31 March
    assert '<a href="../../../shifan-qu/2024/">' in html


def test_summary_counts_each_group_and_year(changed: Built) -> None:
    html = changed.html("reports/open_data/compliance/")
    start = html.index(f'<th scope="row"><a href="{GROUP}/">示例区</a>')
    row = html[start:html.index("</tr>", start)]
    cells = [re.sub(r"<[^>]+>", " ", c).split() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    assert cells[0] == ["3"]  # agencies in the group
    assert cells[1:] == [["按期发布", "1"]] * 3 + [["按期发布", "3"], ["按期发布", "1", "逾期发布", "1", "未发布", "1"],
                                                  ["按期发布", "3"]]


def test_government_report_in_march_is_not_marked_late_anywhere(changed: Built) -> None:
    page = changed.html("reports/shifan-qu/2024/")
    assert "2025年3月20日" in page and "逾期发布" not in page.split("<article", 1)[1]
    year = changed.html("reports/2024/")
    row = year[year.index("示例区人民政府2024年"):]
    assert row[:row.index("</tr>")].count("按期发布") == 1
    assert "第四十九条" in year and "2025年3月31日" in year


def test_home_page_cites_article_49(changed: Built) -> None:
    home = changed.html("")
    assert "第四十九条" in home and "第五十条" not in home


def _check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GONGKAI, "check", *args], cwd=root, capture_output=True, text=True, timeout=120,
                          env={"PYTHONUTF8": "1", "PATH": "/usr/bin:/bin"}, check=False)


def test_check_passes_on_the_sample_portal(tmp_path: Path) -> None:
    portal = copy_portal(tmp_path / "portal")
    result = _check(portal.root, "--as-of", "2025-06-01")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "逾期发布" in result.stdout and "[report-late]" in result.stdout


def test_check_fails_on_each_missing_report(changed: Built) -> None:
    result = _check(changed.root)
    assert result.returncode == 1
    missing = [line for line in result.stdout.splitlines() if "[report-missing]" in line]
    assert len(missing) == 1 and missing[0].startswith("reports/shifan-zhen/2023.yml: 错误")
    data = json.loads(_check(changed.root, "--format", "json").stdout)
    assert data["agencies"][2]["years"]["2023"]["status"] == "missing"
    assert [f["rule"] for f in data["findings"] if f["severity"] == "error"] == ["report-missing"]


def test_check_fails_on_a_report_that_fails_validation(tmp_path: Path) -> None:
    portal = copy_portal(tmp_path / "portal")
    path = portal.reports / "shifan-zhen" / "2024.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("published: 2025-01-20", "published: 2025-13-20"), encoding="utf-8")
    result = _check(portal.root, "--as-of", "2025-06-01")
    assert result.returncode == 1
    assert "[report-failing]" in result.stdout and "示例镇人民政府（shifan-zhen）2024 年度报告" in result.stdout
    assert "2024 未通过校验" in result.stdout


def test_a_year_not_yet_due_is_not_missing(tmp_path: Path) -> None:
    portal = copy_portal(tmp_path / "portal")
    before = _check(portal.root, "--until", "2025", "--as-of", "2026-02-10")
    assert before.returncode == 1
    assert "2025 尚未到期" in before.stdout  # the government: due 31 March
    assert before.stdout.count("[report-missing]") == 2  # the bureau and the town: due 31 January
    assert _check(portal.root, "--until", "2025", "--as-of", "2026-01-10").returncode == 0


def test_check_help_is_in_chinese() -> None:
    result = subprocess.run([*GONGKAI, "check", "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0 and "报送情况" in result.stdout and "--format" in result.stdout
