"""Reading report files in two processes: this one and a worker, which share the files chunk by chunk.

A large portal's first load (``collection.ReportStore``) spends most of its time reading YAML and
type-checking each report, on one core while the other waits. ``parse_in_parallel`` hands the files
out in chunks (``CHUNK`` files each) to this process and to one worker process (``spawn``, as the
files worker: ``offload``): whichever is free takes the next chunk, so both finish together however
busy the machine is. The worker sends back each chunk's reports and findings pickled (without their
source marks, with their format by version), and this process puts them in the files' order: the
result is the same as reading every file here (``parse_file``), finding for finding.

A large portal is often read with a cold page cache (after a large build wrote the site): a thread of
this process asks the kernel for the next chunks' files (``Prefetcher``: ``posix_fadvise`` with
``POSIX_FADV_WILLNEED``, which starts their reads and returns) while both processes parse, so that
neither waits for the disk file by file. It only warms the page cache: what is read is unchanged.

A worker that cannot start, fails or dies costs only time: the chunks it did not send back are read
here (a report file that makes the reader fail then fails here, as without the worker).
"""

from __future__ import annotations

import contextlib
import copyreg
import io
import multiprocessing
import os
import pickle
import queue
import sys
import threading
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .findings import Finding, has_errors
from .formats import FORMATS, FormatSpec
from .loading import load_file
from .loading_caches import shared_path
from .model import CellValues, Report
from .parsing import parse_document
from .placement import Found, check_placement
from .validation import validate_report

START_METHOD = "spawn"  # as the files worker's (``offload``): the same on every system
CHUNK = 64  # files per chunk: ~0.2 s of work, small enough for the two processes to finish together
AHEAD = 2  # chunks handed to the worker before it asks for more (it never waits for the next one)
POLL_S = 0.5  # how often a wait checks that the worker is still alive
PREFETCH = 3  # chunks whose files are asked of the disk ahead of the last chunk taken (~0.6 MB of page cache)

Parsed = tuple[Report | None, list[Finding]]


def parse_file(path: Path, found: Found | None, display: str) -> Parsed:
    """One file read, typed and validated: its report (None when it has errors) and its own findings."""
    document, findings = load_file(path, display)
    report = None
    if document is not None:
        report, parse_findings = parse_document(document)
        findings = findings + parse_findings
        if has_errors(findings):
            report = None
        elif report is not None:
            findings.extend(check_placement(report, found or Found(path)))
            if has_errors(findings):
                report = None
            else:
                findings.extend(validate_report(report))
    return report, findings


@dataclass(frozen=True)
class Task:
    """A file to read, as the worker needs it."""

    path: str
    root: str | None  # the folder the walk started from (``Found.root``)
    display: str

    @classmethod
    def of(cls, found: Found, display: str) -> Task:
        return cls(str(found.path), None if found.root is None else str(found.root), display)


# --- the worker's side --------------------------------------------------------------------------


def _format(version: str) -> FormatSpec:
    return FORMATS[version]


def _reduce_format(spec: FormatSpec) -> tuple[Any, tuple[str]]:
    return _format, (spec.version,)


# A format declaration goes by its version (this process's own declarations are shared by every report).
_DISPATCH = {**copyreg.dispatch_table, FormatSpec: _reduce_format}


def _slim(parsed: Parsed) -> Parsed:
    """What is kept of a report until the load ends: no positions (read again from the file when asked for:
    ``collection._compact``), its values compact (pickled as their layout, once a chunk, and numbers)."""
    report = parsed[0]
    if report is not None:
        report.marks = {}
        report.values = CellValues.of(report.values)
    return parsed


def _parse_chunk(tasks: Sequence[Task]) -> list[Parsed]:
    parsed = []
    for task in tasks:
        path = Path(task.path)
        parsed.append(_slim(parse_file(path, Found(path, None if task.root is None else Path(task.root)), task.display)))
    return parsed


def dumps(parsed: list[Parsed]) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(parsed)
    return buffer.getvalue()


