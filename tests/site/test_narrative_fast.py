"""Narratives written as plain paragraphs without Markdown (``sanitizing.plain_paragraphs``) are
what Markdown + nh3 make of them (``render_narrative_slowly``).

Over many texts: the sample reports' narratives, the corpus' reports as imported, the benchmark's
generated narratives, the injection payloads, and random mixes of Markdown's special characters,
CJK text, numbering (（一）, 一、, 1.), blank lines, spaces, tabs and full-width characters. Each text
whole, each of its paragraphs and lines, and each block a report page renders (``narrative_parts``)
must come out the same both ways; the fast path must be taken for most real narratives.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml

from gongkai import sanitizing
from gongkai.collection import ReportStore
from gongkai.importing.document import Overrides, import_report
from gongkai.importing.readers import read_source
from gongkai.pages import text as page_text
from gongkai.sanitizing import plain_paragraphs, render_narrative, render_narrative_slowly

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "corpus"
PAYLOADS = Path(__file__).with_name("injection_payloads.yml")


def _sample_narratives() -> list[str]:
    portal = ReportStore(REPO).load([REPO / "reports"])
    return [text for report in portal.reports for text in report.narrative.values()]


def _corpus_narratives() -> list[str]:
    cases = [c for c in json.loads((CORPUS / "cases.json").read_text(encoding="utf-8")) if "refused" not in c]
    out = []
    for case in cases:
        options = case.get("options", [])
        given = dict(zip(options[::2], options[1::2]))
        overrides = Overrides(slug="x", agency=given.get("--agency"),
                              year=int(given["--year"]) if "--year" in given else None,
                              published=date.fromisoformat(given["--published"]) if "--published" in given else None)
        report = import_report(read_source(CORPUS / "sources" / case["file"], case["file"]), overrides).report
        out.extend(report.narrative.values())
    return out


def _bench_narratives() -> list[str]:
    sys.path.insert(0, str(REPO))
    try:
        from bench.synth import iter_reports
    finally:
        sys.path.remove(str(REPO))
    return [text for report in iter_reports(60, seed=7, tree="province") for text in report.narrative.values()]


def _payloads() -> list[str]:
    entries = yaml.safe_load(PAYLOADS.read_text(encoding="utf-8"))
    texts = [str(entry["payload"]) for entry in entries]
    return texts + [f"第一段。\n\n{text}\n\n末段。" for text in texts]


_PIECES = [
    "政府信息公开", "主动公开", "依申请公开", "（一）", "（二）", "一、", "二、", "1.", "1. ", "2) ", "12.", "3.5%", "１．",
    "第1条", "2019年", "“引号”", "《条例》", "，", "。", "；", "：", "？", "！", "、", "—", "…", "·", "　", "\u00a0",
    " ", "  ", "\t", "\n", "\n\n", "\n\n\n", " \n", "  \n", "\n ", "\n    ", "\r\n", "\r", "*", "**", "_", "__", "`",
    "```", "~~~", "~", "#", "## ", "> ", ">", "<", "&", "&amp;", "&#39;", "&nbsp;", "<b>", "</p>", "<!-- x -->",
    "[", "]", "[链接](x.md)", "![图](x.png)", "[1]: http://x", "(", ")", "{", "}", "{: .x }", "|", "| a | b |",
    "---", "- ", "+ ", "* ", "===", "\\", "\\*", "!", ".", ":", "http://example.org", "<http://x>", "a@b.c", "'",
    '"', "=", "-", "+", "%", "$", "@", "^", "\x00", "\x01", "\x02", "\x03", "\x0b", "\x0c", "\x7f", "\x85",
    "\u2028", "\u2029", "\u200b", "\ufeff", "\ufffe", "\U0001fffe", "\U0001f600", "ｅｍ", "ＡＢＣ", "123", "abc",
    "Abc Def", "x", "甲", "乙丙丁",
]
_PROSE = ["政府信息公开工作", "年度报告", "（一）主动公开", "一、总体情况", "2023年度共收到申请28件", "abc", "数据",
          "“谁提供、谁审核、谁负责”", "《中华人民共和国政府信息公开条例》", "3.5万条"]


def _generated(count: int = 6000, seed: int = 14) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 14)):
            roll = rng.random()
            parts.append(rng.choice(_PROSE) if roll < 0.45 else rng.choice(_PIECES))
        yield "".join(parts)
    for _ in range(count // 3):  # mostly plain prose: the fast path's own inputs, in many shapes
        lines = []
        for _ in range(rng.randint(1, 8)):
            roll = rng.random()
            lines.append("" if roll < 0.3 else "".join(rng.choice(_PROSE) for _ in range(rng.randint(1, 4)))
                         + ("" if rng.random() < 0.8 else rng.choice(["1.", "：", "。", "一、"])))
        yield "\n".join(lines)


def _variants(text: str) -> Iterator[str]:
    yield text
    yield from text.split("\n\n")
    yield from text.split("\n")


def _compare(texts: list[str]) -> int:
    """Asserts both ways give the same HTML for each text and its pieces; how many took the fast path."""
    fast = 0
    for whole in texts:
        for text in _variants(whole):
            got = render_narrative(text)
            assert got == render_narrative_slowly(text), repr(text)
            fast += plain_paragraphs(text) is not None
    return fast


def _compare_pages(texts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The blocks of a report page (``narrative_parts``): the same both ways."""
    quick = [page_text.narrative_parts(text) for text in texts]
    with monkeypatch.context() as patch:
        patch.setattr(page_text, "render_narrative", render_narrative_slowly)
        slow = [page_text.narrative_parts(text) for text in texts]
    for text, a, b in zip(texts, quick, slow):
        assert a == b, repr(text)


def test_sample_and_corpus_narratives(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _sample_narratives() + _corpus_narratives()
    assert len(texts) > 60
    assert _compare(texts) > len(texts)
    _compare_pages(texts, monkeypatch)


def test_benchmark_narratives_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _bench_narratives()
    _compare(texts)
    _compare_pages(texts, monkeypatch)
    blocks = [part for text in texts for part in text.split("\n\n") if not part.startswith("#")]
    assert sum(plain_paragraphs(block) is not None for block in blocks) > 0.9 * len(blocks)


def test_payloads(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _payloads()
    _compare(texts)
    _compare_pages(texts, monkeypatch)


def test_generated_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = list(_generated())
    fast = _compare(texts)
    assert fast > 2000  # the comparison covers the fast path, not only the slow one
    _compare_pages(texts[:1500], monkeypatch)


@pytest.mark.parametrize("text", ["1. 数字开头", "一、总体情况\n1. 列表", "段落\n\n- 列表", "尾部空格 ", "　全角空格",
                                  "# 标题", "a\n===", "甲\n---", "<b>粗</b>", "A & B", "制\t表", "    缩进"])
def test_markdown_syntax_takes_the_slow_path(text: str) -> None:
    assert plain_paragraphs(text) is None
    assert render_narrative(text) == render_narrative_slowly(text)


def test_plain_paragraphs_are_written_as_paragraphs() -> None:
    assert plain_paragraphs("（一）主动公开\n2023年，本机关……\n\n\n一、总体情况\n") == (
        "<p>（一）主动公开\n2023年，本机关……</p>\n<p>一、总体情况</p>")
    assert plain_paragraphs("") == "" == sanitizing.render_narrative_slowly("")
