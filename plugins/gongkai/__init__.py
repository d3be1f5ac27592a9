"""gongkai: government information-disclosure annual reports, validated and published.

The Python API, usable without MkDocs (README, "Python API", lists it; a test keeps the two in step):
load a portal's reports with their findings, lay out its index and navigation, and make its pages.

Each name is imported from its module when first asked for (``from gongkai import Portal``), not
when the package is: a process that needs one module of the package (the files worker,
``gongkai.offload``, started anew for each build) does not load them all
(``tests/core/test_worker_imports.py``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # report_page from its module: mypy, in the import cycle, would take the module
    from .collection import Portal, ReportStore, load_portal
    from .findings import Finding, Severity, findings_to_json, format_finding
    from .formats import FORMAT_2019, FORMAT_2021, FormatSpec, format_for_year
    from .indexing import Layout, PortalIndex, build_index
    from .model import Agency, Report
    from .navigation import NavTitles, site_nav
    from .pages import PortalPage, make_environment, portal_pages
    from .pages.report_page import insert_tables, report_page
    from .rendering import render_table, table_layout
    from .writing import report_to_yaml

__version__ = "0.1.0"

# Where each public name lives (the imports above, for type checkers, say the same; a test checks
# that every name of ``__all__`` is found: tests/test_architecture.py).
_MODULES = {
    "collection": ("Portal", "ReportStore", "load_portal"),
    "findings": ("Finding", "Severity", "findings_to_json", "format_finding"),
    "formats": ("FORMAT_2019", "FORMAT_2021", "FormatSpec", "format_for_year"),
    "indexing": ("Layout", "PortalIndex", "build_index"),
    "model": ("Agency", "Report"),
    "navigation": ("NavTitles", "site_nav"),
    "pages": ("PortalPage", "insert_tables", "make_environment", "portal_pages", "report_page"),
    "rendering": ("render_table", "table_layout"),
    "writing": ("report_to_yaml",),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}

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


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # asked once: a plain attribute from then on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
