"""The theme's pieces rendered once per build (``gongkai.mkdocs_plugin.theme``): every page is the
same as the theme renders it without the memo, and the memo is used."""

from __future__ import annotations

from pathlib import Path

import jinja2
import material
import pytest
from mkdocs.structure.toc import AnchorLink

from gongkai.mkdocs_plugin import theme
from gongkai.mkdocs_plugin.plugin import GongkaiPlugin
from gongkai.mkdocs_plugin.theme import ThemeMemo, toc_key

from .conftest import REPO, Portal, make_portal

MATERIAL = Path(material.__file__).parent / "templates"


def _portal(root: Path, configured_nav: bool = False) -> Portal:
    """The sample portal without Pagefind, with hand-written pages at other depths than the reports'."""
    portal = make_portal(root)
    config = portal.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "      feed_entries: 50\n" in text
    config.write_text(text.replace("      feed_entries: 50\n", "      feed_entries: 50\n      search: false\n"),
                      encoding="utf-8")
    (portal.root / "docs" / "about").mkdir()
    (portal.root / "docs" / "about" / "contact.md").write_text("# 联系我们\n\n## 地址\n\n正文。\n", encoding="utf-8")
    (portal.root / "docs" / "reports-guide.md").write_text("# 阅读指南\n\n## 表格\n\n正文。\n", encoding="utf-8")
    if configured_nav:  # the site's own nav: a section, an external link (gongkai's reports section follows)
        portal.set_config(nav=[{"首页": "index.md"}, {"关于": [{"联系我们": "about/contact.md"},
                                                               {"阅读指南": "reports-guide.md"}]},
                               {"政府网站": "https://www.gov.cn/"}])
    return portal


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


@pytest.mark.parametrize("configured_nav", [False, True])
def test_pages_are_the_same_with_and_without_the_memo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      configured_nav: bool) -> None:
    portal = _portal(tmp_path / "portal", configured_nav)
    fragment, translator = ThemeMemo.fragment, ThemeMemo.translator
    used = {"hits": 0, "fragments": 0, "lookups": 0}

    def counted_fragment(self: ThemeMemo, *key: object, caller: object) -> object:
        before = self.hits
        html = fragment(self, *key, caller=caller)  # type: ignore[arg-type]
        used["fragments"] += 1
        used["hits"] += self.hits - before
        return html

    def counted_translator(self: ThemeMemo, language: str, lookup: object) -> object:
        used["lookups"] += 1
        return translator(self, language, lookup)  # type: ignore[arg-type]

    monkeypatch.setattr(ThemeMemo, "fragment", counted_fragment)
    monkeypatch.setattr(ThemeMemo, "translator", counted_translator)
    portal.build_in_process(site_dir=str(tmp_path / "with"))
    with_memo = _pages(tmp_path / "with")

    monkeypatch.setattr(ThemeMemo, "fragment", lambda self, *key, caller: caller())
    monkeypatch.setattr(ThemeMemo, "translator", lambda self, language, lookup: lookup)
    portal.build_in_process(site_dir=str(tmp_path / "without"))
    without = _pages(tmp_path / "without")

    # The overrides without the global at all (as with the plugin left out): Material's way.
    on_env = GongkaiPlugin.on_env

    def without_global(self: GongkaiPlugin, env: jinja2.Environment, **kwargs: object) -> jinja2.Environment:
        env = on_env(self, env, **kwargs) or env  # type: ignore[arg-type]
        del env.globals["gongkai_theme"]
        return env

    monkeypatch.setattr(GongkaiPlugin, "on_env", without_global)
    portal.build_in_process(site_dir=str(tmp_path / "plain"))
    plain = _pages(tmp_path / "plain")

    assert with_memo.keys() == without.keys() == plain.keys()
    assert "reports/shifan-qu/2019/index.html" in with_memo and "about/contact/index.html" in with_memo
    assert [name for name in with_memo if with_memo[name] != without[name]] == []
    assert [name for name in with_memo if with_memo[name] != plain[name]] == []
    assert (b'href="https://www.gov.cn/"' in with_memo["reports/shifan-qu/2019/index.html"]) is configured_nav
    # Every report page (12) asks the memo for its sidebars and its header's parts; pages of one
    # agency share their sidebars (the navigation lists each agency, linked differently from each
    # one's own pages), pages at one depth their header's parts.
    assert used["fragments"] >= 4 * 12 and used["hits"] >= 6 + 3 * 11
    assert used["lookups"] >= len(with_memo)


