"""Each generated page's own ``<meta name="description">``: who, which year, a key figure or two.

Plain text built from the reports (agency names were checked for markup by the validator);
``for_theme`` escapes it, since Material prints ``page.meta.description`` as it is.
"""

from __future__ import annotations

from functools import cache

from markupsafe import escape

from ..formats import FormatSpec
from ..indexing import Layout, PortalIndex
from ..model import Report
from ..opendata.trends import OUTCOMES
from ..sanitizing import plain_text
from .templates import date_zh

RECEIVED = ("applications", "received")
DISCLOSED = ("applications", "results", OUTCOMES[0][0])


@cache
def _total_paths(format: FormatSpec, prefix: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The total column's cells of a row group, once per format (formats hash by identity)."""
    return tuple(c.path for t in format.tables for c in t.cells()
                 if c.path[:len(prefix)] == prefix and c.path[-1] == "total")


def _figure(report: Report, prefix: tuple[str, ...]) -> int | None:
    """The total column of a row group; ``None`` when every cell of it was published blank."""
    values = report.values
    known = [int(v) for v in (values.get(path) for path in _total_paths(report.format, prefix)) if v is not None]
    return sum(known) if known else None


def report_description(report: Report) -> str:
    """E.g. 示例镇人民政府2024年度政府信息公开工作年度报告，2025年1月20日发布：本年新收政府信息公开申请9件，予以公开5件。"""
    text = f"{report.title}，{date_zh(report.published)}发布"
    figures = []
    received, disclosed = _figure(report, RECEIVED), _figure(report, DISCLOSED)
    if received is not None:
        figures.append(f"本年新收政府信息公开申请{received}件")
    if disclosed is not None:
        figures.append(f"予以公开{disclosed}件")
    return text + ("：" + "，".join(figures) if figures else "") + "。"


def listing_descriptions(index: PortalIndex, layout: Layout) -> dict[str, str]:
    """The index, the agency directory, each year's and each agency's page, by source path."""
    found: dict[str, str] = {}
    total = len(index.reports)
    if index.years:
        years = f"{index.years[-1].year}—{index.years[0].year}" if len(index.years) > 1 else str(index.years[0].year)
        found[layout.index()] = (f"政府信息公开工作年度报告：{len(index.agencies)}个机关{years}年度共{total}份报告，"
                                 f"按年度和机关查阅，最新为{index.years[0].year}年度。")
        found[layout.agencies()] = f"发布政府信息公开工作年度报告的{len(index.agencies)}个机关，及各机关历年报告。"
    for group in index.years:
        late = group.late_count
        found[layout.year(group.year)] = (f"{group.year}年度政府信息公开工作年度报告：共{len(group.reports)}份"
                                          + (f"，其中{late}份逾期发布" if late else "") + "。")
    for agency in index.agencies:
        years = "、".join(str(r.year) for r in agency.reports)
        found[layout.agency(agency.agency.slug)] = (f"{agency.agency.name}政府信息公开工作年度报告：{years}年度，"
                                                    f"共{len(agency.reports)}份。")
    return found


def for_theme(description: str) -> str:
    """The description as Material prints it (``content="{{ page.meta.description }}"``, unescaped):
    escaped, on one line, without control characters (as every name on a page, ``plain_text``)."""
    return str(escape(" ".join(plain_text(description).split())))
