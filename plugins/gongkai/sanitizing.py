"""The one place that decides what text may reach a page.

- ``plain_text``: a name or title as the theme may print it anywhere (``<title>`` after
  ``striptags``, the navigation, the search index): never markup, never an entity;
- ``render_narrative``: a narrative's Markdown made into HTML by a Markdown instance of its
  own (no ``attr_list``, no raw HTML, no extension the site adds), then cleaned by nh3;
- ``clean_page``: the last pass over a generated page's content, by nh3 too (markup nh3 would keep
  as it is is recognised without it: ``kept_markup``; ``clean_page_slowly`` is the definition).

What HTML survives is declared below as data (``NARRATIVE_HTML``, ``PAGE_HTML``). The
validator (``text_checks``) reports every construct these functions would drop, so nothing is
dropped without a word; they defend a page built from a report the validator never saw.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.entities import html5 as html5_entities

import markdown
import nh3

from .kept_markup import KeptMarkup

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


@dataclass(frozen=True)
class Allowlist:
    """The HTML nh3 keeps: elements, the attributes of each (``"*"``: of every one), the CSS properties of a ``style``."""

    tags: frozenset[str]
    attributes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    prefixes: frozenset[str] = frozenset()  # attribute names kept on every element by their start (``aria-``)
    styles: frozenset[str] = frozenset()
    keep_comments: bool = False

    def clean(self, markup: str) -> str:
        return nh3.clean(
            markup,
            tags=set(self.tags),
            clean_content_tags={"script", "style"} - self.tags,
            attributes={"*": set(), **{tag: set(names) for tag, names in self.attributes.items()}},  # "*": no lang, title
            generic_attribute_prefixes=set(self.prefixes) or None,
            filter_style_properties=set(self.styles) if self.styles else None,
            url_schemes=set(SAFE_SCHEMES),
            strip_comments=not self.keep_comments,
            link_rel=None,
        )


_TEXT_TAGS = frozenset({"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "hr", "a"})
_TABLE_TAGS = frozenset({"table", "thead", "tbody", "tr", "th", "td"})
_TABLE_CELLS = {"th": frozenset({"style"}), "td": frozenset({"style"})}

# What a report's narrative needs: paragraphs, emphasis, lists, quotes, code, links, simple
# tables and subheadings below the page's own h1 (report) and h2 (the six sections).
# No images (a portal makes no outside request), no ids or classes, no style but a cell's alignment.
NARRATIVE_HTML = Allowlist(
    tags=_TEXT_TAGS | _TABLE_TAGS | {"h3", "h4", "h5", "h6"},
    attributes={"a": frozenset({"href"}), "ol": frozenset({"start"}), **_TABLE_CELLS},
    styles=frozenset({"text-align"}),
)

# A generated report page's content as the page templates (a site may override them) and MkDocs
# make it; the narratives in it were cleaned already. Text, structure, anchors, classes and ARIA;
# nothing that runs or loads: no script, style, image, frame, form or embedded object, no event
# handler, no URL but a safe link's.
PAGE_HTML = Allowlist(
    tags=_TEXT_TAGS | _TABLE_TAGS | {
        "h1", "h2", "h3", "h4", "h5", "h6", "div", "span", "section", "aside", "details", "summary", "figure",
        "figcaption", "caption", "colgroup", "col", "tfoot", "dl", "dt", "dd", "time", "abbr", "small", "sub", "sup",
        "b", "i", "u", "s", "del", "ins", "mark", "q", "cite", "kbd", "samp", "var"},
    attributes={"*": frozenset({"class", "id", "role", "title", "lang", "dir"}), "a": frozenset({"href"}),
                "ol": frozenset({"start"}), "time": frozenset({"datetime"}),
                **{tag: frozenset({"style", "colspan", "rowspan", "scope", "headers"}) for tag in ("th", "td")}},
    prefixes=frozenset({"aria-"}),
    styles=frozenset({"text-align"}),
    keep_comments=True,  # the tables' slots (``report_page.TABLE_SLOT``); narratives hold no comment
)

# --- names and titles -----------------------------------------------------------------

# What a name may not hold: markup, entities, control and invisible format characters.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_AMPERSAND = re.compile(r"&(#[xX][0-9A-Fa-f]+;?|#[0-9]+;?|[A-Za-z][A-Za-z0-9]*;?)")
_LEGACY_ENTITIES = tuple(sorted((name for name in html5_entities if not name.endswith(";")), key=len, reverse=True))


def _entity(match: re.Match[str]) -> bool:
    """Whether an ``&…`` a browser (or ``striptags``) would decode as a character reference."""
    body = match.group(1)
    return body.startswith("#") or body in html5_entities or body.startswith(_LEGACY_ENTITIES)


def markup_in_name(text: str) -> str | None:
    """What in ``text`` could become markup on a page, in words; ``None`` when nothing."""
    for match in _AMPERSAND.finditer(text):
        if _entity(match):
            return f"字符实体“{match.group(0)}”"
    for character in ("<", ">"):
        if character in text:
            return f"“{character}”"
    control = _CONTROL.search(text)
    if control:
        return f"控制字符或不可见字符 U+{ord(control.group(0)):04X}"
    return None


def plain_text(text: str) -> str:
    """``text`` as plain text any template may print, even after ``striptags`` (which decodes entities).

    ``<`` and ``>`` become their full-width look-alikes, so does an ``&`` that would start an
    entity; control characters go. A name holding any of them was refused by the validator
    already (``text_checks.check_name``): this changes only text the validator never saw.
    """
    text = _CONTROL.sub("", str(text)).replace("<", "＜").replace(">", "＞")
    return _AMPERSAND.sub(lambda m: "＆" + m.group(1) if _entity(m) else m.group(0), text)


# --- URLs -----------------------------------------------------------------------------

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


def is_safe_url(value: str) -> bool:
    """Relative URLs, anchors and http(s)/mailto/tel links; never javascript:, data: and the like."""
    probe = _INVISIBLE.sub("", html.unescape(value)).lower()
    scheme = _SCHEME.match(probe)
    return scheme is None or scheme.group(1) in SAFE_SCHEMES


# --- narratives -----------------------------------------------------------------------

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^#{1,6}")  # as Python-Markdown reads one: at the line's start, a space or not
MIN_HEADING = 3  # a report page has its own h1 (the report) and h2 (the six sections)

# The narrative's own Markdown: what MkDocs always enables (fenced code, tables), nothing a site adds.
_NARRATIVE_EXTENSIONS = ("fenced_code", "tables")


def narrative_markdown() -> markdown.Markdown:
    """Markdown without raw HTML: a tag a narrative holds is text, shown as typed (code stays code)."""
    md = markdown.Markdown(extensions=list(_NARRATIVE_EXTENSIONS), output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


_INSTANCES = threading.local()  # one instance per thread, reset before each use (making one costs more than a page)


def markdown_html(text: str) -> str:
    """``text`` rendered by the narrative's Markdown (not yet cleaned)."""
    md = getattr(_INSTANCES, "md", None)
    if md is None:
        md = _INSTANCES.md = narrative_markdown()
    return str(md.reset().convert(text))


