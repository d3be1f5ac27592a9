"""The tables' fast path: a table's HTML rendered once per layout, cut around its numbers.

The layout depends on the table and the id prefix, never on the report. So the template is
rendered once per (table, id prefix, template) with a placeholder in place of each number;
the HTML is kept cut around the placeholders (a skeleton), and ``render_table`` writes only
each report's numbers into it. The plain way — the template rendered for every report — gives
the same bytes (``tests/rendering/test_rendering_skeleton.py``, and the golden files).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..formats import TableSpec
from ..model import CellPath

if TYPE_CHECKING:  # a key's type only: the files worker lays tables out (``forms``) without Jinja
    from jinja2 import Template

TextOf = Callable[[CellPath], str]  # the text of the cell at a path: a report's number, or a placeholder
Render = Callable[[TextOf], str]  # the table's HTML, asking ``text_of`` for each number's text


# A placeholder for the n-th number. The "&" shows whether the template escapes the text
# (it comes back as "&amp;"), so that each number is written exactly as the template would.
_SLOT = "\ue000{}&\ue001"
_SLOTS = re.compile("\ue000([0-9]+)&(amp;)?\ue001")


@dataclass(frozen=True)
class Skeleton:
    """A table's HTML cut around its numbers: ``parts[0]``, number 0, ``parts[1]``, … ``parts[-1]``."""

    parts: tuple[str, ...]
    paths: tuple[CellPath, ...]  # the cell of each number, in the order the HTML writes them
    escaped: tuple[bool, ...]  # whether the template escapes that number's text


def _skeleton(render: Render) -> Skeleton:
    """Renders the table once, with a placeholder for every number."""
    paths: list[CellPath] = []

    def placeholder(path: CellPath) -> str:
        paths.append(path)
        return _SLOT.format(len(paths) - 1)

    html = render(placeholder)
    pieces = _SLOTS.split(html)  # text, index, "amp;" or None, text, index, …
    return Skeleton(
        parts=tuple(pieces[0::3]),
        paths=tuple(paths[int(index)] for index in pieces[1::3]),
        escaped=tuple(amp is not None for amp in pieces[2::3]),
    )


# Keyed by (table declaration, id prefix, template object); declarations hash by identity. A site's
# override, or a template changed on disk during ``mkdocs serve``, is another template object,
# hence another entry.
_SKELETONS: dict[tuple[TableSpec, str, Template], Skeleton] = {}
_SKELETONS_BOUND = 256


def cached_skeleton(table: TableSpec, id_prefix: str, template: Template, render: Render) -> Skeleton:
    """The skeleton of ``table`` as ``render`` writes it with this id prefix and template."""
    key = (table, id_prefix, template)
    skeleton = _SKELETONS.get(key)
    if skeleton is None:
        if len(_SKELETONS) >= _SKELETONS_BOUND:
            _SKELETONS.clear()
        skeleton = _SKELETONS[key] = _skeleton(render)
    return skeleton
