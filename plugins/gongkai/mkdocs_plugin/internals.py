"""Everything the adapter does that relies on MkDocs' or Material's internals, in one place.

The rest of the plugin uses MkDocs' documented plugin API only. Each internal below is named
with the test that fails when an upgrade of MkDocs or Material removes it
(``tests/site/test_site_internals.py``):

- MkDocs skips a page in a dirty build when ``File.is_modified()`` is false
  (``mkdocs/commands/build.py``); ``DirtyBuilds.plan`` replaces that method on each page's
  file — ``test_mkdocs_asks_is_modified_in_dirty_builds``.
- ``File.generated(config, src_uri, abs_src_path=...)`` backs a generated page by a file that
  MkDocs never reads when ``on_page_read_source`` answers: a report page points at its YAML
  file (watched, stamped) and its Markdown is made only when MkDocs reads the page
  (``generated_file``) — ``test_generated_files_may_point_at_any_file``.
- ``Page.markdown`` and ``Page.content`` may be set to ``None`` once the page is written
  (``release_page``): MkDocs would keep every page's text until the build ends —
  ``test_pages_keep_their_text_in_plain_attributes``.
- MkDocs reads a page's ``links_to_anchors`` and ``present_anchor_ids`` only once every page is
  written (``Page.validate_anchor_links``, testing each anchor with ``in``); a link to an anchor
  of the page itself is filed under the page's own ``File``. ``release_page`` checks those links
  itself, keeps only the links MkDocs would warn about and those to other pages, and makes the
  identical sets of anchors of many report pages one shared frozenset —
  ``test_mkdocs_checks_anchor_links_only_after_every_page_is_written``.
- MkDocs reads and renders every page (``_populate_page``: ``read_source``, ``on_page_markdown``,
  ``render``, ``on_page_content``) before it writes any (``_build_page``), so every page's
  Markdown and HTML would be in memory at once. A report page is read as an empty page in that
  first pass and read and rendered for real just before it is written (``populate_now``, the
  same four steps, from ``on_page_context``), then released: memory no longer grows with the
  number of reports — ``test_mkdocs_renders_every_page_before_writing_any`` and
  ``test_populate_now_does_what_mkdocs_populate_does``. The template is chosen before
  ``on_page_context``: a report page cannot pick its template with front matter (``template:``).
- A report page may be written as HTML without Markdown (``HtmlPages``, ``populate_html``):
  ``set_rendered`` sets what ``Page.render`` sets (``content``, ``toc`` from ``get_toc``, the
  private ``_title_from_render`` that ``Page.title`` reads, ``present_anchor_ids``, and
  ``links_to_anchors`` only when the ``mkdocs.structure.pages`` logger is above DEBUG) —
  ``test_mkdocs_render_sets_what_set_rendered_sets``; the two links of the page get the URL
  ``_RelativePathTreeprocessor.path_to_url`` would give them (``link_resolver``: the target's
  ``File.url`` relative to the page's, ``None`` where MkDocs would warn) —
  ``test_mkdocs_rewrites_a_link_to_a_page_as_link_resolver_does``; anchors and title as
  ``_ExtractAnchorsTreeprocessor``, ``_HTMLHandler`` and ``_ExtractTitleTreeprocessor`` collect
  them (``pages.headings``) — ``test_mkdocs_collects_anchors_as_html_page_does``; no other
  plugin may answer ``on_page_read_source`` or ``on_page_markdown``, read from
  ``PluginCollection.events`` (``markdown_handled_elsewhere``) —
  ``test_mkdocs_lists_each_events_handlers``. Python-Markdown's serializer and toc options, which
  ``pages.headings`` follows, are guarded by ``test_markdown_serializes_as_html_page_writes``;
  the whole by tests/site/test_site_report_html.py (the same page both ways).
- A report page read as blank in MkDocs' first pass is not rendered by a Markdown instance:
  ``render_blank_cheaply`` replaces ``render`` on that page once, and sets what ``Page.render``
  sets for a blank Markdown (``Markdown.convert`` returns "" before any processor runs) —
  ``test_mkdocs_renders_a_blank_page_as_render_blank_cheaply_does``.
- A listing page (an agency's page, a year's pages) is read by MkDocs with its Markdown and front
  matter as usual, and its next ``render`` is replaced once by ``render_later``: the page is
  written as HTML (``pages.index_pages``) through the same ``set_rendered`` when the settings and
  the page allow it, else by MkDocs' own ``render`` — the guards of report pages above, and
  tests/site/test_site_listing_html.py (the same page both ways).
- A report page may be written from a shell (``mkdocs_plugin.page_shell``): MkDocs' ``_build_page``
  renders a page by ``env.get_template(name).render(context)``, the context ``get_context``'s dict;
  ``render_from_shells`` makes the environment's templates of a class whose ``render`` of
  ``main.html`` goes through the shells (``Environment.template_class``) —
  ``test_mkdocs_renders_a_page_by_its_templates_render``; the whole by tests/site/test_page_shell.py
  (every page with and without the shell).
- Material's search plugin keeps its index in ``search_index`` (``entries``: dicts with a
  ``location``) and, in dirty builds, the previous one in the private ``search_index_prev``
  that it merges on the next build; ``DirtyBuilds.finish`` completes the entries and clears
  ``search_index_prev`` (``search_plugins``) — ``test_material_search_keeps_its_index_where_we_read_it``.
- Material's search plugin indexes a page in ``on_page_context`` at the default priority; the
  plugin inserts the tables after it (priority -100), so the search plugin's HTML parser never
  reads them (see ``gongkai.pages.report_page``) — ``test_material_search_indexes_in_page_context``.
- Material's ``base.html`` writes ``autocomplete="off"`` on its two checkbox toggles, outside
  any block an override can replace (``drop_checkbox_autocomplete``) —
  ``test_material_still_puts_autocomplete_on_checkboxes``.
- ``mkdocs build --strict`` counts warnings with a ``CountHandler`` (``mkdocs.utils``) on the
  ``mkdocs`` logger and aborts right after ``on_post_build`` when it counted any
  (``warnings_counted``: the staged site is then not published) —
  ``test_mkdocs_counts_warnings_on_its_logger``.
- MkDocs makes a new Jinja environment for the theme in every build (``Theme.get_env``) and
  hands it to ``on_env``; ``CompiledTemplates`` keeps the compiled templates across dirty
  rebuilds — ``test_mkdocs_makes_a_theme_environment_per_build``.
- MkDocs' ``sitemap.xml`` prints each page's ``Page.update_date`` (the build date, set when the
  page is made) as ``lastmod``; ``set_lastmod`` gives a report page its publication date —
  ``test_siteconv_site.py::test_sitemap_lastmod_is_the_report_date``.

Dirty rebuilds (``mkdocs serve --dirty``) render only the pages whose sources changed.
MkDocs' own ``is_modified`` compares a physical source's mtime with the output's, which says
nothing about generated pages. So the plugin answers for every documentation page, from what
the page is made of:

- a report page: its YAML file (size and mtime, taken before the file is parsed, so a save
  during a build is seen by the next one);
- a listing page (the index, a year, an agency): a digest of its Markdown, so it is rendered
  again exactly when what it lists changed (a report added, removed, renamed, re-dated);
- hand-written pages and pages the navigation shows without a title of their own: always
  (they are few, their ``{{ gongkai.* }}`` values and titles are needed by other pages);
- every page, when the site-wide fingerprint changed: ``mkdocs.yml``, the theme's
  ``custom_dir``, the navigation's outline (titles and pages: a new agency or year) and the
  sources of untitled navigation pages. Every page shows the navigation.

After the build, Material's search index is completed with the entries of the pages not
rendered this time (Material's own dirty merge assumes a single rebuilt page), and the output
of generated pages that no longer exist is removed. All of it applies only to dirty builds and
is kept per site folder: a normal ``mkdocs build`` never reads it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents, get_toc
from mkdocs.utils import CountHandler, get_relative_url

from ..pages import PortalPage
from ..pages.headings import HeadingStyle
from ..pages.report_page import ReportHtml, package_template

Stamp = tuple[int, int]  # (size, mtime_ns)
SearchEntry = dict[str, Any]


def stamp(path: str | os.PathLike[str] | None) -> Stamp | None:
    try:
        result = os.stat(path) if path is not None else None
    except OSError:
        return None
    return (result.st_size, result.st_mtime_ns) if result else None


def digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def settings_digest(config_file: str | None, custom_dir: str | None) -> str:
    """``mkdocs.yml`` (its bytes) and every file of the theme's ``custom_dir`` (path, size, mtime)."""
    config_bytes = Path(config_file).read_bytes() if config_file and os.path.isfile(config_file) else b""
    overrides: list[tuple[str, Stamp | None]] = []
    if custom_dir and os.path.isdir(custom_dir):
        for root, dirs, names in os.walk(custom_dir):
            dirs.sort()
            overrides.extend((os.path.join(root, n), stamp(os.path.join(root, n))) for n in sorted(names))
    return digest(hashlib.sha256(config_bytes).hexdigest(), overrides)


