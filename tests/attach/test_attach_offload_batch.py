"""The files worker's reports, sent ``offload.BATCH`` at a time in one pickle: each comes back whole
(without its source marks, its format the worker's own), and the worker writes the same files and
sizes whatever the batch's size, a last batch short or not."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from attach_kit import sample_reports

from gongkai import offload
from gongkai.indexing import Layout, build_index
from gongkai.offload import Offload, Plan

SAMPLES = sample_reports()
REPORTS = build_index(SAMPLES[:-1]).reports  # 14: a last batch of 3 or of 8 is short
DEFAULT_BATCH = offload.BATCH


def test_a_batch_comes_back_whole_and_is_smaller_than_its_reports_one_by_one() -> None:
    batch = offload.dumps_batch(SAMPLES)
    back = offload.loads_batch(batch)
    assert len(back) == len(SAMPLES)
    for report, again in zip(SAMPLES, back):
        assert again.format is report.format and again.marks == {} and report.marks
        for field in dataclasses.fields(report):
            if field.name != "marks":
                assert getattr(again, field.name) == getattr(report, field.name), field.name
    assert len(batch) < sum(len(offload.dumps(r)) for r in SAMPLES)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _written(site: Path, *, worker: bool) -> dict[tuple[str, int], tuple[int, ...]]:
    job = Offload(Plan(str(site), Layout()), REPORTS,
                  worker=worker)
    job.start()
    try:
        sizes = {r.key: job.sizes(r) for r in job.reports}
        job.finish()
    finally:
        job.stop()
    return sizes


@pytest.mark.parametrize("batch", [1, 3, DEFAULT_BATCH, 100])
def test_the_worker_writes_the_same_whatever_the_batch(batch: int, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _written(tmp_path / "in-process", worker=False)
    monkeypatch.setattr(offload, "BATCH", batch)  # the feeder's, in this process
    assert _written(tmp_path / "worker", worker=True) == expected
    assert _tree(tmp_path / "worker") == _tree(tmp_path / "in-process")
    assert len(expected) == len(REPORTS) and len(REPORTS) % 3 and len(REPORTS) % DEFAULT_BATCH
