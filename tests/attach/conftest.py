"""The attachment tests: helpers in attach_kit.py (this folder is put on sys.path); every test starts
with new MkDocs plugin instances, as in tests/site (a preview's plugin must not serve the next build)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from attach_kit import site_module  # noqa: E402

fresh_plugins = site_module("conftest").fresh_plugins
