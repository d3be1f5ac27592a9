"""The faster ways open data's build work is done give what their definitions give: a report's values in
the pieces' order (``_Pieces.values_of``), the key figures (``trends.key_figures``), a roll-up's sums
(``rollup.sum_reports``), relative links (``site.relpath``), indented JSON (``dataset.indented_json``),
the workbook's deflated members (``xlsx._member``), files written by ``fileio.write_chunks``; on the
sample reports, the archived fixtures, the corpus, reports made hard (``test_opendata_bytes._hard``)
and values held in other layouts."""

from __future__ import annotations

import json
import os
import posixpath
import random
import stat
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from test_opendata_bytes import _archived, _hard, corpus_reports  # noqa: F401 (a fixture)

from gongkai.model import CellValues, Report
from gongkai.opendata import dataset, fileio, rollup, trends, xlsx
from gongkai.opendata.cells import tables_of
from gongkai.opendata.exports import _info, table_pieces, workbook
from gongkai.opendata.site import relpath


def _layouts(report: Report) -> list[Report]:
    """The report as loaded, and with its values held in other orders: reversed, one cell fewer, a cell more."""
    paths = list(report.values)
    out = [report]
    for order in (paths[::-1], paths[1:], [*paths, ("extra", "cell", "total")], paths[len(paths) // 2:] + paths[:3]):
        values = {path: report.values.get(path, 7) for path in order}
        held = CellValues.of(values)
        out.append(replace(report, values=held))
        out.append(replace(report, values=values))  # a plain dict: the definitions' own way
    return out


def _all(sample_reports: list[Report], corpus: list[Report]) -> list[Report]:
    reports = [*sample_reports, *_archived(), *corpus, *_hard(sample_reports)]
    return [variant for report in reports for variant in _layouts(report)]


def test_values_and_key_figures_are_their_definitions(sample_reports: list[Report],
                                                      corpus_reports: list[Report]) -> None:  # noqa: F811
    reports = _all(sample_reports, corpus_reports)
    assert sum(isinstance(r.values, CellValues) for r in reports) > len(reports) // 3
    for report in reports:
        pieces = table_pieces(tables_of(report))
        assert list(pieces.values_of(report.values)) == [report.values.get(p) for p in pieces.paths], report.display_path
        assert trends.key_figures(report) == trends.key_figures_reference(report), report.display_path
    missing = replace(sample_reports[0], values=CellValues.of({p: v for n, (p, v) in enumerate(
        sample_reports[0].values.items()) if n % 3}))
    assert None in trends.key_figures_reference(missing).outcomes + trends.key_figures_reference(missing).review
    assert trends.key_figures(missing) == trends.key_figures_reference(missing)


def test_roll_up_sums_are_the_cell_by_cell_sums(sample_reports: list[Report]) -> None:
    by_version: dict[str, list[Report]] = {}
    for report in sample_reports:
        by_version.setdefault(report.format.version, []).append(report)
    for group in by_version.values():
        assert all(isinstance(r.values, CellValues) for r in group)
        plain = [replace(r, values=dict(r.values)) for r in group]  # the sums one cell at a time
        fast, slow = rollup.sum_reports(group, 2024, "全部"), rollup.sum_reports(plain, 2024, "全部")
        assert fast.values == slow.values and fast.values
        assert [type(v) for v in fast.values.values()] == [type(v) for v in slow.values.values()]
        mixed = [*group[1:], plain[0]]  # one report held otherwise: the definition's way for all
        assert rollup.sum_reports(mixed, 2024, "全部").values == slow.values


def test_relpath_is_posixpath_relpath() -> None:
    parts = ["a", "b", "reports", "x.csv", "数据", "", ".", "..", "a b", "index.html"]
    rng = random.Random(11)
    checked = 0
    for _ in range(20000):
        path = "/".join(rng.choice(parts) for _ in range(rng.randint(1, 5))) + ("/" if rng.random() < 0.3 else "")
        start = "/".join(rng.choice(parts) for _ in range(rng.randint(1, 5))) + ("/" if rng.random() < 0.3 else "")
        if rng.random() < 0.05:
            path = "/" + path
        if not path or not start:  # (``href`` gives "." for an empty one)
            continue
        assert relpath(path, start) == posixpath.relpath(path, start), (path, start)
        checked += 1
    for path, start in (("reports/a/2024.csv", "reports/a/2024/"), (".", "."), ("a/", "a"), ("reports/", ".")):
        assert relpath(path, start) == posixpath.relpath(path, start)
    assert checked > 19000


def _random_json(rng: random.Random, depth: int = 0) -> Any:
    if depth > 3 or rng.random() < 0.5:
        return rng.choice(["a", '数据\n"引号"\\', "", "\x01\u2028\ud800", 0, -5, 10 ** 20, True, False, None, 1.5, 1e300])
    if rng.random() < 0.6:
        return {rng.choice(["k", "键", "a b", '"', ""]) + str(i): _random_json(rng, depth + 1)
                for i in range(rng.randint(0, 4))}
    items = [_random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return items if rng.random() < 0.8 else tuple(items)


def test_indented_json_is_json_dumps(sample_reports: list[Report]) -> None:
    from gongkai.indexing import Layout, build_index
    from gongkai.opendata.site import OpenData

    rng = random.Random(5)
    cases: list[Any] = [_random_json(rng) for _ in range(5000)]
    cases += [{1: 2}, {"a": float("nan")}, [float("inf")], {"a": {True: 1, None: 2}}, {"x": [1.0, 2.5e-300]}]
    index = build_index(sample_reports, None)
    opendata = OpenData(index, Layout("reports"), None, [], True)
    cases += [opendata.reports_index(), dataset.datapackage("示例门户 & <数据>", len(sample_reports))]
    for value in cases:
        assert dataset.indented_json(value) == json.dumps(value, ensure_ascii=False, indent=1), value
        text = json.dumps(value, ensure_ascii=False, indent=1) + "\n"
        if "\ud800" not in text:  # (a lone surrogate: no UTF-8 either way)
            assert dataset.to_json(value) == text.encode("utf-8")
    with pytest.raises(TypeError):
        dataset.indented_json({"a": object()})


def test_workbook_members_are_compressobj_deflate(sample_reports: list[Report]) -> None:
    """``_member`` deflates in one call: the bytes of a ``compressobj`` with the same settings."""
    for report in [*sample_reports, *_hard(sample_reports)]:
        book = workbook(tables_of(report))
        values = {key: 1 for sheet in book.sheets for _, key in sheet.slots}
        values.update(_info(report, report.title))
        for content in [sheet.xml(values) for sheet in book.sheets] + ["", "x", report.title * 50]:
            for level in (1, 9):
                raw = content.encode("utf-8")
                packer = zlib.compressobj(level, zlib.DEFLATED, -15)
                deflated = packer.compress(raw) + packer.flush()
                member = xlsx._member("m", content, level)
                assert member.data == (deflated if len(deflated) < len(raw) else raw)
                assert member.deflated == (len(deflated) < len(raw)) and member.crc == zlib.crc32(raw)


@pytest.mark.parametrize("chunks", [[], [b""], [b"one"], [b"a", b"", "数据".encode(), b"\x00" * 70000],
                                    [bytes([n % 256]) * 3 for n in range(1500)]])
def test_write_chunks_writes_what_open_writes(tmp_path: Path, chunks: list[bytes]) -> None:
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    mine.write_bytes(b"an older, longer content " * 100)  # truncated, as "wb" does
    assert fileio.write_chunks(str(mine), chunks) == sum(map(len, chunks))
    with open(theirs, "wb") as out:
        for chunk in chunks:
            out.write(chunk)
    assert mine.read_bytes() == theirs.read_bytes()
    assert stat.S_IMODE(os.stat(mine).st_mode) == stat.S_IMODE(os.stat(theirs).st_mode)


def test_write_chunks_finishes_a_short_write_and_fails_as_open_does(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    chunks = [b"abc", b"defgh", b"", b"ijklmnop"]
    real = os.writev

    def short(fd: int, buffers: list[bytes]) -> int:
        return real(fd, [b"".join(buffers)[:4]])  # the first four bytes only

    monkeypatch.setattr(fileio.os, "writev", short)
    path = tmp_path / "short"
    assert fileio.write_chunks(str(path), chunks) == 16
    assert path.read_bytes() == b"abcdefghijklmnop"
    monkeypatch.undo()
    with pytest.raises(IsADirectoryError):
        fileio.write_chunks(str(tmp_path), chunks)
    with pytest.raises(FileNotFoundError):
        fileio.write_chunks(str(tmp_path / "no" / "such"), chunks)
