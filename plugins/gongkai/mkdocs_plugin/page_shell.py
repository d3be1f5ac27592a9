"""A report page's whole theme output from a shell: the page's template rendered once per key with
markers where the page's own values go, then only those values put in (``PageShells``).

What varies from one report page to another of the same key is its title, its description, its
canonical URL and its content (the holes, ``HOLES``); the key holds the rest of what the theme
reads of the page: the depth (``base_url``), the sidebars' key (``ThemeMemo.nav_key``: the
navigation's items and links as seen from the page, its table of contents), the page's kind, its
styles' and scripts' URLs, whether the content has a level-1 heading (Material's ``content.html``
writes one when it has none). Jinja stays the definition:

- a page is eligible only when it is a report page with nothing the shell does not cover (no other
  ``meta``, no edit link, no previous or next page, the standard template context, a title that
  every filter leaves as it is, no marker character in any value); any other page is rendered by
  Jinja;
- a key's shell is made the second time the key is seen (a key seen once costs one key):
  the page is rendered by Jinja, and twice more with different markers (plain ones, then ones
  holding ``&<"'`` and of another length): both must cut into the same fixed text around the same
  holes (so no filter and no test of the template transforms or measures a value), and the shell
  filled with this page's values and with the first page's must give what Jinja gave for each;
  else the key is rendered by Jinja for the rest of the build.

The site's templates are whatever the theme loads (Material, ``overrides/``, a site's own
changes): the checks above are made on its output, not assumed. tests/site/test_page_shell.py
builds portals with and without the shell and compares every page byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

HOLES = ("title", "description", "canonical", "content")
_MARK_START, _MARK_END = "\ue000", "\ue001"  # private-use characters: a value holding them is not shelled
_PROBES: tuple[Mapping[str, str], ...] = (
    {name: f"{_MARK_START}{name}{_MARK_END}" for name in HOLES},
    {"title": f"{_MARK_START}title title{_MARK_END}",  # a title must be plain: another length only
     **{name: f"{_MARK_START}{name} &amp;<i>\"'  {name}{_MARK_END}" for name in HOLES[1:]}},
)
_H1 = "<h1"  # content.html: `{% if "\u003ch1" not in page.content %}<h1>{{ page.title }}</h1>`
_CONTEXT = frozenset({"nav", "pages", "base_url", "extra_css", "extra_javascript", "mkdocs_version",
                      "build_date_utc", "config", "page"})  # what MkDocs' get_context gives
_REPORT_META = frozenset({"description", "gongkai_kind"})  # what gongkai sets on a report page
SHELLS_MAX = 256  # shells kept per build; then the store starts afresh


@dataclass(frozen=True)
class Shell:
    """A page's output cut at its holes: ``fixed[0] hole[0] fixed[1] … fixed[-1]``."""

    fixed: tuple[str, ...]
    holes: tuple[str, ...]

    def fill(self, values: Mapping[str, str]) -> str:
        parts = [self.fixed[0]]
        for hole, fixed in zip(self.holes, self.fixed[1:]):
            parts.append(values[hole])
            parts.append(fixed)
        return "".join(parts)


def cut(output: str, probe: Mapping[str, str]) -> Shell | None:
    """``output`` (rendered with ``probe``'s markers) cut at them; None when a marker was changed
    on its way (a filter), so that what is left still holds a marker character."""
    by_marker = {marker: name for name, marker in probe.items()}
    pieces = re.split("(" + "|".join(re.escape(m) for m in sorted(by_marker, key=len, reverse=True)) + ")", output)
    fixed, holes = tuple(pieces[0::2]), tuple(by_marker[m] for m in pieces[1::2])
    if any(_MARK_START in text or _MARK_END in text for text in fixed):
        return None
    return Shell(fixed, holes)


def plain_title(title: str) -> bool:
    """Whether every filter a theme prints a title through (``e``, ``striptags``, none) leaves it as it is."""
    return bool(title) and str(escape(title)) == title and Markup(title).striptags() == title


class TemplateValues:
    """A template context as ``ThemeMemo.nav_key`` reads it (``get``, ``[]``, ``environment``)."""

    def __init__(self, values: Mapping[str, Any], environment: Any) -> None:
        self.values, self.environment = values, environment

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


