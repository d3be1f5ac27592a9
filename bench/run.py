"""The benchmark, one command: `make bench` (or `.venv/bin/python bench/run.py`).

For each size N it writes a synthetic portal of N valid reports and the same pages as plain
Markdown, then measures validation against bare CSafeLoader loading, the full `mkdocs build`
of both sites (wall time, peak RSS), and, on the 1,000-report portal, the `mkdocs serve`
preview delay after saving one report and a profile of an in-process build.
See bench/README.md for the targets.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import measure  # noqa: E402
import opendata_cost  # noqa: E402
import pdf_import  # noqa: E402
import phases  # noqa: E402
import reader  # noqa: E402
import synth  # noqa: E402

PREVIEW_SIZE = 1000  # the preview target is stated for a portal of 1,000 reports
RATIO_BASE = 1000  # time per report at every size is compared with this one
BASELINE_MAX = 10000  # plain MkDocs above this size takes long and says nothing new: --baseline to force it

TARGETS = {
    "linear_per_report_ratio_max": 1.2,  # time per report at 10,000 / at 1,000
    "build_10000_s_max": 120.0,
    "build_10000_rss_mb_max": 1536.0,
    "build_50000_s_max": 600.0,  # issue 14
    "build_50000_rss_mb_max": 2048.0,
    "per_report_ratio_50000_max": 1.2,  # time per report at 50,000 / at 1,000
    "vs_baseline_max": 1.1,
    "validation_vs_yaml_max": 1.2,
    "preview_s_max": 2.0,
    "import_pdf_20_pages_s_max": 2.0,
    # reader side (issue 14), gongkai site in headless Chromium
    "first_view_kb_max": 400.0,
    "first_query_kb_max_at_10000": 300.0,
    "query_ms_max": 300.0,
    # issue 11: open data's build-time cost at 1,000 reports (bench/opendata_cost.py)
    "opendata_cost_ratio_max": opendata_cost.ALLOWANCE,
}
# Main just before open data landed (2026-11-26, the day issue 11 was written): "today's build" of the issue.
OPENDATA_AGAINST = "5e84416"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="portal sizes, comma-separated (default: %(default)s)")
    parser.add_argument("--quick", action="store_true", help="only N=100, no preview and no profile")
    parser.add_argument("--skip-serve", action="store_true", help="do not measure the mkdocs serve preview")
    parser.add_argument("--skip-build", action="store_true", help="only generate and time validation")
    parser.add_argument("--skip-validation", action="store_true",
                        help="do not time validation (the build still refuses a portal with errors)")
    parser.add_argument("--skip-baseline", action="store_true", help="build and measure the gongkai site only")
    parser.add_argument("--baseline", action="store_true",
                        help=f"build the plain MkDocs baseline above {BASELINE_MAX:,} reports too (skipped there by default)")
    parser.add_argument("--tree", choices=synth.TREES, default="province",
                        help="agencies of a province (with a roster: groups, kinds) or the flat list of "
                             "earlier runs (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=2024, help="generator seed (default: %(default)s)")
    parser.add_argument("--cache", type=Path, default=None,
                        help="generated portals, reused between runs (default: <out>/cache)")
    parser.add_argument("--skip-reader", action="store_true", help="no reader-side figures (headless Chromium)")
    parser.add_argument("--skip-profile", action="store_true", help="no cProfile of the 1,000-report build")
    parser.add_argument("--profile", action="store_true",
                        help="only profile the build of the portal of each size (default 1,000): CPU time per "
                             "phase (bench/phases.py), then cProfile's top lines (not with --skip-profile); no timed build")
    parser.add_argument("--templates", action="store_true",
                        help="with --profile: the theme's templates and blocks one by one (bench/phases.py)")
    parser.add_argument("--skip-import", action="store_true", help="do not time the import of a 20-page PDF")
    parser.add_argument("--skip-opendata", action="store_true",
                        help="do not measure open data's cost at 1,000 reports (bench/opendata_cost.py)")
    parser.add_argument("--opendata-runs", type=int, default=3,
                        help="rounds of open data's cost: builds with, without and (--opendata-against) by the "
                             "older code (default: %(default)s)")
    parser.add_argument("--opendata-against", default=OPENDATA_AGAINST, metavar="REV",
                        help="the older code open data's cost is also compared with; '' for none "
                             "(default: %(default)s, main before open data)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each validation timing (best is kept)")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="work folder and results (default: bench/out)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed for one build")
    parser.add_argument("--rss-limit", type=float, default=None, metavar="MB",
                        help="stop a build whose processes together hold more memory (a shared machine)")
    args = parser.parse_args(argv)
    args.sizes = [100] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.profile and "--sizes" not in (argv if argv is not None else sys.argv[1:]):
        args.sizes = [PREVIEW_SIZE]
    if args.quick:
        args.skip_serve = args.skip_profile = args.skip_opendata = True
    return args


def say(text: str) -> None:
    print(text, flush=True)


def bench_size(n: int, args: argparse.Namespace) -> dict[str, Any]:
    work = args.out / f"n{n}"
    measure.set_aside(work, args.out)  # deleted after the last measurement (measure.set_aside)
    gongkai_root, baseline_root = work / "gongkai", work / "baseline"
    skip_baseline = args.skip_baseline or (n > BASELINE_MAX and not args.baseline)

    start = time.perf_counter()
    portal = synth.cached_portal(gongkai_root, n, args.cache, seed=args.seed, tree=args.tree)
    made = "generated" if portal.generated_s else "taken from the cache"
    if not skip_baseline:
        synth.write_baseline(baseline_root, portal.reports())
    say(f"\n== N={n}: {portal.agencies} agencies × {len(portal.years)} years ({args.tree}), reports {made}, "
        f"ready in {time.perf_counter() - start:.1f} s ({work})")

    result: dict[str, Any] = {"n": n, "tree": args.tree, "agencies": portal.agencies, "years": list(portal.years),
                              "generated_s": portal.generated_s}
    if not args.skip_validation:
        v = measure.time_validation(gongkai_root, repeat=args.repeat)
        result["validation"] = {**asdict(v), "ratio": v.ratio}
        say(f"validation (load_portal, cold)  {v.validate_s:8.3f} s   findings: {v.errors} errors, {v.warnings} warnings")
        say(f"yaml.load CSafeLoader           {v.yaml_load_s:8.3f} s   ratio {v.ratio:.2f} (target ≤ 1.2)")
        if v.errors or v.warnings:
            raise SystemExit(f"the synthetic portal of {n} reports has findings; the generator is wrong")

    if args.skip_build:
        return result
    sites = (("gongkai", gongkai_root),) + (() if skip_baseline else (("baseline", baseline_root),))
    for name, root in sites:
        b = measure.run_build(root / "mkdocs.yml", root / "site", timeout=args.timeout, rss_limit_mb=args.rss_limit)
        result[name] = {**asdict(b), "per_report_ms": b.wall_s / n * 1000, "cpu_per_report_ms": b.cpu_s / n * 1000}
        say(f"mkdocs build {name:<9}          {b.wall_s:8.2f} s   CPU {b.cpu_s:8.2f} s   peak RSS {b.peak_rss_mb:7.0f} MB "
            f"(mkdocs {b.mkdocs_rss_mb:.0f}, its children {b.child_rss_mb:.0f}, whole build {b.tree_rss_mb:.0f}; "
            f"children's CPU {b.child_cpu_s:.1f} s)   "
            f"{b.wall_s / n * 1000:6.1f} ms/report ({b.cpu_s / n * 1000:.1f} CPU)   {b.pages} pages   "
            f"load {b.load_before[0]:.1f} → {b.load_after[0]:.1f}")
        if b.returncode != 0:
            say(f"  build failed (exit {b.returncode}):\n{b.log_tail}")
    if result["gongkai"]["returncode"] == 0:
        result["listing"] = measure.largest_listing(gongkai_root / "site")
        say(f"largest listing page            {result['listing']['links']:8d} links   ({result['listing']['page']})")
    if result["gongkai"]["returncode"] == 0 and result.get("baseline", {}).get("returncode") == 0:
        result["vs_baseline"] = result["gongkai"]["wall_s"] / result["baseline"]["wall_s"]
        say(f"gongkai / baseline              {result['vs_baseline']:8.2f}     (target ≤ 1.1)")

    if not args.skip_reader:
        result["reader"] = reader_side(portal, work, n)

    if n == PREVIEW_SIZE and result["gongkai"]["returncode"] == 0:
        if not args.skip_serve:
            result["preview"] = preview(portal, gongkai_root)
        if not args.skip_profile:
            say("\nprofile: in-process mkdocs build of the gongkai portal, top 15 by cumulative time")
            text = measure.profile_build(gongkai_root / "mkdocs.yml", work / "profile-site",
                                         dump=args.out / f"profile-n{n}.prof")
            (args.out / f"profile-n{n}.txt").write_text(text, encoding="utf-8")
            say(text)
            result["profile_file"] = str(args.out / f"profile-n{n}.txt")
    shutil.rmtree(work / "profile-site", ignore_errors=True)
    return result


def profile_only(n: int, args: argparse.Namespace) -> dict[str, Any]:
    """``--profile``: CPU time per phase of an in-process build, then cProfile's top lines."""
    work = args.out / f"n{n}"
    portal = synth.cached_portal(work / "gongkai", n, args.cache, seed=args.seed, tree=args.tree)
    config = portal.root / "mkdocs.yml"
    say(f"\n== N={n}: profile of an in-process build ({args.tree}; load average {os.getloadavg()[0]:.1f})")
    times = phases.phase_times(config, work / "profile-site", templates=args.templates)
    say(phases.format_phases(times, n))
    shutil.rmtree(work / "profile-site", ignore_errors=True)
    if args.skip_profile:  # --profile --skip-profile: the phases only
        return {"n": n, "phases_cpu_s": times}
    say("\ncProfile, top 25 by cumulative time")
    text = measure.profile_build(config, work / "profile-site", top=25, dump=args.out / f"profile-n{n}.prof")
    (args.out / f"profile-n{n}.txt").write_text(text, encoding="utf-8")
    say(text)
    shutil.rmtree(work / "profile-site", ignore_errors=True)
    return {"n": n, "phases_cpu_s": times, "profile_file": str(args.out / f"profile-n{n}.txt")}


