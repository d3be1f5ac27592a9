"""A report for a shared (集约化) CMS and as an attachment: an HTML fragment to paste into an
article (headings, narrative, the accessible tables; inline styles only, no scripts), the same
as a one-file page, and a Word document in the official layout.

The tables are the site's own markup (``tables/table.html``: captions, ``scope``/``headers``),
with their classes traded for inline styles, since a CMS article keeps neither stylesheets nor
scripts. Like the site's tables, each is styled once per table layout, with a slot per number
(``styled_table``), and a report only writes its numbers in. Narratives are rendered and
cleaned as on the site (``sanitizing.render_narrative``), once per report for all three files
(``Rendered``); one of plain paragraphs and headings without Markdown (``headed_paragraphs``). The
Word document is written by ``wordml``.

The fragment and the page are what ``attachments/fragment.html`` and ``attachments/page.html`` render,
written without Jinja (one escape per text; the templates are the definition, ``*_by_template``
render them, and the tests compare the two). The page is the fragment's bytes with a head and a tail.

Every number is the report's as published (``Report.text``): an archived report's blank,
not-applicable and with-unit cells as printed, with its acknowledged discrepancies (原文数据说明).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TypeVar

from jinja2 import Environment
from markupsafe import Markup, escape

from .formats import TableSpec
from .model import CellPath, Report
from .pages.report_page import DiscrepancyView, discrepancy_views, section_id
from .pages.templates import date_zh, make_environment
from .rendering.tables import BLANK_LABEL, DataCell, GridCell, default_environment, render_layout, table_layout
from .sanitizing import MIN_HEADING, plain_paragraphs, render_narrative
from .wordml import (
    DOCUMENT_END_BYTES,
    DOCUMENT_START_BYTES,
    LAYOUT_ONLY,
    core_properties,
    fill_table,
    filled,
    interleave,
    narrative_xml,
    package,
    package_document,
    paragraph,
    run,
    table_bytes,
    text_paragraph,
)

STYLES = {
    "h1": "font-size:22px;font-weight:bold;text-align:center;margin:0 0 .6em",
    "h2": "font-size:18px;font-weight:bold;margin:1.2em 0 .5em",
    "h3": "font-size:16px;font-weight:bold;margin:1em 0 .4em",
    "h4": "font-size:16px;font-weight:bold;margin:1em 0 .4em",
    "h5": "font-size:16px;font-weight:bold;margin:1em 0 .4em",
    "h6": "font-size:16px;font-weight:bold;margin:1em 0 .4em",
    "p": "margin:0 0 .8em;line-height:1.8",
    "ul": "margin:0 0 .8em 2em;line-height:1.8",
    "ol": "margin:0 0 .8em 2em;line-height:1.8",
    "blockquote": "margin:0 0 .8em 2em",
    "pre": "white-space:pre-wrap;margin:0 0 .8em",
    "meta": "margin:0 0 .8em;text-align:center",
    "draft": "margin:0 0 .8em;padding:4px 8px;border:1px solid #b00;color:#b00;font-weight:bold",
    "note_title": "margin:1em 0 .4em;font-weight:bold",
    "table": "border-collapse:collapse;width:100%;margin:0 0 1em;font-size:14px",
    "caption": "font-weight:bold;text-align:left;padding:4px 0",
    # A th is bold and centred, a cell's content vertically centred, by default: only what differs.
    "th": "border:1px solid #000;padding:4px;background:#f2f2f2",
    "td": "border:1px solid #000;padding:4px;text-align:right",
}
# A cell published blank: nothing to see, “空白” for a screen reader (a CMS that drops the style shows the word).
HIDDEN = "position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap"
TEMPLATE = "attachments/fragment.html"
PAGE_TEMPLATE = "attachments/page.html"

_OPEN_TAG = re.compile(r'<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=/>]+(?:="[^"]*")?)*)\s*(/?)>')
_DROPPED = re.compile(r'\s(?:class|style|role|tabindex|data-search-exclude|aria-labelledby)(?:="[^"]*")?')
_WRAPPER = re.compile(r"</?div\b[^>]*>\n?")


def inline_styles(markup: str) -> str:
    """Classes, styles and the site's scroll wrappers out, each element's inline style in."""
    def tag(match: re.Match[str]) -> str:
        name, attributes, close = match.group(1).lower(), _DROPPED.sub("", match.group(2)), match.group(3)
        style = STYLES.get(name)
        styled = f' style="{style}"' if style else ""
        return f"<{name}{attributes}{styled}{close}>"

    return _OPEN_TAG.sub(tag, _WRAPPER.sub("", markup))


# --- tables: styled once per layout, numbers written per report ---------------------------

_SLOT = "\ue000{}\ue001"
_SLOTS = re.compile("\ue000([0-9]+)\ue001")


@dataclass(frozen=True)
class StyledTable:
    parts: tuple[str, ...]  # the HTML around the numbers
    paths: tuple[CellPath, ...]  # each number's cell, in the order the HTML writes them


@cache  # by declaration (hashed by identity) and id prefix
def styled_table(table: TableSpec, id_prefix: str) -> StyledTable:
    """The table's markup as the site writes it, styled inline, cut around its numbers."""
    layout = table_layout(LAYOUT_ONLY, table, id_prefix=id_prefix)
    paths: list[CellPath] = []

    def slot(cell: GridCell) -> GridCell:
        if not isinstance(cell, DataCell):
            return cell
        paths.append(tuple(cell.path.split(".")))
        return dataclasses.replace(cell, text=_SLOT.format(len(paths) - 1))

    layout = dataclasses.replace(
        layout, head=tuple(tuple(slot(c) for c in row) for row in layout.head),
        bodies=tuple(tuple(tuple(slot(c) for c in row) for row in body) for body in layout.bodies))
    markup = inline_styles(render_layout(default_environment().get_template("tables/table.html"), layout).strip())
    pieces = _SLOTS.split(_short_ids(markup, id_prefix))
    return StyledTable(tuple(pieces[0::2]), tuple(paths[int(i)] for i in pieces[1::2]))


