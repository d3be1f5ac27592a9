"""Text made safe for generated Markdown, and generated HTML made safe after rendering.

The validator already rejects HTML and script links in a narrative; these functions defend
in depth, so that a report built without the validator still cannot inject markup.
"""

from __future__ import annotations

import html
import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^\s<>\"']+>", re.IGNORECASE)
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^( {0,3})(#{1,6})(?=\s|$)")

_TAG = re.compile(r"<[A-Za-z][^<>]*>")
_EVENT_ATTRIBUTE = re.compile(r"""\s+on[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+)""", re.IGNORECASE)
_URL_ATTRIBUTE = re.compile(
    r"""(\s(?:href|src|action|formaction|xlink:href|poster|srcset)\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)""",
    re.IGNORECASE)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


def markdown_inline(text: str) -> str:
    """Backslash-escape every Markdown punctuation character, so the text reads as typed."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def safe_narrative(text: str, *, min_heading: int = 3) -> str:
    """A narrative ready for a report page.

    Every ``<`` that does not open a plain http(s)/mailto autolink becomes ``&lt;`` (so no
    tag can form), and headings are pushed down to ``min_heading`` so that the six official
    ``h2`` sections keep the page outline.
    """
    out = []
    fence: str | None = None
    for line in text.strip("\n").split("\n"):
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            out.append(_escape_lt(line))
            continue
        if match:
            fence = match.group(1)
            out.append(_escape_lt(line))
            continue
        heading = _ATX_HEADING.match(line)
        if heading and len(heading.group(2)) < min_heading:
            line = heading.group(1) + "#" * min_heading + line[heading.end():]
        out.append(_escape_lt(line))
    return "\n".join(out)


def _escape_lt(line: str) -> str:
    keep = [(m.start(), m.end()) for m in _AUTOLINK.finditer(line)]
    if not keep:
        return line.replace("<", "&lt;")
    parts, last = [], 0
    for start, end in keep:
        parts.append(line[last:start].replace("<", "&lt;"))
        parts.append(line[start:end])
        last = end
    parts.append(line[last:].replace("<", "&lt;"))
    return "".join(parts)


def is_safe_url(value: str) -> bool:
    """Relative URLs, anchors and http(s)/mailto/tel links; never javascript:, data: and the like."""
    probe = _INVISIBLE.sub("", html.unescape(value)).lower()
    scheme = _SCHEME.match(probe)
    return scheme is None or scheme.group(1) in _SAFE_SCHEMES


def sanitize_html(markup: str) -> str:
    """Drop event-handler attributes and neutralize unsafe URLs in every tag of ``markup``."""
    return _TAG.sub(_sanitize_tag, markup)


def _sanitize_tag(match: re.Match[str]) -> str:
    tag = _EVENT_ATTRIBUTE.sub("", match.group(0))
    return _URL_ATTRIBUTE.sub(_sanitize_url, tag)


def _sanitize_url(match: re.Match[str]) -> str:
    value = match.group(2)
    if value[:1] in "\"'":
        value = value[1:-1]
    return match.group(0) if is_safe_url(value) else f'{match.group(1)}"#"'