def page_url(file: File) -> str:
    """The page's URL as ``Page.url`` (and Material's search locations) spell it: home is ""."""
    return "" if file.url in (".", "./") else file.url


def nav_outline(items: Iterable[Any]) -> list[tuple[Any, ...]]:
    """Titles and targets of the navigation, as the theme shows them (untitled pages: ``None``)."""
    outline: list[tuple[Any, ...]] = []
    for item in items:
        if item.is_section:
            outline.append(("section", item.title, nav_outline(item.children)))
        elif item.is_page:
            outline.append(("page", item.title, item.file.src_uri))
        else:
            outline.append(("link", item.title, item.url))
    return outline


def _answer(value: bool) -> Callable[[], bool]:
    return lambda: value


@dataclass
class Built:
    """What the last completed dirty build wrote into one site folder."""

    site_dir: str
    fingerprint: str
    keys: dict[str, Hashable]  # src_uri → what the page was rendered from
    dests: dict[str, str]  # src_uri → output file of a generated page
    search: dict[str, list[SearchEntry]]  # page URL → the page's search entries


@dataclass
class DirtyBuilds:
    """Decides which pages a dirty build renders, and completes what it does not render."""

    last: Built | None = None
    # the build in progress
    site_dir: str = ""
    settings: str = ""
    fingerprint: str = ""
    extra: Hashable = ""  # what every page shows besides its own source (``also_depends_on``)
    keys: dict[str, Hashable | None] = field(default_factory=dict)
    dests: dict[str, str] = field(default_factory=dict)
    urls: list[str] = field(default_factory=list)  # every documentation page, in build order
    planned: set[str] = field(default_factory=set)
    rendered: dict[str, str] = field(default_factory=dict)  # src_uri → URL of the pages written
    stamps: dict[str, Stamp | None] = field(default_factory=dict)  # report file → (size, mtime) before parsing

    def begin(self, config: MkDocsConfig, report_files: Iterable[Path]) -> None:
        """A new build: stamps the report files before they are parsed, so a save during it is seen next time."""
        self.site_dir = os.path.abspath(config.site_dir)
        self.settings = settings_digest(config.config_file_path, config.theme.custom_dir)
        self.stamps = {str(p): stamp(p) for p in report_files}
        self.fingerprint = ""
        self.extra = ""
        self.keys, self.dests, self.urls = {}, {}, []
        self.planned, self.rendered = set(), {}

    def also_depends_on(self, key: Hashable) -> None:
        """Something every page shows (the preview's findings banner): when it changes, render them all."""
        self.extra = key

    def add(self, file: File, key: Hashable | None) -> None:
        """A generated page and the key of its source (``None``: always render it)."""
        self.keys[file.src_uri] = key
        self.dests[file.src_uri] = file.abs_dest_path

    def report_key(self, source: str) -> Hashable | None:
        """A report page's key: its YAML file as stamped before parsing (``None``: not stamped, render it)."""
        file_stamp = self.stamps.get(source)
        return (source, file_stamp) if file_stamp is not None else None

    def plan(self, files: Files, nav: Navigation) -> set[str]:
        """Sets ``is_modified`` on every documentation page; returns the pages to render."""
        pages = files.documentation_pages(inclusion=InclusionLevel.all)
        self.urls = [page_url(f) for f in pages]
        untitled = sorted(p.file.src_uri for p in nav.pages if p.title is None)
        self.fingerprint = digest(
            self.settings, self.extra, nav_outline(nav.items),
            [(uri, self.keys[uri] if uri in self.keys else stamp(files.src_uris[uri].abs_src_path))
             for uri in untitled])
        last = self.last if self.last is not None and self.last.site_dir == self.site_dir else None
        everything = last is None or last.fingerprint != self.fingerprint
        always = set(untitled)
        for file in pages:
            if everything or file.src_uri not in self.keys or file.src_uri in always:
                render = True
            else:
                key = self.keys[file.src_uri]
                render = (key is None or last.keys.get(file.src_uri) != key  # type: ignore[union-attr]
                          or not os.path.isfile(file.abs_dest_path))
            file.is_modified = _answer(render)  # type: ignore[method-assign]
            if render:
                self.planned.add(file.src_uri)
        return self.planned

    def wrote(self, file: File) -> None:
        self.rendered[file.src_uri] = page_url(file)

    def finish(self, search_plugins: Sequence[Any]) -> None:
        """Completes the search index, removes pages that are gone, remembers this build."""
        last = self.last if self.last is not None and self.last.site_dir == self.site_dir else None
        search = self._complete_search(search_plugins, last.search if last else {})
        if last is not None:
            for src_uri, dest in last.dests.items():
                if src_uri not in self.dests:
                    self._remove(dest)
        self.last = Built(self.site_dir, self.fingerprint, dict(self.keys), dict(self.dests), search)

    def _complete_search(self, plugins: Sequence[Any], previous: dict[str, list[SearchEntry]]
                         ) -> dict[str, list[SearchEntry]]:
        """Material's index gets the entries of every page: fresh ones for the pages written now.

        Material keeps only the previous index and drops from it the entries whose location
        starts with the first fresh entry's page URL: right for one page, wrong for several (and
        the home page's URL, "", is a prefix of every location).
        """
        kept: dict[str, list[SearchEntry]] = {}
        for plugin in plugins:
            fresh: dict[str, list[SearchEntry]] = {}
            for entry in plugin.search_index.entries:
                fresh.setdefault(entry["location"].split("#", 1)[0], []).append(entry)
            written = set(self.rendered.values())
            for url in self.urls:
                if url in written:
                    kept[url] = fresh.get(url, [])
                elif url in previous:
                    kept[url] = previous[url]
            plugin.search_index.entries = [entry for url in self.urls for entry in kept.get(url, ())]
            plugin.search_index_prev = None  # so Material writes these entries as they are
        return kept

    def _remove(self, dest: str) -> None:
        if os.path.isfile(dest):
            os.remove(dest)
        folder = os.path.dirname(dest)
        while folder.startswith(self.site_dir + os.sep) and os.path.isdir(folder) and not os.listdir(folder):
            os.rmdir(folder)
            folder = os.path.dirname(folder)


