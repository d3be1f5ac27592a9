"""Preview never blocks, publishing stays strict: what a site shows, from a loaded portal.

- Publishing (``mkdocs build``): any error stops the build (warnings too when strict); reports
  marked ``status: draft`` are left out, their findings with them, and named in the output.
- Preview (``mkdocs serve``): every valid report is shown, drafts under a 草稿 banner; a file with
  errors gets, at its report's address, a page listing its findings, and a findings page lists
  them all, linked from a banner on every page. Nothing here raises, so the server never waits
  on a failed build.

No MkDocs here: the adapter asks ``plan_site`` once per build and ``banner`` once per page.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from jinja2 import Environment

from .drafts import file_is_draft
from .findings import SEVERITY_LABELS, Finding, facts_text, sort_findings
from .indexing import Layout, relative_link
from .model import SLUG_PATTERN, Report
from .pages.portal import PortalPage

FINDINGS_PAGE = "_findings"  # never an agency code (those have no "_"): reports/_findings/
_YEAR = re.compile(r"^[0-9]{4}$")


@dataclass(frozen=True)
class InvalidFile:
    """A report file with errors: in preview, its page shows its findings instead of the report."""

    file: str  # as findings name it
    src_uri: str | None  # the page it would have had (None: its name gives no address)
    findings: tuple[Finding, ...]
    draft: bool


@dataclass
class SitePlan:
    """What one build shows: the reports, what stops it, what is only logged."""

    preview: bool
    reports: list[Report]
    errors: list[Finding] = field(default_factory=list)  # publishing: stop the build
    logged: list[Finding] = field(default_factory=list)  # printed in the terminal, build goes on
    drafts: list[str] = field(default_factory=list)  # files marked draft (left out when publishing)
    invalid: list[InvalidFile] = field(default_factory=list)  # preview: files shown as their findings
    findings: list[Finding] = field(default_factory=list)  # preview: every finding, for the findings page
    layout: Layout = field(default_factory=Layout)

    @property
    def notices(self) -> list[str]:
        """Lines for the build's output (informational: a strict build does not fail on them)."""
        if not self.drafts:
            return []
        verb = "只在预览中显示" if self.preview else "未发布"
        return [f"gongkai：{len(self.drafts)} 份草稿（status: draft）{verb}：{'、'.join(self.drafts)}"]

    @property
    def findings_src(self) -> str:
        return f"{self.layout.prefix}/{FINDINGS_PAGE}.md"

    @property
    def draft_pages(self) -> frozenset[str]:
        return frozenset([self.layout.report(r) for r in self.reports if r.draft]
                         + [i.src_uri for i in self.invalid if i.draft and i.src_uri])

    @property
    def banner_key(self) -> str:
        """Changes exactly when the site-wide banner does (a dirty rebuild then renders every page)."""
        state = (self.preview, len(self.invalid), sum(f.is_error for f in self.findings), len(self.drafts))
        return hashlib.sha256(repr(state).encode()).hexdigest()

    def pages(self, env: Environment) -> list[PortalPage]:
        """Preview only: one page per invalid file that has an address, and the findings page."""
        if not self.preview or not (self.findings or self.drafts):
            return []
        pages = [PortalPage(i.src_uri, "invalid", partial(invalid_page, i, self, env))
                 for i in self.invalid if i.src_uri]
        pages.append(PortalPage(self.findings_src, "findings", partial(findings_page, self, env)))
        return pages

    def banner(self, src_uri: str, page_url: str, env: Environment, *, directory_urls: bool = True) -> str:
        """The preview's banner for one page (empty when publishing, or when there is nothing to say)."""
        if not self.preview or not (self.findings or self.drafts):
            return ""
        errors = [f for f in self.findings if f.is_error]
        return env.get_template("pages/preview_banner.html").render(
            draft=src_uri in self.draft_pages,
            invalid_files=len({f.file for f in errors}),
            errors=len(errors),
            warnings=len(self.findings) - len(errors),
            drafts=len(self.drafts),
            findings_url=relative_url(page_url, page_url_of(self.findings_src, directory_urls)),
            here=src_uri == self.findings_src,
        )


