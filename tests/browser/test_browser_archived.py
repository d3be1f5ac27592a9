"""Archived report pages in a real browser: axe finds nothing, the 原文数据说明 note is visible, and a cell
published blank shows nothing while its “空白” stays in the accessibility tree."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]  # as test_browser_axe (not importable from here)
FIXTURES = Path(__file__).resolve().parents[1] / "site" / "fixtures" / "archived"
PAGES = {  # fixture → its page, one per format and one with table 三 in the 2019 rows
    "blank_total_acknowledged_2021.yml": "cundang-zhen/2024",
    "blank_total_acknowledged_2019.yml": "cundang-qu/2019",
    "applications_2019_rows_in_2023.yml": "cundang-ju/2023",
}


@pytest.fixture(scope="module")
def archive_url(gk, tmp_path_factory):
    root = tmp_path_factory.mktemp("archive-portal")
    for part in ("docs", "overrides"):
        shutil.copytree(gk.REPO / part, root / part)
    shutil.copy(gk.REPO / "mkdocs.yml", root / "mkdocs.yml")
    for name, where in PAGES.items():
        target = root / "reports" / f"{where}.yml"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / name, target)
    site = gk.build_site(root / "mkdocs.yml", root / "site")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - http.server's signature
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("name", PAGES)
def test_archived_page_has_no_axe_violation(gk, archive_url, context_factory, name: str) -> None:
    gk.require(gk.AXE_JS.is_file(), f"axe-core ({gk.AXE_JS.relative_to(gk.REPO)})")
    page = context_factory().new_page()
    page.goto(f"{archive_url}reports/{PAGES[name]}/", wait_until="load")
    page.add_script_tag(path=str(gk.AXE_JS))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    assert result["passes"], "axe-core ran no rule at all"
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []


def test_note_is_seen_and_blank_cells_are_heard(archive_url, context_factory) -> None:
    page = context_factory().new_page()
    page.goto(f"{archive_url}reports/cundang-zhen/2024/", wait_until="load")
    note = page.locator(".gk-archive-note")
    assert note.is_visible() and "原文数据说明" in note.inner_text()
    blank = page.locator('td[data-cell="applications.received.total"]')
    assert blank.inner_text().strip() == "空白"  # the only text in the cell: for screen readers ...
    hidden = blank.locator(".gk-visually-hidden")
    box = hidden.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1  # ... and not shown: blank as published
    assert "空白" in blank.aria_snapshot()  # what assistive technology is given
