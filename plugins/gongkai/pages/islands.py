"""HTML kept out of the Markdown parser and the search index: a comment slot now, the HTML later.

Large generated HTML (charts, roll-up tables) would cost the Markdown parser and the search
plugin's HTML parser much of a build; like the report tables (``insert_tables``), it goes into
the page only after both have run (``PortalPage.finish``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from markupsafe import Markup

_SLOT = re.compile(r"<!--gongkai-html:([0-9]+):[0-9a-f]+-->")


class Islands:
    def __init__(self) -> None:
        self._html: list[str | Callable[[], str]] = []

    def slot(self, html: str) -> Markup:
        """A slot for ``html`` (safe HTML), to stand alone between blank lines in the Markdown."""
        if not html:
            return Markup("")
        self._html.append(str(html))
        # The slot names its content's hash: a page whose HTML changed has other Markdown, so a
        # dirty build (which knows a listing page by its Markdown) renders it again.
        return self._slot(str(html))

    def later(self, key: str, make: Callable[[], str]) -> Markup:
        """A slot for HTML made only when the page is filled (nothing held until then); ``key`` names
        what the HTML is made from, so that a dirty build sees it change."""
        self._html.append(make)
        return self._slot(key)

    def _slot(self, content: str) -> Markup:
        digest = hashlib.blake2b(content.encode("utf-8"), digest_size=8).hexdigest()
        return Markup(f"<!--gongkai-html:{len(self._html) - 1}:{digest}-->")

    def _html_of(self, number: int, slot: str) -> str:
        if number >= len(self._html):
            return slot
        html = self._html[number]
        return html if isinstance(html, str) else html()

    def fill(self, page_html: str) -> str:
        """The page with its slots filled; the islands are then forgotten (a page is filled once per build)."""
        filled = _SLOT.sub(lambda m: self._html_of(int(m.group(1)), m.group(0)), page_html)
        self._html = [""] * len(self._html)
        return filled
