"""What open data adds to a portal: static data files, download links, and pages.

``OpenData`` is made once per build from the loaded portal. ``files()`` lists the static files
(each report's CSV/JSON/XLSX, the portal dataset, ``datapackage.json``, ``reports.json``), each
written on demand by ``SiteFile.write_to``, the reports' in the dataset's order: ``cells.csv`` and
``reports-data.json`` are streamed to disk as they go (``dataset.DatasetStream``). That is how
``mkdocs serve`` and dirty builds write them; a full build has gongkai write the reports' files and
the dataset itself, beside the pages (``gongkai.offload``), and lists only ``portal_files()``: the
report pages' download sizes then come from ``offloaded``. ``pages()`` lists
the generated pages (数据下载, trends, roll-ups per year, 报送情况 and its page per roster group);
``report_extras`` a report page's year-over-year table and download links, put into the page after
rendering (when the files, and so their sizes, exist).
"""

from __future__ import annotations

import os
import posixpath
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment
from markupsafe import Markup, escape

from ..findings import Finding
from ..indexing import DEFAULT_PAGE_SIZE, OTHER_GROUP, AgencyGroup, Layout, PortalIndex, page_source, relative_link
from ..model import Report
from ..pages.islands import Islands
from ..pages.paging import chunks, pager, wrap_pagers
from ..rendering.tables import render_table
from ..roster import Roster
from ..slugs import slug_for
from . import dataset
from .compliance import ALL, LABELS, UNGROUPED, Compliance, Row, compliance, failing_files, group_counts
from .exports import (
    FIELDS,
    SCHEMA_FILE,
    SCHEMA_NAME,
    Rendered,
    rendered,
    report_xlsx,
)
from .fast_html import CHART_TEMPLATE, EXTRAS_TEMPLATE, chart_markup, own_template, report_extras_of_figures
from .places import DOWNLOADS, FOLDER, report_file
from .rollup import Left, Rollup, rollup, uncountable
from .trends import (
    APPEAL_OUTCOMES,
    OUTCOMES,
    PALETTE,
    FigureMemo,
    KeyFigures,
    charts,
    draw,
)
from .trends import key_figures as figures_of

NOT_COUNTED = "not_counted"  # totals-<year>/[<group>/]not_counted/: nor in a group's code
ALL_CODE = "quanbu"  # the compliance view's one group (全部机关) of a portal without roster groups


def group_slug(name: str) -> str:
    """A group page's name for a name that is no group of the roster (``OpenData.group_code`` gives
    every group the readable code of the listings): stable for the name."""
    return f"group-{zlib.crc32(name.encode('utf-8')):08x}"


class PagedIslands(Islands):
    """A page's islands, and its pager paragraph made a ``nav`` landmark labelled 分页, as the listings' are."""

    def fill(self, page_html: str) -> str:
        return wrap_pagers(super().fill(page_html))


def relpath(path: str, start: str) -> str:
    """``posixpath.relpath(path, start)`` of two site paths, without its ``abspath`` of each (two ``os.getcwd``):
    worked out from their parts when neither has an empty, "." or ".." part nor starts with "/"."""
    parts = path.split("/")
    base = start.split("/")
    if parts[-1] == "" and len(parts) > 1:  # a folder's trailing "/"
        parts.pop()
    if base[-1] == "" and len(base) > 1:
        base.pop()
    if path.startswith("/") or start.startswith("/") or _ODD.intersection(parts) or _ODD.intersection(base):
        return posixpath.relpath(path, start)
    common = 0
    for mine, theirs in zip(parts, base):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."


_ODD = frozenset(("", ".", ".."))


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


@dataclass(slots=True)
class SiteFile:
    """A static file of the site, made on demand from the reports."""

    src_uri: str
    media_type: str
    make: Callable[[], Iterable[bytes]]
    source: Path | None = None  # the report file it is made from (None: from every report)
    size: int | None = None  # known once written or measured
    # Writes the file itself at the path given, returning its size, or None to have ``make`` write it.
    writer: Callable[[str], int | None] | None = None

    def write_to(self, path: str, atomic: bool = True) -> None:
        """Write atomically (a temporary file renamed into place): never a half-written file in a live
        folder. ``atomic=False``: straight to ``path`` (a staged site, swapped in whole)."""
        if self.writer is not None:
            size = self.writer(path)
            if size is not None:
                self.size = size
                return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if not atomic:
            size = 0
            with open(path, "wb") as out:
                for chunk in self.make():
                    out.write(chunk)
                    size += len(chunk)
            self.size = size
            return
        temporary = dataset.part_path(path)
        size = 0
        try:
            with open(temporary, "wb") as out:
                for chunk in self.make():
                    out.write(chunk)
                    size += len(chunk)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        self.size = size

    def measure(self) -> int:
        if self.size is None:
            self.size = sum(len(chunk) for chunk in self.make())
        return self.size


