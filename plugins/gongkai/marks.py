"""Where something was written in a source file: a 1-based line and column.

A module of its own so that the typed report (``model``), the loader and the importer can all
name positions without reaching into each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based


FILE_START = Mark(1, 1)


def nearest(path: tuple[Any, ...], lookup: Callable[[tuple[Any, ...]], Mark | None]) -> Mark:
    """Where ``path`` was written, else its nearest written ancestor, else the file's start."""
    probe = tuple(path)
    while probe:
        found = lookup(probe)
        if found:
            return found
        probe = probe[:-1]
    return FILE_START
