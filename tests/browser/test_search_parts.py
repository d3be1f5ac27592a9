"""Search on an index in parts (a large portal's, made here small with GONGKAI_SEARCH_PART_PAGES):
a query naming a year loads only the parts holding that year; any other query searches the newest
year first and says so, and the reader can continue in the older years; five results at a time."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PART_PAGES = 8


@pytest.fixture(scope="module")
def parts_portal(tmp_path_factory, gk):
    """The sample portal with 36 synthetic reports (six agencies × 2019–2024), indexed in parts."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import synth
    finally:
        sys.path.remove(str(REPO / "bench"))
    root = tmp_path_factory.mktemp("parts")
    for name in ("docs", "overrides", "reports"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    synth.write_reports(root, synth.make_reports(36))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GONGKAI_SEARCH_PART_PAGES", str(PART_PAGES))
        site = gk.build_site(root / "mkdocs.yml", root / "site")
    manifest = json.loads((site / "pagefind" / "parts.json").read_text(encoding="utf-8"))
    with gk.serve(site) as url:
        yield url, manifest


def _parts_loaded(requests: list[str]) -> set[str]:
    return {u.split("/pagefind/", 1)[1].split("/", 1)[0] for u in requests if "/pagefind/" in u and "parts.json" not in u}


def test_the_index_is_in_parts_of_years(parts_portal) -> None:
    _, manifest = parts_portal
    years = {y for p in manifest["parts"] for y in p["years"]}
    assert len(manifest["parts"]) > 6 and years == set(range(2019, 2025))
    assert all(len(p["years"]) <= 1 for p in manifest["parts"])  # here every year fills a part or more
    assert manifest["hub"] in [p["dir"] for p in manifest["parts"]]


def test_a_query_naming_a_year_loads_only_the_parts_holding_it(gk, parts_portal, context_factory) -> None:
    url, manifest = parts_portal
    ctx = context_factory()
    page = ctx.new_page()
    page.goto(url, wait_until="load")
    found = gk.search_for(page, "东湖镇 2023年")
    assert "/reports/donghu-zhen/2023/" in found and all("2023" in path for path in found)
    holding = {p["dir"] for p in manifest["parts"] if 2023 in p["years"]}
    assert _parts_loaded(ctx.requests) <= holding | {manifest["hub"]}


def test_other_queries_search_the_newest_year_first_then_the_older_on_request(gk, parts_portal,
                                                                           context_factory) -> None:
    url, manifest = parts_portal
    ctx = context_factory()
    page = ctx.new_page()
    page.goto(url, wait_until="load")
    found = gk.search_for(page, "示例区人民政府")
    newest = max(y for p in manifest["parts"] for y in p["years"])
    assert found and all(path.endswith(f"/{newest}/") or "/20" not in path for path in found)
    status = page.locator("#gk-search-status")
    assert "只搜索了最近年度" in status.inner_text()
    wider = page.locator(".gk-search__wider")
    assert wider.is_visible() and wider.inner_text() == "在更早年度中继续搜索"
    older = {p["dir"] for p in manifest["parts"] if p["years"] and newest not in p["years"]}
    assert not _parts_loaded(ctx.requests) & older  # nothing of the older years yet
    wider.click()
    page.wait_for_function("() => !document.querySelector('.gk-search__wider').offsetParent"
                           " && !/最近年度/.test(document.getElementById('gk-search-status').textContent)")
    assert "/reports/shifan-qu/2022/" in page.eval_on_selector_all(
        "#gk-search-results a", "links => links.map(a => new URL(a.href).pathname)") or \
        "显示更多结果" in page.locator(".gk-search__more").inner_text()
    assert older <= _parts_loaded(ctx.requests)


def test_five_results_at_a_time_and_the_next_five_on_request(gk, parts_portal, context_factory) -> None:
    url, _ = parts_portal
    ctx = context_factory()
    page = ctx.new_page()
    page.goto(url, wait_until="load")
    box = page.locator("#gk-search-input")
    box.fill("依申请公开 2022年")  # the whole query at once, and Enter: one search
    box.press("Enter")
    page.wait_for_function("() => document.getElementById('gk-search-results').dataset.query === '依申请公开 2022年'")
    assert page.locator("#gk-search-results a").count() == 5
    assert len([u for u in ctx.requests if u.endswith(".pf_fragment")]) == 5  # only the results shown
    status = page.locator("#gk-search-status")
    assert status.get_attribute("role") == "status" and "显示前 5 个" in status.inner_text()
    more = page.locator(".gk-search__more")
    more.focus()
    page.keyboard.press("Enter")
    # The next five are shown, and the keyboard focus continues at the first of them.
    page.wait_for_function("() => document.activeElement === document.querySelectorAll('#gk-search-results a')[5]")
    assert "显示前 10 个" in status.inner_text() or page.locator("#gk-search-results a").count() < 10
    assert len([u for u in ctx.requests if u.endswith(".pf_fragment")]) == page.locator("#gk-search-results a").count()
