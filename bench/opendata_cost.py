"""What open data costs a build: the same synthetic portal built with and without it.

`.venv/bin/python bench/opendata_cost.py` writes the 1,000-report synthetic portal of the
benchmark (``synth.write_portal``) once, with two configurations that differ only in the
gongkai option ``open_data`` (true / false), then builds it alternately with and without open
data (``--runs`` builds each, in the order with, without, without, with, … so that a drift of
the shared machine falls on both sides), each in its own child process. For each build it
takes the child's CPU time (user + system, ``os.wait4``: the child's own and that of the
processes it waited for, Pagefind included) and its peak RSS; it prints the median and the
spread (min–max) of each side and the ratio of the medians, and writes them to
``<out>/opendata-cost.json``. CPU time, not wall time, is the figure: the machine is shared.

``--profile`` also prints a cProfile of one in-process build with open data (the functions of
``gongkai.opendata`` and their callees by cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

MKDOCS = [sys.executable, "-m", "mkdocs"]
CONFIGS = {True: "mkdocs-with-opendata.yml", False: "mkdocs-without-opendata.yml"}
ALLOWANCE = 1.15  # issue 11: open data stays within 15 % of the build without it


@dataclass(frozen=True)
class Run:
    open_data: bool
    cpu_s: float  # user + system of the child (and of the processes it waited for)
    system_s: float  # the system part of it (writing files)
    wall_s: float
    peak_rss_mb: float  # of the mkdocs process itself
    returncode: int


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000, help="portal size (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=5, help="builds with and builds without open data (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "opendata-cost",
                        help="work folder and results (default: bench/out/opendata-cost)")
    parser.add_argument("--no-search", action="store_true", help="both builds without the Pagefind index")
    parser.add_argument("--profile", action="store_true", help="also profile one in-process build with open data")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed for one build")
    return parser.parse_args(argv)


def write_portal(root: Path, n: int, search: bool) -> None:
    """The synthetic portal and one configuration per side (the same but for ``open_data``)."""
    shutil.rmtree(root, ignore_errors=True)
    synth.write_portal(root, n)
    for open_data, name in CONFIGS.items():
        # Attachments (Word, one-file page) are listed with open data's downloads: left out of both sides,
        # so that the difference is open data's alone (bench/attachments.py measures them).
        options = {"open_data": open_data, "search": search, "attachments": False}
        config = synth.site_config(gongkai=True, plugin_options=options)
        (root / name).write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def build(root: Path, open_data: bool, timeout: float) -> Run:
    """One ``mkdocs build`` in a child process, into a site folder of its side."""
    site = root / ("site-with" if open_data else "site-without")
    shutil.rmtree(site, ignore_errors=True)
    log_path = root / f"{site.name}.log"
    with open(log_path, "w", encoding="utf-8") as log:
        start = time.perf_counter()
        child = subprocess.Popen([*MKDOCS, "build", "-q", "-f", str(root / CONFIGS[open_data]), "-d", str(site)],
                                 stdout=log, stderr=subprocess.STDOUT, cwd=root)
        timer = threading.Timer(timeout, child.kill)  # a build past its time is stopped
        timer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)  # the child's own rusage (and its waited-for children's)
        finally:
            timer.cancel()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        print(log_path.read_text(encoding="utf-8", errors="replace")[-3000:], file=sys.stderr)
    return Run(open_data, usage.ru_utime + usage.ru_stime, usage.ru_stime, time.perf_counter() - start,
               usage.ru_maxrss / 1024, code)


def order(runs: int) -> list[bool]:
    """with, without, without, with, with, without, …: each side as often first as second."""
    out: list[bool] = []
    for i in range(runs):
        out.extend((True, False) if i % 2 == 0 else (False, True))
    return out


def side(runs: list[Run]) -> dict[str, float]:
    cpu = [r.cpu_s for r in runs]
    rss = [r.peak_rss_mb for r in runs]
    system = [r.system_s for r in runs]
    return {"runs": len(runs), "cpu_median_s": statistics.median(cpu), "cpu_min_s": min(cpu), "cpu_max_s": max(cpu),
            "system_median_s": statistics.median(system), "rss_median_mb": statistics.median(rss), "rss_max_mb": max(rss),
            "wall_median_s": statistics.median(r.wall_s for r in runs)}


def summary(runs: list[Run]) -> dict[str, Any]:
    with_, without = side([r for r in runs if r.open_data]), side([r for r in runs if not r.open_data])
    ratio = with_["cpu_median_s"] / without["cpu_median_s"]
    # Each build with open data against the build without it next to it (the same moment's load).
    pairs = [a.cpu_s / b.cpu_s for a, b in zip(runs[0::2], runs[1::2])]
    pairs = [p if a.open_data else 1 / p for p, a in zip(pairs, runs[0::2])]
    return {"with": with_, "without": without, "ratio": ratio, "pair_ratios": pairs,
            "pair_ratio_median": statistics.median(pairs), "allowance": ALLOWANCE, "within": ratio <= ALLOWANCE}


def profile(root: Path, top: int = 40) -> str:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    cwd = os.getcwd()
    os.chdir(root)
    try:
        config = load_config(config_file=str(root / CONFIGS[True]), site_dir=str(root / "site-profile"))
        profiler = cProfile.Profile()
        profiler.enable()
        mkdocs_build(config)
        profiler.disable()
    finally:
        os.chdir(cwd)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats("opendata|openpyxl|zipfile", top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    root = args.out / f"n{args.reports}"
    print(f"writing the {args.reports}-report portal in {root}", flush=True)
    write_portal(root, args.reports, search=not args.no_search)
    runs: list[Run] = []
    for open_data in order(args.runs):
        run = build(root, open_data, args.timeout)
        if run.returncode != 0:
            print(f"build {'with' if open_data else 'without'} open data failed ({run.returncode})", file=sys.stderr)
            return 1
        runs.append(run)
        print(f"  {'with   ' if open_data else 'without'} open data: CPU {run.cpu_s:6.1f} s (system {run.system_s:4.1f} s), "
              f"wall {run.wall_s:6.1f} s, "
              f"peak RSS {run.peak_rss_mb:5.0f} MB", flush=True)
    result = summary(runs)
    result["reports"] = args.reports
    result["search"] = not args.no_search
    result["builds"] = [asdict(r) for r in runs]
    for name in ("without", "with"):
        s = result[name]
        print(f"{name:>7} open data: CPU median {s['cpu_median_s']:.1f} s (min {s['cpu_min_s']:.1f}, "
              f"max {s['cpu_max_s']:.1f}), peak RSS median {s['rss_median_mb']:.0f} MB")
    print(f"ratio of the medians: {result['ratio']:.3f} (pairs: median {result['pair_ratio_median']:.3f}, "
          + ", ".join(f"{p:.3f}" for p in result["pair_ratios"]) + f"); allowance {ALLOWANCE:.2f}: "
          + ("within" if result["within"] else "OVER"))
    if args.profile:
        text = profile(root)
        (args.out / "profile.txt").write_text(text, encoding="utf-8")
        print(text)
    (args.out / "opendata-cost.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
