"""Hostile text (tests/site/injection_payloads.yml) in every field an attachment prints — the agency's
name, every narrative, an archive's source and published figures — put straight into the typed
report, past the validator: the fragment and the one-file page hold nothing that runs or loads
from elsewhere, and show the text as text; the Word document stays well-formed and shows it as text."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace

import pytest
from attach_kit import read_docx, read_html, sample_reports, site_module
from lxml import etree

from gongkai.attachments import FRAGMENT, PAGE, WORD, make
from gongkai.model import Agency, Archived, Discrepancy, Report
from gongkai.pages.text import is_safe_url

KIT = site_module("injection_kit")
PAYLOADS = KIT.payloads()
SAMPLES = sample_reports()
ARCHIVE = next(r for r in SAMPLES if r.archived is not None and r.discrepancies)

# What the fragment and the page may hold: text, structure and the tables' accessibility attributes.
TAGS = {"html", "head", "meta", "title", "body", "div", "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li",
        "blockquote", "pre", "code", "strong", "em", "br", "hr", "a", "table", "caption", "thead", "tbody", "tr",
        "th", "td", "span"}
ATTRIBUTES = {"lang", "charset", "name", "content", "style", "id", "headers", "scope", "colspan", "rowspan",
              "data-cell", "aria-describedby", "href", "start"}
STYLE = re.compile(r"url\(|expression|javascript|@import|position\s*:\s*fixed", re.IGNORECASE)
WORD_PARTS = {"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "word/_rels/document.xml.rels",
              "word/document.xml", "word/styles.xml", "word/settings.xml", "word/footer1.xml"}


def hostile(report: Report, payload: str) -> Report:
    """The payload as the agency's name and in every narrative (after an ordinary paragraph)."""
    return replace(report, agency=Agency(report.agency.slug, payload),
                   narrative={key: f"{KIT.FIRST_PARAGRAPH}\n\n{payload}" for key in report.narrative})


def hostile_archive(payload: str) -> Report:
    assert ARCHIVE.archived is not None
    first = ARCHIVE.discrepancies[0]
    return replace(hostile(ARCHIVE, payload), archived=Archived(payload, ARCHIVE.archived.retrieved),
                   discrepancies=(Discrepancy(first.rule, first.cell, payload, payload), *ARCHIVE.discrepancies[1:]))


def html_problems(markup: str, report: Report, where: str) -> list[str]:
    problems = list(KIT.html_problems(markup, where))
    narratives = "\n".join(report.narrative.values())
    for tag, attrs in read_html(markup).tags:
        if tag not in TAGS:
            problems.append(f"{where}: <{tag}>")
        for name, value in attrs.items():
            if name not in ATTRIBUTES:
                problems.append(f"{where}: <{tag} {name}>")
            if name == "style" and STYLE.search(value):
                problems.append(f"{where}: <{tag} style={value!r}>")
            if name == "href" and (not is_safe_url(value) or value not in narratives):  # only the narrative's own links
                problems.append(f"{where}: <{tag} href={value!r}>")
        if tag == "meta" and set(attrs) - {"charset", "name", "content"}:
            problems.append(f"{where}: <meta {attrs}>")
    return problems


def cases() -> list[tuple[str, Report]]:
    out = []
    for number, p in enumerate(PAYLOADS):
        out.append((f"{p.id}-report", hostile(SAMPLES[number % len(SAMPLES)], p.payload)))
        out.append((f"{p.id}-archive", hostile_archive(p.payload)))
    return out


CASES = cases()


@pytest.mark.parametrize(("where", "report"), CASES, ids=[c[0] for c in CASES])
def test_the_html_attachments_run_nothing_and_show_the_text(where: str, report: Report) -> None:
    for kind in (FRAGMENT, PAGE):
        markup = make(report, kind).decode("utf-8")
        assert html_problems(markup, report, f"{where} {kind.key}") == []
        read = read_html(markup)
        h1 = next(i for i, (tag, _) in enumerate(read.tags) if tag == "h1")
        assert report.title.strip() in "".join(read.text), "the name is shown as typed"
        assert h1 >= 0


@pytest.mark.parametrize(("where", "report"), CASES, ids=[c[0] for c in CASES])
def test_the_word_document_stays_well_formed_and_shows_the_text(where: str, report: Report) -> None:
    data = make(report, WORD)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert set(archive.namelist()) == WORD_PARTS
        body = etree.fromstring(archive.read("word/document.xml"))
    names = {etree.QName(e).localname for e in body.iter()}
    assert names.isdisjoint({"hyperlink", "fldSimple", "instrText", "object", "pict", "drawing", "altChunk"})
    document = read_docx(data)
    kept = re.sub("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", "", report.title)
    assert document.paragraphs[0].text == kept
    assert not any(rel.is_external for rel in document.part.rels.values())
