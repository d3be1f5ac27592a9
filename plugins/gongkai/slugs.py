"""Agency codes (the URL part of ``reports/<code>/``) from Chinese agency names, with pypinyin.

The same name always gives the same code, so the reports of one agency imported year after year
land in one folder. Place names are spelled out (示例区 → ``shili-qu``), the office that follows
them is abbreviated to its initials (市场监督管理局 → ``scjdglj``) and 人民政府 is implied: the
government of a place is the place (示例区人民政府 → ``shili-qu``). A code already ``taken`` by
another agency gets ``-2``, ``-3``… Only ``[a-z0-9-]``, at most ``MAX_LENGTH`` characters.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Collection
from functools import lru_cache

MAX_LENGTH = 40
FALLBACK = "jiguan"  # 机关: a name with nothing spellable in it
# Administrative units that end a place name, longest first; each becomes its own word.
UNITS = ("自治区", "自治州", "自治县", "街道办事处", "街道", "新区", "省", "市", "区", "县", "州", "盟", "旗", "镇", "乡")
UNIT_WORDS = {"街道办事处": "jiedao"}
GOVERNMENT = "人民政府"
# Place names longer than this many characters keep their first two in full, the rest as initials
# (平潭综合实验区 → pingtan-zhsy-qu).
LONG_PLACE = 4
_HAN = re.compile(r"[\u3400-\u9fff]")
_UNIT = re.compile("(" + "|".join(UNITS) + ")")


@lru_cache(maxsize=1)
def _pinyin():  # type: ignore[no-untyped-def]
    from pypinyin import (  # imported late: loading its dictionaries takes a moment
        Style,
        lazy_pinyin,
    )

    return lazy_pinyin, Style


def release_dictionaries() -> None:
    """Forget pypinyin's dictionaries (about 50 MB, most of it the phrases') once a build has made
    the codes it needs; a later code imports them again (as the first one did)."""
    if _pinyin.cache_info().currsize == 0:
        return
    _pinyin.cache_clear()
    for name in [name for name in sys.modules if name == "pypinyin" or name.startswith("pypinyin.")]:
        del sys.modules[name]


def _syllables(text: str) -> list[str]:
    """Pinyin of each Han character (ü as v); runs of Latin letters and digits as they are."""
    lazy_pinyin, style = _pinyin()
    return [s.lower() for s in lazy_pinyin(text, style=style.NORMAL, errors=lambda chars: re.findall(r"[A-Za-z0-9]+", chars))]


def _ascii(word: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", word.lower())


def _place(text: str) -> str:
    syllables = _syllables(text)
    han = len(_HAN.findall(text))
    if han <= LONG_PLACE:
        return _ascii("".join(syllables))
    return _ascii("".join(syllables[:2]) + "".join(s[:1] for s in syllables[2:]))


def _office(text: str) -> str:
    """Initials of the Han characters; Latin letters and digits kept whole."""
    parts = re.findall(r"[\u3400-\u9fff]+|[A-Za-z0-9]+", text)
    return _ascii("".join("".join(s[:1] for s in _syllables(p)) if _HAN.match(p) else p for p in parts))


def _words(name: str) -> list[str]:
    """Place, unit, place, unit… then the office's initials."""
    words: list[str] = []
    rest = name
    while rest:
        match = _UNIT.search(rest)
        if match is None or match.start() == 0:
            break
        place = rest[: match.start()]
        unit = match.group(1)
        words += [_place(place), UNIT_WORDS.get(unit) or _ascii("".join(_syllables(unit)))]
        rest = rest[match.end():]
    rest = rest.replace(GOVERNMENT, "")
    if rest:
        words.append(_office(rest))
    return [w for w in words if w]


def _bounded(words: list[str]) -> str:
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_LENGTH:
            break
        slug = candidate
    return slug or (words[0][:MAX_LENGTH] if words else "")


def base_slug(name: str) -> str:
    """The code ``name`` gives before any collision is resolved."""
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    folded = re.sub(r"[（(][^）)]*[)）]", "", folded)  # 示例区人民政府（本级）: the note is not the name
    return _bounded(_words(folded)) or FALLBACK


def slug_for(name: str, taken: Collection[str] = ()) -> str:
    """A stable agency code for ``name`` not in ``taken`` (``-2``, ``-3``… appended on collision)."""
    slug = base_slug(name)
    if slug not in taken:
        return slug
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = slug[: MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        number += 1
