"""A report's files put together from pieces (``exports.rendered``, ``exports.report_xlsx``) are the
bytes their definitions write cell by cell (``csv_bodies``, ``report_json_text``, ``xlsx_reference``):
on every sample report, the archived fixtures, every report of the corpus as imported, and reports
made to hold what is hard to write (text to escape, control characters, blank and not-applicable
cells, numbers at the edges)."""

from __future__ import annotations

import argparse
import io
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from opendata_kit import REPO

from gongkai.collection import load_portal
from gongkai.model import Agency, Archived, CellState, PublishedCell, Report
from gongkai.opendata import dataset
from gongkai.opendata.exports import (
    DATASET_CSV,
    FIELDS,
    REPORT_CSV,
    ReportCells,
    csv_bodies,
    csv_header,
    rendered,
    report_json_text,
    report_xlsx,
    xlsx_reference,
)

CORPUS = REPO / "tests" / "corpus"
RECEIVED = ("applications", "received", "total")


def _archived() -> list[Report]:
    return list(load_portal(sorted((REPO / "tests" / "site" / "fixtures" / "archived").glob("*.yml")), base=REPO).reports)


@pytest.fixture(scope="module")
def corpus_reports(tmp_path_factory: pytest.TempPathFactory) -> list[Report]:
    """Every source of the corpus that imports, imported (``gongkai import``) and loaded."""
    from gongkai.importing import command

    folder = tmp_path_factory.mktemp("corpus-reports")
    parser = argparse.ArgumentParser(prog="gongkai import")
    command.add_arguments(parser)
    cases = [c for c in json.loads((CORPUS / "cases.json").read_text(encoding="utf-8")) if "refused" not in c]
    for n, case in enumerate(cases):
        code = command.run(parser.parse_args([str(CORPUS / "sources" / case["file"]), "-o", str(folder),
                                              "--agency", f"corpus-{n:02d}", *case.get("options", [])]))
        assert code == 0, case["file"]
    reports = list(load_portal([folder]).reports)
    assert len(reports) == len(cases)
    return reports


def _hard(sample_reports: list[Report]) -> list[Report]:
    """Reports holding what is hard to write, made from the sample ones."""
    base = next(r for r in sample_reports if r.format.version == "2021")
    old = next(r for r in sample_reports if r.format.version == "2019")
    paths = list(base.values)
    amounts = [p for p, v in base.values.items() if isinstance(v, Decimal)]
    totals = sorted(base.given_totals)
    out = []
    for n, name in enumerate(['A&B <区> "机关" \'引号\'', "控制\x01字符\x0b与\x1f换行\n回车\r制表\t", "逗号,与\"引号\"",
                              "\ufffe非字符\uffff", "=公式+1"]):
        out.append(replace(base, agency=Agency(f"hard-{n}", name)))
    edges: dict[Any, Any] = dict(base.values)
    for i, path in enumerate(paths):
        edges[path] = (0, 10 ** 15, 2 ** 63 + 1, 1, 999_999_999_999_999_999)[i % 5]
    for path, value in zip(amounts, (Decimal("0.00"),)):
        edges[path] = value
    out.append(replace(base, agency=Agency("edges", "数字边界"), values=edges))
    for value in (Decimal("0"), Decimal("1.50"), Decimal("1E+2"), Decimal("123456789.125"), Decimal("0.001"),
                  Decimal("12345678901234567890.5")):
        out.append(replace(base, agency=Agency("amount", "金额"), values={**base.values, **dict.fromkeys(amounts, value)}))
    # Every total given, none given.
    out.append(replace(base, agency=Agency("given", "全部合计已填"), given_totals=frozenset(totals)))
    out.append(replace(old, agency=Agency("computed", "合计均为计算"), given_totals=frozenset()))
    # As an archive published it: blank, not applicable (text to escape), with its unit, a blank total.
    published = {paths[0]: PublishedCell(CellState.BLANK, ""),
                 paths[3]: PublishedCell(CellState.NOT_APPLICABLE, '/ & <不适用> "x",y'),
                 paths[5]: PublishedCell(CellState.NOT_APPLICABLE, "—\n换行"),
                 RECEIVED: PublishedCell(CellState.BLANK, "")}
    values = {p: v for p, v in base.values.items() if p not in published}
    if amounts:
        published[amounts[0]] = PublishedCell(CellState.WITH_UNIT, "251000元")
        values[amounts[0]] = Decimal("25.1")
    out.append(replace(base, agency=Agency("archived", "档案&<机关>"), values=values, given_totals=frozenset(totals[:3]),
                       archived=Archived(source="https://example.gov.cn/archive.html"), as_published=published))
    # A cell with no value and no published state (None), and one published blank but holding a value.
    holes = {p: v for p, v in base.values.items() if p != paths[7]}
    out.append(replace(base, agency=Agency("holes", "缺值"), values=holes,
                       archived=Archived(source="https://example.gov.cn/a.html"),
                       as_published={paths[9]: PublishedCell(CellState.BLANK, "")}))
    return out


