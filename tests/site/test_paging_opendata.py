"""Open data's pages stay small at province scale: roll-ups, the compliance view and the lists of
reports not counted are split by group and into numbered pages of ``page_size``, each page a few
clicks from 数据下载, every link leading to a page.

The sample portal's three agencies, each in a group of its own (示例镇人民政府 in none), and eight
more groups of three agencies that must report from 2024 on and never did (24 missing reports), built
with a page size of 2. Without a roster, the compliance view's one group (全部机关) is paged too.
"""

from __future__ import annotations

import re
from collections import deque
from decimal import Decimal
from pathlib import Path

import pytest

from .conftest import REPO, Node, Portal, make_portal
from .test_paging import _links, _url

PAGE_SIZE = 2
DATA = "reports/open_data/"
EXTRA = [(f"第{g}区", [(f"z{g}-a{a}", f"第{g}区第{a}局") for a in range(3)]) for g in range(8)]
MISSING = {name for _, members in EXTRA for _, name in members}
CELL = re.compile(r'<td headers="[^"]*" data-cell="([^"]+)"[^>]*>([^<]*)</td>')


def _roster() -> str:
    lines = ["agencies:",
             "  - {code: shifan-qu, name: 示例区人民政府, kind: government, group: 示例区, first_year: 2019}",
             "  - {code: shifan-scjgj, name: 示例区市场监督管理局, kind: department, group: 示例区市场监管, first_year: 2022}",
             "  - {code: shifan-zhen, name: 示例镇人民政府, kind: township, first_year: 2022}"]
    for group, members in EXTRA:
        lines += [f"  - {{code: {code}, name: {name}, kind: department, group: {group}, first_year: 2024}}"
                  for code, name in members]
    return "\n".join(lines) + "\n"


def _build(root: Path, *, roster: bool) -> Portal:
    portal = make_portal(root)
    if roster:
        (portal.reports / "roster.yml").write_text(_roster(), encoding="utf-8")
    else:
        (portal.reports / "roster.yml").unlink()
    portal.set_config(plugins=[{"gongkai": {"reports_dir": "reports", "url_prefix": "reports", "search": False,
                                            "page_size": PAGE_SIZE if roster else 1}}])
    result = portal.build("--strict")
    assert result.returncode == 0, result.stderr
    return portal


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    return _build(tmp_path_factory.mktemp("odpaged") / "portal", roster=True)


