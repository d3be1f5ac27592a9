"""Markup nh3 keeps as it is, recognised without nh3 (``gongkai.kept_markup``): ``clean_page`` gives what
nh3 gives (``clean_page_slowly``, the definition) for every report page's content of the test portals
(the sample, real published reports, the injection payloads, pages made through Markdown), the payloads
themselves and generated markup; and the pages of a portal do go the fast way."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai import kept_markup, sanitizing
from gongkai.kept_markup import KeptMarkup
from gongkai.pages import text as page_text
from gongkai.sanitizing import NARRATIVE_HTML, PAGE_HTML, clean_page, clean_page_slowly

from .conftest import Portal, import_corpus, make_portal
from .injection_kit import build_past_the_validator, payloads, write_valid_portal


class Contents:
    """Every content ``on_page_content`` cleans while it is active."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seen: list[str] = []

        def recorded(markup: str) -> str:
            self.seen.append(markup)
            return clean_page(markup)

        monkeypatch.setattr(page_text, "clean_page", recorded)


def assert_as_nh3(contents: list[str], *, at_least_kept: int) -> None:
    """Each content cleaned the fast way is what nh3 gives, and at least so many took the fast way."""
    kept = KeptMarkup(PAGE_HTML)
    differ = [markup for markup in contents if clean_page(markup) != clean_page_slowly(markup)]
    assert differ == []
    assert sum(kept.clean(markup) is not None for markup in contents if markup) >= at_least_kept


@pytest.fixture
def contents(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    recorder = Contents(monkeypatch)
    yield recorder.seen


def _sample(root: Path) -> Portal:
    portal = make_portal(root)
    config = portal.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      feed_entries: 50\n", "      feed_entries: 50\n      search: false\n"), encoding="utf-8")
    return portal


def test_sample_pages_are_cleaned_as_nh3_cleans_them(tmp_path: Path, contents: list[str]) -> None:
    _sample(tmp_path / "portal").build_in_process(site_dir=str(tmp_path / "site"))
    assert_as_nh3(contents, at_least_kept=12)


def test_pages_made_through_markdown_are_cleaned_as_nh3_cleans_them(tmp_path: Path, contents: list[str]) -> None:
    portal = _sample(tmp_path / "portal")  # abbr is not emulated: report pages go through Python-Markdown
    config = portal.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("markdown_extensions:\n",
                                                                 "markdown_extensions:\n  - abbr\n"), encoding="utf-8")
    portal.build_in_process(site_dir=str(tmp_path / "site"))
    assert_as_nh3(contents, at_least_kept=0)


def test_published_reports_are_cleaned_as_nh3_cleans_them(tmp_path: Path, contents: list[str]) -> None:
    portal = _sample(tmp_path / "portal")
    shutil.rmtree(portal.reports)
    import_corpus(portal.reports)
    portal.build_in_process(site_dir=str(tmp_path / "site"))
    assert_as_nh3(contents, at_least_kept=10)


def test_injection_portals_are_cleaned_as_nh3_cleans_them(tmp_path: Path, contents: list[str]) -> None:
    write_valid_portal(tmp_path / "valid")
    Portal(tmp_path / "valid").build_in_process(site_dir=str(tmp_path / "valid-site"))
    build_past_the_validator(tmp_path / "past")
    assert_as_nh3(contents, at_least_kept=1)


@pytest.mark.parametrize("allowlist", [PAGE_HTML, NARRATIVE_HTML], ids=["page", "narrative"])
def test_payloads_are_cleaned_as_nh3_cleans_them(allowlist: sanitizing.Allowlist) -> None:
    kept = KeptMarkup(allowlist)
    for p in payloads():
        for markup in (p.payload, f"<p>{p.payload}</p>", f'<div class="gk-narrative">\n<p>{p.payload}</p>\n</div>'):
            fast = kept.clean(markup)
            assert fast is None or fast == allowlist.clean(markup), markup