class CompiledTemplates(BytecodeCache):
    """Theme templates compiled once for all dirty rebuilds.

    Jinja keys each entry on the template's name and file and rejects it when the source's
    checksum changed; everything is dropped when the site's settings (``mkdocs.yml``,
    ``overrides/``) changed, since they make the environment.
    """

    def __init__(self) -> None:
        self.settings = ""
        self.code: dict[str, bytes] = {}

    def attach(self, env: Environment, settings: str) -> None:
        if settings != self.settings:
            self.settings, self.code = settings, {}
        env.bytecode_cache = self

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


# --- generated files, pages, search, markup ------------------------------------------------


def generated_file(config: MkDocsConfig, page: PortalPage, builds: DirtyBuilds | None = None) -> File:
    """The MkDocs file of a generated page, registered with the dirty build in progress, if any.

    Listing pages (few) carry their Markdown. A report page points at its YAML file and gets
    its Markdown from ``on_page_read_source``, only when MkDocs reads the page.
    """
    key: Hashable | None
    if page.report is None:
        markdown = page.markdown()
        file = File.generated(config, page.src_uri, content=markdown)
        key = digest(markdown) if builds is not None else None
    else:
        source = str(page.report.source)
        file = File.generated(config, page.src_uri, abs_src_path=source, inclusion=InclusionLevel.NOT_IN_NAV)
        # ...and by the reports it also shows (the previous one, in its year-over-year table)
        key = ((builds.report_key(source), *(builds.report_key(str(f)) for f in page.also_from))
               if builds is not None else None)
    if builds is not None:
        builds.add(file, key)
    return file


