"""A generated page written as HTML directly, as Python-Markdown and MkDocs would write it.

A report page's Markdown holds nothing Markdown has to work out: headings with explicit ids (or
plain-text headings of the narratives), blocks of HTML made safe already, one paragraph of two
links. Rendering it costs a Python-Markdown instance per page, the toc and attr_list extensions
and MkDocs' tree processors: the largest share of a large build. ``HtmlPage`` writes the same
HTML from the same parts:

- headings as the ``toc`` extension writes them, with the site's options (``HeadingStyle``:
  permalinks, anchor links, base level, depth, slugs of headings without an id), and the
  page's table of contents as its tokens (``toc_tokens``: level, id, name, children);
- blocks of raw HTML as Python-Markdown passes them through (its whitespace normalisation);
- the title MkDocs takes from the first heading, the anchors a page holds
  (``present_anchor_ids``) and the links to anchors of the page itself (``links_to_anchors``).

Nothing here imports MkDocs: the adapter decides when the site's settings allow it (any option
or extension not emulated here sends the page through Markdown) and hands the result to MkDocs.
Python-Markdown's own helpers (``unique``, ``nest_toc_tokens``, the option parsing of
``TocTreeprocessor``) are reused, so that a setting means here what it means there.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlsplit

from markdown.extensions.toc import TocExtension, TocTreeprocessor, nest_toc_tokens, unique
from markdown.htmlparser import htmlparser

_AMP = re.compile(r"&(?!(?:\#[0-9]+|\#x[0-9a-f]+|[0-9a-z]+);)", re.I)  # Python-Markdown's serializer: RE_AMP
_BLANK_SPACES = re.compile(r"(?<=\n) +\n")  # NormalizeWhitespace: lines of spaces only become empty
_ANCHOR_ATTRIBUTE = re.compile(r"\b(?:id|name)\s*=", re.I)


def escape_text(text: str) -> str:
    """Character data as Python-Markdown serializes it: an ``&`` that starts an entity is kept."""
    if "&" in text:
        text = _AMP.sub("&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(value: str) -> str:
    """An attribute value as Python-Markdown serializes it (HTML output)."""
    return escape_text(value).replace('"', "&quot;")


def strip_tags(text: str) -> str:
    """Text of inline HTML with comments and tags dropped, whitespace collapsed (MkDocs' ``_strip_tags``)."""
    while (start := text.find("<!--")) != -1 and (end := text.find("-->", start)) != -1:
        text = text[:start] + text[end + 3:]
    while (start := text.find("<")) != -1 and (end := text.find(">", start)) != -1:
        text = text[:start] + text[end + 1:]
    return " ".join(text.split())


@dataclass(frozen=True)
class HeadingStyle:
    """What the ``toc`` extension's options make of a heading (its defaults: no permalink)."""

    permalink: bool | str = False  # True: ``&para;``; a string: that text
    permalink_class: str = "headerlink"
    permalink_title: str = "Permanent link"
    permalink_leading: bool = False
    anchorlink: bool = False
    anchorlink_class: str = "toclink"
    base_level: int = 0  # ``baselevel`` - 1
    toc_top: int = 1
    toc_bottom: int = 6
    slugify: Callable[[str, str], str] | None = None  # None: the extension's default
    separator: str = "-"

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> HeadingStyle:
        """The style the ``toc`` extension makes of these options (``KeyError`` for an option it does not know)."""
        processor = TocTreeprocessor(None, TocExtension(**dict(options)).getConfigs())
        permalink = processor.use_permalinks
        return cls(
            permalink=permalink if isinstance(permalink, (bool, str)) else False,
            permalink_class=processor.permalink_class,
            permalink_title=processor.permalink_title,
            permalink_leading=bool(processor.permalink_leading),
            anchorlink=bool(processor.use_anchors),
            anchorlink_class=processor.anchorlink_class,
            base_level=processor.base_level,
            toc_top=processor.toc_top,
            toc_bottom=processor.toc_bottom,
            slugify=processor.slugify,
            separator=processor.sep,
        )


TocToken = dict[str, Any]  # as Python-Markdown's toc_tokens: level, id, name, html, data-toc-label, children


@dataclass
class HtmlPage:
    """A page's content HTML built block by block, with what MkDocs reads from a rendered page.

    ``heading`` takes its text as the HTML the Markdown inline text would give (escaped already);
    ``raw`` takes a block of HTML that Markdown passes through as it is. ``ids`` are the explicit ids
    the page's headings will have (Python-Markdown knows them all before it makes any slug).
    """

    style: HeadingStyle
    ids: set[str] = field(default_factory=set)
    blocks: list[str] = field(default_factory=list)
    raw_blocks: list[str] = field(default_factory=list)
    tokens: list[TocToken] = field(default_factory=list)
    heading_ids: list[str] = field(default_factory=list)
    title: str | None = None
    _counters: dict[str, int] = field(default_factory=dict)

    def heading(self, level: int, inner: str, id: str | None = None) -> None:
        style = self.style
        level = min(level + style.base_level, 6)
        name = strip_tags(inner)
        if not id:
            slugify = style.slugify or _default_slugify
            id = unique(slugify(html.unescape(name), style.separator), self.ids, self._counters)
        if style.toc_top <= level <= style.toc_bottom:
            self.tokens.append({"level": level, "id": id, "name": name, "html": inner, "data-toc-label": ""})
        # The heading's children as ElementTree holds them: its text, then elements (with their tails).
        text = inner
        elements: list[tuple[str, str]] = []  # (markup and tail, class)
        href = escape_attribute("#" + id)
        if style.anchorlink:
            text = ""
            elements.append((f'<a class="{escape_attribute(style.anchorlink_class)}" href="{href}">{inner}</a>',
                             style.anchorlink_class))
        if style.permalink not in (False, None):
            symbol = "&para;" if style.permalink is True else escape_text(str(style.permalink))
            title = f' title="{escape_attribute(style.permalink_title)}"' if style.permalink_title else ""
            link = f'<a class="{escape_attribute(style.permalink_class)}" href="{href}"{title}>{symbol}</a>'
            if style.permalink_leading:
                elements.insert(0, (link + text, style.permalink_class))
                text = ""
            else:
                elements.append((link, style.permalink_class))
        if not self.blocks and level == 1:  # MkDocs' title: the first block, when it is an h1
            kept = elements[:-1] if elements and elements[-1][1] == "headerlink" else elements
            self.title = strip_tags(text + "".join(markup for markup, _ in kept))
        self.heading_ids.append(id)
        self.blocks.append(f'<h{level} id="{escape_attribute(id)}">{text}{"".join(markup for markup, _ in elements)}</h{level}>')

    def raw(self, block: str) -> None:
        """A block of HTML, as Python-Markdown keeps it (tabs expanded, lines of spaces emptied)."""
        block = block.replace("\x02", "").replace("\x03", "").replace("\r\n", "\n").replace("\r", "\n")
        block = _BLANK_SPACES.sub("\n", block.expandtabs(4))
        self.raw_blocks.append(block)
        self.blocks.append(block + "\n")

    def element(self, markup: str) -> None:
        """A block Markdown would make an element of (a paragraph), written by the caller."""
        self.blocks.append(markup)

    @property
    def content(self) -> str:
        return "\n".join(self.blocks).strip()

    def toc_tokens(self) -> list[TocToken]:
        """The table of contents, nested as Python-Markdown nests it (a new list each time)."""
        return list(nest_toc_tokens([dict(token) for token in self.tokens]))

    def present_anchor_ids(self) -> set[str]:
        """Every id (and ``<a name>``) of the page, as MkDocs collects them when it renders it."""
        anchors = set(self.heading_ids)
        raw = "\n\n".join(block for block in self.raw_blocks if _ANCHOR_ATTRIBUTE.search(block))
        if raw:
            parser = _AnchorParser()
            parser.feed(raw)
            parser.close()
            anchors |= parser.anchors
        return anchors

    def self_links(self) -> dict[str, str]:
        """The page's links to its own anchors (permalinks, anchor links), as MkDocs files them: anchor → link."""
        if not self.style.anchorlink and self.style.permalink in (False, None):
            return {}
        links: dict[str, str] = {}
        for id in self.heading_ids:
            url = "#" + id
            anchor = urlsplit(url).fragment
            if anchor:
                links.setdefault(anchor, url)
        return links


def _default_slugify(value: str, separator: str) -> str:
    from markdown.extensions.toc import slugify

    return str(slugify(value, separator))


class _AnchorParser(htmlparser.HTMLParser):  # type: ignore[misc]
    """The ids (and ``<a name>``) of raw HTML, read as MkDocs reads them (``_HTMLHandler``)."""

    def __init__(self) -> None:
        super().__init__()
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" or (name == "name" and tag == "a"):
                self.anchors.add(value)  # type: ignore[arg-type]
