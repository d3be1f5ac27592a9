"""`gongkai check`: the compliance view for a scheduled job (text or JSON, exit status)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import collection
from ..drafts import file_is_draft
from ..findings import (
    Finding,
    findings_to_json,
    format_finding,
    sort_findings,
    summarize,
)
from ..roster import ROSTER_FILE
from .compliance import (
    Compliance,
    compliance,
    compliance_findings,
    compliance_json,
    compliance_text,
    failing_files,
)


@dataclass(frozen=True)
class CheckResult:
    view: Compliance
    findings: list[Finding]  # the roster's own, then missing / failing / late reports

    def failed(self, strict: bool) -> bool:
        return any(f.is_error or strict for f in self.findings)


def check(paths: Sequence[Path], *, as_of: date, until: int | None = None, base: Path | None = None) -> CheckResult:
    portal = collection.load_portal(paths, base=base)
    failing = failing_files(portal.findings)
    # A draft that does not validate yet is a draft (草稿), not a failing report: its findings are the editor's.
    drafts = [file for file, _ in failing.values() if file_is_draft((base or Path.cwd()) / file)]
    view = compliance(portal.reports, portal.roster, as_of=as_of, failing=failing, until=until, drafts=drafts)
    folder = _display(paths[0], base)
    roster_file = portal.roster.display_path if portal.roster is not None else f"{folder}/{ROSTER_FILE}"
    own = [f for f in portal.findings if f.rule.startswith("roster-")]
    return CheckResult(view, own + compliance_findings(view, roster_file, folder))


def _display(path: Path, base: Path | None) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix() if base is not None else path.as_posix()
    except ValueError:
        return path.as_posix()


def render(result: CheckResult, fmt: str) -> str:
    if fmt == "json":
        data = compliance_json(result.view)
        data["findings"] = json.loads(findings_to_json(result.findings))
        return json.dumps(data, ensure_ascii=False, indent=2)
    lines = [compliance_text(result.view), ""]
    lines.extend(format_finding(f) for f in sort_findings(result.findings))
    lines.append(f"报送情况检查：{summarize(result.findings)}")
    return "\n".join(lines)
