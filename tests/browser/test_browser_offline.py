"""Offline and private: no page asks any host but 127.0.0.1, and the portal built with
``use_directory_urls: false`` works opened from disk (file://): tables render and the links
between the index and the report pages resolve to existing files."""

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml


def test_no_request_leaves_loopback(kind, gk, pages, base_url, context_factory):
    ctx = context_factory()
    page = gk.open_kind(ctx, base_url, pages, kind)
    page.wait_for_load_state("networkidle")
    offsite = sorted(set(ctx.offsite.urls) | {u for u in ctx.requests if not _local(u)})
    t = gk.tally("offline")
    t.pages.add(kind)
    t.problems += len(offsite)
    assert ctx.requests, "no request was recorded at all"
    assert not offsite, f"{kind} asked hosts other than 127.0.0.1 (blocked):\n  " + "\n  ".join(offsite)


def _local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"


# --------------------------------------------------------------------------------------
# file:// — a config that INHERITs the repository's mkdocs.yml, with use_directory_urls off.


class _Tolerant(yaml.SafeLoader):
    """Reads mkdocs.yml's !!python/... tags as None: only plain keys are copied from it."""


_Tolerant.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_Tolerant.add_multi_constructor("!", lambda loader, suffix, node: None)


def file_url_config(parent: Path, dest: Path) -> Path:
    """Child config in ``dest``: INHERIT the parent, and make the parent's relative paths
    (docs_dir, theme.custom_dir, plugins' *_dir options) absolute, since MkDocs resolves them
    against the directory of the config file that is built."""
    base = parent.parent
    cfg = yaml.load(parent.read_text(encoding="utf-8"), Loader=_Tolerant) or {}

    def absolute(value):
        return value if os.path.isabs(value) else str((base / value).resolve())

    child = {"INHERIT": str(parent), "use_directory_urls": False,
             "docs_dir": absolute(cfg.get("docs_dir", "docs"))}
    theme = cfg.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        child["theme"] = {"custom_dir": absolute(theme["custom_dir"])}
    plugins = cfg.get("plugins")
    if plugins:
        fixed = []
        for entry in plugins:
            if isinstance(entry, dict):
                entry = {name: ({k: absolute(v) if k.endswith("_dir") and isinstance(v, str) else v
                                 for k, v in opts.items()} if isinstance(opts, dict) else opts)
                         for name, opts in entry.items()}
            fixed.append(entry)
        child["plugins"] = fixed
    path = dest / "mkdocs-file-url.yml"
    path.write_text(yaml.safe_dump(child, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def file_site(gk, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("file-url")
    config = file_url_config(gk.mkdocs_config(), tmp)
    site = gk.build_site(config, tmp / "site")
    return site


# reports/<agency>/<year>.html, or reports/<agency>/<year>/index.html
REPORT_URL = re.compile(r"/reports/[a-z0-9-]*[a-z][a-z0-9-]*/\d{4}(\.html|/index\.html)$")


def _links_resolve(page, site: Path) -> tuple[int, list[str]]:
    """All relative links on a file:// page, and those that do not point to an existing file."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => [a.getAttribute('href'), a.href])")
    broken, n = [], 0
    for raw, absolute in hrefs:
        parts = urlsplit(absolute)
        if parts.scheme != "file" or raw.startswith("#"):
            continue
        n += 1
        target = Path(unquote(parts.path))
        if not target.is_file():
            broken.append(f"{raw} -> {target}")
        elif not target.resolve().is_relative_to(site.resolve()):
            broken.append(f"{raw} -> {target} (outside the site)")
    return n, broken


def test_file_url_report_and_links(gk, file_site, context_factory):
    site = file_site
    index = site / "reports" / "index.html"
    assert index.is_file(), f"no reports/index.html in the use_directory_urls: false build ({site})"
    html_reports = [p for p in site.glob("reports/*/*.html") if REPORT_URL.search(p.as_uri())]
    html_reports += [p for p in site.glob("reports/*/*/index.html") if REPORT_URL.search(p.as_uri())]
    assert html_reports, ("no report pages (reports/<agency>/<year>.html or reports/<agency>/<year>/index.html)"
                          " in the use_directory_urls: false build")

    ctx = context_factory()
    page = ctx.new_page()
    page.goto(index.as_uri(), wait_until="load")
    n, broken = _links_resolve(page, site)
    assert n > 0 and not broken, "index by year (file://): broken links:\n  " + "\n  ".join(broken)
    # Follow a link from the index to a report page, as a reader would.
    report_links = [h for h in page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
                    if REPORT_URL.search(h)]
    assert report_links, "the index by year links to no report page"
    page.goto(report_links[0], wait_until="load")

    tables = page.eval_on_selector_all(
        "article table", "ts => ts.map(t => ({caption: (t.caption ? t.caption.textContent : '').trim(),"
        " rows: t.rows.length, visible: t.checkVisibility(), height: t.getBoundingClientRect().height}))")
    assert len(tables) >= 3, f"{page.url}: expected the report's tables, found {tables}"
    for t in tables:
        assert t["visible"] and t["height"] > 0 and t["rows"] > 1, f"{page.url}: table not rendered: {t}"
    n, broken = _links_resolve(page, site)
    assert n > 0 and not broken, f"report page (file://) {page.url}: broken links:\n  " + "\n  ".join(broken)
    back = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    assert index.as_uri() in back, f"report page {page.url} does not link back to the index by year"
    assert not ctx.offsite.urls, f"file:// pages asked other hosts: {ctx.offsite.urls}"
