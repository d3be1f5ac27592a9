"""The loading phase alone (``collection.ReportStore.load``), cold and warm, this tree against another.

``bench/load_cold.py --portal /work/benchcache/province-n10000-seed2024-v2 --against /work/main --runs 3``
loads the portal's ``reports/`` as a build does (``ReportStore(base).load([reports])``, the
worker process included) in a fresh Python per run, once per tree, the trees alternated (A/B/A/B…).
A cold run first evicts every file of the portal from the page cache with
``posix_fadvise(POSIX_FADV_DONTNEED)`` (never ``drop_caches``: other programs measure too);
folders and inodes may stay cached. With ``--image IMG`` (an ext4 image mounted with ``-o loop`` at a
folder holding the portal) a cold run unmounts it, evicts the image and mounts it again: folders
and inodes are cold too, as after a large build. Each run prints its wall time and CPU (the build process, the
worker: what its children used; and how long the build process's main thread was blocked, neither
running nor waiting for a core: the disk, the worker's last chunk), and the medians per tree and temperature end the output.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TREE = HERE.parent

_CHILD = r"""
import gc, json, resource, sys, time
from pathlib import Path
import gongkai.collection as collection
portal = Path(sys.argv[1])
def sched():
    with open("/proc/thread-self/schedstat") as f:
        run, wait, _ = f.read().split()
    return int(run) / 1e9, int(wait) / 1e9
run0, wait0 = sched()
wall0, cpu0 = time.perf_counter(), time.process_time()
result = collection.ReportStore(portal).load([portal / "reports"])
wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
run1, wait1 = sched()
blocked = wall - (run1 - run0) - (wait1 - wait0)  # the main thread off the CPU and not waiting for one
children = resource.getrusage(resource.RUSAGE_CHILDREN)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"wall": wall, "cpu": cpu, "worker": children.ru_utime + children.ru_stime,
                  "blocked": blocked, "reports": len(result.reports), "findings": len(result.findings),
                  "module": collection.__file__, "rss_mib": peak / 1024, "worker_rss_mib": children.ru_maxrss / 1024}))
"""


def evict(folder: Path) -> int:
    """Every file under ``folder`` dropped from the page cache (as far as the kernel allows); their count."""
    count = 0
    for here, _, files in os.walk(folder):
        for name in files:
            try:
                fd = os.open(os.path.join(here, name), os.O_RDONLY)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                count += 1
            finally:
                os.close(fd)
    return count


def remount(image: Path, mountpoint: Path) -> None:
    """The image's file system unmounted (its caches go with it), the image evicted, mounted again."""
    subprocess.run(["umount", str(mountpoint)], check=True)
    fd = os.open(image, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
    subprocess.run(["mount", "-o", "loop", str(image), str(mountpoint)], check=True)


def mountpoint_of(folder: Path) -> Path:
    folder = folder.resolve()
    while not os.path.ismount(folder):
        folder = folder.parent
    return folder


def run(tree: Path, portal: Path, python: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree / "plugins")}
    out = subprocess.run([python, "-c", _CHILD, str(portal)], env=env, check=True, capture_output=True, text=True,
                         cwd=tree)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--portal", type=Path, default=Path("/work/benchcache/province-n10000-seed2024-v2"))
    parser.add_argument("--against", type=Path, default=Path("/work/main"), help="the other tree (B)")
    parser.add_argument("--runs", type=int, default=3, help="runs per tree and temperature")
    parser.add_argument("--temperatures", default="cold,warm")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--image", type=Path, help="an ext4 image mounted (-o loop) where the portal lies: remounted cold")
    args = parser.parse_args()
    trees = {"this": TREE, "against": args.against.resolve()}
    figures: dict[tuple[str, str], list[dict[str, float]]] = {}
    for temperature in args.temperatures.split(","):
        if temperature == "warm":
            run(TREE, args.portal, args.python)  # the files in the cache
        for number in range(args.runs):
            order = list(trees.items()) if number % 2 == 0 else list(reversed(trees.items()))
            for name, tree in order:
                if temperature == "cold" and args.image is not None:
                    remount(args.image, mountpoint_of(args.portal))
                elif temperature == "cold":
                    evict(args.portal)
                result = run(tree, args.portal, args.python)
                figures.setdefault((name, temperature), []).append(result)
                print(f"{temperature} {name:8} wall {result['wall']:6.2f} s  build process {result['cpu']:6.2f} s"
                      f"  worker {result['worker']:6.2f} s  blocked {result['blocked']:5.2f} s  reports {result['reports']:.0f}"
                      f"  findings {result['findings']:.0f}  rss {result['rss_mib']:.0f}/{result['worker_rss_mib']:.0f} MiB",
                      flush=True)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    for (name, temperature), results in sorted(figures.items(), key=lambda item: (item[0][1], item[0][0])):
        median = {key: statistics.median(r[key] for r in results) for key in ("wall", "cpu", "worker", "blocked")}
        print(f"median {temperature} {name:8} wall {median['wall']:6.2f} s"
              f"  CPU {median['cpu'] + median['worker']:6.2f} s (build process {median['cpu']:.2f},"
              f" worker {median['worker']:.2f}), blocked {median['blocked']:.2f} s, {len(results)} runs")


if __name__ == "__main__":
    main()
