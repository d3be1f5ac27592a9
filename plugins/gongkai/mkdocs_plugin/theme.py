"""The theme's work done once per build instead of once per page (``overrides/``, global ``gongkai_theme``).

The theme renders the same pieces on thousands of pages: Material's translations, the site
navigation and table of contents of every report page (the same on every report page of a
format), the footer. :class:`ThemeMemo` keeps each piece's HTML under a key that holds everything
the piece reads, so that a page whose key was seen gets the HTML rendered for the first one —
byte for byte what the theme would have rendered again:

- ``translator``: Material's ``lang.t(key)`` (``partials/language.html``: a dictionary of
  every string, made anew on each call), one lookup per key and build;
- ``fragment``: the HTML a ``{% call %}`` block renders, under the key the template gives; the
  template is responsible for the key, with the help of :meth:`ThemeMemo.nav_key` (the sidebars
  of a page the navigation does not list) and :func:`toc_key`.

One memo per build (``on_env``: a new environment, a new memo); it holds at most ``limit``
fragments, so a site whose pages all differ costs a key per page and no memory.

Relies on MkDocs' and Material's templates as of MkDocs 1.6 and Material 9.x: what
``partials/nav.html``, ``nav-item.html``, ``toc.html`` and ``toc-item.html`` read of the
navigation, the page and its table of contents (listed at :meth:`ThemeMemo.nav_key` and
:func:`toc_key`), and that MkDocs' ``url`` filter depends on the page only (it is called here
for every URL the navigation shows). tests/site/test_theme_memo.py renders pages with the memo
and without it and compares them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

FRAGMENTS_MAX = 256  # distinct fragments kept; then the memo starts afresh

# What Material's nav-item.html reads of an item's ``meta``.
_NAV_META = ("icon", "subtitle", "status")


class ThemeMemo:
    """The theme's pieces of one build, rendered once each (the templates' global ``gongkai_theme``)."""

    def __init__(self, limit: int = FRAGMENTS_MAX) -> None:
        self.limit = limit
        self.translations: dict[tuple[str, str], Any] = {}
        self.fragments: dict[Hashable, Any] = {}
        self.hits = 0  # fragments given from the memo (for the benchmark and the tests)

    def translator(self, language: str, lookup: Callable[[str], Any]) -> Callable[[str], Any]:
        """Material's ``t(key)`` for ``language``: ``lookup`` (Material's own macro) once per key."""
        translations = self.translations

        def t(key: str) -> Any:
            found = translations.get((language, key))
            if found is None:
                found = translations[(language, key)] = lookup(key)
            return found

        return t

    def fragment(self, *key: Hashable, caller: Callable[[], Any]) -> Any:
        """What ``caller`` (the body of a ``{% call %}`` block) renders, once per ``key``."""
        try:
            found = self.fragments.get(key)
        except TypeError:  # a value in the key that cannot be hashed (a list in a page's meta): not kept
            return caller()
        if found is not None:
            self.hits += 1
            return found
        found = caller()
        if len(self.fragments) >= self.limit:
            self.fragments.clear()
        self.fragments[key] = found
        return found

    @pass_context
    def nav_key(self, context: Context | Any) -> Hashable | None:  # or page_shell.TemplateValues
        """Everything Material's sidebars (``partials/nav.html``, ``partials/toc.html``, in the block
        ``site_nav``) read, for a page the navigation does not list; None for a listed page
        (its items are active: rendered every time).

        The navigation's items as the theme shows them: each one's kind, title, URL as the
        ``url`` filter gives it for this page, state (``active``, ``is_index``), what it reads of
        its ``meta`` and its children; the home page's and the logo's URL; the page's ``meta.hide``
        and table of contents (:func:`toc_key`). The rest is the build's (``config``, the features,
        the translations).
        """
        page, nav = context.get("page"), context.get("nav")
        if page is None or not nav or page in nav.pages:
            return None
        url = context.environment.filters["url"]
        config = context.get("config")
        extra = config.extra if config is not None else {}
        logo = config.theme.get("logo") if config is not None else None
        homepage = extra.get("homepage") or (nav.homepage.url if nav.homepage is not None else "")
        meta = page.meta or {}
        return ("site_nav", _items(nav.items, page, lambda value: url(context, value)),
                url(context, homepage) if homepage else None, url(context, logo) if logo else None,
                meta.get("hide"), toc_key(page.toc))


def toc_key(toc: Iterable[Any]) -> tuple[Any, ...]:
    """What Material's toc.html and toc-item.html read of a table of contents: when its first
    entry is a level-1 heading (the page's title), only that entry's children are shown; of
    each entry shown, its URL, title (and Material's ``typeset`` title) and children."""
    first = next(iter(toc), None)
    if first is not None and first.level == 1:
        return ("title", _toc_entries(first.children))
    return ("all", _toc_entries(toc))


def _toc_entries(toc: Iterable[Any]) -> tuple[Any, ...]:
    return tuple((item.url, item.title, _typeset(item), _toc_entries(item.children)) for item in toc)


def _typeset(item: Any) -> Any:
    typeset = getattr(item, "typeset", None)
    return None if typeset is None else getattr(typeset, "title", typeset)


def _items(items: Iterable[Any], page: Any, url: Callable[[str], str]) -> tuple[Any, ...]:
    key = []
    for item in items:
        meta = getattr(item, "meta", None) or {}
        link = getattr(item, "url", None)
        pages = getattr(item, "pages", None)
        key.append((type(item).__name__, getattr(item, "title", None), None if link is None else url(link),
                    bool(getattr(item, "active", False)),
                    bool(getattr(item, "is_index", False)),
                    (tuple(meta.get(name) for name in _NAV_META), getattr(item, "encrypted", None)) if meta else None,
                    _typeset(item),
                    pages is not None and page in pages,
                    _items(getattr(item, "children", None) or (), page, url)))
    return tuple(key)