def _check(report: Report) -> None:
    made = rendered(report)
    own, portal = csv_bodies(report, (REPORT_CSV, DATASET_CSV))
    assert made.csv == csv_header([f.title for f in FIELDS]) + own.encode("utf-8"), report.display_path
    assert made.cells_csv == portal.encode("utf-8"), report.display_path
    assert made.json == report_json_text(report).encode("utf-8"), report.display_path
    json.loads(made.json)
    assert report_xlsx(report, report.title, made.states) == xlsx_reference(report, report.title), report.display_path
    assert report_xlsx(report, "来源 & <说明>") == xlsx_reference(report, "来源 & <说明>"), report.display_path


def test_sample_and_archived_reports_files_are_the_reference_bytes(sample_reports: list[Report]) -> None:
    reports = [*sample_reports, *_archived()]
    assert any(r.as_published for r in reports) and any(r.layouts for r in reports)
    for report in reports:
        _check(report)


def test_corpus_reports_files_are_the_reference_bytes(corpus_reports: list[Report]) -> None:
    assert sum(bool(r.as_published) for r in corpus_reports) >= 5
    assert any(r.layouts for r in corpus_reports)
    for report in corpus_reports:
        _check(report)


def test_hard_reports_files_are_the_reference_bytes(sample_reports: list[Report]) -> None:
    for report in _hard(sample_reports):
        _check(report)


def test_report_cells_say_which_cells_are_published_as_such_and_which_totals_are_computed(
        sample_reports: list[Report]) -> None:
    archived = next(r for r in _hard(sample_reports) if r.agency.slug == "archived")
    cells = ReportCells.of(archived)
    paths = cells.pieces.paths
    assert {paths[n] for n, _, _ in cells.special} == set(archived.as_published)
    assert all(cells.numbers[n] == b"" or status == "with-unit" for n, status, _ in cells.special)
    assert RECEIVED not in {paths[n] for n in cells.computed}  # published blank: never a computed total
    assert {paths[n] for n in cells.computed} == {p for _, p in cells.pieces.totals
                                                  if p not in archived.given_totals and p not in archived.as_published}


def _read_back(data: bytes) -> list[dict[str, Any]]:
    """What openpyxl reads of a workbook: each sheet's cells (value, number format, font, border,
    alignment), merged ranges and column widths."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    out = []
    for sheet in book.worksheets:
        cells = {c.coordinate: (c.value, c.number_format, c.font.b, c.font.sz, c.border.left.style,
                                c.border.bottom.style, c.alignment.horizontal, c.alignment.vertical,
                                c.alignment.wrap_text, c.style_id)
                 for row in sheet.iter_rows() for c in row}
        out.append({"title": sheet.title, "cells": cells, "merged": sorted(str(m) for m in sheet.merged_cells.ranges),
                    "widths": {k: (d.width, d.customWidth) for k, d in sheet.column_dimensions.items()}})
    return out


def test_openpyxl_reads_the_same_workbook_both_ways(sample_reports: list[Report]) -> None:
    reports = [*sample_reports, *_archived(), *(r for r in _hard(sample_reports) if r.agency.slug in ("archived", "holes"))]
    for report in reports:
        fast, reference = report_xlsx(report, report.title), xlsx_reference(report, report.title)
        assert _read_back(fast) == _read_back(reference), report.display_path
    archived = _read_back(report_xlsx(reports[-2], "x"))  # the archive's text is in its cell, a blank cell is empty
    texts = {v[0] for sheet in archived for v in sheet["cells"].values()}
    assert '/ & <不适用> "x",y' in texts and "251000元" in texts


def test_the_dataset_files_are_the_reports_shares(sample_reports: list[Report], tmp_path: Path) -> None:
    """cells.csv and reports-data.json streamed from ``rendered`` are the ones written cell by cell."""
    reports = [*sample_reports, *_archived(), *_hard(sample_reports)]
    writer = dataset.DatasetWriter(str(tmp_path / "cells.csv"), str(tmp_path / "data.json"))
    writer.open()
    for report in reports:
        made = rendered(report)
        writer.add(made.cells_csv, made.json)
    writer.finish()
    assert (tmp_path / "cells.csv").read_bytes() == b"".join(dataset.dataset_csv(reports))
    assert (tmp_path / "data.json").read_bytes() == b"".join(dataset.dataset_json(reports))
