"""The cheaper ways a report's files are made and written give what they replace: the workbook's archive
with its constant members packed once per day (``xlsx._Archive``, against ``Workbook.write_sheets_by_members``:
every member made, then ``_zip``), the head of a report's JSON written without the encoder's walk
(``exports.report_head_json``, against ``json.dumps`` of ``report_head``), a CSV download's header put in
the same join as its lines (``ReportCells.csv``' ``heads``), and the dataset's shares appended to file
descriptors kept open, one system call a file (``dataset.DatasetWriter``, against ``dataset_csv`` /
``dataset_json``); on the sample reports, the archived fixtures, the corpus and reports made hard
(``test_opendata_bytes._hard``)."""

from __future__ import annotations

import io
import os
import random
import zipfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_opendata_bytes import _archived, _hard, corpus_reports  # noqa: F401 (a fixture)

from gongkai.model import Agency, Report
from gongkai.opendata import dataset, fileio, xlsx
from gongkai.opendata.cells import number_text
from gongkai.opendata.exports import (
    DATASET_CSV,
    REPORT_CSV,
    ReportCells,
    _csv_field,
    _info,
    _json_value,
    _report_csv_header,
    _taker,
    rendered,
    report_head_json,
    report_head_json_by_dumps,
    report_xlsx,
    table_pieces,
)


def _reports(sample_reports: list[Report]) -> list[Report]:
    return [*sample_reports, *_archived(), *_hard(sample_reports)]


def _sheets(report: Report, source: str) -> tuple[xlsx.Workbook, list[str | bytes]]:
    cells = ReportCells.of(report)
    book = xlsx.workbook(cells.pieces.tables)
    return book, [book.sheets[0].xml(_info(report, source)), *cells.sheets(book)]


def test_workbooks_are_the_members_zipped_one_by_one(sample_reports: list[Report],
                                                    corpus_reports: list[Report]) -> None:  # noqa: F811
    days = [date(2024, 1, 1), date(2024, 1, 1), date(2023, 12, 31), date(1980, 1, 1), date(2107, 12, 31),
            date(2025, 2, 28)]
    checked = 0
    for report in [*_reports(sample_reports), *corpus_reports]:
        book, sheets = _sheets(report, report.title)
        for day in [report.published, *days]:  # the same day again: its constant records come from the cache
            fast = book.write_sheets(sheets, title=report.title, day=day)
            assert fast == book.write_sheets_by_members(sheets, title=report.title, day=day), report.display_path
            checked += 1
        assert report_xlsx(report, report.title) == book.write_sheets_by_members(
            sheets, title=report.title, day=report.published)
    assert checked > 100


def test_a_workbook_with_stored_members_is_the_members_zipped_one_by_one(sample_reports: list[Report]) -> None:
    """A member deflate would not make smaller (empty, a few bytes, random bytes) is stored, as ``_member`` does."""
    rng = random.Random(11)
    report = sample_reports[0]
    book, sheets = _sheets(report, report.title)
    noise = bytes(rng.randrange(256) for _ in range(3000))
    for variant in ([b""] * len(sheets), [b"x"] * len(sheets), [noise] * len(sheets),
                    [sheets[0], noise, b"", *sheets[3:]], ["数据 & <表>", *sheets[1:]]):
        assert len(variant) == len(book.sheets)
        for title in (report.title, "", "标题 & <引号> \"x\"" * 40):
            fast = book.write_sheets(variant, title=title, day=report.published)
            assert fast == book.write_sheets_by_members(variant, title=title, day=report.published)
            with zipfile.ZipFile(io.BytesIO(fast)) as archive:
                assert archive.testzip() is None
                infos = archive.infolist()
                assert [i.compress_type for i in infos][-len(variant):] == [
                    zipfile.ZIP_DEFLATED if m.deflated else zipfile.ZIP_STORED
                    for m in (xlsx._member("m", content) for content in variant)]


