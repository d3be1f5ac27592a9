"""CPU of the build process, phase by phase, for two versions of the code, alternated (A B B A …).

    .venv/bin/python bench/narrfast_shell.py --portal DIR --other SRC [--runs 3]

``DIR`` holds a portal's ``mkdocs.yml`` (``bench/run.py --profile`` leaves one in
``<out>/n1000/gongkai``); ``SRC`` is another checkout's root (``git archive main | tar -x -C SRC``),
whose ``plugins/`` is put first on ``PYTHONPATH`` for its runs. Each run is an in-process build in a
child (``bench/phases.py``, search on as the portal says); prints each side's median per phase, in
ms per report, with the load average of each run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHILD = """
import json, sys
sys.path.insert(0, sys.argv[3])
import phases
times = phases.phase_times(__import__("pathlib").Path(sys.argv[1]), __import__("pathlib").Path(sys.argv[2]))
print("PHASES " + json.dumps(times))
"""


def one_run(portal: Path, src: Path | None) -> tuple[dict[str, float], float]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if src is not None:
        env["PYTHONPATH"] = str(src / "plugins")
    load = os.getloadavg()[0]
    site = Path(tempfile.mkdtemp(prefix="shell-site-"))
    try:
        out = subprocess.run([sys.executable, "-c", CHILD, str(portal / "mkdocs.yml"), str(site), str(HERE)],
                             env=env, capture_output=True, text=True, check=True).stdout
    finally:
        shutil.rmtree(site, ignore_errors=True)
    line = next(x for x in out.splitlines() if x.startswith("PHASES "))
    return json.loads(line[len("PHASES "):]), load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portal", type=Path, required=True)
    parser.add_argument("--other", type=Path, required=True, help="the other checkout's root (side A)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reports", type=int, default=1000)
    args = parser.parse_args()
    sides: dict[str, list[dict[str, float]]] = {"A (other)": [], "B (this)": []}
    loads: dict[str, list[float]] = {name: [] for name in sides}
    order = [name for i in range(args.runs) for name in (("A (other)", "B (this)") if i % 2 == 0
                                                          else ("B (this)", "A (other)"))]
    for name in order:
        times, load = one_run(args.portal, args.other if name.startswith("A") else None)
        sides[name].append(times)
        loads[name].append(load)
        total = sum(times.values())
        print(f"{name}: total {total / args.reports * 1000:.2f} ms/report, load {load:.1f}", flush=True)
    labels = sorted({label for runs in sides.values() for times in runs for label in times},
                    key=lambda label: -statistics.median(t.get(label, 0.0) for t in sides["A (other)"]))
    print(f"\n{'phase':<48} {'A median':>9} {'B median':>9}   (ms/report, {args.runs} runs each)")
    for label in [*labels, "total"]:
        cells = []
        for runs in sides.values():
            values = [sum(t.values()) if label == "total" else t.get(label, 0.0) for t in runs]
            cells.append(statistics.median(values) / args.reports * 1000)
        print(f"{label:<48} {cells[0]:9.2f} {cells[1]:9.2f}")
    for name, values in loads.items():
        print(f"load average before each {name} run: " + ", ".join(f"{v:.1f}" for v in values))


if __name__ == "__main__":
    main()
