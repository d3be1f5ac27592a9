"""Index pages list every report under its year and its agency, with working links and the late mark."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gongkai.collection import load_portal

from .conftest import Node, Portal, make_portal, seed_text, variant


def _report_links(portal: Portal, url: str, table: Node) -> dict[Path, Node]:
    """Each report linked from a listing table → its row; links resolved to built files."""
    rows = {}
    for tr in table.find_all("tr"):
        for a in tr.find_all("a"):
            target = portal.resolve(url, a.attrs["href"])
            assert target.is_file(), (url, a.attrs["href"], target)
            rows[target] = tr
    return rows


def _expected(portal: Portal):
    return load_portal([portal.reports], portal.root).reports


def _page_of(portal: Portal, report) -> Path:
    return portal.site / "reports" / report.agency.slug / str(report.year) / "index.html"


def test_index_lists_every_report_under_its_year(sample_site: Portal) -> None:
    reports = _expected(sample_site)
    content = sample_site.content("reports/")
    headings = content.find_all("h2")
    years = sorted({r.year for r in reports}, reverse=True)
    assert [h.attrs["id"] for h in headings] == [f"year-{y}" for y in years] + ["agencies"]
    tables = content.find_all("table")
    assert len(tables) == len(years)
    for year, table in zip(years, tables):
        rows = _report_links(sample_site, "reports/", table)
        assert set(rows) == {_page_of(sample_site, r) for r in reports if r.year == year}


def test_year_pages_list_that_years_reports(sample_site: Portal) -> None:
    reports = _expected(sample_site)
    for year in {r.year for r in reports}:
        url = f"reports/{year}/"
        content = sample_site.content(url)
        assert content.find("h1").text.startswith(f"{year}年度政府信息公开工作年度报告")
        rows = _report_links(sample_site, url, content.find("table"))
        mine = [r for r in reports if r.year == year]
        assert set(rows) == {_page_of(sample_site, r) for r in mine}
        for report in mine:
            row = rows[_page_of(sample_site, report)]
            cells = [td.text for td in row.find_all("td")]
            assert cells[0] == report.agency.name
            assert cells[2] == f"{report.published.year}年{report.published.month}月{report.published.day}日"
            assert ("逾期发布" in cells[3]) is report.is_late


def test_agency_pages_list_that_agencys_reports_newest_first(sample_site: Portal) -> None:
    reports = _expected(sample_site)
    for slug in {r.agency.slug for r in reports}:
        url = f"reports/{slug}/"
        content = sample_site.content(url)
        mine = sorted((r for r in reports if r.agency.slug == slug), key=lambda r: r.year, reverse=True)
        assert content.find("h1").text.strip("¶ ") == mine[0].agency.name
        links = [sample_site.resolve(url, a.attrs["href"]) for a in content.find("table").find_all("a")]
        assert links == [_page_of(sample_site, r) for r in mine]


def test_report_page_links_back_to_its_agency_and_year(sample_site: Portal) -> None:
    url = "reports/shifan-zhen/2024/"
    links = sample_site.content(url).find("p", class_="gk-report-links").find_all("a")
    assert [sample_site.resolve(url, a.attrs["href"]) for a in links] == [
        sample_site.site / "reports/shifan-zhen/index.html", sample_site.site / "reports/2024/index.html"]


def test_home_page_links_to_the_latest_year(sample_site: Portal) -> None:
    latest = max(r.year for r in _expected(sample_site))
    content = sample_site.content("")
    link = next(a for a in content.find_all("a") if a.text == f"{latest}年度政府信息公开工作年度报告")
    assert sample_site.resolve("", link.attrs["href"]) == sample_site.site / f"reports/{latest}/index.html"
    assert "{{" not in content.text


@pytest.fixture(scope="module")
def late_portal(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    """The seed report on time, and a copy published on 1 February: one day late."""
    portal = make_portal(tmp_path_factory.mktemp("late") / "portal", copy_reports=False)
    portal.write_report("shifan-zhen/2024.yml", seed_text())
    portal.write_report("chidao-zhen/2024.yml",
                        variant(seed_text(), slug="chidao-zhen", name="迟到镇人民政府", published="2025-02-01"))
    portal.build_in_process()
    return portal


def test_late_report_is_marked_in_words(late_portal: Portal) -> None:
    content = late_portal.content("reports/chidao-zhen/2024/")
    mark = content.find("strong", class_="gk-late")
    assert mark.text == "逾期发布"
    assert "法定发布期限为 2025年1月31日" in content.text
    assert content.find("time").attrs["datetime"] == "2025-02-01"


def test_on_time_report_has_no_late_mark(late_portal: Portal) -> None:
    content = late_portal.content("reports/shifan-zhen/2024/")
    assert not content.find_all(class_="gk-late")
    assert "逾期发布" not in content.text and "法定发布期限" not in content.text


@pytest.mark.parametrize("url", ["reports/", "reports/2024/", "reports/chidao-zhen/"])
def test_listings_mark_the_late_report_only(late_portal: Portal, url: str) -> None:
    for tr in late_portal.content(url).find("table").find_all("tr")[1:]:
        targets = [late_portal.resolve(url, a.attrs["href"]) for a in tr.find_all("a")]
        late = any("chidao-zhen" in t.parts for t in targets)
        assert bool(tr.find_all("strong", class_="gk-late")) is late
        assert ("逾期发布" in tr.text) is late
        assert ("按期发布" in tr.text) is not late


def test_links_work_without_directory_urls(tmp_path: Path) -> None:
    """For a site opened from disk (file://): every page is a .html file and every link finds it."""
    portal = make_portal(tmp_path / "portal", copy_reports=False)
    portal.write_report("shifan-zhen/2024.yml", seed_text())
    portal.write_report("shifan-zhen/2023.yml", variant(seed_text(), year=2023, published="2024-01-20"))
    portal.set_config(use_directory_urls=False)
    result = portal.build()
    assert result.returncode == 0, result.stderr
    pages = ["index.html", "reports/index.html", "reports/2024/index.html", "reports/shifan-zhen/index.html",
             "reports/shifan-zhen/2024.html", "reports/shifan-zhen/2023.html"]
    for url in pages:
        assert (portal.site / url).is_file(), url
        for a in portal.content(url).find_all("a"):
            href = a.attrs.get("href", "")
            if href.startswith("#") or re.match(r"^[a-z]+:", href):
                continue
            if "download" in a.attrs:  # a report's data files
                assert portal.resolve(url, href).is_file(), (url, href)
                continue
            assert href.endswith(".html") or ".html#" in href, (url, href)
            assert portal.resolve(url, href).is_file(), (url, href)


def test_agency_directory_lists_every_agency_and_report(sample_site) -> None:
    from gongkai.collection import load_portal

    from .conftest import REPO

    portal = load_portal([REPO / "reports"], REPO)
    page = sample_site.content("reports/agencies/")
    rows = page.find("table").find_all("tr")[1:]
    assert len(rows) == len({r.agency.slug for r in portal.reports})
    links = [a.attrs["href"] for a in page.find("table").find_all("a")]
    assert len(links) == len(portal.reports) + len(rows)  # each agency, then each of its years
    for href in links:
        assert sample_site.resolve("reports/agencies/", href).is_file(), href


def test_many_agencies_give_the_nav_one_entry(tmp_path) -> None:
    """Past nav_agencies_max the nav links the directory instead of every agency (linear builds)."""
    from .conftest import make_portal

    portal = make_portal(tmp_path / "portal")
    text = (portal.root / "mkdocs.yml").read_text(encoding="utf-8")
    (portal.root / "mkdocs.yml").write_text(text.replace("url_prefix: reports", "url_prefix: reports\n      nav_agencies_max: 2"),
                                             encoding="utf-8")
    result = portal.build("--strict")
    assert result.returncode == 0, result.stderr
    nav = portal.page("reports/2024/").find("nav", class_="md-nav--primary")
    hrefs = [a.attrs.get("href", "") for a in nav.find_all("a")]
    assert any(h.rstrip("/").endswith("agencies") for h in hrefs)
    assert not any("shifan-qu" in h for h in hrefs)  # no agency listed one by one
