"""The Jinja environment for generated pages: the project's one environment, with the pages' filters."""

from __future__ import annotations

import weakref
from datetime import date
from pathlib import Path
from typing import Sequence

from jinja2 import Environment
from markupsafe import Markup

from .. import templating
from ..deadlines import deadline_summary
from .text import markdown_text


def date_zh(value: date) -> str:
    """2025-01-20 → 2025年1月20日."""
    return f"{value.year}年{value.month}月{value.day}日"


def md(text: str) -> Markup:
    """Plain text made safe for Markdown inline content (no emphasis, links, markup or entity)."""
    return Markup(markdown_text(str(text)))


_PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


_CHECKED: weakref.WeakKeyDictionary[Environment, dict[tuple[str, ...], bool]] = weakref.WeakKeyDictionary()


def package_templates(env: Environment, names: Sequence[str]) -> bool:
    """Whether ``env`` finds each of these templates in the package (a site may override any);
    answered once per environment (Jinja too keeps a template it found until its file changes)."""
    known = _CHECKED.setdefault(env, {})
    key = tuple(names)
    if key not in known:
        known[key] = all(_in_package(env, name) for name in names)
    return known[key]


def _in_package(env: Environment, name: str) -> bool:
    filename = env.get_template(name).filename
    return filename is not None and Path(filename).resolve() == _PACKAGE_TEMPLATES / name


def make_environment(override_dirs: Sequence[Path] = ()) -> Environment:
    """The project's environment (``gongkai.templating``) with the pages' filters: site overrides first."""
    env = templating.make_environment(override_dirs)
    env.filters["date_zh"] = date_zh
    env.filters["md"] = md
    env.globals["deadline_summary"] = deadline_summary
    return env
