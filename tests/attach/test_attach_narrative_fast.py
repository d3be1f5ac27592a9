"""The attachments' narratives with headings written without Markdown (``embedding.headed_paragraphs``,
through ``narrative_html``) are what Markdown + nh3 make of them (``sanitizing.render_narrative_slowly``).

A report page splits a narrative at its headings and renders the blocks between them
(``pages.text.narrative_parts``); the attachments render a narrative whole, headings included, so a
narrative with a heading (the benchmark's, many real ones: ``### （一）主动公开``) went through Markdown
for each report. Compared over the texts of tests/site/test_narrative_fast.py (the sample reports'
narratives, the corpus' reports imported, the benchmark's, the injection payloads, random mixes of
Markdown's special characters) and over the same texts with headings of every level put in, written
in every way Markdown reads one (no space, closing hashes, seven hashes, indented, no blank line around).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from attach_kit import site_module

from gongkai import embedding
from gongkai.embedding import headed_paragraphs, narrative_html
from gongkai.sanitizing import render_narrative, render_narrative_slowly

NARRATIVES = site_module("test_narrative_fast")  # tests/site/test_narrative_fast.py: its texts

_HEADINGS = ["# 一、总体情况", "## （一）主动公开", "### （二）依申请公开", "#### 3.5万条", "##### abc", "###### 数据",
             "####### 七级", "#无空格", "### 结尾 ###", "### 中间#号", "###  两个空格", "### 尾部空格 ", " ### 缩进",
             "### *强调*", "### <b>标签</b>", "### A & B", "### `代码`", "### 1. 列表", "###", "### ", "#\t制表",
             "### 　全角", "### [链接](x.md)", "### 标题\n===", "### 甲\n乙", "标题\n---"]
_JOINS = ["\n\n", "\n", "\n\n\n", "\n \n", "\r\n\r\n"]


def _with_headings(texts: list[str], seed: int = 11) -> Iterator[str]:
    """Each text cut at its blank lines, with headings put between the pieces, joined in various ways."""
    rng = random.Random(seed)
    for text in texts:
        pieces = text.split("\n\n")
        out: list[str] = []
        for piece in pieces:
            if rng.random() < 0.6:
                out += [rng.choice(_HEADINGS), rng.choice(_JOINS) if rng.random() < 0.2 else "\n\n"]
            out += [piece, "\n\n" if rng.random() < 0.85 else rng.choice(_JOINS)]
        yield "".join(out[:-1])
        yield "".join(out[:-1]) + "\n\n" + rng.choice(_HEADINGS)


def _compare(texts: list[str]) -> int:
    """Asserts both ways give the same HTML; how many texts with a heading took the fast path."""
    fast = 0
    for text in texts:
        assert narrative_html(text) == render_narrative_slowly(text), repr(text)
        fast += headed_paragraphs(text) is not None and "#" in text
    return fast


def test_the_site_tests_texts() -> None:
    texts = (NARRATIVES._sample_narratives() + NARRATIVES._corpus_narratives() + NARRATIVES._bench_narratives()
             + NARRATIVES._payloads())
    assert _compare(texts) > 50  # the benchmark's overview, the samples' headed narratives
    _compare(list(_with_headings(texts)))


def test_generated_texts_with_headings() -> None:
    texts = list(NARRATIVES._generated(count=3000, seed=23))
    _compare(texts)
    assert _compare(list(_with_headings(texts))) > 150


def test_the_benchmark_narratives_take_the_fast_path() -> None:
    texts = NARRATIVES._bench_narratives()
    assert all(headed_paragraphs(text) is not None for text in texts)


@pytest.mark.parametrize("text", ["### *强调*\n\n段", "#无空格\n\n段", "### 结尾 ###", "### 甲\n乙", " ### 缩进",
                                  "段\n### 紧接", "####### 七级", "### A & B", "###  两个空格", "### 1. 列表"])
def test_unusual_headings_take_the_slow_path(text: str) -> None:
    assert headed_paragraphs(text) is None
    assert narrative_html(text) == render_narrative_slowly(text)


def test_headings_are_written_at_least_at_level_three() -> None:
    assert headed_paragraphs("# 一\n\n段落\n第二行\n\n\n###### 六") == "<h3>一</h3>\n<p>段落\n第二行</p>\n<h6>六</h6>"
    assert headed_paragraphs("") == "" == render_narrative("")


def test_a_wrong_level_is_told_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison can fail: headings written one level off are seen."""
    monkeypatch.setattr(embedding, "MIN_HEADING", 2)
    with pytest.raises(AssertionError):
        _compare(["# 一、总体情况\n\n段落"])
