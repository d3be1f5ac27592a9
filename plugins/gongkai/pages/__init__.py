"""Page content builders: Markdown (with HTML tables) for report and index pages.

Nothing here imports MkDocs; the MkDocs adapter (``gongkai.mkdocs_plugin``) hands the
output to MkDocs as generated files, and any other tool can use it the same way.
"""

from .index_pages import agencies_page, agency_page, fill_placeholders, home_replacements, index_page, year_page
from .portal import PortalPage, portal_pages
from .report_page import insert_tables, report_page
from .templates import make_environment

__all__ = ["PortalPage", "agencies_page", "agency_page", "fill_placeholders", "home_replacements", "index_page",
           "insert_tables", "make_environment", "portal_pages", "report_page", "year_page"]
