"""A listing page written as HTML directly (``index_pages.agency_html``, ``year_html``) is what MkDocs renders from its Markdown.

Every agency of the sample portal, agencies named by the injection payloads (with late reports; their
reports' titles hold the names), with and without open data's charts, under the Markdown settings of
tests/site/test_site_report_html.py: the same content HTML, table of contents, title, anchors and
links to anchors both ways. A build both ways: test_site_report_html.py's site comparison.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest
import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from gongkai.collection import ReportStore
from gongkai.indexing import AgencyGroup, Group, Layout, build_index, page_source
from gongkai.mkdocs_plugin import internals
from gongkai.model import Agency, Report
from gongkai.opendata.site import OpenData
from gongkai.pages.headings import HeadingStyle
from gongkai.pages.index_pages import Listing, agency_html, agency_page, listing_pages
from gongkai.pages.islands import Islands
from gongkai.pages.report_page import ReportHtml
from gongkai.pages.templates import make_environment

from .test_site_report_html import PAYLOADS, REPO, SETTINGS, _config, _files, _sample_reports, _toc


def _payload_reports(reports: list[Report]) -> list[Report]:
    """Each payload as an agency's name (its reports' titles hold it); every other report published late."""
    entries = yaml.safe_load(PAYLOADS.read_text(encoding="utf-8"))
    texts = [str(entry["payload"]) for entry in entries] + [
        "  左右有空格  ", "　全角空格　", "A & B &amp; C &#39; \"引号\" 'x'", "星号*强调* _下划线_ `代码` [链接](x.md)",
        "\\反斜杠\\ {花括号} #井号# | 竖线 |", "以点结尾.", "1. 数字开头", "> 引用", "尾部空格 ", "名称{ #id }", " ", "|"]
    out = []
    for number, text in enumerate(texts):
        agency = Agency(slug=f"payload-{number}", name=text)
        for n, report in enumerate(reports[:3]):
            late = (number + n) % 2 == 0
            published = report.published + timedelta(days=400) if late else report.published
            out.append(dataclasses.replace(report, agency=agency, published=published))
    return out


def _both_ways(config: MkDocsConfig, files: Files, src_uri: str, markdown: Callable[[], str],
               html: Callable[[HeadingStyle, Callable[[str], str | None]], ReportHtml | None]) -> bool:
    """Asserts both ways agree; whether the HTML way wrote the page (else it left it to Markdown)."""
    file = files.get_file_from_path(src_uri)
    assert file is not None
    page = Page(None, file, config)
    page.markdown, _ = get_data(markdown())
    page.render(config, files)
    expected = (page.content, _toc(page.toc), page.title, page.present_anchor_ids, page.links_to_anchors)

    style = internals.heading_style(config)
    assert style is not None
    direct = html(style, internals.link_resolver(file, files))
    if direct is None:
        return False
    page2 = Page(None, file, config)
    page2.markdown = page.markdown  # a listing page keeps the Markdown MkDocs read
    internals.set_rendered(page2, direct)
    got = (page2.content, _toc(page2.toc), page2.title, page2.present_anchor_ids, page2.links_to_anchors)
    assert got[0] == expected[0], src_uri
    assert got == expected, src_uri
    return True


def _agency_both_ways(config: MkDocsConfig, files: Files, group: AgencyGroup, layout: Layout,
                      opendata: OpenData | None) -> bool:
    env = make_environment()
    return _both_ways(config, files, layout.agency(group.agency.slug),
                      partial(agency_page, group, layout, env, opendata, Islands()),
                      partial(agency_html, group, layout, env, opendata, Islands()))


@pytest.mark.parametrize(("name", "extensions", "directory_urls"), SETTINGS, ids=[s[0] for s in SETTINGS])
def test_agency_pages_as_html_are_what_markdown_renders(tmp_path: Path, name: str, extensions: str,
                                                       directory_urls: bool) -> None:
    config = _config(tmp_path, extensions, directory_urls)
    samples = _sample_reports()
    reports = samples + _payload_reports(samples)
    layout = Layout("reports" if directory_urls else "portal/reports")
    files = _files(config, reports, layout)
    index = build_index(reports)
    opendata = OpenData(index, layout)
    written = 0
    for group in index.agencies:
        for data in (None, opendata):
            written += _agency_both_ways(config, files, group, layout, data)
    assert any(r.is_late for r in reports)
    assert written > len(index.agencies)  # most pages are written as HTML, not left to Markdown


def test_a_missing_page_or_an_overridden_template_is_left_to_markdown(tmp_path: Path) -> None:
    config = _config(tmp_path, SETTINGS[0][1], True)
    reports = _sample_reports()
    layout = Layout()
    group = build_index(reports).agencies[0]
    style = internals.heading_style(config)
    assert style is not None
    files = Files([File.generated(config, layout.agency(group.agency.slug), content="")])
    file = files.get_file_from_path(layout.agency(group.agency.slug))
    assert file is not None
    env = make_environment()
    assert agency_html(group, layout, env, None, None, style, internals.link_resolver(file, files)) is None
    override = tmp_path / "overrides"
    (override / "pages").mkdir(parents=True)
    (override / "pages" / "_entry_status.md").write_text("{{ entry.is_late }}", encoding="utf-8")
    all_files = _files(config, reports, layout)
    link = internals.link_resolver(all_files.get_file_from_path(layout.agency(group.agency.slug)), all_files)
    assert agency_html(group, layout, env, None, None, style, link) is not None
    assert agency_html(group, layout, make_environment([override]), None, None, style, link) is None


def _listing_files(config: MkDocsConfig, reports: list[Report], layout: Layout, listings: list[Listing]) -> Files:
    files = _files(config, reports, layout)
    known = {file.src_uri for file in files}
    for listing in listings:
        if listing.src_uri not in known:
            files.append(File.generated(config, listing.src_uri, content=""))
    return files


# The settings that change headings and links (year pages have many, each made the same way).
YEAR_SETTINGS = [s for s in SETTINGS if s[0] in {"repository", "no-directory-urls", "permalink-hash",
                                                  "leading-custom-class", "anchorlink", "baselevel-depth"}]


@pytest.mark.parametrize(("name", "extensions", "directory_urls"), YEAR_SETTINGS, ids=[s[0] for s in YEAR_SETTINGS])
def test_year_pages_as_html_are_what_markdown_renders(tmp_path: Path, name: str, extensions: str,
                                                     directory_urls: bool) -> None:
    """Every year page, in one piece, by groups, by groups paged (with pagers) and with agencies out of the roster."""
    config = _config(tmp_path, extensions, directory_urls)
    portal = ReportStore(REPO).load([REPO / "reports"])
    samples = list(portal.reports)
    layout = Layout("reports" if directory_urls else "portal/reports")
    env = make_environment()
    kinds: set[str] = set()
    for reports in (samples, samples + _payload_reports(samples)):
        slugs = sorted({report.agency.slug for report in reports})
        index = dataclasses.replace(build_index(reports, portal.roster), groups=(
            Group("示例区", "shili-qu", frozenset(slugs[1::3])), Group("<b>组</b> & “二” *强调*", "g2", frozenset(slugs[0::3])),
            Group("三|组", "g3", frozenset(slugs[2::3][:-1]))))  # the last agency in no group
        for size in (1000, 3):
            listings = [item for item in listing_pages(index, layout, env, page_size=size) if item.kind == "year"]
            files = _listing_files(config, reports, layout, listings)
            written = 0
            for listing in listings:
                assert listing.html is not None
                written += _both_ways(config, files, listing.src_uri, listing.markdown, listing.html)
                markdown = listing.markdown()
                kinds |= {kind for kind, mark in (("pager", "gk-pager"), ("groups", "按所属政府查看"),
                                                  ("part", "年度报告一览")) if mark in markdown}
            assert written >= len(listings) // 2, (size, written, len(listings))
    assert kinds == {"pager", "groups", "part"}


def test_a_year_page_with_a_page_mkdocs_does_not_know_is_left_to_markdown(tmp_path: Path) -> None:
    config = _config(tmp_path, SETTINGS[0][1], True)
    portal = ReportStore(REPO).load([REPO / "reports"])
    layout = Layout()
    index = build_index(portal.reports, portal.roster)
    listings = [item for item in listing_pages(index, layout, make_environment(), page_size=1) if item.kind == "year"]
    style = internals.heading_style(config)
    assert style is not None
    everything = _listing_files(config, list(portal.reports), layout, listings)
    paged = [item for item in listings if item.src_uri == page_source(item.src_uri, 1) and "gk-pager" in item.markdown()]
    assert paged
    listing = paged[0]
    file = everything.get_file_from_path(listing.src_uri)
    assert file is not None and listing.html is not None
    assert listing.html(style, internals.link_resolver(file, everything)) is not None
    partial_files = Files([f for f in everything if not f.src_uri.endswith("/2.md")])
    assert listing.html(style, internals.link_resolver(file, partial_files)) is None