# --- generated markup ----------------------------------------------------------------------------
# Rough markup: tags and attributes from the page's allowlist and beyond it, spelled plainly or not;
# text with entities, quotes, no-break spaces and the characters the parser changes; comments of all
# kinds. Plain markup: spelled plainly, most of it well nested, so that the checks of nesting and
# attributes are what decides.

_VALUES = ["x", "", "#a", "../b/", "https://gov.cn/", "javascript:alert(1)", "a&amp;b", "a&#34;b", "a\u00a0b", "a b",
           "&lt;", "text-align: center", " //x", "\u4e00\u4e8c", "a'b", "a<b", "mailto:a@b.cn", "&#x27;",
           "data:text/html,x"]
_PLAIN_TEXT = ["文字", "a", " ", "\n", "&amp;", "&lt;", "&gt;", "&#34;", "&#39;", "&quot;", "&para;", "&nbsp;",
               "\u00a0", '"', "'", "¶", "\t"]


@dataclass(frozen=True)
class Grammar:
    names: list[str]
    attributes: list[str]
    spellings: list[str]  # of an attribute, ``{}`` its value
    ends: list[str]  # of a start tag
    closings: list[str]  # ``{}`` the element's name
    voids: list[str]
    comments: list[str]
    text: list[str]
    kinds: list[str]
    depth: int
    unique: bool = False  # no attribute twice in a tag


ROUGH = Grammar(
    names=sorted(kept_markup.SUPPORTED | {"table", "tr", "td", "pre", "script", "style", "img", "input", "textarea",
                                          "caption", "summary", "details", "math", "svg", "A", "P", "nobr", "font"}),
    attributes=["class", "id", "title", "href", "role", "lang", "dir", "aria-label", "style", "onclick", "start",
                "datetime", "name", "ID", "data-x", "rel"],
    spellings=['="{}"', "='{}'", "={}", "", '  ="{}"'], ends=[">", ">", ">", "/>", " >"],
    closings=["</{}>", "</{}>", "</{}>", "", "</p>", "</{} >"],
    voids=["<br>", "<hr>", "<br/>", "</br>", "<hr >", "<col>"],
    comments=["<!--gongkai-table:x-->", "<!---->", "<!--a--b-->", "<!-- x -->", "<!--x-", "<!-->", "<!--a-->",
              "<!DOCTYPE html>", "<?x?>", "<", ">", "</", "<a", "&", "</div>", "<p"],
    text=_PLAIN_TEXT + ["&", "&copy;", "&#x41;", ">", "<", "\r", "\x00", "\x0c", "\u2028", "\ufffe", "\U0001f600",
                        "--", "=", "/"],
    kinds=["text", "element", "element", "void", "comment", "comment"], depth=4)

PLAIN = Grammar(
    names=sorted(kept_markup.SUPPORTED - kept_markup.VOID) + ["table", "pre", "tr", "img"],
    attributes=["class", "id", "title", "href", "href", "role", "aria-hidden", "start", "datetime", "style", "lang"],
    spellings=['="{}"'], ends=[">"], closings=["</{}>"], voids=["<br>", "<hr>"], comments=["<!--gongkai-table:x-->"],
    text=_PLAIN_TEXT, kinds=["text", "element", "element", "element", "void", "comment"], depth=5, unique=True)


@st.composite
def generated(draw: Callable[..., Any], grammar: Grammar, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(grammar.kinds))
        if kind == "text":
            parts.append("".join(draw(st.lists(st.sampled_from(grammar.text), max_size=4))))
        elif kind == "element" and depth < grammar.depth:
            name = draw(st.sampled_from(grammar.names))
            attributes = draw(st.lists(st.tuples(st.sampled_from(grammar.attributes), st.sampled_from(_VALUES),
                                                 st.sampled_from(grammar.spellings)), max_size=3,
                                       unique_by=(lambda a: a[0]) if grammar.unique else None))
            spelled = "".join(f" {a}{form.format(v)}" for a, v, form in attributes)
            parts.append(f"<{name}{spelled}{draw(st.sampled_from(grammar.ends))}"
                         + draw(generated(grammar, depth + 1)) + draw(st.sampled_from(grammar.closings)).format(name))
        elif kind == "void":
            parts.append(draw(st.sampled_from(grammar.voids)))
        elif kind == "comment":
            parts.append(draw(st.sampled_from(grammar.comments)))
    return "".join(parts)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(generated(ROUGH), generated(PLAIN)))
