"""What open data costs a build: the same synthetic portal built with and without it.

`.venv/bin/python bench/opendata_cost.py` writes the 1,000-report synthetic portal of the
benchmark (``synth.write_portal``) once, with two configurations that differ only in the
gongkai option ``open_data`` (true / false), then builds it alternately with and without open
data (``--runs`` builds each, in the order with, without, without, with, … so that a drift of
the shared machine falls on both sides), each in its own child process. For each build it
takes the child's CPU time (user + system, ``os.wait4``: the child's own and that of the
processes it waited for, Pagefind and gongkai's worker process included), its wall time, the
mkdocs process's own peak RSS and the whole build's (the sum of the RSS of mkdocs and every process
under it, sampled every 0.1 s: ``measure.run_build``); it prints the median and the spread (min–max)
of each side and the ratios of the medians (CPU and wall), and writes them to
``<out>/opendata-cost.json``. CPU time is the figure of a shared machine; wall time shows what the
worker process (plugin option ``workers``, ``--workers``) takes off the build on a second core.

Each build writes a new site folder, and the folders are removed after the last build: on an
ext4 file system without a journal (this machine's), creating a file skips every inode of its
block group freed in the last 60-360 s (``recently_deleted``), so a build that follows the removal
of the last build's ~4,000 files pays ~1 ms of system time per file it creates (3 s per 1,000
reports with open data, against 0.5 s into a fresh folder). ``--delete-between`` removes each
side's last site just before its next build instead (how the figures before 2026-12-07 were taken).

``--against REV`` adds a third side: the same reports built by the code of a git revision (``git
archive`` of its ``plugins``, ``overrides``, ``bench`` and ``mkdocs.yml``, imported ahead of the
installed gongkai through ``PYTHONPATH``), configured as that revision's own benchmark configured its
portals (its ``synth.site_config``: its theme, its search). Issue 11 asks that open data's cost stay
within 15 % of "today's build": with ``--against 5e84416`` (main just before open data landed, the
day the issue was written) each round also compares the build with open data to that build.

``--profile`` also prints a cProfile of one in-process full build with open data (``workers: 0``:
the files are made in the profiled process; the functions of ``gongkai.opendata`` and their callees
by cumulative time).
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
import tarfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import measure  # noqa: E402
import synth  # noqa: E402

MKDOCS = [sys.executable, "-m", "mkdocs"]
CONFIGS = {True: "mkdocs-with-opendata.yml", False: "mkdocs-without-opendata.yml"}
PROFILE_CONFIG = "mkdocs-profile.yml"  # with open data, files made in process (workers: 0)
ALLOWANCE = 1.15  # issue 11: open data stays within 15 % of the build without it


@dataclass(frozen=True)
class Run:
    open_data: bool
    cpu_s: float  # user + system of the child (and of the processes it waited for)
    system_s: float  # the system part of it (writing files)
    wall_s: float
    peak_rss_mb: float  # of the mkdocs process itself
    returncode: int
    tree_rss_mb: float = 0.0  # the whole build: mkdocs and every process under it (worker, Pagefind), summed
    load: float = 0.0  # the 1-minute load average when the build started
    code: str = ""  # the git revision whose code built it (``--against``); "" for this checkout's
    pages: int = 0  # index.html files in its site (the sides build the same reports)

    @property
    def side(self) -> str:
        """"with" or "without" open data (this checkout's code), or "against" (``--against``)."""
        return "against" if self.code else "with" if self.open_data else "without"

    @property
    def user_s(self) -> float:
        """CPU time without the system part: the figure least moved by what else the machine's file system does."""
        return self.cpu_s - self.system_s


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000, help="portal size (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=5, help="builds with and builds without open data (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "opendata-cost",
                        help="work folder and results (default: bench/out/opendata-cost)")
    parser.add_argument("--no-search", action="store_true", help="both builds without the Pagefind index")
    parser.add_argument("--profile", action="store_true", help="also profile one in-process build with open data")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed for one build")
    parser.add_argument("--workers", default="auto", choices=("auto", "0", "1"),
                        help="the plugin option workers of both sides (default: %(default)s)")
    parser.add_argument("--delete-between", action="store_true",
                        help="remove each side's last site just before its next build (default: keep every site "
                             "until the last build is done)")
    parser.add_argument("--against", metavar="REV", default=None,
                        help="a third side: the same portal built by the code of this git revision (its own "
                             "configuration), e.g. 5e84416, main before open data landed")
    parser.add_argument("--attachments", action="store_true",
                        help="the build with open data also makes the attachments (off on both sides by default)")
    return parser.parse_args(argv)


def write_portal(root: Path, n: int, search: bool, workers: str = "auto", attachments: bool = False) -> None:
    """The synthetic portal and one configuration per side (the same but for ``open_data``)."""
    measure.set_aside(root, root.parent)  # deleted after the last build (measure.set_aside)
    synth.write_portal(root, n)
    sides = {**{CONFIGS[o]: (o, workers) for o in CONFIGS}, PROFILE_CONFIG: (True, 0)}
    for name, (open_data, side_workers) in sides.items():
        # Attachments (Word, one-file page) are listed with open data's downloads: left out of both sides,
        # so that the difference is open data's alone (bench/attachments.py measures them).
        options: dict[str, Any] = {"open_data": open_data, "search": search, "attachments": attachments and open_data}
        if side_workers != "auto":  # the default left out: the same configuration builds with main's code
            options["workers"] = int(side_workers)
        config = synth.site_config(gongkai=True, plugin_options=options)
        (root / name).write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


@dataclass(frozen=True)
class Against:
    """The code of an older revision and a project of its own around the portal's reports."""

    revision: str  # as git names it (short hash)
    config: Path  # its mkdocs.yml
    env: dict[str, str]  # the environment its builds run in (its plugins first on PYTHONPATH)


AGAINST_PATHS = ("plugins", "overrides", "bench", "mkdocs.yml")
_AGAINST_CONFIG = (  # run with the revision's bench first on sys.path: its own synth configures its project
    "import sys, pathlib; sys.path.insert(0, sys.argv[1]); import synth; root = pathlib.Path(sys.argv[2]); "
    "synth.write_config(root, synth.site_config(gongkai=True)); "
    "(root / synth.DOCS_DIR).mkdir(exist_ok=True); "
    "(root / synth.DOCS_DIR / 'index.md').write_text(synth.INDEX_MD, encoding='utf-8')")


def against_project(root: Path, revision: str, repo: Path = HERE.parent) -> Against:
    """The code of ``revision`` (``git archive``) in ``root/code-<rev>`` and its project in ``root/project-<rev>``:
    that revision's configuration (``synth.site_config`` of its bench) around ``root/reports`` (linked)."""
    rev = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", f"{revision}^{{commit}}"],
                         check=True, capture_output=True, text=True).stdout.strip()
    code, project = root / f"code-{rev}", root / f"project-{rev}"
    for folder in (code, project):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", rev, *AGAINST_PATHS],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.10.12+, 3.11.4+
            tar.extractall(code, filter="data")
        else:  # our own repository's archive
            tar.extractall(code)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(code / "plugins"), *filter(None, [os.environ.get("PYTHONPATH")])]))
    subprocess.run([sys.executable, "-c", _AGAINST_CONFIG, str(code / "bench"), str(project)], check=True, env=env)
    (project / "reports").symlink_to(root / "reports", target_is_directory=True)
    return Against(rev, project / "mkdocs.yml", env)


