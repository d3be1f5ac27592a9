"""A draft (status: draft) is 草稿 in the compliance view: neither on time nor missing; `gongkai check`
says so in text and JSON and fails with its own wording until the report is published."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from opendata_kit import Built, copy_portal

GONGKAI = [sys.executable, "-m", "gongkai"]
DRAFT = Path("shifan-zhen") / "2024.yml"


def _make_draft(portal: Built, *, broken: bool = False) -> None:
    path = portal.reports / DRAFT
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^published: ", "status: draft\npublished: ", text, count=1, flags=re.MULTILINE)
    if broken:  # a draft not finished yet: it does not validate
        text = text.replace("published: 2025-01-20", "published: 2025-13-20")
    path.write_text(text, encoding="utf-8")


def _check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GONGKAI, "check", "--as-of", "2025-06-01", *args], cwd=root, capture_output=True,
                          text=True, timeout=120, env={"PYTHONUTF8": "1", "PATH": "/usr/bin:/bin"}, check=False)


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Built:
    portal = copy_portal(tmp_path_factory.mktemp("drafts") / "portal")
    _make_draft(portal)
    result = portal.build()
    assert result.returncode == 0, result.stderr
    return portal


def test_a_draft_is_shown_as_draft_in_the_matrix(drafted: Built) -> None:
    html = drafted.html("reports/open_data/compliance/shili-qu/")  # 示例区
    start = html.index('<th scope="row">示例镇人民政府')
    row = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", html[start:html.index("</tr>", start)])]
    assert row[-1] == "草稿" and "按期发布" not in row[-1] and "未发布" not in row[-1]
    assert "草稿 1 份" in html
    summary = drafted.html("reports/open_data/compliance/")
    assert "草稿 1" in summary and "未发布 1" not in summary


@pytest.mark.parametrize("broken", [False, True], ids=["valid", "not-yet-valid"])
def test_check_treats_a_draft_as_not_yet_published(tmp_path: Path, broken: bool) -> None:
    portal = copy_portal(tmp_path / "portal")
    _make_draft(portal, broken=broken)
    text = _check(portal.root)
    assert text.returncode == 1, text.stdout + text.stderr
    assert "2024 草稿" in text.stdout and "2024 未通过校验" not in text.stdout
    [line] = [line for line in text.stdout.splitlines() if "[report-draft]" in line]
    assert line.startswith("reports/shifan-zhen/2024.yml: 错误") and "仍是草稿（status: draft）" in line
    assert "[report-missing]" not in text.stdout and "[report-failing]" not in text.stdout
    assert "1 份报告仍是草稿" in text.stdout
    data = json.loads(_check(portal.root, "--format", "json").stdout)
    town = next(a for a in data["agencies"] if a["code"] == "shifan-zhen")
    assert town["years"]["2024"]["status"] == "draft" and town["years"]["2024"]["label"] == "草稿"
    assert town["years"]["2024"]["published"] is None
    assert data["counts"]["draft"] == 1 and data["counts"]["missing"] == 0
    assert [f["rule"] for f in data["findings"] if f["severity"] == "error"] == ["report-draft"]


def test_check_passes_once_the_draft_is_published(tmp_path: Path) -> None:
    portal = copy_portal(tmp_path / "portal")
    _make_draft(portal)
    path = portal.reports / DRAFT
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: final"), encoding="utf-8")
    assert _check(portal.root).returncode == 0
