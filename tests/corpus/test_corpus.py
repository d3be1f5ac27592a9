"""Every report of the corpus imports with every number as recorded by hand, and builds.

``cases.json`` holds, per source in ``sources/``, every number of tables 二、三、四 in reading
order as published ("" for a blank cell), recorded independently of the importer (the real
reports by hand; the variants from those hand-recorded lists, see ``make_variants.py``), the
acknowledged discrepancies expected (rule code and cell), and the labels that are only similar.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gongkai.formats import TableSpec
from gongkai.importing import command
from gongkai.model import CellState, Report
from gongkai.rules import DISCREPANCY_NOTES
from gongkai.totals import leaf_columns

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "importing"))
from import_kit import load_report

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SOURCES = HERE / "sources"
CASES = json.loads((HERE / "cases.json").read_text(encoding="utf-8"))
IMPORTED = [c for c in CASES if "refused" not in c]


def _run_import(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="gongkai import")
    command.add_arguments(parser)
    code = command.run(parser.parse_args(list(argv)))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def published_numbers(report: Report, amounts_included: bool) -> list[str]:
    """Every cell of tables 二、三、四 as published, in reading order."""
    numbers = []
    for table in report.tables:
        for cell in table.cells():
            special = report.as_published.get(cell.path)
            if special is not None and special.state is CellState.WITH_UNIT and not amounts_included:
                continue  # the shared cases leave amounts written with a unit out
            numbers.append(report.text(cell.path))
    return numbers


def _only_file(folder: Path) -> Path:
    (written,) = [p for p in folder.rglob("*.yml")]
    return written


def test_every_source_has_its_numbers_recorded() -> None:
    assert sorted(c["file"] for c in CASES) == sorted(p.name for p in SOURCES.iterdir())
    assert len(IMPORTED) >= 20


@pytest.mark.parametrize("case", IMPORTED, ids=[c["file"] for c in IMPORTED])
def test_a_corpus_report_imports_with_every_number(case: dict, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _run_import(capsys, str(SOURCES / case["file"]), "-o", str(tmp_path), *case.get("options", []))
    assert code == 0, output
    report = load_report(_only_file(tmp_path))
    assert report.year == case["year"]
    assert published_numbers(report, case.get("amounts_included", False)) == case["numbers"]
    assert report.archived is not None
    assert sorted((d.rule, d.cell_key) for d in report.discrepancies) == sorted(
        (d["rule"], d["cell"]) for d in case["discrepancies"])
    assert dict(report.layouts) == case.get("layouts", {})
    for label in case.get("approximate", []):
        assert f"“{label}”" in output and "[import-approximate-label]" in output, label
    if not case.get("approximate") and not case.get("approximate_allowed"):
        assert "[import-approximate-label]" not in output


@pytest.mark.parametrize("case", [c for c in CASES if "refused" in c], ids=lambda c: c["file"])
def test_a_source_that_cannot_be_read_is_refused_saying_why(case: dict, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _run_import(capsys, str(SOURCES / case["file"]), "-o", str(tmp_path))
    assert code == 1 and f"[{case['refused']}]" in output
    assert not list(tmp_path.rglob("*.yml"))


def test_the_folder_imports_in_one_command_with_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    names = [c["file"] for c in CASES if c.get("variant_of") is None and "options" not in c and "refused" not in c]
    names += ["v13_mixed_2023_2019rows.html", "v17_scanned.pdf"]
    for name in names:
        shutil.copy(SOURCES / name, folder / name)
    code, output = _run_import(capsys, str(folder), "-o", str(tmp_path / "reports"))
    assert code == 1  # the scanned PDF is refused
    summary = output[output.index("导入汇总"):]
    assert f"共 {len(names)} 个文件" in summary
    assert "无误导入 2 个：005_pingtan_zone_2019.txt、007_pingtan_zone_2021.txt" in summary
    assert "已导入、需核对 4 个" in summary and "004_shanghai_city_office_js_2019.html" in summary
    assert "（原文数据说明 12 处）" in summary  # 11 row totals left blank, and the （七）总计 they should add up to
    assert "未导入 1 个" in summary and "v17_scanned.pdf：[import-scanned-pdf]" in summary
    # one agency, one code across years: every year of the zone is in its folder
    zone = sorted(p.name for p in (tmp_path / "reports" / "pingtanzhsy-qu").iterdir())
    assert zone == ["2019.yml", "2020.yml", "2021.yml"]


# --- the built site -------------------------------------------------------------------------


class _Cells(HTMLParser):
    """The text of every report-table cell (``td[data-cell]``) and every discrepancy note item."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[tuple[str, str]] = []
        self.notes: list[str] = []
        self.current: list[str] | None = None
        self.path = ""
        self.in_note = 0
        self.note: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "td" and found.get("data-cell"):
            self.current, self.path = [], found["data-cell"] or ""
        if tag == "ul" and "gk-discrepancies" in (found.get("class") or ""):
            self.in_note = 1
        elif tag == "li" and self.in_note:
            self.note = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.current is not None:
            self.cells.append((self.path, "".join(self.current).strip()))
            self.current = None
        elif tag == "li" and self.in_note:
            self.notes.append("".join(self.note))
        elif tag == "ul" and self.in_note:
            self.in_note = 0

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.current.append(data)
        if self.in_note:
            self.note.append(data)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """One portal holding every imported corpus report (each under a code of its own), built with MkDocs."""
    root = tmp_path_factory.mktemp("corpus-site")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "overrides", root / "overrides")
    (root / "reports").mkdir()
    slugs = {}
    parser = argparse.ArgumentParser(prog="gongkai import")
    command.add_arguments(parser)
    for index, case in enumerate(IMPORTED):
        slug = f"corpus-{index:02d}"
        code = command.run(parser.parse_args([str(SOURCES / case["file"]), "-o", str(root / "reports"),
                                              "--slug", slug, *case.get("options", [])]))
        assert code == 0, case["file"]
        slugs[case["file"]] = slug
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(str(root / "mkdocs.yml"), strict=False))
    return root / "site", slugs


