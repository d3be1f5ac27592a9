"""A full build writes each report's downloads and attachments and the portal dataset itself, beside
the pages, in a worker process or in-process (``gongkai.offload``): the same bytes either way and as
``mkdocs serve``'s files (``OpenData.files()``), the sizes the pages show, and every failure a clear
message naming the file, with no half-published site and no process left behind."""

from __future__ import annotations

import contextlib
import copy
import errno
import logging
import multiprocessing
import os
import signal
from pathlib import Path

import pytest
import yaml
from opendata_kit import copy_portal

from gongkai import offload
from gongkai.attachments import Attachments
from gongkai.indexing import Layout, build_index
from gongkai.offload import FilesWriter, Offload, OffloadError, Plan
from gongkai.opendata import dataset
from gongkai.opendata.site import OpenData

METHODS = [m for m in ("spawn", "fork") if m in multiprocessing.get_all_start_methods()]


def _tree(root: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not any(p.relative_to(root).as_posix().startswith(s) for s in skip)}


def _offload(reports, site: Path, *, worker: bool, method: str = "spawn") -> Offload:
    plan = Plan(str(site), Layout())
    job = Offload(plan, build_index(reports).reports, worker=worker, start_method=method)
    job.start()
    return job


def _run(job: Offload) -> dict[tuple[str, int], tuple[int, ...]]:
    try:
        sizes = {r.key: job.sizes(r) for r in job.reports}
        job.finish()
    finally:
        job.stop()
    return sizes


@pytest.mark.parametrize("method", METHODS)
def test_worker_and_in_process_write_the_same_bytes_and_sizes(sample_reports, tmp_path: Path, method: str) -> None:
    in_process = _run(_offload(sample_reports, tmp_path / "a", worker=False))
    job = _offload(sample_reports, tmp_path / "b", worker=True, method=method)
    in_worker = _run(job)
    assert not job.process.is_alive() and job.process.exitcode == 0
    assert in_worker == in_process
    a, b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert a == b and len(a) == 6 * len(sample_reports) + 2
    for report in sample_reports:  # the sizes the pages show are the files'
        slug, year = report.key
        names = [f"reports/{slug}/{year}.{s}" for s in ("csv", "xlsx", "json")] + [
            f"reports/{slug}/{year}/{slug}-{year}{s}" for s in (".fragment.htm", ".htm", ".docx")]
        assert in_process[report.key] == tuple(len(a[n]) for n in names)


def test_the_files_are_serve_s_files_and_the_dataset_is_in_the_index_order(sample_reports, tmp_path: Path) -> None:
    """The same bytes as ``OpenData.files()`` (what ``mkdocs serve`` and main's full build write)."""
    _run(_offload(sample_reports, tmp_path / "offload", worker=False))
    index = build_index(sample_reports)
    data = OpenData(index, Layout())
    data.more = Attachments(index.reports, Layout())
    served = tmp_path / "served"
    for file in data.files():
        data.aim(file.src_uri, str(served / file.src_uri))
    for file in data.files():
        if "/open_data/" not in file.src_uri or file.src_uri.endswith(("cells.csv", "reports-data.json")):
            file.write_to(str(served / file.src_uri))
    assert _tree(tmp_path / "offload") == _tree(served)
    ordered = index.reports
    assert [r.year for r in ordered] == sorted((r.year for r in ordered), reverse=True)
    folder = tmp_path / "offload" / "reports" / "open_data"
    assert (folder / dataset.CELLS_CSV).read_bytes() == b"".join(dataset.dataset_csv(ordered))
    assert (folder / dataset.CELLS_JSON).read_bytes() == b"".join(dataset.dataset_json(ordered))


def test_a_report_pickled_for_the_worker_shares_the_format_declaration(sample_reports) -> None:
    report = sample_reports[0]
    back = offload.loads(offload.dumps(report))
    assert back.format is report.format  # the worker's caches (per declaration) stay one entry per format
    assert back.values == report.values and back.narrative == report.narrative and back.source == report.source
    assert back.marks == {} and report.marks  # the source marks stay behind


# --- failures -------------------------------------------------------------------------------------


