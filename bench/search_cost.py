"""What the search index costs per page, measured on a built site (issue 14): the build
process's cut (``search.indexed_part``), the indexer's own work (``Indexer.take`` and ``finish``:
reading each part, making its small page, handing it to Pagefind; of which reading the part,
``read_part``, measured apart) and Pagefind's CPU (user + system of its processes), with its
peak memory and the index's size.

    .venv/bin/python bench/search_cost.py SITE [SITE ...] [--runs 3]

The pages are given in the order a build writes them (the pages without a year, then the
reports, newest year first), with the list of pages to come, so the index is made in the same
parts as in a build. The gongkai package imported is the one on the path: run it with another
checkout's Python (or ``PYTHONPATH=<checkout>/plugins``) to measure that code. Every figure is
CPU time (``time.process_time`` of this process, ``RUSAGE_CHILDREN`` for Pagefind), so it holds
on a loaded machine better than wall time; the site itself is not changed (the index is made in
a copy of its pages' folder structure, a temporary folder next to it).

Pagefind's peak memory is its own, as ``/usr/bin/time`` sees it (Pagefind is started through it,
``PAGEFIND_BINARY_PATH``): ``RUSAGE_CHILDREN``'s ``ru_maxrss`` is not, as a child started from
this process (which holds every page of the site, 1.8 GB at 10,000 reports) counts this
process's memory at the start as its own.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from gongkai import search


def pages_of(site: Path) -> list[tuple[str, str]]:
    """The site's pages (its index aside) in the order a build writes them."""
    pages = [(relative, path.read_text(encoding="utf-8")) for relative, path in search._pages(site)]
    return sorted(pages, key=lambda page: -(search.page_year(page[0]) or 10_000))


def measure(site: Path, pages: list[tuple[str, str]]) -> dict[str, float]:
    n = len(pages)
    t = time.process_time()
    parts = [(relative, search.indexed_part(page)) for relative, page in pages]
    cut = time.process_time() - t
    t = time.process_time()
    for _, part in parts:
        if part is not None:
            search.read_part(part)
    parse = time.process_time() - t
    work = Path(tempfile.mkdtemp(prefix="search-cost-", dir=site.parent))
    peaks = work / "pagefind-peaks"
    wrapper = work / "pagefind"
    if Path("/usr/bin/time").is_file():
        program = search.pagefind_program()
        wrapper.write_text(f'#!/bin/sh\nexec /usr/bin/time -f %M -a -o {peaks} {" ".join(program)} "$@"\n',
                           encoding="utf-8")
        wrapper.chmod(0o755)
        os.environ["PAGEFIND_BINARY_PATH"] = str(wrapper)
    try:
        for relative, _ in pages:  # the folders of the pages (empty): what finish() walks for pages not given
            (work / relative).parent.mkdir(parents=True, exist_ok=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        mine = resource.getrusage(resource.RUSAGE_SELF)
        t, wall = time.process_time(), time.perf_counter()
        indexer = search.Indexer(work, [relative for relative, _ in pages])
        for relative, part in parts:
            indexer.take(relative, part)
        index = indexer.finish()
        own, wall = time.process_time() - t, time.perf_counter() - wall
        end = resource.getrusage(resource.RUSAGE_SELF)
        user, system = end.ru_utime - mine.ru_utime, end.ru_stime - mine.ru_stime
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        files = [p for p in index.folder.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        peak_kb = max((int(line) for line in peaks.read_text().split() if line.isdigit()), default=0) if peaks.is_file() else 0
    finally:
        os.environ.pop("PAGEFIND_BINARY_PATH", None)
        shutil.rmtree(work, ignore_errors=True)
    pagefind = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"pages": n, "indexed": index.pages, "parts": len(index.parts), "cut_ms": cut / n * 1000,
            "parse_ms": parse / n * 1000, "indexer_ms": own / n * 1000, "pagefind_ms": pagefind / n * 1000,
            "indexer_user_ms": user / n * 1000, "indexer_sys_ms": system / n * 1000,
            "pagefind_user_ms": (after.ru_utime - before.ru_utime) / n * 1000,
            "pagefind_sys_ms": (after.ru_stime - before.ru_stime) / n * 1000,
            "pagefind_peak_mb": peak_kb / 1024, "children_maxrss_mb": after.ru_maxrss / 1024,
            "index_kb": size / 1024, "index_files": len(files),
            "wall_s": wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("sites", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    print(f"gongkai from {Path(search.__file__).parent}", flush=True)
    for site in args.sites:
        pages = pages_of(site)
        figures = []
        for _ in range(args.runs):
            load = os.getloadavg()[0]
            f = measure(site, pages)
            figures.append(f)
            print(f"{site.name}: {f['pages']:.0f} pages, {f['indexed']:.0f} indexed in {f['parts']:.0f} parts; "
                  f"ms/page: cut {f['cut_ms']:.2f}, indexer {f['indexer_ms']:.2f} (user {f['indexer_user_ms']:.2f}, "
                  f"sys {f['indexer_sys_ms']:.2f}; of which parse {f['parse_ms']:.2f}), "
                  f"Pagefind {f['pagefind_ms']:.2f} (user {f['pagefind_user_ms']:.2f}, sys {f['pagefind_sys_ms']:.2f}); "
                  f"Pagefind peak {f['pagefind_peak_mb']:.0f} MB (children's ru_maxrss {f['children_maxrss_mb']:.0f}); "
                  f"index {f['index_kb']:.0f} KB in {f['index_files']:.0f} files; wall {f['wall_s']:.1f} s; "
                  f"load {load:.1f} → {os.getloadavg()[0]:.1f}", flush=True)
        if args.runs > 1:
            print("  medians: " + ", ".join(f"{k} {statistics.median(f[k] for f in figures):.2f}"
                                           for k in ("cut_ms", "parse_ms", "indexer_ms", "pagefind_ms", "pagefind_peak_mb")), flush=True)


if __name__ == "__main__":
    main()