_NO_TOC = TableOfContents([])  # shared by every released page
_ANCHOR_SETS: dict[frozenset[str], frozenset[str]] = {}  # one object per distinct set of anchors
_MAX_ANCHOR_SETS = 10_000


def release_page(page: Page) -> None:
    """Forgets what a written generated page holds and nothing reads again: its Markdown, HTML, table
    of contents and ``meta`` (a big portal's largest memory share); keeps, as small as they can be,
    what MkDocs checks links with once every page is written (``validate_anchor_links``).

    - ``present_anchor_ids`` (the anchors other pages may link to): report pages of one format
      have the same few sets, so identical sets become one shared frozenset (read only);
    - ``links_to_anchors`` (this page's links to anchors, with the link as written): the links to
      the page's own anchors (the headings' permalinks) are checked now, as MkDocs would check
      them later; only the links it would warn about, and those to other pages, are kept.
    """
    page.markdown = page.content = None
    page.toc = _NO_TOC
    page.meta = {}
    anchors = page.present_anchor_ids
    if anchors is not None:
        key = frozenset(sys.intern(anchor) for anchor in anchors)
        if len(_ANCHOR_SETS) >= _MAX_ANCHOR_SETS:
            _ANCHOR_SETS.clear()
        page.present_anchor_ids = _ANCHOR_SETS.setdefault(key, key)  # type: ignore[assignment]
    links = getattr(page, "links_to_anchors", None)
    if links and anchors is not None:
        kept: dict[File, dict[str, str]] = {}
        for target, found in links.items():
            if target is page.file:  # the same test as MkDocs', now rather than after every page is written
                found = {anchor: link for anchor, link in found.items() if anchor not in anchors}
            if found:
                kept[target] = found
        page.links_to_anchors = kept or None


