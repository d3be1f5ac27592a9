"""Fixtures for the import tests; builders live in import_kit.py (this folder is put on sys.path)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from import_kit import SAMPLE, load_report  # noqa: E402

from gongkai.importing import command  # noqa: E402
from gongkai.model import Report  # noqa: E402


@pytest.fixture(scope="session")
def sample() -> Report:
    return load_report(SAMPLE)


@pytest.fixture()
def run_import(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str]]:
    """Runs `gongkai import` with the given arguments; returns the exit code and all output."""

    def run(*argv: str) -> tuple[int, str]:
        parser = argparse.ArgumentParser(prog="gongkai import")
        command.add_arguments(parser)
        code = command.run(parser.parse_args(list(argv)))
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    return run
