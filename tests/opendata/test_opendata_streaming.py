"""cells.csv and reports-data.json are streamed to disk as each report's own files are written: the
bytes equal the dataset made whole, in any order the reports' files come, and nothing half-written stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.indexing import Layout, build_index
from gongkai.opendata import dataset
from gongkai.opendata.site import OpenData


def _opendata(reports, site: Path) -> OpenData:
    data = OpenData(build_index(reports), Layout())
    for file in data.files():
        data.aim(file.src_uri, str(site / file.src_uri))
    return data


def _whole(reports) -> tuple[bytes, bytes]:
    ordered = build_index(reports).reports  # the dataset's order: newest year first, then agency code
    return b"".join(dataset.dataset_csv(ordered)), b"".join(dataset.dataset_json(ordered))


def _write(data: OpenData, site: Path, keep) -> None:
    for file in data.files():
        if keep(file.src_uri):
            file.write_to(str(site / file.src_uri))


def _dataset(site: Path) -> tuple[bytes, bytes]:
    folder = site / "reports" / "open_data"
    return (folder / dataset.CELLS_CSV).read_bytes(), (folder / dataset.CELLS_JSON).read_bytes()


def test_streamed_dataset_equals_the_dataset_made_whole(sample_reports, tmp_path: Path) -> None:
    data = _opendata(sample_reports, tmp_path)
    _write(data, tmp_path, lambda uri: True)
    assert data.stream.done == len(sample_reports)  # every report's share came from its own files
    assert _dataset(tmp_path) == _whole(sample_reports)
    assert not list(tmp_path.rglob("*.part"))


@pytest.mark.parametrize("skip", ["every-other", "all", "reversed"])
def test_reports_whose_files_are_not_written_are_made_in_their_turn(sample_reports, tmp_path: Path, skip: str) -> None:
    """A dirty build keeps unchanged downloads: the stream makes those reports' share itself, in order."""
    data = _opendata(sample_reports, tmp_path)
    files = [f for f in data.files() if "/open_data/" not in f.src_uri]
    if skip == "every-other":
        chosen = files[::6] + files[2::6]  # some reports' CSV, others' JSON
    elif skip == "reversed":
        chosen = files[::-1]
    else:
        chosen = []
    for file in chosen:
        file.write_to(str(tmp_path / file.src_uri))
    _write(data, tmp_path, lambda uri: "/open_data/" in uri)
    assert _dataset(tmp_path) == _whole(sample_reports)


def test_a_failed_build_leaves_no_half_written_dataset(sample_reports, tmp_path: Path) -> None:
    data = _opendata(sample_reports, tmp_path)
    first = data.files()[0]
    first.write_to(str(tmp_path / first.src_uri))
    assert list(tmp_path.rglob(".gongkai-*.part"))  # begun: the dataset's temporary files
    data.abort()
    assert not list(tmp_path.rglob(".gongkai-*.part"))
    assert not (tmp_path / "reports" / "open_data" / dataset.CELLS_CSV).exists()


def test_report_downloads_are_the_old_ones(sample_reports, tmp_path: Path) -> None:
    """Each report's CSV and JSON, made once for both its files and the dataset, are what they were."""
    from gongkai.opendata.exports import FIELDS, REPORT_STATUS_NAMES, csv_body, csv_header, report_json

    data = _opendata(sample_reports, tmp_path)
    _write(data, tmp_path, lambda uri: True)
    for report in sample_reports:
        folder = tmp_path / "reports" / report.agency.slug
        assert (folder / f"{report.year}.json").read_bytes() == report_json(report)
        assert (folder / f"{report.year}.csv").read_bytes() == csv_header([f.title for f in FIELDS]) + csv_body(
            report, statuses=REPORT_STATUS_NAMES, yes="是", no="").encode("utf-8")


def test_a_dirty_rebuild_copies_unchanged_reports_from_the_last_dataset(tmp_path: Path, monkeypatch) -> None:
    """`mkdocs serve --dirty`: after one report file changed, only that report is made again."""
    import os
    import shutil

    from opendata_kit import REPO

    from gongkai.collection import load_portal
    from gongkai.opendata import site

    shutil.copytree(REPO / "reports", tmp_path / "reports")
    reports = load_portal([tmp_path / "reports"], base=tmp_path).reports
    out = tmp_path / "site"
    first = OpenData(build_index(reports), Layout(), record=True)
    for file in first.files():
        first.aim(file.src_uri, str(out / file.src_uri))
    _write(first, out, lambda uri: True)
    ledger = first.ledger()
    assert ledger is not None and len(ledger.shares) == len(reports)

    changed = sorted(reports, key=lambda r: r.key)[2]
    later = os.stat(changed.source).st_mtime_ns + 5_000_000_000
    os.utime(changed.source, ns=(later, later))
    made: list[tuple[str, int]] = []
    real = dataset.rendered

    def counting(report):
        made.append(report.key)
        return real(report)

    monkeypatch.setattr(dataset, "rendered", counting)
    monkeypatch.setattr(site, "rendered", counting)
    second = OpenData(build_index(reports), Layout(), previous=ledger, record=True)
    for file in second.files():
        second.aim(file.src_uri, str(out / file.src_uri))
    _write(second, out, lambda uri: "/open_data/" in uri)  # the downloads of unchanged reports are kept
    assert made == [changed.key]
    assert _dataset(out) == _whole(reports)
    assert second.ledger() is not None
