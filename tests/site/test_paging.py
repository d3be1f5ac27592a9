"""Long listings are split: no listing page over the page size, every report a few clicks from the index.

A portal of 30 agencies (two years each) in six roster groups, one of them large, built with a
page size of 5: the years and the agency directory list the groups, each group's pages list its
agencies, and what is still too long is split into numbered pages with a pager. The same portal
with the default page size keeps one page per listing, as the sample does; without a roster the
listings are simply numbered pages.
"""

from __future__ import annotations

import sys
from collections import deque
from pathlib import Path

import pytest

from gongkai.writing import report_to_yaml

from .conftest import REPO, Node, Portal, make_portal

PAGE_SIZE = 5
GROUPS = [("长阳市金峰县", 14), ("长阳市", 3), ("山坪市桃溪区", 3), ("林江市", 3), ("江南省", 3)]  # + 4 ungrouped
AGENCIES = sum(n for _, n in GROUPS) + 4
YEARS = (2023, 2024)
PREFIX = "reports/"


def _synth_reports() -> list:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import synth
    finally:
        sys.path.remove(str(REPO / "bench"))
    return [r for r in synth.make_reports(AGENCIES * 6) if r.year in YEARS]


def _roster(reports: list) -> str:
    slugs = sorted({r.agency.slug for r in reports})
    names = {r.agency.slug: r.agency.name for r in reports}
    lines = ["agencies:"]
    start = 0
    for group, count in [*GROUPS, (None, 4)]:
        for slug in slugs[start:start + count]:
            lines += [f"  - code: {slug}", f"    name: {names[slug]}", "    kind: department"]
            if group:
                lines.append(f"    group: {group}")
        start += count
    return "\n".join(lines) + "\n"


def _portal(root: Path, *, page_size: int | None, roster: bool) -> Portal:
    portal = make_portal(root, copy_reports=False)
    reports = _synth_reports()
    for report in reports:
        portal.write_report(f"{report.agency.slug}/{report.year}.yml", report_to_yaml(report, schema_ref=None))
    if roster:
        (portal.reports / "roster.yml").write_text(_roster(reports), encoding="utf-8")
    options = {"reports_dir": "reports", "url_prefix": "reports", "search": False}
    if page_size is not None:
        options["page_size"] = page_size
    portal.set_config(plugins=[{"gongkai": options}])
    result = portal.build("--strict")
    assert result.returncode == 0, result.stderr
    return portal


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    return _portal(tmp_path_factory.mktemp("paged") / "portal", page_size=PAGE_SIZE, roster=True)


