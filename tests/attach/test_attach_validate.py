"""`gongkai validate` names each acknowledged discrepancy of an archived report as information (说明),
not as an error: the check passes, and the editor sees what the published numbers break."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from attach_kit import ARCHIVES

from gongkai.collection import load_portal

PLACES = {"blank_total_acknowledged_2021.yml": "cundang-zhen/2024.yml",
          "blank_total_acknowledged_2019.yml": "cundang-qu/2019.yml",
          "applications_2019_rows_in_2023.yml": "cundang-ju/2023.yml"}


def validate(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gongkai", "validate", "reports"], cwd=root, capture_output=True,
                          text=True, encoding="utf-8", env={**os.environ, "PYTHONUTF8": "1"}, timeout=120)


def test_acknowledged_discrepancies_are_printed_as_information(tmp_path: Path) -> None:
    for name, where in PLACES.items():
        target = tmp_path / "reports" / where
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text((ARCHIVES / name).read_text(encoding="utf-8"), encoding="utf-8")
    reports = load_portal([tmp_path / "reports"], base=tmp_path).reports
    acknowledged = {(r.display_path, d.rule) for r in reports for d in r.discrepancies}
    done = validate(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if " 说明 [" in line]
    shown = {(m.group(1), m.group(2)) for m in (re.match(r"^(\S+?):\d+:\d+: 说明 \[([a-z-]+)\] ", line)
                                                for line in lines) if m}
    assert shown == acknowledged and len(lines) == sum(len(r.discrepancies) for r in reports)
    assert all("（原文数据说明，按原文保留）" in line and "应为" in line for line in lines)
    assert " 错误 [" not in done.stdout and "0 个错误" in done.stdout
    assert f"另有 {len(lines)} 处原文数据说明" in done.stdout


def test_a_clean_portal_prints_no_such_line(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "shifan-zhen" / "2024.yml"
    target.parent.mkdir(parents=True)
    target.write_text((Path(__file__).resolve().parents[2] / "reports" / "shifan-zhen" / "2024.yml")
                      .read_text(encoding="utf-8"), encoding="utf-8")
    done = validate(tmp_path)
    assert done.returncode == 0 and "说明 [" not in done.stdout and "原文数据说明" not in done.stdout


def test_json_lists_them_as_information(tmp_path: Path) -> None:
    for name, where in PLACES.items():
        target = tmp_path / "reports" / where
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text((ARCHIVES / name).read_text(encoding="utf-8"), encoding="utf-8")
    reports = load_portal([tmp_path / "reports"], base=tmp_path).reports
    acknowledged = sorted((r.display_path, d.rule) for r in reports for d in r.discrepancies)
    done = subprocess.run([sys.executable, "-m", "gongkai", "validate", "--format", "json", "reports"], cwd=tmp_path,
                          capture_output=True, text=True, encoding="utf-8", env={**os.environ, "PYTHONUTF8": "1"},
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    items = json.loads(done.stdout)
    notes = [i for i in items if i.get("acknowledged")]
    assert acknowledged and sorted((i["file"], i["rule"]) for i in notes) == acknowledged
    assert all(i["severity"] == "info" for i in notes)
    assert not [i for i in items if i["severity"] == "error"]