def test_generated_markup_is_cleaned_as_nh3_cleans_it(markup: str) -> None:
    for allowlist in (PAGE_HTML, NARRATIVE_HTML):
        fast = KeptMarkup(allowlist).clean(markup)
        assert fast is None or fast == allowlist.clean(markup)


def test_generated_plain_markup_is_often_recognised() -> None:
    """The generated markup above is not all left to nh3: the comparison covers the fast way."""
    found: list[bool] = []

    @settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(generated(PLAIN))
    def collect(markup: str) -> None:
        if "<" in markup:
            found.append(KeptMarkup(PAGE_HTML).clean(markup) is not None)

    collect()
    assert sum(found) >= len(found) // 8


# Markup nh3 keeps as it is, in the spellings a page uses: the fast way must recognise it.
KEPT = [
    '<h2 id="a">一、总体情况<a class="headerlink" href="#a" title="Permanent link">&para;</a></h2>',
    '<p class="gk-report-meta">\n<span>发布日期：<time datetime="2025-01-16">2025年1月16日</time></span>\n</p>',
    '<div class="gk-narrative">\n<p>“谁提供、谁审核”&#34;&#39;&quot;&amp;&lt;&gt;</p>\n</div>\n\n<!--gongkai-table:x-->',
    '<ul>\n<li>一<ul><li><strong>二</strong></li></ul></li>\n</ul><ol start="2"><li>三</li></ol><hr>',
    '<dl><dt>甲</dt><dd><div>乙<br>丙</div></dd></dl><blockquote><p><em>丁</em> <code>x</code></p></blockquote>',
    '<p><a href="../../2024/" aria-label="x">2024年度全部报告</a>\u00a0·</p>',
]


@pytest.mark.parametrize("markup", KEPT)
def test_markup_nh3_keeps_is_recognised(markup: str) -> None:
    fast = KeptMarkup(PAGE_HTML).clean(markup)
    assert fast is not None
    assert fast == PAGE_HTML.clean(markup)


# Markup nh3 changes beyond its spelling: the fast way must leave it to nh3.
CHANGED = [
    "<p><div>x</div></p>", "<h2><h3>x</h3></h2>", "<li>x</li>", "<ul><p>x</p></ul>", "<a href=\"#\"><a>x</a></a>",
    "<table><tr><td>x</td></tr></table>", "<pre>\nx</pre>", "<p>x", "x</p>", "<b><i>x</b></i>",
    '<a href="javascript:alert(1)">x</a>', '<p style="color: red">x</p>', '<p onclick="x">y</p>', "<br/>",
    "<p class='x'>y</p>", "<P>x</P>", "<p>a > b</p>", "<p>&copy;</p>", "<p>\r</p>", "<!-- x -->", "<script>x</script>",
    '<p id="a" id="b">x</p>', "<dd>x</dd>", "<p>\U0001f600</p>",
]


@pytest.mark.parametrize("markup", CHANGED)
def test_markup_nh3_changes_goes_to_nh3(markup: str) -> None:
    assert KeptMarkup(PAGE_HTML).clean(markup) is None


def test_a_wrong_fast_way_is_caught_by_the_comparison(tmp_path: Path, contents: list[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparisons above can fail: a fast way that forgets to write ``&para;`` as nh3 does."""
    monkeypatch.setattr(kept_markup, "_RESPELLED", ())
    monkeypatch.setattr(sanitizing, "_PAGE_KEPT", KeptMarkup(PAGE_HTML))
    _sample(tmp_path / "portal").build_in_process(site_dir=str(tmp_path / "site"))
    assert [markup for markup in contents if clean_page(markup) != clean_page_slowly(markup)] != []


def test_blank_content_is_blank() -> None:
    assert clean_page("") == clean_page_slowly("") == ""
