"""gongkai: government information-disclosure annual reports, validated and published.

The Python API, usable without MkDocs (README, "Python API", lists it; a test keeps the two in step):
load a portal's reports with their findings, lay out its index and navigation, and make its pages.
"""

from .collection import Portal, ReportStore, load_portal
from .findings import Finding, Severity, findings_to_json, format_finding
from .formats import FORMAT_2019, FORMAT_2021, FormatSpec, format_for_year
from .indexing import Layout, PortalIndex, build_index
from .model import Agency, Report
from .navigation import NavTitles, site_nav
from .pages import PortalPage, insert_tables, make_environment, portal_pages, report_page
from .rendering import render_table, table_layout
from .writing import report_to_yaml

__version__ = "0.1.0"

__all__ = [
    "FORMAT_2019",
    "FORMAT_2021",
    "Agency",
    "Finding",
    "FormatSpec",
    "Layout",
    "NavTitles",
    "Portal",
    "PortalIndex",
    "PortalPage",
    "Report",
    "ReportStore",
    "Severity",
    "build_index",
    "findings_to_json",
    "format_finding",
    "format_for_year",
    "insert_tables",
    "load_portal",
    "make_environment",
    "portal_pages",
    "render_table",
    "report_page",
    "report_to_yaml",
    "site_nav",
    "table_layout",
]
