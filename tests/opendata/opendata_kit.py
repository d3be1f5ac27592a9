"""Helpers for the open-data tests: copy the sample portal into tmp_path and build it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Built:
    root: Path

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def html(self, url: str) -> str:
        path = self.site / url
        return (path / "index.html" if url.endswith("/") or not url else path).read_text(encoding="utf-8")

    def build(self) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=self.root, env=env,
                              capture_output=True, text=True, timeout=300, check=False)


def copy_portal(root: Path) -> Built:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("docs", "overrides", "reports"):
        shutil.copytree(REPO / folder, root / folder)
    return Built(root)