def build(root: Path, open_data: bool, timeout: float, number: int | None = None,
          against: Against | None = None) -> Run:
    """One ``mkdocs build`` in a child process (``measure.run_build``), into a site folder of its side,
    or, with ``number``, a new folder of its own (kept: see the module's docstring); with ``against``,
    by that revision's code and configuration (``open_data`` is then False)."""
    name = "site-against" if against is not None else "site-with" if open_data else "site-without"
    site = root / (name + (f"-{number}" if number is not None else ""))
    if number is None:  # --delete-between: the deletion before each build is what it asks for
        shutil.rmtree(site, ignore_errors=True)
    if against is not None:
        b = measure.run_build(against.config, site, timeout=timeout, env=against.env)
    else:
        b = measure.run_build(root / CONFIGS[open_data], site, timeout=timeout)
    if b.returncode != 0:
        print(b.log_tail, file=sys.stderr)
    return Run(open_data and against is None, b.cpu_s, b.system_s, b.wall_s, b.mkdocs_rss_mb or b.peak_rss_mb,
               b.returncode, tree_rss_mb=b.tree_rss_mb, load=b.load_before[0],
               code=against.revision if against is not None else "", pages=b.pages)


def order(runs: int, against: bool = False) -> list[str]:
    """Rounds of one build of each side: with, without, then without, with, …, each side as often first as
    second; with ``against``, the three sides in turn (with, without, against; without, against, with; …)."""
    if against:
        sides = ("with", "without", "against")
        return [sides[(i + j) % 3] for i in range(runs) for j in range(3)]
    out: list[str] = []
    for i in range(runs):
        out.extend(("with", "without") if i % 2 == 0 else ("without", "with"))
    return out


