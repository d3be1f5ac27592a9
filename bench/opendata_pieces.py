"""Open data's own CPU time, piece by piece, in process (issue 11).

`.venv/bin/python bench/opendata_pieces.py [--reports DIR] [--rounds N]` loads a portal (default:
the benchmark's 1,000-report province portal), then times with ``time.process_time`` each piece
of work open data adds to a build, over every report: a report's CSV and JSON (``rendered``, its
three parts apart), its workbook, writing its three files and its share of the dataset
(``offload.FilesWriter``, open data only, into a new folder), the report page's extras (year-over-year
table and download links), the agencies' trend charts, the pages open data adds (their Markdown),
``reports.json`` and ``datapackage.json``. Each piece is timed ``--rounds`` times (the median is
printed, in ms per report). The code timed is the installed ``gongkai``: run it with another
checkout's venv to compare (A/B).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

DEFAULT_PORTAL = Path("/work/benchcache/province-n1000-seed2024-v2/reports")


def _timed(work: Callable[[], object], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.process_time()
        work()
        out.append(time.process_time() - start)
    return out


def _profiled(work: Callable[[], object], path: Path) -> None:
    """One more run of ``work`` under cProfile, its statistics saved to ``path`` (the top lines printed)."""
    import cProfile
    import pstats

    path.parent.mkdir(parents=True, exist_ok=True)
    profile = cProfile.Profile()
    profile.runcall(work)
    profile.dump_stats(path)
    pstats.Stats(str(path)).sort_stats("tottime").print_stats(12)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=Path, default=DEFAULT_PORTAL, help="the portal's reports folder")
    parser.add_argument("--rounds", type=int, default=3, help="timings of each piece (default: %(default)s)")
    parser.add_argument("--only", default="", help="comma-separated piece names (default: all)")
    parser.add_argument("--profile", type=Path, default=None,
                        help="write a cProfile of each piece timed (one more round) to this folder")
    args = parser.parse_args(argv)

    import gongkai
    from gongkai.collection import load_portal
    from gongkai.indexing import Layout, build_index
    from gongkai.offload import FilesWriter, Plan
    from gongkai.opendata import dataset, exports
    from gongkai.opendata.site import OpenData
    from gongkai.pages.templates import make_environment

    portal = load_portal([args.reports])
    index = build_index(portal.reports, portal.roster)
    layout = Layout("reports")
    reports = list(index.reports)
    n = len(reports)
    env = make_environment()
    print(f"gongkai from {Path(gongkai.__file__).parent}; {n} reports", flush=True)

    def opendata() -> OpenData:
        return OpenData(index, layout, portal.roster, portal.findings, True)

    made = {id(r): exports.rendered(r) for r in reports}
    sizes = {id(r): (len(made[id(r)].csv), 1000, len(made[id(r)].json) + 1) for r in reports}

    def states() -> None:
        for r in reports:
            exports.report_states(r)

    def csv() -> None:
        for r in reports:
            exports.csv_bodies(r, (exports.REPORT_CSV, exports.DATASET_CSV), made[id(r)].states.states)

    def json_text() -> None:
        for r in reports:
            exports.report_json_text(r, made[id(r)].states.states)

    def rendered() -> None:
        for r in reports:
            exports.rendered(r)

    def xlsx() -> None:
        for r in reports:
            exports.report_xlsx(r, source=r.title, states=made[id(r)].states)

    def files() -> None:
        folder = Path(tempfile.mkdtemp(prefix="odpieces-", dir=args.out_dir))
        writer = FilesWriter(Plan(str(folder), layout, open_data=True, attachments=False))
        writer.open()
        for r in reports:
            writer.write(r)
        writer.finish()

    def extras() -> None:
        od = opendata()
        od.offloaded = lambda r: sizes[id(r)]
        for r in reports:
            od.report_extras(r, env)

    def trends() -> None:
        od = opendata()
        for group in index.agencies:
            od.agency_trends(group, env)

    def pages() -> None:
        od = opendata()
        for _, markdown, _ in od.pages(env):
            markdown()

    def indexes() -> None:
        od = opendata()
        dataset.to_json(od.reports_index())
        dataset.to_json(dataset.datapackage(od.title, n))

    pieces: dict[str, Callable[[], None]] = {
        "states (each cell's value, status)": states, "CSV, both variants": csv, "JSON": json_text,
        "rendered (CSV + JSON + states)": rendered, "XLSX": xlsx,
        "files: make + write (CSV, XLSX, JSON, dataset)": files, "report extras": extras,
        "agency trends": trends, "open data pages (Markdown)": pages, "reports.json + datapackage": indexes,
    }
    only = [p for p in args.only.split(",") if p]
    tmp = Path(tempfile.mkdtemp(prefix="odpieces-"))
    args.out_dir = str(tmp)
    try:
        for name, work in pieces.items():
            if only and not any(o in name for o in only):
                continue
            times = _timed(work, args.rounds)
            if args.profile is not None:
                _profiled(work, args.profile / (name.split(" (")[0].split(":")[0].replace(" ", "-") + ".prof"))
            print(f"{name:<48} {1000 * statistics.median(times) / n:7.3f} ms/report  (min {1000 * min(times) / n:.3f})",
                  flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
