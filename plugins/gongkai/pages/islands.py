"""HTML kept out of the Markdown parser and the search index: a comment slot now, the HTML later.

Large generated HTML (charts, roll-up tables) would cost the Markdown parser and the search
plugin's HTML parser much of a build; like the report tables (``insert_tables``), it goes into
the page only after both have run (``PortalPage.finish``).
"""

from __future__ import annotations

import hashlib
import re

from markupsafe import Markup

_SLOT = re.compile(r"<!--gongkai-html:([0-9]+):[0-9a-f]+-->")


class Islands:
    def __init__(self) -> None:
        self._html: list[str] = []

    def slot(self, html: str) -> Markup:
        """A slot for ``html`` (safe HTML), to stand alone between blank lines in the Markdown."""
        if not html:
            return Markup("")
        self._html.append(str(html))
        # The slot names its content's hash: a page whose HTML changed has other Markdown, so a
        # dirty build (which knows a listing page by its Markdown) renders it again.
        digest = hashlib.blake2b(self._html[-1].encode("utf-8"), digest_size=8).hexdigest()
        return Markup(f"<!--gongkai-html:{len(self._html) - 1}:{digest}-->")

    def fill(self, page_html: str) -> str:
        return _SLOT.sub(lambda m: self._html[int(m.group(1))] if int(m.group(1)) < len(self._html)
                         else m.group(0), page_html)
