"""The ``gongkai`` MkDocs plugin: answers MkDocs events and delegates to the core.

- ``on_config``: load and validate every report (before MkDocs cleans ``site/``, so a failed
  build leaves the previous site as it was), watch the reports folder for ``mkdocs serve``;
- ``on_files``: one generated page per report, per year, per agency and the index (a report
  page's Markdown is made in ``on_page_read_source``, only when MkDocs reads the page), and the
  navigation (``gongkai.navigation``);
- ``on_nav``: in a dirty build, which pages to render;
- ``on_env``: the theme's pieces rendered once per key (``theme``), report pages written from a
  shell per key (``page_shell``); in a dirty build, the theme's templates compiled once for all rebuilds;
- ``on_page_markdown``: ``{{ gongkai.* }}`` placeholders in hand-written pages;
- ``on_page_content``: last safety pass over generated report pages;
- ``on_page_context``: the report's tables, after the search plugin has read the page;
- ``on_post_page``: valid HTML where the theme's own markup is not; the page as written goes to
  the search index (``gongkai.search.IndexerProcess``: read, and indexed by Pagefind a year at a
  time, on the other core while the next pages are written);
- ``on_post_build``: write the Atom feed (``conventions``); in a dirty build, complete Material's search index (when a site uses it) and
  forget removed pages; finish the search index (``gongkai.search``; not in
  ``mkdocs serve``, which keeps the preview fast: its search box says there is no index); in a
  full build, swap the site built beside ``site/`` in (``publishing``);
- ``on_build_error``: discard that half-built site.

Whatever relies on MkDocs' or Material's internals is in ``internals``, listed there.

Preview: ``mkdocs serve --dirty`` (what ``make serve`` runs) renders, after a save, only the
pages made from what changed: the report's page and the listing pages whose content changed,
plus the hand-written pages; everything when ``mkdocs.yml``, ``overrides/`` or the navigation
changed. Plain ``mkdocs serve`` works too, and renders the whole site on every save.
"""

from __future__ import annotations

import gc
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from .. import publishing, slugs
from ..attachments import Attachments
from ..collection import ReportStore, find_report_files
from ..findings import format_finding, format_findings, summarize
from ..indexing import Layout, PortalIndex, build_index
from ..navigation import site_nav
from ..opendata.site import OpenData
from ..pages import PortalPage, fill_placeholders, home_replacements, make_environment, portal_pages
from ..pages.text import sanitize_html
from ..preview import SitePlan, plan_site
from ..rules import usage
from ..search import Indexer, IndexerProcess, SearchIndexError
from .config import GongkaiConfig
from .conventions import Conventions
from .data_files import SiteData
from .internals import (
    CompiledTemplates,
    DirtyBuilds,
    HtmlPages,
    drop_checkbox_autocomplete,
    generated_file,
    release_page,
    render_blank_cheaply,
    render_from_shells,
    search_plugins,
    warnings_counted,
)
from .page_shell import PageShells, TemplateValues
from .theme import ThemeMemo

log = get_plugin_logger(__name__)

OVERRIDES_SUBDIR = "gongkai"  # <custom_dir>/gongkai/pages/report.md overrides the package template


