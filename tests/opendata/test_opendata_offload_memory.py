"""What sending a report to the files worker leaves behind in the build process: nothing.

Pickling a ``str`` that is not ASCII makes CPython keep its UTF-8 encoding inside the string for
as long as it lives (``PyUnicode_AsUTF8AndSize``): a report's narratives, sent once, would then
hold a second copy until the build ends (about 3 KB a report, 140 MB at 50,000 reports).
``offload.dumps_batch`` sends them encoded by itself; the worker gets the same narratives back."""

from __future__ import annotations

import sys
from pathlib import Path

from gongkai import offload
from gongkai.collection import load_portal

ROOT = Path(__file__).resolve().parents[2]


def _reports():
    reports = list(load_portal([ROOT / "reports"]).reports)
    assert reports and any(any(not text.isascii() for text in r.narrative.values()) for r in reports)
    return reports


def test_sending_reports_leaves_their_narratives_as_they_were() -> None:
    reports = _reports()
    sizes = [[sys.getsizeof(text) for text in r.narrative.values()] for r in reports]
    offload.dumps_batch(reports)
    for report in reports:
        offload.dumps(report)
    assert [[sys.getsizeof(text) for text in r.narrative.values()] for r in reports] == sizes


def test_the_worker_gets_the_same_reports() -> None:
    reports = _reports()
    for sent, got in zip(reports, offload.loads_batch(offload.dumps_batch(reports)), strict=True):
        assert type(got.narrative) is dict and got.narrative == sent.narrative
        assert all(type(key) is str and type(text) is str for key, text in got.narrative.items())
        assert list(got.narrative) == list(sent.narrative)
        assert (got.key, dict(got.values), got.format.version) == (sent.key, dict(sent.values), sent.format.version)
    one = offload.loads(offload.dumps(reports[0]))
    assert one.narrative == reports[0].narrative and type(one.narrative) is dict


def test_a_narrative_with_a_lone_surrogate_still_goes_through() -> None:
    report = _reports()[0]
    report.narrative = {**report.narrative, "overview": "前\ud800后"}
    assert offload.loads(offload.dumps(report)).narrative["overview"] == "前\ud800后"


def test_a_narrative_holding_something_else_than_text_goes_as_it_is() -> None:
    report = _reports()[0]
    report.narrative = {**report.narrative, "overview": None}  # type: ignore[dict-item]
    assert offload.loads(offload.dumps(report)).narrative == report.narrative
