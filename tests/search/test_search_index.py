"""The site's search index (gongkai.search): made from the built pages, only what readers
search for (title, the agency's names, headings, the first words of each section; no tables),
in parts of whole years for a large portal, swapped in whole, and a failure says why in Chinese
and keeps the old index."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from random import Random
from shutil import copytree
from unittest.mock import ANY

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
    assert manifest["parts"] == [{"dir": "2022.0", "years": [2022]}, {"dir": "2023.0", "years": [2023]},
                                 {"dir": "2024.0", "years": [2024]}, {"dir": "none.0", "years": []}]
    assert manifest["hub"] == "none.0"  # the home page's part: the box loads Pagefind from it
    for part in manifest["parts"]:
        assert (index.folder / part["dir"] / "pagefind-entry.json").is_file()


def test_a_second_build_replaces_the_index_whole(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    build_search_index(site)
    stale = site / INDEX_DIR / "all" / "fragment" / "stale.pf_fragment"
    stale.write_bytes(b"old")
    build_search_index(site)
    assert not stale.exists()


@pytest.mark.parametrize("part_pages", [2500, 2], ids=["one-part", "in-parts"])
@pytest.mark.parametrize(("command", "message"), [
    ([sys.executable, "-c", "import sys; print('boom', file=sys.stderr); sys.exit(3)"], "Pagefind 退出码 3"),
    ([sys.executable, "-m", "pagefind_not_installed"], "找不到站内搜索工具 Pagefind"),
    (["/nonexistent/pagefind"], "找不到站内搜索工具 Pagefind"),
])
def test_a_failure_says_why_and_keeps_the_old_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   command: list[str], message: str, part_pages: int) -> None:
    site = write_site(tmp_path / "site", years=(2023, 2024))
    build_search_index(site)
    monkeypatch.setattr(search, "PART_PAGES", part_pages)
    before = sorted(p.relative_to(site).as_posix() for p in (site / INDEX_DIR).rglob("*"))
    monkeypatch.setattr(search, "pagefind_service_command", lambda: command)
    with pytest.raises(SearchIndexError, match=message):
        build_search_index(site)
    assert sorted(p.relative_to(site).as_posix() for p in (site / INDEX_DIR).rglob("*")) == before
    assert not [p for p in site.iterdir() if p.name.startswith(f".{INDEX_DIR}")]


# --- made while the site is written ------------------------------------------------------------

def written_pages(site: Path) -> list[tuple[str, str]]:
    """The pages of ``site`` in the order a build writes them: pages without a year first, then
    the reports, newest year first."""
    pages = [(p.relative_to(site).as_posix(), p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html"))]
    return sorted(pages, key=lambda page: -(search.page_year(page[0]) or 10_000))


def fragments(index: Path) -> dict[str, bytes]:
    """Every page's fragment in the index (its text, title, URL and year), whatever part holds it."""
    return {p.name: p.read_bytes() for p in index.glob("*/fragment/*.pf_fragment")}


def search_parts(index: Path) -> list[str]:
    return [part["dir"] for part in json.loads((index / PARTS_FILE).read_text(encoding="utf-8"))["parts"]]


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("kind", [search.Indexer, search.IndexerProcess], ids=["in-process", "worker"])
def test_pages_taken_as_written_make_the_index_a_read_back_would(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                kind: type[search.Indexer]) -> None:
    monkeypatch.setattr(search, "PART_PAGES", 2)
    years = (2022, 2023, 2024)
    read_back, written = write_site(tmp_path / "read", years), write_site(tmp_path / "written", years)
    build_search_index(read_back)
    pages = written_pages(written)
    indexer = kind(written, [relative for relative, _ in pages])
    for relative, page in pages[1:]:  # the first is left on disk, as a page another plugin writes
        indexer.add(relative, page)
    index = indexer.finish()
    assert index.pages == 7 and index.parts == ("2022.0", "2023.0", "2024.0", "none.0")
    # The same pages with the same text, byte for byte, in the same parts. (Pagefind numbers the
    # pages of a part in the order its threads finish them: its other files vary from run to run.)
    assert fragments(written / INDEX_DIR) == fragments(read_back / INDEX_DIR)
    def membership(index: Path) -> dict[str, set[str]]:
        return {part: {f.name for f in (index / part / "fragment").iterdir()} for part in search_parts(index)}

    assert membership(written / INDEX_DIR) == membership(read_back / INDEX_DIR)
    assert (written / INDEX_DIR / PARTS_FILE).read_bytes() == (read_back / INDEX_DIR / PARTS_FILE).read_bytes()
    assert not [p for p in written.iterdir() if p.name.startswith(f".{INDEX_DIR}")]