@dataclass
class PageShells:
    """The shells of one build (a new one per theme environment)."""

    nav_key: Callable[[Mapping[str, Any]], Hashable | None]  # ThemeMemo.nav_key for a template context
    limit: int = SHELLS_MAX

    def __post_init__(self) -> None:
        self.shells: dict[Hashable, Shell | None] = {}  # None: the key is rendered by Jinja
        self.first: dict[Hashable, tuple[dict[str, str], str]] = {}  # the first page of a key: values, output
        self.filled = 0  # pages written from a shell (for the benchmark and the tests)

    def render(self, context: Mapping[str, Any], jinja: Callable[[Mapping[str, Any]], str]) -> str:
        """The page's output: from its key's shell when there is one, else ``jinja(context)``."""
        page = context.get("page")
        values = self.values(page, context)
        key = self.key(page, context) if values is not None else None
        if key is None or values is None:
            return jinja(context)
        if key in self.shells:
            shell = self.shells[key]
            if shell is None:
                return jinja(context)
            self.filled += 1
            return shell.fill(values)
        output = jinja(context)
        first = self.first.pop(key, None)
        if first is None:
            if len(self.first) >= self.limit:
                self.first.clear()
            self.first[key] = (values, output)
            return output
        if len(self.shells) >= self.limit:
            self.shells.clear()
        self.shells[key] = self.make(page, context, jinja, [first, (values, output)])
        return output

    @staticmethod
    def values(page: Any, context: Mapping[str, Any]) -> dict[str, str] | None:
        """The page's values for the holes, or None when the shell does not cover the page."""
        if page is None or context.keys() != _CONTEXT:
            return None
        meta = page.meta or {}
        if meta.get("gongkai_kind") != "report" or not meta.keys() <= _REPORT_META:
            return None
        if page.edit_url or page.previous_page is not None or page.next_page is not None or page.is_homepage:
            return None
        title, content = page.title, page.content
        if not isinstance(title, str) or not plain_title(title) or not isinstance(content, str):
            return None
        values = {"title": title, "description": str(meta.get("description") or ""),
                  "canonical": page.canonical_url or "", "content": content}
        if any(_MARK_START in value or _MARK_END in value for value in values.values()):
            return None
        return values

    def key(self, page: Any, context: Mapping[str, Any]) -> Hashable | None:
        sidebars = self.nav_key(context)
        if sidebars is None:
            return None
        meta = page.meta or {}
        return (context["base_url"], sidebars, meta.get("gongkai_kind"), "description" in meta,
                page.canonical_url is None, _H1 in page.content,
                tuple(str(x) for x in context["extra_css"]), tuple(str(x) for x in context["extra_javascript"]))

    def make(self, page: Any, context: Mapping[str, Any], jinja: Callable[[Mapping[str, Any]], str],
             seen: list[tuple[dict[str, str], str]]) -> Shell | None:
        """The key's shell from two probe renders of ``page``, checked against the pages ``seen``
        (values and Jinja's output); None when any check fails."""
        shells = []
        for probe in _PROBES:
            markers = dict(probe)
            if _H1 in page.content:  # the same branch of content.html as the page's
                markers["content"] = probe["content"] + _H1
            output = _probe_render(page, context, jinja, markers)
            shell = cut(output, markers) if output is not None else None
            if shell is None:
                return None
            shells.append(shell)
        if shells[0] != shells[1]:
            return None
        if any(shells[0].fill(values) != output for values, output in seen):
            return None
        return shells[0]


def _probe_render(page: Any, context: Mapping[str, Any], jinja: Callable[[Mapping[str, Any]], str],
                  markers: Mapping[str, str]) -> str | None:
    """``page`` rendered with ``markers`` for its values; the page is as it was afterwards."""
    meta, content, title, canonical = page.meta, page.content, page.__dict__.get("title"), page.canonical_url
    try:
        page.meta = dict(meta)
        if "description" in meta:
            page.meta["description"] = markers["description"]
        page.content = markers["content"]
        page.__dict__["title"] = markers["title"]  # Page.title is a weak_property: the instance's value first
        if canonical is not None:
            page.canonical_url = markers["canonical"]
        return jinja(context)
    finally:
        page.meta, page.content, page.canonical_url = meta, content, canonical
        if title is None:
            page.__dict__.pop("title", None)
        else:
            page.__dict__["title"] = title
