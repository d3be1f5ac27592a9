"""Search: the header's box finds what readers look for (tests/search/queries.yml, on the sample
reports plus 100 synthetic ones), a page view loads no index, and a site opened from disk says
in Chinese that it cannot search."""

from __future__ import annotations

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


@pytest.fixture(scope="module")
def quality_portal(tmp_path_factory, gk) -> str:
    """The sample portal with 100 synthetic reports added, built and served: its root URL."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import synth
    finally:
        sys.path.remove(str(REPO / "bench"))
    root = tmp_path_factory.mktemp("quality")
    for name in ("docs", "overrides", "reports"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    synth.write_reports(root, synth.make_reports(SYNTHETIC_REPORTS))
    site = gk.build_site(root / "mkdocs.yml", root / "site")
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
