"""A report page written as HTML directly (``report_page.report_html``) is what MkDocs renders from its Markdown.

Many reports (every sample report, archived and late ones among them, and names, titles and
narratives from ``injection_payloads.yml``), under several Markdown settings, both ways: the
same content HTML, table of contents, title, anchors and links to anchors.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from gongkai.collection import ReportStore, load_portal
from gongkai.indexing import Layout
from gongkai.mkdocs_plugin import internals
from gongkai.model import Agency, Archived, Report
from gongkai.pages.report_page import report_html, report_page
from gongkai.pages.templates import make_environment

from .conftest import make_portal

REPO = Path(__file__).resolve().parents[2]
PAYLOADS = Path(__file__).with_name("injection_payloads.yml")
ARCHIVED = sorted((Path(__file__).parent / "fixtures" / "archived").glob("*.yml"))
SLUGIFY = "!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}"

# (name, markdown_extensions as mkdocs.yml writes them, use_directory_urls)
SETTINGS: list[tuple[str, str, bool]] = [
    ("repository", f"[attr_list, tables, {{toc: {{permalink: true, slugify: {SLUGIFY}}}}}]", True),
    ("no-directory-urls", f"[attr_list, tables, {{toc: {{permalink: true, slugify: {SLUGIFY}}}}}]", False),
    ("permalink-off", "[attr_list, {toc: {permalink: false}}]", True),
    ("default-toc", "[attr_list]", True),
    ("permalink-hash", "[attr_list, {toc: {permalink: '#', permalink_title: 'Link & \"anchor\"'}}]", True),
    ("leading-custom-class", "[attr_list, {toc: {permalink: '§', permalink_leading: true, permalink_class: pl}}]",
     False),
    ("leading-headerlink", "[attr_list, {toc: {permalink: true, permalink_leading: true}}]", True),
    ("anchorlink", "[attr_list, {toc: {anchorlink: true, permalink: true, permalink_title: ''}}]", True),
    ("anchorlink-only", "[attr_list, {toc: {anchorlink: true, anchorlink_class: headerlink}}]", True),
    ("baselevel-depth", "[attr_list, markdown.extensions.toc: {baselevel: 2, toc_depth: '2-3', separator: _}]",
     True),
    ("depth-1", "[attr_list, {toc: {toc_depth: 1, permalink: true, permalink_class: headerlink x}}]", False),
]


def _config(tmp_path: Path, extensions: str, directory_urls: bool) -> MkDocsConfig:
    text = (f"site_name: t\ndocs_dir: {tmp_path / 'docs'}\nsite_dir: {tmp_path / 'site'}\n"
            f"use_directory_urls: {str(directory_urls).lower()}\nmarkdown_extensions: {extensions}\n")
    (tmp_path / "docs").mkdir(exist_ok=True)
    config = MkDocsConfig()
    config.load_dict(yaml.load(text, Loader=yaml.Loader))  # noqa: S506 (the slugify tag, as mkdocs.yml)
    errors, _ = config.validate()
    assert not errors, errors
    config.plugins._current_plugin = "gongkai"
    return config


def _files(config: MkDocsConfig, reports: list[Report], layout: Layout) -> Files:
    uris = {layout.index()}
    for report in reports:
        uris |= {layout.report(report), layout.agency(report.agency.slug), layout.year(report.year)}
    return Files([File.generated(config, uri, content="", inclusion=InclusionLevel.NOT_IN_NAV) for uri in sorted(uris)])


def _toc(items: Any) -> list[tuple[Any, ...]]:
    return [(item.level, item.id, item.title, _toc(item.children)) for item in items]


def _sample_reports() -> list[Report]:
    portal = ReportStore(REPO).load([REPO / "reports"])
    return list(portal.reports)


def _payload_reports(base: Report) -> list[Report]:
    entries = yaml.safe_load(PAYLOADS.read_text(encoding="utf-8"))
    extra = ["  左右有空格  ", "　全角空格　", "A & B &amp; C &#39; \"引号\" 'x'", "星号*强调* _下划线_ `代码` [链接](x.md)",
             "\\反斜杠\\ {花括号} #井号# | 竖线 |", "以点结尾.", "1. 数字开头", "> 引用", "尾部空格 ", "名称{ #id }"]
    texts = [str(entry["payload"]) for entry in entries] + extra
    out = []
    for number, text in enumerate(texts):
        agency = Agency(slug=base.agency.slug, name=text)
        narrative = dict(base.narrative)
        narrative["problems"] = f"第一段。\n\n## {text}\n\n{text}\n\n### 小标题\n\n- 列表\n\n# {text}\n\n```\n代码\t制表\n\n  \n空行\n```"
        narrative["other_matters"] = f"# overview\n\n## 一、总体情况\n\n# \n\n正文 {number}"
        out.append(dataclasses.replace(base, agency=agency, narrative=narrative))
    return out


def _variants(reports: list[Report]) -> list[Report]:
    """The sample reports, the archived fixtures (with discrepancies), an archived report whose source
    is not a URL, and the first sample report with the payloads."""
    base = reports[0]
    loaded = load_portal(ARCHIVED)
    assert loaded.ok and len(loaded.reports) == len(ARCHIVED) and any(r.discrepancies for r in loaded.reports)
    archived = [*loaded.reports, dataclasses.replace(base, archived=Archived(source="原文 <档案> & 馆"))]
    return reports + archived + _payload_reports(base)


def _both_ways(config: MkDocsConfig, files: Files, report: Report, layout: Layout, *, tables_inline: bool,
               opendata: Any = None) -> None:
    env = make_environment()
    file = files.get_file_from_path(layout.report(report))
    assert file is not None
    page = Page(None, file, config)
    page.markdown = report_page(report, layout, env, tables_inline=tables_inline, opendata=opendata)
    page.render(config, files)
    expected = (page.content, _toc(page.toc), page.title, page.present_anchor_ids, page.links_to_anchors)

    style = internals.heading_style(config)
    assert style is not None
    direct = report_html(report, style, internals.link_resolver(file, files), layout, env,
                         tables_inline=tables_inline, opendata=opendata)
    assert direct is not None, report.agency.name
    page2 = Page(None, file, config)
    page2.markdown = ""  # as populate_html leaves it
    internals.set_rendered(page2, direct)
    got = (page2.content, _toc(page2.toc), page2.title, page2.present_anchor_ids, page2.links_to_anchors)
    assert got[0] == expected[0], (report.agency.name, report.source)
    assert got == expected, report.agency.name


@pytest.mark.parametrize(("name", "extensions", "directory_urls"), SETTINGS, ids=[s[0] for s in SETTINGS])
def test_direct_html_is_what_markdown_renders(tmp_path: Path, name: str, extensions: str,
                                              directory_urls: bool) -> None:
    config = _config(tmp_path, extensions, directory_urls)
    reports = _variants(_sample_reports())
    assert any(r.archived for r in reports) and any(r.is_late for r in reports)
    layout = Layout("reports" if directory_urls else "portal/reports")
    files = _files(config, reports, layout)
    for report in reports:
        _both_ways(config, files, report, layout, tables_inline=False)
    for report in reports[:3]:
        _both_ways(config, files, report, layout, tables_inline=True)


def test_anchor_links_are_kept_when_mkdocs_keeps_them(tmp_path: Path) -> None:
    """``links_to_anchors`` is set only when MkDocs' pages logger would show anchor warnings."""
    logger = logging.getLogger("mkdocs.structure.pages")
    config = _config(tmp_path, SETTINGS[0][1], True)
    report = _sample_reports()[0]
    files = _files(config, [report], Layout())
    old = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        _both_ways(config, files, report, Layout(), tables_inline=False)
    finally:
        logger.setLevel(old)