def populate_now(page: Page, config: MkDocsConfig, files: Files) -> None:
    """What MkDocs' ``_populate_page`` does to a page, done in the build phase, just before it is written."""
    page.read_source(config)
    page.markdown = config.plugins.on_page_markdown(page.markdown or "", page=page, config=config, files=files)
    page.render(config, files)
    page.content = config.plugins.on_page_content(page.content or "", page=page, config=config, files=files)


def search_plugins(config: MkDocsConfig) -> list[Any]:
    """Material's search plugin instances (they keep ``search_index`` and ``search_index_prev``)."""
    return [p for p in config.plugins.values() if hasattr(p, "search_index_prev") and hasattr(p, "search_index")]


_TOGGLE_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?)\s+autocomplete="off"([^>]*>)')


def drop_checkbox_autocomplete(page_html: str) -> str:
    """Remove ``autocomplete`` from checkboxes: HTML allows it only on text-like inputs.

    Material's base template puts it on its drawer and search toggles, outside any block an
    override can replace; without it the page passes the Nu Html Checker with zero errors.
    """
    # Every match ends at the first ">" after an ``autocomplete="off"``: nothing past the tag holding
    # the last one can match, so only the part before it is scanned (Material's are in the page's head).
    last = page_html.rfind('autocomplete="off"')
    if last < 0:
        return page_html
    end = page_html.find(">", last) + 1 or len(page_html)
    return _TOGGLE_AUTOCOMPLETE.sub(r"\1\2", page_html[:end]) + page_html[end:]


def warnings_counted() -> bool:
    """Whether `mkdocs build --strict` counted a warning (it raises Abort right after post_build)."""
    return any(isinstance(h, CountHandler) and h.get_counts() for h in logging.getLogger("mkdocs").handlers)


def set_lastmod(page: Page, day: date) -> None:
    """The ``lastmod`` MkDocs' sitemap.xml prints for ``page`` (``Page.update_date``, a date string)."""
    page.update_date = day.isoformat()


# --- report pages written as HTML, without Markdown ------------------------------------------

# The Markdown extensions whose effect on a report page ``pages.headings`` writes itself (toc,
# attr_list), or that have none (tables, fenced_code: a report page's Markdown holds no table
# and no code outside its HTML blocks). Any other sends report pages through Markdown.
EMULATED_EXTENSIONS = {"toc": "toc", "attr_list": "attr_list", "tables": "tables", "fenced_code": "fenced_code"}
EMULATED_EXTENSIONS |= {f"markdown.extensions.{name}": name for name in list(EMULATED_EXTENSIONS)}


