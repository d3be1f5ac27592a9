"""The loader's caches: one tuple per YAML path, and the implicit tag of each short plain scalar.

Both hold what every report repeats (the same few hundred paths, the same keys and small
numbers), are keyed by the thing itself (a path, a scalar's text), only grow with what was
never seen before, and are emptied past a bound. ``loading`` reads through them; the plain
logic of reading a report is there.
"""

from __future__ import annotations

import operator
from typing import Any

import yaml

# The paths' cache, apart (no YAML where reports are only unpickled); ``loading`` takes it from here.
from .shared_paths import child_paths as child_paths
from .shared_paths import shared_path as shared_path

try:  # libyaml is much faster; fall back to the pure-Python parser where it is missing
    BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    BaseLoader = yaml.SafeLoader

_ScalarNode = yaml.ScalarNode


# Plain decimal integers as written (the loader checks the form first), short ones only, bounded.
PLAIN_INTS: dict[str, int] = {}
PLAIN_INTS_BOUND = 50_000


# Implicit tags of plain scalars by their text. Keys and small numbers recur in every report and
# PyYAML resolves each one by trying regular expressions; the answer depends on the text alone
# (when no path resolvers are registered, as for the safe loaders). Short texts only, bounded.
_IMPLICIT_TAGS: dict[str, str] = {}
_IMPLICIT_TAGS_BOUND = 50_000
_CACHED_TEXT_LENGTH = 32


class CachingLoader(BaseLoader):  # type: ignore[misc]
    """libyaml's safe loader (where present), resolving each short plain scalar's tag once per text."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        if not self.yaml_path_resolvers:
            # Without path resolvers (the safe loaders register none) these two do nothing, and libyaml's
            # composer calls both for every node: a builtin that takes the same arguments is a cheaper no-op.
            self.descend_resolver = operator.is_  # (parent node, index)
            self.ascend_resolver = ().__len__  # ()

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is _ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            tag = _IMPLICIT_TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= _CACHED_TEXT_LENGTH:
                    if len(_IMPLICIT_TAGS) >= _IMPLICIT_TAGS_BOUND:
                        _IMPLICIT_TAGS.clear()
                    _IMPLICIT_TAGS[value] = tag
            return tag
        return super().resolve(kind, value, implicit)
