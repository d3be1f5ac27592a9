"""What the walk learns about each report file (``placement.Found.identity``) is what ``ReportStore`` would
find asking again (``ReportStore._identify``: the resolved path, size and mtime), and the prefetching
of the files ahead of the reading (``loading_pool.Prefetcher``) leaves what is read as it was."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_core_parallel_loading import _load, _same, portal  # noqa: F401 (the fixture)

from gongkai import loading_pool
from gongkai.collection import ReportStore
from gongkai.loading_pool import Prefetcher, Task, prefetch_file
from gongkai.placement import survey

REPO = Path(__file__).resolve().parents[2]


def test_the_walks_identity_is_the_stores(portal: Path, tmp_path: Path) -> None:  # noqa: F811
    linked = tmp_path / "linked"
    linked.symlink_to(portal, target_is_directory=True)  # the portal through a link: resolved all the same
    (portal / "reports" / "outside.yml").symlink_to(REPO / "reports" / "shifan-zhen" / "2024.yml")
    try:
        for root in (portal, linked):
            found, _ = survey([root / "reports"], root)
            store = ReportStore(root)
            known = [f for f in found if f.identity is not None]
            assert len(known) > 300 and len(known) < len(found)  # the links are asked again
            for item in found:
                if item.identity is not None:
                    assert item.identity == store._identify(item.path)
                else:
                    assert item.path.is_symlink()
    finally:
        (portal / "reports" / "outside.yml").unlink()


def test_prefetching_changes_nothing(portal: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setattr(loading_pool, "CHUNK", 5)
    asked: list[str] = []
    monkeypatch.setattr(loading_pool, "prefetch_file", lambda path: (asked.append(path), prefetch_file(path)))
    parallel = _load(portal)
    monkeypatch.setattr(loading_pool.os, "posix_fadvise", None, raising=False)
    monkeypatch.delattr(loading_pool.os, "posix_fadvise")  # a system without it: no prefetching at all
    without = _load(portal)
    _same(without, parallel)
    # every file once (the second name of a file is read once, under its first)
    assert len(asked) == len(set(asked)) and set(asked) == {str(path) for path in parallel.files} - {
        str(portal / "reports" / "copy" / "link.yml")}


def test_prefetch_asks_ahead_of_the_chunk_taken(tmp_path: Path) -> None:
    files = []
    for number in range(20):
        files.append(tmp_path / f"{number}.yml")
        files[-1].write_text("a: 1\n", encoding="utf-8")
    os.mkfifo(tmp_path / "fifo.yml")  # a FIFO among them: the open does not hang, no advice given
    tasks = [Task(str(path), None, path.name) for path in [*files, tmp_path / "fifo.yml", tmp_path / "gone.yml"]]
    chunks = [tasks[i:i + 2] for i in range(0, len(tasks), 2)]
    prefetcher = Prefetcher(chunks)
    prefetcher.ahead(0)
    assert prefetcher.asked == loading_pool.PREFETCH + 1
    prefetcher.ahead(len(chunks) - 1)
    assert prefetcher.asked == len(chunks)
    prefetcher.stop()
    assert prefetcher.thread is not None
    prefetcher.thread.join(5)
    assert not prefetcher.thread.is_alive()
    shutil.rmtree(tmp_path)