def test_a_years_part_is_indexed_while_the_next_years_are_written(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "PART_PAGES", 3)
    site = write_site(tmp_path / "site", years=(2022, 2023, 2024))
    pages = written_pages(site)  # the home page, the listing, then 2024's, 2023's and 2022's reports
    indexer = search.Indexer(site, [relative for relative, _ in pages])
    made: set[str] = set()  # parts made or being made before the first page of 2022 is written
    for relative, page in pages:
        if search.page_year(relative) == 2022 and not made:
            made = {p.name for p in indexer.fresh.glob("*") if (p / "pagefind.js").is_file()}
            made |= {indexer.running.name} if indexer.running is not None else set()
        indexer.add(relative, page)
        if indexer.running is not None:  # the time the build takes to write its next pages
            indexer.running.process.wait()
    # Once the index needed more than one part (at the first page of 2023), 2024's was made.
    assert "2024.0" in made and "2023.0" not in made
    index = indexer.finish()
    assert index.parts == ("2022.0", "2023.0", "2024.0", "none.0")


def test_a_year_larger_than_a_part_is_indexed_in_slices_each_once(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    path = "reports/{}/2024/index.html"
    indexer = search.Indexer(site, [path.format(slug) for slug in "abc"], limit=2)
    for slug in "abc":
        indexer.add(path.format(slug), report_page(f"{slug}镇人民政府", 2024))
    assert indexer.units == {(2024, 0): 2, (2024, 1): 1}  # full, then every expected page of the year written
    assert indexer.filling == {}
    indexer.add(path.format("d"), report_page("d镇人民政府", 2024))  # a page not expected: a slice of its own
    index = indexer.finish()
    assert indexer.units == {(2024, 0): 2, (2024, 1): 1, (2024, 2): 1}
    manifest = json.loads((index.folder / PARTS_FILE).read_text(encoding="utf-8"))
    assert manifest["parts"] == [{"dir": f"2024.{k}", "years": [2024]} for k in range(3)]
    assert len(fragments(index.folder)) == 4


SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def indexed_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, bytes]]:
    """A site of two years with its index (in parts of two pages), and that index's files."""
    monkeypatch.setattr(search, "PART_PAGES", 2)
    site = write_site(tmp_path / "site", years=(2023, 2024))
    build_search_index(site)
    return site, files(site / INDEX_DIR)


def left_behind(site: Path) -> list[Path]:
    return [p for p in site.iterdir() if p.name.startswith(f".{INDEX_DIR}")]


