"""Reading a portal in two processes (``loading_pool``) gives what reading it in one gives: the same
reports, the same findings in the same order, the same located messages, on good and bad files alike."""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import test_core_archived as archived
import test_core_cases as cases
from core_kit import build_report, set_value

from gongkai import collection, loading_pool
from gongkai.collection import Portal, ReportStore
from gongkai.loading_caches import shared_path
from gongkai.model import Report
from gongkai.placement import survey
from gongkai.writing import report_to_yaml

REPO = Path(__file__).resolve().parents[2]


def _write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def _case_reports(reports: Path) -> None:
    """Every rule case that edits a base report (tests/core/cases), each in a folder of its own."""
    for number, path in enumerate(cases.case_files()):
        case: dict[str, Any] = cases.yaml.safe_load(path.read_text(encoding="utf-8"))
        if not case.get("report") or any(k in case for k in ("special", "missing", "import", "form", "site_info")):
            continue
        folder = reports / f"case-{number:03d}-{path.parent.name}"
        for name in case.get("also", []):
            _write(folder / Path(name).name, cases._base(name))
        text = cases.edit(cases._base(case["report"]), case)
        _write(folder / Path(case.get("as", case["report"])).name, text.encode(case.get("encoding", "utf-8")))


def _archived_reports(reports: Path) -> None:
    """Every archived case (blank, not-applicable and with-unit cells, layouts, discrepancies)."""
    for number, path in enumerate(archived.CASES):
        case = archived._case(path)
        year = archived._year(case)
        folder = reports / f"archived-{number:03d}"
        _write(folder / f"{year}.yml", archived._dump(archived._report_data(case, year)))
        if case.get("previous"):
            _write(folder / f"{year - 1}.yml", archived.report_text(case["format"], year - 1))


def _generated_reports(reports: Path) -> None:
    """Reports of both formats, totals given or computed, some with a carry-over that does not match."""
    for number in range(40):
        version, year = ("2021", 2021 + number % 4) if number % 3 else ("2019", 2019 + number % 2)
        slug = f"jigou-{number // 4}"
        text = report_to_yaml(build_report(version, year, slug=slug, name=f"示例机关{number // 4}"),
                              include_totals=bool(number % 2))
        if number % 5 == 0 and version == "2021":
            text, _ = set_value(text, ("applications", "carried_over", "natural_person"), str(number))
        _write(reports / slug / f"{year}.yml", text)


def _bad_files(reports: Path) -> None:
    _write(reports / "bad-a" / "2024.yml", "agency: {slug: bad-a\n")  # unclosed flow mapping
    _write(reports / "bad-b" / "2024.yml", "agency:\n\tslug: bad-b\n")  # a tab
    _write(reports / "bad-c" / "2024.yml", "年度: 2024\n".encode("gbk"))  # not UTF-8
    _write(reports / "bad-d" / "2024.yml", "")  # empty
    _write(reports / "bad-e" / "2024.yml", "- a list\n- not a report\n")
    _write(reports / "bad-f" / "2024.yml", "a: &x 1\nb: *x\n")  # an alias
    (reports / "bad-g").mkdir()
    (reports / "bad-g" / "2024.yml").symlink_to("2024.yml")  # a link to itself
    (reports / "2024.yml").write_text("year: 2024\n", encoding="utf-8")  # misplaced


def _injections(reports: Path) -> None:
    """The payloads of the site's injection tests (markup, links, control characters…), in a name and a narrative."""
    spec = importlib.util.spec_from_file_location("injection_kit", REPO / "tests" / "site" / "injection_kit.py")
    assert spec is not None and spec.loader is not None
    kit = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("injection_kit", kit)
    spec.loader.exec_module(kit)
    for number, payload in enumerate(kit.payloads()):
        slug = f"injection-{number:03d}"
        _write(reports / slug / "2024.yml", kit.report_text(slug=slug, narrative=payload.payload).text)
        _write(reports / slug / "2023.yml", kit.report_text(slug=slug, name=payload.payload).text)


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A portal of every kind of input above, and the sample portal's reports."""
    root = tmp_path_factory.mktemp("portal")
    reports = root / "reports"
    shutil.copytree(REPO / "reports", reports)
    _case_reports(reports)
    _archived_reports(reports)
    _generated_reports(reports)
    _bad_files(reports)
    _injections(reports)
    _write(reports / "copy" / "2024.yml", (REPO / "reports" / "shifan-zhen" / "2024.yml").read_text(encoding="utf-8"))
    (reports / "copy" / "link.yml").symlink_to("2024.yml")  # a second name for one file: read once
    return root


