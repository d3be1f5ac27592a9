"""Labels as agencies write them: matched by similarity against the format declaration.

Agencies abbreviate, renumber (``(一)``, ``（一）``, ``一是``) and mistype (``行政法复议``) the
official labels. An exact match (after ``match_key``) is taken silently; a similar one is
taken with a warning naming the published text and the official label it was read as.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from .normalize import match_key

# Accepted as exact: a label that only differs in its numbering (（一） / (一) / 一是 / 1、).
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}是?|\d{1,2})")
# A published label must be at least this similar to the official one to be taken for it.
THRESHOLD = 0.6
RENUMBERED = 0.99  # the score of a label that differs from the official one only in its numbering
# A heading on the same line as its text: the heading part must be at least this similar.
HEADING_THRESHOLD = 0.75
MAX_HEADING = 40  # characters: a longer paragraph starting with 四、… is text, not a heading

# Section titles of the 2019 format as 国办公开办函〔2019〕60号 prints them (the declaration
# holds the shorter titles of both formats); exact matches, no warning.
OFFICIAL_VARIANTS: dict[str, tuple[str, ...]] = {
    "四": ("四、因政府信息公开申请行政复议、提起行政诉讼的情况", "四、政府信息公开行政复议、行政诉讼情况",
          "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况"),
    "五": ("五、政府信息公开工作存在的主要问题及改进情况", "五、存在的主要问题及改进情况"),
}


@dataclass(frozen=True)
class Match:
    """A published label taken for an official one; ``exact`` when only spacing/punctuation differ."""

    published: str
    official: str
    score: float

    @property
    def exact(self) -> bool:
        return self.score >= 1.0


def _strip_numbering(key: str) -> str:
    return _NUMBERING.sub("", key, count=1)


@lru_cache(maxsize=65536)
def score(published_key: str, official_key: str) -> float:
    """1.0 for the same label, 0.99 when only the numbering differs, else difflib's ratio; a wrapped label's head scores high."""
    if not published_key or not official_key:
        return 0.0
    if published_key == official_key:
        return 1.0
    if _strip_numbering(published_key) == _strip_numbering(official_key):
        return RENUMBERED  # （一） written 一是, or left out
    ratio = SequenceMatcher(None, published_key, official_key, autojunk=False).ratio()
    if len(published_key) >= 4 and official_key.startswith(published_key):
        ratio = max(ratio, 0.9)  # the first line of a label wrapped over several lines
    return ratio


def best_score(text: str, keys: frozenset[str]) -> float:
    key = match_key(text)
    return max((score(key, k) for k in keys), default=0.0)


def heading_split(text: str, numeral: str, titles: tuple[str, ...]) -> tuple[str, str, float] | None:
    """``一、总体情况2019年，…`` → (heading, rest, score) when the paragraph starts with a section title."""
    compact = text.lstrip()
    if not compact.startswith(numeral):
        return None
    keys = [match_key(t) for t in titles]
    for title in titles:  # the official wording, then running straight into the text
        if compact.replace(" ", "").startswith(title.replace(" ", "")):
            cut = _cut_after(compact, len(match_key(title)))
            return compact[:cut], compact[cut:].strip(), 1.0
    best: tuple[float, int] = (0.0, 0)
    for cut in range(len(numeral) + 2, min(len(compact), MAX_HEADING) + 1):
        head = match_key(compact[:cut])
        value = max(score(head, k) for k in keys)
        if value > best[0]:
            best = (value, cut)
    if best[0] < HEADING_THRESHOLD:
        return None
    return compact[: best[1]], compact[best[1]:].strip(), best[0]


def _cut_after(text: str, key_length: int) -> int:
    """Index in ``text`` just after its first ``key_length`` label characters (spaces, punctuation skipped)."""
    count = 0
    for index, char in enumerate(text):
        if match_key(char):
            count += 1
            if count == key_length:
                cut = index + 1
                while cut < len(text) and not match_key(text[cut]) and text[cut] in "）)】]":
                    cut += 1
                return cut
    return len(text)
