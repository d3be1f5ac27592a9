"""Lenient text matching: official labels against what a page printed, numbers, script."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .source import Paragraph, Source

# Share of Han characters that t2s changes above which a source counts as Traditional; a
# Simplified text changes almost none, and converting it anyway could alter words (著 → 着).
TRADITIONAL_SHARE = 0.03

_HAN = re.compile(r"[\u3400-\u9fff]")
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]\s*$")
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_MINUS_SIGNS = str.maketrans({"−": "-", "–": "-", "—": "-", "－": "-", "﹣": "-"})


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc  # imported late: building the converter reads its dictionaries

    return opencc.OpenCC("t2s")


def is_traditional(text: str) -> bool:
    """True when enough of the Han characters are Traditional forms."""
    han = _HAN.findall(text)
    if not han:
        return False
    sample = "".join(han)
    converted = _t2s().convert(sample)
    changed = sum(1 for a, b in zip(sample, converted) if a != b)
    return changed / len(sample) >= TRADITIONAL_SHARE


def to_simplified(source: Source) -> Source:
    """The source in Simplified characters when it was Traditional; otherwise unchanged."""
    whole = "\n".join(p.text for p in source.paragraphs)
    if not is_traditional(whole):
        return source
    convert = _t2s().convert
    paragraphs = [
        replace(p, text=convert(p.text), cells=tuple(convert(c) for c in p.cells)) for p in source.paragraphs
    ]
    return replace(source, paragraphs=paragraphs, titles=[convert(t) for t in source.titles])


def clean_space(text: str) -> str:
    """Non-breaking and full-width spaces as plain spaces, runs collapsed, ends trimmed."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u3000", " ")).strip()


@lru_cache(maxsize=8192)
def match_key(text: str) -> str:
    """What two labels must share to match: no spaces, punctuation, quotes or width differences."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if not ch.isspace() and unicodedata.category(ch)[0] not in "PSZ")


def label_keys(label: str) -> frozenset[str]:
    """Accepted forms of an official label: in full, or without its trailing note in brackets."""
    keys = {match_key(label)}
    shortened = _TRAILING_NOTE.sub("", label)
    if shortened and shortened != label:
        keys.add(match_key(shortened))
    return frozenset(k for k in keys if k)


def number_text(text: str) -> str | None:
    """The number a cell holds in ASCII (full-width digits and minus signs folded), or None."""
    folded = unicodedata.normalize("NFKC", text).translate(_MINUS_SIGNS)
    folded = re.sub(r"\s+", "", folded)
    return folded if _NUMBER.fullmatch(folded) else None


def is_number(text: str) -> bool:
    return number_text(text) is not None


def to_decimal(text: str) -> Decimal | None:
    folded = number_text(text)
    if folded is None:
        return None
    try:
        return Decimal(folded.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern already rules this out
        return None


def paragraph(text: str, line: int, cells: tuple[str, ...] | None = None, where: str = "") -> Paragraph:
    """A paragraph with its spaces cleaned; a single cell unless ``cells`` are given."""
    clean = clean_space(text)
    return Paragraph(clean, line, cells if cells is not None else ((clean,) if clean else ()), where)
