"""Search: the header's box finds what readers look for (tests/search/queries.yml, on the sample
reports plus 100 synthetic ones), a page view loads no index, a site opened from disk says in
Chinese that it cannot search, and an index in parts (a large portal's) is searched a part at a time."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
QUERIES = yaml.safe_load((REPO / "tests" / "search" / "queries.yml").read_text(encoding="utf-8"))
SYNTHETIC_REPORTS = 100


def _cases() -> list:
    """One parameter per query; a known failure (``xfail:``) must keep failing (strict)."""
    return [pytest.param(case, id=case["query"],
                         marks=[pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else [])
            for case in QUERIES]


def sample_portal_with(root: Path, reports: int) -> Path:
    """The sample portal copied to ``root`` with ``reports`` synthetic reports added: its config."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import synth
    finally:
        sys.path.remove(str(REPO / "bench"))
    for name in ("docs", "overrides", "reports"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    synth.write_reports(root, synth.make_reports(reports))
    return root / "mkdocs.yml"


@pytest.fixture(scope="module")
def quality_portal(tmp_path_factory, gk) -> str:
    """The sample portal with 100 synthetic reports added, built and served: its root URL."""
    root = tmp_path_factory.mktemp("quality")
    site = gk.build_site(sample_portal_with(root, SYNTHETIC_REPORTS), root / "site")
    with gk.serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def search_page(browser, quality_portal):
    ctx = browser.new_context(locale="zh-CN", service_workers="block")
    page = ctx.new_page()
    page.goto(quality_portal, wait_until="load")
    yield page
    ctx.close()


def test_the_query_set_is_large_enough() -> None:
    assert len([c for c in QUERIES if "expect" in c and "xfail" not in c]) >= 30


@pytest.mark.parametrize("case", _cases())
def test_query_finds_its_page_in_the_top_five(case: dict, gk, search_page) -> None:
    found = [path.lstrip("/") for path in gk.search_for(search_page, case["query"])][:5]
    if "expect" in case:
        assert case["expect"] in found, f"“{case['query']}”（{case['why']}）: top 5 = {found}"
    if "top5" in case:
        assert found and all(re.search(case["top5"], path) for path in found), found


def test_a_page_view_loads_no_index_and_a_query_only_what_it_needs(gk, pages, base_url, context_factory) -> None:
    ctx = context_factory()
    page = ctx.new_page()
    page.goto(base_url + pages.path("report-2021"), wait_until="load")
    page.wait_for_load_state("networkidle")
    assert not [u for u in ctx.requests if "/pagefind/" in u]
    found = gk.search_for(page, gk.SEARCH_QUERY)
    assert found and all(path.startswith("/reports/") or path == "/" for path in found)
    loaded = [u for u in ctx.requests if "/pagefind/" in u]
    assert any(u.endswith(".pf_index") for u in loaded) and any(u.endswith(".pf_fragment") for u in loaded)
    # Results are links with excerpts, announced by the status line.
    assert "找到" in page.locator("#gk-search-status").inner_text()
    assert page.locator("#gk-search-results .gk-search__excerpt").count() == len(found)


def test_results_are_reached_by_keyboard_and_escape_closes_them(gk, pages, base_url, context_factory) -> None:
    page = context_factory().new_page()
    page.goto(base_url + pages.path("home"), wait_until="load")
    gk.search_for(page, gk.SEARCH_QUERY)
    page.keyboard.press("ArrowDown")
    first = page.locator("#gk-search-results a").first
    assert page.evaluate("() => document.activeElement.closest('#gk-search-results') !== null")
    href = first.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(href)
    page.go_back()
    page.locator("#gk-search-input").focus()
    page.keyboard.press("Escape")
    assert page.locator("#gk-search-panel").is_hidden()


def test_a_query_is_shown_as_text_and_none_found_is_said(gk, pages, base_url, context_factory) -> None:
    page = context_factory().new_page()
    page.goto(base_url + pages.path("home"), wait_until="load")
    gk.search_for(page, "<img src=x onerror=window.gkXss=1>")
    assert page.locator("#gk-search-panel img").count() == 0
    assert page.evaluate("() => window.gkXss") is None
    assert gk.search_for(page, "QZXJVW") == []
    assert page.locator("#gk-search-status").inner_text() == "未找到与“QZXJVW”相关的页面"


def test_search_from_disk_says_it_cannot_run(browser, site_dir) -> None:
    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    page.goto((site_dir / "index.html").as_uri(), wait_until="load")
    page.locator("#gk-search-input").focus()
    status = page.locator("#gk-search-status")
    status.wait_for(state="visible")
    assert "从本地文件打开网站时无法搜索" in status.inner_text()
    ctx.close()


# --- an index in parts: a query naming a year loads only the parts holding that year; any other
# query searches the newest year first and says so, the older years on request; five results at a time.

PART_PAGES = 8


@pytest.fixture(scope="module")
def parts_portal(tmp_path_factory, gk):
    """The sample portal with 36 synthetic reports (six agencies × 2019–2024), its index in parts
    of at most PART_PAGES pages (a large portal's, made small)."""
    root = tmp_path_factory.mktemp("parts")
    config = sample_portal_with(root, 36)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GONGKAI_SEARCH_PART_PAGES", str(PART_PAGES))
        site = gk.build_site(config, root / "site")
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
    box = page.locator("#gk-search-input")
    # The whole query at once: typed key by key on a loaded machine, a pause after 东湖镇 searches
    # that (the newest year's parts) before the year is typed.
    box.fill("东湖镇 2023年")
    box.press("Enter")
    page.wait_for_function("() => document.getElementById('gk-search-results').dataset.query === '东湖镇 2023年'")
    found = page.eval_on_selector_all("#gk-search-results a", "links => links.map(a => new URL(a.href).pathname)")
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


# --- the box's results, every one of them, in order: those of Pagefind's merged index of the parts the
# query needs (the reference), also when queries typed before it loaded other parts.

REFERENCE = """async ([hub, dirs, words, year]) => {
  const pf = await import(`/pagefind/${hub}/pagefind.js`);
  const index = pf.createInstance({basePath: `/pagefind/${hub}/`, baseUrl: "/", excerptLength: 30, noWorker: true});
  await index.init();
  for (const dir of dirs) if (dir !== hub) await index.mergeIndex(`/pagefind/${dir}/`);
  const found = await index.search(words, year ? {filters: {year}} : {});
  return Promise.all(found.results.map(r => r.data().then(d => new URL(d.url, location.href).pathname)));
}"""


def _reference(page, url: str, manifest: dict, dirs: list[str], words: str | None, year: int | None) -> list[str]:
    """Pagefind's merged index of ``dirs`` (merged in that order), in a page of its own."""
    page.goto(url, wait_until="load")
    return page.evaluate(REFERENCE, [manifest["hub"], dirs, words, str(year) if year else None])


def _every_result(page) -> list[str]:
    """Every result of the box's current query: 显示更多结果 until there are no more."""
    more = page.locator(".gk-search__more")
    while more.is_visible():
        shown = page.locator("#gk-search-results a").count()
        more.click()
        # Done when the status counts the results now listed (it is set after the last of them).
        page.wait_for_function("""n => {
            const listed = document.querySelectorAll('#gk-search-results a').length;
            const said = document.getElementById('gk-search-status').textContent;
            return listed > n && (said.includes(`显示前 ${listed} 个`) || !said.includes('显示前'));
        }""", arg=shown)
    return page.eval_on_selector_all("#gk-search-results a", "links => links.map(a => new URL(a.href).pathname)")


def _ask(page, query: str) -> None:
    box = page.locator("#gk-search-input")
    box.fill(query)
    box.press("Enter")
    page.wait_for_function("q => document.getElementById('gk-search-results').dataset.query === q", arg=query)


def _merge_order(manifest: dict, dirs: list[str]) -> list[str]:
    """The order the box merges parts in on a new page: the hub, then the newest year's parts (a query
    without a year), then the others in the index's order (results that score alike keep it)."""
    newest = max(y for p in manifest["parts"] for y in p["years"])
    rank = {p["dir"]: (p["dir"] != manifest["hub"], newest not in p["years"], n) for n, p in enumerate(manifest["parts"])}
    return sorted(dirs, key=rank.__getitem__)


@pytest.mark.parametrize(("query", "words", "year"), [
    ("示例区人民政府", "示例区人民政府", None), ("政府信息公开", "政府信息公开", None), ("依申请公开 2022年", "依申请公开", 2022),
    ("东湖镇 2023年", "东湖镇", 2023), ("2021年", None, 2021), ("年度报告 2019", "年度报告", 2019)])
def test_the_box_gives_pagefinds_merged_results_in_its_order(query, words, year, parts_portal, context_factory) -> None:
    url, manifest = parts_portal
    newest = max(y for p in manifest["parts"] for y in p["years"])
    ctx = context_factory()
    page, reference = ctx.new_page(), ctx.new_page()
    page.goto(url, wait_until="load")
    _ask(page, query)
    if year:
        dirs = [manifest["hub"]] + [p["dir"] for p in manifest["parts"] if year in p["years"]]
    else:
        dirs = [p["dir"] for p in manifest["parts"] if not p["years"] or newest in p["years"]]
    expected = _reference(reference, url, manifest, _merge_order(manifest, dirs), words, year)
    assert expected and _every_result(page) == expected
    if not year:  # the older years on request: every part, the newest year's answers kept
        page.locator(".gk-search__wider").click()
        page.wait_for_function("() => !/最近年度/.test(document.getElementById('gk-search-status').textContent)"
                               " && document.getElementById('gk-search-status').textContent.startsWith('找到')")
        everything = _reference(reference, url, manifest, _merge_order(manifest, [p["dir"] for p in manifest["parts"]]),
                                words, None)
        assert len(everything) > len(expected) and _every_result(page) == everything


def test_a_query_replaced_while_it_searches_leaves_only_the_newer_ones_results(parts_portal, context_factory) -> None:
    url, manifest = parts_portal
    ctx = context_factory()
    page, reference = ctx.new_page(), ctx.new_page()
    page.goto(url, wait_until="load")
    box = page.locator("#gk-search-input")
    for query in ("政府信息公开", "依申请公开", "示例区"):  # each replaces the one before while it searches
        box.fill(query)
        box.press("Enter")
    _ask(page, "东湖镇 2023年")
    dirs = [manifest["hub"]] + [p["dir"] for p in manifest["parts"] if 2023 in p["years"]]
    assert _every_result(page) == _reference(reference, url, manifest, _merge_order(manifest, dirs), "东湖镇", 2023)
