"""The Jinja environment for generated pages: package templates, overridable by a site."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Sequence

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from ..roster import deadline_summary
from .text import markdown_inline


def date_zh(value: date) -> str:
    """2025-01-20 → 2025年1月20日."""
    return f"{value.year}年{value.month}月{value.day}日"


def md(text: str) -> Markup:
    """Plain text made safe for Markdown inline content (no emphasis, links or markup)."""
    return Markup(escape(markdown_inline(str(text))))


def make_environment(override_dirs: Sequence[Path] = ()) -> Environment:
    """Templates from ``override_dirs`` first (e.g. ``overrides/gongkai``), then the package's.

    Autoescaping stays on for Markdown templates too: an HTML entity reads the same in Markdown.
    """
    loaders = [FileSystemLoader([str(d) for d in override_dirs])] if override_dirs else []
    loaders.append(PackageLoader("gongkai", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date_zh"] = date_zh
    env.filters["md"] = md
    env.globals["deadline_summary"] = deadline_summary
    return env
