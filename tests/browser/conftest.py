"""Browser tests: the built sample portal, served on loopback, examined in Debian's Chromium.

What is needed, and where it comes from (``.ci/install-browser-tools.sh`` installs it all):

* ``/usr/bin/chromium`` (Debian package ``chromium``), driven by Playwright for Python with
  ``executable_path`` — no test downloads a browser of its own;
* ``node_modules/axe-core/axe.min.js`` and ``node_modules/vnu-jar/build/dist/vnu.jar``
  (``package.json``), ``java`` for vnu.jar, ``pdftotext`` (``poppler-utils``) for the PDF.

A missing tool skips the tests that need it, with a one-line reason — unless the environment
variable ``CI`` is set (as CI sets it), where a missing tool FAILS: CI never silently skips.

The portal is built once per session from the repository's ``mkdocs.yml`` (override with
``GK_BROWSER_MKDOCS_CONFIG=/path/to/mkdocs.yml`` to try the harness on another site) and served
by ``http.server`` on 127.0.0.1 at a free port. Pages are discovered from the built site along
the URL scheme ``reports/`` (index by year), ``reports/<year>/``, ``reports/<agency>/``,
``reports/<agency>/<year>/``.

Run them alone with ``bash .ci/install-browser-tools.sh && .venv/bin/python -m pytest tests/browser``;
screenshots and the printed PDF land in ``tests/artifacts/`` (git ignores it). The run ends with a
"browser checks" summary ("axe-core: examined N pages, 0 violations", ...).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = Path(os.environ.get("GK_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
MKDOCS = Path(sys.executable).with_name("mkdocs")

# Flags this machine (and CI) needs: no sandbox as root, no GPU, and no traffic of Chromium's
# own (the network is closed; only loopback answers). Playwright gives every launch a fresh,
# empty user-data-dir of its own (it refuses --user-data-dir in args for launch()).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Page kinds every check runs on. "search" is the home page with a Chinese query typed into
# the header's search box and its results shown.
OPEN_DATA_KINDS = ["data-download", "trends", "totals", "totals-group", "compliance", "compliance-group"]
# Open data's numbered pages, from a second portal (``paged_site``): the sample with two more roster
# groups whose agencies never reported for 2024, built with a page size of 1. Kind → URL path
# (<group>: a generated group's code, read from the site). Tests taking ``paged_kind`` run on each.
OPEN_DATA_PAGED = {
    "compliance-paged": "reports/open_data/compliance/2/",
    "compliance-group-paged": "reports/open_data/compliance/<group>/2/",
    "totals-paged": "reports/open_data/totals-2024/2/",
    "not-counted-paged": "reports/open_data/totals-2024/not_counted/2/",
}
PAGED_GROUPS = {"东区": ["东区教育局", "东区民政局"], "西区": ["西区教育局", "西区民政局"]}
PAGE_KINDS = ["home", "index-by-year", "agency-directory", "year", "agency", "report-2021", "report-2019",
              *OPEN_DATA_KINDS, "search"]
SEARCH_QUERY = "公开"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(ok: bool, what: str) -> None:
    """Skip (locally) or fail (under CI) with a one-line reason when a tool is missing."""
    if ok:
        return
    msg = f"{what} missing — run .ci/install-browser-tools.sh"
    if in_ci():
        pytest.fail(f"CI: {msg}", pytrace=False)
    pytest.skip(msg)


def mkdocs_config() -> Path:
    return Path(os.environ.get("GK_BROWSER_MKDOCS_CONFIG", REPO / "mkdocs.yml")).resolve()


# --------------------------------------------------------------------------------------
# Summary lines printed at the end of the run (pytest_terminal_summary below).


@dataclass
class Tally:
    pages: set[str] = field(default_factory=set)
    problems: int = 0
    allowed: list[str] = field(default_factory=list)


STATS: dict[str, Tally] = {}


def tally(name: str) -> Tally:
    return STATS.setdefault(name, Tally())


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001
    if not STATS:
        return
    terminalreporter.section("browser checks")
    for name, noun in (("axe-core", "violations"), ("Nu Html Checker", "errors"),
                       ("keyboard", "problems"), ("offline", "requests off 127.0.0.1")):
        t = STATS.get(name)
        if t is None:
            continue
        terminalreporter.write_line(f"{name}: examined {len(t.pages)} pages, {t.problems} {noun}")
        for line, n in Counter(t.allowed).items():
            terminalreporter.write_line(f"  allowed (not counted above): {n} page(s) × {line}")
    for name, t in STATS.items():
        if name not in ("axe-core", "Nu Html Checker", "keyboard", "offline"):
            terminalreporter.write_line(f"{name}: {', '.join(sorted(t.pages))} (artifacts in {ARTIFACTS.relative_to(REPO)}/)")


# --------------------------------------------------------------------------------------
# Build and serve.


def build_site(config: Path, dest: Path) -> Path:
    if not config.is_file():
        pytest.fail(f"no MkDocs config at {config}: the sample portal cannot be built", pytrace=False)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(
        [str(MKDOCS), "build", "--quiet", "-f", str(config), "-d", str(dest)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )
    if proc.returncode != 0 or not (dest / "index.html").is_file():
        pytest.fail(
            f"mkdocs build -f {config} failed (exit {proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}",
            pytrace=False,
        )
    return dest


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    return build_site(mkdocs_config(), tmp_path_factory.mktemp("portal") / "site")


@contextlib.contextmanager
def serve(directory: Path):
    """``directory`` served on 127.0.0.1 at a free port: yields the root URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="gk-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def base_url(site_dir):
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def paged_site(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    """The second portal (``OPEN_DATA_PAGED``), built and its numbered open-data pages found: (site, kind → file)."""
    root = tmp_path_factory.mktemp("paged-portal")
    for folder in ("docs", "overrides", "reports"):
        shutil.copytree(REPO / folder, root / folder)
    config = mkdocs_config().read_text(encoding="utf-8")
    if "      # page_size: 200" not in config:
        pytest.fail("mkdocs.yml has no commented page_size line to set", pytrace=False)
    (root / "mkdocs.yml").write_text(config.replace("      # page_size: 200", "      page_size: 1  #"), encoding="utf-8")
    roster = root / "reports" / "roster.yml"
    lines = [roster.read_text(encoding="utf-8").rstrip()]
    for g, (group, names) in enumerate(PAGED_GROUPS.items()):
        lines += [f"  - {{code: x{g}-a{a}, name: {name}, kind: department, group: {group}, first_year: 2024}}"
                  for a, name in enumerate(names)]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    site = build_site(root / "mkdocs.yml", root / "site")
    compliance = site / "reports" / "open_data" / "compliance"
    group = next((p.parent.parent.name for p in sorted(compliance.glob("*/2/index.html"))), "?")
    files = {kind: site / url.replace("<group>", group) / "index.html" for kind, url in OPEN_DATA_PAGED.items()}
    missing = [str(p.relative_to(site)) for p in files.values() if not p.is_file()]
    if missing:
        pytest.fail(f"numbered open-data pages not found in {site}: {missing}", pytrace=False)
    return site, files


@pytest.fixture(scope="session")
def paged_url(paged_site):
    with serve(paged_site[0]) as url:
        yield url


# --------------------------------------------------------------------------------------
# Discover the page kinds from the built site.

YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Pages:
    site: Path
    files: dict[str, Path]  # kind -> HTML file in the site dir ("search" -> the home page)

    def path(self, kind: str) -> str:
        """URL path (relative to the site root) of a page kind, directory-URL style."""
        rel = self.files[kind].relative_to(self.site).as_posix()
        return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def report_format(reports_dir: Path, slug: str, year: int) -> str:
    """The national format a report uses: the ``format:`` of its YAML, else by year."""
    src = reports_dir / slug / f"{year}.yml"
    if src.is_file():
        m = re.search(r"^format:\s*['\"]?(\d{4})", src.read_text(encoding="utf-8"), re.M)
        if m:
            return m.group(1)
    return "2019" if year < 2021 else "2021"


def discover_pages(site: Path, reports_dir: Path) -> Pages:
    files: dict[str, Path] = {}
    problems: list[str] = []

    def need(kind: str, path: Path | None, what: str) -> None:
        if path is not None and path.is_file():
            files[kind] = path
        else:
            problems.append(f"{kind}: {what}")

    need("home", site / "index.html", "index.html")
    need("index-by-year", site / "reports" / "index.html", "reports/index.html")
    need("agency-directory", site / "reports" / "agencies" / "index.html", "reports/agencies/index.html")
    root = site / "reports"
    years = sorted((d for d in root.iterdir() if d.is_dir() and YEAR.match(d.name)), reverse=True) if root.is_dir() else []
    agencies = sorted(d for d in root.iterdir() if d.is_dir() and not YEAR.match(d.name) and d.name not in ("agencies", "open_data")
                      and (d / "index.html").is_file()) if root.is_dir() else []
    need("year", years[0] / "index.html" if years else None, "reports/<year>/index.html")
    # The agency page with the most reports (the richest page), then the first by slug.
    agencies.sort(key=lambda d: (-sum(1 for y in d.iterdir() if YEAR.match(y.name)), d.name))
    need("agency", agencies[0] / "index.html" if agencies else None, "reports/<agency>/index.html")
    reports: dict[str, list[Path]] = {"2021": [], "2019": []}
    for agency in agencies:
        for y in sorted((d for d in agency.iterdir() if d.is_dir() and YEAR.match(d.name)), reverse=True):
            if (y / "index.html").is_file():
                reports.setdefault(report_format(reports_dir, agency.name, int(y.name)), []).append(y / "index.html")
    for fmt in ("2021", "2019"):
        need(f"report-{fmt}", reports[fmt][0] if reports[fmt] else None,
             f"reports/<agency>/<year>/index.html of a report in the {fmt} format")
    data = root / "open_data"
    need("data-download", data / "index.html", "reports/open_data/index.html")
    need("trends", data / "trends" / "index.html", "reports/open_data/trends/index.html")
    need("compliance", data / "compliance" / "index.html", "reports/open_data/compliance/index.html")
    groups = sorted(d for d in (data / "compliance").iterdir() if d.is_dir()) if (data / "compliance").is_dir() else []
    need("compliance-group", groups[0] / "index.html" if groups else None,
         "reports/open_data/compliance/<group>/index.html")
    need("totals", data / f"totals-{years[0].name}" / "index.html" if years else None,
         "reports/open_data/totals-<year>/index.html")
    totals_groups = sorted(d for d in (data / f"totals-{years[0].name}").iterdir() if d.is_dir()) if years else []
    need("totals-group", totals_groups[0] / "index.html" if totals_groups else None,
         "reports/open_data/totals-<year>/<group>/index.html")
    if "home" in files:
        files["search"] = files["home"]
    if problems:
        pytest.fail("page kinds not found in the built site " + str(site) + ":\n  " + "\n  ".join(problems),
                    pytrace=False)
    return Pages(site, files)


@pytest.fixture(scope="session")
def pages(site_dir) -> Pages:
    return discover_pages(site_dir, mkdocs_config().parent / "reports")


# --------------------------------------------------------------------------------------
# Browser.


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK), f"Chromium ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    except Exception:
        pw.stop()
        raise
    yield b
    b.close()
    pw.stop()