def reader_side(portal: synth.PortalInfo, work: Path, n: int) -> dict[str, Any]:
    """Bytes and times a reader sees on a report page of each site (empty cache)."""
    if not reader.available():
        say("reader side: skipped (Playwright or /usr/bin/chromium missing: bash .ci/install-browser-tools.sh)")
        return {}
    report = portal.first
    queries = (f"{report.name} {report.year}年", "政策解读")
    figures: dict[str, Any] = {}
    for name in ("gongkai", "baseline"):
        site = work / name / "site"
        if not site.is_dir():
            continue
        url = measure.page_url_path(site, report.slug, report.year)
        if url is None:
            say(f"reader side {name}: no page for {report.display_path}")
            continue
        try:
            f = reader.measure_site(site, url.lstrip("/"), queries, n, gongkai=name == "gongkai")
        except Exception as error:  # a browser that fails is reported, the other figures stay
            say(f"reader side {name}: {type(error).__name__}: {error}")
            continue
        figures[name] = asdict(f)
        say(f"reader {name:<9} first view {f.view_kb:8.0f} KB (index {f.view_index_kb:.0f} KB)   "
            f"first query {f.query_kb:7.0f} KB in {f.query_ms:5.0f} ms ({f.results} results), "
            f"next {f.second_query_ms:4.0f} ms   site {f.site_kb_per_report:5.1f} KB/report "
            f"(index {f.index_kb_per_report:.1f})")
    return figures