def side(runs: list[Run]) -> dict[str, float]:
    cpu = [r.cpu_s for r in runs]
    rss = [r.peak_rss_mb for r in runs]
    tree = [r.tree_rss_mb for r in runs]
    system = [r.system_s for r in runs]
    wall = [r.wall_s for r in runs]
    user = [r.cpu_s - r.system_s for r in runs]
    return {"runs": len(runs), "cpu_median_s": statistics.median(cpu), "cpu_min_s": min(cpu), "cpu_max_s": max(cpu),
            "system_median_s": statistics.median(system), "user_median_s": statistics.median(user),
            "rss_median_mb": statistics.median(rss), "rss_max_mb": max(rss),
            "tree_rss_median_mb": statistics.median(tree), "tree_rss_max_mb": max(tree),
            "wall_median_s": statistics.median(wall), "wall_min_s": min(wall), "wall_max_s": max(wall),
            "load_min": min(r.load for r in runs), "load_max": max(r.load for r in runs)}


def _pairs(runs: list[Run], figure: str, base: str = "without") -> list[float]:
    """Each build with open data against the build of side ``base`` of its round (the same moment's load)."""
    per_round = 3 if any(r.code for r in runs) else 2
    out = []
    for start in range(0, len(runs) - per_round + 1, per_round):
        by_side = {r.side: r for r in runs[start:start + per_round]}
        out.append(getattr(by_side["with"], figure) / getattr(by_side[base], figure))
    return out


def summary(runs: list[Run]) -> dict[str, Any]:
    with_, without = side([r for r in runs if r.side == "with"]), side([r for r in runs if r.side == "without"])
    ratio = with_["cpu_median_s"] / without["cpu_median_s"]
    pairs, wall_pairs = _pairs(runs, "cpu_s"), _pairs(runs, "wall_s")
    user_pairs = _pairs(runs, "user_s")
    return {"with": with_, "without": without, "ratio": ratio, "pair_ratios": pairs,
            "user_ratio": with_["user_median_s"] / without["user_median_s"], "user_pair_ratios": user_pairs,
            "pair_ratio_median": statistics.median(pairs),
            "wall_ratio": with_["wall_median_s"] / without["wall_median_s"], "wall_pair_ratios": wall_pairs,
            "wall_pair_ratio_median": statistics.median(wall_pairs),
            "allowance": ALLOWANCE, "within": ratio <= ALLOWANCE, **_against_summary(runs, with_)}


def _against_summary(runs: list[Run], with_: dict[str, float]) -> dict[str, Any]:
    """The build with open data against the revision's (``--against``): ratios of the medians and of the rounds."""
    older = [r for r in runs if r.side == "against"]
    if not older:
        return {}
    against = side(older)
    cpu_pairs, wall_pairs = _pairs(runs, "cpu_s", "against"), _pairs(runs, "wall_s", "against")
    return {"against": against, "against_revision": older[0].code,
            "against_ratio": with_["cpu_median_s"] / against["cpu_median_s"], "against_pair_ratios": cpu_pairs,
            "against_wall_ratio": with_["wall_median_s"] / against["wall_median_s"],
            "against_wall_pair_ratios": wall_pairs}


