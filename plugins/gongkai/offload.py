"""Each report's own files, written by gongkai beside the pages of a full build, in a second process.

A full build (``mkdocs build``, staged beside ``site/`` and swapped in whole: ``publishing``) has
every report's downloads (CSV, XLSX, JSON: ``opendata``) and attachments (fragment, one-file page,
Word: ``attachments``) and the portal dataset (``cells.csv``, ``reports-data.json``) written here,
not by MkDocs: ``FilesWriter`` makes a report's files, writes them straight to their place (no
temporary name: the staged site is discarded whole on failure) and appends the report's share of
the dataset. The dataset's order is the order reports come in: the report pages' (``dataset.ORDER``).

``Offload`` runs a ``FilesWriter`` in a worker process (``worker=True``, ``multiprocessing``; it
works with the ``spawn`` start method, as on Windows) or in this one. The reports are sent a few at
a time (``BATCH``, one pickle), in the order the pages are written, by a feeder thread over a pipe
(so at most a pipe's worth of reports is in flight: memory stays bounded however large the
portal), each without its source marks and with its format declaration by name (``dumps_batch``:
the worker's caches are per declaration). The worker sends back each report's file sizes, which the report page's
download links show, a batch's in one message, from a thread (it never stops because this process is busy elsewhere). When a page
asks ``sizes(report)`` and the worker is behind, this process does not wait: it takes the next report
nobody has taken (a shared counter: each report is made once, by either process) and makes it, and the
worker puts that report's share of the dataset, sent to it, in its place: the dataset keeps its order and
its bytes. In process, ``sizes`` writes the reports up to the one asked for.

A failure (an exception while making a file, a write that fails, the worker killed) is an
``OffloadError`` naming the file; ``stop()`` ends the worker (a failed build), ``finish()`` waits for
the last report and the dataset and ends it.
"""

from __future__ import annotations

import collections
import contextlib
import copy
import copyreg
import io
import multiprocessing
import os
import pickle
import queue
import sys
import threading
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from .formats import FORMATS, FormatSpec
from .indexing import Layout
from .model import Report
from .opendata import dataset
from .opendata.exports import rendered, report_xlsx
from .opendata.fileio import write_chunks
from .opendata.places import DOWNLOADS, FOLDER, report_file

if TYPE_CHECKING:
    from .attachments import Kind

# The worker (a new interpreter for each build: ``spawn``) imports this module and what it needs to make
# the files, nothing of the pages: ``attachments`` (the report pages' rendering) only with attachments,
# ``opendata.site`` (its pages, charts and templates: Jinja) never: the names of the files are in
# ``opendata.places``. ``tests/core/test_worker_imports.py`` keeps it so.
START_METHOD = "spawn"  # the same on every system (Windows has no other); the worker imports only what it needs
POLL_S = 0.5  # how often a wait checks that the worker is still alive


class OffloadError(Exception):
    """A report's files could not be made or written (the message names the file)."""


def _kinds() -> tuple[Kind, ...]:
    from .attachments import KINDS

    return KINDS


@dataclass(frozen=True)
class Plan:
    """What the writer makes, and where (sent to the worker once)."""

    site_dir: str
    layout: Layout
    open_data: bool = True  # each report's CSV, XLSX, JSON and the dataset
    attachments: bool = True  # each report's fragment, one-file page, Word document
    # Open data's downloads (the file name endings of ``opendata.places.DOWNLOADS``, in its order) and folder.
    downloads: tuple[str, ...] = tuple(suffix for _, suffix, _, _ in DOWNLOADS)
    folder: str = FOLDER

    @property
    def per_report(self) -> int:
        """How many files (and so sizes) each report has."""
        return (len(self.downloads) if self.open_data else 0) + (len(_kinds()) if self.attachments else 0)


def _write_failed(path: str, error: OSError) -> str:
    return f"写入 {path} 失败（{error.strerror or error}），网站未生成，原网站保持不变"


