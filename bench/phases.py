"""CPU time of an in-process ``mkdocs build``, phase by phase (``bench/run.py --profile``).

Each phase is a function wrapped for the build: the CPU time (``time.process_time``, this
process only: Pagefind's indexer, a child process, is not in it) spent while the phase is the
innermost one running is counted to it, so the phases add up to the whole build without a
profiler's overhead. What no phase covers is MkDocs' own work ("other").

``templates=True`` splits the theme's template further: each template (Material's partials and
``overrides/``) and each block of ``base.html``/``main.html`` gets its own line, ``template: <name>``
(the time spent in its own code while it is the innermost one running, Jinja's runtime for its
includes, macros and filters included; a partial's time does not count to the template including it).
"""

from __future__ import annotations

import importlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

# (label, module, attribute path): the label of the innermost running one gets the time.
PHASES: tuple[tuple[str, str, str], ...] = (
    ("load + validate reports", "gongkai.collection", "ReportStore.load"),
    ("plan, index, open data set-up", "gongkai.mkdocs_plugin.plugin", "GongkaiPlugin.on_config"),
    ("generated files, navigation", "gongkai.mkdocs_plugin.plugin", "GongkaiPlugin.on_files"),
    ("MkDocs populate pass (all pages)", "mkdocs.commands.build", "_populate_page"),
    ("report page: Markdown source", "gongkai.pages.portal", "report_page"),
    ("report page: narratives (render + nh3)", "gongkai.pages.text", "render_narrative"),
    ("report page: HTML content (report_html)", "gongkai.pages.portal", "report_html"),
    ("report page: links (get_relative_url)", "gongkai.mkdocs_plugin.internals", "get_relative_url"),
    ("report page: set_rendered (toc)", "gongkai.mkdocs_plugin.internals", "set_rendered"),
    ("page descriptions (meta)", "gongkai.mkdocs_plugin.conventions", "Conventions.describe"),
    ("MkDocs Markdown render (Page.render)", "mkdocs.structure.pages", "Page.render"),
    ("page sanitizing (nh3, on_page_content)", "gongkai.mkdocs_plugin.plugin", "sanitize_html"),
    ("report tables (insert_tables)", "gongkai.pages.portal", "insert_tables"),
    ("report open data extras", "gongkai.opendata.site", "OpenData.report_extras"),
    ("report files made in this process", "gongkai.offload", "Offload._make"),
    ("theme template + write (_build_page)", "mkdocs.commands.build", "_build_page"),
    ("page shell: values and fill", "gongkai.mkdocs_plugin.page_shell", "PageShells.render"),
    ("page shell: key (sidebars, toc)", "gongkai.mkdocs_plugin.page_shell", "PageShells.key"),
    ("theme: Jinja render (not shelled pages)", "jinja2.environment", "Template.render"),
    ("page context (get_context)", "mkdocs.commands.build", "get_context"),
    ("page write (write_file)", "mkdocs.utils", "write_file"),
    ("on_post_page (search digests, …)", "mkdocs.plugins", "PluginCollection.on_post_page"),
    ("post_page: search digest (indexed_part + send)", "gongkai.search", "IndexerProcess.add"),
    ("post_page: checkbox autocomplete", "gongkai.mkdocs_plugin.plugin", "drop_checkbox_autocomplete"),
    ("post_page: release page", "gongkai.mkdocs_plugin.plugin", "release_page"),
    ("static and data files", "mkdocs.structure.files", "Files.copy_static_files"),
    ("on_post_build (search index, feed, swap)", "mkdocs.plugins", "PluginCollection.on_post_build"),
)


class Clock:
    """Exclusive CPU time per label: a stack of running phases."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.totals: dict[str, float] = {}
        self.stack: list[str] = ["other (MkDocs)"]
        self.since = time.process_time()

    def _switch(self) -> None:
        now = time.process_time()
        self.totals[self.stack[-1]] = self.totals.get(self.stack[-1], 0.0) + now - self.since
        self.since = now

    def wrap(self, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._switch()
            self.stack.append(label)
            try:
                return function(*args, **kwargs)
            finally:
                self._switch()
                self.stack.pop()
        return timed

    def wrap_generator(self, label: str, function: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        """The same for a generator function (a Jinja template's or block's render function): the
        time of each step counts to ``label``."""
        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            steps = function(*args, **kwargs)
            while True:
                self._switch()
                self.stack.append(label)
                try:
                    item = next(steps)
                except StopIteration:
                    return
                finally:
                    self._switch()
                    self.stack.pop()
                yield item
        return timed

    def stop(self) -> dict[str, float]:
        self._switch()
        return dict(self.totals)


@contextmanager
def _patched(owner: Any, name: str, value: Any) -> Iterator[None]:
    original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, original)


TEMPLATE_LABEL = "template: "


class _Block:
    """A block's timed render function that Jinja's ``super()`` still finds by the original one
    (the generated code looks the block it is in up in the context's list by identity or equality)."""

    def __init__(self, render: Callable[..., Any], timed: Callable[..., Any]) -> None:
        self.render, self.timed = render, timed

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.timed(*args, **kwargs)

    def __eq__(self, other: object) -> bool:
        return other is self or other is self.render

    def __hash__(self) -> int:
        return hash(self.render)


def _time_templates(clock: Clock, stack: ExitStack) -> None:
    """Each template Jinja loads from here on is timed by its name (and each of its blocks)."""
    from jinja2 import Environment, Template

    load = Environment._load_template

    def timed_load(self: Environment, name: str, globals: Any) -> Template:
        template = load(self, name, globals)
        if not getattr(template, "_phases_timed", False):
            template.root_render_func = clock.wrap_generator(  # type: ignore[method-assign]
                f"{TEMPLATE_LABEL}{name}", template.root_render_func)
            for block, render in list(template.blocks.items()):
                template.blocks[block] = _Block(render, clock.wrap_generator(
                    f"{TEMPLATE_LABEL}{name} {{% block {block} %}}", render))
            template._phases_timed = True  # type: ignore[attr-defined]
        return template

    stack.enter_context(_patched(Environment, "_load_template", timed_load))


def phase_times(config: Path, site_dir: Path, *, templates: bool = False) -> dict[str, float]:
    """CPU seconds per phase of one in-process build of ``config`` into ``site_dir``
    (``templates``: the theme's templates timed one by one, see the module's description)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    clock = Clock()
    cwd = os.getcwd()
    os.chdir(config.parent)
    try:
        with ExitStack() as stack:
            for label, module_name, path in PHASES:
                owner: Any = importlib.import_module(module_name)
                *parents, name = path.split(".")
                for parent in parents:
                    owner = getattr(owner, parent)
                if not hasattr(owner, name):
                    continue  # a phase this version of the code does not have
                stack.enter_context(_patched(owner, name, clock.wrap(label, getattr(owner, name))))
            if templates:
                _time_templates(clock, stack)
            cfg = load_config(config_file=str(config), site_dir=str(site_dir))
            clock.reset()  # from here: the build only
            build(cfg)
            return clock.stop()
    finally:
        os.chdir(cwd)


def format_phases(times: dict[str, float], n: int) -> str:
    total = sum(times.values())
    lines = [f"{'phase':<44} {'CPU s':>7} {'share':>6} {'ms/report':>9}"]
    for label, seconds in sorted(times.items(), key=lambda item: -item[1]):
        lines.append(f"{label:<44} {seconds:7.2f} {seconds / total:6.1%} {seconds / n * 1000:9.2f}")
    lines.append(f"{'total (this process)':<44} {total:7.2f} {1:6.1%} {total / n * 1000:9.2f}")
    return "\n".join(lines)
