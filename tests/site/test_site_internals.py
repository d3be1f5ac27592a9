"""Each MkDocs or Material internal that ``gongkai.mkdocs_plugin.internals`` relies on is still there.

When an upgrade removes one, the test named for it in the module's header fails here, loudly,
instead of a dirty rebuild or the search index silently going wrong.
"""

from __future__ import annotations

import inspect
import logging
from pathlib import Path

import jinja2
import material
from material.plugins.search.plugin import SearchIndex, SearchPlugin
from mkdocs.commands import build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import EVENTS, BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.theme import Theme
from mkdocs.utils import CountHandler

from gongkai.mkdocs_plugin import internals, page_shell


def test_the_header_names_every_guard_in_this_file() -> None:
    guards = {name for name in globals() if name.startswith("test_mkdocs") or name.startswith("test_material")
              or name.startswith("test_generated") or name.startswith("test_pages")}
    header = internals.__doc__ or ""
    assert guards and all(f"``{name}``" in header for name in guards), guards


def test_mkdocs_asks_is_modified_in_dirty_builds() -> None:
    assert callable(File.is_modified)
    source = inspect.getsource(build)
    assert "dirty and not page.file.is_modified()" in source
    assert not hasattr(File, "__slots__")  # the method can be replaced on one file


def test_generated_files_may_point_at_any_file(tmp_path: Path) -> None:
    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "site_dir": str(tmp_path / "site"), "docs_dir": str(tmp_path)})
    config.validate()
    config.plugins._current_plugin = "gongkai"  # as while an event runs
    source = tmp_path / "2024.yml"
    source.write_text("year: 2024\n", encoding="utf-8")
    file = File.generated(config, "reports/x/2024.md", abs_src_path=str(source))
    assert file.abs_src_path == str(source) and file.url == "reports/x/2024/"
    assert "page_read_source" in EVENTS
    assert "config.plugins.on_page_read_source(page=self" in inspect.getsource(Page.read_source)


def test_pages_keep_their_text_in_plain_attributes() -> None:
    for name in ("markdown", "content"):
        assert not isinstance(inspect.getattr_static(Page, name, None), property), name
    assert "self.content = md.convert(self.markdown)" in inspect.getsource(Page.render)


def test_mkdocs_checks_anchor_links_only_after_every_page_is_written(tmp_path: Path) -> None:
    """``release_page`` checks a page's links to its own anchors itself and shares identical sets of
    anchors between pages: MkDocs reads ``links_to_anchors`` and ``present_anchor_ids`` only in
    ``validate_anchor_links``, after every page is built, and tests anchors with ``in``."""
    source = inspect.getsource(build.build)
    assert source.index("_build_page(") < source.index("validate_anchor_links(") < source.index("on_post_build(")
    check = inspect.getsource(Page.validate_anchor_links)
    assert "if not self.links_to_anchors:" in check and "anchor in page.present_anchor_ids" in check
    assert "self.links_to_anchors.setdefault(self.file, {})" in inspect.getsource(Page.__dict__["render"].__globals__[
        "_RelativePathTreeprocessor"])  # a link to an anchor of the page itself names the page's own File
    # What release_page keeps gives the same warnings as what it had.
    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "site_dir": str(tmp_path / "site"), "docs_dir": str(tmp_path)})
    config.validate()
    (tmp_path / "a.md").write_text("# A\n\n## Here\n\n[there](#there) [here](#here) [b](b.md#nowhere)\n",
                                  encoding="utf-8")
    (tmp_path / "b.md").write_text("# B\n", encoding="utf-8")
    files = Files([File("a.md", str(tmp_path), str(tmp_path / "site"), True),
                   File("b.md", str(tmp_path), str(tmp_path / "site"), True)])
    pages = [Page(None, f, config) for f in files]
    for page in pages:
        page.read_source(config)
        page.render(config, files)
    first = pages[0]
    assert first.file in (first.links_to_anchors or {}) and "here" in (first.present_anchor_ids or ())
    internals.release_page(first)
    assert first.links_to_anchors == {first.file: {"there": "#there"}, pages[1].file: {"nowhere": "b.md#nowhere"}}
    assert isinstance(first.present_anchor_ids, frozenset) and "here" in first.present_anchor_ids
    warned: list[str] = []
    logger = logging.getLogger("mkdocs.structure.pages")
    handler = logging.Handler()
    handler.emit = lambda record: warned.append(record.getMessage())  # type: ignore[method-assign]
    logger.addHandler(handler)
    try:
        first.validate_anchor_links(files=files, log_level=logging.WARNING)
    finally:
        logger.removeHandler(handler)
    assert len(warned) == 2 and "'#there'" in warned[0] and "'#nowhere'" in warned[1], warned


