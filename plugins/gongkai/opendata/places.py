"""Where open data's files live and which downloads a report has: the names both the site's pages
(``opendata.site``) and the files worker (``gongkai.offload``, which imports nothing of the pages) use."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..indexing import Layout
    from ..model import Report

FOLDER = "open_data"  # reports/open_data/: "_" never occurs in an agency code, so it cannot clash

# (type, file name ending, media type, what it is for), in the order a report page lists them.
DOWNLOADS = (
    ("CSV", "csv", "text/csv", "逐格数据，UTF-8 编码，可用 Excel 打开"),
    ("XLSX", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel 工作簿，按官方表格排版"),
    ("JSON", "json", "application/json", "报告全部内容，供程序读取"),
)


def report_file(layout: Layout, report: Report, suffix: str) -> str:
    """Where a report's data file lives: ``reports/<code>/<year>.csv``."""
    return f"{layout.prefix}/{report.agency.slug}/{report.year}.{suffix}"
