"""No input makes the loader, the parser and validator, the renderer or the importer raise."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.findings import Finding
from gongkai.importing.document import Overrides, import_report
from gongkai.importing.readers import read_source
from gongkai.importing.source import UnreadableSource
from gongkai.loading import load_file, load_text
from gongkai.pages import insert_tables, report_page
from gongkai.parsing import parse_document
from gongkai.validation import validate_report
from gongkai.writing import report_to_yaml

from .strategies import hostile_scalars, reports

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NUMBER = re.compile(r"(?<=: )-?\d+(?:\.\d+)?(?=[,}])")


def _check(text: str) -> list[Finding]:
    """Load, parse and validate as `gongkai validate` does; every finding is located in the file."""
    document, findings = load_text(text, Path("r.yml"), "r.yml")
    if document is not None:
        report, more = parse_document(document)
        findings = findings + more
        if report is not None:
            findings += validate_report(report)
    for finding in findings:
        assert finding.file == "r.yml" and finding.message
    return findings


@FAST
@given(st.text(max_size=400))
def test_the_loader_takes_any_text(text: str) -> None:
    _check(text)


@FAST
@given(st.binary(max_size=400))
def test_the_loader_takes_any_bytes(tmp_path_factory, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("bytes") / "2024.yml"
    path.write_bytes(raw)
    document, findings = load_file(path)
    assert document is not None or findings


@FAST
@given(reports(), st.data())
def test_one_hostile_scalar_anywhere_is_a_finding_or_harmless(report, data) -> None:
    text = report_to_yaml(report)
    spots = [m.span() for m in NUMBER.finditer(text)]
    start, end = data.draw(st.sampled_from(spots))
    _check(text[:start] + data.draw(hostile_scalars) + text[end:])


@FAST
@given(reports(), st.data())
def test_one_line_cut_or_doubled_is_a_finding_or_harmless(report, data) -> None:
    lines = report_to_yaml(report).split("\n")
    at = data.draw(st.integers(0, len(lines) - 1))
    how = data.draw(st.sampled_from(["cut", "double", "indent", "dedent", "truncate"]))
    if how == "cut":
        del lines[at]
    elif how == "double":
        lines.insert(at, lines[at])
    elif how == "indent":
        lines[at] = "  " + lines[at]
    elif how == "dedent":
        lines[at] = lines[at].lstrip()
    else:
        lines = lines[:at] + [lines[at][: len(lines[at]) // 2]]
    _check("\n".join(lines))


@SLOW
@given(reports())
def test_the_renderer_renders_every_valid_report(report) -> None:
    assert not [f for f in _check(report_to_yaml(report)) if f.is_error]
    page = report_page(report, tables_inline=False)
    html = insert_tables(page, report)
    assert report.agency.name in html


@FAST
@given(st.text(max_size=600), st.sampled_from([".txt", ".html"]))
def test_the_importer_takes_any_text(tmp_path_factory, text: str, suffix: str) -> None:
    path = tmp_path_factory.mktemp("import") / f"source{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        import_report(read_source(path), Overrides(slug="x"))
    except UnreadableSource as error:
        assert error.findings and all(f.message for f in error.findings)


@FAST
@given(st.binary(max_size=300), st.lists(st.tuples(st.sampled_from(["word/document.xml", "[Content_Types].xml",
                                                                    "_rels/.rels", "docProps/core.xml"]),
                                                   st.binary(max_size=200)), max_size=4, unique_by=lambda m: m[0]))
def test_the_importer_takes_any_docx(tmp_path_factory, raw: bytes, members) -> None:
    path = tmp_path_factory.mktemp("docx") / "source.docx"
    if members:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, body in members:
                archive.writestr(name, body)
        raw = buffer.getvalue()
    path.write_bytes(raw)
    try:
        import_report(read_source(path), Overrides(slug="x"))
    except UnreadableSource as error:
        assert error.findings
