"""The files worker's attachments, piece by piece: CPU ms per report of ``rendered``, the fragment, the
one-file page, the Word document, the worker's transport (``offload.dumps``/``loads``), and the worker
as a whole (a real ``Offload`` with a worker process: the child's CPU), on a cached portal.

    .venv/bin/python bench/attachcost.py /work/benchcache/province-n1000-seed2024-v2 --runs 3

CPU time only (``time.process_time``; the worker's from ``RUSAGE_CHILDREN``), medians of the runs.
"""

from __future__ import annotations

import argparse
import os
import resource
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("portal", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-worker", action="store_true", help="only the in-process pieces")
    parser.add_argument("--open-data", action="store_true", help="the worker also writes open data")
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
