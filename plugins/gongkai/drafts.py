"""Drafts: a report marked ``status: draft`` is previewed under a 草稿 banner and never published."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .findings import Finding
from .loading import SourceDocument, load_file
from .rules import Where, finding

STATUS_KEY = "status"
DRAFT, FINAL = "draft", "final"


def is_draft_value(value: Any) -> bool | None:
    """``status`` as written: True for draft, False for final or absent, None when invalid."""
    if value is None or value == FINAL:
        return False
    if value == DRAFT:
        return True
    return None


def status_finding(document: SourceDocument, value: Any) -> Finding:
    path = (STATUS_KEY,)
    return finding("invalid-status", Where.at(document.display_path, document.mark(path), path, "状态"),
                   expected=f"{DRAFT} 或 {FINAL}", actual=str(value))


def file_is_draft(path: Path) -> bool:
    """Whether a report file that did not parse says ``status: draft`` (read again: only for such files)."""
    document, _ = load_file(path, str(path))
    data = document.data if document is not None else None
    return isinstance(data, dict) and is_draft_value(data.get(STATUS_KEY)) is True