_ID = re.compile(r'\sid="([^"]+)"')
_ID_REFERENCES = re.compile(r'\s(id|headers|aria-describedby)="([^"]*)"')


def _short_ids(markup: str, id_prefix: str) -> str:
    """The site's descriptive ids numbered instead: every number's ``headers`` names several, and
    they were nearly half of the fragment's size."""
    short = {name: f"{id_prefix}{n}" for n, name in enumerate(_ID.findall(markup), start=1)}

    def renamed(match: re.Match[str]) -> str:
        return f' {match.group(1)}="{" ".join(short.get(name, name) for name in match.group(2).split())}"'

    return _ID_REFERENCES.sub(renamed, markup)


def table_html(report: Report, table: TableSpec, id_prefix: str) -> str:
    styled = styled_table(table, id_prefix)
    paths, published = styled.paths, report.as_published
    got = zip(paths, map(report.values.get, paths))
    if published:
        texts = [str(value) if value.__class__ is int and path not in published else _cell_html(report, path)
                 for path, value in got]
    else:
        texts = [str(value) if value.__class__ is int else _cell_html(report, path) for path, value in got]
    return interleave(styled.parts, texts)


@cache  # by declaration and id prefix, as ``styled_table``
def _styled_template(table: TableSpec, id_prefix: str) -> tuple[bytes, ...]:
    """``styled_table``'s parts as UTF-8, an empty piece for each number between them."""
    parts = styled_table(table, id_prefix).parts
    pieces: list[bytes] = []
    for part in parts[:-1]:
        pieces += [part.encode("utf-8"), b""]
    pieces.append(parts[-1].encode("utf-8"))
    return tuple(pieces)


def table_html_bytes(report: Report, table: TableSpec, id_prefix: str) -> bytes:
    """``table_html`` encoded, from pieces encoded once: the same bytes (tests/attach/test_attach_fastpaths.py)."""
    return filled(_styled_template(table, id_prefix), 2, styled_table(table, id_prefix).paths, report,
                  lambda path: _cell_html(report, path))


def _cell_html(report: Report, path: CellPath) -> str:
    text = report.text(path)
    return str(escape(text)) if text else f'<span style="{HIDDEN}">{BLANK_LABEL}</span>'


# --- the report, rendered once for its three files -----------------------------------------


@dataclass(frozen=True)
class Rendered:
    """What the three files share: each narrative's clean HTML, the discrepancies in words."""

    report: Report
    narratives: dict[str, str]  # section key → clean HTML
    discrepancies: list[DiscrepancyView]


def rendered(report: Report) -> Rendered:
    narratives = {section.key: narrative_html(report.narrative.get(section.key, "无。"))
                  for section in report.sections if section.table is None}
    return Rendered(report, narratives, discrepancy_views(report))


_BLOCKS = re.compile(r"\n{2,}")  # what ``plain_paragraphs`` splits paragraphs at
_HEADING = re.compile(r"(#{1,6}) ([^#\n]+)")  # an ATX heading, a block of its own, no closing "#"


def narrative_html(text: str) -> str:
    """``render_narrative(text)`` (Markdown, then nh3), which the site's pages call between headings:
    here a whole narrative, headings included. Plain paragraphs with headings (``headed_paragraphs``)
    are written without Markdown; anything else goes to ``render_narrative``."""
    fast = headed_paragraphs(text)
    return fast if fast is not None else render_narrative(text)


