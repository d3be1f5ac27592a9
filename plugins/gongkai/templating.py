"""The one Jinja environment factory: package templates (pages and tables), overridable by a site."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    select_autoescape,
)
from markupsafe import Markup, escape

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def markdown_inline(text: str) -> str:
    """Backslash-escape every Markdown punctuation character, so the text reads as typed."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def date_zh(value: date) -> str:
    """2025-01-20 → 2025年1月20日."""
    return f"{value.year}年{value.month}月{value.day}日"


def md(text: str) -> Markup:
    """Plain text made safe for Markdown inline content (no emphasis, links or markup)."""
    return Markup(escape(markdown_inline(str(text))))


def make_environment(override_dirs: Sequence[Path] = (), *, keep_trailing_newline: bool = True) -> Environment:
    """Templates from ``override_dirs`` first (e.g. ``overrides/gongkai``), then the package's.

    Autoescaping stays on for Markdown templates too: an HTML entity reads the same in Markdown.
    Pages keep their trailing newline; ``render_table``'s own default drops it.
    """
    loaders: list[BaseLoader] = [FileSystemLoader([str(d) for d in override_dirs])] if override_dirs else []
    loaders.append(PackageLoader("gongkai", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=keep_trailing_newline,
    )
    env.filters["date_zh"] = date_zh
    env.filters["md"] = md
    return env
