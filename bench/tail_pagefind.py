"""What one run of Pagefind's service is made of (issue 14, the search index's serial end): its
CPU while it takes the pages (``AddFile``: parsing, Chinese segmentation) against its final
build (``GetFiles``: the index made and handed over), the indexer's writing of the files, and
Pagefind's peak memory (``VmHWM``), for a run of N pages of a built site.

    .venv/bin/python bench/tail_pagefind.py SITE [--pages 1800] [--year 2019] [--runs 3]

The pages are the site's indexed pages (of ``--year`` only, when given), cut to ``--pages``,
made into small pages as the build does (``search.digest_html``), given in ``pagefind_order``.
Pagefind's CPU is read from ``/proc/<pid>/stat`` just before ``GetFiles`` is sent and when it ends.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from gongkai import search

TICK = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def small_pages(site: Path, year: int | None, limit: int) -> list[tuple[str, str]]:
    pages = []
    for relative, path in search._pages(site):
        if year is not None and search.page_year(relative) != year:
            continue
        d = search.digest(path.read_text(encoding="utf-8"))
        if d is not None and (d.title or d.blocks):
            pages.append((relative, search.digest_html(d, search.page_year(relative))))
    return sorted(pages, key=lambda p: search.pagefind_order(p[0]))[:limit]


def run(pages: list[tuple[str, str]], output: Path) -> dict[str, float]:
    """One service run: the figures of its two steps."""
    process = subprocess.Popen(search.pagefind_service_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    assert process.stdin is not None and process.stdout is not None
    stdin, stdout = process.stdin, process.stdout
    wall = time.perf_counter()
    requests = [search._message(0, {"type": "NewIndex", "config": {"force_language": search.LANGUAGE}})]
    requests.extend(search._message(n, {"type": "AddFile", "index_id": 0, "file_path": relative,
                                        "file_contents": page}) for n, (relative, page) in enumerate(pages, 1))
    stdin.write(b"".join(requests[:search._IN_FLIGHT]))
    stdin.flush()
    sent = search._IN_FLIGHT
    figures: dict[str, float] = {}
    for answered, payload in enumerate(search._answers(stdout.fileno()), 1):
        if sent < len(requests):
            stdin.write(requests[sent])
            stdin.flush()
            sent += 1
        if answered == len(requests):  # every page taken: the build step
            figures["add_cpu"], figures["add_wall"] = _cpu(process.pid), time.perf_counter() - wall
            stdin.write(search._message(len(requests), {"type": "GetFiles", "index_id": 0}))
            stdin.flush()
        elif payload.get("type") == "GetFiles":
            figures["build_cpu"] = _cpu(process.pid) - figures["add_cpu"]
            figures["build_wall"] = time.perf_counter() - wall - figures["add_wall"]
            figures["peak_mb"] = _peak_mb(process.pid)
            t, w = time.process_time(), time.perf_counter()
            files = payload.get("files") or []
            search._write_index(files, output)
            figures["write_cpu"], figures["write_wall"] = time.process_time() - t, time.perf_counter() - w
            figures["files"] = len(files)
            break
    stdin.close()
    process.wait()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--pages", type=int, default=search.PART_PAGES)
    parser.add_argument("--year", type=int)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    pages = small_pages(args.site, args.year, args.pages)
    rows = []
    for _ in range(args.runs):
        out = Path(tempfile.mkdtemp(prefix="tail-pagefind-"))
        load = os.getloadavg()[0]
        try:
            f = run(pages, out)
        finally:
            shutil.rmtree(out, ignore_errors=True)
        rows.append(f)
        print(f"{len(pages)} pages: AddFile {f['add_cpu']:.2f} s CPU ({f['add_wall']:.2f} wall), GetFiles "
              f"{f['build_cpu']:.2f} s CPU ({f['build_wall']:.2f} wall), writing {f['files']:.0f} files "
              f"{f['write_cpu']:.2f} s CPU ({f['write_wall']:.2f} wall); peak {f['peak_mb']:.0f} MB; load {load:.1f}",
              flush=True)
    if len(rows) > 1:
        print("medians: " + ", ".join(f"{k} {statistics.median(r[k] for r in rows):.2f}" for k in rows[0]))


if __name__ == "__main__":
    main()
