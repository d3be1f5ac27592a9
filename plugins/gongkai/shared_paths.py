"""The cell paths' cache: one tuple per path, shared by every report of a process (``loading_caches``
reads reports through it; an unpickled report's layout and the totals' rules take the same tuples).

Apart from ``loading_caches`` so that a process that only unpickles reports (the files worker,
``gongkai.offload``) does not import YAML.
"""

from __future__ import annotations

from typing import Any

Path_ = tuple[Any, ...]


# Every report spells the same few hundred paths: one tuple for each, shared by the marks and
# values of every report (a tuple per path per report was a fifth of a parsed report's memory).
# Keyed by the path itself; it only grows with paths never seen before, and is emptied past a bound.
_PATHS: dict[Path_, Path_] = {}
_PATHS_BOUND = 100_000


_CHILDREN: dict[Path_, dict[Any, Path_]] = {}  # a path's children's shared tuples by their last key


def shared_path(path: Path_) -> Path_:
    """The one tuple kept for this path (equal to ``path``)."""
    found = _PATHS.get(path)
    if found is None:
        if len(_PATHS) >= _PATHS_BOUND:
            _PATHS.clear()
            _CHILDREN.clear()
        found = _PATHS[path] = path
    return found


def child_paths(path: Path_) -> dict[Any, Path_]:
    """The shared tuples of ``path``'s children, by key (the caller adds the ones it makes: ``shared_path``).

    The loader looks every key of a report up here: no tuple is made for a path seen before."""
    found = _CHILDREN.get(path)
    if found is None:
        found = _CHILDREN[path] = {}
    return found
