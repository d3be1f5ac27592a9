"""ruff (style, imports, likely bugs) and mypy (strict on the core) pass: part of `make test`, and so of CI.

Both tools and their settings come from ``pyproject.toml`` (the ``test`` extras and
``[tool.ruff]`` / ``[tool.mypy]``); a failure shows the tool's own report.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    done = _run("ruff", "check", "--no-cache", ".")
    assert done.returncode == 0, f"ruff check .\n{done.stdout}{done.stderr}"


def test_mypy_finds_nothing_in_the_package() -> None:
    done = _run("mypy")  # what to check and how strictly: [tool.mypy] in pyproject.toml
    assert done.returncode == 0, f"mypy\n{done.stdout}{done.stderr}"
