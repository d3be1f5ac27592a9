"""Every result of a set of queries on a built site's search index, in order, as Pagefind ranks
them in a browser (headless Chromium): to compare two indexes of the same site (issue 14).

    .venv/bin/python bench/search_results.py SITE [--queries tests/search/queries.yml] [--json OUT]

Each query is run on every part of the index (``pagefind/parts.json``) through Pagefind's own
API; a result is its fragment's id (a hash of the page's indexed text, title, URL and filters),
its score and, for the first ``--urls`` results, its URL. Two indexes that hold the same text
give the same ids; the same ranking, the same order.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
EXTRA = ["year:2019", "year:2023", "year:2024",
         "2020年", "2021年", "2022年", "政府信息公开", "年度报告", "人民政府", "镇", "公开", "依申请", "2023",
         "主动公开", "行政复议", "政务公开", "东湖", "凤凰", "市场", "信息", "收费", "不予公开", "总体情况"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


SCRIPT = """async ([dirs, queries, urls]) => {
  const out = {};
  for (const dir of dirs) {
    const pf = await import(`/pagefind/${dir}/pagefind.js`);
    await pf.options({basePath: `/pagefind/${dir}/`});
    await pf.init();
    out[dir] = {};
    for (const q of queries) {
      // "year:2023": the year's pages, by the filter alone (the search box's query naming only a year)
      const found = q.startsWith("year:") ? await pf.search(null, {filters: {year: q.slice(5)}}) : await pf.search(q);
      const rows = [];
      for (let i = 0; i < found.results.length; i++) {
        const r = found.results[i];
        rows.push([r.id, Math.round(r.score * 1e6) / 1e6, i < urls ? (await r.data()).url : null]);
      }
      out[dir][q] = rows;
    }
  }
  return out;
}"""


def results(site: Path, queries: list[str], urls: int = 10) -> dict[str, dict[str, list]]:
    from playwright.sync_api import sync_playwright

    parts = [p["dir"] for p in json.loads((site / "pagefind" / "parts.json").read_text(encoding="utf-8"))["parts"]]
    with serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium")
        try:
            page = browser.new_page()
            found: dict[str, dict[str, list]] = {}
            for part in parts:  # each part in a page of its own: a module's state is per page
                page.goto(base + "index.html")
                found.update(page.evaluate(SCRIPT, [[part], queries, urls]))
            return found
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--queries", type=Path, default=REPO / "tests" / "search" / "queries.yml")
    parser.add_argument("--urls", type=int, default=10)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    queries = [c["query"] for c in yaml.safe_load(args.queries.read_text(encoding="utf-8"))] + EXTRA
    found = results(args.site, queries, args.urls)
    if args.json:
        args.json.write_text(json.dumps(found, ensure_ascii=False, indent=0), encoding="utf-8")
    for part, by_query in found.items():
        for q, rows in by_query.items():
            print(part, q, len(rows), [(r[2] or r[0], r[1]) for r in rows[:6]])


if __name__ == "__main__":
    main()
