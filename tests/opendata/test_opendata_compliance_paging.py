"""The compliance view at scale: one page per roster group, and a summary of counts per group and year,
so that no page grows with the number of agencies of the portal."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

from opendata_kit import REPO

from gongkai.collection import load_portal
from gongkai.indexing import Layout, build_index
from gongkai.opendata.site import OpenData
from gongkai.pages import make_environment
from gongkai.pages.islands import Islands

GROUPS, PER_GROUP = 60, 5


def _portal(root: Path):
    """The sample portal with a roster of 60 more groups of 5 agencies that must report from 2023 on."""
    shutil.copytree(REPO / "reports", root / "reports")
    roster = (root / "reports" / "roster.yml").read_text(encoding="utf-8")
    lines = [roster.rstrip(), ""]
    for g in range(GROUPS):
        for a in range(PER_GROUP):
            lines += [f"  - code: z{g}-a{a}", f"    name: 第{g}区第{a}局", "    kind: department",
                      f"    group: 第{g}区", "    first_year: 2023"]
    (root / "reports" / "roster.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    portal = load_portal([root / "reports"], base=root)
    assert portal.ok, portal.findings[:3]
    return portal


def test_one_page_per_group_and_a_summary(tmp_path: Path) -> None:
    portal = _portal(tmp_path)
    data = OpenData(build_index(portal.reports), Layout(), portal.roster, portal.findings, as_of=date(2025, 6, 1))
    env = make_environment()
    pages = {src: islands.fill(make()) for src, make, islands in data.pages(env)
             if "/compliance" in src}
    groups = data.compliance_groups()
    assert len(groups) == GROUPS + 1  # 示例区 and the generated ones
    assert len(pages) == GROUPS + 2  # and the summary
    summary = pages[data.compliance_page()]
    rows = re.findall(r'<tr><th scope="row"><a href="([^"]+)">([^<]+)</a></th><td class="gk-num">(\d+)</td>(.*?)</tr>',
                      summary)
    assert [name for _, name, _, _ in rows] == [name for name, _, _ in groups]
    for g in range(GROUPS):
        href, name, agencies, cells = rows[g + 1]
        assert name == f"第{g}区" and agencies == str(PER_GROUP)
        years = [re.sub(r"<[^>]+>", " ", c).split() for c in re.findall(r"<td>(.*?)</td>", cells)]
        assert years[-2:] == [["未发布", str(PER_GROUP)]] * 2  # 2023 and 2024, none of them published
        assert years[:-2] == [["—"]] * (len(years) - 2)  # before their first year
        page = pages[next(src for n, src, _ in groups if n == name)]
        assert href.endswith("/") and href[:-1] in next(src for n, src, _ in groups if n == name)
        names = re.findall(r'<th scope="row">([^<]+)</th>', page)
        assert names == [f"第{g}区第{a}局" for a in range(PER_GROUP)]  # its agencies only
    sizes = [len(page) for src, page in pages.items() if src != data.compliance_page()]
    assert max(sizes) < 3 * min(sizes)  # a group's page does not hold the portal's other agencies


def test_the_summary_grows_with_groups_not_agencies(tmp_path: Path) -> None:
    portal = _portal(tmp_path)
    data = OpenData(build_index(portal.reports), Layout(), portal.roster, portal.findings, as_of=date(2025, 6, 1))
    islands = Islands()
    summary = data.compliance_markdown(make_environment(), islands)
    html = islands.fill(summary)
    assert html.count("<tr>") == GROUPS + 1 + 1  # header + one row per group
    assert "第0区第0局" not in html



def test_with_a_small_page_size_no_page_lists_more(tmp_path: Path) -> None:
    """61 groups and 300 missing reports a year, 10 a page: the summary, each year's list of groups and
    the reports its total leaves out are numbered pages; none lists more than 10 and none is lost."""
    portal = _portal(tmp_path)
    data = OpenData(build_index(portal.reports), Layout(), portal.roster, portal.findings, as_of=date(2025, 6, 1),
                    page_size=10)
    env = make_environment()
    pages = {src: islands.fill(make()) for src, make, islands in data.pages(env)}
    assert len(pages) == len(set(pages))
    summary = sorted(src for src in pages if src.startswith("reports/open_data/compliance") and
                     (src == data.compliance_page() or src.split("/")[-1][:-3].isdigit() and src.count("/") == 3))
    assert summary == sorted(data.compliance_page(n) for n in range(1, 8))  # 61 groups
    for src in summary:
        assert pages[src].count('<th scope="row"><a href=') <= 10, src
        assert pages[src].count("{: .gk-pager }") == 1, src  # the pager (a nav once rendered: tests/site)
    totals = [data.totals_page(2024, n) for n in range(1, 8)]
    assert all(src in pages for src in totals) and data.totals_page(2024, 8) not in pages
    groups_listed = [line for src in totals for line in pages[src].splitlines() if line.startswith("| [")]
    assert len(groups_listed) == GROUPS + 1 and all(
        sum(line.startswith("| [") for line in pages[src].splitlines()) <= 10 for src in totals)
    left = [data.not_counted_page(2024, None, n) for n in range(1, 31)]  # 300 missing, 10 a page
    assert all(src in pages for src in left) and data.not_counted_page(2024, None, 31) not in pages
    named = [line for src in left for line in pages[src].splitlines() if line.startswith("- ")]
    assert len(named) == len(set(named)) == GROUPS * PER_GROUP
    assert all(sum(line.startswith("- ") for line in pages[src].splitlines()) <= 10 for src in left)
    first = pages[data.totals_page(2024)]
    assert "未计入合计 300 份（未发布 300 份）" in first and "第0区第0局" not in first
