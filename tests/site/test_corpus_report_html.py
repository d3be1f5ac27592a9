"""Real published reports: a report page written as HTML is what MkDocs renders from its Markdown.

Every source of ``tests/corpus`` that imports (PDFs, pasted web pages, Word's HTML, plain text, with
blank and ``/`` cells and published numbers that do not add up) is imported as an editor would, loaded
as the site loads it, and rendered both ways under each Markdown setting of
``test_site_report_html``; the content, table of contents, title and anchors must be the same.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from gongkai.collection import load_portal
from gongkai.importing import command
from gongkai.indexing import Layout
from gongkai.model import Report

from .test_site_report_html import SETTINGS, _both_ways, _config, _files

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CASES = [case for case in json.loads((CORPUS / "cases.json").read_text(encoding="utf-8")) if "refused" not in case]


@pytest.fixture(scope="module")
def corpus_reports(tmp_path_factory: pytest.TempPathFactory) -> list[Report]:
    folder = tmp_path_factory.mktemp("corpus-reports")
    parser = argparse.ArgumentParser(prog="gongkai import")
    command.add_arguments(parser)
    for index, case in enumerate(CASES):
        code = command.run(parser.parse_args([str(CORPUS / "sources" / case["file"]), "-o", str(folder),
                                              "--slug", f"corpus-{index:02d}", *case.get("options", [])]))
        assert code == 0, case["file"]
    loaded = load_portal(sorted(folder.rglob("*.yml")))
    assert loaded.ok, [str(finding) for finding in loaded.findings]
    assert len(loaded.reports) == len(CASES)
    return list(loaded.reports)


def test_the_corpus_holds_archived_reports_with_discrepancies(corpus_reports: list[Report]) -> None:
    assert len(corpus_reports) >= 15
    assert sum(bool(report.archived) for report in corpus_reports) >= 10
    assert any(report.discrepancies for report in corpus_reports)


@pytest.mark.parametrize(("name", "extensions", "directory_urls"), SETTINGS, ids=[s[0] for s in SETTINGS])
def test_a_published_report_written_as_html_is_what_markdown_renders(
        tmp_path: Path, corpus_reports: list[Report], name: str, extensions: str, directory_urls: bool) -> None:
    config = _config(tmp_path, extensions, directory_urls)
    layout = Layout("reports" if directory_urls else "portal/reports")
    files = _files(config, corpus_reports, layout)
    for report in corpus_reports:
        _both_ways(config, files, report, layout, tables_inline=False)
    for report in corpus_reports[:2]:
        _both_ways(config, files, report, layout, tables_inline=True)
