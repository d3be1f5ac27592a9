"""What the benchmark measures: validation vs plain YAML loading, builds, preview, a profile."""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from gongkai.collection import find_report_files, load_portal
from gongkai.findings import Severity
from gongkai.loading import load_file
from gongkai.parsing import parse_document
from gongkai.writing import report_to_yaml

MKDOCS = [sys.executable, "-m", "mkdocs"]


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """Shortest wall time of ``repeat`` runs (the least disturbed by the rest of the machine)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


# --- deleting between measurements -------------------------------------------------
#
# This machine's ext4 has no journal: a new inode is then not taken from those freed in the last
# 60 s (360 s while their inode table block is unwritten), and every free inode it passes over costs
# a lookup (``find_inode_bit`` → ``recently_deleted``, seen with ``perf record``). Right after a large
# deletion, creating a file costs 0.5–0.9 ms of system time instead of ~0.05 ms, so a build that
# follows the removal of the last run's site pays for it. The benchmarks set old work aside by a
# rename (no inode is freed) and delete it once every measurement is done.

TRASH = ".trash"


def set_aside(path: Path, trash_root: Path) -> None:
    """Move ``path`` (if any) into ``trash_root/.trash`` by a rename; :func:`empty_trash` deletes it."""
    if not path.exists() and not path.is_symlink():
        return
    trash = trash_root / TRASH
    trash.mkdir(parents=True, exist_ok=True)
    os.rename(path, trash / f"{path.name}-{time.time_ns()}")


def empty_trash(trash_root: Path) -> None:
    """Delete what :func:`set_aside` moved away (after the last measurement)."""
    shutil.rmtree(trash_root / TRASH, ignore_errors=True)


# --- validation versus loading ------------------------------------------------------


@dataclass
class ValidationTiming:
    validate_s: float  # load_portal: load with marks, parse, every rule, cross-year
    yaml_load_s: float  # yaml.load(text, Loader=CSafeLoader) on the same files
    reports: int
    errors: int
    warnings: int

    @property
    def ratio(self) -> float:
        return self.validate_s / self.yaml_load_s


def time_validation(root: Path, repeat: int = 3) -> ValidationTiming:
    """Cold ``load_portal`` (a new store every run) against bare CSafeLoader loading."""
    reports_dir = root / "reports"
    files = find_report_files([reports_dir])

    def plain() -> None:
        for path in files:
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    plain()  # same page cache for both
    portal = load_portal([reports_dir], base=root)
    # Interleaved, so that a busy spell on the machine weighs on both alike.
    validate_s = yaml_s = float("inf")
    for _ in range(repeat):
        validate_s = min(validate_s, best_of(1, lambda: load_portal([reports_dir], base=root)))
        yaml_s = min(yaml_s, best_of(1, plain))
    errors = sum(1 for f in portal.findings if f.severity is Severity.ERROR)
    return ValidationTiming(validate_s, yaml_s, len(portal.reports), errors, len(portal.findings) - errors)


# --- builds -------------------------------------------------------------------------


@dataclass
class BuildTiming:
    wall_s: float
    peak_rss_mb: float  # os.wait4's ru_maxrss: the largest of the mkdocs process and the children it waited for
    pages: int
    returncode: int
    log_tail: str
    cpu_s: float = 0.0  # user + system CPU of the child and its children (Pagefind), from os.wait4
    mkdocs_rss_mb: float = 0.0  # peak RSS of the mkdocs process alone (VmHWM, sampled)
    child_rss_mb: float = 0.0  # peak RSS of any process it started (Pagefind's binary), sampled
    child_cpu_s: float = 0.0  # CPU of those processes (sampled from /proc, a lower bound)
    system_s: float = 0.0  # the system part of cpu_s
    tree_rss_mb: float = 0.0  # peak of the sum of the RSS of mkdocs and every process under it (sampled): the whole build
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)  # os.getloadavg() when the build started
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _hwm_mb(pid: int, field: str = "VmHWM") -> float | None:
    """Peak RSS so far of one process (Linux ``/proc/<pid>/status`` VmHWM; VmRSS: now), or None."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _cpu_s(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            with open(f"/proc/{parent}/task/{parent}/children", encoding="ascii") as children:
                kids = [int(k) for k in children.read().split()]
        except OSError:
            kids = []
        found.extend(kids)
        todo.extend(kids)
    return found