def preview(portal: synth.PortalInfo, root: Path) -> dict[str, Any]:
    """Save one report (the newest of an agency, so no other report depends on it); time the page."""
    report = portal.newest
    url = measure.page_url_path(root / "site", report.slug, report.year)
    if url is None:
        say(f"preview: no page found for {report.display_path} in the built site")
        return {"error": "page not found"}
    try:
        p = measure.time_preview(root / "mkdocs.yml", portal.report_path(report), url)
    except RuntimeError as error:
        say(f"preview: {error}")
        return {"error": str(error)}
    say(f"preview (mkdocs serve, {url}): first page after {p.startup_s:.1f} s; save → updated page "
        + ", ".join(f"{s:.2f}" for s in p.edits_s) + f" s; median {p.median_s:.2f} s (target ≤ 2)")
    return {**asdict(p), "median_s": p.median_s}


def opendata(args: argparse.Namespace) -> dict[str, Any]:
    """Open data's cost (issue 11): the 1,000-report portal built with, without it and by the older code."""
    say(f"\n== open data's cost at 1,000 reports ({args.opendata_runs} rounds, bench/opendata_cost.py)")
    against = ["--against", args.opendata_against] if args.opendata_against else []
    out = args.out / "opendata-cost"
    try:
        status = opendata_cost.main(["--runs", str(args.opendata_runs), "--out", str(out), *against])
    except (subprocess.CalledProcessError, OSError) as error:  # no git, or the revision not in this (shallow) clone
        say(f"open data's cost: the code of {args.opendata_against} could not be had from git ({error}); "
            "run with --opendata-against '' or fetch the whole history")
        return {}
    if status != 0:
        return {"opendata_error": "a build failed"}
    result = json.loads((out / "opendata-cost.json").read_text(encoding="utf-8"))
    derived = {"opendata_cpu_ratio": result["pair_ratio_median"], "opendata_wall_ratio": result["wall_pair_ratio_median"]}
    if "against_revision" in result:
        rev = result["against_revision"]
        derived[f"opendata_cpu_ratio_vs_{rev}"] = statistics.median(result["against_pair_ratios"])
        derived[f"opendata_wall_ratio_vs_{rev}"] = statistics.median(result["against_wall_pair_ratios"])
    return derived


def summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Time per report at each size over that at 1,000 (wall and CPU), for gongkai and the baseline."""
    by_n = {r["n"]: r for r in results}
    derived: dict[str, Any] = {}
    base = by_n.get(RATIO_BASE, {})
    for n, r in sorted(by_n.items()):
        if n <= RATIO_BASE:
            continue
        for site, prefix in (("gongkai", ""), ("baseline", "baseline_")):
            if site in r and site in base and r[site]["returncode"] == 0 and base[site]["returncode"] == 0:
                derived[f"{prefix}per_report_ratio_{n}_vs_{RATIO_BASE}"] = (
                    r[site]["per_report_ms"] / base[site]["per_report_ms"])
                if r[site].get("cpu_s") and base[site].get("cpu_s"):
                    derived[f"{prefix}cpu_per_report_ratio_{n}_vs_{RATIO_BASE}"] = (
                        r[site]["cpu_per_report_ms"] / base[site]["cpu_per_report_ms"])
    return derived


def print_table(results: list[dict[str, Any]], derived: dict[str, Any]) -> None:
    header = (f"{'N':>6} {'valid s':>8} {'yaml s':>8} {'ratio':>6} {'gk s':>8} {'gk CPU s':>8} {'gk MB':>7} {'gk ms/r':>8} "
              f"{'base s':>8} {'base MB':>7} {'base ms/r':>9} {'gk/base':>7} {'preview s':>9}")
    reader_header = (f"{'N':>6} {'site':<9} {'view KB':>8} {'index KB':>8} {'query KB':>8} {'query ms':>8} "
                     f"{'next ms':>8} {'KB/report':>9}")
    say("\n== summary\n" + header + "\n" + "-" * len(header))
    for r in results:
        v, g, b = r.get("validation"), r.get("gongkai", {}), r.get("baseline", {})
        cells = [f"{r['n']:>6}"] + ([f"{v['validate_s']:>8.2f}", f"{v['yaml_load_s']:>8.2f}", f"{v['ratio']:>6.2f}"]
                                    if v else [f"{'-':>8}", f"{'-':>8}", f"{'-':>6}"])
        cells += [f"{g['wall_s']:>8.2f}", f"{g.get('cpu_s', 0):>8.2f}", f"{g['peak_rss_mb']:>7.0f}",
                  f"{g['per_report_ms']:>8.2f}"] if g else ["-" * 8] * 4
        cells += [f"{b['wall_s']:>8.2f}", f"{b['peak_rss_mb']:>7.0f}", f"{b['per_report_ms']:>9.2f}"] if b else ["-" * 8] * 3
        cells.append(f"{r['vs_baseline']:>7.2f}" if "vs_baseline" in r else f"{'-':>7}")
        median = r.get("preview", {}).get("median_s")
        cells.append(f"{median:>9.2f}" if median is not None else f"{'-':>9}")
        say(" ".join(cells))
    for key, value in derived.items():
        if not isinstance(value, float):
            continue
        target = ("< 2 s" if key.startswith("import_pdf") else f"≤ {opendata_cost.ALLOWANCE}"
                  if key.startswith("opendata") else "≤ 1.2")
        say(f"{key}: {value:.2f} (target {target})")
    rows = [(r["n"], name, f) for r in results for name, f in r.get("reader", {}).items()]
    if rows:
        say("\n== reader side (headless Chromium, empty cache; targets for gongkai: first view ≤ 400 KB, "
            "first query ≤ 300 KB at 10,000, results ≤ 300 ms)\n" + reader_header + "\n" + "-" * len(reader_header))
    for n, name, f in rows:
        say(f"{n:>6} {name:<9} {f['view_kb']:>8.0f} {f['view_index_kb']:>8.0f} {f['query_kb']:>8.0f} "
            f"{f['query_ms']:>8.0f} {f['second_query_ms']:>8.0f} {f['site_kb_per_report']:>9.1f}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.out = args.out.resolve()
    args.cache = (args.cache or args.out / "cache").resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    say(f"gongkai benchmark: sizes {args.sizes}, work folder {args.out}")
    results = []
    if args.profile:
        for n in args.sizes:
            results.append(profile_only(n, args))
        path = write_results(args, results, {})
        say(f"\nresults: {path}")
        measure.empty_trash(args.out)
        return 0
    for n in args.sizes:
        results.append(bench_size(n, args))
        # Written after every size, so a long run that is stopped still leaves its figures.
        write_results(args, results, summary(results))
    derived = summary(results)
    if not args.skip_opendata:
        derived.update(opendata(args))
    if not args.skip_import:
        imported = pdf_import.measure(args.repeat)
        derived["import_pdf_20_pages_s"] = imported["best_s"]
        derived["import_pdf_20_pages_cpu_s"] = imported["best_cpu_s"]
    print_table(results, derived)
    path = write_results(args, results, derived)
    say(f"\nresults: {path}")
    measure.empty_trash(args.out)
    return 0


def write_results(args: argparse.Namespace, results: list[dict[str, Any]], derived: dict[str, Any]) -> Path:
    path = args.out / "results.json"
    payload = {
        "python": platform.python_version(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "targets": TARGETS,
        "sizes": results,
        "derived": derived,
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path


if __name__ == "__main__":
    sys.exit(main())
