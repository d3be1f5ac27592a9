"""The site navigation is a pure function of the portal index: no MkDocs needed to test it."""

from __future__ import annotations

from core_kit import build_report

from gongkai.indexing import Layout, build_index
from gongkai.navigation import NavTitles, reports_section, site_nav

TOWN = ("shifan-zhen", "示例镇人民政府")
DISTRICT = ("shifan-qu", "示例区人民政府")


def _index(*reports: tuple[tuple[str, str], int]):
    return build_index(build_report("2021", year, slug=slug, name=name) for (slug, name), year in reports)


def test_section_lists_index_then_years_newest_first_then_agencies_by_code() -> None:
    index = _index((TOWN, 2023), (TOWN, 2024), (DISTRICT, 2024))
    assert reports_section(index, Layout()) == {"年度报告": [
        {"全部年度报告": "reports/index.md"},
        {"2024年度": "reports/2024/index.md"},
        {"2023年度": "reports/2023/index.md"},
        {"按机关": [
            {"全部机关": "reports/agencies.md"},
            {"示例区人民政府": "reports/shifan-qu/index.md"},
            {"示例镇人民政府": "reports/shifan-zhen/index.md"},
        ]},
    ]}


def test_past_the_maximum_one_entry_links_the_agency_directory() -> None:
    index = _index((TOWN, 2024), (DISTRICT, 2024))
    section = reports_section(index, Layout("gk"), NavTitles(agencies_max=1))["年度报告"]
    assert section[-1] == {"按机关": "gk/agencies.md"}
    assert reports_section(index, Layout(), NavTitles(agencies_max=2))["年度报告"][-1]["按机关"][0] == {
        "全部机关": "reports/agencies.md"}


def test_extra_entries_close_the_section_in_the_order_given() -> None:
    index = _index((TOWN, 2024))
    extra = [{"数据下载": "reports/data.md"}, {"历年趋势": "reports/trends.md"}]
    nav = site_nav(index, Layout(), [], extra=extra)
    assert nav[-1]["年度报告"][-2:] == extra


def test_an_empty_portal_has_only_the_index() -> None:
    assert reports_section(_index(), Layout()) == {"年度报告": [{"全部年度报告": "reports/index.md"}]}


def test_hand_written_pages_come_first_home_page_at_the_top() -> None:
    index = _index((TOWN, 2024))
    nav = site_nav(index, Layout(), ["zhinan.md", "index.md", "about/lianxi.md"],
                   titles=NavTitles(home="主页", section="报告"))
    assert nav[:3] == [{"主页": "index.md"}, "about/lianxi.md", "zhinan.md"]
    assert list(nav[3]) == ["报告"]


def test_a_configured_nav_is_kept_as_written_with_the_reports_appended() -> None:
    index = _index((TOWN, 2024))
    configured = [{"首页": "index.md"}, {"联系我们": "contact.md"}]
    nav = site_nav(index, Layout(), ["ignored.md"], configured=configured)
    assert nav == [*configured, reports_section(index, Layout())]
    assert configured == [{"首页": "index.md"}, {"联系我们": "contact.md"}]  # not changed in place
