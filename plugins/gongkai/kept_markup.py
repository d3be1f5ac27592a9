"""Markup that nh3 keeps as it is, recognised without nh3 (``sanitizing.Allowlist.clean`` stays the definition).

nh3 (ammonia: html5ever parses the fragment in a ``div``, drops what the allowlist does not hold,
and serializes the tree again) changes markup that it keeps only by writing its characters in its
own way. ``KeptMarkup.clean`` recognises markup whose tree is exactly what its tags say, so that
the only change is that spelling, and returns it spelled as nh3 spells it; anything else gets
``None`` and goes to nh3. The markup is recognised when:

- every tag is spelled plainly: lowercase names, attributes as `` name="value"`` (no duplicate),
  no ``/`` before ``>``; every tag and every attribute is in the allowlist; no ``style`` (nh3
  rewrites a style), no URL but a relative one (``href`` without ``:``);
- the tags nest properly and nothing in the nesting makes the HTML parser move, close or add an
  element: only the elements below (no table, no ``pre``), no block inside a paragraph, a heading
  or an inline element, ``li`` only in ``ul``/``ol``, ``dt``/``dd`` only in ``dl``, no link in a link;
- the text holds no ``<`` or ``>``, no character reference but ``ENTITIES``, no character the
  parser drops or changes (NUL, CR, control characters, noncharacters, lone surrogates);
- comments (when the allowlist keeps them) are plain words joined by single hyphens.

What nh3 then writes: ``&#34;`` / ``&quot;`` and ``&#39;`` as the characters, ``&para;`` as ``¶``,
a no-break space as ``&nbsp;``; ``&amp;``, ``&lt;``, ``&gt;`` as they are.
tests/site/test_kept_markup.py compares it with nh3 over every page of the test portals,
the injection payloads and generated markup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol

# Where each element may stand: what may hold flow content ("" is the fragment itself), what may hold
# phrasing content only, lists; an element not listed here goes to nh3 (tables, ``pre``, forms, …).
PHRASING = frozenset({"a", "abbr", "b", "cite", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s", "samp",
                      "small", "span", "strong", "sub", "sup", "time", "u", "var"})
_PHRASING_ONLY = PHRASING | {"p", "h1", "h2", "h3", "h4", "h5", "h6"}
_FLOW = frozenset({"", "div", "section", "aside", "blockquote", "figure", "figcaption", "li", "dt", "dd"})
_LISTS = frozenset({"ul", "ol", "dl"})
VOID = frozenset({"br", "hr"})
SUPPORTED = (_PHRASING_ONLY | _FLOW | _LISTS | VOID) - {""}
PARENTS = {name: (frozenset({"ul", "ol"}) if name == "li" else frozenset({"dl"}) if name in ("dt", "dd")
                  else _FLOW | _PHRASING_ONLY if name in PHRASING or name == "br" else _FLOW)
           for name in SUPPORTED}

# The character references text may hold, and how nh3 writes them again.
ENTITIES = {"&amp;": "&amp;", "&lt;": "&lt;", "&gt;": "&gt;", "&quot;": '"', "&#34;": '"', "&#39;": "'",
            "&para;": "\u00b6", "&nbsp;": "&nbsp;"}
_RESPELLED = tuple((e, nh3) for e, nh3 in ENTITIES.items() if e != nh3) + (("\u00a0", "&nbsp;"),)
_UNKNOWN_ENTITY = re.compile("&(?!" + "|".join(re.escape(e[1:]) for e in ENTITIES) + ")")
# Characters text may hold: the parser keeps them as they are (a character beyond the BMP goes to nh3 too).
_UNSURE_CHARACTER = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd]")
_TAG = re.compile(r"<[^>]*>")
_START_TAG = re.compile(r'<([a-z][a-z0-9]*)((?: [a-z][a-z0-9-]*="[^"<&]*(?:&amp;[^"<&]*)*")*)>')
_ATTRIBUTE = re.compile(r' ([a-z][a-z0-9-]*)="([^"]*)"')
_END_TAG = re.compile(r"</([a-z][a-z0-9]*)>")
_COMMENT_TAG = re.compile(r"<!--[A-Za-z0-9_:.]+(?:-[A-Za-z0-9_:.]+)*-->")
_TAGS_MAX = 4096  # tags remembered, then forgotten at once

# A tag's kind (compared by identity), and the tag nh3 may change.
_START, VOID_START, _END, _COMMENT = "start", "void", "end", "comment"
_NOT_KEPT = ("", "")


class AllowlistLike(Protocol):
    @property
    def tags(self) -> frozenset[str]: ...
    @property
    def attributes(self) -> Mapping[str, frozenset[str]]: ...
    @property
    def prefixes(self) -> frozenset[str]: ...
    @property
    def keep_comments(self) -> bool: ...


class KeptMarkup:
    """``allowlist.clean(markup)`` for markup nh3 keeps as it is (module docstring), else ``None``."""

    def __init__(self, allowlist: AllowlistLike) -> None:
        self.tags = allowlist.tags & SUPPORTED
        every = allowlist.attributes.get("*", frozenset())
        self.attributes = {tag: (every | allowlist.attributes.get(tag, frozenset())) - {"style"} for tag in self.tags}
        self.prefixes = tuple(allowlist.prefixes)
        self.comments = allowlist.keep_comments
        self.known: dict[str, tuple[str, str]] = {}  # tag as written → (kind, name) or _NOT_KEPT

    def clean(self, markup: str) -> str | None:
        if _UNSURE_CHARACTER.search(markup) or ("&" in markup and _UNKNOWN_ENTITY.search(markup)):
            return None
        tags = _TAG.findall(markup)
        # Every "<" and ">" belongs to a tag (a tag holds one of each): the text holds none.
        if markup.count("<") != len(tags) or markup.count(">") != len(tags):
            return None
        known, stack, in_link = self.known, [""], False
        for written in tags:
            tag = known.get(written) or self._read(written)
            if tag is _NOT_KEPT:
                return None
            kind, name = tag
            if kind is _END:
                if stack[-1] != name:
                    return None
                stack.pop()
                if name == "a":
                    in_link = False
            elif kind is not _COMMENT:
                if stack[-1] not in PARENTS[name]:
                    return None
                if name == "a":
                    if in_link:
                        return None
                    in_link = True
                if kind is _START:
                    stack.append(name)
        if len(stack) > 1:
            return None
        # Each "&" starts one of ENTITIES (checked above), none inside another: each is replaced on its own.
        for written, respelled in _RESPELLED:
            if written in markup:
                markup = markup.replace(written, respelled)
        return markup

    def _read(self, written: str) -> tuple[str, str]:
        """What a tag is (its kind and name), ``_NOT_KEPT`` when nh3 may change it."""
        tag = self._parse(written)
        if len(self.known) >= _TAGS_MAX:
            self.known.clear()
        self.known[written] = tag
        return tag

    def _parse(self, written: str) -> tuple[str, str]:
        if written.startswith("<!"):
            return (_COMMENT, "") if self.comments and _COMMENT_TAG.fullmatch(written) else _NOT_KEPT
        end = _END_TAG.fullmatch(written)
        if end is not None:
            name = end.group(1)
            return (_END, name) if name in self.tags and name not in VOID else _NOT_KEPT
        start = _START_TAG.fullmatch(written)
        if start is None or start.group(1) not in self.tags:
            return _NOT_KEPT
        name, allowed, seen = start.group(1), self.attributes[start.group(1)], set()
        for attribute, value in _ATTRIBUTE.findall(start.group(2)):
            if attribute in seen or not (attribute in allowed or attribute.startswith(self.prefixes)):
                return _NOT_KEPT
            if attribute == "href" and ":" in value:  # a URL with a scheme: nh3 checks it
                return _NOT_KEPT
            seen.add(attribute)
        return (VOID_START if name in VOID else _START, name)
