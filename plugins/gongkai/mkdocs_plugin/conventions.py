"""Government-site conventions, as the adapter hands them to MkDocs: the footer's values
(``gongkai.siteinfo``), each generated page's description and ``lastmod`` (``gongkai.pages.meta``),
the Atom feed (``gongkai.feed``), written into the site at the end of the build."""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from ..feed import FeedSettings, atom_feed, feed_path
from ..findings import Severity, format_findings
from ..indexing import Layout, PortalIndex
from ..model import Report
from ..pages import PortalPage
from ..pages.meta import for_theme, listing_descriptions, report_description
from ..siteinfo import FooterView, SiteInfo, footer_view, read_site_info
from ..writing import OutputError, write_atomically
from .internals import set_lastmod


class Conventions:
    """Configured in ``on_config``; answers the other events with one call each."""

    def __init__(self) -> None:
        self.footer = FooterView()
        self.feed: FeedSettings | None = None
        self.layout = Layout()
        self.descriptions: dict[str, str] = {}

    def configure(self, options: dict[str, Any], feed_entries: int, config: MkDocsConfig, layout: Layout,
                  index: PortalIndex) -> list[str]:
        """Check the footer's values (errors stop the build); the lines to log as information."""
        config_file = Path(config.config_file_path or "mkdocs.yml")
        source = config_file.read_text(encoding="utf-8", errors="replace") if config_file.is_file() else None
        info, found = read_site_info(options, Path(config.docs_dir), config_file.name, source)
        errors = [f for f in found if f.severity is Severity.ERROR]
        if errors:
            raise PluginError(f"gongkai：mkdocs.yml 中网站页脚信息（plugins.gongkai.site_info）设置有误：\n"
                              f"{format_findings(errors)}")
        self.footer, self.layout = footer_view(info), layout
        self.descriptions = listing_descriptions(index, layout)
        self.feed = self._feed_settings(info, feed_entries, config)
        if self.feed is not None and self.feed.relative:
            return [f"mkdocs.yml 未设置 site_url，订阅源 {feed_path(layout)} 中的链接为相对地址、"
                    f"条目标识为 tag: 网址；设置 site_url（网站的正式网址）后为完整网址"]
        return []

    @staticmethod
    def _feed_settings(info: SiteInfo, entries: int, config: MkDocsConfig) -> FeedSettings | None:
        if entries <= 0:
            return None
        site_url = config.site_url or None
        if site_url and not site_url.endswith("/"):
            site_url += "/"
        authority = (urlsplit(site_url).hostname if site_url else None) or info.email_domain
        return FeedSettings(title=config.site_name, author=info.organiser or config.site_name, site_url=site_url,
                            directory_urls=config.use_directory_urls, entries=entries,
                            **({"tag_authority": authority} if authority else {}))

    def add_globals(self, env: Environment) -> None:
        """For the theme's partials: ``gongkai_site`` (the footer) and ``gongkai_feed`` (its path or "")."""
        env.globals["gongkai_site"] = self.footer
        env.globals["gongkai_feed"] = feed_path(self.layout) if self.feed is not None else ""

    def describe(self, meta: MutableMapping[str, Any], generated: PortalPage | None) -> None:
        """A generated page's own description and kind (``gongkai_kind``: the print button's cue)."""
        if generated is None:
            return
        text = (report_description(generated.report) if generated.report is not None
                else self.descriptions.get(generated.src_uri))
        if text:
            meta["description"] = for_theme(text)
        meta["gongkai_kind"] = generated.kind

    def date_reports(self, files: Files, generated: dict[str, PortalPage]) -> None:
        """``sitemap.xml``'s ``lastmod`` of each report page: its publication date, not the build's."""
        for file in files.documentation_pages():
            page = generated.get(file.src_uri)
            if page is not None and page.report is not None and file.page is not None:
                set_lastmod(file.page, page.report.published)

    def write_feed(self, site_dir: str, reports: Iterable[Report]) -> None:
        if self.feed is None:
            return
        target = Path(site_dir) / feed_path(self.layout)
        try:
            write_atomically(target, atom_feed(reports, self.layout, self.feed))
        except OutputError as error:
            raise PluginError(f"gongkai：{error}") from None