def headed_paragraphs(text: str) -> str | None:
    """What Markdown + nh3 make of plain paragraphs (``sanitizing.plain_paragraphs``) and ATX headings,
    each heading a block of its own (blank lines around it), "#" to "######", one space, and plain words
    with no "#": ``<hN>words</hN>``, N at least ``MIN_HEADING`` (``sanitizing.prepared``); else None.
    ``render_narrative_slowly`` is the definition (tests/attach/test_attach_narrative_fast.py)."""
    out = []
    for block in _BLOCKS.split(text.strip("\n")):
        heading = _HEADING.fullmatch(block)
        if heading is None:
            html = plain_paragraphs(block)
            if html is None:
                return None
            out.append(html)
            continue
        words = heading.group(2)
        if plain_paragraphs(words) != f"<p>{words}</p>":
            return None
        level = max(len(heading.group(1)), MIN_HEADING)
        out.append(f"<h{level}>{words}</h{level}>")
    return "\n".join(out)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return make_environment()  # the package's templates only: a site cannot override them


def _e(text: object) -> str:
    return str(escape(text))


_STYLE = {name: _e(style) for name, style in STYLES.items()}


def report_fragment(report: Report | Rendered) -> str:
    """The HTML to paste into a CMS article: no scripts, no stylesheets, every number of every table.

    What ``attachments/fragment.html`` renders (``report_fragment_by_template``, the definition: the
    tests compare the two), written without Jinja: one escape per text.
    """
    done = report if isinstance(report, Rendered) else rendered(report)
    return "".join(part if isinstance(part, str) else table_html(done.report, *part) for part in _fragment(done))


def report_fragment_bytes(done: Rendered) -> bytes:
    """``report_fragment(done)`` encoded, its tables put together as UTF-8 (``table_html_bytes``)."""
    return b"".join(_utf8(_fragment(done), lambda table: table_html_bytes(done.report, *table)))


def _fragment(done: Rendered) -> Iterator[str | tuple[TableSpec, str]]:
    """``report_fragment``'s HTML, and each table (with its id prefix) to fill in."""
    r, s = done.report, _STYLE
    yield f'<div lang="zh-CN">\n<h1 style="{s["h1"]}">{_e(r.title)}</h1>\n'
    if r.draft:
        yield f'<p style="{s["draft"]}">草稿：本报告尚未发布，内容可能还会修改。</p>\n'
    yield f'<p style="{s["meta"]}">发布日期：{_e(date_zh(r.published))}</p>\n'
    if r.archived:
        retrieved = f"（{_e(date_zh(r.archived.retrieved))}存档）" if r.archived.retrieved else ""
        yield (f'<p style="{s["note_title"]}">原文数据说明</p>\n<p style="{s["p"]}">本报告按原文存档：表中数字与原文一致，'
               f"未作任何更正；空白的格子按原文留空。原文出处：{_e(r.archived.source)}{retrieved}。</p>\n")
        if done.discrepancies:
            yield f'<p style="{s["p"]}">原文中以下数字不符合表格的勾稽关系，按原文照录：</p>\n<ul style="{s["ul"]}">\n'
            yield from (f"<li>{_e(item.label)}：{_e(item.text)}</li>\n" for item in done.discrepancies)
            yield "</ul>\n"
    for number, section in enumerate(r.sections, start=1):
        yield f'<h2 id="{_e(section_id(section))}-title" style="{s["h2"]}">{_e(section.title)}</h2>\n'
        if section.table is not None:
            yield section.table, f"gk{number}-"
        else:
            yield inline_styles(done.narratives[section.key])
        yield "\n"
    yield "</div>\n"


Filled = TypeVar("Filled")


def _utf8(parts: Iterable[str | Filled], fill: Callable[[Filled], bytes]) -> list[bytes]:
    """The texts encoded (each run of them at once), and each other part as ``fill`` writes it."""
    chunks: list[bytes] = []
    text: list[str] = []
    for part in parts:
        if isinstance(part, str):
            text.append(part)
            continue
        chunks.append("".join(text).encode("utf-8"))
        text.clear()
        chunks.append(fill(part))
    chunks.append("".join(text).encode("utf-8"))
    return chunks


@dataclass(frozen=True)
class _Section:
    title: str
    id: str
    body: Markup


