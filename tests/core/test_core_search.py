"""The site's search index (gongkai.search): made from the built pages, only what readers
search for, swapped in whole, and a failure says why in Chinese and keeps the old index."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gongkai import search
from gongkai.search import INDEX_DIR, SearchIndexError, build_search_index

REPORT = """<!doctype html><html lang="zh"><head><title>{title}</title></head><body>
<nav>首页 年度报告</nav>
<article data-pagefind-body><h1>{title}</h1>
<p class="gk-report-meta">发布日期：2024年1月30日</p>
<p>{text}</p><table><tr><th>属于国家秘密</th><td>3</td></tr></table></article></body></html>"""
LISTING = """<!doctype html><html lang="zh"><head><title>全部年度报告</title></head><body>
<article><h1>全部年度报告</h1><p>示例镇人民政府2023年政府信息公开工作年度报告</p></article></body></html>"""


def write_site(site: Path) -> Path:
    for slug, title, text in (("a", "示例镇人民政府2023年政府信息公开工作年度报告", "政务微信公开政府信息数895条。"),
                              ("b", "示例区人民政府2023年政府信息公开工作年度报告", "依申请公开办结9件。")):
        page = site / "reports" / slug / "2023" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(REPORT.format(title=title, text=text), encoding="utf-8")
    (site / "reports" / "index.html").write_text(LISTING, encoding="utf-8")
    return site


def test_only_the_marked_pages_are_indexed_and_the_index_is_served_from_the_site(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    index = build_search_index(site)
    assert index.folder == site / INDEX_DIR and index.pages == 2
    names = {p.name for p in index.folder.iterdir()}
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "index", "fragment"} <= names
    assert not names & set(search.UNUSED)  # the site has its own search box
    assert not [p for p in site.iterdir() if p.name.startswith(f".{INDEX_DIR}")]  # nothing left behind


def test_a_second_build_replaces_the_index_whole(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    build_search_index(site)
    stale = site / INDEX_DIR / "fragment" / "stale.pf_fragment"
    stale.write_bytes(b"old")
    build_search_index(site)
    assert not stale.exists()


@pytest.mark.parametrize(("command", "message"), [
    ([sys.executable, "-c", "import sys; print('boom', file=sys.stderr); sys.exit(3)"], "Pagefind 退出码 3"),
    ([sys.executable, "-m", "pagefind_not_installed"], "找不到站内搜索工具 Pagefind"),
])
def test_a_failure_says_why_and_keeps_the_old_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   command: list[str], message: str) -> None:
    site = write_site(tmp_path / "site")
    build_search_index(site)
    before = sorted(p.relative_to(site).as_posix() for p in (site / INDEX_DIR).rglob("*"))
    monkeypatch.setattr(search, "pagefind_command", lambda site_dir, output: command)
    with pytest.raises(SearchIndexError, match=message):
        build_search_index(site)
    assert sorted(p.relative_to(site).as_posix() for p in (site / INDEX_DIR).rglob("*")) == before
