"""The conventions' core without MkDocs: footer values (gongkai.siteinfo), the Atom feed
(gongkai.feed), page descriptions (gongkai.pages.meta)."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gongkai.collection import load_portal
from gongkai.feed import FeedSettings, atom_feed, newest, page_url
from gongkai.findings import format_finding
from gongkai.indexing import Layout, build_index
from gongkai.pages.meta import for_theme, listing_descriptions, report_description
from gongkai.siteinfo import SiteInfo, footer_view, option_lines, read_site_info

from .conftest import REPO

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def reports():  # type: ignore[no-untyped-def]
    return build_index(load_portal([REPO / "reports"], base=REPO).reports).reports


# --- siteinfo ---------------------------------------------------------------------------------


def test_good_values_pass_and_are_kept(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "badge.png").write_bytes(b"\x89PNG")
    info, found = read_site_info({"organiser": " 示例县人民政府办公室 ", "site_code": 3406000012, "icp": "皖ICP备05004418号-1",
                                  "police": "皖公网安备 34060002010001号", "email": "gk@example.gov.cn",
                                  "conac_badge": "img\\badge.png", "phone": 5551234, "undertaker": None},
                                 tmp_path)
    assert found == []
    assert info == SiteInfo(organiser="示例县人民政府办公室", site_code="3406000012", icp="皖ICP备05004418号-1",
                            police="皖公网安备 34060002010001号", email="gk@example.gov.cn", conac_badge="img/badge.png",
                            phone="5551234")
    assert info.police_number == "34060002010001"
    view = footer_view(info)
    assert view.police_href == "https://beian.mps.gov.cn/#/query/webSearch?code=34060002010001"
    assert view.icp_href == "https://beian.miit.gov.cn/" and view.email_href == "mailto:gk@example.gov.cn"
    assert view.has_organiser and view.has_contact and view.has_registration and not view.empty


def test_bm_codes_of_state_council_departments(tmp_path: Path) -> None:
    assert read_site_info({"site_code": "BM55000001"}, tmp_path)[0].site_code == "bm55000001"
    assert read_site_info({"site_code": "bm5500000"}, tmp_path)[1][0].rule == "site-info-code"


def test_view_escapes_every_text() -> None:
    nasty = "\"'<>&"
    view = footer_view(SiteInfo(organiser=nasty, undertaker=nasty, address=nasty, phone=nasty,
                                conac_url="https://bszs.conac.cn/?a=1&b=2", conac_badge="标识 图.png"))
    for name in ("organiser", "undertaker", "address", "phone"):
        assert getattr(view, name) == "&#34;&#39;&lt;&gt;&amp;"
    assert view.conac_href == "https://bszs.conac.cn/?a=1&amp;b=2"
    assert view.conac_badge == "%E6%A0%87%E8%AF%86%20%E5%9B%BE.png"
    assert footer_view(SiteInfo()).empty


def test_findings_are_located_in_mkdocs_yml(tmp_path: Path) -> None:
    source = "plugins:\n  - gongkai:\n      site_info:\n        # 主办单位\n        organiser: x\n        icp: 京ICP备1号\n"
    assert option_lines(source, "site_info") == {"organiser": (5, 9), "icp": (6, 9)}
    _, found = read_site_info({"icp": "京ICP备1号"}, tmp_path, "mkdocs.yml", source)
    assert [format_finding(f).split(" 错误")[0] for f in found] == ["mkdocs.yml:6:9:"]


# --- feed -------------------------------------------------------------------------------------


def test_feed_entries_newest_first_and_bounded(reports) -> None:  # type: ignore[no-untyped-def]
    settings = FeedSettings(title="门户", author="示例", entries=4)
    root = ET.fromstring(atom_feed(reports, Layout(), settings))
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 4
    dates = [e.findtext(f"{ATOM}published") for e in entries]
    assert dates == sorted(dates, reverse=True)
    assert root.findtext(f"{ATOM}updated") == dates[0]
    assert [e.findtext(f"{ATOM}title") for e in entries] == [r.title for r in newest(reports, 4)]


def test_feed_links_without_directory_urls(reports) -> None:  # type: ignore[no-untyped-def]
    settings = FeedSettings(title="门户", author="示例", directory_urls=False, entries=1)
    root = ET.fromstring(atom_feed(reports, Layout("gk/reports"), settings))
    entry = root.find(f"{ATOM}entry")
    assert entry is not None
    report = newest(reports, 1)[0]
    link = entry.find(f"{ATOM}link")
    assert link is not None and link.get("href") == f"{report.agency.slug}/{report.year}.html"
    assert root.findtext(f"{ATOM}id") == "tag:gongkai.invalid,2008-05-01:gk/reports/feed.xml"
    assert page_url("reports/index.md", True) == "reports/" and page_url("reports/x/2024.md", True) == "reports/x/2024/"


def test_feed_escapes_titles(reports) -> None:  # type: ignore[no-untyped-def]
    report = dataclasses.replace(reports[0], agency=dataclasses.replace(reports[0].agency, name="<b>&\"局"))
    text = atom_feed([report], Layout(), FeedSettings(title="门户 & <站>", author="a<b"))
    assert "<b>&" not in text and "&lt;b&gt;&amp;\"局" in text and "门户 &amp; &lt;站&gt;" in text
    root = ET.fromstring(text)
    assert root.findtext(f"{ATOM}entry/{ATOM}author/{ATOM}name") == "<b>&\"局"


def test_control_characters_never_break_the_feed(reports) -> None:  # type: ignore[no-untyped-def]
    report = dataclasses.replace(reports[0], agency=dataclasses.replace(reports[0].agency, name="示例\x07镇\x00"))
    root = ET.fromstring(atom_feed([report], Layout(), FeedSettings(title="门户\x1b", author="示例")))
    assert root.findtext(f"{ATOM}entry/{ATOM}author/{ATOM}name") == "示例镇"
    assert for_theme("示例\x07镇") == "示例镇"


def test_empty_feed_is_still_a_feed() -> None:
    root = ET.fromstring(atom_feed([], Layout(), FeedSettings(title="门户", author="示例")))
    assert root.findall(f"{ATOM}entry") == [] and root.findtext(f"{ATOM}updated")


# --- meta -------------------------------------------------------------------------------------


def test_descriptions(reports) -> None:  # type: ignore[no-untyped-def]
    by_key = {r.key: r for r in reports}
    assert report_description(by_key[("shifan-qu", 2019)]).startswith("示例区人民政府2019年政府信息公开工作年度报告，")
    index = build_index(reports)
    found = listing_descriptions(index, Layout())
    assert found["reports/index.md"].startswith("政府信息公开工作年度报告：3个机关2019—2024年度共12份报告")
    assert set(found) >= {"reports/agencies.md", "reports/2024/index.md", "reports/shifan-qu/index.md"}
    assert for_theme('a "b"\n <c> &') == "a &#34;b&#34; ＜c＞ &amp;"


def test_description_leaves_out_figures_published_blank(reports) -> None:  # type: ignore[no-untyped-def]
    report = reports[0]
    blank = dataclasses.replace(report, values={p: None for p in report.values})
    assert report_description(blank) == f"{report.title}，{report.published.year}年{report.published.month}月" \
                                        f"{report.published.day}日发布。"