@dataclass(frozen=True)
class Download:
    kind: str  # CSV / JSON / XLSX
    description: str
    file: SiteFile
    href: str  # relative to the page
    title: str = ""  # another file's own name for it (``MoreDownloads``); "" for the report's data


class MoreDownloads(Protocol):
    """Other files a report page offers beside its data (``gongkai.attachments.Attachments``)."""

    def files(self) -> list[SiteFile]: ...

    def downloads(self, report: Report) -> list[tuple[str, str, str, SiteFile]]:
        """(title, file type, what it is for, file) of each."""
        ...


@dataclass
class OpenData:
    index: PortalIndex
    layout: Layout
    roster: Roster | None = None
    findings: list[Finding] = field(default_factory=list)  # the portal's (failing reports)
    directory_urls: bool = True
    more: MoreDownloads | None = None  # other files listed with the data files on every report page
    as_of: date = field(default_factory=date.today)
    title: str = "政府信息公开工作年度报告"
    drafts: list[str] = field(default_factory=list)  # report files marked draft (a published build leaves them out)
    previous: dataset.Ledger | None = None  # the last dirty build's dataset, to copy unchanged reports from
    record: bool = False  # note where each report's share of the dataset goes (for the next dirty build)
    page_size: int = DEFAULT_PAGE_SIZE  # entries a page lists at most (groups, agencies, reports not counted)

    def __post_init__(self) -> None:
        self._compliance: Compliance | None = None
        self._groups: list[tuple[str, str, list[Row]]] | None = None
        self._by_agency: dict[str, AgencyGroup] | None = None
        self._codes: dict[str, str] | None = None  # group name → its folder (``group_code``)
        self._why_not: dict[tuple[str, int], str | None] = {}  # report key → why it is not summed
        self._rollups: tuple[int, list[Rollup]] | None = None  # the last year's roll-ups
        self._files: dict[str, SiteFile] = {}  # the reports' files, once ``files()`` listed them
        self._made: tuple[Report, Rendered] | None = None  # the last report's CSV and JSON (its two files)
        self.figures = FigureMemo()  # each report's key figures: its agency's charts, the portal's, its extras
        # Whether an environment finds the package's own template of a fast path (``own_template``), asked
        # once per build (an ``OpenData`` is made for each): not a file's date checked for every page.
        self._own: dict[str, tuple[Environment, bool]] = {}
        # A report's download sizes when gongkai writes its files itself (a full build, ``gongkai.offload``):
        # CSV, XLSX, JSON (``DOWNLOADS``), then ``more``'s, in its order.
        self.offloaded: Callable[[Report], Sequence[int]] | None = None
        reports = self.index.reports  # the dataset's order (``dataset.ORDER``): the report pages'
        self.stream = dataset.DatasetStream(reports, self.previous, self.record)
        data: tuple[tuple[str, str, Callable[[], Iterable[bytes]], str | None], ...] = (
            (dataset.CELLS_CSV, "text/csv", lambda: dataset.dataset_csv(reports), "csv"),
            (dataset.CELLS_JSON, "application/json", lambda: dataset.dataset_json(reports), "json"),
            (dataset.DATAPACKAGE, "application/json",
             lambda: [dataset.to_json(dataset.datapackage(self.title, len(reports)))], None),
            (dataset.REPORTS_JSON, "application/json", lambda: [dataset.to_json(self.reports_index())], None),
            (SCHEMA_NAME, "application/json", lambda: [SCHEMA_FILE.read_bytes()], None),
        )
        self._portal: dict[str, SiteFile] = {}
        self._streamed: set[str] = set()
        for name, media, make, streamed in data:
            uri = self.data_file(name)
            self._portal[uri] = SiteFile(uri, media, make,
                                         writer=partial(self._finish_dataset, streamed) if streamed else None)
            if streamed:
                self._streamed.add(uri)

    def _finish_dataset(self, kind: str, path: str) -> int | None:
        self.stream.aim(kind, path)
        return self.stream.finish(kind)

    def aim(self, src_uri: str, path: str) -> None:
        """Where the build writes a file: the dataset is streamed there as the reports' files are made."""
        kind = {self.data_file(dataset.CELLS_CSV): "csv", self.data_file(dataset.CELLS_JSON): "json"}.get(src_uri)
        if kind is not None:
            self.stream.aim(kind, path)

    def ledger(self) -> dataset.Ledger | None:
        """Where this build wrote each report's share of the dataset (``record``), for the next one."""
        return self.stream.ledger()

    def abort(self) -> None:
        """A failed build: no half-written dataset is left."""
        self.stream.abort()

    # --- where things live ----------------------------------------------------------------

    def _report_file(self, report: Report, suffix: str) -> str:
        return report_file(self.layout, report, suffix)

    def data_file(self, name: str) -> str:
        return f"{self.layout.prefix}/{FOLDER}/{name}"

    def data_page(self) -> str:
        return f"{self.layout.prefix}/{FOLDER}/index.md"

    def trends_page(self) -> str:
        return f"{self.layout.prefix}/{FOLDER}/trends.md"

    def group_code(self, name: str) -> str:
        """A roster group's folder in open data's URLs: the code the index gives it (the year and
        agency listings use the same, ``indexing._groups``), readable and stable; the agencies
        without a group are the index's 其他机关; a group with no report yet gets one made the same
        way (``slugs.slug_for``, in roster order), ``group_slug`` only for a name that is no group."""
        codes = self._codes
        if codes is None:
            codes = {g.name: g.code for g in self.index.groups}
            if OTHER_GROUP in codes:
                codes[UNGROUPED] = codes[OTHER_GROUP]
            if not self.index.groups:
                codes[ALL] = ALL_CODE  # no roster group: one group of every agency
            named = self.roster.groups if self.roster is not None else []
            for group in [*named, UNGROUPED] if named else []:
                if group not in codes:
                    code = slug_for(OTHER_GROUP if group == UNGROUPED else group, taken=codes.values())
                    codes[group] = slug_for(f"g{code}", taken=codes.values()) if code.isdigit() else code
            self._codes = codes
        return codes.get(name) or group_slug(name)

    def compliance_page(self, number: int = 1) -> str:
        """The summary (groups × years); page ``number`` of it when the groups are more than ``page_size``."""
        return page_source(f"{self.layout.prefix}/{FOLDER}/compliance.md", number)

    def compliance_group_page(self, name: str, number: int = 1) -> str:
        return page_source(f"{self.layout.prefix}/{FOLDER}/compliance/{self.group_code(name)}.md", number)

    def compliance_groups(self) -> list[tuple[str, str, list[Row]]]:
        """(group, its first page, its agencies): the matrix is paged by roster group, and a group's
        matrix by ``page_size`` agencies, so that no page grows with the number of agencies of the portal."""
        if self._groups is None:
            self._groups = [(name, self.compliance_group_page(name), rows) for name, rows in self.compliance().groups()]
        return self._groups

    def totals_page(self, year: int, number: int = 1) -> str:
        """The year's roll-up of every agency, and the list of groups (paged by ``page_size`` groups)."""
        return page_source(f"{self.layout.prefix}/{FOLDER}/totals-{year}.md", number)

    def totals_group_page(self, year: int, name: str) -> str:
        return f"{self.layout.prefix}/{FOLDER}/totals-{year}/{self.group_code(name)}.md"

    def not_counted_page(self, year: int, name: str | None, number: int = 1) -> str:
        """The reports a total does not count (every agency's: ``name`` None), when they are more than ``page_size``."""
        folder = f"{self.layout.prefix}/{FOLDER}/totals-{year}" + ("" if name is None else f"/{self.group_code(name)}")
        return page_source(f"{folder}/{NOT_COUNTED}.md", number)

    def page_count(self, items: int) -> int:
        """Pages of ``page_size`` entries that ``items`` entries take (one at least)."""
        return max(1, -(-items // max(self.page_size, 1)))

    def url(self, src_uri: str) -> str:
        """The URL of a page or file, relative to the site's root."""
        if not src_uri.endswith(".md"):
            return src_uri
        stem = src_uri[:-3]
        if stem.endswith("/index") or stem == "index":
            return stem[:-5]
        return f"{stem}/" if self.directory_urls else f"{stem}.html"

    def href(self, from_src: str, to_src: str) -> str:
        """A link from one page to a page or file, relative (the site may live in a sub-folder)."""
        here = self.url(from_src)
        base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
        target = self.url(to_src)
        relative = relpath(target or ".", base or ".")
        return relative + ("/" if target.endswith("/") and not relative.endswith("/") else "")

    # --- files ----------------------------------------------------------------------------

    def _rendered(self, report: Report) -> Rendered:
        if self._made is None or self._made[0] is not report:
            self._made = (report, rendered(report))
            self.stream.add(report, self._made[1])
        return self._made[1]

    def _make(self, kind: str, report: Report) -> Iterable[bytes]:
        if kind == "CSV":
            return [self._rendered(report).csv]
        if kind == "JSON":
            return [self._rendered(report).json, b"\n"]
        return [report_xlsx(report, source=report.title, states=self._rendered(report).states)]

    def _report_files(self, report: Report, sizes: Sequence[int] | None = None) -> list[SiteFile]:
        """The report's CSV, XLSX and JSON (``DOWNLOADS``): those ``files()`` listed, else made now."""
        out = []
        for i, (kind, suffix, media, _) in enumerate(DOWNLOADS):
            uri = self._report_file(report, suffix)
            file = self._files.get(uri)
            if file is None:
                file = SiteFile(uri, media, partial(self._make, kind, report), report.source,
                                size=sizes[i] if sizes is not None else None)
            out.append(file)
        return out

    def files(self) -> list[SiteFile]:
        """Every static file (``mkdocs serve``, dirty builds), the reports' in the dataset's order."""
        if not self._files:
            for report in self.index.reports:  # each report's share of the dataset is streamed as its files are made
                for file in self._report_files(report):
                    self._files[file.src_uri] = file
        return list(self._files.values()) + list(self._portal.values()) + (
            self.more.files() if self.more is not None else [])

    def portal_files(self) -> list[SiteFile]:
        """The files left to MkDocs when gongkai writes the reports' files and the dataset itself
        (``gongkai.offload``): ``datapackage.json``, ``reports.json``, the JSON schema."""
        return [f for uri, f in self._portal.items() if uri not in self._streamed]

    def downloads(self, report: Report, page_src: str) -> list[Download]:
        sizes = self.offloaded(report) if self.offloaded is not None else None
        files = self._report_files(report, sizes)
        folder = self.href(page_src, posixpath.dirname(files[0].src_uri) + "/")  # the three are side by side
        found = [Download(kind, description, file, self._in_folder(folder, file.src_uri, page_src))
                 for (kind, _, _, description), file in zip(DOWNLOADS, files)]
        more = self.more.downloads(report) if self.more is not None else []
        for i, (title, kind, description, file) in enumerate(more):
            if sizes is not None:
                file.size = sizes[len(DOWNLOADS) + i]
            found.append(Download(kind, description, file, self.href(page_src, file.src_uri), title))
        return found

    def _in_folder(self, folder: str, src_uri: str, page_src: str) -> str:
        """``href(page_src, src_uri)`` from the link to the file's folder (``folder``, ending in "/")."""
        if "/" not in src_uri:
            return self.href(page_src, src_uri)
        name = posixpath.basename(src_uri)
        return name if folder == "./" else folder + name

    def report_extras(self, report: Report, env: Environment) -> str:
        """A report page's year-over-year table and download links (with sizes), as HTML."""
        previous = self.previous_report(report)
        downloads = self.downloads(report, self.layout.report(report))
        sized = [(d, size_text(d.file.measure())) for d in downloads]
        if self._own_template(env, EXTRAS_TEMPLATE):  # written by its fast path: the same bytes (``fast_html``)
            if previous is None:
                return report_extras_of_figures(report, None, KEY_FIGURE_LABELS, (), (), sized)
            return report_extras_of_figures(report, previous, KEY_FIGURE_LABELS, _figure_values(self.figures(previous)),
                                            _figure_values(self.figures(report)), sized)
        rows = self.year_over_year(report, previous, self.figures) if previous is not None else []
        return env.get_template(EXTRAS_TEMPLATE).render(report=report, previous=previous, rows=rows,
                                                        downloads=sized).strip()

    def _own_template(self, env: Environment, name: str) -> bool:
        known = self._own.get(name)
        if known is None or known[0] is not env:
            known = self._own[name] = (env, own_template(env, name))
        return known[1]

    def reports_index(self) -> dict[str, Any]:
        entries = []
        for report in sorted(self.index.reports, key=lambda r: (r.agency.slug, r.year)):
            entry = self.roster.get(report.agency.slug) if self.roster else None
            entries.append({
                "agency_code": report.agency.slug, "agency_name": report.agency.name,
                "group": entry.group if entry else None, "kind": report.obligation.kind,
                "year": report.year, "format": report.format.version, "published": report.published.isoformat(),
                "deadline": report.deadline.isoformat(), "late": report.is_late,
                "page": self.url(self.layout.report(report)),
                "downloads": {suffix: self._report_file(report, suffix) for _, suffix, _, _ in DOWNLOADS},
            })
        return dataset.reports_index(entries)

    # --- views ----------------------------------------------------------------------------

    def compliance(self) -> Compliance:
        if self._compliance is None:
            self._compliance = compliance(self.index.reports, self.roster, as_of=self.as_of,
                                          failing=failing_files(self.findings), drafts=self.drafts)
        return self._compliance

    def why_not_counted(self, report: Report) -> str | None:
        """Why a report cannot be summed (``rollup.uncountable``), worked out once per report per build."""
        known = self._why_not
        if report.key not in known:
            known[report.key] = uncountable(report)
        return known[report.key]

    def _unpublished(self, year: int) -> list[Left]:
        """The year's reports the compliance view finds missing, failing or draft (none of them counted)."""
        return [Left(row.name, row.code, row.cells[year].label) for row in self.compliance().rows
                if year in row.cells and row.cells[year].status in ("missing", "failing", "draft")]

    def _group_of(self) -> dict[str, str]:
        return {e.code: e.group for e in self.roster.entries if e.group} if self.roster is not None else {}

    def not_counted_counts(self, year: int) -> dict[str | None, int]:
        """How many reports each total of the year leaves out (None: every agency's total), without
        summing anything: what the year's pages need to know before they are made."""
        group_of = self._group_of()
        group = next((g for g in self.index.years if g.year == year), None)
        codes = [left.code for left in self._unpublished(year)]
        codes += [r.agency.slug for r in (group.reports if group else ()) if self.why_not_counted(r) is not None]
        counts: dict[str | None, int] = {None: len(codes)}
        for code in codes:
            name = group_of.get(code)
            if name is not None:
                counts[name] = counts.get(name, 0) + 1
        return counts

    def rollups(self, year: int) -> list[Rollup]:
        """All agencies, then each roster group; missing, failing and draft reports named beside each total.

        The year's last roll-ups are kept: the year's pages and its groups' pages are made one after another."""
        cached = self._rollups
        if cached is not None and cached[0] == year:
            return cached[1]
        group = next((g for g in self.index.years if g.year == year), None)
        reports = list(group.reports) if group else []
        not_counted = self._unpublished(year)
        out = [rollup(year, ALL, reports, not_counted, self.why_not_counted)]
        if self.roster is not None:
            group_of = self._group_of()  # one pass, however many groups
            members: dict[str | None, list[Report]] = {}
            left: dict[str | None, list[Left]] = {}
            for report in reports:
                members.setdefault(group_of.get(report.agency.slug), []).append(report)
            for item in not_counted:
                left.setdefault(group_of.get(item.code), []).append(item)
            for name in self.roster.groups:
                out.append(rollup(year, name, members.get(name, []), left.get(name, []), self.why_not_counted))
        self._rollups = (year, out)
        return out

    def charts_html(self, reports: Iterable[Report], prefix: str, env: Environment) -> Markup:
        if self._own_template(env, CHART_TEMPLATE):  # written by its fast path: the same bytes (``fast_html``)
            return Markup("\n".join(chart_markup(c, PALETTE) for c in charts(reports, prefix, self.figures)))
        template = env.get_template(CHART_TEMPLATE)
        return Markup("\n".join(template.render(chart=c, drawing=draw(c), palette=PALETTE).strip()
                                for c in charts(reports, prefix, self.figures)))

    def agency_trends(self, group: AgencyGroup, env: Environment) -> Markup:
        return self.charts_html(group.reports, "trend-", env)

    def agency_trends_key(self, group: AgencyGroup) -> str:
        """What an agency's charts are drawn from (each report's year and figures: ``charts`` reads
        nothing else), for a dirty build to compare."""
        return repr([(r.year, self.figures(r)) for r in group.reports])

    # --- pages ----------------------------------------------------------------------------

    def pages(self, env: Environment, page_size: int | None = None) -> list[tuple[str, Callable[[], str], Islands]]:
        """(source path, Markdown, its HTML islands) of each page open data adds; none lists more than
        ``page_size`` entries (groups, agencies, reports not counted), longer lists go on numbered pages."""
        if page_size is not None:
            self.page_size = page_size
        pages: list[tuple[str, Callable[[], str], Islands]] = []

        def add(src: str, make: Callable[[Islands], str]) -> None:
            islands = PagedIslands()
            pages.append((src, partial(make, islands), islands))

        trends = PagedIslands()
        pages += [
            (self.data_page(), lambda: self.data_markdown(env), PagedIslands()),
            (self.trends_page(), lambda: env.get_template("opendata/trends.md").render(
                charts=trends.slot(self.charts_html(self.index.reports, "portal-", env)),
                data_link=relative_link(self.trends_page(), self.data_page())), trends),
        ]
        groups = self.compliance_groups()
        for n in range(1, self.page_count(len(groups)) + 1):
            add(self.compliance_page(n), partial(self._compliance_summary, env, n))
        for number, (name, _, rows) in enumerate(groups):
            for n in range(1, self.page_count(len(rows)) + 1):
                add(self.compliance_group_page(name, n), partial(self._compliance_group, number, env, n))
        names = self.roster.groups if self.roster is not None else []
        for group in self.index.years:
            year = group.year
            left = self.not_counted_counts(year)
            for n in range(1, self.page_count(len(names)) + 1):
                add(self.totals_page(year, n), partial(self._totals, year, None, env, n))
            scopes: list[str | None] = [None, *names]
            for scope in scopes:
                if scope is not None:
                    add(self.totals_group_page(year, scope), partial(self._totals, year, scope, env, 1))
                if left.get(scope, 0) > self.page_size:
                    for n in range(1, self.page_count(left[scope]) + 1):
                        add(self.not_counted_page(year, scope, n), partial(self._not_counted, year, scope, env, n))
        return pages

    def _compliance_summary(self, env: Environment, number: int, islands: Islands) -> str:
        return self.compliance_markdown(env, islands, number)

    def _compliance_group(self, group: int, env: Environment, number: int, islands: Islands) -> str:
        return self.compliance_group_markdown(group, env, islands, number)

    def _totals(self, year: int, scope: str | None, env: Environment, number: int, islands: Islands) -> str:
        return self.totals_markdown(year, env, islands, scope=scope, number=number)

    def _not_counted(self, year: int, scope: str | None, env: Environment, number: int, _: Islands) -> str:
        return self.not_counted_markdown(year, scope, env, number)

    def data_markdown(self, env: Environment) -> str:
        here = self.data_page()
        files = [(self.href(here, self.data_file(name)), name, description) for name, description in (
            (dataset.CELLS_CSV, "全部报告统计表的每一个单元格，每行一个（CSV，UTF-8，可用 Excel 打开）"),
            (dataset.CELLS_JSON, f"全部报告的完整内容（JSON，每份报告的格式见 {SCHEMA_NAME}）"),
            (dataset.DATAPACKAGE, "数据包描述文件（Frictionless Data Package），定义 cells.csv 的每个字段"),
            (dataset.REPORTS_JSON, "报告索引：机关、年度、格式、发布日期、发布期限、是否逾期、页面和下载文件的地址"),
            (SCHEMA_NAME, "单份报告 JSON 文件的格式说明（JSON Schema）"),
        )]
        return env.get_template("opendata/data.md").render(
            files=files, fields=FIELDS, licence=dataset.LICENCE_LINE, licence_url=dataset.LICENCE["path"],
            count=len(self.index.reports),
            trends_link=relative_link(here, self.trends_page()), compliance_link=relative_link(here, self.compliance_page()),
            totals=[(g.year, relative_link(here, self.totals_page(g.year))) for g in self.index.years],
            index_link=relative_link(here, self.layout.index()))

    def totals_markdown(self, year: int, env: Environment, islands: Islands | None = None, *,
                        scope: str | None = None, number: int = 1) -> str:
        """The year's roll-up: every agency's total and the groups (page ``number`` of them: the total
        on the first), or one group's total (``scope``). A page names the reports its total leaves
        out, or, past ``page_size`` of them, links the numbered pages that do (``not_counted_markdown``)."""
        here = self.totals_page(year, number) if scope is None else self.totals_group_page(year, scope)
        rollups = self.rollups(year)
        names = [item.scope for item in rollups[1:]]
        section = None
        if number == 1:
            item = rollups[0] if scope is None else rollups[1 + names.index(scope)]
            section = self._total_section(item, here, env, islands)
        pieces = chunks(rollups[1:], self.page_size) if scope is None else [[]]
        groups = [(item.scope, relative_link(here, self.totals_group_page(year, item.scope)), len(item.counted),
                   len(item.left_out), item.ok, bool(item.totals)) for item in pieces[number - 1]]
        sources = [self.totals_page(year, n) for n in range(1, len(pieces) + 1)] if len(pieces) > 1 else []
        return env.get_template("opendata/totals.md").render(
            year=year, scope=scope, section=section, groups=groups, number=number, total=max(len(sources), 1),
            pager=pager(here, sources, number), data_link=relative_link(here, self.data_page()),
            year_link=relative_link(here, self.layout.year(year)),
            totals_link=relative_link(here, self.totals_page(year)) if scope is not None or number > 1 else "")

    def _total_section(self, item: Rollup, here: str, env: Environment, islands: Islands | None) -> dict[str, Any]:
        """One total: what it counts, what it leaves out (at most ``page_size`` named here), its tables."""
        tables = [Markup(render_table(total, table, id_prefix=f"r-{table.key}-", environment=env).strip())
                  for total in item.totals for table in total.format.tables]
        if len(item.counted) <= self.page_size:
            counted = "、".join(str(escape(r.agency.name)) for r in item.counted)
            counted_html = Markup(f'<p class="gk-counted">计入 {len(item.counted)} 份报告{"：" + counted if counted else ""}。</p>')
        else:  # too many to name here: the year's listing names them
            counted_html = Markup(f'<p class="gk-counted">计入 {len(item.counted)} 份报告（名单见<a href="'
                                  f'{escape(self.href(here, self.layout.year(item.year)))}">{item.year}年度全部报告</a>）。</p>')
        if islands is not None:
            tables = [islands.slot(table) for table in tables]
            counted_html = islands.slot(counted_html)
        scope = None if item.scope == ALL else item.scope
        many = len(item.left_out) > self.page_size
        return {"item": item, "counted": counted_html, "tables": tables,
                "left": [] if many else item.left_out, "left_count": len(item.left_out),
                "left_reasons": Counter(left.why if left.why in LABELS.values() else "统计表中有空白或不适用的单元格"
                                        for left in item.left_out).most_common() if many else [],
                "left_link": relative_link(here, self.not_counted_page(item.year, scope)) if many else ""}

    def not_counted_markdown(self, year: int, scope: str | None, env: Environment, number: int = 1) -> str:
        """Page ``number`` of the reports a total leaves out, ``page_size`` a page."""
        here = self.not_counted_page(year, scope, number)
        rollups = self.rollups(year)
        item = rollups[0] if scope is None else next(r for r in rollups[1:] if r.scope == scope)
        pieces = chunks(item.left_out, self.page_size)
        sources = [self.not_counted_page(year, scope, n) for n in range(1, len(pieces) + 1)] if len(pieces) > 1 else []
        back = self.totals_page(year) if scope is None else self.totals_group_page(year, scope)
        return env.get_template("opendata/not_counted.md").render(
            year=year, scope=item.scope, left=pieces[number - 1], count=len(item.left_out), number=number,
            total=max(len(sources), 1), pager=pager(here, sources, number), totals_link=relative_link(here, back),
            compliance_link=relative_link(here, self.compliance_page() if scope is None
                                          else self.compliance_group_page(scope)))

    def compliance_markdown(self, env: Environment, islands: Islands, number: int = 1) -> str:
        """The summary: per group and year, how many reports stand in each status (page ``number`` of
        ``page_size`` groups); a page per group."""
        here = self.compliance_page(number)
        view = self.compliance()
        pieces = chunks(self.compliance_groups(), self.page_size)
        groups = [(name, self.href(here, src), group_counts(rows, view.years), len(rows))
                  for name, src, rows in pieces[number - 1]]
        sources = [self.compliance_page(n) for n in range(1, len(pieces) + 1)] if len(pieces) > 1 else []
        table = env.get_template("opendata/compliance_summary.html").render(
            view=view, groups=groups, labels=LABELS).strip()
        return env.get_template("opendata/compliance.md").render(
            view=view, labels=LABELS, summary=islands.slot(table), data_link=relative_link(here, self.data_page()),
            number=number, total=max(len(sources), 1), pager=pager(here, sources, number),
            summary_link=relative_link(here, self.compliance_page()) if number > 1 else "")

    def compliance_group_markdown(self, group: int, env: Environment, islands: Islands, number: int = 1) -> str:
        """One group's matrix: its agencies × years (page ``number`` of ``page_size`` agencies)."""
        name, first, every = self.compliance_groups()[group]
        here = self.compliance_group_page(name, number)
        pieces = chunks(every, self.page_size)
        rows = pieces[number - 1]
        view = self.compliance()
        links = {(row.code, year): self.href(here, self.layout.report(cell.report))
                 for row in rows for year, cell in row.cells.items() if cell.report is not None}
        matrix = env.get_template("opendata/compliance_table.html").render(
            view=view, rows=rows, group=name, links=links).strip()
        counts = {status: sum(1 for row in every for cell in row.cells.values() if cell.status == status)
                  for status in LABELS}
        sources = [self.compliance_group_page(name, n) for n in range(1, len(pieces) + 1)] if len(pieces) > 1 else []
        return env.get_template("opendata/compliance_group.md").render(
            view=view, group=name, labels=LABELS, counts=counts, matrix=islands.slot(matrix), agencies=len(every),
            number=number, total=max(len(sources), 1), pager=pager(here, sources, number),
            summary_link=relative_link(here, self.compliance_page()), data_link=relative_link(here, self.data_page()))

    def previous_report(self, report: Report) -> Report | None:
        """The agency's latest report before this one (not always the year before)."""
        if self._by_agency is None:
            self._by_agency = {g.agency.slug: g for g in self.index.agencies}
        group = self._by_agency.get(report.agency.slug)
        return next((r for r in (group.reports if group else ()) if r.year < report.year), None)  # newest first

    @staticmethod
    def year_over_year(report: Report, previous: Report,
                       figures: Callable[[Report], KeyFigures] = figures_of) -> list[tuple[str, str, str, str]]:
        """Key figures beside the previous report's: (label, previous, this, change), as text; a figure
        a report published blank is 未填报, and its change is not worked out."""
        def text(value: int | None) -> str:
            return "未填报" if value is None else str(value)

        return [(label, text(before), text(now),
                 "—" if before is None or now is None else f"{now - before:+d}" if now != before else "0")
                for label, before, now in key_figures_side_by_side(previous, report, figures)]


KEY_FIGURE_LABELS = ("本年新收政府信息公开申请", "上年结转政府信息公开申请",
                     *(f"办理结果：{label}" for _, label in OUTCOMES), "结转下年度继续办理",
                     *(f"行政复议：{label}" for _, label in APPEAL_OUTCOMES),
                     *(f"行政诉讼：{label}" for _, label in APPEAL_OUTCOMES))


def key_figures(report: Report, figures: Callable[[Report], KeyFigures] = figures_of) -> list[tuple[str, int | None]]:
    """The year-over-year table's figures of a report: (label, value)."""
    return list(zip(KEY_FIGURE_LABELS, _figure_values(figures(report))))


def _figure_values(f: KeyFigures) -> tuple[int | None, ...]:
    return (*f.applications, *f.outcomes, f.carried_forward, *f.review, *f.litigation)


def key_figures_side_by_side(previous: Report, report: Report, figures: Callable[[Report], KeyFigures] = figures_of
                             ) -> list[tuple[str, int | None, int | None]]:
    return list(zip(KEY_FIGURE_LABELS, _figure_values(figures(previous)), _figure_values(figures(report))))
