"""Report pages written from a shell (``gongkai.mkdocs_plugin.page_shell``): every page of a portal is
byte for byte what Jinja renders without the shell, whatever the site's settings, templates and
reports (the sample, real published reports, the injection payloads), and the shell is used."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gongkai.mkdocs_plugin import page_shell
from gongkai.mkdocs_plugin.page_shell import PageShells, Shell, cut, plain_title

from .conftest import Portal, import_corpus, make_portal
from .injection_kit import build_past_the_validator, write_valid_portal


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


class Shells:
    """The ``PageShells`` of the builds made while it is active (to count the pages they wrote)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.made: list[PageShells] = []
        post_init = PageShells.__post_init__

        def recorded(shells: PageShells) -> None:
            post_init(shells)
            self.made.append(shells)

        monkeypatch.setattr(PageShells, "__post_init__", recorded)

    @property
    def filled(self) -> int:
        return sum(shells.filled for shells in self.made)


def _without_shells(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PageShells, "render", lambda self, context, jinja: jinja(context))


def both_ways(build: Callable[[Path], None], tmp_path: Path) -> tuple[dict[str, bytes], dict[str, bytes], int]:
    """The pages built with the shell and without it, and how many the shell wrote."""
    with pytest.MonkeyPatch.context() as patch:
        shells = Shells(patch)
        build(tmp_path / "with")
    with pytest.MonkeyPatch.context() as patch:
        _without_shells(patch)
        build(tmp_path / "without")
    return _pages(tmp_path / "with"), _pages(tmp_path / "without"), shells.filled


def assert_same(with_shell: dict[str, bytes], without: dict[str, bytes]) -> None:
    assert with_shell.keys() == without.keys()
    assert [name for name in with_shell if with_shell[name] != without[name]] == []