def test_report_pages_of_one_agency_share_their_sidebars(tmp_path: Path) -> None:
    """What the memo holds is what a page shows: the agency's own years, its table of contents."""
    portal = _portal(tmp_path / "portal")
    portal.build_in_process()
    page = portal.page_path("reports/shifan-qu/2022/").read_text(encoding="utf-8")
    other = portal.page_path("reports/shifan-qu/2023/").read_text(encoding="utf-8")
    start, end = '<div class="md-sidebar md-sidebar--primary"', '<div class="md-content"'
    sidebars = page[page.index(start):page.index(end)]
    assert sidebars == other[other.index(start):other.index(end)]
    assert 'href="#' in sidebars and 'class="md-nav md-nav--secondary"' in sidebars


def _toc(*entries: tuple[int, str, tuple]) -> list[AnchorLink]:  # type: ignore[type-arg]
    links = []
    for level, title, children in entries:
        link = AnchorLink(title, title, level)
        link.children = _toc(*children)
        links.append(link)
    return links


def test_toc_key_holds_what_the_theme_shows() -> None:
    one = _toc((1, "甲机关2023年报告", ((2, "一、总体情况", ()), (2, "二、主动公开", ((3, "（一）", ()),)))))
    other_title = _toc((1, "乙机关2022年报告", ((2, "一、总体情况", ()), (2, "二、主动公开", ((3, "（一）", ()),)))))
    other_heading = _toc((1, "甲机关2023年报告", ((2, "一、总体情况", ()), (2, "二、主动公开", ((3, "（二）", ()),)))))
    assert toc_key(one) == toc_key(other_title)  # the page's title (level 1) is not in the sidebar
    assert toc_key(one) != toc_key(other_heading)
    assert toc_key(_toc((2, "一", ()))) != toc_key(_toc((1, "一", ())))
    assert toc_key([]) == ("all", ())


def test_fragment_renders_once_per_key_and_forgets_beyond_its_limit() -> None:
    memo = ThemeMemo(limit=2)
    calls: list[str] = []

    def render(text: str):  # type: ignore[no-untyped-def]
        return lambda: calls.append(text) or text

    assert memo.fragment("a", caller=render("A")) == "A"
    assert memo.fragment("a", caller=render("other")) == "A"
    assert memo.fragment(["unhashable"], caller=render("L")) == "L"  # not kept, rendered each time
    assert memo.fragment(["unhashable"], caller=render("L")) == "L"
    memo.fragment("b", caller=render("B"))
    memo.fragment("c", caller=render("C"))  # the limit: starts afresh
    assert memo.fragment("a", caller=render("A2")) == "A2"
    assert calls == ["A", "L", "L", "B", "C", "A2"] and memo.hits == 1


@pytest.mark.parametrize("memo", [True, False])
def test_translations_are_materials(memo: bool) -> None:
    """overrides/partials/language.html gives Material's strings, with the plugin's memo or without it."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(REPO / "overrides"), str(MATERIAL)]))
    material_env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(MATERIAL)]))
    if memo:
        env.globals["gongkai_theme"] = ThemeMemo()
    source = ('{% import "partials/language.html" as lang with context %}'
              '{{ lang.t("toc") }}|{{ lang.t("search.result.none") }}|{{ lang.t("no.such.key") }}|{{ lang.t("toc") }}')
    config = {"theme": {"language": "zh"}}
    assert (env.from_string(source).render(config=config)
            == material_env.from_string(source).render(config=config) == "目录|没有找到符合条件的结果|no.such.key|目录")
    assert theme.FRAGMENTS_MAX > 0