def _make_failed(report: Report | None, error: BaseException) -> str:
    what = f" {report.display_path} 的" if report is not None else "的"
    return f"生成报告{what}下载文件和附件时出错（{type(error).__name__}：{error}），网站未生成，原网站保持不变"


Share = tuple[bytes, bytes]  # a report's lines of cells.csv, its JSON (``exports.Rendered``)


class FilesWriter:
    """Makes each report's files and writes them straight to the staged site (one report after another)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.folders: set[str] = set()
        self.dataset: dataset.DatasetWriter | None = None

    def _path(self, uri: str) -> str:
        return os.path.join(self.plan.site_dir, *uri.split("/"))

    def open(self) -> None:
        if self.plan.open_data:
            folder = f"{self.plan.layout.prefix}/{self.plan.folder}/"
            self.dataset = dataset.DatasetWriter(self._path(folder + dataset.CELLS_CSV),
                                                 self._path(folder + dataset.CELLS_JSON))
            try:
                self.dataset.open()
            except OSError as error:
                raise OffloadError(_write_failed(folder + dataset.CELLS_CSV, error)) from None

    def files(self, report: Report) -> list[tuple[str, Sequence[bytes]]]:
        """The report's files (site path, chunks): ``DOWNLOADS``' then the attachments', in ``KINDS``' order;
        its share of the dataset is appended (``open``)."""
        out, share = self.make(report)
        if self.dataset is not None and share is not None:
            self.dataset.add(*share)
        return out

    def make(self, report: Report) -> tuple[list[tuple[str, Sequence[bytes]]], Share | None]:
        """The report's files, and its share of the dataset (with open data), appended nowhere."""
        out: list[tuple[str, Sequence[bytes]]] = []
        share: Share | None = None
        if self.plan.open_data:
            made = rendered(report)
            for suffix in self.plan.downloads:
                chunks: Sequence[bytes] = (
                    (made.csv,) if suffix == "csv" else (made.json, b"\n") if suffix == "json"
                    else (report_xlsx(report, source=report.title, states=made.states),))
                out.append((report_file(self.plan.layout, report, suffix), chunks))
            share = (made.cells_csv, made.json)
        if self.plan.attachments:
            from . import attachments

            for attachment, data in zip(attachments.KINDS, attachments.make_all(report)):
                out.append((attachments.src_uri(self.plan.layout, report, attachment), (data,)))
        return out, share

    def write(self, report: Report) -> tuple[int, ...]:
        """Make and write the report's files: their sizes, in the order of ``files``."""
        return self.put(self.files(report))

    def put(self, files: Sequence[tuple[str, Sequence[bytes]]]) -> tuple[int, ...]:
        """Write files made by ``files`` or ``make``: their sizes."""
        sizes = []
        for uri, chunks in files:
            path = self._path(uri)
            folder = os.path.dirname(path)
            try:
                if folder not in self.folders:
                    os.makedirs(folder, exist_ok=True)
                    self.folders.add(folder)
                sizes.append(write_chunks(path, chunks))
            except OSError as error:
                raise OffloadError(_write_failed(uri, error)) from None
        return tuple(sizes)

    def add_share(self, share: Share) -> None:
        """A report's share of the dataset made elsewhere (the main process took the report: ``Offload``)."""
        if self.dataset is not None:
            self.dataset.add(*share)

    def finish(self) -> tuple[int, int] | None:
        """Close the dataset's files: their sizes (CSV, JSON), or None without open data."""
        if self.dataset is None:
            return None
        try:
            return self.dataset.finish()
        except OSError as error:
            raise OffloadError(_write_failed(f"{self.plan.layout.prefix}/{self.plan.folder}/{dataset.CELLS_JSON}",
                                             error)) from None

    def abort(self) -> None:
        if self.dataset is not None:
            self.dataset.abort()


# --- sending reports to the worker ----------------------------------------------------------------


def _format(version: str) -> FormatSpec:
    return FORMATS[version]


def _reduce_format(spec: FormatSpec) -> tuple[Any, tuple[str]]:
    return _format, (spec.version,)


