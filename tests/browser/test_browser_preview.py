"""`mkdocs serve` with one invalid report: the other pages are served, the invalid report's page
shows its finding, a save that fixes it reloads the page as the report; no request waits long.

A real server (``python -m mkdocs serve``) on 127.0.0.1 at a free port, over a copy of the sample
portal in a temporary folder, examined with urllib and in Chromium.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
REQUEST_LIMIT = 5.0  # seconds: no page request may take longer
START_LIMIT = 120.0  # seconds for the first build of the sample portal on a busy machine
BROKEN = "shifan-zhen/2024.yml"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str, float]:
    """Status, body and how long the request took (a hanging request fails the test)."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_LIMIT * 4) as response:
            status, body = response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        status, body = error.code, ""
    return status, body, time.monotonic() - started


@pytest.fixture
def served(tmp_path: Path):
    """The sample portal with one invalid report, served by `mkdocs serve`; yields (base URL, root)."""
    root = tmp_path / "portal"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for name in ("docs", "overrides", "reports"):
        shutil.copytree(REPO / name, root / name)
    report = root / "reports" / BROKEN
    report.write_text(report.read_text(encoding="utf-8").replace("{natural_person: 9,", "{natural_person: 7,", 1),
                      encoding="utf-8")
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_LIMIT
        while True:
            if server.poll() is not None:
                pytest.fail(f"mkdocs serve exited ({server.returncode}):\n"
                            + (tmp_path / "serve.log").read_text(encoding="utf-8")[-3000:])
            try:
                if fetch(base)[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail("mkdocs serve did not answer in time")
            time.sleep(0.5)
        yield base, root
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def test_serve_shows_the_finding_then_the_fixed_report(served, context_factory, gk) -> None:
    base, root = served
    for url in ("", "reports/", "reports/shifan-qu/", "reports/_findings/"):
        status, _, took = fetch(base + url)
        assert status == 200 and took < REQUEST_LIMIT, (url, status, took)
    status, body, took = fetch(base + "reports/shifan-zhen/2024/")
    assert status == 200 and took < REQUEST_LIMIT
    assert "applications-balance" in body and "reports/shifan-zhen/2024.yml" in body

    page = context_factory().new_page()
    page.goto(base + "reports/shifan-zhen/2024/", wait_until="load", timeout=REQUEST_LIMIT * 1000)
    article = page.locator("article")
    assert "applications-balance" in article.inner_text()
    assert "查看问题清单" in page.locator(".gk-preview-banner").inner_text()

    # the preview's own pages pass the same accessibility checks as the published ones
    gk.require(gk.AXE_JS.is_file(), f"axe-core ({gk.AXE_JS.relative_to(gk.REPO)})")
    for url in ("reports/shifan-zhen/2024/", "reports/_findings/"):
        checked = context_factory().new_page()
        checked.goto(base + url, wait_until="load", timeout=REQUEST_LIMIT * 1000)
        checked.add_script_tag(path=str(gk.AXE_JS))
        result = checked.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        assert result["passes"] and not result["violations"], (url, [v["id"] for v in result["violations"]])
        checked.close()

    # the fix: livereload brings the report into the open page, without a hand reload
    report = root / "reports" / BROKEN
    report.write_text((REPO / "reports" / BROKEN).read_text(encoding="utf-8"), encoding="utf-8")
    page.wait_for_selector("article table", timeout=60_000)
    assert "applications-balance" not in page.locator("article").inner_text()
    assert page.locator(".gk-preview-banner").count() == 0
    status, body, took = fetch(base + "reports/shifan-zhen/2024/")
    assert status == 200 and took < REQUEST_LIMIT and "applications-balance" not in body
