"""Which files under the reports folder are reports, and whether each stands where it says it does.

A report lives at ``<reports>/<agency.slug>/<year>.yml``: the walk reads every such file (any
case of ``.yml``/``.yaml``), names every other file (a warning), refuses what is not a regular
file inside the folder (FIFOs, devices, links leading out or in a loop; an error), and
``check_placement`` holds the path and the content to agreement.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding
from .limits import file_kind
from .model import Report
from .rules import Where, finding

REPORT_SUFFIXES = (".yml", ".yaml")
ROSTER_FILE = "roster.yml"  # the one YAML file directly under reports/ that is not a report (SPEC-roster)
# What systems and tools leave in every folder: skipped without a word (other hidden entries are named).
NOISE = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", ".git", ".gitignore", ".gitkeep", ".gitattributes"})


@dataclass(frozen=True)
class Found:
    """A report file, and the folder the walk started from (None when the file was named directly)."""

    path: Path
    root: Path | None = None
    # Its resolved path and (size, mtime) as the walk saw them (a regular file, not a link), else None:
    # what ``collection.ReportStore`` keys it by, without resolving each file's path again.
    identity: tuple[Path, tuple[int, int]] | None = field(default=None, compare=False, repr=False)


def is_report_name(name: str) -> bool:
    return name.lower().endswith(REPORT_SUFFIXES) and not name.startswith(".")


def survey(paths: Iterable[Path], base: Path | None = None) -> tuple[list[Found], list[Finding]]:
    """Every report file under the given files and folders, and a finding for everything else.

    Hidden files and folders (an editor's swap file ``.2024.yml.swp``) are left out with a warning
    (``hidden-file``), the noise systems leave everywhere (``NOISE``: ``.DS_Store``, ``.git``…) without one.
    """
    found: list[Found] = []
    findings: list[Finding] = []
    resolved_base = base.resolve() if base is not None else None

    def _display(file: Path) -> str:
        return display_path(file, resolved_base)

    for path in paths:
        if not path.is_dir():
            found.append(Found(path))
            continue
        real_root = os.path.realpath(path)

        for folder, dirs, files in os.walk(path):
            here = Path(folder)
            resolved_here: Path | None = None
            for name in sorted(d for d in dirs if d.startswith(".") and d not in NOISE):
                findings.append(finding("hidden-file", Where(_display(here / name)), name=name, kind="文件夹"))
            for name in sorted(d for d in dirs if not d.startswith(".")):
                if os.path.islink(here / name):  # os.walk does not follow it: say so
                    findings.append(finding("not-a-regular-file", Where(_display(here / name)),
                                            kind="指向文件夹的符号链接（不会跟随）"))
                elif is_report_name(name):  # a folder named 2024.yml is no report, whatever it holds
                    findings.append(finding("not-a-regular-file", Where(_display(here / name)), kind="文件夹"))
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not os.path.islink(here / d))
            for name in sorted(files):
                if name in NOISE:
                    continue
                if name.startswith("."):
                    findings.append(finding("hidden-file", Where(_display(here / name)), name=name, kind="文件"))
                    continue
                file = here / name
                if here == path and name == ROSTER_FILE:
                    continue
                refusal, info = _refusal(file, real_root, _display(file))
                if refusal is not None:
                    findings.append(refusal)
                elif is_report_name(name):
                    identity = None
                    if info is not None:  # the file itself, no link: its resolved path is its folder's and its name
                        resolved_here = resolved_here or Path(os.path.realpath(folder))
                        identity = (resolved_here / name, (info.st_size, info.st_mtime_ns))
                    found.append(Found(file, path, identity))
                else:
                    findings.append(finding("stray-file", Where(_display(file))))
    return found, findings


def _refusal(file: Path, real_root: str, display: str) -> tuple[Finding | None, os.stat_result | None]:
    """Why a directory entry is not read: a link out of the folder or in a loop, a FIFO, a device; and,
    for a regular file that is no link, its ``lstat``."""
    where = Where(display)
    try:
        info = os.lstat(file)
    except OSError:
        return None, None  # gone since the listing: the reader says so
    own = True
    if stat.S_ISLNK(info.st_mode):
        own = False
        try:
            target_info = os.stat(file)
        except OSError as error:
            if error.errno == errno.ELOOP:
                return finding("symlink-loop", where), None
            return None, None  # a dangling link: the reader reports it unreadable
        target = os.path.realpath(file)
        if os.path.commonpath([target, real_root]) != real_root:
            return finding("outside-portal", where, target=target), None
        info = target_info
    if not stat.S_ISREG(info.st_mode):
        return finding("not-a-regular-file", where, kind=file_kind(info.st_mode)), None
    return None, info if own else None


def display_path(path: Path, resolved_base: Path | None, *targets: Path) -> str:
    """The file relative to the (resolved) base when it (or else one of ``targets``, e.g. where a link
    leads) lies under it, else as given."""
    if resolved_base is not None:
        for candidate in (Path(os.path.abspath(path)), *targets):
            try:
                return candidate.relative_to(resolved_base).as_posix()
            except ValueError:
                continue
    return str(path)


def check_placement(report: Report, found: Found) -> list[Finding]:
    """``<root>/<slug>/<year>.yml``: the folder names the agency (walked files), the file the year (walked
    files; a file named directly only when its name is a year, as a copy of last year's file is)."""
    path = found.path
    if found.root is None:
        return _year_of_file(report, path) if len(path.stem) == 4 and path.stem.isdigit() else []
    results = []
    suffix = path.suffix
    expected_path = (found.root / report.agency.slug / f"{report.year}{suffix}").as_posix()
    if path.parent == found.root and path.parent.name != report.agency.slug:
        results.append(finding("misplaced-report", Where.at(report.display_path, report.mark(("agency", "slug")),
                                                            ("agency", "slug"), "机关代码"),
                               expected_path=expected_path))
    elif path.parent.name != report.agency.slug:
        results.append(finding("slug-folder-mismatch", Where.at(report.display_path, report.mark(("agency", "slug")),
                                                                ("agency", "slug"), "机关代码"),
                               slug=report.agency.slug, folder=path.parent.name, expected_path=expected_path,
                               expected=path.parent.name, actual=report.agency.slug))
    return results + _year_of_file(report, path)


def _year_of_file(report: Report, path: Path) -> list[Finding]:
    if path.stem == str(report.year):
        return []
    return [finding("year-file-mismatch", Where.at(report.display_path, report.mark(("year",)), ("year",), "报告年度"),
                    year=report.year, name=path.name, expected=path.stem, actual=report.year)]