def test_a_link_to_a_missing_page_is_left_to_markdown(tmp_path: Path) -> None:
    config = _config(tmp_path, SETTINGS[0][1], True)
    report = _sample_reports()[0]
    layout = Layout()
    files = Files([File.generated(config, layout.report(report), content="")])
    file = files.get_file_from_path(layout.report(report))
    assert file is not None
    style = internals.heading_style(config)
    assert style is not None
    assert report_html(report, style, internals.link_resolver(file, files), layout) is None


def test_anchor_link_equality_helper() -> None:  # the toc comparison reads what MkDocs' AnchorLink holds
    link = AnchorLink("t", "i", 1)
    assert _toc([link]) == [(1, "i", "t", [])]


# --- in a build: which way, and the same site either way ------------------------------------------


def _way(result: Any) -> str:
    lines = [line for line in result.stderr.splitlines() if "report pages:" in line]
    assert result.returncode == 0 and len(lines) == 1, result.stderr[-3000:]
    return lines[0].split("report pages:", 1)[1].strip()


def _site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and not p.relative_to(site).as_posix().startswith(("pagefind/", "search/"))}


def test_a_build_writes_report_pages_as_html_and_the_site_is_the_same_as_through_markdown(tmp_path: Path) -> None:
    direct = make_portal(tmp_path / "direct")
    assert _way(direct.build("-v")) == "written as HTML"
    markdown = make_portal(tmp_path / "markdown")
    config = markdown.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - attr_list\n", "  - attr_list\n  - abbr\n"),
                      encoding="utf-8")
    way = _way(markdown.build("-v"))
    assert way.startswith("through Markdown (markdown_extensions"), way
    ours, theirs = _site_files(direct.site), _site_files(markdown.site)
    assert ours.keys() == theirs.keys() and len(ours) > 100
    assert [name for name in ours if ours[name] != theirs[name]] == []


def test_an_overridden_template_or_another_plugin_on_page_markdown_sends_report_pages_through_markdown(
        tmp_path: Path) -> None:
    portal = make_portal(tmp_path / "override")
    override = portal.root / "overrides" / "gongkai" / "pages" / "report.md"
    override.parent.mkdir(parents=True, exist_ok=True)
    template = (REPO / "plugins" / "gongkai" / "templates" / "pages" / "report.md").read_text(encoding="utf-8")
    override.write_text(template.replace("{ .gk-report-links }", "{ .gk-report-links .site-own }"), encoding="utf-8")
    assert _way(portal.build("-v")) == "through Markdown (the site overrides the report page's template)"
    links = portal.content("reports/shifan-zhen/2024/").find("p", class_="gk-report-links")
    assert "site-own" in links.classes

    hooked = make_portal(tmp_path / "hooked")
    (hooked.root / "hooks.py").write_text(
        "def on_page_markdown(markdown, **kwargs):\n    return markdown.replace('历年报告', '的历年报告')\n", encoding="utf-8")
    config = hooked.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - hooks.py\n", encoding="utf-8")
    way = _way(hooked.build("-v"))
    assert way.startswith("through Markdown (other plugins handle page Markdown"), way
    assert "的历年报告" in hooked.content("reports/shifan-zhen/2024/").find("p", class_="gk-report-links").text
