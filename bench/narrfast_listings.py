"""CPU time of a portal's listing pages (agencies, years): MkDocs' Markdown render against ``html`` (written as HTML).

    .venv/bin/python bench/narrfast_listings.py /work/benchcache/province-n1000-seed2024-v2 --runs 3

Counts the listing pages by kind and prints, per way (interleaved, medians of ``--runs``), CPU ms
per page and per report: the Markdown way is what ``Page.render`` costs a page read from its
Markdown; the HTML way is ``PortalPage.html`` (the Markdown itself is made in both builds).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from gongkai.collection import ReportStore
from gongkai.indexing import Layout, build_index
from gongkai.mkdocs_plugin import internals
from gongkai.pages.portal import portal_pages
from gongkai.pages.templates import make_environment

EXTENSIONS = ("[attr_list, tables, {toc: {permalink: true, slugify: !!python/object/apply:pymdownx.slugs.slugify "
              "{kwds: {case: lower}}}}]")  # the benchmark's mkdocs.yml


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("portal", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    portal = ReportStore(args.portal).load([args.portal / "reports"])
    index = build_index(portal.reports, portal.roster)
    layout = Layout()
    pages = [p for p in portal_pages(index, layout, make_environment()) if not p.is_report]
    print(f"{len(portal.reports)} reports; non-report pages by kind: {dict(Counter(p.kind for p in pages))}")
    listed = [p for p in pages if p.html is not None]
    folder = Path(tempfile.mkdtemp())
    (folder / "docs").mkdir()
    config = MkDocsConfig()
    config.load_dict(yaml.load(f"site_name: t\ndocs_dir: {folder / 'docs'}\nsite_dir: {folder / 'site'}\n"  # noqa: S506
                               f"markdown_extensions: {EXTENSIONS}\n", Loader=yaml.Loader))
    errors, _ = config.validate()
    assert not errors, errors
    config.plugins._current_plugin = "gongkai"  # File.generated reads it
    uris = {p.src_uri for p in pages} | {layout.report(r) for r in portal.reports}
    files = Files([File.generated(config, uri, content="", inclusion=InclusionLevel.NOT_IN_NAV) for uri in uris])
    style = internals.heading_style(config)
    assert style is not None
    markdowns = {p.src_uri: get_data(p.markdown())[0] for p in listed}
    times: dict[str, list[float]] = {"markdown": [], "html": []}
    for _ in range(args.runs):
        start = time.process_time()
        for p in listed:
            page = Page(None, files.get_file_from_path(p.src_uri), config)  # type: ignore[arg-type]
            page.markdown = markdowns[p.src_uri]
            page.render(config, files)
        times["markdown"].append(time.process_time() - start)
        start = time.process_time()
        written = 0
        for p in listed:
            assert p.html is not None
            file = files.get_file_from_path(p.src_uri)
            assert file is not None
            written += p.html(style, internals.link_resolver(file, files)) is not None
        times["html"].append(time.process_time() - start)
    print(f"{len(listed)} listing pages may be written as HTML, {written} were")
    for name, values in times.items():
        total = statistics.median(values)
        print(f"{name}: {total * 1000 / len(listed):.2f} ms/page, {total * 1000 / len(portal.reports):.3f} ms/report "
              f"(runs {[round(v, 2) for v in values]} s)")


if __name__ == "__main__":
    main()