def test_mkdocs_renders_every_page_before_writing_any() -> None:
    """Two passes: every page populated (read and rendered), then every page built; the template
    is chosen before ``on_page_context``, where a report page is read for real (``populate_now``)."""
    source = inspect.getsource(build.build)
    assert source.index("_populate_page(") < source.index("_build_page(")
    page_build = inspect.getsource(build._build_page)
    assert page_build.index("page.meta.get('template'") < page_build.index("on_page_context")
    assert page_build.index("on_page_context") < page_build.index("template.render(context)")


def test_populate_now_does_what_mkdocs_populate_does() -> None:
    """The same steps, in the same order, as ``_populate_page`` (bar ``on_pre_page``, run in the first pass)."""
    steps = ("page.read_source(config)", "config.plugins.on_page_markdown(", "page.render(config, files)",
             "config.plugins.on_page_content(")
    for source in (inspect.getsource(build._populate_page), inspect.getsource(internals.populate_now)):
        positions = [source.index(step) for step in steps]
        assert positions == sorted(positions), source
    assert "self.toc = get_toc(" in inspect.getsource(Page.render)  # release_page empties it


def test_material_search_keeps_its_index_where_we_read_it() -> None:
    plugin = SearchPlugin()
    assert plugin.search_index_prev is None
    index = SearchIndex()
    assert index.entries == []
    assert "prev" in inspect.signature(index.generate_search_index).parameters
    source = inspect.getsource(SearchPlugin.on_post_build)
    assert "self.search_index.generate_search_index(self.search_index_prev)" in source
    assert '"location"' in inspect.getsource(SearchIndex)


def test_material_search_indexes_in_page_context() -> None:
    assert "add_entry_from_context" in inspect.getsource(SearchPlugin.on_page_context)
    assert getattr(SearchPlugin.on_page_context, "mkdocs_priority", 0) > -100


def test_material_still_puts_autocomplete_on_checkboxes() -> None:
    base = (Path(material.__file__).parent / "templates" / "base.html").read_text(encoding="utf-8")
    toggles = [line for line in base.splitlines() if 'type="checkbox"' in line and "md-toggle" in line]
    assert len(toggles) == 2
    assert all(internals.drop_checkbox_autocomplete(line) != line for line in toggles)


def test_mkdocs_makes_a_theme_environment_per_build() -> None:
    assert "env = config.theme.get_env()" in inspect.getsource(build)
    assert "on_env" in inspect.getsource(build)
    assert callable(Theme.get_env)


def test_mkdocs_counts_warnings_on_its_logger() -> None:
    source = inspect.getsource(build)
    assert "utils.CountHandler()" in source and "logging.getLogger('mkdocs').addHandler(warning_counter)" in source
    assert source.index("on_post_build") < source.index("in strict mode!")  # the abort comes after post_build
    assert callable(CountHandler.get_counts)


# --- report pages written as HTML (internals.HtmlPages) ----------------------------------------