def loads(data: bytes) -> list[Parsed]:
    """A chunk's results, each report's cell paths the ones this process shares (``shared_path``, ``CellValues``)."""
    parsed: list[Parsed] = pickle.loads(data)
    for report, _ in parsed:
        if isinstance(report, Report) and isinstance(report.values, dict):  # (past CellValues' bound of layouts)
            report.values = {shared_path(path): value for path, value in report.values.items()}
    return parsed


def work(tasks: Connection, results: Connection, close: Sequence[Connection] = ()) -> None:
    """The worker: chunks of tasks in (``(number, tasks)``, ``None`` to stop), ``(number, pickled results)`` out.

    A chunk that fails is answered with ``(number, None)``: the main process reads it itself."""
    for end in close:  # the main process's ends, inherited when forked
        end.close()
    while True:
        try:
            message = tasks.recv()
        except (EOFError, KeyboardInterrupt):  # the main process is gone, or Ctrl-C: it says so, not this one
            return
        if message is None:
            return
        number, chunk = message
        try:
            payload: bytes | None = dumps(_parse_chunk(chunk))
        except KeyboardInterrupt:
            return
        except Exception:  # noqa: BLE001 (the main process reads the chunk again and fails as it would alone)
            payload = None
        try:
            results.send((number, payload))
        except OSError:  # the main process is gone
            return


def _start(process: Any) -> None:
    """Starts the worker with the starting program's main module hidden: with ``spawn``, multiprocessing would
    run it again in the worker (``mkdocs``'s command line, a script without an ``if __name__ == "__main__"``
    guard). As the files worker is started (``offload``)."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        process.start()
    finally:
        if main is not None:
            sys.modules["__main__"] = main


# --- this process's side ------------------------------------------------------------------------


def prefetch_file(path: str) -> None:
    """Asks the kernel to read a regular file into the page cache; returns once the reads are started."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not hang the open
    except OSError:
        return  # the reader says what is wrong with it
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
    except OSError:  # not a regular file (the survey refuses those): the reader says so
        pass
    finally:
        os.close(fd)


class Prefetcher:
    """Warms the page cache for the chunks ahead of the reading, on a thread of its own (``ahead``).

    Opening a file whose folder and inode are not cached waits for the disk, and ``os.open`` lets the
    parsing go on meanwhile (it releases the GIL). Systems without ``posix_fadvise`` do without."""

    def __init__(self, chunks: Sequence[Sequence[Task]]) -> None:
        self.chunks = chunks
        self.asked = 0  # chunks handed to the thread (under ``lock``)
        self.lock = threading.Lock()
        self.queue: queue.SimpleQueue[int | None] = queue.SimpleQueue()
        self.thread: threading.Thread | None = None
        if hasattr(os, "posix_fadvise"):
            self.thread = threading.Thread(target=self._run, name="gongkai-load-prefetch", daemon=True)
            self.thread.start()

    def ahead(self, number: int) -> None:
        """Chunk ``number`` is being taken: the chunks up to ``PREFETCH`` after it are asked for."""
        if self.thread is None:
            return
        with self.lock:
            last = min(number + PREFETCH, len(self.chunks) - 1)
            while self.asked <= last:
                self.queue.put(self.asked)
                self.asked += 1

    def _run(self) -> None:
        while (number := self.queue.get()) is not None:
            for task in self.chunks[number]:
                prefetch_file(task.path)

    def stop(self) -> None:
        if self.thread is not None:
            self.queue.put(None)


