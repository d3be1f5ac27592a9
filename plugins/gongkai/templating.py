"""The one Jinja environment factory: the package's templates (pages and tables), overridable by a site.

The pages add their filters to it (``gongkai.pages.templates``); the tables use it as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def make_environment(override_dirs: Sequence[Path] = (), *, keep_trailing_newline: bool = True) -> Environment:
    """Templates from ``override_dirs`` first (e.g. ``overrides/gongkai``), then the package's.

    Autoescaping stays on for Markdown templates too: an HTML entity reads the same in Markdown.
    Pages keep their trailing newline; ``render_table``'s own default drops it.
    """
    loaders: list[BaseLoader] = [FileSystemLoader([str(d) for d in override_dirs])] if override_dirs else []
    loaders.append(PackageLoader("gongkai", "templates"))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=keep_trailing_newline,
    )