def _blocked(site: Path, report) -> str:
    """A folder where the report's XLSX goes: writing it fails as a full disk would (OSError)."""
    uri = f"reports/{report.agency.slug}/{report.year}.xlsx"
    (site / uri).mkdir(parents=True)
    return uri


@pytest.mark.parametrize("worker", [False, True])
def test_a_failed_write_names_the_file(sample_reports, tmp_path: Path, worker: bool) -> None:
    victim = build_index(sample_reports).reports[3]
    uri = _blocked(tmp_path, victim)
    job = _offload(sample_reports, tmp_path, worker=worker)
    with pytest.raises(OffloadError, match=f"写入 {uri} 失败") as caught:
        _run(job)
    assert "网站未生成" in str(caught.value) and "Traceback" not in str(caught.value)
    assert job.process is None or not job.process.is_alive()


class _Broken:
    """Not a report: making its files raises (an exception in the worker)."""

    display_path = "reports/broken/2023.yml"
    key = ("broken", 2023)


@pytest.mark.parametrize("worker", [False, True])
def test_an_exception_while_making_a_file_names_the_report(sample_reports, tmp_path: Path, worker: bool) -> None:
    broken = copy.copy(build_index(sample_reports).reports[2])
    broken.display_path = "reports/broken/2023.yml"
    broken.narrative = None  # making its JSON raises AttributeError
    reports = [*build_index(sample_reports).reports[:2], broken]
    job = Offload(Plan(str(tmp_path), Layout()), reports, worker=worker)
    job.start()
    with pytest.raises(OffloadError, match="生成报告 reports/broken/2023.yml 的下载文件和附件时出错（AttributeError"):
        _run(job)
    assert job.process is None or not job.process.is_alive()


def test_a_killed_worker_is_reported_and_no_process_is_left(sample_reports, tmp_path: Path) -> None:
    job = _offload(sample_reports, tmp_path, worker=True)
    os.kill(job.process.pid, signal.SIGKILL)  # still starting: it has written nothing
    with pytest.raises(OffloadError, match=r"后台进程意外退出（退出码 -9"):  # (the first reports may be made here)
        _run(job)
    job.stop()
    assert not job.process.is_alive()
    assert _no_worker_left()


def test_writer_writes_without_temporary_files(sample_reports, tmp_path: Path) -> None:
    writer = FilesWriter(Plan(str(tmp_path), Layout()))
    writer.open()
    writer.write(sample_reports[0])
    writer.finish()
    assert not list(tmp_path.rglob("*.part")) and not list(tmp_path.rglob(".gongkai-*"))


# --- in a build -----------------------------------------------------------------------------------


