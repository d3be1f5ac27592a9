"""The site's search index (gongkai.search): made from the built pages, only what readers
search for (title, the agency's names, headings, the first words of each section; no tables),
in parts of whole years for a large portal, swapped in whole, and a failure says why in Chinese
and keeps the old index."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

from gongkai import search
from gongkai.search import INDEX_DIR, PARTS_FILE, SearchIndexError, build_search_index

HERE = Path(__file__).resolve().parent
REPORT = """<!doctype html><html lang="zh"><head><title>{title}</title></head><body>
<nav>首页 年度报告</nav>
<article><div data-pagefind-body><h1 id="report-title">{title}<a class="headerlink" href="#report-title">¶</a></h1>
<p class="gk-report-meta">发布日期：{published}</p>
<p class="gk-report-links"><a href="../">{agency}历年报告</a></p>
<h2 id="overview">一、总体情况</h2>
<div class="gk-narrative"><p>{text}</p><p>第二段：{second}</p></div>
<h2 id="proactive">二、主动公开政府信息情况</h2>
<div class="gk-table-scroll"><table><tr><th>属于国家秘密</th><td>3</td></tr></table></div>
<ul class="gk-downloads" data-search-exclude><li>{year}年度报告数据（CSV 文件）</li></ul>
</div></article><footer>页脚文字</footer></body></html>"""
LISTING = """<!doctype html><html lang="zh"><head><title>全部年度报告</title></head><body>
<article><h1>全部年度报告</h1><p>示例镇人民政府2023年政府信息公开工作年度报告</p></article></body></html>"""
HOME = """<!doctype html><html lang="zh"><head><title>首页</title></head><body>
<article><div data-pagefind-body><h1>政府信息公开工作年度报告</h1><p>本站汇集各机关的年度报告。</p></div></article>
</body></html>"""


def report_page(agency: str, year: int, text: str = "依申请公开办结9件。", second: str = "更多内容。") -> str:
    return REPORT.format(title=f"{agency}{year}年政府信息公开工作年度报告", agency=agency, year=year,
                         published="2024年1月30日", text=text, second=second)


def write_site(site: Path, years: tuple[int, ...] = (2023,)) -> Path:
    for year in years:
        for slug, agency, text in (("a", "示例镇人民政府", "政务微信公开政府信息数895条。"),
                                   ("b", "示例区人民政府", "依申请公开办结9件。")):
            page = site / "reports" / slug / str(year) / "index.html"
            page.parent.mkdir(parents=True)
            page.write_text(report_page(agency, year, text), encoding="utf-8")
    (site / "reports" / "index.html").write_text(LISTING, encoding="utf-8")
    (site / "index.html").write_text(HOME, encoding="utf-8")
    return site


# --- what a page gives the index ------------------------------------------------------------

CASES = yaml.safe_load((HERE / "agency_terms.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_agency_terms_are_the_name_and_the_short_forms_readers_type(case: dict) -> None:
    assert search.agency_terms(case["name"]) == case["terms"]


def test_a_report_page_gives_its_title_names_headings_and_first_paragraphs_only() -> None:
    d = search.digest(report_page("西山镇人民政府", 2024, text="政务微信公开政府信息数895条。" * 30))
    assert d is not None
    assert (d.title, d.agency) == ("西山镇人民政府2024年政府信息公开工作年度报告", "西山镇人民政府")
    assert d.blocks[0] == ("h2", "一、总体情况") and d.blocks[2] == ("h2", "二、主动公开政府信息情况")
    kind, first = d.blocks[1]
    # The first paragraph of a section, cut at a sentence end; not the second, the table, the
    # date, the links, the downloads, the permalink sign or the footer.
    assert kind == "p" and first.endswith("。") and len(first) <= search.PARAGRAPH_CHARS
    text = " ".join(t for _, t in d.blocks) + d.title
    for left_out in ("第二段", "属于国家秘密", "发布日期", "历年报告", "CSV", "¶", "页脚"):
        assert left_out not in text
    page = search.digest_html(d, 2024)
    assert "西山 镇" in page and 'data-pagefind-filter="year" hidden>2024<' in page


def test_a_page_the_theme_leaves_out_gives_nothing_and_text_stays_text() -> None:
    assert search.digest(LISTING) is None
    d = search.digest(report_page("示例镇人民政府", 2023, text="&lt;script&gt;x&lt;/script&gt; 与 &amp;"))
    assert d is not None and d.blocks[1] == ("p", "<script>x</script> 与 &")
    assert "<script>" not in search.digest_html(d, 2023)


@pytest.mark.parametrize(("path", "year"), [
    ("reports/xishan-zhen/2024/index.html", 2024), ("reports/open_data/totals-2023/index.html", 2023),
    ("reports/shifan-qu/index.html", None), ("index.html", None), ("reports/a-2019x/index.html", None),
])
def test_a_page_belongs_to_the_year_its_path_names(path: str, year: int | None) -> None:
    assert search.page_year(path) == year


def test_tables_are_left_out_whole_even_nested() -> None:
    page = ('<div data-pagefind-body><h1>标题</h1><p>前文。</p><table><tr><td><table><tr><td>内表</td></tr>'
            '</table>外表</td></tr></table><p>后文。</p><h2>小节</h2></div>')
    d = search.digest(page)
    assert d is not None and d.blocks == [("p", "前文。"), ("h2", "小节")]  # 后文 is the section's second paragraph


def test_the_page_text_kept_is_bounded() -> None:
    body = "".join(f"<h3>（{i}）小标题</h3><p>{'公开' * 200}。</p>" for i in range(40))
    page = f'<html><body><div data-pagefind-body><h1>标题</h1>{body}</div></body></html>'
    d = search.digest(page)
    assert d is not None and sum(len(t) for k, t in d.blocks if k == "p") <= search.PAGE_CHARS
    assert len([k for k, _ in d.blocks if k == "h3"]) == 40  # headings are all kept


@pytest.mark.parametrize(("units", "limit", "expected"), [
    ({(2023, 0): 3, (2024, 0): 3, (None, 0): 1}, 10, [("all", [(2023, 0), (2024, 0), (None, 0)])]),
    ({(2022, 0): 4, (2023, 0): 4, (2024, 0): 4, (None, 0): 1}, 9,
     [("p0", [(2022, 0), (2023, 0)]), ("p1", [(2024, 0)]), ("p2", [(None, 0)])]),
    ({(2023, 0): 5, (2023, 1): 5, (2023, 2): 2, (2024, 0): 3}, 5,
     [("p0", [(2023, 0)]), ("p1", [(2023, 1)]), ("p2", [(2023, 2), (2024, 0)])]),
])
def test_parts_hold_whole_years_or_slices_of_one_within_the_limit(units, limit, expected) -> None:
    assert search.plan_parts(units, limit) == expected


# --- the build -------------------------------------------------------------------------------

def test_only_the_marked_pages_are_indexed_and_the_index_is_served_from_the_site(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    index = build_search_index(site)
    assert index.folder == site / INDEX_DIR and index.pages == 3 and index.parts == ("all",)
    manifest = json.loads((index.folder / PARTS_FILE).read_text(encoding="utf-8"))
    assert manifest == {"hub": "all", "parts": [{"dir": "all", "years": [2023]}]}
    names = {p.name for p in (index.folder / "all").iterdir()}
    assert {"pagefind.js", "pagefind-entry.json", "index", "fragment", "filter"} <= names
    assert not names & set(search.UNUSED)  # the site has its own search box
    assert not [p for p in site.iterdir() if p.name.startswith(f".{INDEX_DIR}")]  # nothing left behind


def test_a_large_portal_is_indexed_in_parts_of_whole_years(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "PART_PAGES", 2)
    site = write_site(tmp_path / "site", years=(2022, 2023, 2024))
    index = build_search_index(site)
    manifest = json.loads((index.folder / PARTS_FILE).read_text(encoding="utf-8"))
    assert manifest["parts"] == [{"dir": "p0", "years": [2022]}, {"dir": "p1", "years": [2023]},
                                 {"dir": "p2", "years": [2024]}, {"dir": "p3", "years": []}]
    assert manifest["hub"] == "p3"  # the home page's part: the box loads Pagefind from it
    for part in manifest["parts"]:
        assert (index.folder / part["dir"] / "pagefind-entry.json").is_file()


def test_a_second_build_replaces_the_index_whole(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    build_search_index(site)
    stale = site / INDEX_DIR / "all" / "fragment" / "stale.pf_fragment"
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
    assert not [p for p in site.iterdir() if p.name.startswith(f".{INDEX_DIR}")]