def test_the_json_head_is_json_dumps_of_report_head(sample_reports: list[Report],
                                                    corpus_reports: list[Report]) -> None:  # noqa: F811
    reports = [*_reports(sample_reports), *corpus_reports]
    base = sample_reports[0]
    key = next(s.key for s in base.format.sections if s.table is None)
    texts = ['引号 "x" 与 \\ 反斜杠', "控制\x00\x01\x1f字符\x7f", "\u2028\u2029行分隔", "emoji 🙂", "</script>", ""]
    for n, text in enumerate(texts):
        reports.append(replace(base, agency=Agency(f"t-{n}", text or "空"), narrative={**base.narrative, key: text}))
    reports.append(replace(base, narrative={}))  # every section's text missing: ""
    for report in reports:
        assert report_head_json(report) == report_head_json_by_dumps(report), report.display_path


class _Text(str):
    pass


def test_a_head_holding_other_types_is_json_dumps_s(sample_reports: list[Report]) -> None:
    """What the fast head does not write itself (a number as a section's text, a text subclass) is left to json.dumps."""
    base = sample_reports[0]
    key = next(s.key for s in base.format.sections if s.table is None)
    for report in (replace(base, narrative={**base.narrative, key: 12}),  # type: ignore[dict-item]
                   replace(base, narrative={**base.narrative, key: None}),  # type: ignore[dict-item]
                   replace(base, agency=Agency(_Text("code"), "名称"))):
        assert report_head_json(report) == report_head_json_by_dumps(report)


def test_a_csv_s_head_is_put_in_the_join(sample_reports: list[Report]) -> None:
    for report in _reports(sample_reports):
        cells = ReportCells.of(report)
        plain = cells.csv((REPORT_CSV, DATASET_CSV))
        headed = cells.csv((REPORT_CSV, DATASET_CSV), (_report_csv_header(), b""))
        assert headed == [_report_csv_header() + plain[0], plain[1]]
        assert cells.csv((REPORT_CSV,), (b"", b"x")) == plain[:1]
    none = ReportCells(sample_reports[0], table_pieces(()), [], [], [], [], [])  # no table: the head alone
    assert none.csv((REPORT_CSV, DATASET_CSV), (b"head", b"")) == [b"head", b""]


def _write_dataset(reports: list[Report], folder: Path) -> tuple[int, int]:
    writer = dataset.DatasetWriter(str(folder / "cells.csv"), str(folder / "data.json"))
    writer.open()
    for report in reports:
        made = rendered(report)
        writer.add(made.cells_csv, made.json)
    return writer.finish()


