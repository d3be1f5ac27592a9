"""The files worker's attachments, piece by piece: CPU ms per report of ``rendered``, the fragment, the
one-file page, the Word document, the worker's transport (``offload.dumps``/``loads``), and the worker
as a whole (a real ``Offload`` with a worker process: the child's CPU), on a cached portal.

    .venv/bin/python bench/attachcost.py /work/benchcache/province-n1000-seed2024-v2 --runs 3
    .venv/bin/python bench/attachcost.py - --build PORTAL/mkdocs-w1.yml --site /tmp/site --runs 2

CPU time only (``time.process_time``; the worker's from ``RUSAGE_CHILDREN``), medians of the runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gongkai import offload
from gongkai.collection import load_portal
from gongkai.embedding import rendered, report_docx, report_fragment, report_page_html
from gongkai.indexing import Layout
from gongkai.model import Report


def _timed(reports: list[Report], step: Callable[[Any], object], inputs: list[Any]) -> float:
    start = time.process_time()
    for item in inputs:
        step(item)
    return (time.process_time() - start) * 1000 / len(reports)


def pieces(reports: list[Report]) -> dict[str, float]:
    done = [rendered(r) for r in reports]
    fragments = [report_fragment(d) for d in done]
    pickled = [offload.dumps(r) for r in reports]
    return {
        "rendered()": _timed(reports, rendered, reports),
        "report_fragment": _timed(reports, report_fragment, done),
        "report_page_html": _timed(reports, lambda pair: report_page_html(*pair), list(zip(done, fragments))),
        "report_docx": _timed(reports, report_docx, done),
        "transport: dumps (build side)": _timed(reports, offload.dumps, reports),
        "transport: loads (worker side)": _timed(reports, offload.loads, pickled),
        "pickled KB per report": sum(len(p) for p in pickled) / len(reports) / 1024,
    }


def worker(reports: list[Report], *, open_data: bool, attachments: bool) -> dict[str, float]:
    """A real worker over the reports: its CPU (child), and the build side's (feeder thread, waits)."""
    with tempfile.TemporaryDirectory(prefix="attachcost-", dir=os.environ.get("ATTACHCOST_TMP")) as site:
        plan = offload.Plan(site, Layout(), open_data=open_data, attachments=attachments)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        own = time.process_time()
        job = offload.Offload(plan, reports, worker=True)
        job.start()
        for report in reports:
            job.sizes(report)
        job.finish()
        own = time.process_time() - own
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"worker (child) total": child * 1000 / len(reports), "build side (feeder + waits)": own * 1000 / len(reports)}


def build(config: Path, site: Path) -> dict[str, float]:
    """One in-process ``mkdocs build`` of ``config`` (``workers: 1``, ``search: false``: its one child is
    the files worker): the build's own CPU and the worker's, ms per report."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    cwd = os.getcwd()
    os.chdir(config.parent)
    try:
        cfg = load_config(config_file=str(config), site_dir=str(site))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        own = time.process_time()
        cfg.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build`: staged, the worker used
        try:
            mkdocs_build(cfg)
        finally:
            cfg.plugins.on_shutdown()
        own = time.process_time() - own
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    finally:
        os.chdir(cwd)
    n = len(list((config.parent / "reports").rglob("*.yml")))
    child = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"build: main process": own * 1000 / n, "build: files worker": child * 1000 / n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("portal", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-worker", action="store_true", help="only the in-process pieces")
    parser.add_argument("--open-data", action="store_true", help="the worker also writes open data")
    parser.add_argument("--build", type=Path, metavar="MKDOCS_YML",
                        help="instead: in-process builds of this config (workers: 1, search: false) into --site")
    parser.add_argument("--site", type=Path, help="where --build writes (deleted after each run)")
    args = parser.parse_args()
    if args.build is not None:
        _builds(args.build, args.site, args.runs)
        return
    portal = load_portal([args.portal / "reports"], base=args.portal)
    reports = sorted(portal.reports, key=lambda r: r.key)
    pieces(reports[:20])  # caches, imports
    runs: dict[str, list[float]] = {}
    for _ in range(args.runs):
        figures = pieces(reports)
        if not args.no_worker:
            figures.update(worker(reports, open_data=args.open_data, attachments=True))
        for name, value in figures.items():
            runs.setdefault(name, []).append(value)
    print(f"{len(reports)} reports, {args.runs} runs, load average {os.getloadavg()[0]:.2f}")
    for name, values in runs.items():
        print(f"{name:36} {statistics.median(values):8.2f}   ({', '.join(f'{v:.2f}' for v in values)})")


def _builds(config: Path, site: Path, runs: int) -> None:
    figures: dict[str, list[float]] = {}
    for _ in range(runs):
        for name, value in build(config.resolve(), site.resolve()).items():
            figures.setdefault(name, []).append(value)
        shutil.rmtree(site, ignore_errors=True)
    print(f"{config}: {runs} builds, load average {os.getloadavg()[0]:.2f}")
    for name, values in figures.items():
        print(f"{name:36} {statistics.median(values):8.2f}   ({', '.join(f'{v:.2f}' for v in values)})")


if __name__ == "__main__":
    main()