def run_build(config: Path, site_dir: Path, timeout: float = 1800, sample_s: float = 0.1,
              rss_limit_mb: float | None = None, env: dict[str, str] | None = None) -> BuildTiming:
    """``mkdocs build`` in a child process: wall and CPU time, peak RSS of it and of its children.

    ``os.wait4`` gives CPU time (the child's and its waited-for children's) and a peak RSS that is
    the largest of them; /proc is sampled every ``sample_s`` to tell the mkdocs process's own peak
    from that of the processes it starts (Pagefind's indexer). ``rss_limit_mb``: the build and its
    children are stopped when together they hold more (a shared machine); ``returncode`` is then -9.
    ``env``: the build's environment (default: this process's).
    """
    log_path = site_dir.parent / f"{site_dir.name}.log"
    mkdocs_mb = child_mb = tree_mb = 0.0
    child_cpu: dict[int, float] = {}
    load_before = os.getloadavg()
    with open(log_path, "w", encoding="utf-8") as log:
        start = time.perf_counter()
        child = subprocess.Popen([*MKDOCS, "build", "-q", "-f", str(config), "-d", str(site_dir)],
                                 stdout=log, stderr=subprocess.STDOUT, cwd=config.parent, start_new_session=True,
                                 env=env)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            mkdocs_mb = max(mkdocs_mb, _hwm_mb(child.pid) or 0.0)
            now_mb = _hwm_mb(child.pid, "VmRSS") or 0.0
            for kid in _descendants(child.pid):
                child_mb = max(child_mb, _hwm_mb(kid) or 0.0)
                now_mb += _hwm_mb(kid, "VmRSS") or 0.0
                cpu = _cpu_s(kid)
                if cpu is not None:
                    child_cpu[kid] = cpu
            tree_mb = max(tree_mb, now_mb)
            over = rss_limit_mb is not None and now_mb > rss_limit_mb
            if over:
                with open(log_path, "a", encoding="utf-8") as note:
                    note.write(f"\nbench: stopped, {now_mb:.0f} MB in use (limit {rss_limit_mb:.0f} MB)\n")
            if over or time.perf_counter() > deadline:
                os.killpg(child.pid, 9)
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(sample_s)
        wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    pages = sum(1 for _ in site_dir.rglob("index.html")) if site_dir.exists() else 0
    tail = "\n".join(log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-15:])
    return BuildTiming(wall, usage.ru_maxrss / 1024, pages, child.returncode, tail,
                       cpu_s=usage.ru_utime + usage.ru_stime, mkdocs_rss_mb=mkdocs_mb, child_rss_mb=child_mb,
                       child_cpu_s=sum(child_cpu.values()), load_before=load_before, load_after=os.getloadavg(),
                       tree_rss_mb=tree_mb, system_s=usage.ru_stime)


# --- preview --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def page_url_path(site_dir: Path, slug: str, year: int) -> str | None:
    """Where the built site put one report's page (found, not assumed)."""
    candidates = sorted(p for p in site_dir.rglob("index.html")
                        if slug in p.parts and any(str(year) in part for part in p.relative_to(site_dir).parts))
    if not candidates:
        return None
    return "/" + candidates[0].parent.relative_to(site_dir).as_posix() + "/"


def edit_report(path: Path, marker: str) -> None:
    """Re-write one report: a marker in its narrative and one more application, consistently.

    One more 自然人 application received and disclosed: the balance, the row and column
    totals still hold, and 结转下年度 is unchanged so next year's report stays valid.
    """
    document, findings = load_file(path)
    assert document is not None, findings
    report, findings = parse_document(document)
    assert report is not None, findings
    values = dict(report.values)
    for row in (("received",), ("results", "disclosed"), ("results", "total")):
        for column in ("natural_person", "total"):
            values[("applications", *row, column)] += 1
    narrative = dict(report.narrative)
    narrative["overview"] = re.sub(r"BENCHEDIT\w+", "", narrative["overview"]).rstrip() + f"\n\n本次修改标记 {marker}。\n"
    report.values, report.narrative = values, narrative
    # A new file in its place: the portal's reports are hard links into the generator's cache.
    fresh = path.with_name(path.name + ".tmp")
    fresh.write_text(report_to_yaml(report, schema_ref=None), encoding="utf-8")
    os.replace(fresh, path)


