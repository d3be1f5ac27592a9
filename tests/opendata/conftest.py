"""Build portals with open data in tmp_path; read back what a reader downloads."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).parent))


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
                              capture_output=True, text=True, timeout=300)


def copy_portal(root: Path) -> Built:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("docs", "overrides", "reports"):
        shutil.copytree(REPO / folder, root / folder)
    return Built(root)


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The repository's sample portal, built once with --strict."""
    built = copy_portal(tmp_path_factory.mktemp("opendata") / "portal")
    result = built.build()
    assert result.returncode == 0, result.stderr
    return built


@pytest.fixture(scope="session")
def sample_reports():
    from gongkai.collection import load_portal

    portal = load_portal([REPO / "reports"], base=REPO)
    assert portal.ok, portal.findings
    return sorted(portal.reports, key=lambda r: r.key)
