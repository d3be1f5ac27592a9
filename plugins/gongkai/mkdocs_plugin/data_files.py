"""Open data's static files (``gongkai.opendata.site.SiteFile``) as MkDocs files, written on demand."""

from __future__ import annotations

import os

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from ..opendata.site import OpenData, SiteFile


class DataFile(File):
    """Made from the reports when MkDocs copies it; in a dirty build, only when its report changed."""

    def __init__(self, site_file: SiteFile, config: MkDocsConfig) -> None:
        super().__init__(site_file.src_uri, src_dir=None, dest_dir=config.site_dir,
                         use_directory_urls=config.use_directory_urls)
        self.site_file = site_file
        self.generated_by = "gongkai"

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
        self.site_file.write_to(self.abs_dest_path)


def data_files(opendata: OpenData | None, config: MkDocsConfig) -> list[DataFile]:
    """Open data's files, each told where it goes (the dataset is streamed there as reports are written)."""
    if opendata is None:
        return []
    files = [DataFile(f, config) for f in opendata.files()]
    for file in files:
        opendata.aim(file.src_uri, file.abs_dest_path)
    return files
