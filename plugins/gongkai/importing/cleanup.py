"""Tidy a read source the way a person reading it would, before the report is looked for.

Page numbers (``-3-``, ``第3页``) left inside tables by PDF extraction are dropped; a section
heading printed on the same line as its first sentence (``一、总体情况2019年，在……``) becomes
a paragraph of its own. Nothing else is changed: every cell keeps its text.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..formats import FORMATS
from .similar import OFFICIAL_VARIANTS, heading_split
from .source import Paragraph, Source

PAGE_NUMBER = re.compile(
    r"^(?:[-—–－‒﹣~]\s*\d{1,3}\s*[-—–－‒﹣~]|第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3})$"
)


def section_titles() -> dict[str, tuple[str, ...]]:
    """Every wording of each section's title: both formats' declarations and the official variants."""
    titles: dict[str, list[str]] = {}
    for spec in FORMATS.values():
        for section in spec.sections:
            titles.setdefault(section.number, [])
            if section.title not in titles[section.number]:
                titles[section.number].append(section.title)
    for number, variants in OFFICIAL_VARIANTS.items():
        titles[number] += [v for v in variants if v not in titles[number]]
    return {number: tuple(sorted(ts, key=len, reverse=True)) for number, ts in titles.items()}


def is_page_number(text: str) -> bool:
    return bool(PAGE_NUMBER.fullmatch(text.strip()))


def tidy(source: Source) -> Source:
    """The source without page numbers, each section heading in a paragraph of its own."""
    titles = section_titles()
    paragraphs: list[Paragraph] = []
    for paragraph in source.paragraphs:
        if is_page_number(paragraph.text):
            continue
        paragraphs.extend(_split_heading(paragraph, titles))
    return replace(source, paragraphs=paragraphs)


def _split_heading(paragraph: Paragraph, titles: dict[str, tuple[str, ...]]) -> list[Paragraph]:
    if not paragraph.cells:
        return [paragraph]
    first = paragraph.cells[0]
    for numeral, wordings in titles.items():
        if not first.startswith(numeral):
            continue
        split = heading_split(first, numeral, wordings)
        if split is None or not split[1]:
            return [paragraph]
        heading, rest, _ = split
        cells = (rest,) + paragraph.cells[1:]
        text = paragraph.text[len(first):].strip()
        return [replace(paragraph, text=heading, cells=(heading,)),
                replace(paragraph, text=f"{rest} {text}".strip() if text else rest, cells=cells)]
    return [paragraph]