# A format declaration goes by its version: the worker uses its own, shared by every report (its
# caches are per declaration). A dispatch table, not ``persistent_id``: no Python call per object.
_DISPATCH = {**copyreg.dispatch_table, FormatSpec: _reduce_format}


# Reports per message: one pickle of several shares their strings (the cell paths, the section keys:
# 4.5 KB a report instead of 7), and the feeder and the worker make one write and one read for them.
BATCH = 8


def dumps(report: Report) -> bytes:
    """The report as the worker needs it: without where each field was written (``marks``)."""
    return _pickled(_slim(report))


_COUNT_BYTES = 4  # a batch's message starts with how many reports it holds (read without unpickling)


def dumps_batch(reports: Sequence[Report]) -> bytes:
    """Several reports (``dumps``'), in one message: their number, then their pickle."""
    return len(reports).to_bytes(_COUNT_BYTES, "little") + _pickled([_slim(report) for report in reports])


def batch_size(data: bytes) -> int:
    """How many reports a message of ``dumps_batch`` holds."""
    return int.from_bytes(data[:_COUNT_BYTES], "little")


def _slim(report: Report) -> Report:
    slim = copy.copy(report)
    slim.marks = {}
    narrative: Any = report.narrative
    if type(narrative) is dict and all(type(text) is str for text in narrative.values()):  # else: as it is
        slim.narrative = _EncodedNarrative(report.narrative)  # type: ignore[assignment]
    return slim


class _EncodedNarrative:
    """A report's narrative on its way to the worker, each text encoded here. Pickling a ``str`` that
    is not ASCII makes CPython keep its UTF-8 inside the string (``PyUnicode_AsUTF8AndSize``): every
    narrative sent would hold a second copy in the build process until the build ends (about 3 KB a
    report). ``bytes.decode`` in the worker gives it the same ``dict``."""

    __slots__ = ("keys", "texts")

    def __init__(self, narrative: Mapping[str, str]) -> None:
        self.keys = tuple(narrative)
        self.texts = tuple(text.encode("utf-8", "surrogatepass") for text in narrative.values())

    def __reduce__(self) -> tuple[Any, tuple[tuple[str, ...], tuple[bytes, ...]]]:
        return _decoded_narrative, (self.keys, self.texts)


def _decoded_narrative(keys: tuple[str, ...], texts: tuple[bytes, ...]) -> dict[str, str]:
    return {key: text.decode("utf-8", "surrogatepass") for key, text in zip(keys, texts, strict=True)}


def _pickled(value: object) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(value)
    return buffer.getvalue()


def loads(data: bytes) -> Report:
    report: Report = pickle.loads(data)
    return report


def loads_batch(data: bytes) -> list[Report]:
    reports: list[Report] = pickle.loads(memoryview(data)[_COUNT_BYTES:])
    return reports