@pytest.fixture(scope="module")
def no_roster(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    return _build(tmp_path_factory.mktemp("odflat") / "portal", roster=False)


@pytest.fixture(scope="module")
def reports() -> list:
    from gongkai.collection import load_portal

    portal = load_portal([REPO / "reports"], base=REPO)
    return list(portal.reports)


def _open_data_pages(portal: Portal) -> list[str]:
    return sorted(_url(portal, p) for p in (portal.site / DATA).rglob("index.html"))


def _crawl(portal: Portal, start: str = DATA) -> dict[str, int]:
    """Open data's pages reached from ``start`` by the links of their content: URL → clicks. Every
    link of every page reached must lead to a file (``test_paging._links``)."""
    depth = {start: 0}
    todo = deque([start])
    while todo:
        url = todo.popleft()
        for link in _links(portal, url):
            if link.startswith(DATA) and link not in depth:
                depth[link] = depth[url] + 1
                todo.append(link)
    return depth


def _entries(content: Node) -> int:
    """What a page lists: rows of its tables other than the official tables and the charts' (one
    row per line of a report's form, one per year), and list items outside the pager."""
    rows = sum(len(t.find_all("tr")) - 1 for t in content.find_all("table")
               if not {"gk-table", "gk-chart-table"} & set(t.classes))
    items = sum(1 for ul in content.find_all("ul") if ul.parent is None or ul.parent.tag != "nav"
                for li in ul.children if isinstance(li, Node) and li.tag == "li")
    return rows + items


def _pager(content: Node) -> Node | None:
    navs = [n for n in content.find_all("nav") if n.attrs.get("aria-label") == "分页"]
    assert len(navs) <= 1
    return navs[0] if navs else None


def test_every_open_data_page_is_a_few_clicks_from_the_data_page(paged: Portal) -> None:
    depth = _crawl(paged)
    pages = _open_data_pages(paged)
    assert len(pages) > 60
    assert set(pages) <= set(depth), sorted(set(pages) - set(depth))[:5]
    # 数据下载 → a year's roll-up → its page n of groups → a group's total → its reports not counted → page n
    assert max(depth.values()) <= 6, max(depth.items(), key=lambda kv: kv[1])


def test_no_open_data_page_lists_more_than_the_page_size(paged: Portal) -> None:
    for url in _open_data_pages(paged):
        if url == DATA:
            continue  # the files, and one roll-up per year: as many as the years
        assert _entries(paged.content(url)) <= PAGE_SIZE, url


def test_group_pages_have_the_readable_codes_of_the_listings(paged: Portal) -> None:
    listed = {p.name for p in (paged.site / "reports" / "agencies").iterdir() if p.is_dir() and not p.name.isdigit()}
    assert {"shili-qu", "qtjg"} <= listed  # 示例区 and the agencies without a group (其他机关)
    compliance = {p.name for p in (paged.site / DATA / "compliance").iterdir() if p.is_dir() and not p.name.isdigit()}
    assert listed <= compliance
    assert not [name for name in compliance if name.startswith("group-")]
    totals = {p.name for p in (paged.site / DATA / "totals-2024").iterdir() if p.is_dir() and not p.name.isdigit()}
    assert "shili-qu" in totals and not [name for name in totals if name.startswith("group-")]


def test_each_groups_total_is_the_sum_of_its_reports(paged: Portal, reports: list) -> None:
    for year in (2022, 2024):
        for url, members in ((f"{DATA}totals-{year}/", {"shifan-qu", "shifan-scjgj", "shifan-zhen"}),
                             (f"{DATA}totals-{year}/shili-qu/", {"shifan-qu"})):
            of_year = [r for r in reports if r.year == year and r.agency.slug in members]
            expected = {".".join(c.path): sum(r.values[c.path] for r in of_year)
                        for t in of_year[0].format.tables for c in t.cells()}
            html = paged.page_path(url).read_text(encoding="utf-8")
            assert {path: Decimal(text) for path, text in CELL.findall(html)} == expected, url
            assert "合计数符合表内勾稽关系" in html


def _named(portal: Portal, first: str) -> set[str]:
    """Agencies named on a list of reports not counted, over all its pages."""
    names: set[str] = set()
    for url, _ in sorted(_crawl(portal, first).items()):
        if url.startswith(first):  # the list's own pages
            names |= {li.text.split("（")[0] for li in portal.content(url).find_all("li")}
    return names


def test_every_report_not_counted_is_still_named(paged: Portal) -> None:
    year_page = paged.content(f"{DATA}totals-2024/")
    assert "未计入合计 24 份（未发布 24 份）" in year_page.text
    assert _named(paged, f"{DATA}totals-2024/not_counted/") == MISSING
    group = paged.content(f"{DATA}totals-2024/{_code(paged, '第3区')}/")
    assert "未计入合计 3 份" in group.text
    assert _named(paged, f"{DATA}totals-2024/{_code(paged, '第3区')}/not_counted/") == {
        name for _, name in EXTRA[3][1]}
    # few enough to name on the page itself: no list of its own
    assert not (paged.site / DATA / "totals-2024" / "shili-qu" / "not_counted").exists()
    assert not (paged.site / DATA / "totals-2023" / "not_counted").exists()  # not yet due


def _code(portal: Portal, group: str) -> str:
    """A group's code, as the compliance summary links its page."""
    for number in range(1, 10):
        url = f"{DATA}compliance/" + (f"{number}/" if number > 1 else "")
        for a in portal.content(url).find_all("a") if portal.page_path(url).is_file() else []:
            if a.text == group:
                return a.attrs["href"].strip("/").split("/")[-1]
    raise AssertionError(f"no page of {group}")


@pytest.mark.parametrize("first, pages", [("compliance/", 6), ("totals-2024/", 5), ("totals-2024/not_counted/", 12),
                                          ("compliance/shili-qu/", 1)])
def test_the_pager_is_a_labelled_nav_with_the_current_page(paged: Portal, first: str, pages: int) -> None:
    urls = [f"{DATA}{first}"] + [f"{DATA}{first}{n}/" for n in range(2, pages + 1)]
    assert not paged.page_path(f"{DATA}{first}{pages + 1}/").exists()
    for number, url in enumerate(urls, 1):
        content = paged.content(url)
        nav = _pager(content)
        if pages == 1:
            assert nav is None and "第 1 页" not in content.text
            continue
        assert nav is not None, url
        assert f"（第 {number} 页，共 {pages} 页）" in content.find("h1").text
        assert [c.text for c in nav.find_all(aria_current="page")] == [f"第 {number} 页"]
        texts = [a.text for a in nav.find_all("a")]
        assert ("上一页" in texts) == (number > 1) and ("下一页" in texts) == (number < pages)
        for a in nav.find_all("a"):
            if a.text.startswith("第 "):
                linked = int(a.text.split()[1])
                assert paged.resolve(url, a.attrs["href"]) == paged.page_path(urls[linked - 1])


def test_a_compliance_group_too_long_for_a_page_is_numbered_pages(paged: Portal) -> None:
    code = _code(paged, "第0区")
    first, second = (paged.content(f"{DATA}compliance/{code}/{p}") for p in ("", "2/"))
    names = [th.text for page in (first, second) for th in page.find_all("th", scope="row")]
    assert names == [name for _, name in EXTRA[0][1]]
    assert "共 3 个机关" in first.text and "未发布 3 份" in second.text  # the group's counts on each page


def test_without_a_roster_the_compliance_view_is_numbered_pages(no_roster: Portal) -> None:
    summary = no_roster.content(f"{DATA}compliance/")
    [link] = [a for a in summary.find_all("a") if a.text == "全部机关"]
    assert link.attrs["href"] == "quanbu/"
    names = []
    for number in (1, 2, 3):
        content = no_roster.content(f"{DATA}compliance/quanbu/" + (f"{number}/" if number > 1 else ""))
        assert f"（第 {number} 页，共 3 页）" in content.find("h1").text and _pager(content) is not None
        names += [th.text for th in content.find_all("th", scope="row")]
    assert names == ["示例区人民政府", "示例区市场监督管理局", "示例镇人民政府"]
    assert set(_open_data_pages(no_roster)) <= set(_crawl(no_roster))