@pytest.fixture(scope="module")
def unpaged(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    return _portal(tmp_path_factory.mktemp("unpaged") / "portal", page_size=None, roster=True)


@pytest.fixture(scope="module")
def no_roster(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    return _portal(tmp_path_factory.mktemp("flat") / "portal", page_size=PAGE_SIZE, roster=False)


def _url(portal: Portal, path: Path) -> str:
    folder = path.parent.relative_to(portal.site).as_posix()
    return "" if folder == "." else folder + "/"


def _is_report(url: str) -> bool:
    parts = url.strip("/").split("/")
    return len(parts) == 3 and parts[2].isdigit() and len(parts[2]) == 4 and not parts[1].isdigit()


def _links(portal: Portal, url: str) -> list[str]:
    """Pages under reports/ linked from the page's content, as URLs; every link must lead to a file."""
    found = []
    for a in portal.content(url).find_all("a"):
        href = a.attrs.get("href", "")
        if not href or href.startswith(("#", "http:", "https:", "mailto:")):
            continue
        target = portal.resolve(url, href)
        assert target.is_file(), f"{url}: broken link {href}"
        if target.name == "index.html":
            found.append(_url(portal, target))
    return found


def _crawl(portal: Portal) -> dict[str, int]:
    """Every page reached from the index through listing pages' content links: URL → clicks."""
    depth = {PREFIX: 0}
    todo = deque([PREFIX])
    while todo:
        url = todo.popleft()
        if _is_report(url):
            continue
        for link in _links(portal, url):
            if link.startswith(PREFIX) and link not in depth:
                depth[link] = depth[url] + 1
                todo.append(link)
    return depth


def _listing_pages(portal: Portal) -> list[str]:
    """Generated listings: the index, years, groups, the directory and agencies (open data's pages are its own)."""
    pages = [_url(portal, p) for p in (portal.site / "reports").rglob("index.html")]
    return sorted(u for u in pages if not _is_report(u) and not u.startswith("reports/open_data/"))


def _rows(content: Node) -> int:
    return sum(len(table.find_all("tr")) - 1 for table in content.find_all("table"))


@pytest.mark.parametrize("fixture", ["paged", "no_roster"])
def test_every_report_is_a_few_clicks_from_the_index(fixture: str, request: pytest.FixtureRequest) -> None:
    portal: Portal = request.getfixturevalue(fixture)
    depth = _crawl(portal)
    reports = {f"reports/{p.parent.name}/{p.stem}/" for p in portal.reports.glob("*/*.yml")}
    assert len(reports) == AGENCIES * len(YEARS)
    missing = reports - set(depth)
    assert not missing, sorted(missing)[:5]
    # index → year → group → page n of the group → report, or by the directory
    assert max(depth[r] for r in reports) <= 5
    assert all(u in depth for u in _listing_pages(portal)), set(_listing_pages(portal)) - set(depth)


@pytest.mark.parametrize("fixture", ["paged", "no_roster"])
def test_no_listing_page_is_over_the_page_size(fixture: str, request: pytest.FixtureRequest) -> None:
    portal: Portal = request.getfixturevalue(fixture)
    listings = _listing_pages(portal)
    assert len(listings) > 10  # the listings were split
    for url in listings:
        content = portal.content(url)
        if url.count("/") == 2 and url.split("/")[1] not in ("agencies",) and not url.split("/")[1].isdigit():
            continue  # an agency's own page: one row per year
        assert _rows(content) <= PAGE_SIZE, url


def test_a_large_year_lists_its_groups_and_each_group_its_reports(paged: Portal) -> None:
    content = paged.content("reports/2024/")
    assert "第 1 页，共 2 页" in content.find("h1").text  # six groups, five per page
    groups = [a.text for a in content.find("table").find_all("a")]
    assert groups == [g for g, _ in GROUPS]
    second = paged.content("reports/2024/2/")
    assert [a.text for a in second.find("table").find_all("a")] == ["其他机关"]
    big = paged.content("reports/2024/zhangyang-shi-jinfeng-xian/")
    assert "长阳市金峰县" in big.find("h1").text and "共 3 页" in big.find("h1").text
    assert "长阳市金峰县共 14 份报告" in big.text
    titles = [a.text for p in ("", "2/", "3/") for a in
              paged.content(f"reports/2024/zhangyang-shi-jinfeng-xian/{p}").find("table").find_all("a")]
    assert len(titles) == 14 and all("2024年" in t for t in titles)


def test_the_pager_is_a_labelled_nav_with_the_current_page(paged: Portal) -> None:
    base = "reports/2024/zhangyang-shi-jinfeng-xian/"
    for number, url in enumerate((base, base + "2/", base + "3/"), 1):
        navs = [n for n in paged.content(url).find_all("nav") if n.attrs.get("aria-label") == "分页"]
        assert len(navs) == 1, url
        nav = navs[0]
        current = nav.find_all(aria_current="page")
        assert [c.text for c in current] == [f"第 {number} 页"]
        texts = [a.text for a in nav.find_all("a")]
        assert ("上一页" in texts) == (number > 1) and ("下一页" in texts) == (number < 3)
        for a in nav.find_all("a"):
            target = paged.resolve(url, a.attrs["href"])
            assert target.is_file(), (url, a.attrs["href"])
            if a.text.startswith("第 "):
                number_linked = int(a.text.split()[1])
                assert target == paged.page_path(base if number_linked == 1 else f"{base}{number_linked}/")


def test_the_directory_and_the_index_stay_small(paged: Portal) -> None:
    directory = paged.content("reports/agencies/")
    assert [a.text for a in directory.find("table").find_all("a")] == [g for g, _ in GROUPS]
    index = paged.content("reports/")
    assert _rows(index) == len(YEARS)  # one row per year, no report listed
    assert len(index.find_all("a")) < 20


def test_a_portal_that_fits_keeps_one_page_per_listing(unpaged: Portal) -> None:
    assert not (unpaged.site / "reports" / "2024" / "2").exists()
    assert not (unpaged.site / "reports" / "agencies" / "2").exists()
    assert _rows(unpaged.content("reports/2024/")) == AGENCIES
    assert _rows(unpaged.content("reports/agencies/")) == AGENCIES
    index = unpaged.content("reports/")
    assert _rows(index) == AGENCIES * len(YEARS)
    assert not [n for n in index.find_all("nav") if n.attrs.get("aria-label") == "分页"]
    assert "第 1 页" not in unpaged.content("reports/2024/").text


def test_without_a_roster_long_listings_are_numbered_pages(no_roster: Portal) -> None:
    pages = -(-AGENCIES // PAGE_SIZE)
    assert f"共 {pages} 页" in no_roster.content("reports/2024/").find("h1").text
    last = no_roster.content(f"reports/2024/{pages}/")
    assert _rows(last) == AGENCIES - PAGE_SIZE * (pages - 1)


def test_a_page_size_below_one_is_refused_in_chinese(tmp_path: Path) -> None:
    portal = make_portal(tmp_path / "portal")
    portal.set_config(plugins=[{"gongkai": {"page_size": 0, "search": False}}])
    result = portal.build()
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "page_size" in result.stderr and "应为正整数" in result.stderr
    assert not portal.site.exists()