def _load(root: Path, **options: Any) -> Portal:
    store = ReportStore(root, parallel=options.pop("parallel", True))
    store.parallel_from = options.pop("parallel_from", 1)
    store.start_method = options.pop("start_method", store.start_method)
    return store.load([root / "reports"])


def _same_report(one: Report, other: Report) -> None:
    for field in dataclasses.fields(Report):
        if field.name != "marks":
            assert getattr(one, field.name) == getattr(other, field.name), field.name
    assert one.format is other.format
    assert dict(one.marks) == dict(other.marks)
    assert all(path is shared_path(path) for report in (one, other) for path in report.values)  # one tuple per path


def _same(serial: Portal, parallel: Portal, *, first_load: bool = True) -> None:
    assert parallel.findings == serial.findings
    assert [f.message for f in parallel.findings] == [f.message for f in serial.findings]
    assert parallel.files == serial.files and (parallel.changed == serial.changed or not first_load)
    assert len(parallel.reports) == len(serial.reports)
    for one, other in zip(serial.reports, parallel.reports):
        _same_report(one, other)


def test_the_portal_has_every_kind_of_input(portal: Path) -> None:
    serial = _load(portal, parallel=False)
    rules = {f.rule for f in serial.findings}
    assert len(serial.reports) > 60 and len(serial.files) > 150
    assert {"yaml-syntax", "file-encoding", "yaml-alias", "symlink-loop", "control-character", "duplicate-key",
            "carry-over-mismatch", "total-column-sum", "applications-balance", "archived-only", "narrative-html",
            "name-markup", "unknown-key", "slug-folder-mismatch"} <= rules


def test_read_in_two_processes_as_in_one(portal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading_pool, "CHUNK", 5)  # many chunks: both processes read some
    serial = _load(portal, parallel=False)
    read_here: list[Path] = []
    original = loading_pool.parse_file
    monkeypatch.setattr(loading_pool, "parse_file", lambda *a: read_here.append(a[0]) or original(*a))
    parallel = _load(portal)
    _same(serial, parallel)
    assert 0 < len(read_here) < len(serial.changed)  # the worker read the others


def test_a_worker_that_dies_costs_only_time(portal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading_pool, "CHUNK", 5)
    serial = _load(portal, parallel=False)
    calls = []

    def dies(tasks: Any) -> Any:
        calls.append(1)
        if len(calls) > 2:
            os._exit(3)
        return original(tasks)

    original = loading_pool._parse_chunk
    monkeypatch.setattr(loading_pool, "_parse_chunk", dies)  # forked: the worker has it too
    _same(serial, _load(portal, start_method="fork"))


def test_a_chunk_the_worker_fails_on_is_read_here(portal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading_pool, "CHUNK", 5)
    serial = _load(portal, parallel=False)

    def fails(tasks: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(loading_pool, "_parse_chunk", fails)
    _same(serial, _load(portal, start_method="fork"))


def test_no_worker_no_difference(portal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = _load(portal, parallel=False)

    def cannot_start(*args: Any) -> Any:
        raise OSError("no processes left")

    monkeypatch.setattr(loading_pool, "_Worker", cannot_start)
    _same(serial, _load(portal))


def test_small_portals_and_serve_read_here(portal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: Any) -> Any:
        raise AssertionError("no worker should start")

    monkeypatch.setattr(loading_pool, "_Worker", refused)
    files = len(survey([portal / "reports"])[0])
    _load(portal, parallel_from=files + 1)
    _load(portal, parallel=False)
    store = ReportStore(portal)
    assert store.parallel_from == collection.PARALLEL_FROM >= 1000


def test_a_second_load_reads_only_what_changed(portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "copy"
    shutil.copytree(portal, root, symlinks=True)
    store = ReportStore(root)
    store.parallel_from = 1
    first = store.load([root / "reports"])
    edited = root / "reports" / "shifan-zhen" / "2024.yml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("year: 2024", "year: 2023"), encoding="utf-8")
    second = store.load([root / "reports"])
    assert second.changed == [edited] and len(first.changed) > 100
    _same(_load(root, parallel=False), second, first_load=False)
