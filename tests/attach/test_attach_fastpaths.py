"""The attachments' fast paths against their definitions, byte for byte: the fragment and the one-file
page written without Jinja (``report_fragment``, ``report_page_html``, ``report_page_bytes``) against
``attachments/fragment.html`` and ``attachments/page.html`` rendered; the Word document's zip written
record by record (``wordml.package``) from the document's bytes, its tables' XML put together as UTF-8
(``report_docx``, ``wordml.table_bytes``) against ``zipfile``'s of the document's text
(``report_docx_by_text``); the tables' numbers filled in by list (``table_html``, ``wordml.fill_table``,
``table_bytes``, ``table_html_bytes``; ``report_fragment_bytes``) against the per-number loops they replaced (kept here); and
``make_all`` (what the files worker and ``gongkai export`` write) against each attachment made alone.

Over every sample report and archived fixture (blank, not-applicable and with-unit cells,
discrepancies), drafts, the injection payloads (tests/site/injection_payloads.yml) in every printed
field, and the real reports of tests/corpus imported.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from attach_kit import sample_reports, site_module
from markupsafe import escape

from gongkai import embedding, wordml
from gongkai.attachments import FRAGMENT, KINDS, PAGE, WORD, make, make_all
from gongkai.embedding import (
    HIDDEN,
    report_fragment,
    report_fragment_by_template,
    report_page_by_template,
    report_page_bytes,
    report_page_html,
    styled_table,
)
from gongkai.formats import TableSpec
from gongkai.importing.document import Overrides, import_report
from gongkai.importing.readers import read_source
from gongkai.model import Agency, Archived, Discrepancy, Report
from gongkai.rendering.tables import BLANK_LABEL

KIT = site_module("injection_kit")
SAMPLES = sample_reports()
CORPUS = Path(__file__).resolve().parents[1] / "corpus"
REAL = ("004_shanghai_city_office_js_2019.html", "005_pingtan_zone_2019.txt", "006_pingtan_zone_2020.txt",
        "007_pingtan_zone_2021.txt", "012_pingtan_junshan_town_2022.txt", "town-report-2024.txt")


def _corpus_report(name: str) -> Report:
    case: dict[str, Any] = next(c for c in json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))
                                if c["file"] == name)
    options = case.get("options", [])
    given = dict(zip(options[::2], options[1::2]))
    overrides = Overrides(slug="x", agency=given.get("--agency"),
                          year=int(given["--year"]) if "--year" in given else None,
                          published=date.fromisoformat(given["--published"]) if "--published" in given else None)
    report = import_report(read_source(CORPUS / "sources" / name, name), overrides).report
    assert report is not None, name
    return report


def _hostile(report: Report, payload: str) -> Report:
    """The payload as the agency's name, in every narrative, and (an archive's) as its source and a discrepancy."""
    report = replace(report, agency=Agency(report.agency.slug, payload),
                     narrative={key: f"{KIT.FIRST_PARAGRAPH}\n\n{payload}" for key in report.narrative})
    if report.archived is None or not report.discrepancies:
        return report
    first = report.discrepancies[0]
    return replace(report, archived=Archived(payload, report.archived.retrieved),
                   discrepancies=(Discrepancy(first.rule, first.cell, payload, payload), *report.discrepancies[1:]))


def _cases() -> list[tuple[str, Report]]:
    archive = next(r for r in SAMPLES if r.archived is not None and r.discrepancies)
    out = [(r.display_path, r) for r in SAMPLES]
    out += [(f"{r.display_path} (draft)", replace(r, draft=True)) for r in SAMPLES[:2]]
    out += [(f"{archive.display_path} (no retrieval date)",
             replace(archive, archived=Archived("原文 <b>&amp;", None)))]  # type: ignore[arg-type]
    for number, payload in enumerate(KIT.payloads()):
        out.append((f"{payload.id} (report)", _hostile(SAMPLES[number % len(SAMPLES)], payload.payload)))
        out.append((f"{payload.id} (archive)", _hostile(archive, payload.payload)))
    out += [(name, _corpus_report(name)) for name in REAL]
    return out


CASES = _cases()
IDS = [where for where, _ in CASES]


def test_the_cases_cover_what_the_fast_paths_branch_on() -> None:
    reports = [r for _, r in CASES]
    assert any(r.draft for r in reports) and any(r.archived and r.archived.retrieved for r in reports)
    assert any(r.archived and not r.archived.retrieved for r in reports)
    assert any(r.as_published for r in reports) and any(r.discrepancies for r in reports)
    assert any("<" in r.agency.name for r in reports) and any("&" in r.agency.name for r in reports)
    for kind in ("Decimal", "int"):  # the numbers the tables write as they are, and those they format
        assert any(type(v).__name__ == kind for r in reports for v in r.values.values())


# --- the references: the per-number loops the fast paths replaced -----------------------------


def _table_html_by_loop(report: Report, table: TableSpec, id_prefix: str) -> str:
    styled = styled_table(table, id_prefix)
    values, published = report.values, report.as_published
    out = [styled.parts[0]]
    for path, after in zip(styled.paths, styled.parts[1:]):
        value = values.get(path)
        if value.__class__ is int and path not in published:
            out.append(str(value))
        else:
            text = report.text(path)
            out.append(str(escape(text)) if text else f'<span style="{HIDDEN}">{BLANK_LABEL}</span>')
        out.append(after)
    return "".join(out)


def _fill_table_by_loop(report: Report, table: TableSpec) -> str:
    skeleton = wordml.table_xml(table)
    values, published = report.values, report.as_published
    out = [skeleton.parts[0]]
    for path, after in zip(skeleton.paths, skeleton.parts[1:]):
        value = values.get(path)
        if value.__class__ is int and path not in published:
            out.append(f"<w:r><w:t>{value}</w:t></w:r>")
        else:
            out.append(wordml.run(report.text(path)))
        out.append(after)
    return "".join(out)


@pytest.mark.parametrize(("where", "report"), CASES, ids=IDS)
def test_the_tables_numbers_as_the_loops_wrote_them(where: str, report: Report) -> None:
    tables = [(n, s.table) for n, s in enumerate(report.sections, start=1) if s.table is not None]
    assert tables, where
    for number, table in tables:
        by_loop = _table_html_by_loop(report, table, f"gk{number}-")
        assert embedding.table_html(report, table, f"gk{number}-") == by_loop
        assert embedding.table_html_bytes(report, table, f"gk{number}-") == by_loop.encode("utf-8")
        assert wordml.fill_table(report, table) == _fill_table_by_loop(report, table)
        assert wordml.table_bytes(report, table) == _fill_table_by_loop(report, table).encode("utf-8")


@pytest.mark.parametrize(("where", "report"), CASES, ids=IDS)
def test_the_fragment_and_the_page_as_their_templates_render_them(where: str, report: Report) -> None:
    done = embedding.rendered(report)
    fragment = report_fragment(done)
    assert fragment == report_fragment_by_template(done), where
    assert embedding.report_fragment_bytes(done) == fragment.encode("utf-8"), where
    assert report_page_html(done, fragment) == report_page_by_template(done, fragment), where
    assert report_page_html(done) == report_page_by_template(done), where
    assert report_page_bytes(report, fragment.encode("utf-8")) == report_page_by_template(done).encode("utf-8")


@pytest.mark.parametrize(("where", "report"), CASES, ids=IDS)
def test_the_word_documents_zip_as_zipfile_writes_it(where: str, report: Report,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    fast = embedding.report_docx(report)
    monkeypatch.setattr(embedding, "package", wordml.package_by_zipfile)
    monkeypatch.setattr(embedding, "fill_table", _fill_table_by_loop)
    assert fast == embedding.report_docx_by_text(report), where


@pytest.mark.parametrize(("where", "report"), CASES, ids=IDS)
def test_make_all_is_each_attachment_made_alone(where: str, report: Report) -> None:
    together = make_all(report)
    assert together == tuple(make(report, kind) for kind in KINDS), where
    done = embedding.rendered(report)
    assert together[KINDS.index(FRAGMENT)] == report_fragment_by_template(done).encode("utf-8")
    assert together[KINDS.index(PAGE)] == report_page_by_template(done).encode("utf-8")
    assert together[KINDS.index(WORD)][:2] == b"PK"


def test_a_changed_template_is_told_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison can fail: one changed character of the template's output is seen."""
    report = SAMPLES[0]
    original = embedding.report_fragment_by_template(report)
    monkeypatch.setattr(embedding, "STYLES", {**embedding.STYLES, "h1": embedding.STYLES["h1"] + ";"})
    assert embedding.report_fragment_by_template(report) != original == report_fragment(report)