def test_mkdocs_render_sets_what_set_rendered_sets() -> None:
    """``set_rendered`` sets what ``Page.render`` sets, from the same sources; the title is read from
    ``_title_from_render``; links to anchors are kept only when the pages logger is above DEBUG."""
    source = inspect.getsource(Page.render)
    for line in ("self.content = md.convert(self.markdown)",
                 "self.toc = get_toc(getattr(md, 'toc_tokens', []))",
                 "self._title_from_render = extract_title_ext.title",
                 "extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids",
                 "if log.getEffectiveLevel() > logging.DEBUG:",
                 "self.links_to_anchors = relative_path_ext.links_to_anchors"):
        assert line in source, line
    assert source.count("self.") - source.count("self.markdown") == 7  # nothing else is set on the page
    assert "if self._title_from_render:" in inspect.getsource(Page.title.func)  # type: ignore[attr-defined]
    from mkdocs.structure import pages
    assert pages.log.name == internals._PAGES_LOG.name


def test_mkdocs_rewrites_a_link_to_a_page_as_link_resolver_does() -> None:
    from mkdocs.structure.pages import _RelativePathTreeprocessor
    source = inspect.getsource(_RelativePathTreeprocessor.path_to_url)
    for line in ("target_file = self.files.get_file_from_path(target_uri)",
                 "if target_file.inclusion.is_excluded():",
                 "path = utils.get_relative_url(target_file.url, self.file.url)",
                 "self.links_to_anchors.setdefault(self.file, {}).setdefault(anchor, url)"):
        assert line in source, line
    assert "posixpath.normpath(" in inspect.getsource(_RelativePathTreeprocessor._target_uri)


def test_mkdocs_collects_anchors_as_html_page_does() -> None:
    """Ids of the tree after toc (headings) and of raw HTML (``_HTMLHandler``), as ``HtmlPage.present_anchor_ids``;
    the title from the first element when an h1, its last ``headerlink`` dropped, tags stripped."""
    from mkdocs.structure import pages
    from mkdocs.utils import rendering

    from gongkai.pages import headings
    assert "if k == 'id' or (k == 'name' and tag == 'a'):" in inspect.getsource(pages._HTMLHandler.handle_starttag)
    assert 'priority=5)  # Same as \'toc\'' in inspect.getsource(pages._ExtractAnchorsTreeprocessor._register)
    assert "if el.tag == 'h1':" in inspect.getsource(pages._ExtractTitleTreeprocessor.run)
    assert "el[-1].get('class') == 'headerlink'" in inspect.getsource(rendering._remove_anchorlink)
    for text in ("a <b>c</b>  d", "<!-- x --> y\u3000z ", "&para; <a href='#x'>t</a>", "a < b", ""):
        assert headings.strip_tags(text) == rendering._strip_tags(text), text


def test_mkdocs_lists_each_events_handlers() -> None:
    """``markdown_handled_elsewhere`` reads ``PluginCollection.events``: per event, the bound methods MkDocs runs."""
    from mkdocs.plugins import PluginCollection

    class Other(BasePlugin):  # type: ignore[type-arg]
        def on_page_markdown(self, markdown: str, **kwargs: object) -> str:
            return markdown

    collection = PluginCollection()
    other = Other()
    collection["other"] = other
    assert [getattr(h, "__self__", None) for h in collection.events["page_markdown"]] == [other]
    assert set(internals.MARKDOWN_EVENTS) <= set(EVENTS)
    config = MkDocsConfig()
    config.plugins = collection  # type: ignore[assignment]
    assert internals.markdown_handled_elsewhere(config, object()) == ["Other"]
    assert internals.markdown_handled_elsewhere(config, other) == []