@dataclass
class Offsite:
    """Requests to any host but 127.0.0.1 (blocked, and recorded as failures)."""

    urls: list[str] = field(default_factory=list)


def _is_local(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "file"):
        return True
    return parts.hostname == "127.0.0.1"


@pytest.fixture
def context_factory(browser):
    """New browser contexts that record every request and block any that leaves 127.0.0.1."""
    made = []

    def make(width: int = 1280, height: int = 900, **kw):
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  service_workers="block", **kw)
        ctx.requests = []  # every URL requested, in order
        ctx.offsite = Offsite()

        def on_request(req):
            ctx.requests.append(req.url)

        def route(r):
            if _is_local(r.request.url):
                r.continue_()
            else:
                ctx.offsite.urls.append(r.request.url)
                r.abort("blockedbyclient")

        ctx.on("request", on_request)
        ctx.route("**/*", route)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


def open_kind(ctx, base_url: str, pages: Pages, kind: str):
    """Open a page kind in a new tab; for "search", type the query and wait for results."""
    page = ctx.new_page()
    page.goto(base_url + pages.path(kind), wait_until="load")
    if kind == "search":
        search_for(page, SEARCH_QUERY)
    return page


def search_for(page, query: str, *, timeout: float = 15_000) -> list[str]:
    """Types ``query`` into the header's search box; the result links' URL paths, in order."""
    box = page.locator("#gk-search-input")
    box.fill("")
    box.press_sequentially(query, delay=20)
    page.wait_for_function("q => document.getElementById('gk-search-results').dataset.query === q",
                           arg=query, timeout=timeout)
    return page.eval_on_selector_all("#gk-search-results a", "links => links.map(a => new URL(a.href).pathname)")


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def which(name: str) -> str | None:
    return shutil.which(name)


@pytest.fixture(scope="session")
def gk():
    """The helpers above, for the test modules (``--import-mode=importlib`` has no
    ``from conftest import``)."""
    import types

    return types.SimpleNamespace(
        require=require, in_ci=in_ci, tally=tally, open_kind=open_kind, search_for=search_for,
        build_site=build_site, serve=serve, discover_pages=discover_pages, mkdocs_config=mkdocs_config,
        which=which, REPO=REPO, AXE_JS=AXE_JS, VNU_JAR=VNU_JAR, PAGE_KINDS=PAGE_KINDS, OPEN_DATA_KINDS=OPEN_DATA_KINDS,
        SEARCH_QUERY=SEARCH_QUERY,
    )


def pytest_generate_tests(metafunc):
    """A test that takes ``kind`` runs once per page kind (unless it parametrizes it itself)."""
    marked = any("kind" in m.args[0] for m in metafunc.definition.iter_markers("parametrize"))
    if "kind" in metafunc.fixturenames and not marked:
        metafunc.parametrize("kind", PAGE_KINDS)
    if "paged_kind" in metafunc.fixturenames:
        metafunc.parametrize("paged_kind", list(OPEN_DATA_PAGED))
