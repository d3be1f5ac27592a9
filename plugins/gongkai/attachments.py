"""Every report's attachments, written into the site next to its page and offered as downloads:
the fragment to paste into a CMS article, the one-file page and the Word document (``embedding``).

``Attachments.files()`` lists them as static files of the site (``opendata.site.SiteFile``, made
on demand and written atomically by MkDocs in ``mkdocs serve`` and dirty builds; a full build has
gongkai write them beside the pages, ``gongkai.offload``);
``downloads(report)`` says what the report page links, beside its data files. The three files
of a report are made one after the other from one rendering of the report (``embedding.Rendered``;
``make_all``: the page from the fragment's bytes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .embedding import Rendered, rendered, report_docx, report_fragment, report_fragment_bytes, report_page_bytes
from .indexing import Layout
from .model import Report
from .wordml import DOCX_MEDIA_TYPE

if TYPE_CHECKING:  # imported where used: the files worker (``gongkai.offload``) makes no ``SiteFile``
    from .opendata.site import SiteFile


@dataclass(frozen=True)
class Kind:
    """One kind of attachment: how the page names it, its file name's ending, what it is for."""

    key: str
    title: str
    type: str  # the file type as the link says it
    suffix: str
    media_type: str
    description: str


# The HTML files end in ".htm": `mkdocs serve` puts its live-reload script into every ".html" it
# serves, and an editor who downloads the fragment from the preview must not paste a script into the CMS.
FRAGMENT = Kind("fragment", "嵌入片段", "HTML", ".fragment.htm", "text/html",
                "粘贴到集约化 CMS 的文章中（编辑器的源代码模式），即显示报告全文和表格；只有内联样式，没有脚本")
PAGE = Kind("page", "单文件网页", "HTML", ".htm", "text/html", "整份报告的单个网页文件，可直接上传或在浏览器中打开")
WORD = Kind("docx", "Word 文档", "DOCX", ".docx", DOCX_MEDIA_TYPE, "按正式格式排版的报告，可作为附件上传或打印")
KINDS = (FRAGMENT, PAGE, WORD)


def file_name(report: Report, kind: Kind) -> str:
    return f"{report.agency.slug}-{report.year}{kind.suffix}"


def src_uri(layout: Layout, report: Report, kind: Kind) -> str:
    """Beside the report's page: ``reports/<code>/<year>/<code>-<year>.docx``."""
    return f"{layout.prefix}/{report.agency.slug}/{report.year}/{file_name(report, kind)}"


def make(report: Report, kind: Kind, done: Rendered | None = None, fragment: str | None = None) -> bytes:
    """One attachment's bytes."""
    done = done or rendered(report)
    if kind is WORD:
        return report_docx(done)
    data = (fragment if fragment is not None else report_fragment(done)).encode("utf-8")
    return data if kind is FRAGMENT else report_page_bytes(done.report, data)


def make_all(report: Report) -> tuple[bytes, ...]:
    """The report's attachments' bytes, in the order of ``KINDS``: one rendering, the page from the fragment's bytes."""
    done = rendered(report)
    fragment = report_fragment_bytes(done)
    return fragment, report_page_bytes(report, fragment), report_docx(done)


def _chunks(data: bytes) -> Callable[[], Iterable[bytes]]:
    return lambda: [data]


def export(report: Report, folder: Path) -> list[tuple[Kind, Path]]:
    """The report's three attachments written into ``folder`` (``gongkai export``), each atomically."""
    from .opendata.site import SiteFile

    written = []
    for kind, data in zip(KINDS, make_all(report)):
        path = folder / file_name(report, kind)
        SiteFile(path.name, kind.media_type, _chunks(data)).write_to(str(path))
        written.append((kind, path))
    return written


class Attachments:
    """The attachments of every report shown on the site."""

    def __init__(self, reports: Iterable[Report], layout: Layout) -> None:
        self.layout = layout
        self.reports = reports
        # A report's, in the order of KINDS, once ``files()`` listed them (``mkdocs serve``, dirty builds).
        self._files: dict[tuple[str, int], tuple[SiteFile, ...]] = {}
        # The last report rendered, and its fragment: its three files are written one after the other.
        self._last: tuple[Rendered, str | None] | None = None

    def _site_files(self, report: Report) -> tuple[SiteFile, ...]:
        from .opendata.site import SiteFile

        return tuple(SiteFile(src_uri(self.layout, report, kind), kind.media_type,
                              partial(self._chunks, report, kind), report.source)
                     for kind in KINDS)

    def _chunks(self, report: Report, kind: Kind) -> list[bytes]:
        last = self._last
        if last is None or last[0].report is not report:
            last = (rendered(report), None)
        done, fragment = last
        if kind is not WORD and fragment is None:
            fragment = report_fragment(done)
        self._last = (done, fragment)
        return [make(report, kind, done, fragment)]

    def files(self) -> list[SiteFile]:
        if not self._files:
            self._files = {report.key: self._site_files(report) for report in self.reports}
        return [file for files in self._files.values() for file in files]

    def file(self, report: Report, kind: Kind) -> SiteFile:
        files = self._files.get(report.key) or self._site_files(report)
        return files[KINDS.index(kind)]

    def downloads(self, report: Report) -> list[tuple[str, str, str, SiteFile]]:
        """(title, file type, what it is for, file) of each attachment of the report: the file
        ``files()`` listed, or a new one (a full build writes them itself: ``gongkai.offload``)."""
        files = self._files.get(report.key) or self._site_files(report)
        return [(kind.title, kind.type, kind.description, file) for kind, file in zip(KINDS, files)]
