"""What a name or a narrative may hold before it reaches a page: a located finding for each
construct the page would refuse, so that nothing is dropped without a word.

The narrative is read as the page reads it: rendered by the narrative's own Markdown
(``sanitizing.narrative_markdown``), so a reference-style, entity-encoded or split
``javascript:`` link, a setext heading or an image is found however it is written.
"""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

from .findings import Finding
from .loading import SourceDocument
from .rules import RULES, Where, finding
from .sanitizing import (
    MIN_HEADING,
    Line,
    heading,
    heading_text,
    is_safe_url,
    markdown_html,
    markup_in_name,
    narrative_lines,
)

_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.\-]*://[^<>\s]*|mailto:[^<>\s]*|[^<>\s@]+@[^<>\s@]+)>", re.IGNORECASE)
_TAG_OPEN = re.compile(r"<(?:[A-Za-z][A-Za-z0-9\-]*|/\s*[A-Za-z]|!|\?)[^\n]{0,38}")
# attr_list's syntax ({: …}, { #id }, { .class }, { key=value }); not Jinja's {{ }} or {% %}.
_ATTRIBUTES = re.compile(r"(?<!\{)\{(?![{%])(?::[^{}\n]*|[ \t]*(?:[#.][\w\-]|[A-Za-z_][\w:.\-]*[ \t]*=)[^{}\n]*)\}")
_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
LEVEL_NAMES = {1: "一", 2: "二"}
MAX_PER_RULE = 5  # findings of one rule in one narrative


def where_in(document: SourceDocument, path: tuple[str, ...], label: str) -> Where:
    """Where the value at ``path`` of a loaded file stands."""
    return Where.at(document.display_path, document.mark(path), path, label)


def name_problem(name: str, field_label: str = "机关名称") -> str | None:
    """The message for a name that cannot reach a page, or ``None``; what the CLI options say too."""
    what = markup_in_name(name)
    return None if what is None else RULES["name-markup"].message(field=field_label, what=what)


def check_name(name: str, where: Where, field_label: str = "机关名称") -> list[Finding]:
    what = markup_in_name(name)
    return [] if what is None else [finding("name-markup", where, actual=name[:80], field=field_label, what=what)]


class _Rendered(HTMLParser):
    """The elements of a rendered narrative that matter here, with their text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.images: list[dict[str, str]] = []
        self.links: list[tuple[str, list[str]]] = []  # href, the link's text in parts
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "img":
            self.images.append(values)
        elif tag == "a" and "href" in values:
            self.links.append((values["href"], []))
            self._text = self.links[-1][1]
        elif tag in ("h1", "h2"):
            self.headings.append((int(tag[1]), ""))
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2") and self.headings and self._text is not None:
            self.headings[-1] = (self.headings[-1][0], "".join(self._text).strip())
        if tag in ("a", "h1", "h2"):
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


class _Narrative:
    def __init__(self, text: str, where: Where) -> None:
        self.where = where
        self.lines = narrative_lines(text)
        # A block scalar (``|``) starts on the line after its key; its lines are the file's lines.
        self.block = "\n" in text
        self.findings: list[Finding] = []

    def at(self, line: Line | None) -> Where:
        where = self.where
        if line is None or where.line is None:
            return where
        if not self.block:
            return where
        return dataclasses.replace(where, line=where.line + 1 + line.number, column=None)

    def add(self, code: str, line: Line | None, actual: str, **fields: str) -> None:
        if sum(f.rule == code for f in self.findings) >= MAX_PER_RULE:  # the first few say what to fix
            return
        shown = actual.strip().replace("\n", "\\n")
        self.findings.append(finding(code, self.at(line), actual=shown[:80], **fields))

    def prose(self) -> list[tuple[Line, str]]:
        """Lines outside fenced code, code spans blanked out, autolinks too."""
        out = []
        for line in self.lines:
            if line.in_code:
                continue
            masked = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line.text)
            out.append((line, _AUTOLINK.sub(lambda m: " " * len(m.group(0)), masked)))
        return out

    def find(self, *needles: str) -> Line | None:
        for needle in needles:
            if needle:
                for line in self.lines:
                    if needle in line.text:
                        return line
        return None

    def check(self) -> list[Finding]:
        for line, text in self.prose():
            for match in _TAG_OPEN.finditer(text):
                self.add("narrative-markup", line, match.group(0))
            for match in _ATTRIBUTES.finditer(text):
                self.add("narrative-attributes", line, match.group(0))
        rendered = _Rendered()
        rendered.feed(markdown_html("\n".join(line.text for line in self.lines)))
        rendered.close()
        self.check_headings(rendered.headings)
        for image in rendered.images:
            shown = f"![{image.get('alt', '')}]({image.get('src', '')})"
            self.add("narrative-image", self.find(f"![{image.get('alt', '')}]", image.get("src", ""), "!["), shown)
        for href, parts in rendered.links:
            if not is_safe_url(href):
                text = "".join(parts).strip()
                self.add("narrative-link-scheme", self.find(f"[{text}]", href.split("\n")[0], text), href, text=text)
        return self.findings

    def check_headings(self, rendered: list[tuple[int, str]]) -> None:
        atx = [(line, found) for line in self.lines if (found := heading(line)) and found[0] < MIN_HEADING]
        for line, (level, words) in atx:
            self.add("narrative-heading-level", line, line.text, text=heading_text(words), level=LEVEL_NAMES[level],
                     hint="")
        atx_texts = [heading_text(words) for _, (_, words) in atx]
        for level, text in rendered:
            if level >= MIN_HEADING:
                continue
            if text in atx_texts:
                atx_texts.remove(text)
                continue
            above = next((line for line, below in zip(self.lines, self.lines[1:])
                          if not below.in_code and _UNDERLINE.match(below.text) and text and text in line.text), None)
            hint = "（是它下一行的“===”或“---”让它成了标题；如果那是一条分隔线，请在分隔线上面空一行）" if above else ""
            self.add("narrative-heading-level", above or self.find(text), text, text=text, level=LEVEL_NAMES[level],
                     hint=hint)


# What every construct checked here needs (a tag, braces, a link or image, a heading above h3).
_NEEDED = re.compile(r"[<>{\[]|(?<!#)#{1,2}(?!#)|^ {0,3}(?:=+|-+)[ \t]*$", re.MULTILINE)


def check_narrative(text: str, where: Where) -> list[Finding]:
    """Findings for every construct of a narrative that may not reach a page; ``where`` is its value's position."""
    if not _NEEDED.search(text):  # most narratives: plain paragraphs and ### headings
        return []
    return _Narrative(text, where).check()