def work(plan: Plan, tasks: Connection, results: Connection, close: Sequence[Connection] = (),
         claimed: Any = None, shares: Connection | None = None) -> None:
    """The worker: reports in, their sizes out (``(position, sizes)``; ``("done", dataset sizes)`` at the end,
    or ``("error", text)``), several in one message: a list of them, in order. The sizes of a batch's
    reports go when the batch is made (one message, not one a report, for the main process to poll, read
    and unpickle), or at once when the main process has taken a report after them (it waits for them).

    Each report is claimed before it is made (``claimed``: the next position nobody has taken, shared with
    the main process, which takes that one itself when it would otherwise wait for this worker); a report
    the main process took is skipped, and its share of the dataset, sent by the main process, is put in
    its place (``shares``, in the same order). A batch the main process took whole is not unpickled: a
    worker far behind catches up on shares alone, not on reports it will not make."""
    for end in close:  # the main process's ends, inherited when forked: EOF must reach each side
        end.close()
    # Sent by a thread: the worker goes on while the main process is busy elsewhere (MkDocs reading every
    # page, the listing pages), however many sizes wait for it.
    outbox: queue.SimpleQueue[list[tuple[Any, ...]] | None] = queue.SimpleQueue()
    sender = threading.Thread(target=_forward, args=(outbox, results), name="gongkai-files-results", daemon=True)
    sender.start()
    writer = FilesWriter(plan)
    report: Report | None = None
    position = 0
    sized: list[tuple[Any, ...]] = []  # the sizes of the batch's reports made so far, not sent yet
    try:
        writer.open()
        while True:
            payload = tasks.recv_bytes()
            if not payload:
                break
            report = None
            count = batch_size(payload)
            if claimed is not None and claimed.value >= position + count:
                # The main process took every report of this batch (positions are taken in order): only
                # their shares, the reports not even unpickled.
                for _ in range(count):
                    _put_share(writer, shares, position)
                    position += 1
                continue
            for report in loads_batch(payload):
                if sized and claimed is not None and claimed.value > position:
                    # The main process took a report after these: it is waiting for sizes, sent now.
                    outbox.put(sized)
                    sized = []
                if claimed is None or _claim(claimed, position):
                    sized.append((position, writer.write(report)))
                else:
                    _put_share(writer, shares, position)
                position += 1
            report = None
            if sized:
                outbox.put(sized)
                sized = []
        outbox.put([("done", writer.finish())])
    except EOFError:  # the main process is gone
        writer.abort()
    except OffloadError as error:
        writer.abort()
        outbox.put([*sized, ("error", str(error))])
    except BaseException as error:  # noqa: BLE001 (any failure is reported, never a traceback)
        writer.abort()
        outbox.put([*sized, ("error", _make_failed(report, error))])
    finally:
        outbox.put(None)
        sender.join()


def _put_share(writer: FilesWriter, shares: Connection | None, position: int) -> None:
    """The share of the dataset of the report at ``position``, which the main process made, put in its place."""
    if shares is not None and writer.dataset is not None:
        taken, share = shares.recv()
        if taken != position:  # not reached: both sides take positions in order
            raise RuntimeError(f"dataset shares out of order: got position {taken}, filling {position}")
        writer.add_share(share)


def _forward(outbox: queue.SimpleQueue[list[tuple[Any, ...]] | None], results: Connection) -> None:
    """Send the worker's messages, every one waiting in ``outbox`` in one message (a list), in order."""
    last = False
    while not last:
        message = outbox.get()
        if message is None:
            return
        while not outbox.empty():
            more = outbox.get()
            if more is None:
                last = True
                break
            message += more
        try:
            results.send(message)
        except OSError:  # the main process is gone
            return


def _claim(claimed: Any, position: int) -> bool:
    """Take ``position`` unless the other process has: positions are taken in order, by either."""
    with claimed.get_lock():
        if claimed.value != position:
            return False
        claimed.value = position + 1
        return True


