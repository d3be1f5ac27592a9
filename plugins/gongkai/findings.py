"""Findings are values: a stable rule code, where, which cell, expected versus actual.

Printing them for people (Chinese) or machines (JSON) is done by separate functions.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import Enum
from typing import Iterable


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告"}


@dataclass(frozen=True)
class Finding:
    """One problem found in one report file."""

    rule: str  # stable English code, e.g. "applications-balance"
    severity: Severity
    message: str  # Simplified Chinese, says what to do
    file: str
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    path: tuple[str, ...] = ()  # YAML keys down to the field
    label: str = ""  # official label of the cell or section
    expected: str | None = None
    actual: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where


def format_finding(finding: Finding) -> str:
    """One line for a person: file:line:col: 错误 [rule] label：message（应为 X，实为 Y）."""
    text = f"{finding.location()}: {SEVERITY_LABELS[finding.severity]} [{finding.rule}] "
    if finding.label:
        text += f"{finding.label}："
    elif finding.path:
        text += f"{'.'.join(finding.path)}："
    text += finding.message
    facts = facts_text(finding)
    if facts:
        text += f"（{facts}）"
    return text


def facts_text(finding: Finding) -> str:
    """应为 X，实为 Y (either part only when known; "" as actual is a cell left blank)."""
    facts = []
    if finding.expected is not None:
        facts.append(f"应为 {finding.expected}")
    if finding.actual is not None:
        facts.append(f"实为 {finding.actual or '空白'}")
    return "，".join(facts)


def format_findings(findings: Iterable[Finding]) -> str:
    return "\n".join(format_finding(f) for f in sort_findings(findings))


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.file, f.line or 0, f.column or 0, f.rule))


def findings_to_json(findings: Iterable[Finding]) -> str:
    items = []
    for finding in sort_findings(findings):
        item = asdict(finding)
        item["severity"] = finding.severity.value
        item["path"] = list(finding.path)
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2)


def summarize(findings: Iterable[Finding]) -> str:
    found = list(findings)
    errors = sum(1 for f in found if f.is_error)
    warnings = len(found) - errors
    return f"{errors} 个错误，{warnings} 个警告"


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.is_error for f in findings)