def test_a_build_that_fails_stops_pagefind_and_keeps_the_old_index(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    site, before = indexed_site(tmp_path, monkeypatch)
    monkeypatch.setattr(search, "pagefind_service_command", lambda: SLEEPER)
    pages = written_pages(site)
    indexer = search.Indexer(site, [relative for relative, _ in pages])
    for relative, page in pages:
        indexer.add(relative, page)
    run = indexer.running
    assert run is not None and run.process.poll() is None  # Pagefind is running beside the build
    indexer.abort()  # what the plugin does on a build error
    assert run.process.returncode is not None  # stopped and waited for: no process left behind
    assert files(site / INDEX_DIR) == before and not left_behind(site)


def test_a_pagefind_that_does_not_finish_in_time_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = write_site(tmp_path / "site")
    monkeypatch.setattr(search, "pagefind_service_command", lambda: SLEEPER)
    indexer = search.Indexer(site, timeout=1)
    with pytest.raises(SearchIndexError, match="1 秒内未生成完毕"):
        indexer.finish()
    assert indexer.running is None
    assert not [p for p in site.iterdir() if p.name.startswith(f".{INDEX_DIR}")]


def test_the_worker_says_why_pagefind_failed_and_keeps_the_old_index(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    site, before = indexed_site(tmp_path, monkeypatch)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")  # Pagefind's own override: a binary that fails
    indexer = search.IndexerProcess(site)
    for relative, page in written_pages(site):
        indexer.add(relative, page)
    with pytest.raises(SearchIndexError, match="Pagefind 退出码 1"):
        indexer.finish()
    assert indexer.process.returncode == 0  # the worker said why and ended
    assert files(site / INDEX_DIR) == before and not left_behind(site)


def test_a_worker_that_ended_is_a_clear_error(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    indexer = search.IndexerProcess(site)
    indexer.process.kill()
    indexer.process.wait()
    for relative, page in written_pages(site) * 40:  # more than the pipe holds
        indexer.add(relative, page)
    with pytest.raises(SearchIndexError, match="索引进程退出码 -9"):
        indexer.finish()


# --- Pagefind's service against its command line on files ------------------------------------

def small_pages_indexed_from_files(pages: list[tuple[str, str]], folder: Path) -> Path:
    """The index the command line makes of the pages' small pages written as files (the way the
    index was made before the service): the reference the service's index is compared with."""
    for relative, page in pages:
        d = search.digest(page)
        if d is not None and (d.title or d.blocks):
            target = folder / "pages" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(search.digest_html(d, search.page_year(relative)), encoding="utf-8")
    result = subprocess.run(search.pagefind_command(folder / "pages", folder / "index"), capture_output=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "index"


def test_the_service_indexes_what_the_command_line_indexes_from_files(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", years=(2021, 2022, 2023, 2024))
    pages = written_pages(site)
    reference = small_pages_indexed_from_files(pages, tmp_path / "files")
    index = build_search_index(site)
    made = fragments(index.folder)
    # The same pages with the same words, title, URL and year filter, byte for byte.
    assert made == {p.name: p.read_bytes() for p in (reference / "fragment").iterdir()} and len(made) == 9


def test_every_file_of_every_part_is_whole_and_what_the_command_line_writes(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # Pagefind's service writing the index itself (WriteFiles) answered before its last writes
    # were done and exited when its input ended: a part's pagefind-entry.json was left empty now
    # and then, and search on that part failed in the browser. Many small parts, each file whole.
    monkeypatch.setattr(search, "PART_PAGES", 1)
    site = write_site(tmp_path / "site", years=(2019, 2020, 2021, 2022, 2023, 2024))
    index = build_search_index(site)
    parts = search_parts(index.folder)
    assert len(parts) == 13
    for part in parts:
        pages = [(relative, page) for relative, page in written_pages(site)
                 if search.page_year(relative) == (None if part.startswith("none") else int(part[:4]))]
        pages = sorted(pages, key=lambda p: search.pagefind_order(p[0]))[int(part[-1]):int(part[-1]) + 1]
        if part.startswith("none"):  # the pages without a year: one part of their own whatever their number
            pages = [(r, page) for r, page in written_pages(site) if search.page_year(r) is None
                     and search.digest(page) is not None]
        reference = small_pages_indexed_from_files(pages, tmp_path / "files" / part)
        expected = {name: data for name, data in files(reference).items() if name not in search.UNUSED}
        made = files(index.folder / part)
        assert made == expected, part
        entry = json.loads(made["pagefind-entry.json"])
        assert entry["languages"]["zh"]["page_count"] == len(pages)


def test_an_answer_read_in_pieces_is_read_whole(tmp_path: Path) -> None:
    import base64
    import os

    big = {"message_id": 7, "payload": {"type": "GetFiles", "files": [
        {"path": "fragment/x.pf_fragment", "content": base64.b64encode(os.urandom(3_000_000)).decode()}]}}
    small = {"message_id": 8, "payload": {"type": "Error", "message": "不对"}}
    stream = b"".join(base64.b64encode(json.dumps(m).encode()) + b"," for m in (big, small))
    read, write = os.pipe()
    with open(write, "wb") as sink:  # the reader below takes 1 MB at a time: the big answer in four pieces
        import threading

        threading.Thread(target=lambda: (sink.write(stream), sink.close()), daemon=True).start()
        answers = list(search._answers(read))
    os.close(read)
    assert answers == [big["payload"], small["payload"]]


@pytest.mark.parametrize("path", ["../escape.js", "/etc/escape.js", "", "fragment/../../escape.js"])
def test_an_index_file_that_would_leave_the_index_folder_is_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(ValueError, match="索引文件路径"):
        search._write_index([{"path": path, "content": ""}], tmp_path / "index")
    assert not (tmp_path / "escape.js").exists() and not list(tmp_path.rglob("escape.js"))


# --- the order Pagefind numbers the pages in: tied results ------------------------------------

def index_chunks(index: Path) -> dict[str, bytes]:
    """The index's word chunks (each word's pages, by Pagefind's page numbers) and fragments."""
    return {p.relative_to(index).as_posix(): p.read_bytes() for p in sorted(index.glob("*/index/*"))
            } | {p.relative_to(index).as_posix(): p.read_bytes() for p in sorted(index.glob("*/fragment/*"))}


@pytest.mark.parametrize("part_pages", [2500, 3], ids=["one-part", "in-parts"])
def test_pages_are_numbered_in_a_set_order_whatever_order_they_come_in(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch,
                                                                     part_pages: int) -> None:
    monkeypatch.setattr(search, "PART_PAGES", part_pages)
    site = write_site(tmp_path / "site", years=(2022, 2023, 2024))
    pages = written_pages(site)
    made = []
    for order in (pages, pages[::-1], sorted(pages, key=lambda p: hash(p[0]))):
        indexer = search.Indexer(site, [relative for relative, _ in order])
        for relative, page in order:
            indexer.add(relative, page)
        made.append(index_chunks(indexer.finish().folder))
    # Pagefind breaks ties between results by its page numbers, which the word chunks hold: the
    # same chunks, byte for byte, rank alike.
    assert made[0] == made[1] == made[2] and any("/index/" in name for name in made[0])
    expected = sorted((relative for relative, _ in pages if search.digest(_) is not None), key=search.pagefind_order)
    assert expected[:2] == ["reports/a/2024/index.html", "reports/b/2024/index.html"]
    assert expected[-1] == "index.html"


def test_a_pagefind_killed_while_it_runs_is_a_clear_error_and_keeps_the_old_index(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site, before = indexed_site(tmp_path, monkeypatch)
    monkeypatch.setattr(search, "pagefind_service_command", lambda: SLEEPER)  # a service that does not answer
    pages = written_pages(site)
    indexer = search.Indexer(site, [relative for relative, _ in pages])
    for relative, page in pages:
        indexer.add(relative, page)
    run = indexer.running
    assert run is not None
    run.process.kill()  # as the kernel's out-of-memory killer would
    with pytest.raises(SearchIndexError, match="Pagefind 退出码 -9"):
        indexer.finish()
    assert files(site / INDEX_DIR) == before and not left_behind(site)


# --- streams: a part's run given its pages while they are written ---------------------------------

def many_reports(site: Path, years: tuple[int, ...], agencies: int) -> Path:
    """A site of ``agencies`` reports a year (enough pages for a unit's run to start before the
    index is known to be in parts), its listing and home page."""
    for year in years:
        for n in range(agencies):
            page = site / "reports" / f"agency-{n:02d}" / str(year) / "index.html"
            page.parent.mkdir(parents=True)
            page.write_text(report_page(f"第{n}镇人民政府", year, text=f"依申请公开办结{n}件。"), encoding="utf-8")
    (site / "reports" / "index.html").write_text(LISTING, encoding="utf-8")
    (site / "index.html").write_text(HOME, encoding="utf-8")
    return site


@pytest.mark.parametrize("part_pages", [2500, 25], ids=["one-part", "in-parts"])
@pytest.mark.parametrize("order", ["written", "shuffled", "one-not-expected"])
def test_a_streamed_run_makes_the_index_of_its_whole_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        part_pages: int, order: str) -> None:
    monkeypatch.setattr(search, "PART_PAGES", part_pages)
    site = many_reports(tmp_path / "site", (2022, 2023, 2024), 20)
    reference = tmp_path / "reference"
    copytree(site, reference)
    build_search_index(reference)  # every page read from disk at the end: no stream
    pages = written_pages(site)
    expected = [relative for relative, _ in pages]
    if order == "shuffled":
        Random(14).shuffle(pages)
    # A page not expected, first in its part's order, written late (before its year's last page;
    # one expected is not written, so the year's count is the same): the run was given pages that
    # come after it, and starts again
    late = "reports/agency-00/2023/index.html"
    if order == "one-not-expected":
        expected[expected.index(late)] = "reports/agency-99/2023/index.html"
        page = next(page for page in pages if page[0] == late)
        pages.remove(page)
        pages.insert(pages.index(("reports/agency-19/2023/index.html", ANY)), page)
    indexer = search.Indexer(site, expected)
    streamed = 0  # the most pages a run had been given before its part was complete
    for relative, page in pages:
        indexer.add(relative, page)
        run = indexer.running
        if run is not None and not run.closed:
            streamed = max(streamed, len(run.sent))
        elif run is not None:  # the time the build takes to write its next pages
            run.process.wait()
    index = indexer.finish()
    # Pagefind read pages while the next were written (in a shuffled order, fewer: a page waits
    # for those before it in Pagefind's order)
    assert streamed >= (1 if order == "shuffled" else 10)
    assert index_chunks(index.folder) == index_chunks(reference / INDEX_DIR)
    assert (index.folder / PARTS_FILE).read_bytes() == (reference / INDEX_DIR / PARTS_FILE).read_bytes()
    assert index.pages == 61 and not left_behind(site)


def test_a_unit_streamed_on_a_guess_is_dropped_when_the_index_is_one_part(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # More pages expected than a part holds, but most of them are not indexed: a unit's run
    # started on the guess that the index is in parts is stopped, and the one part made.
    monkeypatch.setattr(search, "PART_PAGES", 70)
    site = many_reports(tmp_path / "site", (2023, 2024), 30)
    reference = tmp_path / "reference"
    copytree(site, reference)
    build_search_index(reference)
    pages = written_pages(site)
    expected = [relative for relative, _ in pages] + [f"reports/listing-{n}/index.html" for n in range(60)]
    indexer = search.Indexer(site, expected)
    guessed = False
    for relative, page in pages:
        indexer.add(relative, page)
        guessed |= indexer.running is not None and indexer.running.unit is not None
    assert guessed and not indexer.split
    index = indexer.finish()
    assert index.parts == ("all",) and index_chunks(index.folder) == index_chunks(reference / INDEX_DIR)