class GongkaiPlugin(BasePlugin[GongkaiConfig]):
    """Publishes every report under ``reports_dir`` as pages of the site."""

    def __init__(self) -> None:
        # One store for the life of the process: `mkdocs serve` rebuilds re-parse changed files only.
        self.store: ReportStore | None = None
        self.layout = Layout()
        self.index = PortalIndex(years=(), agencies=())
        self.opendata: OpenData | None = None  # downloads, dataset, trends, roll-ups, compliance
        self.env: Environment | None = None
        self.env_dirs: list[Path] | None = None  # the override folders self.env was made with
        self.generated: dict[str, PortalPage] = {}  # src_uri → the generated page
        self.command: str | None = None  # "build", "serve", "gh-deploy" (on_startup; None when built in process)
        self.dirty = False  # `mkdocs serve --dirty` / `mkdocs build --dirty`
        self.dirty_builds = DirtyBuilds()  # what the last dirty build rendered, per site folder
        self.compiled = CompiledTemplates()  # the theme's templates, for dirty rebuilds
        self.site = SitePlan(preview=False, reports=[])  # what this build shows (``preview.plan_site``)
        self.conventions = Conventions()  # footer identifiers, descriptions, lastmod, Atom feed
        self.collector_paused = False  # the cyclic collector paused by on_config until on_env

    # Defining on_startup makes MkDocs keep this instance (and its store) across serve rebuilds.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        self._pause_collector()
        try:
            return self._configure(config)
        except BaseException:
            self._resume_collector(freeze=False)
            raise

    def _pause_collector(self) -> None:
        """From the reports' loading until the pages are written, the build makes what lives until
        it ends (reports, the index, open data's plan, files, nav: 1.3 GB at 50,000 reports) and
        little garbage: the cyclic collector would walk all of it again and again as it grows (7
        full passes, 1.5-1.9 s of CPU at 10,000 reports). It is paused until :meth:`on_env`,
        which sets all of it aside (``gc.freeze``) for the rest of the build."""
        gc.unfreeze()  # the last build's objects (a serve rebuild) are the collector's again
        self.collector_paused = gc.isenabled()
        gc.disable()

    def _resume_collector(self, *, freeze: bool) -> None:
        if freeze:
            gc.freeze()
        if self.collector_paused:
            gc.enable()
        self.collector_paused = False

    def _configure(self, config: MkDocsConfig) -> MkDocsConfig:
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        reports_dir, self.layout = self._settings(base)
        if self.store is None or self.store.base != base or not self.config.cache:
            self.store = ReportStore(base)
        if self.dirty:  # stamped before parsing: a save during this build makes the next one render it
            self.dirty_builds.begin(config, find_report_files([reports_dir]))
        self.store.parallel = getattr(self, "command", None) != "serve"  # a second process for large builds only
        portal = self.store.load([reports_dir])
        # Preview (`mkdocs serve`) never stops on a report; publishing stops on errors, leaves drafts out.
        self.site = plan_site(portal.reports, portal.findings, portal.files, layout=self.layout, base=base,
                              preview=getattr(self, "command", "build") == "serve",
                              strict=self.config.strict or config.strict)
        self._report(self.site)
        if self.dirty:  # the findings banner is on every page: a change to it renders them all
            self.dirty_builds.also_depends_on(self.site.banner_key)
        self.index = build_index(self.site.reports, portal.roster)
        # A dirty build copies unchanged reports' share of the dataset from the last one (its ledger).
        previous = self.opendata.ledger() if self.dirty and self.opendata is not None else None
        self.opendata = (OpenData(self.index, self.layout, portal.roster, portal.findings, config.use_directory_urls,
                                  drafts=self.site.drafts, previous=previous, record=self.dirty)
                         if self.config.open_data else None)
        for notice in self.conventions.configure(dict(self.config.site_info), self.config.feed_entries, config,
                                                 self.layout, self.index):
            log.info(notice)

        if str(reports_dir) not in config.watch:
            config.watch.append(str(reports_dir))
        if self.opendata is not None and self.config.attachments:  # listed with the report's data downloads
            self.opendata.more = Attachments(self.index.reports, self.layout)
        overrides = [Path(config.theme.custom_dir) / OVERRIDES_SUBDIR] if config.theme.custom_dir else []
        if self.env is None or overrides != self.env_dirs:  # Jinja reloads a template whose file changed
            self.env, self.env_dirs = make_environment(overrides), overrides
        if getattr(self, "command", None) in ("build", "gh-deploy") and not self.dirty:
            # Built beside site/ and swapped in by _publish_site: a failed build leaves the last good site.
            self.site_dir, self.staging = config.site_dir, publishing.stage(Path(config.site_dir))
            config.site_dir = str(self.staging)
        return config

    def _settings(self, base: Path) -> tuple[Path, Layout]:
        """The reports folder and the URL layout, or a message naming the setting to fix."""
        reports_dir = (base / self.config.reports_dir).resolve()
        if not reports_dir.is_dir():
            raise PluginError(f"gongkai：找不到报告目录 {reports_dir}（mkdocs.yml 中 plugins.gongkai.reports_dir 的设置为"
                              f"“{self.config.reports_dir}”）")
        if self.config.page_size < 1:
            raise PluginError(usage("page-size", value=self.config.page_size))
        try:
            return reports_dir, Layout(self.config.url_prefix.strip("/"))
        except ValueError as error:
            raise PluginError(f"gongkai：plugins.gongkai.url_prefix 设置有误：{error}") from None

    def _report(self, site: SitePlan) -> None:
        """Publishing: errors (and, when strict, warnings) stop the build. Preview: only logged."""
        if site.errors:
            raise PluginError(
                f"gongkai：报告校验未通过（{summarize(site.errors)}），网站未生成：\n{format_findings(site.errors)}")
        for finding in site.logged:  # in preview at info level: `mkdocs serve --strict` must not stop on them
            (log.info if site.preview else log.warning)(format_finding(finding))
        for notice in site.notices:
            log.info(notice)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        assert self.env is not None
        builds = self.dirty_builds if self.dirty else None
        if self.data is not None:  # a serve rebuild after a failed one
            self.data.stop()
        self.data = SiteData(self.opendata, config, staged=self.staging is not None, workers=self.config.workers,
                             layout=self.layout)
        data_files = self.data.files()  # a full build: the files worker starts now, beside the pages' planning
        self.generated = {}
        for page in (portal_pages(self.index, self.layout, self.env, self.config.index_title, self.opendata,
                                  self.config.page_size)
                     + self.site.pages(self.env)):
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(f"gongkai：docs 目录中的 {page.src_uri} 与自动生成的页面同名，请删去或改名"
                                  f"（报告页面都在 {self.layout.prefix}/ 下自动生成）")
            files.append(generated_file(config, page, builds))
            self.generated[page.src_uri] = page
        for data_file in data_files:
            files.append(data_file)
            if builds is not None:  # remembered, so that a later dirty build removes it when its report is gone
                builds.add(data_file, None)
        if self.config.nav:
            handwritten = ([f.src_uri for f in files.documentation_pages() if f.src_uri not in self.generated]
                           if config.nav is None else [])
            config.nav = site_nav(self.index, self.layout, handwritten, titles=self.config.nav_titles(),
                                  configured=config.nav)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        self.files = files
        if self.config.enabled and self.dirty:
            planned = self.dirty_builds.plan(files, nav)
            log.info(f"本次重新生成 {len(planned)} 个页面（共 {len(self.dirty_builds.urls)} 个）")
        if self.config.enabled:
            self.conventions.date_reports(files, self.generated)
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        if self.config.enabled and self.dirty:
            self.compiled.attach(env, self.dirty_builds.settings)
        if self.config.enabled:
            self.conventions.add_globals(env)
            memo = env.globals["gongkai_theme"] = ThemeMemo()  # the theme's pieces rendered once per build
            shells = PageShells(lambda context: memo.nav_key(TemplateValues(context, env)))
            render_from_shells(env, shells.render)  # report pages: the whole output from a shell per key
            if self.command != "serve":  # the codes are made (the pages are planned): a rebuild would import again
                slugs.release_dictionaries()
            self._resume_collector(freeze=True)  # what lives until the build ends is set aside
        return env

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        generated = self.generated.get(page.file.src_uri) if self.config.enabled else None
        if generated is not None and generated.is_report:
            # Empty while MkDocs reads every page; the real page just before it is written (_read_report_now).
            if page.file.src_uri == self.reading:
                return generated.markdown()
            render_blank_cheaply(page)
            return ""
        if generated is not None and self.env is not None:  # a listing page: written as HTML when it can be
            self.html_pages.render_later(page, generated, self, self.env)
        return None

    reading: str | None = None  # the report page being read just before it is written
    files: Files | None = None
    html_pages = HtmlPages()  # report pages written as HTML, without Markdown, when the build allows it

    # First of all page_context handlers: the report page is read and rendered now, one at a time,
    # and released once written (on_post_page), so memory does not grow with the number of reports.
    @event_priority(100)
    def _read_report_now(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                         nav: Navigation) -> TemplateContext | None:
        generated = self.generated.get(page.file.src_uri) if self.config.enabled else None
        if generated is not None and generated.is_report and self.files is not None and self.env is not None:
            self.reading = page.file.src_uri
            try:
                self.html_pages.populate(page, config, self.files, generated, self, self.env)
            finally:
                self.reading = None
        return context

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return markdown
        generated = self.generated.get(page.file.src_uri)
        if generated is None or not generated.is_report or page.file.src_uri == self.reading:
            # A report page's description is made when the page is read for real (_read_report_now).
            self.conventions.describe(page.meta, generated)
        if generated is not None:
            return markdown
        values = home_replacements(self.index, self.layout, page.file.src_uri, self.opendata)
        markdown, unknown = fill_placeholders(markdown, values)
        for placeholder in unknown:
            log.warning(f"{page.file.src_uri}：未知的占位符“{placeholder}”，可用的有："
                        + "、".join(f"{{{{ gongkai.{n} }}}}" for n in values))
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        generated = self.generated.get(page.file.src_uri)
        if generated is not None and generated.report is not None:
            html = sanitize_html(html)  # narratives were escaped already; this is the second line of defence
        assert self.env is not None
        return self.site.banner(page.file.src_uri, page.url, self.env,
                                directory_urls=config.use_directory_urls) + html

    # After every other plugin's page_context, the search index's above all: the tables
    # (numbers laid out by gongkai, not Markdown) go in last, past the Markdown parser and
    # the search plugin's HTML parser, which together were half of a large build.
    @event_priority(-100)
    def _insert_tables(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                       nav: Navigation) -> TemplateContext | None:
        generated = self.generated.get(page.file.src_uri) if self.config.enabled else None
        if generated is not None and generated.finish is not None and page.content is not None:
            page.content = generated.finish(page.content)
        return context

    on_page_context = CombinedEvent(_read_report_now, _insert_tables)

    def _post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return output
        if self.dirty:
            self.dirty_builds.wrote(page.file)
        if page.file.src_uri in self.generated:  # an agency page's charts weigh as much as its reports
            release_page(page)
        return drop_checkbox_autocomplete(output)

    # The search index, made while the site is written, in a process of its own (not in `mkdocs serve`).
    search_index: IndexerProcess | None = None

    # After every other plugin's post_page: the page as it is written goes into the search index.
    @event_priority(-900)
    def _index_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.config.enabled and self.config.search and self.command != "serve":
            if self.search_index is None:
                expected = [f.dest_uri for f in self.files.documentation_pages()] if self.files is not None else []
                self.search_index = IndexerProcess(Path(config.site_dir), expected)
            self.search_index.add(page.file.dest_uri, output)
        return output

    on_post_page = CombinedEvent(_post_page, _index_page)

    # Before Material's search plugin writes its index (priority 0).
    @event_priority(50)
    def _finish_dirty_build(self, *, config: MkDocsConfig) -> None:
        if self.config.enabled and self.dirty:
            self.dirty_builds.finish(search_plugins(config))

    def _write_feed(self, *, config: MkDocsConfig) -> None:
        if self.config.enabled:
            self.conventions.write_feed(config.site_dir, self.index.reports)

    data: SiteData | None = None  # open data's and the attachments' files of this build

    # Before the search index (Pagefind reads a complete site) and the swap.
    @event_priority(-850)
    def _finish_data_files(self, *, config: MkDocsConfig) -> None:
        if self.data is not None:
            self.data.finish()

    staging: Path | None = None  # where a full `mkdocs build` writes (publishing.stage), until it is swapped in
    site_dir = ""  # the site folder it replaces

    # After every other plugin has written its pages, before the site is swapped in: a failure
    # leaves the last good site, its search index included.
    @event_priority(-900)
    def _index_for_search(self, *, config: MkDocsConfig) -> None:
        indexer, self.search_index = self.search_index, None
        if not (self.config.enabled and self.config.search) or self.command == "serve":
            return
        try:  # the pages not taken while written are read from disk
            index = (indexer or Indexer(Path(config.site_dir))).finish()
        except SearchIndexError as error:
            raise PluginError(f"gongkai：{error}") from None
        log.info(f"站内搜索索引：{index.pages} 个页面，用时 {index.seconds:.1f} 秒")

    # After every other plugin has written its files (the search index included).
    @event_priority(-1000)
    def _publish_site(self, *, config: MkDocsConfig) -> None:
        staging = self.staging
        if staging is None or (config.strict and warnings_counted()):  # strict mode aborts next
            return
        publishing.publish(staging, Path(self.site_dir))
        config.site_dir, self.staging = self.site_dir, None

    on_post_build = CombinedEvent(_finish_dirty_build, _write_feed, _index_for_search, _finish_data_files,
                                  _publish_site)

    def on_build_error(self, *, error: Exception) -> None:
        self._resume_collector(freeze=False)
        if self.data is not None:
            self.data.stop()
        if self.search_index is not None:  # Pagefind stopped, the index made so far removed
            self.search_index.abort()
            self.search_index = None
        if self.opendata is not None:
            self.opendata.abort()
        publishing.discard(self.staging)
        self.staging = None
