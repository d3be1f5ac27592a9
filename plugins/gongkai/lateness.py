"""Late reports: published after the legal deadline (``Report.deadline``), said with the days."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .findings import Finding
from .model import Report
from .rules import Where, finding


def days_late(report: Report) -> int:
    return max(0, (report.published - report.deadline).days)


def late_findings(reports: Iterable[Report], today: date | None = None) -> list[Finding]:
    """A warning per report published after its deadline (the site marks it 逾期发布); a date still
    to come is the parser's warning (发布日期晚于今天), not a late report."""
    today = today or date.today()
    found = []
    for report in reports:
        days = days_late(report)
        if days and report.published <= today:
            path = ("published",)
            found.append(finding("published-after-deadline", Where.at(report.display_path, report.mark(path), path, "发布日期"),
                                 expected=f"不晚于 {report.deadline.isoformat()}", actual=report.published.isoformat(),
                                 published=report.published.isoformat(), deadline=report.deadline.isoformat(),
                                 days=days))
    return found
