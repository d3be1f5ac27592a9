"""Open data's and the attachments' static files in a build.

``mkdocs serve`` and dirty builds: each file is a MkDocs file (``DataFile``), made from the
reports when MkDocs copies it, and in a dirty build only when its report changed. A full build
(staged beside site/): gongkai writes every report's files and the dataset itself beside the
pages (``gongkai.offload``, in a worker process for a large portal), and MkDocs copies only the
portal's few small files: no MkDocs file per report file.
"""

from __future__ import annotations

import os

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from ..indexing import Layout
from ..model import Report
from ..offload import Offload, OffloadError, Plan
from ..opendata.site import OpenData, SiteFile

# ``workers: auto`` uses the worker process from this many reports on. The worker costs CPU: its
# start-up (a new interpreter importing gongkai, about 1 s) and each report's pickling and unpickling
# (1-1.5 ms in all), while it takes open data's and the attachments' files off the build process,
# so a build gains wall time when the second core is free. At 1,000 reports on an idle 2-core
# machine (bench/opendata_cost.py --runs 4, interleaved, 2026-12-07) the build with open data took
# 1.20 times the wall time of the build without it in process, 1.01 times with the worker (CPU 1.15).
# Below this size the build is short either way (bench/README.md, "Open data's cost").
WORKER_FROM_REPORTS = 1000


class DataFile(File):
    """Made from the reports when MkDocs copies it; in a dirty build, only when its report changed."""

    def __init__(self, site_file: SiteFile, config: MkDocsConfig, atomic: bool = True) -> None:
        super().__init__(site_file.src_uri, src_dir=None, dest_dir=config.site_dir,
                         use_directory_urls=config.use_directory_urls)
        self.site_file = site_file
        self.generated_by = "gongkai"
        self.atomic = atomic  # False in a staged site (swapped in whole)

    @property  # type: ignore[misc]
    def content_bytes(self) -> bytes:
        return b"".join(self.site_file.make())

    def is_modified(self) -> bool:
        source = self.site_file.source
        if source is None or not os.path.isfile(self.abs_dest_path):
            return True
        return os.path.getmtime(self.abs_dest_path) < os.path.getmtime(source)

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and not self.is_modified():
            self.site_file.size = os.path.getsize(self.abs_dest_path)
            return
        self.site_file.write_to(self.abs_dest_path, atomic=self.atomic)


def data_files(opendata: OpenData | None, config: MkDocsConfig) -> list[DataFile]:
    """Open data's files, each told where it goes (the dataset is streamed there as reports are written)."""
    if opendata is None:
        return []
    files = [DataFile(f, config) for f in opendata.files()]
    for file in files:
        opendata.aim(file.src_uri, file.abs_dest_path)
    return files


def use_worker(workers: str | int, reports: int) -> bool:
    """``workers``: 0 never, 1 always, ``auto`` from ``WORKER_FROM_REPORTS`` reports on."""
    if workers == "auto":
        return reports >= WORKER_FROM_REPORTS
    return bool(workers)


class SiteData:
    """Open data's and the attachments' files of one build (see the module's docstring)."""

    def __init__(self, opendata: OpenData | None, config: MkDocsConfig, *, staged: bool, workers: str | int,
                 layout: Layout) -> None:
        self.opendata = opendata
        self.config = config
        self.staged = staged
        self.workers = workers
        self.layout = layout
        self.offload: Offload | None = None

    def files(self) -> list[DataFile]:
        """What MkDocs copies; in a full build, the worker (or the in-process writer) is started here."""
        opendata = self.opendata
        if opendata is None:
            return []
        if not self.staged:
            return data_files(opendata, self.config)
        reports = opendata.index.reports  # the order the report pages are written in
        plan = Plan(self.config.site_dir, self.layout, open_data=True, attachments=opendata.more is not None)
        self.offload = Offload(plan, reports, worker=use_worker(self.workers, len(reports)))
        self.offload.start()
        opendata.offloaded = self.sizes
        return [DataFile(f, self.config, atomic=False) for f in opendata.portal_files()]

    def sizes(self, report: Report) -> tuple[int, ...]:
        assert self.offload is not None
        try:
            return self.offload.sizes(report)
        except OffloadError as error:
            raise PluginError(f"gongkai：{error}") from None

    def finish(self) -> None:
        """Every report's files written (waits for the worker), before the site is swapped in."""
        if self.offload is None:
            return
        try:
            self.offload.finish()
        except OffloadError as error:
            raise PluginError(f"gongkai：{error}") from None

    def stop(self) -> None:
        """A failed build: the worker is ended (the staging folder is discarded by the caller)."""
        if self.offload is not None:
            self.offload.stop()