@pytest.mark.parametrize("case", IMPORTED, ids=[c["file"] for c in IMPORTED])
def test_the_built_page_shows_every_number_and_each_discrepancy(case: dict, built_site: tuple[Path, dict[str, str]]
                                                                ) -> None:
    site, slugs = built_site
    page = site / "reports" / slugs[case["file"]] / str(case["year"]) / "index.html"
    cells = _Cells()
    cells.feed(page.read_text(encoding="utf-8"))
    shown = [text for _path, text in cells.cells]
    expected = [n if n else "空白" for n in case["numbers"]]  # a blank cell reads 空白 to screen readers
    if not case.get("amounts_included", False):
        shown = [t for t in shown if not t.endswith("元")]
    assert shown == expected
    assert len(cells.notes) == len(case["discrepancies"])
    assert "原文数据说明" in page.read_text(encoding="utf-8")
    for rule in {d["rule"] for d in case["discrepancies"]}:  # each worded as its rule says
        wording = DISCREPANCY_NOTES[rule].split("；")[1].split("{")[0]
        assert sum(wording in note for note in cells.notes) == sum(d["rule"] == rule for d in case["discrepancies"])


# --- every inconsistency recorded by hand is flagged -----------------------------------------

# The hand-recorded ``errors`` of table 三: a row's total column against its applicant columns,
# or a column's （七）总计 against its result rows (the 总计 column included).
_ROW_ERROR = re.compile(r"表三 row (?P<row>\D+)(?P<item>\d*): sum of applicant columns (?P<expected>\d+) != 总计 '(?P<published>[^']*)'")
_COLUMN_ERROR = re.compile(r"表三 col (?P<column>\S+): sum of 办理结果 rows (?P<expected>\d+) != \(七\)总计 '(?P<published>[^']*)'")
# cases.json, and shared-cases.json: /work/shared/corpus/cases.json as the team recorded it, copied verbatim
HAND_RECORDED = [(name, case) for name in ("cases.json", "shared-cases.json")
                 for case in json.loads((HERE / name).read_text(encoding="utf-8")) if case.get("errors")]


def _results_row(table: TableSpec, label: str, item: str) -> tuple[str, ...]:
    """The YAML row path of a result row named as the record names it (``不予公开5``: its fifth sub-item)."""
    results = next(row for block in table.blocks for row in block.rows if row.key == "results")
    (row,) = [r for r in results.children if r.label.partition("）")[2].startswith(label)]  # （二）部分公开（区分…
    return ("results", row.key, row.children[int(item) - 1].key) if item else ("results", row.key)


def _hand_recorded_error(table: TableSpec, error: str) -> tuple[str, str, str, str]:
    """(rule code, cell, published, expected) of one hand-recorded error."""
    if match := _ROW_ERROR.fullmatch(error):
        cell = (table.key, *_results_row(table, match["row"], match["item"]), "total")
        rule = "total-column-sum"
    else:
        match = _COLUMN_ERROR.fullmatch(error)
        assert match is not None, f"an error the test cannot read: {error}"
        (column,) = [c for block in table.blocks for c in leaf_columns(table, block) if c.label == match["column"]]
        cell = (table.key, "results", "total", column.key)
        rule = "total-row-sum"
    return rule, ".".join(cell), match["published"], match["expected"]


@pytest.mark.parametrize(("name", "case"), HAND_RECORDED, ids=[f"{n}:{c['file']}" for n, c in HAND_RECORDED])
def test_every_hand_recorded_error_is_an_acknowledged_discrepancy(name: str, case: dict, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _run_import(capsys, str(SOURCES / case["file"]), "-o", str(tmp_path), *case.get("options", []))
    assert code == 0, output
    report = load_report(_only_file(tmp_path))
    recorded = {(d.rule, d.cell_key, d.published, d.expected) for d in report.discrepancies}
    for error in case["errors"]:
        assert _hand_recorded_error(report.table("applications"), error) in recorded, error
