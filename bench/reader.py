"""What a reader's browser does with a built portal: bytes for a first view of a report page and
for a first query, time from the last keystroke to the results, and the site's size on disk.

Headless Chromium (``/usr/bin/chromium``, driven by Playwright as in tests/browser) on the site
served by ``http.server`` on 127.0.0.1, with an empty cache for every measurement. Bytes are
what crossed the wire (headers and bodies; ``http.server`` does not compress, a real server
would send the text files gzipped). The gongkai site is searched with its header box
(``#gk-search-input``, Pagefind); the baseline with Material's search.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("GK_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
TIMEOUT_MS = 120_000


@dataclass
class ReaderFigures:
    view_kb: float  # first view of a report page, everything it loads (empty cache)
    view_index_kb: float  # of which search index (search_index.json or pagefind/)
    query_kb: float  # the first query, after the page view
    query_ms: float  # last keystroke → results shown, first query (index loaded on demand)
    second_query_ms: float  # the same for a second query on the same page
    results: int  # result links shown for the first query
    site_kb_per_report: float
    index_kb_per_report: float  # search index on disk, per report
    query_files: list[tuple[str, float]] = field(default_factory=list)  # first query: (file, KB) as loaded
    second_query_kb: float = 0.0
    later: list[tuple[str, float, float]] = field(default_factory=list)  # further queries: (query, ms, KB)
    first_ms: list[float] = field(default_factory=list)  # each query: last keystroke → its first results shown


class _Quiet(http.server.SimpleHTTPRequestHandler):
    overlay: dict[str, str] = {}  # URL path → a file served in its place (the site is not written to)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        pass

    def translate_path(self, path: str) -> str:
        return self.overlay.get(path.split("?", 1)[0].split("#", 1)[0]) or super().translate_path(path)


@contextmanager
def served(site: Path, overlay: dict[str, Path] | None = None) -> Iterator[str]:
    """The site on 127.0.0.1; ``overlay`` serves other files at some URL paths (e.g. a new script
    on a large site built before it), without copying or writing the site."""
    handler = type("_Handler", (_Quiet,), {"overlay": {url: str(path) for url, path in (overlay or {}).items()}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


class _Transfers:
    """Bytes of every finished request of a page (headers and body, as received)."""

    def __init__(self, page: Any) -> None:
        self.entries: list[tuple[str, int]] = []
        page.on("requestfinished", self._finished)

    def _finished(self, request: Any) -> None:
        sizes = request.sizes()
        self.entries.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

    def mark(self) -> int:
        return len(self.entries)

    def files(self, since: int = 0, until: int | None = None) -> list[tuple[str, float]]:
        return [(url.split("/", 3)[-1], round(n / 1024, 1)) for url, n in self.entries[since:until]]

    def kb(self, since: int = 0, only: tuple[str, ...] = ()) -> float:
        chosen = self.entries[since:]
        return sum(n for url, n in chosen if not only or any(part in url for part in only)) / 1024


def _type(box: Any, query: str) -> float:
    """Types ``query`` as a reader does; the clock (s) just before its last keystroke."""
    box.fill("")
    box.press_sequentially(query[:-1], delay=30)
    start = time.perf_counter()
    box.press_sequentially(query[-1])
    return start


def _search_gongkai(page: Any, query: str) -> tuple[int, float, float]:
    """Results shown, the clock at the last keystroke and when the first results were shown (a
    large index's first part, before the other parts are searched; or the whole answer)."""
    start = _type(page.locator("#gk-search-input"), query)
    page.wait_for_function("q => { const d = document.getElementById('gk-search-results').dataset;"
                           " return d.query === q || d.first === q; }", arg=query, timeout=TIMEOUT_MS)
    first = time.perf_counter()
    page.wait_for_function("q => document.getElementById('gk-search-results').dataset.query === q",
                           arg=query, timeout=TIMEOUT_MS)
    return int(page.locator("#gk-search-results a").count()), start, first


def _search_material(page: Any, query: str) -> tuple[int, float, float]:
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        page.locator("label.md-header__button[for='__search']").first.click()
    box.fill("")
    box.press("End")  # Material searches on keyup: an empty box clears the last results
    page.wait_for_function("() => !document.querySelector('.md-search-result__item')", timeout=TIMEOUT_MS)
    start = _type(box, query)
    box.press("End")  # characters not on the keyboard send no keyup; a real key does, as an IME's commit
    page.wait_for_function("() => document.querySelector('.md-search-result__item')"
                           " && /\\d/.test(document.querySelector('.md-search-result__meta').textContent)",
                           timeout=TIMEOUT_MS)
    return int(page.locator(".md-search-result__item").count()), start, time.perf_counter()


def measure_site(site: Path, report_path: str, queries: tuple[str, ...], reports: int, *,
                 gongkai: bool, overlay: dict[str, Path] | None = None, sizes: bool = True) -> ReaderFigures:
    """Figures for one built site; ``report_path`` is a report page's URL path from the root; at
    least two queries, typed one after the other on the same page (the third on: ``later``)."""
    from playwright.sync_api import sync_playwright

    index_parts = ("/pagefind/",) if gongkai else ("/search/search_index.json", "/workers/search")
    search = _search_gongkai if gongkai else _search_material
    with served(site, overlay) as root, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            context = browser.new_context(locale="zh-CN", service_workers="block")
            page = context.new_page()
            transfers = _Transfers(page)
            page.goto(root + report_path, wait_until="load")
            page.wait_for_load_state("networkidle")
            view_kb, view_index_kb = transfers.kb(), transfers.kb(only=index_parts)
            times, kbs, firsts = [], [], []
            for query in queries:
                before = transfers.mark()
                found, start, first = search(page, query)
                times.append((time.perf_counter() - start) * 1000)
                firsts.append((first - start) * 1000)
                page.wait_for_load_state("networkidle")  # what the query loaded after its results too
                kbs.append(transfers.kb(before))
                if len(times) == 1:
                    results, query_files = found, transfers.files(before)
            context.close()
        finally:
            browser.close()
    index_dir = site / ("pagefind" if gongkai else "search")
    per_report = (lambda folder: _folder_bytes(folder) / 1024 / reports) if sizes else (lambda folder: 0.0)
    return ReaderFigures(view_kb=view_kb, view_index_kb=view_index_kb, query_kb=kbs[0], query_ms=times[0],
                         second_query_ms=times[1], results=results, query_files=query_files,
                         second_query_kb=kbs[1], later=list(zip(queries[2:], times[2:], kbs[2:], strict=True)), first_ms=firsts,
                         site_kb_per_report=per_report(site), index_kb_per_report=per_report(index_dir))


def available() -> bool:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


# bench/run.py's for a portal of the province tree (the default): its first report's agency and year, a
# common phrase (a --tree flat portal's first report is 东湖镇人民政府's: give --page and --query).
QUERIES = ("江南省人民政府 2019年", "政策解读")


def main(argv: list[str] | None = None) -> int:
    """Reader-side figures of a site already built (e.g. bench/out/n10000/gongkai/site), without a build."""
    import argparse
    import json
    import statistics
    import sys

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("site", type=Path, help="the built site's folder")
    parser.add_argument("--reports", type=int, required=True, help="reports in the portal (for the per-report sizes)")
    parser.add_argument("--page", default="reports/jiangnan-sheng/2019/", help="the report page opened first (URL path)")
    parser.add_argument("--query", action="append",
                        help="the queries typed, two or more (default: %s)" % " / ".join(QUERIES))
    parser.add_argument("--baseline", action="store_true", help="the site uses Material's search")
    parser.add_argument("--script", type=Path,
                        help="serve this file as assets/gongkai-search.js (a new search box on a site built before it)")
    parser.add_argument("--repeat", type=int, default=1, help="runs (a new browser each); times are their medians")
    parser.add_argument("--no-sizes", action="store_true", help="skip the site's size on disk (slow on a large site)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not available():
        print("Playwright or /usr/bin/chromium missing: bash .ci/install-browser-tools.sh", file=sys.stderr)
        return 2
    queries = tuple(args.query or QUERIES)
    if len(queries) < 2:
        parser.error("give two --query or more (a first query and the next ones)")
    overlay = {"/assets/gongkai-search.js": args.script.resolve()} if args.script else None
    load = os.getloadavg()[0]
    runs = [measure_site(args.site, args.page.lstrip("/"), queries, args.reports, gongkai=not args.baseline,
                         overlay=overlay, sizes=not args.no_sizes and n == 0) for n in range(args.repeat)]
    f = runs[0]
    ms = [statistics.median(ms) for ms in zip(*[[r.query_ms, r.second_query_ms, *(t for _, t, _ in r.later)]
                                                 for r in runs], strict=True)]
    kb = [f.query_kb, f.second_query_kb, *(k for _, _, k in f.later)]
    first_ms = [statistics.median(ms) for ms in zip(*[r.first_ms for r in runs], strict=True)]
    if args.json:
        print(json.dumps({"load_average": load, "load_average_after": os.getloadavg()[0], "median_ms": ms, "median_first_ms": first_ms,
                          "runs": [r.__dict__ for r in runs]}, ensure_ascii=False, indent=2))
        return 0
    print(f"{args.site} ({args.reports} reports), load average {load:.1f} (after: {os.getloadavg()[0]:.1f})")
    print(f"first view {f.view_kb:.0f} KB (index {f.view_index_kb:.0f} KB)")
    every = " ".join(f"{r.query_ms:.0f}" for r in runs)
    print(f"first query “{queries[0]}”: {kb[0]:.0f} KB, {ms[0]:.0f} ms to results, first shown {first_ms[0]:.0f} ms "
          f"({f.results} shown; runs: {every})")
    for name, size in f.query_files:
        print(f"    {size:7.1f} KB  {name}")
    for n, query in enumerate(queries[1:], 1):
        every = " ".join(f"{[r.query_ms, r.second_query_ms, *(t for _, t, _ in r.later)][n]:.0f}" for r in runs)
        print(f"next query “{query}”: {kb[n]:.0f} KB, {ms[n]:.0f} ms to results, first shown {first_ms[n]:.0f} ms "
              f"(runs: {every})")
    if not args.no_sizes:
        print(f"site {f.site_kb_per_report:.1f} KB per report (index {f.index_kb_per_report:.1f} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
