"""Options of the ``gongkai`` MkDocs plugin, each typed and validated by MkDocs."""

from __future__ import annotations

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config

from ..indexing import DEFAULT_PAGE_SIZE, DEFAULT_PREFIX
from ..navigation import NavTitles
from ..pages.index_pages import DEFAULT_INDEX_TITLE


class SiteInfoConfig(Config):
    """The footer's organiser, contact and registration identifiers (checked by ``gongkai.siteinfo``)."""

    organiser = opt.Optional(opt.Type(str))  # 主办单位
    undertaker = opt.Optional(opt.Type(str))  # 承办单位
    address = opt.Optional(opt.Type(str))  # 地址
    phone = opt.Optional(opt.Type((str, int)))  # 联系电话
    email = opt.Optional(opt.Type(str))  # 电子邮箱
    site_code = opt.Optional(opt.Type((str, int)))  # 网站标识码
    icp = opt.Optional(opt.Type(str))  # ICP备案号, linked to beian.miit.gov.cn
    police = opt.Optional(opt.Type(str))  # 公安机关备案号, linked to beian.mps.gov.cn
    police_icon = opt.Optional(opt.Type(str))  # its icon: an image in docs_dir
    conac_badge = opt.Optional(opt.Type(str))  # 党政机关网站标识: an image in docs_dir (never a URL)
    conac_url = opt.Optional(opt.Type(str))  # the badge's registration page at conac.cn


class GongkaiConfig(Config):
    enabled = opt.Type(bool, default=True)

    # Where the report YAML files are, relative to mkdocs.yml.
    reports_dir = opt.Type(str, default="reports")
    # Where the generated pages live in the site: <prefix>/<slug>/<year>/ and so on.
    url_prefix = opt.Type(str, default=DEFAULT_PREFIX)
    # Treat validation warnings as errors (fail before site/ is touched).
    strict = opt.Type(bool, default=False)
    # Reuse parsed reports between `mkdocs serve` rebuilds (keyed by path, size and mtime).
    cache = opt.Type(bool, default=True)
    # 每份报告页面提供三个附件下载：可粘贴到集约化 CMS 文章的嵌入片段、单文件网页和 Word 文档。
    # 设为 false 则不生成，也不显示下载链接。
    attachments = opt.Type(bool, default=True)

    # Titles of the generated index page and of the navigation entries.
    index_title = opt.Type(str, default=DEFAULT_INDEX_TITLE)
    nav_title = opt.Type(str, default=NavTitles.section)
    index_nav_title = opt.Type(str, default=NavTitles.index)
    nav_home_title = opt.Type(str, default=NavTitles.home)
    nav_agencies_title = opt.Type(str, default=NavTitles.agencies)
    # Up to this many agencies are listed one by one in the navigation; beyond it the navigation
    # links the agency directory instead (Material renders the nav on every page: its size
    # multiplies the build time).
    nav_agencies_max = opt.Type(int, default=NavTitles.agencies_max)
    # Most entries on one listing page (the index, a year, the agency directory): longer listings
    # are split by the roster's groups, then into numbered pages.
    page_size = opt.Type(int, default=DEFAULT_PAGE_SIZE)
    # Build the navigation (home, index, years, agencies). Off: the site's own `nav` is kept as is.
    nav = opt.Type(bool, default=True)
    # Index the built site for the header's search box (Pagefind; not during `mkdocs serve`).
    search = opt.Type(bool, default=True)
    # 开放数据：每份报告的 CSV/XLSX/JSON 下载、全站数据集、历年趋势、汇总和报送情况页面。
    # 设为 false 则不生成这些文件和页面（基准测试用它比较有无开放数据的构建成本）。
    open_data = opt.Type(bool, default=True)
    # 完整构建时，每份报告的下载文件、附件和全站数据集由第二个进程在生成页面的同时写出：
    # auto（默认）为报告较多时使用，0 为不使用（在本进程中写出），1 为总是使用。
    workers = opt.Choice(("auto", 0, 1), default="auto")

    # Government-site conventions (gongkai.siteinfo, gongkai.feed): the footer's identifiers,
    # and the Atom feed of reports by publication date (off: 0 entries).
    site_info = opt.SubConfig(SiteInfoConfig)
    feed_entries = opt.Type(int, default=50)

    def nav_titles(self) -> NavTitles:
        return NavTitles(section=self.nav_title, index=self.index_nav_title, home=self.nav_home_title,
                         agencies=self.nav_agencies_title, agencies_max=self.nav_agencies_max)
