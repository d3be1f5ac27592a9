"""Fixtures for the core tests; helpers live in core_kit.py (importable: this folder is put on sys.path)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from gongkai import collection  # noqa: E402

Writer = Callable[[dict[str, "str | bytes"]], collection.Portal]


@pytest.fixture
def portal(tmp_path: Path) -> Writer:
    """Write files under tmp_path/reports and load them the way `gongkai validate` does."""

    def write(files: dict[str, str | bytes]) -> collection.Portal:
        for name, content in files.items():
            target = tmp_path / "reports" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return collection.load_portal([tmp_path / "reports"], base=tmp_path)

    return write

