"""No script runs: every page of portals built from the payload catalogue (``tests/site/injection_payloads.yml``),
loaded in Chromium, opens no dialog, sets no ``window.__pwned`` and asks nothing of any host but 127.0.0.1.

Two portals: one report per payload that validates (as a name or a narrative), built as a user
builds it; and every payload, refused or not, put past the validator into the typed reports.
Material's search shows its results as HTML, so each portal is searched for the payloads too.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import sys
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEARCHES = ["onerror", "onmouseover", "javascript", "gongkai", "config", "载荷"]  # each finds pages holding payloads
PROBE = """() => ({pwned: typeof window.__pwned, title: document.title, titles: document.querySelectorAll('title').length})"""


def _kit():
    spec = importlib.util.spec_from_file_location("injection_kit", REPO / "tests" / "site" / "injection_kit.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=["validated", "past-the-validator"])
def hostile_site(request, gk, tmp_path_factory):
    kit = _kit()
    root = tmp_path_factory.mktemp(f"hostile-{request.param}") / "portal"
    if request.param == "validated":
        kit.write_valid_portal(root)
        site = gk.build_site(root / "mkdocs.yml", root / "site")
    else:
        kit.build_past_the_validator(root)
        site = root / "site"
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="gk-hostile", daemon=True).start()
    yield request.param, site, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_no_payload_runs_on_any_page(hostile_site, gk, context_factory):
    portal, site, base_url = hostile_site
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) > 60
    ctx = context_factory()
    dialogs: list[str] = []
    errors: list[str] = []
    tab = ctx.new_page()
    tab.on("dialog", lambda d: (dialogs.append(f"{tab.url}: {d.type} {d.message}"), d.dismiss()))
    tab.on("pageerror", lambda e: errors.append(f"{tab.url}: {e}"))
    ran: list[str] = []
    for path in pages:
        tab.goto(base_url + path, wait_until="load")
        probe = tab.evaluate(PROBE)
        if probe["pwned"] != "undefined" or probe["titles"] != 1:
            ran.append(f"{path}: {probe}")
    tab.goto(base_url, wait_until="load")
    gk.search_for(tab, gk.SEARCH_QUERY)  # the search index is loaded and answers
    box = tab.locator("input.md-search__input")
    results = 0
    for query in SEARCHES:
        box.fill("")
        box.press_sequentially(query, delay=20)
        box.press("End")
        tab.wait_for_timeout(800)
        results += tab.locator(".md-search-result__item").count()
        if tab.evaluate(PROBE)["pwned"] != "undefined":
            ran.append(f"search {query!r}")
    tab.wait_for_load_state("networkidle")
    tally = gk.tally("injection")
    tally.pages.add(f"{portal} portal: {len(pages)} pages")
    offsite = sorted(set(ctx.offsite.urls) | {u for u in ctx.requests if not _local(u)})
    tally.problems += len(dialogs) + len(ran) + len(offsite)
    assert results > 0, "the searches showed no result: the payloads' text was not rendered by the search"
    assert dialogs == [], dialogs
    assert ran == [], ran
    assert offsite == [], offsite
    assert errors == [], errors


def _local(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"
