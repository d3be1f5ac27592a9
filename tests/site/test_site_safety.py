"""A narrative can never put markup or script links on a page, even past the validator."""

from __future__ import annotations

import dataclasses

import pytest

from gongkai import collection
from gongkai.pages.text import is_safe_url, safe_narrative, sanitize_html

from .conftest import Node, Portal, make_portal, seed_text

HOSTILE = {
    "overview": "### 概况\n\n正文<script>alert(1)</script>结束\n\n<img src=x onerror=alert(2)>\n\n"
                "[点我](javascript:alert(3)) 与 [再点](JaVaScRiPt&#58;alert(4)) 与 [图](data:text/html,x)\n\n"
                "# 顶级标题\n\n<https://www.gov.cn/> 是官方网站。",
    "problems": "段落 {: onclick=\"alert(5)\" }\n\n<div onmouseover=alert(6)>块</div>",
    "other_matters": "<iframe src=\"javascript:alert(7)\"></iframe>[x](vbscript:msgbox(8))",
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    """The seed report with hostile narratives put straight into the typed Report."""
    portal = make_portal(tmp_path_factory.mktemp("hostile") / "portal", copy_reports=False)
    portal.write_report("shifan-zhen/2024.yml", seed_text())
    real_load = collection.ReportStore.load

    def load(self, paths):  # the validator never sees these narratives
        loaded = real_load(self, paths)
        loaded.reports = [dataclasses.replace(r, narrative={**r.narrative, **HOSTILE}) for r in loaded.reports]
        return loaded

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(collection.ReportStore, "load", load)
        portal.build_in_process()
    return portal


def _elements(portal: Portal) -> list[Node]:
    return portal.content("reports/shifan-zhen/2024/").find_all()


def test_no_script_iframe_or_img_element(hostile_site: Portal) -> None:
    tags = {node.tag for node in _elements(hostile_site)}
    assert not tags & {"script", "iframe", "img", "object", "embed"}
    page = hostile_site.page("reports/shifan-zhen/2024/")
    assert not any("alert" in s.text for s in page.find_all("script"))


def test_no_event_handler_attribute(hostile_site: Portal) -> None:
    for node in _elements(hostile_site):
        assert not [name for name in node.attrs if name.startswith("on")], (node.tag, node.attrs)


def test_no_script_url(hostile_site: Portal) -> None:
    for node in _elements(hostile_site):
        for name in ("href", "src", "action", "formaction"):
            if name in node.attrs:
                assert is_safe_url(node.attrs[name]), (node.tag, node.attrs)


def test_hostile_text_is_shown_as_text(hostile_site: Portal) -> None:
    content = hostile_site.content("reports/shifan-zhen/2024/")
    assert "<script>alert(1)</script>" in content.text
    assert "<img src=x onerror=alert(2)>" in content.text
    raw = (hostile_site.site / "reports/shifan-zhen/2024/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in raw and "<img src=x" not in raw and 'href="javascript:' not in raw.lower()


def test_safe_links_and_outline_survive(hostile_site: Portal) -> None:
    content = hostile_site.content("reports/shifan-zhen/2024/")
    assert any(a.attrs.get("href") == "https://www.gov.cn/" for a in content.find_all("a"))
    # a narrative's "# 顶级标题" is pushed below the official h2 sections
    assert [h.text.strip("¶ ") for h in content.find_all("h1")] == ["示例镇人民政府2024年政府信息公开工作年度报告"]
    assert "顶级标题" in [h.text.strip("¶ ") for h in content.find_all("h3")]


@pytest.mark.parametrize("url, safe", [
    ("https://www.gov.cn/", True), ("../2024/", True), ("#overview", True), ("mailto:a@b.cn", True),
    ("javascript:alert(1)", False), (" JavaScript:alert(1)", False), ("java&#x09;script:alert(1)", False),
    ("jav&#97;script:x", False), ("data:text/html,x", False), ("vbscript:x", False),
])
def test_is_safe_url(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


def test_sanitize_html_keeps_only_the_page_allowlist() -> None:
    html = ('<p onclick="x()" class="gk-report-meta" style="position:fixed"><a href="javascript:x()">a</a>'
            '<a href=\'https://gov.cn\' aria-label="b">b</a><img src=x><iframe src="https://evil.example/"></iframe>'
            '<!--gongkai-table:overview--><script>alert(1)</script></p>')
    assert sanitize_html(html) == ('<p class="gk-report-meta"><a>a</a><a href="https://gov.cn" aria-label="b">b</a>'
                                   '<!--gongkai-table:overview--></p>')


def test_safe_narrative_keeps_headings_as_markdown_and_the_rest_as_clean_html() -> None:
    text = "a <b>x</b> <https://gov.cn/a_b>\n\n```\n# not a heading <i>\n```\n\n## 标题 {: #x }"
    assert safe_narrative(text) == (
        '<div class="gk-narrative">\n'
        '<p>a &lt;b&gt;x&lt;/b&gt; <a href="https://gov.cn/a_b">https://gov.cn/a_b</a></p>\n'
        '<pre><code># not a heading &lt;i&gt;\n</code></pre>\n'
        '</div>\n\n'
        '### 标题 \\{: \\#x \\}')


def test_theme_toggles_carry_no_autocomplete_attribute(tmp_path):
    """HTML forbids autocomplete on checkboxes; the plugin removes Material's."""
    from gongkai.mkdocs_plugin.internals import drop_checkbox_autocomplete

    material = ('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
                '<input type="text" name="q" autocomplete="off">')
    cleaned = drop_checkbox_autocomplete(material)
    assert 'id="__drawer">' in cleaned
    assert cleaned.count('autocomplete="off"') == 1  # the text input keeps it


@pytest.mark.parametrize("page", [
    "",
    "<p>no attribute at all</p>",
    '<input type="checkbox" autocomplete="off">',
    '<input type="checkbox" autocomplete="off"',  # no closing ">": nothing to match
    '<input type="checkbox" id="a" autocomplete="off" class="x"><main>' + "<p>x</p>" * 50
    + '<input type="checkbox" autocomplete="off"><p>autocomplete="off"</p><input type="text" autocomplete="off">',
    '<p>autocomplete="off"</p><input type="checkbox" autocomplete="off">tail > more',
    '<input type="checkbox"\n autocomplete="off" >' * 3 + "<p>end</p>",
])
def test_checkbox_autocomplete_scan_stops_at_the_last_attribute(page):
    """Scanning only up to the last ``autocomplete="off"`` gives what the whole page's scan gives."""
    from gongkai.mkdocs_plugin.internals import _TOGGLE_AUTOCOMPLETE, drop_checkbox_autocomplete

    assert drop_checkbox_autocomplete(page) == _TOGGLE_AUTOCOMPLETE.sub(r"\1\2", page)


@pytest.mark.parametrize("name, refused, shown", [
    ("示例镇人民政府", False, "示例镇人民政府"),
    ("示例镇A&B工作组", False, "示例镇A&B工作组"),  # no entity: the browser shows "&B" as typed
    ("示例&copy工作组", True, "示例＆copy工作组"),  # a legacy entity without its semicolon
    ("&#x3C;/title&#x3E;", True, "＆#x3C;/title＆#x3E;"),
    ("</title><img src=x>", True, "＜/title＞＜img src=x＞"),
    ("示例\u200b镇", True, "示例镇"),
])
def test_names_refused_by_the_validator_are_plain_text_on_a_page_anyway(name: str, refused: bool, shown: str) -> None:
    from gongkai.sanitizing import markup_in_name, plain_text

    assert (markup_in_name(name) is not None) is refused
    assert plain_text(name) == shown