def plan_site(reports: Sequence[Report], findings: Sequence[Finding], files: Sequence[Path], *,
              layout: Layout, base: Path, preview: bool, strict: bool) -> SitePlan:
    """Which reports a build shows and which findings stop it (see the module docstring)."""
    by_file: dict[str, list[Finding]] = {}
    for found in findings:
        by_file.setdefault(found.file, []).append(found)
    parsed = {r.display_path for r in reports}
    unparsed_drafts = {display for display, own in by_file.items()
                       if display not in parsed and any(f.is_error for f in own) and _is_draft_file(display, base, files)}
    drafts = sorted({r.display_path for r in reports if r.draft} | unparsed_drafts)

    if not preview:
        shown = [r for r in reports if not r.draft]
        kept = [f for f in findings if f.file not in drafts]  # the layout's findings are the loader's
        errors = [f for f in kept if f.is_error or strict]
        return SitePlan(False, shown, errors=sort_findings(errors),
                        logged=sort_findings(f for f in kept if f not in errors), drafts=drafts, layout=layout)

    every = sort_findings(findings)
    failing = {f.file for f in every if f.is_error}
    shown = [r for r in reports if r.display_path not in failing]
    taken = {layout.report(r) for r in shown}
    invalid = []
    for display in sorted(failing):
        src_uri = _report_address(display, layout)
        if src_uri in taken:  # two files for one address: the second is listed on the findings page only
            src_uri = None
        elif src_uri is not None:
            taken.add(src_uri)
        invalid.append(InvalidFile(display, src_uri, tuple(f for f in every if f.file == display),
                                   display in drafts))
    return SitePlan(True, shown, logged=every, drafts=drafts, invalid=invalid, findings=every, layout=layout)


def _is_draft_file(display: str, base: Path, files: Sequence[Path]) -> bool:
    path = base / display
    if not path.is_file():  # a finding about something other than one report file
        matches = [f for f in files if str(f) == display]
        if not matches:
            return False
        path = matches[0]
    return file_is_draft(path)


def _report_address(display: str, layout: Layout) -> str | None:
    """``…/<code>/<year>.yml`` → the report page's source path, when the name makes one."""
    path = Path(display)
    slug, year = path.parent.name, path.stem
    if not (SLUG_PATTERN.match(slug) and _YEAR.match(year)) or slug.isdigit():
        return None
    return f"{layout.prefix}/{slug}/{year}.md"


def page_url_of(src_uri: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a Markdown source path (``a/b.md`` → ``a/b/`` or ``a/b.html``)."""
    stem = src_uri.removesuffix(".md")
    if posixpath.basename(stem) == "index":
        folder = posixpath.dirname(stem)
        return f"{folder}/" if folder else ""
    return f"{stem}/" if directory_urls else f"{stem}.html"


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url`` (both site-relative, MkDocs style)."""
    here = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url)
    link = posixpath.relpath(to_url or ".", here or ".")
    return link + "/" if to_url.endswith("/") and not link.endswith("/") else link


# --- pages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingView:
    where: str  # 第 12 行第 3 列
    severity: str  # 错误 / 警告
    rule: str
    label: str
    message: str
    facts: str  # findings.facts_text


def _views(findings: Iterable[Finding]) -> list[FindingView]:
    views = []
    for f in findings:
        where = f"第 {f.line} 行" + (f"第 {f.column} 列" if f.column else "") if f.line else ""
        views.append(FindingView(where, SEVERITY_LABELS[f.severity], f.rule,
                                 f.label or ".".join(f.path), f.message, facts_text(f)))
    return views


def invalid_page(invalid: InvalidFile, plan: SitePlan, env: Environment) -> str:
    assert invalid.src_uri is not None
    return env.get_template("pages/preview_invalid.md").render(
        file=invalid.file, findings=_views(invalid.findings), draft=invalid.draft,
        findings_link=relative_link(invalid.src_uri, plan.findings_src))


def findings_page(plan: SitePlan, env: Environment) -> str:
    here = plan.findings_src
    shown = {plan.layout.report(r): r for r in plan.reports}
    addresses = {r.display_path: plan.layout.report(r) for r in plan.reports}
    addresses.update({i.file: i.src_uri for i in plan.invalid if i.src_uri})
    groups = []
    for display in sorted({f.file for f in plan.findings}):
        own = [f for f in plan.findings if f.file == display]
        address = addresses.get(display)
        groups.append({
            "file": display,
            "link": relative_link(here, address) if address else None,
            "shown": address in shown,
            "errors": sum(f.is_error for f in own),
            "findings": _views(own),
        })
    return env.get_template("pages/preview_findings.md").render(groups=groups, drafts=plan.drafts)