class _Worker:
    """The worker process and the thread that feeds it chunks and keeps what it sends back."""

    def __init__(self, chunks: Sequence[Sequence[Task]], start_method: str, prefetcher: Prefetcher) -> None:
        self.chunks = chunks
        self.prefetcher = prefetcher
        self.claimed = 0  # chunks taken, by either process (under ``lock``)
        self.lock = threading.Lock()
        self.sent: set[int] = set()  # chunks handed to the worker and not yet answered
        self.received: dict[int, bytes] = {}  # pickled results of the chunks the worker read
        context: Any = multiprocessing.get_context(start_method)
        task_reader, self.tasks = context.Pipe(duplex=False)
        self.results, result_writer = context.Pipe(duplex=False)
        self.process = context.Process(target=work, name="gongkai-load", daemon=True,
                                       args=(task_reader, result_writer, (self.tasks, self.results)))
        _start(self.process)
        task_reader.close()
        result_writer.close()
        self.thread = threading.Thread(target=self._serve, name="gongkai-load-feeder", daemon=True)
        self.thread.start()

    def claim(self) -> int | None:
        """The next chunk nobody has taken, or None."""
        with self.lock:
            if self.claimed >= len(self.chunks):
                return None
            self.claimed += 1
            number = self.claimed - 1
        self.prefetcher.ahead(number)
        return number

    def claim_all(self) -> None:
        with self.lock:
            self.claimed = len(self.chunks)

    def _hand(self) -> bool:
        number = self.claim()
        if number is None:
            return False
        self.sent.add(number)
        self.tasks.send((number, self.chunks[number]))
        return True

    def _serve(self) -> None:
        try:
            for _ in range(AHEAD):
                self._hand()
            while self.sent:
                while not self.results.poll(POLL_S):
                    if not self.process.is_alive():
                        raise EOFError
                number, payload = self.results.recv()
                self.sent.discard(number)
                if payload is None:  # it failed on the chunk: read here, and no more handed to it
                    raise EOFError
                self.received[number] = payload
                self._hand()
        except Exception:  # noqa: BLE001 (the worker is gone or sent nonsense: what it did not send is read here)
            pass
        finally:
            with contextlib.suppress(OSError, ValueError):
                self.tasks.send(None)
            self.tasks.close()

    def finish(self) -> None:
        """Waits for the worker's last chunk; the worker ends."""
        self.thread.join()
        self.results.close()
        self.process.join(POLL_S * 4)
        if self.process.is_alive():  # pragma: no cover - it ends on the stop message or the closed pipe
            self.process.kill()
            self.process.join()


def parse_in_parallel(tasks: Sequence[tuple[Path, Found, str]], *, start_method: str = START_METHOD) -> list[Parsed]:
    """Every file's ``parse_file`` result, in the order given, read by this process and a worker."""
    chunks = [[Task.of(found, display) for _, found, display in tasks[i:i + CHUNK]]
              for i in range(0, len(tasks), CHUNK)]
    results: list[Parsed | None] = [None] * len(tasks)
    done = [False] * len(chunks)

    def read_here(number: int) -> None:
        start = number * CHUNK
        for index in range(start, min(start + CHUNK, len(tasks))):
            path, found, display = tasks[index]
            results[index] = _slim(parse_file(path, found, display))
        done[number] = True

    def take(worker: _Worker) -> None:
        for number in list(worker.received):  # (the feeder thread adds to it)
            chunk = loads(worker.received.pop(number))
            results[number * CHUNK:number * CHUNK + len(chunk)] = chunk
            done[number] = True

    prefetcher = Prefetcher(chunks)
    try:
        _read_everything(chunks, start_method, prefetcher, read_here, take, done)
    finally:
        prefetcher.stop()
    return [result for result in results if result is not None]  # every chunk was read, here or there


def _read_everything(chunks: Sequence[Sequence[Task]], start_method: str, prefetcher: Prefetcher,
                     read_here: Callable[[int], None], take: Callable[[_Worker], None], done: list[bool]) -> None:
    prefetcher.ahead(0)
    try:
        worker: _Worker | None = _Worker(chunks, start_method, prefetcher)
    except (OSError, ValueError, RuntimeError):  # no worker: everything is read here
        worker = None
    if worker is None:
        for number in range(len(chunks)):
            prefetcher.ahead(number)
            read_here(number)
    else:
        try:
            while (claimed := worker.claim()) is not None:
                read_here(claimed)
                take(worker)  # what the worker sent meanwhile: only a chunk or two is ever held pickled
        finally:  # also when reading a file here failed: nothing more is handed out, the worker ends
            worker.claim_all()
            worker.finish()
        take(worker)
        for number in range(len(chunks)):
            if not done[number]:  # the worker's, not sent back
                read_here(number)
