"""A report for a shared (集约化) CMS and as an attachment: an HTML fragment to paste into an
article (headings, narrative, the accessible tables; inline styles only, no scripts), the same
as a one-file page, and a Word document in the official layout.

The tables are the site's own (``rendering.render_table``: captions, ``scope``/``headers``), with
their classes traded for inline styles, since a CMS article keeps neither stylesheets nor scripts.
The Word tables follow ``forms.form_layout``, the official grid with its merged headers.
"""

from __future__ import annotations

import io
import re
from html import escape

import markdown

from .forms import FIRST_GRID_ROW, form_layout
from .model import CellPath, Report
from .pages.text import safe_narrative, sanitize_html
from .rendering import format_value, render_table

STYLES = {
    "h1": "font-size:22px;font-weight:bold;text-align:center;margin:0 0 .6em",
    "h2": "font-size:18px;font-weight:bold;margin:1.2em 0 .5em",
    "h3": "font-size:16px;font-weight:bold;margin:1em 0 .4em",
    "p": "margin:0 0 .8em;line-height:1.8",
    "table": "border-collapse:collapse;width:100%;margin:0 0 1em;font-size:14px",
    "caption": "font-weight:bold;text-align:left;padding:4px 0",
    "th": "border:1px solid #000;padding:4px 6px;text-align:center;vertical-align:middle;font-weight:bold;"
          "background:#f2f2f2",
    "td": "border:1px solid #000;padding:4px 6px;text-align:right",
}
_OPEN_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)((?:\s[^<>]*)?)(/?)>")
_CLASS = re.compile(r"""\s(?:class|style)\s*=\s*(?:"[^"]*"|'[^']*')""")
_WRAPPER = re.compile(r"</?div\b[^>]*>")


def _inline_styles(markup: str) -> str:
    """Classes and styles out, each element's inline style in; ``div`` wrappers dropped."""
    def tag(match: re.Match[str]) -> str:
        name, attributes, close = match.group(1).lower(), _CLASS.sub("", match.group(2)), match.group(3)
        style = STYLES.get(name)
        styled = f' style="{style}"' if style else ""
        return f"<{name}{attributes}{styled}{close}>"

    return _OPEN_TAG.sub(tag, _WRAPPER.sub("", markup))


def _narrative_html(text: str) -> str:
    return sanitize_html(markdown.markdown(safe_narrative(text)))


def report_fragment(report: Report) -> str:
    """The HTML to paste into a CMS article: no scripts, no stylesheets, every number of every table."""
    parts = [f"<h1>{escape(report.title)}</h1>",
             f"<p>发布日期：{report.published.year}年{report.published.month}月{report.published.day}日</p>"]
    for section in report.format.sections:
        prefix = section.key.replace("_", "-") + "-"
        parts.append(f'<h2 id="{prefix}title">{escape(section.title)}</h2>')
        if section.table is not None:
            parts.append(render_table(report, section.table, id_prefix=prefix).strip())
        else:
            parts.append(_narrative_html(report.narrative.get(section.key, "无。")))
    body = _inline_styles("\n".join(parts))
    return f'<div lang="zh-CN">\n{body}\n</div>\n'


def report_page_html(report: Report) -> str:
    """The fragment as a one-file page (to upload, or open and copy from a browser)."""
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(report.title)}</title>\n</head>\n<body style=\"max-width:60em;margin:1em auto;"
            f"padding:0 1em;font-family:sans-serif\">\n{report_fragment(report)}</body>\n</html>\n")


def cell_text(report: Report, path: CellPath) -> str:
    """A cell as published (an archived report's blank or not-applicable cell as written)."""
    text = getattr(report, "text", None)
    return str(text(path)) if callable(text) else format_value(report.values[path])


def _plain(text: str) -> list[str]:
    """A narrative's paragraphs as plain text (Markdown marks dropped) for the Word document."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [re.sub(r"^\s*(?:#{1,6}\s+|[-*+]\s+)", "", line) for line in block.splitlines()]
        paragraphs.append(re.sub(r"(\*\*|__|`)", "", "".join(line.strip() for line in lines)))
    return [p for p in paragraphs if p]


def report_docx(report: Report) -> bytes:
    """The report as a Word document: title, the six sections, the tables in the official grid."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    title = document.add_heading(report.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"发布日期：{report.published.year}年{report.published.month}月{report.published.day}日")
    for section in report.format.sections:
        document.add_heading(section.title, level=1)
        if section.table is None:
            for paragraph in _plain(report.narrative.get(section.key, "无。")):
                document.add_paragraph(paragraph).paragraph_format.first_line_indent = Pt(24)
            continue
        placed = form_layout(section.table, report)
        rows = max(p.row + p.rowspan for p in placed) - FIRST_GRID_ROW
        columns = max(p.column + p.colspan for p in placed) - 1
        table = document.add_table(rows=rows, cols=columns)
        table.style = "Table Grid"
        for p in placed:
            cell = table.cell(p.row - FIRST_GRID_ROW, p.column - 1)
            if p.rowspan > 1 or p.colspan > 1:
                cell = cell.merge(table.cell(p.row - FIRST_GRID_ROW + p.rowspan - 1, p.column + p.colspan - 2))
            if p.label is not None:
                cell.text = p.label
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            elif p.path is not None:
                cell.text = cell_text(report, p.path)
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
