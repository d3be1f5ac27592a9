"""The search index reads a page's indexed part by tokens when it is plain markup
(``search._read_plain``) instead of Python's HTML parser (``search.read_part_parsed``, the
reference): the digest must be the same on every input — built report pages, real documents of
the corpus, the injection payloads, and random markup made to hit what the parser reads in a way
of its own (entities, quotes, case, stray "<", comments, raw text, self-closing tags)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from gongkai import search

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "corpus" / "sources"
PAYLOADS = [p["payload"] for p in yaml.safe_load((HERE / "injection_payloads.yml").read_text(encoding="utf-8"))]
REPORT = ('<div class="md-content" data-pagefind-body><h1 id="t">示例镇人民政府2023年政府信息公开工作年度报告'
          '<a class="headerlink" href="#t" title="Permanent link">¶</a></h1>'
          '<p class="gk-report-meta">发布日期：2024年1月30日</p>'
          '<p class="gk-report-links"><a href="../">示例镇人民政府历年报告</a> · <a href="../../">全部</a></p>'
          '<h2 id="a">一、总体情况</h2><div class="gk-narrative"><p>{text}</p><p>第二段。{text}</p></div>'
          '<h2 id="b">二、主动公开政府信息情况</h2><ul class="gk-downloads" data-search-exclude><li>CSV</li></ul>'
          '<h3>（一）依申请公开</h3><p>{text}</p></div>')


def same(part: str) -> bool:
    """Whether the two readings agree; and it says which one read it (None: the parser)."""
    return search.read_part(part) == search.read_part_parsed(part)


def test_a_report_page_is_read_by_tokens_and_the_same() -> None:
    part = REPORT.format(text="依申请公开办结9件。政务微信公开政府信息数895条；AT&amp;T &lt;b&gt; &#x4e2d;&nbsp;文")
    assert search._read_plain(part) is not None  # the fast path is taken
    assert search.read_part(part) == search.read_part_parsed(part)
    assert search.read_part(part).agency == "示例镇人民政府"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_injection_payloads_read_the_same_raw_and_escaped(payload: str) -> None:
    import html

    for text in (payload, html.escape(payload), html.escape(payload, quote=False)):
        assert same(REPORT.format(text=text)), text


@pytest.mark.parametrize("source", sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".html", ".txt")))
def test_the_corpus_documents_read_the_same(source: str) -> None:
    text = (CORPUS / source).read_text(encoding="utf-8", errors="replace")
    if source.endswith(".txt"):
        import html

        text = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines())
    assert same(f'<div data-pagefind-body>{text}</div>')
    assert same(REPORT.format(text=text[:3000]))


TAGS = ["p", "h1", "h2", "h3", "h4", "div", "span", "a", "li", "ul", "table", "tr", "td", "br", "img", "button",
        "nav", "svg", "P", "H2", "Div", "dt", "dd", "blockquote", "em", "hr", "select", "form", "x-y"]
ATTRIBUTES = ['class="gk-report-links"', "class='headerlink'", "class=gk-downloads", 'class="a gk-search b"',
              "data-pagefind-body", "data-pagefind-ignore", 'data-search-exclude=""', 'id="x"', "id=x1",
              'title="a>b"', "title='it''s'", 'href="?a=1&amp;b=2"', 'CLASS="gk-report-meta"', 'class = "headerlink"',
              'data-x="&lt;"', "onclick=a(b)", 'class="&#x67;k-search"', "a=b/", "disabled", "class=\"\u3000\""]
TEXTS = ["示例镇人民政府", "历年报告", "依申请公开办结9件。", "AT&T", "&amp;", "&lt;script&gt;", "&#x4e2d;", "&nbsp;",
         "&bogus;", "&", " ", "\n", "\u3000", "。！？", "x" * 250, "第二段：更多内容" * 30, "]]>", "=", '"', "'", "a > b"]
# Permalink signs as Python-Markdown writes them, read as one token (search._PERMALINK) where the
# reader skips them, token by token outside the indexed content or inside the agency's links.
PERMALINKS = ['<a class="headerlink" href="#x" title="Permanent link">¶</a>', '<a class="headerlink">¶</a>',
              '<a class="headerlink" href="#y"></a>', '<a class="headerlink" title="t">示例镇历年报告</a>',
              '<a class="headerlink" href="#一" title="">x y</a>']
ODD = ["a < b", "<", "</", "<3", "<!-- note -->", "<!DOCTYPE html>", "<?xml?>", "<script>var a = '<p>';</script>",
       "<style>p{}</style>", "<title>t</title>", "<![CDATA[x]]>", "</ p>", "<p\u3000class=x>"]


def random_markup(rng: random.Random, depth: int = 0) -> str:
    out = []
    for _ in range(rng.randint(1, 6)):
        roll = rng.random()
        if roll < 0.4 and depth < 5:
            tag = rng.choice(TAGS)
            attributes = "".join(rng.choice([" ", "  ", "\n", "\t"]) + rng.choice(ATTRIBUTES)
                                 for _ in range(rng.choice([0, 0, 1, 1, 2, 3])))
            if rng.random() < 0.1:
                out.append(f"<{tag}{attributes}{rng.choice(['/', ' /'])}>")
                continue
            inner = random_markup(rng, depth + 1)
            space = rng.choice(["", " ", "\n"])
            close = f"</{rng.choice([tag, tag.lower(), tag.upper()])}{space}>"
            out.append(f"<{tag}{attributes}{rng.choice(['', ' '])}>{inner}{close if rng.random() < 0.9 else ''}")
        elif roll < 0.5:
            out.append(rng.choice(PERMALINKS))
        else:
            out.append(rng.choice(ODD if rng.random() < 0.03 else TEXTS))
    return "".join(out)


def test_random_markup_reads_the_same() -> None:
    rng = random.Random(2024)
    plain = signs = 0
    for case in range(6000):
        part = ('<div data-pagefind-body>' if case % 7 else "") + random_markup(rng) + "</div>"
        fast = search._read_plain(part) is not None
        plain += fast
        signs += fast and 'class="headerlink"' in part
        assert search.read_part(part) == search.read_part_parsed(part), part
    assert plain > 2000 and signs > 500  # many cases went the fast way, with permalink signs: the comparison tested it