def _portal(tmp_path: Path, **options) -> Path:
    built = copy_portal(tmp_path / "portal")
    config = yaml.load((built.root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "gongkai" in plugin:
            plugin["gongkai"].update({"search": False, **options})
    (built.root / "mkdocs.yml").write_text(yaml.dump(config, allow_unicode=True), encoding="utf-8")
    return built.root


def _build(root: Path, site: Path) -> None:
    """``mkdocs build`` as its command line runs it (a full build, staged beside ``site``), in this process."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cwd = os.getcwd()
    os.chdir(root)
    try:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        os.chdir(cwd)


def _no_worker_left() -> bool:
    return not [p for p in multiprocessing.active_children() if p.name == "gongkai-files"]


@pytest.mark.parametrize("method", METHODS)
def test_a_build_with_the_worker_equals_the_build_in_process(tmp_path: Path, monkeypatch, method: str) -> None:
    monkeypatch.setattr(offload, "START_METHOD", method)
    in_process = _portal(tmp_path / "zero", workers=0)
    _build(in_process, in_process / "site")
    with_worker = _portal(tmp_path / "one", workers=1)
    _build(with_worker, with_worker / "site")
    a, b = _tree(in_process / "site"), _tree(with_worker / "site")
    assert a == b
    assert "reports/shifan-zhen/2023/shifan-zhen-2023.docx" in a and "reports/open_data/cells.csv" in a
    assert _no_worker_left()


def _fails(root: Path, caplog) -> str:
    from mkdocs.exceptions import Abort

    site = root / "site"
    site.mkdir()
    (site / "last-good.html").write_text("上次成功生成的网站", encoding="utf-8")
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        _build(root, site)
    assert _tree(site) == {"last-good.html": "上次成功生成的网站".encode()}  # site/ untouched
    assert not [p.name for p in root.iterdir() if p.name.startswith(".gongkai-")]  # the staging folder discarded
    assert _no_worker_left()
    return caplog.text


@pytest.mark.parametrize("workers", [0, 1])
def test_a_full_disk_fails_the_build_naming_the_file(tmp_path: Path, monkeypatch, caplog, workers: int) -> None:
    monkeypatch.setattr(offload, "START_METHOD", "fork" if "fork" in METHODS else "spawn")  # the worker inherits the fault
    real = offload.write_chunks

    def full(path, chunks):
        if str(path).endswith("shifan-zhen-2023.docx"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, chunks)

    monkeypatch.setattr(offload, "write_chunks", full)
    if workers and "fork" not in METHODS:
        pytest.skip("the fault is put into the worker by forking")
    text = _fails(_portal(tmp_path, workers=workers), caplog)
    assert "gongkai：写入 reports/shifan-zhen/2023/shifan-zhen-2023.docx 失败（No space left on device）" in text
    assert "Traceback" not in text


@pytest.mark.parametrize("worker_behind", [False, True])
def test_an_exception_in_the_worker_fails_the_build_naming_the_report(tmp_path: Path, monkeypatch, caplog,
                                                                      worker_behind: bool) -> None:
    if "fork" not in METHODS:
        pytest.skip("the fault is put into the worker by forking")
    monkeypatch.setattr(offload, "START_METHOD", "fork")
    if worker_behind:  # the worker reads its reports slowly: the build process makes them itself
        import time

        read = offload.loads_batch
        monkeypatch.setattr(offload, "loads_batch", lambda data: (time.sleep(0.5), read(data))[1])
    real = FilesWriter.make

    def failing(self, report):
        if report.key == ("shifan-zhen", 2023):
            raise RuntimeError("模拟的错误")
        return real(self, report)

    # ``make``: what the worker and the build process (taking a report when the worker is behind) both
    # call, so the report fails wherever it is made, with the same message.
    monkeypatch.setattr(FilesWriter, "make", failing)
    text = _fails(_portal(tmp_path, workers=1), caplog)
    assert "gongkai：生成报告 reports/shifan-zhen/2023.yml 的下载文件和附件时出错（RuntimeError：模拟的错误）" in text


def test_a_killed_worker_fails_the_build(tmp_path: Path, monkeypatch, caplog) -> None:
    real = Offload.start

    def start_and_kill(self):
        real(self)
        os.kill(self.process.pid, signal.SIGKILL)

    monkeypatch.setattr(Offload, "start", start_and_kill)
    text = _fails(_portal(tmp_path, workers=1), caplog)
    assert "gongkai：生成下载文件和附件的后台进程意外退出（退出码 -9" in text


def test_auto_uses_the_worker_for_a_large_portal_only() -> None:
    from gongkai.mkdocs_plugin.data_files import WORKER_FROM_REPORTS, use_worker

    assert use_worker("auto", WORKER_FROM_REPORTS) and not use_worker("auto", WORKER_FROM_REPORTS - 1)
    assert use_worker(1, 1) and not use_worker(0, 10 ** 6)


def test_a_script_without_a_main_guard_can_use_the_worker(tmp_path: Path) -> None:
    """``spawn`` runs the main module again in a new process unless told not to: a script calling the
    build without ``if __name__ == "__main__"`` must not start itself again (nor fail)."""
    import subprocess
    import sys

    from opendata_kit import REPO

    script = tmp_path / "unguarded.py"
    script.write_text(
        "from pathlib import Path\n"
        "from gongkai.collection import load_portal\n"
        "from gongkai.indexing import Layout, build_index\n"
        "from gongkai.offload import Offload, Plan\n"
        f"reports = build_index(load_portal([Path({str(REPO / 'reports')!r})], base=Path({str(REPO)!r})).reports).reports[:2]\n"
        f"job = Offload(Plan({str(tmp_path / 'site')!r}, Layout()), reports, worker=True, start_method='spawn')\n"
        "job.start()\n"
        "print([job.sizes(r)[0] > 0 for r in reports])\n"
        "job.finish()\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[True, True]"  # printed once: the script ran once


# --- the build process takes reports when the worker is behind --------------------------------------


def _held(job: Offload, seconds: float):
    """The worker stopped (SIGSTOP) now and let go on after ``seconds``: it is behind, whatever the machine."""
    import threading

    os.kill(job.process.pid, signal.SIGSTOP)

    def go_on() -> None:
        with contextlib.suppress(ProcessLookupError):  # (ended meanwhile)
            os.kill(job.process.pid, signal.SIGCONT)

    timer = threading.Timer(seconds, go_on)
    timer.start()
    return timer


@pytest.mark.parametrize("hold", [0.0, 0.3, 3.0])
def test_reports_taken_from_a_held_worker_give_the_same_bytes_and_sizes(sample_reports, tmp_path: Path,
                                                                        hold: float) -> None:
    """Stopped for a while, the worker leaves the next reports to the build process: every file, every
    size and the dataset (whose shares come from both processes, in the pages' order) as in process."""
    in_process = _run(_offload(sample_reports, tmp_path / "a", worker=False))
    job = _offload(sample_reports, tmp_path / "b", worker=True)
    timer = _held(job, hold)
    try:
        in_worker = _run(job)
    finally:
        timer.join()
    assert in_worker == in_process
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    if hold >= 3.0:  # every report asked for while the worker was stopped was made here
        assert job.stolen >= len(sample_reports) - 1
    assert job.process.exitcode == 0 and _no_worker_left()


def test_a_slow_worker_shares_the_reports_with_the_build_process(sample_reports, tmp_path: Path, monkeypatch) -> None:
    """A worker slower than the pages: the two processes alternate, the dataset stays in order."""
    if "fork" not in METHODS:
        pytest.skip("the delay is put into the worker by forking")
    import time

    in_process = _run(_offload(sample_reports, tmp_path / "a", worker=False))
    real = FilesWriter.write

    def slow(self, report):
        time.sleep(0.15)
        return real(self, report)

    monkeypatch.setattr(FilesWriter, "write", slow)  # the worker's (the build process uses make + put)
    job = _offload(sample_reports, tmp_path / "b", worker=True, method="fork")
    deadline = time.monotonic() + 60  # however slowly the worker starts, it takes the first report
    while job.claimed.value == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    in_worker = _run(job)
    assert in_worker == in_process
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    assert 0 < job.stolen < len(sample_reports)  # both made some
    folder = tmp_path / "b" / "reports" / "open_data"
    ordered = build_index(sample_reports).reports
    assert (folder / dataset.CELLS_CSV).read_bytes() == b"".join(dataset.dataset_csv(ordered))
    assert (folder / dataset.CELLS_JSON).read_bytes() == b"".join(dataset.dataset_json(ordered))


@pytest.mark.parametrize("open_data, attachments", [(True, False), (False, True)])
def test_taking_reports_without_open_data_or_attachments(sample_reports, tmp_path: Path, open_data: bool,
                                                         attachments: bool) -> None:
    plan = Plan(str(tmp_path / "a"), Layout(), open_data=open_data, attachments=attachments)
    reports = build_index(sample_reports).reports
    expected = _run(_started(Offload(plan, reports, worker=False)))
    job = _started(Offload(Plan(str(tmp_path / "b"), Layout(), open_data=open_data, attachments=attachments),
                           reports, worker=True))
    timer = _held(job, 1.0)
    try:
        assert _run(job) == expected
    finally:
        timer.join()
    assert job.stolen and _tree(tmp_path / "a") == _tree(tmp_path / "b")


def _started(job: Offload) -> Offload:
    job.start()
    return job


def test_a_failed_write_in_the_build_process_names_the_file_and_ends_the_worker(sample_reports,
                                                                                 tmp_path: Path) -> None:
    victim = build_index(sample_reports).reports[3]
    uri = _blocked(tmp_path, victim)
    job = _offload(sample_reports, tmp_path, worker=True)
    timer = _held(job, 1.0)  # reports 1, 2, 3… are the build process's
    try:
        with pytest.raises(OffloadError, match=f"写入 {uri} 失败") as caught:
            _run(job)
    finally:
        timer.join()
    assert job.stolen and "网站未生成" in str(caught.value)
    assert not job.process.is_alive() and _no_worker_left()


def test_an_exception_in_the_build_process_names_the_report(sample_reports, tmp_path: Path) -> None:
    broken = copy.copy(build_index(sample_reports).reports[2])
    broken.display_path = "reports/broken/2023.yml"
    broken.narrative = None  # making its JSON raises AttributeError
    reports = [*build_index(sample_reports).reports[:2], broken]
    job = _started(Offload(Plan(str(tmp_path), Layout()), reports, worker=True))
    timer = _held(job, 1.0)
    try:
        with pytest.raises(OffloadError, match="生成报告 reports/broken/2023.yml 的下载文件和附件时出错（AttributeError"):
            _run(job)
    finally:
        timer.join()
    assert not job.process.is_alive() and _no_worker_left()


def test_a_worker_killed_while_reports_are_taken_is_reported(sample_reports, tmp_path: Path) -> None:
    """Killed while the build process makes reports itself (and sends their shares of the dataset)."""
    job = _offload(sample_reports, tmp_path, worker=True)
    os.kill(job.process.pid, signal.SIGSTOP)
    for report in job.reports[:3]:
        job.sizes(report)
    assert job.stolen >= 2
    os.kill(job.process.pid, signal.SIGKILL)
    with pytest.raises(OffloadError, match=r"后台进程意外退出（退出码 -9"):
        _run(job)
    assert not job.process.is_alive() and _no_worker_left()


def test_a_build_whose_worker_is_held_equals_the_build_in_process(tmp_path: Path, monkeypatch) -> None:
    """``mkdocs build`` with the worker stopped for the first seconds: the pages take its reports, and the
    site is the in-process build's, byte for byte."""
    in_process = _portal(tmp_path / "zero", workers=0)
    _build(in_process, in_process / "site")
    real = Offload.start
    taken: list[Offload] = []

    def start_and_hold(self):
        real(self)
        taken.append(self)
        _held(self, 2.0)

    monkeypatch.setattr(Offload, "start", start_and_hold)
    with_worker = _portal(tmp_path / "one", workers=1)
    _build(with_worker, with_worker / "site")
    assert _tree(in_process / "site") == _tree(with_worker / "site")
    assert taken and taken[0].stolen > 0
    assert _no_worker_left()


def test_a_build_failing_after_the_worker_started_leaves_no_worker(tmp_path: Path, monkeypatch, caplog) -> None:
    """The worker starts as the pages are planned (``on_files``): a page of docs/ in the place of a
    generated one fails the build after that, with the site untouched and no worker left."""
    real = Offload.start
    started: list[Offload] = []

    def start(self):
        real(self)
        started.append(self)

    monkeypatch.setattr(Offload, "start", start)
    root = _portal(tmp_path, workers=1)
    clash = root / "docs" / "reports" / "shifan-zhen" / "2023.md"
    clash.parent.mkdir(parents=True, exist_ok=True)
    clash.write_text("# 同名页面\n", encoding="utf-8")
    text = _fails(root, caplog)
    assert "docs 目录中的 reports/shifan-zhen/2023.md 与自动生成的页面同名" in text
    assert started and started[0].process.exitcode is not None


def test_a_batch_taken_whole_by_the_build_process_is_not_unpickled(sample_reports, tmp_path: Path) -> None:
    """The worker behind by a whole batch puts the build process's shares in place without unpickling
    the batch (here its count and then not a pickle at all: unpickled, it would fail), then goes on with its own reports;
    the dataset is the in-process one, byte for byte."""
    import threading

    reports = build_index(sample_reports).reports
    assert len(reports) > offload.BATCH
    plan = Plan(str(tmp_path / "b"), Layout())
    context = multiprocessing.get_context("spawn")
    task_reader, tasks = context.Pipe(duplex=False)
    results, result_writer = context.Pipe(duplex=False)
    share_reader, shares = context.Pipe(duplex=False)
    claimed = context.Value("q", offload.BATCH)  # the build process took the first batch
    worker = threading.Thread(target=offload.work, args=(plan, task_reader, result_writer, (), claimed, share_reader))
    worker.start()
    thief = FilesWriter(plan)
    made = []
    for position, report in enumerate(reports[:offload.BATCH]):
        files, share = thief.make(report)
        thief.put(files)
        made.append((position, share))
    # From a thread, as Offload._send_shares: the shares fill the pipe before the worker reads them.
    sender = threading.Thread(target=lambda: [shares.send(item) for item in made])
    sender.start()
    tasks.send_bytes(offload.BATCH.to_bytes(4, "little") + b"not a pickle")
    for start in range(offload.BATCH, len(reports), offload.BATCH):
        tasks.send_bytes(offload.dumps_batch(reports[start:start + offload.BATCH]))
    tasks.send_bytes(b"")
    messages = []
    while results.poll(60):
        messages += results.recv()  # the worker sends its messages several at a time
        if messages[-1][0] == "done":
            break
    worker.join(30)
    sender.join(30)
    message = messages.pop()
    assert message[0] == "done" and not worker.is_alive()
    assert all(m[0] != "error" for m in messages), messages
    assert [position for position, _ in messages] == list(range(offload.BATCH, len(reports)))
    in_process = _offload(sample_reports, tmp_path / "a", worker=False)
    _run(in_process)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def _worker_in_a_thread(plan: Plan, claimed):
    import threading

    context = multiprocessing.get_context("spawn")
    task_reader, tasks = context.Pipe(duplex=False)
    results, result_writer = context.Pipe(duplex=False)
    worker = threading.Thread(target=offload.work, args=(plan, task_reader, result_writer, (), claimed, None))
    worker.start()
    return worker, tasks, results


def test_the_sizes_of_a_batch_come_back_in_one_message(sample_reports, tmp_path: Path) -> None:
    """The worker ahead of the pages: one message (a list, in order) for the sizes of a whole batch,
    which the build process polls, reads and unpickles once, not once a report."""
    reports = build_index(sample_reports).reports[:offload.BATCH]
    assert len(reports) > 1
    claimed = multiprocessing.get_context("spawn").Value("q", 0)
    worker, tasks, results = _worker_in_a_thread(Plan(str(tmp_path), Layout()), claimed)
    tasks.send_bytes(offload.dumps_batch(reports))
    assert results.poll(60)
    message = results.recv()
    assert [position for position, _ in message] == list(range(len(reports)))
    tasks.send_bytes(b"")
    assert results.poll(60) and results.recv()[0][0] == "done"
    worker.join(30)


def test_sizes_the_build_process_waits_for_are_sent_at_once(sample_reports, tmp_path: Path, monkeypatch) -> None:
    """The build process took a report after those made (it had nothing to read): the worker sends the
    sizes it holds before it goes on, not at the end of the batch."""
    import threading

    reports = build_index(sample_reports).reports[:offload.BATCH]
    assert len(reports) >= 4
    claimed = multiprocessing.get_context("spawn").Value("q", 0)
    first_read = threading.Event()
    real = FilesWriter.write

    positions = {report.key: n for n, report in enumerate(reports)}

    def write(self, report):
        position = positions[report.key]
        if position == 1:  # meanwhile the build process takes the next report (2)
            claimed.value = 3
        if position == 2:
            raise AssertionError("made twice")
        if position == 3:  # the first message is read before the worker sends another
            first_read.wait(30)
        return real(self, report)

    monkeypatch.setattr(FilesWriter, "write", write)
    worker, tasks, results = _worker_in_a_thread(Plan(str(tmp_path), Layout()), claimed)
    tasks.send_bytes(offload.dumps_batch(reports))
    assert results.poll(60)
    message = results.recv()
    first_read.set()
    assert [position for position, _ in message] == [0, 1]
    tasks.send_bytes(b"")
    worker.join(30)
