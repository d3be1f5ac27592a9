"""A report's page shows what the paper form shows: title, six sections, three tables, every number."""

from __future__ import annotations

import gzip
import json
import re

import pytest

from gongkai.collection import load_portal
from gongkai.formats import FORMAT_2021
from gongkai.rendering.tables import format_value
from gongkai.search import INDEX_DIR

from .conftest import REPO, SEED, Portal

SEED_URL = "reports/shifan-zhen/2024/"


@pytest.fixture(scope="module")
def seed_report():
    portal = load_portal([REPO / "reports" / SEED], REPO)
    assert portal.ok and len(portal.reports) == 1
    return portal.reports[0]


def test_title_is_the_official_title(sample_site: Portal) -> None:
    h1 = sample_site.content(SEED_URL).find_all("h1")
    assert [h.text.strip("¶ ") for h in h1] == ["示例镇人民政府2024年政府信息公开工作年度报告"]
    assert sample_site.page(SEED_URL).find("title").text.startswith("示例镇人民政府2024年政府信息公开工作年度报告")


def test_six_official_sections_in_order_with_stable_ids(sample_site: Portal) -> None:
    h2 = sample_site.content(SEED_URL).find_all("h2")
    assert [h.text.strip("¶ ") for h in h2[:6]] == [s.title for s in FORMAT_2021.sections]
    assert [h.attrs["id"] for h in h2] == ["overview", "proactive", "applications", "appeals", "problems",
                                           "other-matters", "year-over-year", "downloads"]  # then open data's


def test_publication_date_is_shown(sample_site: Portal) -> None:
    time = sample_site.content(SEED_URL).find("time")
    assert time.attrs["datetime"] == "2025-01-20"
    assert time.text == "2025年1月20日"


def test_captions_of_tables_two_three_four(sample_site: Portal) -> None:
    captions = [c.text for c in sample_site.content(SEED_URL).find_all("caption")][:3]  # then the year-over-year table
    assert captions == [t.title for t in FORMAT_2021.tables]
    assert [c[:2] for c in captions] == ["二、", "三、", "四、"]


@pytest.mark.parametrize("key", ["applications", "appeals"])
def test_every_data_cell_names_existing_header_cells(sample_site: Portal, key: str) -> None:
    content = sample_site.content(SEED_URL)
    table = next(t for t in content.find_all("table") if f"gk-table--{key}" in t.classes)
    header_ids = {th.attrs["id"] for th in table.find_all("th")}
    cells = table.find_all("td", class_="gk-num")
    assert cells
    for td in cells:
        refs = td.attrs["headers"].split()
        assert len(refs) >= 2, td.attrs
        assert set(refs) <= header_ids, (td.attrs, set(refs) - header_ids)
    labels = {th.text for th in table.find_all("th")}
    if key == "applications":
        assert {"自然人", "法人或其他组织", "商业企业", "总计", "一、本年新收政府信息公开申请数量", "（七）总计"} <= labels
    else:
        assert {"行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "结果维持", "尚未审结"} <= labels


def test_every_number_of_the_seed_report_is_in_its_cell(sample_site: Portal, seed_report) -> None:
    content = sample_site.content(SEED_URL)
    shown = {td.attrs["data-cell"]: td.text for td in content.find_all("td") if "data-cell" in td.attrs}
    expected = {".".join(cell.path): format_value(value) for cell, value in seed_report.cells()}
    assert shown == expected
    # spot checks against the YAML as typed, so a wrong mapping cannot hide behind format_value
    assert shown["proactive.licensing.decisions"] == "290"
    assert shown["proactive.penalty.decisions"] == "99"
    assert shown["applications.received.natural_person"] == "9"
    assert shown["applications.results.disclosed.natural_person"] == "8"
    assert shown["applications.carried_forward.total"] == "1"


def test_narrative_markdown_is_rendered(sample_site: Portal) -> None:
    content = sample_site.content(SEED_URL)
    h3 = [h.text.strip("¶ ") for h in content.find_all("h3")]
    assert h3[:2] == ["(一)主动公开", "(二)依申请公开"]
    assert "全年通过网络主动公开政府信息923条" in content.text


def test_every_report_has_exactly_one_page(sample_site: Portal) -> None:
    portal = load_portal([sample_site.reports], sample_site.root)
    expected = {f"reports/{r.agency.slug}/{r.year}/index.html" for r in portal.reports}
    assert len(expected) == len(portal.files) >= 1
    built = {p.relative_to(sample_site.site).as_posix()
             for p in sample_site.site.glob("reports/*/*/index.html") if re.fullmatch(r"\d{4}", p.parent.name)}
    assert built == expected
    for url in expected:
        h1 = sample_site.page(url).find("article").find_all("h1")
        assert len(h1) == 1


def _nav_texts(portal: Portal, url: str) -> list[str]:
    nav = portal.page(url).find("nav", class_="md-nav--primary")
    # each entry's title sits in a span.md-ellipsis, whether it is a link or the active page's label
    return [span.text.strip() for span in nav.find_all("span", class_="md-ellipsis")]


def test_navigation_lists_years_and_agencies_but_no_report(sample_site: Portal) -> None:
    portal = load_portal([sample_site.reports], sample_site.root)
    years = {f"{r.year}年度" for r in portal.reports}
    agencies = {r.agency.name for r in portal.reports}
    titles = {r.title for r in portal.reports}
    on_index = _nav_texts(sample_site, "reports/")
    assert on_index[:3] == ["首页", "年度报告", "全部年度报告"]
    assert years <= set(on_index)
    some_agency = portal.reports[0].agency.slug
    on_agency = _nav_texts(sample_site, f"reports/{some_agency}/")
    assert agencies <= set(on_agency)
    for url in ("", "reports/", SEED_URL, f"reports/{some_agency}/"):
        assert not titles & set(_nav_texts(sample_site, url))


def test_report_page_navigation_stays_small(sample_site: Portal) -> None:
    """Agencies are pruned from every page but their own section's, so the nav does not grow with the portal."""
    nav = sample_site.page(SEED_URL).find("nav", class_="md-nav--primary")
    assert len(nav.find_all("a")) < 40


def test_search_indexes_the_narrative_but_not_the_tables(sample_site: Portal, seed_report) -> None:
    """Every report repeats the same table labels; indexing them would bury the narrative hits.
    The listings are not indexed at all: they only repeat the reports' titles."""
    fragments = [gzip.decompress(f.read_bytes()).decode("utf-8")
                 for f in (sample_site.site / INDEX_DIR).glob("*/fragment/*.pf_fragment")]  # every part
    pages = {json.loads(f[f.index("{"):])["url"]: json.loads(f[f.index("{"):]) for f in fragments}
    assert "/reports/" not in pages and "/reports/2024/" not in pages and "/reports/agencies/" not in pages
    seed = pages["/" + SEED_URL]
    text = seed["content"].replace("\u200b", "")
    assert seed["meta"]["title"].replace("\u200b", "") == seed_report.title
    assert "政务微信公开政府信息数895条" in text  # from 一、总体情况
    assert "三、收到和处理政府信息公开申请情况" in text  # the section itself is still found
    assert "属于国家秘密" not in text and "法律服务机构" not in text  # table labels stay out
    assert "发布日期" not in text  # nor the publication date (a query for a year finds that year's reports)
    page = sample_site.content(SEED_URL)
    assert len(page.find_all("table", class_="gk-table")) == 3  # on the page, all the same
