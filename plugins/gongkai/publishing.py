"""Publish a site only when it was built whole: build into a sibling folder, then swap it in.

``stage(site)`` makes the empty sibling the build writes to; ``publish(staging, site)`` puts it
in place of ``site`` (rename the old site away, rename the new one in, remove the old one), and
``discard(staging)`` removes a failed build's folder. A failure at any step before the swap
leaves the last good site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

STAGING_PREFIX = ".gongkai-building-"
RETIRED_PREFIX = ".gongkai-previous-"


def _default_mode() -> int:
    """What ``mkdir`` would give a new folder under the current umask (mkdtemp gives 0700)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask


def stage(site: Path) -> Path:
    """An empty folder beside ``site`` (same file system, so the swap is a rename)."""
    parent = site.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{site.name}-", dir=parent))
    mode = os.stat(site).st_mode & 0o7777 if site.is_dir() else _default_mode()
    os.chmod(staging, mode)
    return staging


def publish(staging: Path, site: Path) -> None:
    """Replace ``site`` by ``staging``: two renames; the old site is removed only once the new one is in."""
    if not site.exists() and not site.is_symlink():
        os.rename(staging, site)
        return
    retired = Path(tempfile.mkdtemp(prefix=f"{RETIRED_PREFIX}{site.name}-", dir=site.parent))
    os.rmdir(retired)  # only its unique name is wanted
    try:
        os.rename(site, retired)
    except OSError:  # site/ is a mount point or busy: replace its contents instead
        _replace_contents(staging, site)
        return
    try:
        os.rename(staging, site)
    except OSError:
        os.rename(retired, site)  # put the last good site back
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _replace_contents(staging: Path, site: Path) -> None:
    """The fallback when ``site`` itself cannot be renamed: swap what it holds, entry by entry."""
    for entry in list(site.iterdir()):
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    for entry in list(staging.iterdir()):
        os.rename(entry, site / entry.name)
    staging.rmdir()


def discard(staging: Path | None) -> None:
    """Remove a failed build's folder (nothing else is touched)."""
    if staging is not None and staging.name.startswith(STAGING_PREFIX):
        shutil.rmtree(staging, ignore_errors=True)