@dataclass(frozen=True)
class Line:
    number: int  # 0-based, in the narrative
    text: str
    in_code: bool  # inside a fenced code block (or its fence)


def narrative_lines(text: str) -> list[Line]:
    """The narrative's lines, each marked when it belongs to a fenced code block."""
    lines, fence = [], None
    for number, line in enumerate(text.split("\n")):
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            lines.append(Line(number, line, True))
        elif match:
            fence = match.group(1)
            lines.append(Line(number, line, True))
        else:
            lines.append(Line(number, line, False))
    return lines


def heading(line: Line) -> tuple[int, str] | None:
    """Level and text of an ATX heading line outside code, else ``None``."""
    match = None if line.in_code else _ATX_HEADING.match(line.text)
    if match is None:
        return None
    return len(match.group(0)), re.sub(r"#+\s*$", "", line.text[match.end():]).strip()


def prepared(text: str, *, min_heading: int = MIN_HEADING) -> str:
    """The narrative with its headings pushed down to ``min_heading`` (Markdown still)."""
    out = []
    for line in narrative_lines(text.strip("\n")):
        found = heading(line)
        if found and found[0] < min_heading:
            out.append("#" * min_heading + " " + found[1])
        else:
            out.append(line.text)
    return "\n".join(out)


# A narrative that Markdown reads as plain paragraphs and nothing else (most are, Chinese prose):
# no character that Markdown, its serializer or nh3 treats specially anywhere (emphasis, code,
# links, escapes, tables, fences, entities, tags, control characters, whitespace but the space and
# the newline, characters nh3 writes as entities), and no line that starts or ends as a block or a
# line break would (indentation, a trailing space, ``#``, ``+``, ``-``, ``=``, ``1.``). The test
# tests/site/test_narrative_fast.py compares it with Markdown + nh3 over many texts.
_NOT_PLAIN = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\xa0\\`*_\[\]!<>&|~\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
    r"\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]|^[ #+=\-]|^\d+\.| $", re.M)
_BLANK_LINES = re.compile(r"\n{2,}")


def plain_paragraphs(text: str) -> str | None:
    """``render_narrative(text)`` when the narrative is plain paragraphs (``_NOT_PLAIN``), written
    without Markdown or nh3: each paragraph's lines as typed in a ``<p>``; else ``None``."""
    if _NOT_PLAIN.search(text):
        return None
    return "\n".join(f"<p>{paragraph}</p>" for paragraph in _BLANK_LINES.split(text.strip("\n")) if paragraph)


def render_narrative(text: str) -> str:
    """A narrative's Markdown as clean HTML (``NARRATIVE_HTML``)."""
    fast = plain_paragraphs(text)
    if fast is not None:
        return fast
    return render_narrative_slowly(text)


def render_narrative_slowly(text: str) -> str:
    """``render_narrative`` by Markdown and nh3, whatever the text (the reference of ``plain_paragraphs``)."""
    return NARRATIVE_HTML.clean(markdown_html(prepared(text)))


_INLINE_MARKUP = re.compile(r"[\\`*_\[\]!<>&]")


def heading_text(text: str) -> str:
    """A heading's inline Markdown as the words a reader sees (emphasis and links dropped)."""
    if not _INLINE_MARKUP.search(text):
        return text.strip()
    rendered = markdown_html(text)
    return html.unescape(nh3.clean(rendered, tags=set())).strip()


_PAGE_KEPT = KeptMarkup(PAGE_HTML)


def clean_page(markup: str) -> str:
    """A generated page's rendered content, cleaned by ``PAGE_HTML``: ``clean_page_slowly``, without nh3
    for markup nh3 would keep as it is (``kept_markup``; a report page's content, most of the time)."""
    if not markup:  # a report page read as blank in MkDocs' first pass
        return markup
    kept = _PAGE_KEPT.clean(markup)
    return kept if kept is not None else PAGE_HTML.clean(markup)


def clean_page_slowly(markup: str) -> str:
    """``clean_page`` by nh3, whatever the markup (the definition)."""
    return PAGE_HTML.clean(markup)
