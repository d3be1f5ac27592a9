"""Archived reports are published as they were: blank cells read “空白”, n/a and units as printed, and a visible
原文数据说明 lists each acknowledged discrepancy; an acknowledgement that matches nothing stops the build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gongkai.collection import load_portal
from gongkai.model import CellState, Report
from gongkai.totals import cell_labels

from .conftest import Node, Portal, make_portal

FIXTURES = Path(__file__).parent / "fixtures" / "archived"
# fixture file → (where it goes under reports/, page URL)
ARCHIVES = {
    "blank_total_acknowledged_2021.yml": "cundang-zhen/2024",
    "blank_total_acknowledged_2019.yml": "cundang-qu/2019",
    "applications_2019_rows_in_2023.yml": "cundang-ju/2023",
}


@pytest.fixture(scope="module")
def archive_site(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    portal = make_portal(tmp_path_factory.mktemp("archive") / "portal", copy_reports=False)
    for name, where in ARCHIVES.items():
        portal.write_report(f"{where}.yml", (FIXTURES / name).read_text(encoding="utf-8"))
    result = portal.build("--strict")
    assert result.returncode == 0, result.stderr
    return portal


def _report(name: str) -> Report:
    loaded = load_portal([FIXTURES / name])
    assert loaded.ok and len(loaded.reports) == 1, loaded.findings
    return loaded.reports[0]


def _cell(page: Node, path: tuple[str, ...]) -> Node:
    return page.find("td", data_cell=".".join(path))


@pytest.mark.parametrize("name", ARCHIVES)
def test_every_cell_is_shown_as_published(archive_site: Portal, name: str) -> None:
    report = _report(name)
    page = archive_site.content(f"reports/{ARCHIVES[name]}/")
    shown = 0
    for table in report.tables:
        for spec in table.cells():
            td = _cell(page, spec.path)
            published = report.as_published.get(spec.path)
            if published is not None and published.state is CellState.BLANK:
                hidden = td.find("span", class_="gk-visually-hidden")
                assert hidden.text == "空白" and td.text == "空白", spec.label  # nothing visible, “空白” read aloud
            else:
                assert td.text == report.text(spec.path), spec.label
            shown += 1
    assert shown == len(page.find_all("td", class_="gk-num")) > 100


@pytest.mark.parametrize(("name", "path", "text"), [
    ("blank_total_acknowledged_2021.yml", ("applications", "received", "research"), "/"),
    ("blank_total_acknowledged_2021.yml", ("proactive", "fees", "amount"), "251000元"),
    ("blank_total_acknowledged_2019.yml", ("proactive", "coercion", "change"), "—"),
    ("blank_total_acknowledged_2019.yml", ("proactive", "procurement", "purchase_amount"), "948700元"),
])
def test_not_applicable_and_units_as_printed(archive_site: Portal, name: str, path: tuple[str, ...], text: str) -> None:
    assert _cell(archive_site.content(f"reports/{ARCHIVES[name]}/"), path).text == text


@pytest.mark.parametrize("name", ARCHIVES)
def test_note_lists_each_discrepancy_in_words(archive_site: Portal, name: str) -> None:
    report = _report(name)
    note = archive_site.content(f"reports/{ARCHIVES[name]}/").find("div", class_="gk-archive-note")
    assert note.attrs["role"] == "note"
    assert note.find("p", class_="admonition-title").text == "原文数据说明"
    assert "按原文存档" in note.text and "未作任何更正" in note.text
    assert report.archived is not None and report.archived.source in note.text
    items = note.find_all("li")
    assert len(items) == len(report.discrepancies) >= 1
    for item, discrepancy in zip(items, report.discrepancies):
        label = cell_labels(report.table(discrepancy.cell[0]))[discrepancy.cell]
        assert item.find("span", class_="gk-discrepancy-cell").text == label
        assert re.search(rf"应为 {discrepancy.expected}。", item.text), item.text
        assert (discrepancy.published or "空白") in item.text


def test_source_is_text_and_a_safe_link(archive_site: Portal) -> None:
    note = archive_site.content("reports/cundang-zhen/2024/").find("div", class_="gk-archive-note")
    link = note.find("a", class_="gk-archive-source")
    source = "https://www.example.gov.cn/xxgk/2024ndbg.html?id=7&from=<list>"
    assert link.attrs["href"] == source and link.text == source
    assert not note.find_all("list")  # the "<list>" of the URL stays text
    file_note = archive_site.content("reports/cundang-qu/2019/").find("div", class_="gk-archive-note")
    assert not file_note.find_all("a")  # a file name is not a link
    assert file_note.find("span", class_="gk-archive-source").text == "存档区2019年政府信息公开工作年度报告.pdf"


def test_table_three_in_the_layout_it_was_published_in(archive_site: Portal) -> None:
    page = archive_site.content("reports/cundang-ju/2023/")
    other = page.find("th", id="applications-row-results-other_handling")
    assert other.text == "（六）其他处理" and "gk-table-group" not in other.classes  # one row, as in the 2019 form
    assert not page.find_all("th", id="applications-row-results-other_handling-no_correction")
    assert page.find("th", id="proactive-col-article_20_1-in_force")  # table 二 stays in the 2021 layout


def test_a_report_not_archived_has_no_note(sample_site: Portal) -> None:
    page = sample_site.content("reports/shifan-zhen/2024/")
    assert page.find("table") and not page.find_all("div", class_="gk-archive-note")
    assert not page.find_all("span", class_="gk-visually-hidden")


def test_a_stale_acknowledgement_stops_the_build(tmp_path: Path) -> None:
    portal = make_portal(tmp_path / "portal", copy_reports=False)
    text = (FIXTURES / "blank_total_acknowledged_2021.yml").read_text(encoding="utf-8")
    edited = text.replace("total: null}", "total: 7}", 1)  # someone "corrects" the published blank
    assert edited != text
    portal.write_report("cundang-zhen/2024.yml", edited)
    result = portal.build()
    assert result.returncode != 0
    assert "[discrepancy-stale]" in result.stderr and "原文数据说明" in result.stderr
    assert not portal.site.exists()
