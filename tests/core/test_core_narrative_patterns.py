"""The narrative patterns a report is read with are worked out once per format and layouts
(``narrative._read_patterns``): what is read is what reading each pattern where the report's tables
have its cells reads (``stated_counts_reference``, the definition), on every report of the
parallel-loading portal (samples, rule cases, archived layouts, injections) and of the corpus."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from test_core_parallel_loading import _load, portal  # noqa: F401 (the fixture)

from gongkai import narrative
from gongkai.formats import FORMATS
from gongkai.importing.document import import_report
from gongkai.importing.readers import read_source
from gongkai.model import Report
from gongkai.totals import cells_by_path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def stated_counts_reference(report: Report) -> Iterator[narrative.StatedCount]:
    for section, text in report.narrative.items():
        for pattern in narrative.PATTERNS:
            if not all(path in cells_by_path(report.table(path[0])) for path in pattern.cells):
                continue
            for match in pattern.regex.finditer(text):
                year = match.groupdict().get("year")
                if year is not None and int(year) != report.year - 1:
                    continue
                if narrative._PART.search(narrative._clause_before(text, match.start())):
                    continue
                yield narrative.StatedCount(section, narrative._quote(text, match), match.start(),
                                            int(match.groups()[-1]), pattern.cells)


def _corpus_reports() -> Iterator[Report]:
    import test_corpus_narrative as corpus  # type: ignore[import-not-found]

    for case in json.loads((CORPUS / "cases.json").read_text(encoding="utf-8")):
        if "refused" not in case:
            yield import_report(read_source(CORPUS / "sources" / case["file"], case["file"]),
                                corpus._overrides(case)).report


def test_patterns_read_as_the_definition(portal: Path) -> None:  # noqa: F811
    import sys

    sys.path.insert(0, str(CORPUS))
    reports = [*_load(portal, parallel=False).reports, *_corpus_reports()]
    layouts = {tuple(sorted(report.layouts.items())) for report in reports}
    assert len(reports) > 80 and len(layouts) > 1  # archived layouts among them (table 二 of 2019 in a 2021 report)
    read = 0
    for report in reports:
        expected = list(stated_counts_reference(report))
        assert list(narrative.stated_counts(report)) == expected
        read += len(expected)
    assert read > 100
    assert len(narrative._READ_PATTERNS) >= len({(r.format.version, *sorted(r.layouts.items())) for r in reports
                                                 if FORMATS.get(r.format.version) is r.format})