def heading_style(config: MkDocsConfig) -> HeadingStyle | None:
    """The toc extension's style of the site's headings; ``None`` when its Markdown does more than
    ``pages.headings`` emulates (an extension not in ``EMULATED_EXTENSIONS``, no attr_list, an
    extension given as an object, an option the toc extension does not know)."""
    names: dict[str, str] = {}
    for extension in config.markdown_extensions:
        if not isinstance(extension, str) or extension not in EMULATED_EXTENSIONS:
            return None
        names[EMULATED_EXTENSIONS[extension]] = extension
    if "attr_list" not in names or "toc" not in names:
        return None
    options = (config.mdx_configs or {}).get(names["toc"], {})
    try:
        return HeadingStyle.from_options(options or {})
    except (KeyError, TypeError, ValueError):
        return None


# Events whose handlers could change a report page's Markdown or its source: only gongkai's may.
MARKDOWN_EVENTS = ("page_read_source", "page_markdown")


def markdown_handled_elsewhere(config: MkDocsConfig, plugin: object) -> list[str]:
    """The plugins other than ``plugin`` that answer an event of ``MARKDOWN_EVENTS`` (from
    ``PluginCollection.events``, the handlers MkDocs runs, in order)."""
    names = []
    for event in MARKDOWN_EVENTS:
        for handler in config.plugins.events.get(event, []):
            owner = getattr(handler, "__self__", None)
            if owner is not plugin:
                names.append(type(owner).__name__ if owner is not None else repr(handler))
    return names


def link_resolver(file: File, files: Files) -> Callable[[str], str | None]:
    """The URL of a page (by its source path) from ``file``'s page, as MkDocs rewrites a link to it
    (``_RelativePathTreeprocessor.path_to_url``); ``None`` when MkDocs would warn about the link."""

    def link(src_uri: str) -> str | None:
        target = files.get_file_from_path(src_uri)
        if target is None or target.inclusion.is_excluded():
            return None
        return get_relative_url(target.url, file.url)

    return link


_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")


def populate_html(page: Page, config: MkDocsConfig, files: Files, rendered: ReportHtml) -> None:
    """``populate_now`` for a report page written as HTML: no ``read_source``, no ``render``.

    What changes for other plugins: ``on_page_read_source`` does not fire (only gongkai answers
    it, see ``markdown_handled_elsewhere``); ``on_page_markdown`` fires with an empty Markdown
    (only gongkai answers it too) and ``page.markdown`` stays empty; the page then gets what
    ``render`` would set, and ``on_page_content`` fires with the same content as after ``render``.
    """
    page.meta = {}
    page.markdown = config.plugins.on_page_markdown("", page=page, config=config, files=files)
    set_rendered(page, rendered)
    page.content = config.plugins.on_page_content(page.content or "", page=page, config=config, files=files)


def render_blank_cheaply(page: Page) -> None:
    """The next ``page.render`` of a page read as blank (a report page in MkDocs' first pass) sets
    what ``Page.render`` makes of a blank Markdown without making a Markdown instance (which costs
    more than half a millisecond); a page whose Markdown is not blank by then is rendered by MkDocs.
    """

    def render(config: MkDocsConfig, files: Files) -> None:
        del page.render  # the next render is MkDocs' own
        if (page.markdown or "").strip():
            page.render(config, files)
            return
        page.content = ""  # Markdown.convert: "" for a blank source, before any processor runs
        page.toc = get_toc([])
        page._title_from_render = None
        page.present_anchor_ids = set()
        if _PAGES_LOG.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = {}

    page.render = render  # type: ignore[method-assign]


def set_rendered(page: Page, rendered: ReportHtml) -> None:
    """What ``Page.render`` sets on a page, from a report page written as HTML."""
    page.content = rendered.content
    page.toc = get_toc(rendered.toc_tokens)  # type: ignore[arg-type]
    page._title_from_render = rendered.title
    page.present_anchor_ids = rendered.anchor_ids
    if _PAGES_LOG.getEffectiveLevel() > logging.DEBUG:  # as Page.render: links kept only when checked
        page.links_to_anchors = {page.file: dict(rendered.self_links)} if rendered.self_links else {}


_log = logging.getLogger("mkdocs.plugins.gongkai.html_pages")  # shown by `mkdocs build -v`


