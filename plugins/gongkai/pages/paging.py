"""Long lists split into numbered pages: the pieces, and the pager that links them.

A pager is a Markdown paragraph (``pager``) with 上一页/下一页, the first and last pages and those
near the current one, which is marked ``aria-current="page"``; once rendered, ``wrap_pagers`` puts
it in a ``nav`` landmark labelled 分页. The listings (``index_pages``) and open data's pages
(``opendata.site``) use the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from markupsafe import Markup

from ..indexing import relative_link
from .headings import escape_attribute

T = TypeVar("T")

PAGER_CLASS = "gk-pager"
PAGER_LABEL = "分页"
_PAGER = re.compile(rf'<p class="{PAGER_CLASS}">(.*?)</p>', re.S)


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """``items`` in pieces of at most ``size`` (one piece, maybe empty, when they fit)."""
    size = max(size, 1)
    return [items[i:i + size] for i in range(0, len(items), size)] or [items]


def _pager_parts(pages: Sequence[str], number: int, window: int) -> list[tuple[str, int | None]]:
    """A pager's parts in order: (text, the number of the page it links to; ``None``: not a link)."""
    parts: list[tuple[str, int | None]] = []
    if number > 1:
        parts.append(("上一页", number - 1))
    shown = sorted({1, len(pages), *range(max(1, number - window), min(len(pages), number + window) + 1)})
    previous = 0
    for n in shown:
        if n > previous + 1:
            parts.append(("…", None))
        parts.append((f'<span aria-current="page">第 {n} 页</span>', None) if n == number else (f"第 {n} 页", n))
        previous = n
    if number < len(pages):
        parts.append(("下一页", number + 1))
    return parts


def pager(here: str, pages: Sequence[str], number: int, window: int = 2) -> Markup:
    """A Markdown paragraph linking the pages of a listing (``""`` for one page): 上一页, the
    first and last pages, those within ``window`` of this one, 下一页. Its size does not grow
    with the number of pages; ``wrap_pagers`` makes it a ``nav`` landmark once rendered."""
    if len(pages) <= 1:
        return Markup("")
    parts = [text if n is None else f"[{text}]({relative_link(here, pages[n - 1])})"
             for text, n in _pager_parts(pages, number, window)]
    # Only page numbers, fixed words and generated source paths: nothing to escape.
    return Markup(" · ".join(parts) + f"\n{{: .{PAGER_CLASS} }}")


def pager_html(pages: Sequence[str], number: int, link: Callable[[str], str | None], window: int = 2) -> str | None:
    """``pager`` as Markdown renders it (``link``: a page's URL by its source path; ``None`` when
    one is not known)."""
    if len(pages) <= 1:
        return ""
    parts = []
    for text, n in _pager_parts(pages, number, window):
        url = None if n is None else link(pages[n - 1])
        if n is not None and url is None:
            return None
        parts.append(text if url is None else f'<a href="{escape_attribute(url)}">{text}</a>')
    return f'<p class="{PAGER_CLASS}">' + " · ".join(parts) + "</p>"


def wrap_pagers(html: str) -> str:
    """The rendered pager paragraph inside a ``nav`` landmark labelled 分页 (Markdown cannot write one)."""
    return _PAGER.sub(lambda m: f'<nav class="{PAGER_CLASS}" aria-label="{PAGER_LABEL}"><p>{m.group(1)}</p></nav>', html)