def test_the_dataset_takes_one_system_call_a_file_per_report(sample_reports: list[Report], tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    reports = _reports(sample_reports)
    calls: list[tuple[str, int]] = []
    real_write, real_writev = os.write, os.writev

    def write(fd: int, data: bytes) -> int:
        calls.append(("write", fd))
        return real_write(fd, data)

    def writev(fd: int, buffers: list[bytes]) -> int:
        calls.append(("writev", fd))
        return real_writev(fd, buffers)

    monkeypatch.setattr(fileio.os, "write", write)
    monkeypatch.setattr(fileio.os, "writev", writev)
    sizes = _write_dataset(reports, tmp_path)
    monkeypatch.undo()
    assert len(calls) == 2 + 2 * len(reports) + 1  # each file's start, a share's two files, the JSON's end
    assert (tmp_path / "cells.csv").read_bytes() == b"".join(dataset.dataset_csv(reports))
    assert (tmp_path / "data.json").read_bytes() == b"".join(dataset.dataset_json(reports))
    assert sizes == ((tmp_path / "cells.csv").stat().st_size, (tmp_path / "data.json").stat().st_size)


def test_the_dataset_finishes_short_writes(sample_reports: list[Report], tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that takes part of a share (a signal, a pipe…) is finished: the same files."""
    reports = _reports(sample_reports)[:6]
    real_write, real_writev = os.write, os.writev
    monkeypatch.setattr(fileio.os, "write", lambda fd, data: real_write(fd, memoryview(data)[:max(1, len(data) // 3)]))
    monkeypatch.setattr(fileio.os, "writev", lambda fd, buffers: real_writev(fd, list(buffers)[:1]))
    _write_dataset(reports, tmp_path)
    monkeypatch.undo()
    assert (tmp_path / "cells.csv").read_bytes() == b"".join(dataset.dataset_csv(reports))
    assert (tmp_path / "data.json").read_bytes() == b"".join(dataset.dataset_json(reports))


def test_an_aborted_dataset_closes_its_files(sample_reports: list[Report], tmp_path: Path) -> None:
    writer = dataset.DatasetWriter(str(tmp_path / "cells.csv"), str(tmp_path / "data.json"))
    writer.open()
    fds = list(writer.fds.values())
    made = rendered(sample_reports[0])
    writer.add(made.cells_csv, made.json)
    writer.abort()
    assert not writer.fds
    for fd in fds:
        with pytest.raises(OSError):
            os.fstat(fd)


def test_days_far_apart_share_nothing(sample_reports: list[Report], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each day's constant records are its own (the date is in every record); past the days kept, they are made
    again."""
    monkeypatch.setattr(xlsx, "_DAYS", 3)
    report = sample_reports[0]
    book, sheets = _sheets(report, report.title)
    start = date(2020, 1, 1)
    for step in [*range(0, 400, 37), 0, 37, 0]:
        day = start + timedelta(days=step)
        assert book.write_sheets(sheets, title="t", day=day) == book.write_sheets_by_members(sheets, title="t", day=day)
        assert len(book.archive.days) <= 3


@pytest.mark.parametrize("positions", [(), (0,), (3,), (2, 0), (0, 1, 2, 3, 4), (4, 4, 1)])
def test_a_sheet_s_taker_takes_the_items_in_order(positions: tuple[int, ...]) -> None:
    items = [b"a", b"b", b"c", b"d", b"e"]
    assert list(_taker(positions)(items)) == [items[n] for n in positions]


def test_a_csv_field_is_quoted_as_any_special_character_says() -> None:
    """``_csv_field`` (a regular expression) quotes exactly where a comma, quote, CR or LF is: its old test by
    ``any``."""
    rng = random.Random(3)
    alphabet = ',"\r\na 数\t;\'\\'
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(8)))
        expected = '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text
        assert _csv_field(text) == expected, repr(text)


def test_report_cells_texts_of_cells_holding_no_integer(sample_reports: list[Report]) -> None:
    """The cells found holding no integer (decimals, None) get their own texts, every other cell its
    integer's: as a loop over every cell gives them."""
    from decimal import Decimal

    base = next(r for r in sample_reports if r.format.version == "2021")
    paths = list(base.values)
    odd: dict[object, object] = {paths[0]: Decimal("1.50"), paths[1]: Decimal("1E+2"), paths[-1]: Decimal("0")}
    for report in (base, replace(base, values={**base.values, **odd}),  # type: ignore[dict-item]
                   replace(base, values={p: v for p, v in base.values.items() if p != paths[2]})):
        cells = ReportCells.of(report)
        for n, value in enumerate(cells.values):
            number = value.__class__ is int
            assert cells.numbers[n] == (str(value) if number else "" if value is None else
                                        number_text(value)).encode(), (n, value)
            assert cells.json_values[n] == (str(value) if number else _json_value(value)).encode(), (n, value)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("&<>\"'\n\r\t a中;#x"), max_size=30) | st.text(max_size=30))
def test_the_workbooks_escapes_are_saxutils(text: str) -> None:
    from xml.sax import saxutils

    assert xlsx.escape(text) == saxutils.escape(text)
    assert xlsx.quoteattr(text) == saxutils.quoteattr(text)
