"""Text made safe for generated Markdown, and generated HTML made safe after rendering.

What may reach a page is decided in ``gongkai.sanitizing``; these functions put it into the
pages' Markdown. The validator already rejects what they would drop (``gongkai.text_checks``);
they defend in depth, so that a report built without the validator still cannot inject markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import escape

from ..sanitizing import (
    MIN_HEADING,
    clean_page,
    heading,
    heading_text,
    is_safe_url,
    narrative_lines,
    plain_text,
    render_narrative,
)

__all__ = ["NarrativeHeading", "is_safe_url", "markdown_inline", "markdown_text", "narrative_parts", "safe_narrative",
           "sanitize_html"]

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:")
NARRATIVE_BLOCK = '<div class="gk-narrative">\n{html}\n</div>'


def markdown_inline(text: str) -> str:
    """Backslash-escape every Markdown punctuation character, so the text reads as typed."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def markdown_text(text: str) -> str:
    """A name or title for Markdown inline content: plain text, read as typed, HTML-escaped."""
    return str(escape(markdown_inline(plain_text(text))))


@dataclass(frozen=True)
class NarrativeHeading:
    """A narrative's heading on a report page: its level (``min_heading`` at least) and its words (plain text)."""

    level: int
    words: str

    def markdown(self) -> str:
        return "#" * self.level + " " + str(escape(markdown_inline(self.words)))


def narrative_parts(text: str, *, min_heading: int = MIN_HEADING) -> list[NarrativeHeading | str]:
    """A narrative as a report page shows it: its headings, and between them its clean HTML blocks.

    The headings stay headings of the page (plain text, pushed down to ``min_heading``), so that
    they get anchors and a place in the page's outline; everything else is rendered and cleaned
    by ``sanitizing.render_narrative``, one ``NARRATIVE_BLOCK`` between two headings.
    """
    lines = narrative_lines(text.strip("\n"))
    references = [line.text for line in lines if not line.in_code and _REFERENCE.match(line.text)]
    out: list[NarrativeHeading | str] = []
    chunk: list[str] = []

    def flush() -> None:
        body = "\n".join(chunk).strip("\n")
        if body.strip() and not all(_REFERENCE.match(line) or not line.strip() for line in chunk):
            out.append(NARRATIVE_BLOCK.format(html=render_narrative("\n".join([body, "", *references]))))
        chunk.clear()

    for line in lines:
        found = heading(line)
        if found is None:
            chunk.append(line.text)
            continue
        flush()
        level, words = found
        out.append(NarrativeHeading(max(level, min_heading), heading_text(words)))
    flush()
    return out


def safe_narrative(text: str, *, min_heading: int = MIN_HEADING) -> str:
    """A narrative as a report page's Markdown (``narrative_parts``): its headings as Markdown
    headings, its HTML blocks as they are, which pass through the page's Markdown untouched by
    the site's Markdown extensions."""
    return "\n\n".join(part.markdown() if isinstance(part, NarrativeHeading) else part
                        for part in narrative_parts(text, min_heading=min_heading))


def sanitize_html(markup: str) -> str:
    """A generated page's rendered content with only what ``sanitizing.PAGE_HTML`` allows."""
    return clean_page(markup)