def profile(root: Path, top: int = 40) -> str:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    cwd = os.getcwd()
    os.chdir(root)
    try:
        config = load_config(config_file=str(root / PROFILE_CONFIG), site_dir=str(root / "site-profile"))
        config.plugins.on_startup(command="build", dirty=False)  # a full build: staged, files made by gongkai
        profiler = cProfile.Profile()
        profiler.enable()
        mkdocs_build(config)
        profiler.disable()
    finally:
        os.chdir(cwd)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats("opendata|offload|attachments|embedding|wordml|zipfile", top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    root = args.out / f"n{args.reports}"
    print(f"writing the {args.reports}-report portal in {root}", flush=True)
    write_portal(root, args.reports, search=not args.no_search, workers=args.workers, attachments=args.attachments)
    against = against_project(root, args.against) if args.against else None
    if against is not None:
        print(f"the same reports built by {against.revision}'s code and configuration: {against.config}", flush=True)
    runs: list[Run] = []
    for number, name in enumerate(order(args.runs, against is not None)):
        run = build(root, name == "with", args.timeout, None if args.delete_between else number,
                    against if name == "against" else None)
        label = {"with": "with    open data", "without": "without open data", "against": f"{run.code:<7} (older)"}[name]
        if run.returncode != 0:
            print(f"build {label} failed ({run.returncode})", file=sys.stderr)
            return 1
        runs.append(run)
        print(f"  {label}: CPU {run.cpu_s:6.1f} s (system {run.system_s:4.1f} s), "
              f"wall {run.wall_s:6.1f} s, peak RSS {run.peak_rss_mb:5.0f} MB (whole build {run.tree_rss_mb:5.0f} MB), "
              f"load {run.load:.1f}, {run.pages} pages", flush=True)
    for number in range(len(runs)):
        for name in ("site-with", "site-without", "site-against"):
            shutil.rmtree(root / f"{name}-{number}", ignore_errors=True)
    measure.empty_trash(root.parent)
    result = summary(runs)
    result["reports"] = args.reports
    result["delete_between"] = args.delete_between
    result["search"] = not args.no_search
    result["workers"] = args.workers
    result["attachments"] = args.attachments
    result["against_config"] = str(against.config) if against is not None else None
    result["builds"] = [asdict(r) for r in runs]
    for name in ("without", "with"):
        s = result[name]
        print(f"{name:>7} open data: CPU median {s['cpu_median_s']:.1f} s (min {s['cpu_min_s']:.1f}, "
              f"max {s['cpu_max_s']:.1f}), wall median {s['wall_median_s']:.1f} s (min {s['wall_min_s']:.1f}, "
              f"max {s['wall_max_s']:.1f}), peak RSS median {s['rss_median_mb']:.0f} MB, whole build "
              f"{s['tree_rss_median_mb']:.0f} MB (max {s['tree_rss_max_mb']:.0f}); load {s['load_min']:.1f}–{s['load_max']:.1f}")
    print(f"ratio of the medians: {result['ratio']:.3f} (pairs: median {result['pair_ratio_median']:.3f}, "
          + ", ".join(f"{p:.3f}" for p in result["pair_ratios"]) + f"); allowance {ALLOWANCE:.2f}: "
          + ("within" if result["within"] else "OVER"))
    print(f"user time alone: ratio of the medians {result['user_ratio']:.3f} (pairs: "
          + ", ".join(f"{p:.3f}" for p in result["user_pair_ratios"]) + ")")
    print(f"wall: ratio of the medians {result['wall_ratio']:.3f} (pairs: median {result['wall_pair_ratio_median']:.3f}, "
          + ", ".join(f"{p:.3f}" for p in result["wall_pair_ratios"]) + ")")
    if "against" in result:
        older = result["against"]
        print(f"{result['against_revision']} (older code, its configuration): CPU median {older['cpu_median_s']:.1f} s "
              f"(min {older['cpu_min_s']:.1f}, max {older['cpu_max_s']:.1f}), wall median {older['wall_median_s']:.1f} s "
              f"(min {older['wall_min_s']:.1f}, max {older['wall_max_s']:.1f})")
        print(f"with open data against {result['against_revision']}: CPU ratio of the medians {result['against_ratio']:.3f} "
              "(rounds: " + ", ".join(f"{p:.3f}" for p in result["against_pair_ratios"]) + f"), wall "
              f"{result['against_wall_ratio']:.3f} (rounds: " + ", ".join(f"{p:.3f}" for p in result["against_wall_pair_ratios"])
              + f"); allowance {ALLOWANCE:.2f}: " + ("within" if result["against_ratio"] <= ALLOWANCE else "OVER"))
    if args.profile:
        text = profile(root)
        (args.out / "profile.txt").write_text(text, encoding="utf-8")
        print(text)
    (args.out / "opendata-cost.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
