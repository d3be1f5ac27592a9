"""Fixtures for the open-data tests; helpers live in opendata_kit.py (importable: this folder is put on sys.path)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from opendata_kit import REPO, Built, copy_portal


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