def test_markdown_serializes_as_html_page_writes() -> None:
    """The serializer's escaping (``escape_text``, ``escape_attribute``), the whitespace normalisation of
    raw HTML and the toc options ``HeadingStyle`` reads are Python-Markdown's."""
    from markdown import preprocessors, serializers
    from markdown.extensions.toc import TocTreeprocessor

    from gongkai.pages import headings
    assert headings._AMP.pattern == serializers.RE_AMP.pattern and headings._AMP.flags == serializers.RE_AMP.flags
    for text in ('a & b &amp; &#39; < > "q"', "&x; &#xZZ; &"):
        assert headings.escape_text(text) == serializers._escape_cdata(text)
        assert headings.escape_attribute(text) == serializers._escape_attrib_html(text)
    normalize = inspect.getsource(preprocessors.NormalizeWhitespace.run)
    assert "expandtabs(self.md.tab_length)" in normalize and r"re.sub(r'(?<=\n) +\n', '\n', source)" in normalize
    init = inspect.getsource(TocTreeprocessor.__init__)
    for attribute in ("use_permalinks", "permalink_class", "permalink_title", "permalink_leading", "use_anchors",
                      "anchorlink_class", "base_level", "toc_top", "toc_bottom", "slugify", "sep"):
        assert f"self.{attribute}" in init, attribute


def test_mkdocs_renders_a_blank_page_as_render_blank_cheaply_does(tmp_path: Path) -> None:
    import markdown

    assert "if not source.strip():\n            return ''" in inspect.getsource(markdown.Markdown.convert)
    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "site_dir": str(tmp_path / "site"), "docs_dir": str(tmp_path),
                      "markdown_extensions": ["attr_list", {"toc": {"permalink": True}}]})
    config.validate()
    config.plugins._current_plugin = "gongkai"  # as while an event runs
    files = Files([File.generated(config, "a.md", content=""), File.generated(config, "b.md", content="")])
    pages = [Page(None, file, config) for file in files]
    real = list(vars(pages[0]).items())
    for page in pages:
        page.markdown = " \n"
    pages[0].render(config, files)
    internals.render_blank_cheaply(pages[1])
    pages[1].render(config, files)
    assert "render" not in vars(pages[1])  # once only
    seen = [(p.content, list(p.toc), p.present_anchor_ids, p.links_to_anchors, p._title_from_render) for p in pages]
    assert seen[0] == seen[1] == ("", [], set(), {}, None)
    assert [p.title for p in pages] == ["A", "B"]  # from the file's name
    assert set(vars(pages[1])) - {"file"} == set(vars(pages[0])) - {"file"}, real
    later = Page(None, files.get_file_from_path("a.md"), config)  # not blank by then: MkDocs renders it
    internals.render_blank_cheaply(later)
    later.markdown = "# Titre\n"
    later.render(config, files)
    assert later.title == "Titre" and later.content is not None and 'id="titre"' in later.content


# --- report pages written from a shell (internals.render_from_shells) ---------------------------


def test_mkdocs_renders_a_page_by_its_templates_render() -> None:
    """``_build_page`` renders a page with ``env.get_template(<main.html or meta template>).render(context)``,
    the context a ``TemplateContext`` (a dict), and ``get_context`` gives the keys ``page_shell`` expects;
    Jinja makes an environment's templates of its ``template_class``."""
    source = inspect.getsource(build._build_page)
    assert "template = env.get_template(page.meta.get('template', 'main.html'))" in source
    assert "output = template.render(context)" in source
    context = build.get_context(nav=None, files=[], config=MkDocsConfig(), page=None)  # type: ignore[arg-type]
    assert isinstance(context, dict) and context.keys() == page_shell._CONTEXT
    env = jinja2.Environment(loader=jinja2.DictLoader({internals.SHELLED_TEMPLATE: "{{ page }}", "other": "x"}))
    calls: list[object] = []
    internals.render_from_shells(env, lambda context, jinja: calls.append(context) or "shell:" + jinja(context))
    assert env.get_template(internals.SHELLED_TEMPLATE).render({"page": "p"}) == "shell:p"
    assert env.get_template("other").render({"page": "p"}) == "x" and calls == [{"page": "p"}]