@contextlib.contextmanager
def _without_main() -> Iterator[None]:
    """The worker needs nothing of the program that started it: with ``spawn``, multiprocessing would
    run its main module again in the worker (``mkdocs``'s command line, or a script that calls
    ``mkdocs build`` without an ``if __name__ == "__main__"`` guard). Hidden while the worker starts."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


class Offload:
    """The reports' files of one full build: made in a worker process (``worker``) or in this one.

    With the worker, this process does not wait for it: when a page needs a report's sizes and the
    worker has not sent them, this process takes the next report nobody has taken (``_take``) and
    makes it itself (``_steal``), sending its share of the dataset to the worker, which puts it in
    its place; so the two cores share the files whichever is busier."""

    def __init__(self, plan: Plan, reports: Sequence[Report], *, worker: bool, start_method: str | None = None) -> None:
        self.plan = plan
        self.reports = reports  # in the order the pages are written: the worker makes them in it
        self.worker = worker
        self.start_method = start_method or START_METHOD
        self.position = {r.key: i for i, r in enumerate(reports)}
        self.ready: dict[int, tuple[int, ...]] = {}  # sizes received (or written) and not asked for yet
        self.inbox: collections.deque[tuple[Any, ...]] = collections.deque()  # the worker's messages not read yet
        self.given: set[int] = set()  # positions whose sizes were asked for
        self.received = 0  # reports whose sizes are known (sent by the worker or written here)
        self.dataset_sizes: tuple[int, int] | None = None
        self.finished = False
        self.failure: str | None = None
        self.writer: FilesWriter | None = None  # in process: every report, in order
        self.thief: FilesWriter | None = None  # with the worker: the reports this process takes
        self.process: Any = None  # multiprocessing's Process of the start method
        self.tasks: Connection | None = None
        self.results: Connection | None = None
        self.claimed: Any = None  # the next position nobody has taken (shared with the worker)
        self.shares: Connection | None = None  # the shares of the dataset of the reports taken here
        self.outbox: queue.SimpleQueue[tuple[int, Share] | None] = queue.SimpleQueue()
        self.feeder: threading.Thread | None = None
        self.sender: threading.Thread | None = None
        self.stopping = threading.Event()
        self.stolen = 0  # reports made here instead of waiting

    def start(self) -> None:
        if not self.worker:
            self.writer = FilesWriter(self.plan)
            self.writer.open()
            return
        context: Any = multiprocessing.get_context(self.start_method)
        task_reader, self.tasks = context.Pipe(duplex=False)
        self.results, result_writer = context.Pipe(duplex=False)
        share_reader, self.shares = context.Pipe(duplex=False)
        self.claimed = context.Value("q", 0)
        self.process = context.Process(target=work, name="gongkai-files", daemon=True,
                                       args=(self.plan, task_reader, result_writer,
                                             (self.tasks, self.results, self.shares), self.claimed, share_reader))
        with _without_main():
            self.process.start()
        for end in (task_reader, result_writer, share_reader):  # the worker's: closed here, so that either side sees the other go
            end.close()
        self.thief = FilesWriter(self.plan)
        self.feeder = threading.Thread(target=self._feed, name="gongkai-files-feeder", daemon=True)
        self.feeder.start()
        self.sender = threading.Thread(target=self._send_shares, name="gongkai-files-shares", daemon=True)
        self.sender.start()

    def _feed(self) -> None:
        """Send the reports ``BATCH`` at a time: a send waits while the pipe is full (the worker is behind)."""
        tasks = self.tasks
        assert tasks is not None
        try:
            for start in range(0, len(self.reports), BATCH):
                if self.stopping.is_set():
                    return
                tasks.send_bytes(dumps_batch(self.reports[start:start + BATCH]))
            tasks.send_bytes(b"")
        except (OSError, ValueError, TypeError):  # the worker is gone (or stopped): the main thread reports it
            return

    def _send_shares(self) -> None:
        """Send the shares of the reports taken here, in order: a thread, so that a full pipe (the worker
        busy on the reports before them) never holds up the pages."""
        shares = self.shares
        assert shares is not None
        while (item := self.outbox.get()) is not None:
            try:
                shares.send(item)
            except (OSError, ValueError):  # the worker is gone (or stopped): the main thread reports it
                return

    # --- the main process -------------------------------------------------------------------

    def sizes(self, report: Report) -> tuple[int, ...]:
        """The sizes of the report's files (``FilesWriter.files``' order), once written."""
        position = self.position[report.key]
        while position not in self.ready:
            if position in self.given:  # asked for twice: written once, measured from the disk
                return tuple(os.path.getsize(os.path.join(self.plan.site_dir, *uri.split("/")))
                             for uri in self._uris(report))
            self._next()
        self.given.add(position)
        return self.ready.pop(position)

    def _uris(self, report: Report) -> list[str]:
        from . import attachments

        uris = [report_file(self.plan.layout, report, suffix) for suffix in self.plan.downloads] if self.plan.open_data else []
        return uris + ([attachments.src_uri(self.plan.layout, report, k) for k in attachments.KINDS]
                       if self.plan.attachments else [])

    def _next(self) -> None:
        """One more report written (in process, or taken from the worker) or its sizes received."""
        if self.failure is not None:
            raise OffloadError(self.failure)
        if self.received >= len(self.reports):
            raise OffloadError("所有报告的文件均已写出")  # not reached: every report's sizes are asked for once
        if self.writer is not None:
            self._make(self.writer, self.received)
            return
        results = self.results
        assert results is not None
        if not self.inbox and not results.poll(0):  # the worker is behind: take the next report nobody has, or wait
            taken = self._take()
            if taken is not None:
                self._steal(taken)
                return
        message = self._receive()
        if message[0] == "error" or message[0] == "done":
            self.failure = message[1] if message[0] == "error" else "后台进程提前结束"
            raise OffloadError(self.failure)
        position, sizes = message
        self.ready[position] = sizes
        self.received += 1

    def _make(self, writer: FilesWriter, position: int) -> Share | None:
        """Make and write the report at ``position`` here (its share of the dataset returned, unless
        ``writer`` appends it); ``OffloadError`` naming the file or the report."""
        report = self.reports[position]
        try:
            if writer is self.writer:
                self.ready[position], share = writer.write(report), None
            else:
                files, share = writer.make(report)
                self.ready[position] = writer.put(files)
        except OffloadError as error:
            self.failure = str(error)
            raise
        except Exception as error:  # noqa: BLE001 (reported with the file, never a traceback)
            self.failure = _make_failed(report, error)
            raise OffloadError(self.failure) from None
        self.received += 1
        return share

    def _take(self) -> int | None:
        """The next position nobody has taken, now this process's (None: the worker has them all)."""
        claimed = self.claimed
        with claimed.get_lock():
            position: int = claimed.value
            if position >= len(self.reports):
                return None
            claimed.value = position + 1
        return position

    def _steal(self, position: int) -> None:
        """The report at ``position`` made here; its share of the dataset goes to the worker."""
        assert self.thief is not None
        share = self._make(self.thief, position)
        self.stolen += 1
        if share is not None:
            self.outbox.put((position, share))

    def _receive(self) -> tuple[Any, ...]:
        """The worker's next message (it sends them several at a time: ``work``)."""
        if self.inbox:
            return self.inbox.popleft()
        results = self.results
        assert results is not None and self.process is not None
        while True:
            try:
                if results.poll(POLL_S):
                    self.inbox.extend(results.recv())
                    return self.inbox.popleft()
            except (EOFError, OSError):
                pass
            else:
                if self.process.is_alive():
                    continue
                if results.poll(0):
                    continue
            self.process.join(1)
            current = self.reports[self.received] if self.received < len(self.reports) else None
            self.failure = (f"生成下载文件和附件的后台进程意外退出（退出码 {self.process.exitcode}"
                            + (f"，正在处理 {current.display_path}" if current is not None else "")
                            + "），网站未生成，原网站保持不变")
            raise OffloadError(self.failure)

    def finish(self) -> None:
        """Every report's files and the dataset written; the worker ended. ``OffloadError`` on a failure."""
        if self.finished:
            return
        try:
            while self.received < len(self.reports):
                self._next()
            if self.writer is not None:
                self.dataset_sizes = self.writer.finish()
            else:
                message = self._receive()
                if message[0] != "done":
                    self.failure = message[1] if message[0] == "error" else "后台进程多写了文件"
                    raise OffloadError(self.failure)
                self.dataset_sizes = message[1]
            self.finished = True
        finally:
            self.stop()

    def stop(self) -> None:
        """End the worker (if any) and close what was opened: no process is left behind."""
        self.stopping.set()
        if self.writer is not None and not self.finished:
            self.writer.abort()
        process = self.process
        if process is not None:
            if process.is_alive() and not self.finished:
                process.terminate()
            process.join(10)
            if process.is_alive():
                process.kill()
                process.join()
        self.outbox.put(None)
        for thread in (self.feeder, self.sender):  # a send fails once the worker is gone
            if thread is not None:
                thread.join(10)
        self.feeder = self.sender = None
        for end in (self.tasks, self.results, self.shares):
            if end is not None:
                end.close()
