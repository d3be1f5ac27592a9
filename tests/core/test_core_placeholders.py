"""``{{ gongkai.* }}`` placeholders in hand-written pages are filled by a core function, without MkDocs."""

from __future__ import annotations

from core_kit import build_report

from gongkai.indexing import Layout, build_index
from gongkai.pages import fill_placeholders, home_replacements


def _values(page: str = "index.md"):
    index = build_index([build_report("2021", 2023), build_report("2021", 2024)])
    return home_replacements(index, Layout(), page)


def test_known_placeholders_are_replaced_with_links_relative_to_the_page() -> None:
    text, unknown = fill_placeholders("最新：{{ gongkai.latest_year_link }}；{{gongkai.summary}}", _values("about/a.md"))
    assert text == "最新：[2024年度政府信息公开工作年度报告](../reports/2024/index.md)；共收录 1 个机关的 2 份年度报告"
    assert unknown == []


def test_unknown_placeholders_stay_as_written_and_are_named() -> None:
    text, unknown = fill_placeholders("{{ gongkai.nope }} and {{ gongkai.latest_year }}", _values())
    assert text == "{{ gongkai.nope }} and 2024"
    assert unknown == ["{{ gongkai.nope }}"]


def test_a_page_without_placeholders_is_returned_as_is() -> None:
    assert fill_placeholders("{{ other.thing }}", _values()) == ("{{ other.thing }}", [])
