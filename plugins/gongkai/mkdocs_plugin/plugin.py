"""The ``gongkai`` MkDocs plugin: answers MkDocs events and delegates to the core.

- ``on_config``: load and validate every report (before MkDocs cleans ``site/``, so a failed
  build leaves the previous site as it was), watch the reports folder for ``mkdocs serve``;
- ``on_files``: one generated page per report, per year, per agency and the index;
- ``on_page_markdown``: ``{{ gongkai.* }}`` placeholders in hand-written pages;
- ``on_page_content``: last safety pass over generated report pages;
- ``on_post_page``: valid HTML where the theme's own markup is not.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from ..collection import ReportStore
from ..findings import Finding, format_finding, format_findings, summarize
from ..indexing import Layout, PortalIndex, build_index, check_layout
from ..pages import agency_page, home_replacements, index_page, make_environment, report_page, year_page
from ..pages.text import drop_checkbox_autocomplete, sanitize_html
from .config import GongkaiConfig

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
        self.env: Environment | None = None
        self.generated: dict[str, str] = {}  # src_uri → kind ("report", "year", "agency", "index")

    # Defining on_startup makes MkDocs keep this instance (and its store) across serve rebuilds.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

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
        portal = self.store.load([reports_dir])
        findings = portal.findings + check_layout(portal.reports)
        self._report(findings, strict=self.config.strict or config.strict)

        if str(reports_dir) not in config.watch:
            config.watch.append(str(reports_dir))
        self.index = build_index(portal.reports)
        overrides = [Path(config.theme.custom_dir) / OVERRIDES_SUBDIR] if config.theme.custom_dir else []
        self.env = make_environment(overrides)
        return config

    def _report(self, findings: list[Finding], *, strict: bool) -> None:
        """Errors (and, when strict, warnings) stop the build; other warnings are logged."""
        errors = [f for f in findings if f.is_error]
        if errors or (strict and findings):
            shown = findings if strict else errors
            raise PluginError(
                f"gongkai：报告校验未通过（{summarize(shown)}），网站未生成：\n{format_findings(shown)}")
        for finding in findings:
            log.warning(format_finding(finding))

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        assert self.env is not None
        layout, env = self.layout, self.env
        pages: list[tuple[str, str, Callable[[], str]]] = [
            (layout.index(), "index", lambda: index_page(self.index, layout, env, self.config.index_title))]
        for year in self.index.years:
            pages.append((layout.year(year.year), "year", lambda g=year: year_page(g, layout, env)))
        for agency in self.index.agencies:
            pages.append((layout.agency(agency.agency.slug), "agency", lambda g=agency: agency_page(g, layout, env)))
        for report in self.index.reports:
            pages.append((layout.report(report), "report", lambda r=report: report_page(r, layout, env)))

        self.generated = {}
        for src_uri, kind, build in pages:
            if files.get_file_from_path(src_uri) is not None:
                raise PluginError(f"gongkai：docs 目录中的 {src_uri} 与自动生成的页面同名，请删去或改名"
                                  f"（报告页面都在 {layout.prefix}/ 下自动生成）")
            inclusion = InclusionLevel.NOT_IN_NAV if kind == "report" else InclusionLevel.UNDEFINED
            files.append(File.generated(config, src_uri, content=build(), inclusion=inclusion))
            self.generated[src_uri] = kind

        if self.config.nav:
            config.nav = self._nav(files, config.nav)
        return files

    def _nav(self, files: Files, site_nav: list[Any] | None) -> list[Any]:
        """Home, the index, the years and the agencies; never the report pages (nav size is per page)."""
        layout = self.layout
        # Years are few and sit directly under the section; agencies may be hundreds, so they get
        # a sub-section of their own, which navigation.prune leaves out of every other page.
        section: list[Any] = [{self.config.index_nav_title: layout.index()}]
        section.extend({f"{g.year}年度": layout.year(g.year)} for g in self.index.years)
        if self.index.agencies:
            section.append({self.config.nav_agencies_title: [{g.agency.name: layout.agency(g.agency.slug)}
                                                             for g in self.index.agencies]})
        ours = {self.config.nav_title: section}
        if site_nav is not None:  # the site's own nav, with the reports section appended
            return [*site_nav, ours]
        handwritten = sorted((f for f in files.documentation_pages() if f.src_uri not in self.generated),
                             key=lambda f: (f.src_uri != "index.md", f.src_uri))
        nav: list[Any] = [{self.config.nav_home_title: f.src_uri} if f.src_uri == "index.md" else f.src_uri
                          for f in handwritten]
        nav.append(ours)
        return nav

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
        if self.generated.get(page.file.src_uri) == "report":
            return sanitize_html(html)  # narratives were escaped already; this is the second line of defence
        return html

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return output
        return drop_checkbox_autocomplete(output)
