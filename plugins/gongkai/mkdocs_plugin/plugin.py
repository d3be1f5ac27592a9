"""The ``gongkai`` MkDocs plugin: answers MkDocs events and delegates to the core.

- ``on_config``: load and validate every report (before MkDocs cleans ``site/``, so a failed
  build leaves the previous site as it was), watch the reports folder for ``mkdocs serve``;
- ``on_files``: one generated page per report, per year, per agency and the index (a report
  page's Markdown is made in ``on_page_read_source``, only when MkDocs reads the page);
- ``on_nav``: in a dirty build, which pages to render (``incremental``);
- ``on_env``: in a dirty build, the theme's templates compiled once for all rebuilds;
- ``on_page_markdown``: ``{{ gongkai.* }}`` placeholders in hand-written pages;
- ``on_page_content``: last safety pass over generated report pages;
- ``on_post_page``: valid HTML where the theme's own markup is not;
- ``on_post_build``: in a dirty build, complete the search index and forget removed pages.

Preview: ``mkdocs serve --dirty`` (what ``make serve`` runs) renders, after a save, only the
pages made from what changed: the report's page and the listing pages whose content changed,
plus the hand-written pages; everything when ``mkdocs.yml``, ``overrides/`` or the navigation
changed. Plain ``mkdocs serve`` works too, and renders the whole site on every save.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from .. import publishing
from ..collection import ReportStore, find_report_files
from ..findings import format_finding, format_findings, summarize
from ..indexing import Layout, PortalIndex, build_index
from ..pages import PortalPage, home_replacements, insert_tables, make_environment, portal_pages
from ..opendata.site import OpenData
from ..pages.text import drop_checkbox_autocomplete, sanitize_html
from ..preview import SitePlan, plan_site
from .config import GongkaiConfig
from .data_files import data_files
from .incremental import CompiledTemplates, DirtyBuilds, digest, settings_digest, stamp

log = get_plugin_logger(__name__)

PLACEHOLDER = re.compile(r"\{\{\s*gongkai\.([A-Za-z_]+)\s*\}\}")
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
        self.generated: dict[str, PortalPage] = {}  # src_uri → the generated page
        self.dirty = False  # `mkdocs serve --dirty` / `mkdocs build --dirty`
        self.dirty_builds = DirtyBuilds()  # what the last dirty build rendered, per site folder
        self.stamps: dict[str, tuple[int, int] | None] = {}  # report file → (size, mtime) before parsing
        self.compiled = CompiledTemplates()  # the theme's templates, for dirty rebuilds
        self.env_dirs: list[Path] | None = None  # the override folders self.env was made with
        self.site = SitePlan(preview=False, reports=[])  # what this build shows (``preview.plan_site``)

    # Defining on_startup makes MkDocs keep this instance (and its store) across serve rebuilds.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        reports_dir = (base / self.config.reports_dir).resolve()
        if not reports_dir.is_dir():
            raise PluginError(f"gongkai：找不到报告目录 {reports_dir}（mkdocs.yml 中 plugins.gongkai.reports_dir 的设置为"
                              f"“{self.config.reports_dir}”）")
        try:
            self.layout = Layout(self.config.url_prefix.strip("/"))
        except ValueError as error:
            raise PluginError(f"gongkai：plugins.gongkai.url_prefix 设置有误：{error}") from None

        if self.store is None or self.store.base != base or not self.config.cache:
            self.store = ReportStore(base)
        if self.dirty:  # stamped before parsing: a save during this build makes the next one render it
            self.stamps = {str(p): stamp(p) for p in find_report_files([reports_dir])}
        portal = self.store.load([reports_dir])
        # Preview (`mkdocs serve`) never stops on a report; publishing stops on errors, leaves drafts out.
        self.site = plan_site(portal.reports, portal.findings, portal.files, layout=self.layout, base=base,
                              preview=getattr(self, "command", "build") == "serve",
                              strict=self.config.strict or config.strict)
        self._report(self.site)
        if self.dirty:
            self.dirty_builds.begin(config.site_dir, digest(
                settings_digest(config.config_file_path, config.theme.custom_dir), self.site.banner_key))

        if str(reports_dir) not in config.watch:
            config.watch.append(str(reports_dir))
        self.index = build_index(self.site.reports)
        self.opendata = OpenData(self.index, self.layout, portal.roster, portal.findings, config.use_directory_urls)
        overrides = [Path(config.theme.custom_dir) / OVERRIDES_SUBDIR] if config.theme.custom_dir else []
        if self.env is None or overrides != self.env_dirs:  # Jinja reloads a template whose file changed
            self.env, self.env_dirs = make_environment(overrides), overrides
        if getattr(self, "command", None) in ("build", "gh-deploy") and not self.dirty:
            # Built beside site/ and swapped in by _publish_site: a failed build leaves the last good site.
            self.site_dir, self.staging = config.site_dir, publishing.stage(Path(config.site_dir))
            config.site_dir = str(self.staging)
        return config

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
        layout = self.layout
        self.generated = {}
        for page in (portal_pages(self.index, layout, self.env, self.config.index_title, self.opendata)
                     + self.site.pages(self.env)):
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(f"gongkai：docs 目录中的 {page.src_uri} 与自动生成的页面同名，请删去或改名"
                                  f"（报告页面都在 {layout.prefix}/ 下自动生成）")
            if page.report is None:  # listing pages: few, made now, known by their content
                markdown = page.markdown()
                file = File.generated(config, page.src_uri, content=markdown)
                key = digest(markdown) if self.dirty else None
            else:  # report pages: made when read (on_page_read_source), known by their YAML file
                source = str(page.report.source)
                file = File.generated(config, page.src_uri, abs_src_path=source, inclusion=InclusionLevel.NOT_IN_NAV)
                file_stamp = self.stamps.get(source)
                key = (source, file_stamp) if file_stamp is not None else None
            files.append(file)
            self.generated[page.src_uri] = page
            if self.dirty:
                self.dirty_builds.add(file, key)

        for data_file in data_files(self.opendata.files() if self.opendata else [], config):
            files.append(data_file)
            if self.dirty:  # remembered, so that a later dirty build removes it when its report is gone
                self.dirty_builds.add(data_file, None)
        if self.config.nav:
            config.nav = self._nav(files, config.nav)
        return files

    def _nav(self, files: Files, site_nav: list[Any] | None) -> list[Any]:
        """Home, the index, the years and the agencies; never the report pages (nav size is per page)."""
        layout = self.layout
        # Years are few and sit directly under the section. A handful of agencies get a
        # sub-section; more than nav_agencies_max get one entry, the agency directory, so the
        # nav (rendered on every page) keeps the same size however many agencies there are.
        section: list[Any] = [{self.config.index_nav_title: layout.index()}]
        section.extend({f"{g.year}年度": layout.year(g.year)} for g in self.index.years)
        agencies = self.index.agencies
        if agencies and len(agencies) <= self.config.nav_agencies_max:
            section.append({self.config.nav_agencies_title: [{"全部机关": layout.agencies()}] + [
                {g.agency.name: layout.agency(g.agency.slug)} for g in agencies]})
        elif agencies:
            section.append({self.config.nav_agencies_title: layout.agencies()})
        if self.opendata is not None:  # three pages, however many reports: the nav keeps its size
            section.append({"数据与统计": [{"数据下载": self.opendata.data_page()}, {"历年趋势": self.opendata.trends_page()},
                                        {"报送情况": self.opendata.compliance_page()}]})
        ours = {self.config.nav_title: section}
        if site_nav is not None:  # the site's own nav, with the reports section appended
            return [*site_nav, ours]
        handwritten = sorted((f for f in files.documentation_pages() if f.src_uri not in self.generated),
                             key=lambda f: (f.src_uri != "index.md", f.src_uri))
        nav: list[Any] = [{self.config.nav_home_title: f.src_uri} if f.src_uri == "index.md" else f.src_uri
                          for f in handwritten]
        nav.append(ours)
        return nav

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if self.config.enabled and self.dirty:
            planned = self.dirty_builds.plan(files, nav)
            log.info(f"本次重新生成 {len(planned)} 个页面（共 {len(self.dirty_builds.urls)} 个）")
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        if self.config.enabled and self.dirty:
            self.compiled.attach(env, self.dirty_builds.settings)
        return env

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        generated = self.generated.get(page.file.src_uri) if self.config.enabled else None
        if generated is not None and generated.is_report:
            return generated.markdown()
        return None

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled or page.file.src_uri in self.generated or "gongkai." not in markdown:
            return markdown
        values = home_replacements(self.index, self.layout, page.file.src_uri)

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in values:
                log.warning(f"{page.file.src_uri}：未知的占位符“{match.group(0)}”，可用的有："
                            + "、".join(f"{{{{ gongkai.{n} }}}}" for n in values))
                return match.group(0)
            return values[name]()

        return PLACEHOLDER.sub(replace, markdown)

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
    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> dict[str, Any] | None:
        generated = self.generated.get(page.file.src_uri) if self.config.enabled else None
        if generated is not None and generated.report is not None and page.content is not None:
            page.content = insert_tables(page.content, generated.report, self.env, self.opendata)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return output
        if self.dirty:
            self.dirty_builds.wrote(page.file)
        generated = self.generated.get(page.file.src_uri)
        if generated is not None and generated.is_report:
            # Written once and never read again: MkDocs would keep every report's Markdown and
            # HTML until the build ends (the largest share of a big portal's memory).
            page.markdown = page.content = None
        return drop_checkbox_autocomplete(output)

    # Before Material's search plugin writes its index (priority 0).
    @event_priority(50)
    def _finish_dirty_build(self, *, config: MkDocsConfig) -> None:
        if self.config.enabled and self.dirty:
            search = [p for p in config.plugins.values()
                      if hasattr(p, "search_index_prev") and hasattr(p, "search_index")]
            self.dirty_builds.finish(search)

    staging: Path | None = None  # where a full `mkdocs build` writes (publishing.stage), until it is swapped in
    site_dir = ""  # the site folder it replaces

    # After every other plugin has written its files (the search index included).
    @event_priority(-1000)
    def _publish_site(self, *, config: MkDocsConfig) -> None:
        staging = self.staging
        if staging is None or (config.strict and _warnings_counted()):  # strict mode aborts next
            return
        publishing.publish(staging, Path(self.site_dir))
        config.site_dir, self.staging = self.site_dir, None

    on_post_build = CombinedEvent(_finish_dirty_build, _publish_site)

    def on_build_error(self, *, error: Exception) -> None:
        publishing.discard(self.staging)
        self.staging = None


def _warnings_counted() -> bool:
    """Whether `mkdocs build --strict` counted a warning (it raises Abort right after post_build)."""
    return any(isinstance(h, CountHandler) and h.get_counts() for h in logging.getLogger("mkdocs").handlers)
