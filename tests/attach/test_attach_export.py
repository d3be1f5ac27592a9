"""`gongkai export`: a report's three attachments in a folder, as the site offers them; nothing
written for a portal with errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from attach_kit import REPO

from gongkai.attachments import KINDS, make
from gongkai.collection import load_portal

SAMPLE = REPO / "reports" / "shifan-zhen" / "2024.yml"


def export(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gongkai", "export", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def test_gongkai_export_writes_the_three_files(tmp_path: Path) -> None:
    done = export(str(SAMPLE), "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["shifan-zhen-2024.docx", "shifan-zhen-2024.fragment.htm", "shifan-zhen-2024.htm"]
    (report,) = load_portal([SAMPLE], base=REPO).reports
    for kind in KINDS:
        assert (tmp_path / f"shifan-zhen-2024{kind.suffix}").read_bytes() == make(report, kind)
        assert kind.title in done.stdout


def test_a_portal_with_errors_exports_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(SAMPLE.read_text(encoding="utf-8").replace("year: 2024", "year: 1999"), encoding="utf-8")
    refused = export(str(bad), "-o", str(tmp_path / "out"))
    assert refused.returncode == 1 and "unsupported-year" in refused.stdout + refused.stderr
    assert not (tmp_path / "out").exists()