@dataclass
class PreviewTiming:
    startup_s: float  # serve started until the page first answered
    edits_s: list[float]  # save → the served page shows the edit, one per edit
    url: str
    command: str = "mkdocs serve --dirty"

    @property
    def median_s(self) -> float:
        return statistics.median(self.edits_s) if self.edits_s else float("nan")


def time_preview(config: Path, report_file: Path, url_path: str, edits: int = 3, startup_timeout: float = 900,
                 edit_timeout: float = 120, dirty: bool = True) -> PreviewTiming:
    """``mkdocs serve --dirty`` (what ``make serve`` runs, with livereload): save one report, poll its page.

    ``dirty=False`` measures plain ``mkdocs serve``, which rebuilds the whole site on every save
    (about a minute per save at 1,000 reports, so it is not part of the default run).
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = config.parent / ("serve-dirty.log" if dirty else "serve.log")
    command = [*MKDOCS, "serve", *(["--dirty"] if dirty else []), "-f", str(config), "--dev-addr", f"127.0.0.1:{port}"]
    with open(log_path, "w", encoding="utf-8") as log:
        child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=config.parent)
        try:
            start = time.perf_counter()
            while _get(base + url_path) is None:
                if child.poll() is not None or time.perf_counter() - start > startup_timeout:
                    raise RuntimeError(f"mkdocs serve did not answer; see {log_path}")
                time.sleep(0.2)
            startup = time.perf_counter() - start
            time.sleep(2)  # let the watcher settle after the first build
            timings = []
            for n in range(edits):
                marker = f"BENCHEDIT{n}x{port}"
                saved = time.perf_counter()
                edit_report(report_file, marker)
                while True:
                    page = _get(base + url_path)
                    if page is not None and marker in page:
                        timings.append(time.perf_counter() - saved)
                        break
                    if time.perf_counter() - saved > edit_timeout:
                        raise RuntimeError(f"edit {n} never showed at {url_path} within {edit_timeout} s; see {log_path}")
                    time.sleep(0.05)
                time.sleep(1.5)  # a quiet gap, as between two saves by an editor
            return PreviewTiming(startup, timings, url_path, "mkdocs serve --dirty" if dirty else "mkdocs serve")
        finally:
            child.terminate()
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


# --- profile --------------------------------------------------------------------------


def profile_build(config: Path, site_dir: Path, top: int = 15, dump: Path | None = None) -> str:
    """cProfile of an in-process ``mkdocs.commands.build.build``: the top lines by cumulative time.

    ``dump`` keeps the whole profile (``python -m pstats`` or snakeviz read it).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cwd = os.getcwd()
    os.chdir(config.parent)
    try:
        cfg = load_config(config_file=str(config), site_dir=str(site_dir))
        profiler = cProfile.Profile()
        profiler.enable()
        build(cfg)
        profiler.disable()
    finally:
        os.chdir(cwd)
    if dump is not None:
        profiler.dump_stats(dump)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


# --- listings -------------------------------------------------------------------------

_LINK = re.compile(r"<a\s[^>]*href=")
_REPORT_DIR = re.compile(r"^(?:19|20)\d\d$")


def largest_listing(site_dir: Path, prefix: str = "reports") -> dict[str, object]:
    """The generated listing page (not a report page) with the most links in its content."""
    top: dict[str, object] = {"page": "", "links": 0, "kb": 0.0}
    root = site_dir / prefix
    for page in root.rglob("index.html"):
        parts = page.relative_to(root).parts
        if len(parts) == 3 and _REPORT_DIR.match(parts[1]) and not _REPORT_DIR.match(parts[0]):
            continue  # reports/<agency>/<year>/: a report page
        text = page.read_text(encoding="utf-8", errors="replace")
        start, end = text.find("<article"), text.rfind("</article>")
        links = len(_LINK.findall(text, start if start >= 0 else 0, end if end >= 0 else len(text)))
        if links > int(top["links"]):  # type: ignore[call-overload]
            top = {"page": page.relative_to(site_dir).as_posix(), "links": links, "kb": round(len(text.encode()) / 1024, 1)}
    return top