def _portal(root: Path, **settings: object) -> Portal:
    """The sample portal without Pagefind, with hand-written pages at other depths than the reports'."""
    portal = make_portal(root)
    config = portal.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      feed_entries: 50\n", "      feed_entries: 50\n      search: false\n"),
                      encoding="utf-8")
    (portal.root / "docs" / "about").mkdir()
    (portal.root / "docs" / "about" / "contact.md").write_text("# 联系我们\n\n## 地址\n\n正文。\n", encoding="utf-8")
    with config.open("a", encoding="utf-8") as out:  # JSON is YAML, one line a setting
        out.writelines(f"\n{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in settings.items())
    return portal


def _in_process(portal: Portal) -> Callable[[Path], None]:
    return lambda site: portal.build_in_process(site_dir=str(site))


SETTINGS: dict[str, dict[str, object]] = {
    "sample": {},
    "own_nav": {"nav": [{"首页": "index.md"}, {"关于": [{"联系我们": "about/contact.md"}]},
                        {"政府网站": "https://www.gov.cn/"}]},
    "no_directory_urls": {"use_directory_urls": False},
    "site_url_and_repo": {"site_url": "https://gongkai.example.gov.cn/sub/", "repo_url": "https://example.com/r",
                          "edit_uri": "edit/main/docs/"},
    "features": {"theme": {"name": "material", "language": "zh", "custom_dir": "overrides", "font": False,
                           "features": ["navigation.tabs", "navigation.footer", "toc.integrate"]}},
}


@pytest.mark.parametrize("name", list(SETTINGS))
def test_portal_pages_are_the_same_with_and_without_the_shell(tmp_path: Path, name: str) -> None:
    portal = _portal(tmp_path / "portal", **SETTINGS[name])
    with_shell, without, filled = both_ways(_in_process(portal), tmp_path)
    assert_same(with_shell, without)
    reports = [page for page in with_shell if page.startswith("reports/") and "/20" in page]
    assert len(reports) >= 12
    # The shell of a key is made on its second page: of the sample's 12 reports (3 agencies, whose
    # pages the navigation links each from its own folder), at least 5 are filled from it.
    assert filled >= 5


# Templates a site may change: what they read of a page that the shell's key does not hold makes
# the shell's checks fail for that key, and the page is rendered by Jinja.
SITE_TEMPLATES = {
    "page_url": '<meta name="x-page" content="{{ page.url }}">',
    "title_length": '<meta name="x-len" content="{{ page.title | length }}">',
    "title_upper": '<meta name="x-t" content="{{ page.title | upper }}">',
    "description_escaped": '<meta name="x-d" content="{{ page.meta.description | e }}">',
    "file_path": "<!-- {{ page.file.src_uri }} -->",
}


@pytest.mark.parametrize("name", list(SITE_TEMPLATES))
def test_a_site_template_reading_more_of_the_page_is_rendered_by_jinja(tmp_path: Path, name: str) -> None:
    portal = _portal(tmp_path / "portal")
    main = portal.root / "overrides" / "main.html"
    include = '{% include "partials/gongkai-head.html" %}'
    text = main.read_text(encoding="utf-8")
    assert include in text
    main.write_text(text.replace(include, include + "{% if page %}" + SITE_TEMPLATES[name] + "{% endif %}"),
                    encoding="utf-8")
    with_shell, without, filled = both_ways(_in_process(portal), tmp_path)
    assert_same(with_shell, without)
    assert filled == 0


def test_published_reports_are_the_same_with_and_without_the_shell(tmp_path: Path) -> None:
    portal = _portal(tmp_path / "portal")
    config = portal.root / "mkdocs.yml"  # agencies not listed one by one: report pages share their sidebars
    config.write_text(config.read_text(encoding="utf-8").replace("      search: false\n",
                                                                 "      search: false\n      nav_agencies_max: 0\n"),
                      encoding="utf-8")
    shutil.rmtree(portal.reports)
    import_corpus(portal.reports)
    with_shell, without, filled = both_ways(_in_process(portal), tmp_path)
    assert_same(with_shell, without)
    assert sum(page.startswith("reports/corpus-") for page in with_shell) >= 15
    assert filled > 0


def test_injection_payloads_are_the_same_with_and_without_the_shell(tmp_path: Path) -> None:
    root = tmp_path / "portal"
    write_valid_portal(root)
    config = root / "mkdocs.yml"  # no search; agencies not listed one by one: report pages share their sidebars
    text = re.sub(r"      nav_agencies_max: \d+\n", "      nav_agencies_max: 0\n", config.read_text(encoding="utf-8"))
    config.write_text(text.replace("      feed_entries: 50\n", "      feed_entries: 50\n      search: false\n"),
                      encoding="utf-8")
    portal = Portal(root)
    with_shell, without, filled = both_ways(_in_process(portal), tmp_path)
    assert_same(with_shell, without)
    assert filled > 0


def test_payloads_past_the_validator_are_the_same_with_and_without_the_shell(tmp_path: Path) -> None:
    def build(site: Path) -> None:
        root = site.parent / f"portal-{site.name}"
        build_past_the_validator(root)
        shutil.move(str(root / "site"), str(site))

    with_shell, without, _ = both_ways(build, tmp_path)
    assert_same(with_shell, without)


def test_a_broken_shell_is_caught_by_the_comparison(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above can fail: a shell that leaves out a hole's value gives other pages."""
    make = PageShells.make

    def broken(self: PageShells, *args: Any) -> Shell | None:
        shell = make(self, *args)
        if shell is None:
            return None
        fixed, holes = list(shell.fixed), list(shell.holes)
        at = holes.index("description")
        del holes[at]
        fixed[at:at + 2] = [fixed[at] + fixed[at + 1]]
        return Shell(tuple(fixed), tuple(holes))

    portal = _portal(tmp_path / "portal")
    monkeypatch.setattr(PageShells, "make", broken)
    with_shell, without, filled = both_ways(_in_process(portal), tmp_path)
    assert filled > 0
    assert with_shell.keys() == without.keys()
    assert [name for name in with_shell if with_shell[name] != without[name]] != []


def test_cut_refuses_a_marker_changed_by_a_filter() -> None:
    probe = {"title": "\ue000title\ue001", "content": "\ue000content\ue001"}
    shell = cut("<h1>\ue000title\ue001</h1>\ue000content\ue001<p>", probe)
    assert shell == Shell(("<h1>", "</h1>", "<p>"), ("title", "content"))
    assert shell.fill({"title": "T", "content": "C"}) == "<h1>T</h1>C<p>"
    assert cut("<h1>\ue000TITLE\ue001</h1>", probe) is None
    assert cut("<h1>\ue000tit</h1>", probe) is None


@pytest.mark.parametrize(("title", "plain"), [
    ("示例区人民政府 2024年报告", True), ("", False), ("a  b", False), (" a", False), ("a<b", False),
    ("a&b", False), ("a\"b", False), ("a'b", False), ("a\nb", False)])
def test_a_title_is_shelled_only_when_every_filter_leaves_it_alone(title: str, plain: bool) -> None:
    assert plain_title(title) is plain


def test_every_hole_has_a_marker_in_each_probe() -> None:
    for probe in page_shell._PROBES:
        assert sorted(probe) == sorted(page_shell.HOLES)
    assert page_shell._PROBES[0] != page_shell._PROBES[1]