def report_fragment_by_template(report: Report | Rendered) -> str:
    """``report_fragment`` as ``attachments/fragment.html`` renders it (the reference the tests compare with)."""
    done = report if isinstance(report, Rendered) else rendered(report)
    sections = []
    for number, section in enumerate(done.report.sections, start=1):
        anchor = section_id(section)
        if section.table is not None:
            body = table_html(done.report, section.table, f"gk{number}-")
        else:
            body = inline_styles(done.narratives[section.key])
        sections.append(_Section(section.title, f"{anchor}-title", Markup(body)))
    return _environment().get_template(TEMPLATE).render(
        report=done.report, styles=STYLES, sections=sections, discrepancies=done.discrepancies).strip() + "\n"


# What ``attachments/page.html`` renders around the title and the fragment (``report_page_by_template``).
_PAGE_HEAD = ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
              '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>')
_PAGE_BODY = '</title>\n</head>\n<body style="max-width:60em;margin:1em auto;padding:0 1em;font-family:sans-serif">\n'
_PAGE_END = "\n</body>\n</html>\n"


def report_page_html(report: Report | Rendered, fragment: str | None = None) -> str:
    """The fragment as a one-file page (to upload, or open and copy from a browser)."""
    done = report if isinstance(report, Rendered) else rendered(report)
    body = fragment if fragment is not None else report_fragment(done)
    return f"{_PAGE_HEAD}{_e(done.report.title)}{_PAGE_BODY}{body.strip()}{_PAGE_END}"


def report_page_bytes(report: Report, fragment: bytes) -> bytes:
    """``report_page_html(report, fragment)`` encoded, from the fragment's bytes (``report_fragment``'s:
    a ``<div>`` and a newline, so that stripping its bytes strips what stripping its text would)."""
    return b"".join(((_PAGE_HEAD + _e(report.title) + _PAGE_BODY).encode("utf-8"), fragment.strip(),
                     _PAGE_END.encode("utf-8")))


def report_page_by_template(report: Report | Rendered, fragment: str | None = None) -> str:
    """``report_page_html`` as ``attachments/page.html`` renders it (the reference the tests compare with)."""
    done = report if isinstance(report, Rendered) else rendered(report)
    body = fragment if fragment is not None else report_fragment(done)
    return _environment().get_template(PAGE_TEMPLATE).render(report=done.report, fragment=Markup(body.strip()))


def _docx_body(done: Rendered) -> Iterator[str | TableSpec]:
    """The Word document's body: its XML, and each table (filled in by ``report_docx``)."""
    r = done.report
    yield text_paragraph(r.title, "Title")
    if r.draft:
        yield text_paragraph("草稿：本报告尚未发布，内容可能还会修改。", "Subtitle", bold=True)
    yield text_paragraph(f"发布日期：{date_zh(r.published)}", "Subtitle")
    if r.archived is not None:
        retrieved = f"（{date_zh(r.archived.retrieved)}存档）" if r.archived.retrieved else ""
        yield text_paragraph("原文数据说明", "Heading3")
        yield text_paragraph("本报告按原文存档：表中数字与原文一致，未作任何更正；空白的格子按原文留空。"
                             f"原文出处：{r.archived.source}{retrieved}。")
        if done.discrepancies:
            yield text_paragraph("原文中以下数字不符合表格的勾稽关系，按原文照录：")
            yield from (paragraph(run(f"{item.label}：", bold=True) + run(item.text), "Note")
                        for item in done.discrepancies)
    for section in r.sections:
        yield text_paragraph(section.title, "Heading1")
        if section.table is None:
            yield narrative_xml(done.narratives[section.key])
            continue
        if section.table.note:
            yield text_paragraph(section.table.note, "Note")
        yield section.table
        yield paragraph("")  # Word needs a paragraph between two tables, and after the last


def report_docx(report: Report | Rendered) -> bytes:
    """The report as a Word document: title, the six sections, the tables in the official grid.

    ``report_docx_by_text``'s bytes (the definition: tests/attach/test_attach_fastpaths.py), with the
    tables' XML put together as UTF-8 (``wordml.table_bytes``) and only the rest encoded."""
    done = report if isinstance(report, Rendered) else rendered(report)
    r = done.report
    document = b"".join([DOCUMENT_START_BYTES, *_utf8(_docx_body(done), lambda table: table_bytes(r, table)),
                         DOCUMENT_END_BYTES])
    return package_document(document, core_properties(r.title, r.agency.name, r.published))


def report_docx_by_text(report: Report | Rendered) -> bytes:
    """``report_docx`` with the document written as text, the tables by ``wordml.fill_table``."""
    done = report if isinstance(report, Rendered) else rendered(report)
    r = done.report
    body = "".join(part if isinstance(part, str) else fill_table(r, part) for part in _docx_body(done))
    return package(body, core_properties(r.title, r.agency.name, r.published))
