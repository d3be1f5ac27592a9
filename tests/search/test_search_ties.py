"""Results that score alike come in a set order (``search.pagefind_order``: the newest year's
pages first, then by path), whatever order the pages were written in: a query naming only a
year, which matches every report of that year alike, ranked in a browser by Pagefind itself."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai import search

from .test_search_index import report_page

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# Names Pagefind cuts into as many words: their reports score alike (东山, 中山 are cut otherwise).
AGENCIES = ("西山镇人民政府", "南山镇人民政府", "北山镇人民政府", "青山镇人民政府")
SLUGS = ("xishan", "nanshan", "beishan", "qingshan")

pytestmark = pytest.mark.skipif(importlib.util.find_spec("playwright") is None or not CHROMIUM.exists(),
                                reason="needs Playwright and /usr/bin/chromium")


def ranked(site: Path, queries: list[str]) -> dict[str, list[tuple[str, float]]]:
    """Every result of each query, ranked by Pagefind in Chromium: in a process of its own, since
    Playwright's sync API cannot start inside another test's running browser (tests/browser)."""
    code = ("import json, sys, search_results; "
            "print(json.dumps(search_results.results(__import__('pathlib').Path(sys.argv[1]), "
            "json.loads(sys.argv[2]), urls=100)['all'], ensure_ascii=False))")
    done = subprocess.run([sys.executable, "-c", code, str(site), json.dumps(queries, ensure_ascii=False)],
                          cwd=REPO / "bench", capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    return {q: [(row[2], row[1]) for row in rows] for q, rows in found.items()}


def test_a_year_alone_ranks_that_years_reports_in_the_set_order_whatever_the_writing_order(tmp_path: Path) -> None:
    pages = [(f"reports/{slug}/{year}/index.html", report_page(agency, year))
             for slug, agency in zip(SLUGS, AGENCIES, strict=True) for year in (2022, 2023)]
    rankings = []
    for n, order in enumerate((pages, pages[::-1], pages[3:] + pages[:3], sorted(pages, key=lambda page: page[0][::-1]))):
        site = tmp_path / f"site{n}"
        for relative, page in order:  # written in this order: the folder's order on disk follows
            (site / relative).parent.mkdir(parents=True, exist_ok=True)
            (site / relative).write_text(page, encoding="utf-8")
        (site / "index.html").write_text("<!doctype html><html><body></body></html>", encoding="utf-8")
        indexer = search.Indexer(site, [relative for relative, _ in order])
        for relative, page in order:
            indexer.add(relative, page)
        indexer.finish()
        rankings.append(ranked(site, ["2023年", "人民政府", "year:2023"]))
        shutil.rmtree(site)
    assert rankings[0] == rankings[1] == rankings[2] == rankings[3]
    year = rankings[0]["2023年"]
    assert len({score for _, score in year}) == 1  # every 2023 report alike
    assert [url for url, _ in year] == sorted(f"/reports/{slug}/2023/" for slug in SLUGS)
    # What the search box asks for a query naming only a year: the year's pages, by the filter alone.
    assert [url for url, _ in rankings[0]["year:2023"]] == [url for url, _ in year]
    alike = rankings[0]["人民政府"]  # every report: the newest year's first, then by path
    assert [url for url, _ in alike] == [f"/reports/{slug}/{year}/" for year in (2023, 2022) for slug in sorted(SLUGS)]
