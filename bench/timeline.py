"""Where the two cores go in a full ``mkdocs build``: every process of the build's tree, phase by phase.

``bench/timeline.py --size 1000`` builds the benchmark portal of that size (taken from ``--cache``)
as ``mkdocs build`` does, in a child process whose phases are marked as they begin (loading,
config/plan, files and navigation, MkDocs' populate pass, the pages year by year, the end:
the files worker's last reports, the search index's last part, the swap). Meanwhile this process
reads ``/proc/<pid>/stat`` of every process of the build's tree every ``--interval`` seconds
(user + system time, and what the children it reaped used), and names each by its role: the build
process, the loading worker, the files worker, the search indexer, Pagefind.

It prints, per phase: its wall time, each role's CPU time, how many of the two cores the build
kept busy, the idle core-seconds (2 × wall − the build's CPU: a core the build left idle, or that
another program on the machine took; the machine's own figure is beside it), and the time the
build process spent waiting for the files worker (``Offload._receive`` with nothing to read), with
the reports it wrote itself instead (``Offload.stolen``), in writes to the search indexer's pipe
(``IndexerProcess._send``: a full pipe, the indexer behind) and for the loading worker's last chunk.
On a busy machine the idle core-seconds are mostly other programs': read the CPU per role instead
(after the last page, what runs while the build process waits is the serial end). ``--json``
keeps every sample.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TICK = os.sysconf("SC_CLK_TCK")

# --- the child: the build, its phases marked ----------------------------------------------------------


def _child(config: str, site: str, marks_path: str) -> None:
    """Run ``mkdocs build`` here with each phase's start written to ``marks_path`` (monotonic clock)."""
    import importlib
    import multiprocessing.process

    marks = open(marks_path, "w", encoding="utf-8", buffering=1)  # noqa: SIM115 (open for the whole build)
    state: dict[str, Any] = {"label": "", "offload": None, "waited": 0.0, "waits": 0, "index_waited": 0.0,
                             "load_waited": 0.0}

    def mark(label: str) -> None:
        if label == state["label"]:
            return
        state["label"] = label
        job = state["offload"]
        marks.write(json.dumps({"t": time.monotonic(), "phase": label, "waited": state["waited"],
                                "waits": state["waits"], "stolen": getattr(job, "stolen", 0),
                                "index_waited": state["index_waited"], "load_waited": state["load_waited"]}) + "\n")

    def note(**values: Any) -> None:
        marks.write(json.dumps({"t": time.monotonic(), **values}) + "\n")

    def patch(module: str, path: str, wrap: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
        owner: Any = importlib.import_module(module)
        *parents, name = path.split(".")
        for parent in parents:
            owner = getattr(owner, parent)
        setattr(owner, name, wrap(getattr(owner, name)))

    def phase(label: str, after: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def wrap(function: Callable[..., Any]) -> Callable[..., Any]:
            def marked(*args: Any, **kwargs: Any) -> Any:
                mark(label)
                try:
                    return function(*args, **kwargs)
                finally:
                    if after is not None:
                        mark(after)
            return marked
        return wrap

    mark("start (imports, MkDocs config)")
    start_process = multiprocessing.process.BaseProcess.start

    def started(self: Any) -> None:  # the workers' pids, by name
        start_process(self)
        note(pid=self.pid, name=self.name)

    multiprocessing.process.BaseProcess.start = started  # type: ignore[method-assign]

    def keep_offload(function: Callable[..., Any]) -> Callable[..., Any]:
        def kept(self: Any) -> Any:
            state["offload"] = self
            return function(self)
        return kept

    def timed_wait(function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(self: Any) -> Any:  # a wait for the worker's next message: the build process idles
            if self.results.poll(0):
                return function(self)
            began = time.perf_counter()
            try:
                return function(self)
            finally:
                state["waited"] += time.perf_counter() - began
                state["waits"] += 1
        return timed

    def timed(key: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def wrap(function: Callable[..., Any]) -> Callable[..., Any]:
            def measured(*args: Any, **kwargs: Any) -> Any:  # the build process blocked (a full pipe, a join)
                began = time.perf_counter()
                try:
                    return function(*args, **kwargs)
                finally:
                    state[key] += time.perf_counter() - began
            return measured
        return wrap

    from gongkai.indexing import Layout

    prefix = Layout().prefix + "/"

    def page_phase(function: Callable[..., Any]) -> Callable[..., Any]:
        def marked(*args: Any, **kwargs: Any) -> Any:
            page = kwargs.get("page", args[0] if args else None)
            uri = page.file.src_uri if page is not None else ""
            parts = uri.split("/")
            if uri.startswith(prefix) and len(parts) == 3 and parts[2][:4].isdigit() and parts[2].endswith(".md"):
                mark(f"pages {parts[2][:4]}")
            else:
                mark("pages: listings and others")
            return function(*args, **kwargs)
        return marked

    patch("gongkai.collection", "ReportStore.load", phase("loading", after="config/plan"))
    patch("gongkai.mkdocs_plugin.plugin", "GongkaiPlugin.on_files", phase("files/nav", after="files/nav"))
    patch("gongkai.offload", "Offload.start", keep_offload)
    patch("gongkai.offload", "Offload._receive", timed_wait)
    patch("gongkai.search", "IndexerProcess._send", timed("index_waited"))
    patch("gongkai.loading_pool", "_Worker.finish", timed("load_waited"))
    patch("mkdocs.commands.build", "_populate_page", phase("populate pass"))
    patch("mkdocs.structure.files", "Files.copy_static_files", phase("static and data files"))
    patch("mkdocs.commands.build", "_build_page", page_phase)
    patch("gongkai.mkdocs_plugin.conventions", "Conventions.write_feed", phase("end: feed"))
    patch("gongkai.mkdocs_plugin.data_files", "SiteData.finish", phase("end: files worker's last reports"))
    patch("gongkai.search", "IndexerProcess.finish", phase("end: search index's last part"))
    patch("gongkai.publishing", "publish", phase("end: swap", after="end: exit"))

    from mkdocs.__main__ import cli

    try:
        cli.main(["build", "-q", "-f", config, "-d", site], standalone_mode=False)
    finally:
        mark("exit")
        import resource

        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        note(own=own.ru_utime + own.ru_stime, children=children.ru_utime + children.ru_stime)
        marks.close()


# --- this process: sampling /proc ---------------------------------------------------------------------


@dataclass
class Proc:
    pid: int
    ppid: int
    comm: str
    self_s: float  # utime + stime
    reaped_s: float  # cutime + cstime: the children it waited for
    sys_s: float = 0.0  # stime: the kernel's work for it (file writes, page faults, reclaim)


def _read(pid: int) -> Proc | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            text = stat.read().decode("utf-8", "replace")
    except OSError:
        return None
    comm = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    return Proc(pid, int(fields[1]), comm, (utime + stime) / TICK, (cutime + cstime) / TICK, stime / TICK)


def _tree(root: int) -> dict[int, Proc]:
    procs = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            proc = _read(int(name))
            if proc is not None:
                procs[proc.pid] = proc
    tree: dict[int, Proc] = {}
    if root in procs:
        tree[root] = procs[root]
        grew = True
        while grew:
            grew = False
            for proc in procs.values():
                if proc.pid not in tree and proc.ppid in tree:
                    tree[proc.pid] = proc
                    grew = True
    return tree


def _dirty_mb() -> tuple[float, float]:
    """The machine's dirty page cache and the part being written back (MB, ``/proc/meminfo``)."""
    values = {}
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        for line in meminfo:
            name, _, rest = line.partition(":")
            if name in ("Dirty", "Writeback"):
                values[name] = int(rest.split()[0]) / 1024
    return values.get("Dirty", 0.0), values.get("Writeback", 0.0)


def _machine_busy() -> float:
    """CPU seconds the whole machine spent busy since boot (every core)."""
    with open("/proc/stat", encoding="ascii") as stat:
        values = [int(x) for x in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / TICK


@dataclass
class Sampler:
    root: int
    names: dict[int, str] = field(default_factory=dict)  # pid → multiprocessing name (from the marks)
    roles: dict[tuple[int, str], str] = field(default_factory=dict)  # (pid, name: it changes on exec) → role
    last: dict[int, Proc] = field(default_factory=dict)
    reaped: dict[int, float] = field(default_factory=dict)  # pid → CPU counted of the children it reaped
    system: dict[str, float] = field(default_factory=dict)  # role → system time sampled (reaped tails not split)

    def role(self, proc: Proc) -> str:
        key = (proc.pid, proc.comm)
        if key not in self.roles:
            if proc.pid == self.root:
                role = "build"
            elif self.names.get(proc.pid) == "gongkai-files":
                role = "files worker"
            elif self.names.get(proc.pid) == "gongkai-load":
                role = "loading worker"
            elif "pagefind" in proc.comm:
                role = "Pagefind"
            else:
                try:
                    with open(f"/proc/{proc.pid}/cmdline", "rb") as cmd:
                        line = cmd.read().decode("utf-8", "replace")
                except OSError:
                    line = ""
                if "search.py" in line:
                    role = "search indexer"
                elif "resource_tracker" in line:
                    role = "other"
                elif "spawn_main" in line:
                    return "worker (starting)"  # named once its pid is in the marks
                else:
                    role = "other"
            self.roles[key] = role
        return self.roles[key]

    def sample(self) -> dict[str, float]:
        """CPU seconds per role since the last sample (a process gone meanwhile: what its parent reaped).

        A process's ``reaped_s`` grows by a reaped child's whole CPU, its own children's included; what
        was counted of that child (its samples, and what it reaped: ``counted``) is taken off, so a child
        reaped after its parent's last sample (Pagefind's last run, reaped by the indexer as it ends) is
        not counted twice."""
        now = _tree(self.root)
        spent: dict[str, float] = {}
        for pid, proc in now.items():
            before = self.last.get(pid)
            delta = proc.self_s - (before.self_s if before is not None else 0.0)
            role = self.role(proc)
            spent[role] = spent.get(role, 0.0) + delta
            self.system[role] = self.system.get(role, 0.0) + proc.sys_s - (before.sys_s if before is not None else 0.0)
        gone = [p for p in self.last.values() if p.pid not in now]
        depth = {p.pid: self._depth(p.pid) for p in gone}
        for proc in sorted(gone, key=lambda p: -depth[p.pid]):  # a gone child's count goes to its gone parent first
            if proc.ppid in self.last:
                self.reaped[proc.ppid] = self.reaped.get(proc.ppid, 0.0) + self._counted(proc)
        for pid, proc in now.items():  # the tail of children reaped since: their parent's reaped time grew
            before = self.last.get(pid)
            children = [p for p in gone if p.ppid == pid]
            if before is None or not children:
                continue
            tail = proc.reaped_s - before.reaped_s - sum(self._counted(p) for p in children)
            if tail > 0:
                role = self.role(children[0])
                spent[role] = spent.get(role, 0.0) + tail
                self.reaped[pid] = self.reaped.get(pid, 0.0) + tail
        for proc in gone:
            self.reaped.pop(proc.pid, None)
        self.last = now
        return spent

    def _counted(self, proc: Proc) -> float:
        """What was counted of a process: its own CPU at its last sample, and of the children it reaped."""
        return proc.self_s + self.reaped.get(proc.pid, 0.0)

    def _depth(self, pid: int) -> int:
        depth = 0
        while pid in self.last and pid != self.root:
            pid, depth = self.last[pid].ppid, depth + 1
        return depth


def run(config: Path, site: Path, interval: float, log: Path, nice_worker: int = 0) -> dict[str, Any]:
    marks_path = site.parent / f"{site.name}.marks"
    load_before = os.getloadavg()
    machine_before = _machine_busy()
    with open(log, "w", encoding="utf-8") as out:
        child = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", str(config), str(site),
                                  str(marks_path)], stdout=out, stderr=subprocess.STDOUT, cwd=config.parent,
                                 start_new_session=True)
        sampler = Sampler(child.pid)
        samples: list[dict[str, Any]] = []
        machine = machine_before
        while True:
            t = time.monotonic()
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            for line in _lines(marks_path):
                if "pid" in line and sampler.names.get(line["pid"]) != line["name"]:
                    sampler.names[line["pid"]] = line["name"]
                    if nice_worker and line["name"] == "gongkai-files":  # a worker left behind, on purpose
                        with contextlib.suppress(OSError):
                            os.setpriority(os.PRIO_PROCESS, line["pid"], nice_worker)
                    sampler.roles = {k: v for k, v in sampler.roles.items() if k[0] != line["pid"]}
            spent = sampler.sample()
            busy = _machine_busy()
            dirty, writeback = _dirty_mb()
            samples.append({"t": t, "cpu": spent, "machine": busy - machine, "dirty_mb": dirty,
                            "writeback_mb": writeback})
            machine = busy
            time.sleep(max(0.0, interval - (time.monotonic() - t)))
    end = time.monotonic()
    returncode = os.waitstatus_to_exitcode(status)
    # The last interval: whatever the whole tree used that was not sampled (os.wait4's total).
    total = usage.ru_utime + usage.ru_stime
    seen = sum(sum(s["cpu"].values()) for s in samples)
    samples.append({"t": end, "cpu": {"(after the last sample)": max(0.0, total - seen)},
                    "machine": _machine_busy() - machine})
    return {"samples": samples, "marks": _lines(marks_path, everything=True), "end": end, "cpu_total": total,
            "returncode": returncode, "load_before": load_before, "load_after": os.getloadavg(),
            "system_s": sampler.system,
            "log_tail": log.read_text(encoding="utf-8", errors="replace").splitlines()[-10:]}


def _lines(path: Path, everything: bool = False) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return []
    lines = [json.loads(line) for line in text.splitlines() if line.endswith("}")]
    return lines if everything else [line for line in lines if "pid" in line]


ROLES = ("build", "loading worker", "files worker", "search indexer", "Pagefind")
# The build process's waits (from the marks): for the files worker's sizes (and how often), the reports it
# made itself instead, its writes to the search indexer's pipe, its wait for the loading worker's last chunk.
WAITS = ("waited", "waits", "stolen", "index_waited", "load_waited")


def phases(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The samples summed per phase (each sample counted to the phase running at its end)."""
    marks = [m for m in result["marks"] if "phase" in m]
    spans = []
    for i, m in enumerate(marks):
        end = marks[i + 1]["t"] if i + 1 < len(marks) else result["end"]
        after = marks[i + 1] if i + 1 < len(marks) else marks[-1]
        spans.append({"phase": m["phase"], "start": m["t"], "end": end,
                      **{key: after.get(key, 0) - m.get(key, 0) for key in WAITS}})
    table: dict[str, dict[str, Any]] = {}
    for span in spans:
        row = table.setdefault(span["phase"], {"phase": span["phase"], "wall": 0.0, "cpu": {}, "machine": 0.0,
                                               **{key: 0 for key in WAITS}})
        row["wall"] += span["end"] - span["start"]
        for key in WAITS:
            row[key] += span[key]
    previous = marks[0]["t"] if marks else 0.0
    for sample in result["samples"]:  # spread over the phases the interval covers, by their share of it
        t0, t1 = previous, sample["t"]
        previous = max(previous, t1)
        overlaps = [(span, max(0.0, min(t1, span["end"]) - max(t0, span["start"]))) for span in spans]
        covered = sum(o for _, o in overlaps)
        if covered <= 0:  # before the first mark or after the last: the nearest phase
            overlaps = [(spans[0] if t1 <= spans[0]["start"] else spans[-1], 1.0)]
            covered = 1.0
        for span, overlap in overlaps:
            if overlap <= 0:
                continue
            row = table[span["phase"]]
            for role, seconds in sample["cpu"].items():
                row["cpu"][role] = row["cpu"].get(role, 0.0) + seconds * overlap / covered
            row["machine"] += sample["machine"] * overlap / covered
    return list(table.values())


def report(result: dict[str, Any]) -> str:
    rows = phases(result)
    roles = [r for r in ROLES if any(row["cpu"].get(r, 0) > 0.005 for row in rows)]
    others = sorted({k for row in rows for k in row["cpu"]} - set(roles))
    heads = ["phase", "wall s", *roles, "other", "build CPU", "cores busy", "idle core-s", "machine busy",
             "waited s (n)", "stolen", "index pipe s", "load wait s"]
    lines = ["| " + " | ".join(heads) + " |", "| --- |" + " ---: |" * (len(heads) - 1)]
    totals: dict[str, float] = {}

    def cells(row: dict[str, Any]) -> list[str]:
        cpu = sum(row["cpu"].values())
        other = sum(row["cpu"].get(k, 0.0) for k in others)
        wall = max(row["wall"], 1e-9)
        return [row["phase"], f"{row['wall']:.1f}", *(f"{row['cpu'].get(r, 0.0):.1f}" for r in roles), f"{other:.1f}",
                f"{cpu:.1f}", f"{cpu / wall:.2f}", f"{2 * row['wall'] - cpu:.1f}", f"{row['machine'] / wall:.2f}",
                f"{row['waited']:.1f} ({row['waits']})", str(row["stolen"]), f"{row['index_waited']:.1f}",
                f"{row['load_waited']:.1f}"]

    whole: dict[str, Any] = {"phase": "**whole build**", "wall": 0.0, "cpu": {}, "machine": 0.0,
                             **{key: 0 for key in WAITS}}
    for row in rows:
        lines.append("| " + " | ".join(cells(row)) + " |")
        for key in ("wall", "machine", *WAITS):
            whole[key] += row[key]
        for role, seconds in row["cpu"].items():
            whole["cpu"][role] = whole["cpu"].get(role, 0.0) + seconds
            totals[role] = totals.get(role, 0.0) + seconds
    lines.append("| " + " | ".join(cells(whole)) + " |")
    lb, la = result["load_before"], result["load_after"]
    usage = next((m for m in result["marks"] if "own" in m), None)
    if usage is not None:
        lines.append(f"\nbuild process (getrusage): {usage['own']:.1f} s, the children it waited for {usage['children']:.1f} s")
    system = result.get("system_s", {})
    if system:
        lines.append("system time (sampled, of the CPU above): " + ", ".join(
            f"{role} {system[role]:.1f} s" for role in sorted(system, key=lambda r: -system[r]) if system[role] >= 0.05))
    dirty = [s.get("dirty_mb", 0.0) for s in result["samples"]]
    if any(dirty):
        lines.append(f"machine's dirty page cache: max {max(dirty):.0f} MB, "
                     f"written back at most {max(s.get('writeback_mb', 0.0) for s in result['samples']):.0f} MB at once")
    lines.append(f"CPU of the build's tree (os.wait4): {result['cpu_total']:.1f} s; load {lb[0]:.1f} → {la[0]:.1f}; "
                 f"exit {result['returncode']}; other roles: {', '.join(others) or 'none'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        _child(*argv[1:4])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="benchmark portal size (default: %(default)s)")
    parser.add_argument("--cache", type=Path, default=Path("/work/benchcache"), help="generated portals")
    parser.add_argument("--out", type=Path, required=True, help="a folder of your own: the portal and its site")
    parser.add_argument("--workers", default=None, help="plugins.gongkai.workers (default: the site's, auto)")
    parser.add_argument("--search", choices=("on", "off"), default="on")
    parser.add_argument("--open-data", choices=("on", "off"), default="on",
                        help="plugins.gongkai.open_data (off: the build without downloads, trends, roll-ups)")
    parser.add_argument("--attachments", choices=("on", "off"), default="on",
                        help="plugins.gongkai.attachments (off: open data's downloads without the Word and one-file pages)")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between samples")
    parser.add_argument("--nice-worker", type=int, default=0,
                        help="the files worker's niceness (e.g. 19: a worker that falls behind the pages)")
    parser.add_argument("--keep", action="store_true", help="keep the built site")
    parser.add_argument("--json", type=Path, default=None, help="write every sample and mark here")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    import shutil

    import measure
    import synth

    options: dict[str, Any] = {} if args.workers is None else {"workers": args.workers if args.workers == "auto"
                                                               else int(args.workers)}
    if args.search == "off":
        options["search"] = False
    if args.open_data == "off":
        options["open_data"] = False
    if args.attachments == "off":
        options["attachments"] = False
    root = args.out.resolve() / f"portal-{args.size}"
    portal = synth.cached_portal(root, args.size, args.cache.resolve(), plugin_options=options or None)
    site = root / "site"
    measure.set_aside(site, root)  # a deletion right before the build would cost it (measure.set_aside)
    result = run(portal.root / "mkdocs.yml", site, args.interval, root / "build.log", args.nice_worker)
    print(f"timeline: {args.size} reports, workers {args.workers or 'auto'}, search {args.search}, "
          f"open data {args.open_data}, attachments {args.attachments}")
    print(report(result))
    if result["returncode"]:
        print("\n".join(result["log_tail"]))
    if args.json is not None:
        args.json.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    if not args.keep:
        shutil.rmtree(site, ignore_errors=True)
    measure.empty_trash(root)
    return result["returncode"]


if __name__ == "__main__":
    sys.exit(main())