@dataclass
class HtmlPages:
    """Report pages written as HTML (``pages.report_page.report_html``) when the build allows it.

    Decided once per build (per ``MkDocsConfig``): the site keeps the package's report template
    (``<custom_dir>/gongkai/pages/report.md`` would change what only Markdown knows), its Markdown
    is no more than ``heading_style`` emulates, and no other plugin answers ``on_page_read_source``
    or ``on_page_markdown`` (``markdown_handled_elsewhere``). Then per page: both links of the page
    lead to a page MkDocs knows (else MkDocs would warn, from the Markdown). Otherwise the page
    goes through Markdown (``populate_now``).
    """

    config: MkDocsConfig | None = None
    style: HeadingStyle | None = None
    reason: str = ""  # why report pages go through Markdown in this build ("" when they do not)

    def decide(self, config: MkDocsConfig, plugin: object, env: Environment) -> HeadingStyle | None:
        if config is not self.config:
            self.config, self.style, self.reason = config, None, ""
            self.style = self.markdown_style(config, plugin)
            if not package_template(env):
                self.style, self.reason = None, "the site overrides the report page's template"
            elif self.style is None:
                self.reason = self.markdown_reason
            _log.debug("report pages: " + (f"through Markdown ({self.reason})" if self.reason else "written as HTML"))
        return self.style

    markdown_config: MkDocsConfig | None = None
    markdown_style_: HeadingStyle | None = None
    markdown_reason: str = ""  # why no generated page may be written as HTML in this build

    def markdown_style(self, config: MkDocsConfig, plugin: object) -> HeadingStyle | None:
        """The heading style when the site's Markdown settings and plugins allow generated pages
        written as HTML (whatever their templates), else ``None``; decided once per build."""
        if config is not self.markdown_config:
            self.markdown_config, self.markdown_style_, self.markdown_reason = config, None, ""
            others = markdown_handled_elsewhere(config, plugin)
            if others:
                self.markdown_reason = "other plugins handle page Markdown: " + ", ".join(others)
            else:
                self.markdown_style_ = heading_style(config)
                if self.markdown_style_ is None:
                    self.markdown_reason = "markdown_extensions hold more than toc, attr_list, tables and fenced_code"
        return self.markdown_style_

    def render_later(self, page: Page, generated: PortalPage, plugin: object, env: Environment) -> None:
        """A listing page (read by MkDocs with its Markdown) is rendered as HTML when its ``html``
        allows it: its next ``render`` is replaced once, as ``render_blank_cheaply`` does; the page
        keeps its Markdown, front matter and ``meta`` as MkDocs read them."""
        html = generated.html
        if html is None:
            return

        def render(config: MkDocsConfig, files: Files) -> None:
            del page.render  # the next render is MkDocs' own
            style = self.markdown_style(config, plugin)
            rendered = html(style, link_resolver(page.file, files)) if style is not None else None
            if rendered is None:
                page.render(config, files)
            else:
                set_rendered(page, rendered)

        page.render = render  # type: ignore[method-assign]

    def populate(self, page: Page, config: MkDocsConfig, files: Files, generated: PortalPage, plugin: object,
                 env: Environment) -> bool:
        """Reads and renders a report page now, as HTML when allowed; whether it was written as HTML."""
        html = generated.html
        style = self.decide(config, plugin, env) if html is not None else None
        rendered = html(style, link_resolver(page.file, files)) if html is not None and style is not None else None
        if rendered is None:
            populate_now(page, config, files)
            return False
        populate_html(page, config, files, rendered)
        return True


# --- report pages written from a shell (``page_shell``) ------------------------------------------

SHELLED_TEMPLATE = "main.html"  # the template MkDocs renders a page with (no ``template:`` in its meta)


def render_from_shells(env: Environment, render: Callable[[Any, Callable[[Any], str]], str]) -> None:
    """Pages rendered with ``SHELLED_TEMPLATE`` go through ``render(context, jinja)`` (``page_shell``):
    MkDocs' ``_build_page`` renders a page by ``env.get_template(name).render(context)``, the
    context its ``TemplateContext``; the templates of ``env`` are made of the class set here
    (``Environment.template_class``) — ``test_mkdocs_renders_a_page_by_its_templates_render``."""
    base = env.template_class

    class ShellTemplate(base):  # type: ignore[valid-type,misc]
        def render(self, *args: Any, **kwargs: Any) -> str:
            if self.name != SHELLED_TEMPLATE or kwargs or len(args) != 1 or not isinstance(args[0], dict):
                return str(super().render(*args, **kwargs))
            jinja = super().render
            return render(args[0], lambda context: str(jinja(context)))

    env.template_class = ShellTemplate
