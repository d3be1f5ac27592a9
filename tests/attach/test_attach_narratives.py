"""Any narrative an editor may write — headings, emphasis, links, code, nested lists, quotes, tables,
odd characters — reaches the fragment and the Word document whole: every run of text the site
shows is in both, the Word document stays well-formed, and the fragment holds nothing that runs."""

from __future__ import annotations

from dataclasses import replace

from attach_kit import docx_text, narrative_texts, read_docx, read_html, sample_reports, site_module, squeeze
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.attachments import FRAGMENT, WORD, make

KIT = site_module("injection_kit")
REPORT = sample_reports()[0]

WORDS = st.text(alphabet=st.sampled_from(list("政府信息公开申请办理答复abcXYZ019 &<>\"'“”（）：；。，、%#*_`[]!|-\\")),
                min_size=1, max_size=12).map(str.strip).filter(bool)


@st.composite
def blocks(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["p", "heading", "list", "nested", "quote", "code", "table", "link", "emphasis"]))
    words = draw(WORDS)
    more = draw(WORDS)
    if kind == "heading":
        return f"{'#' * draw(st.integers(1, 6))} {words}"
    if kind == "list":
        return "\n".join(f"{draw(st.sampled_from(['-', '*', '1.']))} {w}" for w in (words, more))
    if kind == "nested":
        return f"- {words}\n    - {more}"
    if kind == "quote":
        return f"> {words}"
    if kind == "code":
        return f"```\n{words}\n{more}\n```"
    if kind == "table":
        return f"| 项目 | 数量 |\n| --- | --- |\n| {words.replace('|', '')} | {more.replace('|', '')} |"
    if kind == "link":
        return f"见[{words.replace(']', '')}](https://www.example.gov.cn/{draw(st.integers(0, 99))})。"
    if kind == "emphasis":
        return f"**{words}**和*{more}*"
    return words


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(blocks(), min_size=1, max_size=6))
def test_a_narrative_reaches_both_whole(parts: list[str]) -> None:
    report = replace(REPORT, narrative={**REPORT.narrative, "overview": "\n\n".join(parts)})
    expected = narrative_texts(report)
    fragment = make(report, FRAGMENT).decode("utf-8")
    assert KIT.html_problems(fragment, "fragment") == []
    shown = squeeze("".join(read_html(fragment).text))
    word = squeeze(docx_text(read_docx(make(report, WORD))))
    for text in expected:
        assert text in shown and text in word, text
