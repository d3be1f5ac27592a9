"""Load + validate of a benchmark portal (``ReportStore.load``), in one process and in two (``loading_pool``).

Each run is a fresh process (nothing cached), modes interleaved: wall time, CPU of the loading process
and of its worker (``RUSAGE_CHILDREN``), peak RSS of both, per report; medians over ``--runs``.
``--memory`` adds what the loaded reports hold (tracemalloc, after the load) per report.

    .venv/bin/python bench/load_cost.py --portal /work/benchcache/province-n1000-seed2024-v2 --runs 3 --memory
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

MODES = ("serial", "parallel")


def one_run(portal: Path, mode: str, memory: bool) -> dict[str, float]:
    """In this process: one load of the portal (``mode``), its figures."""
    import gc
    import tracemalloc

    from gongkai.collection import ReportStore

    store = ReportStore(portal)
    if hasattr(store, "parallel"):  # (an older tree, e.g. with PYTHONPATH=<its plugins>, reads in one process)
        store.parallel, store.parallel_from = mode == "parallel", 1
    if memory:
        tracemalloc.start()
    cpu, wall = time.process_time(), time.perf_counter()
    loaded = store.load([portal / "reports"])
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    n = len(loaded.reports)
    held = 0.0
    if memory:
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] / n
        values = sum(_size_of_values(r.values) for r in loaded.reports) / n
        tracemalloc.stop()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"reports": n, "findings": len(loaded.findings), "wall_ms": wall / n * 1000, "cpu_ms": cpu / n * 1000,
            "worker_cpu_ms": (children.ru_utime + children.ru_stime) / n * 1000,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "worker_rss_mb": children.ru_maxrss / 1024,
            **({"bytes_per_report": held, "values_bytes_per_report": values} if memory else {})}


def _size_of_values(values: Any) -> int:
    """The mapping and what it alone holds (small ints are shared by every report; a shared layout is not counted)."""
    numbers = list(values.values())
    own = sys.getsizeof(values) + (sys.getsizeof(values._numbers) if hasattr(values, "_numbers") else 0)
    return own + sum(sys.getsizeof(v) for v in numbers if not (isinstance(v, int) and -5 <= v <= 256))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--portal", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--memory", action="store_true", help="also bytes held per report (tracemalloc: slower)")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--one", choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.portal, args.one, args.memory)))
        return 0
    runs: dict[str, list[dict[str, float]]] = {mode: [] for mode in args.modes}
    load = os.getloadavg()[0]
    for _ in range(args.runs):
        for mode in args.modes:
            out = subprocess.run([sys.executable, __file__, "--portal", str(args.portal), "--one", mode],
                                 capture_output=True, text=True, check=True).stdout
            runs[mode].append(json.loads(out))
    if args.memory:
        for mode in args.modes:
            out = subprocess.run([sys.executable, __file__, "--portal", str(args.portal), "--one", mode, "--memory"],
                                 capture_output=True, text=True, check=True).stdout
            memory = json.loads(out)
            runs[mode][0].update({k: memory[k] for k in ("bytes_per_report", "values_bytes_per_report")})
    print(f"{args.portal.name}: {args.runs} runs per mode, load average {load:.1f} → {os.getloadavg()[0]:.1f}")
    for mode in args.modes:
        first = runs[mode][0]
        med = {k: statistics.median(r[k] for r in runs[mode]) for k in ("wall_ms", "cpu_ms", "worker_cpu_ms")}
        line = (f"{mode:<9} {int(first['reports'])} reports, {int(first['findings'])} findings: wall {med['wall_ms']:.2f} "
                f"ms/report, CPU {med['cpu_ms']:.2f} + worker {med['worker_cpu_ms']:.2f} ms/report, peak RSS "
                f"{max(r['rss_mb'] for r in runs[mode]):.0f} MB + worker {max(r['worker_rss_mb'] for r in runs[mode]):.0f} MB")
        if "bytes_per_report" in first:
            line += f", held {first['bytes_per_report'] / 1024:.1f} KB/report (values {first['values_bytes_per_report'] / 1024:.1f})"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
