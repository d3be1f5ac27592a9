"""The site's search index, made by Pagefind from the built pages: a page view loads no index,
a query loads only the index chunks and result fragments it needs.

Only what readers search for is indexed: the pages whose content the theme marks with
``data-pagefind-body`` (every page but the listings, see ``overrides/main.html``), without their
tables (every report repeats the same labels and mostly the same numbers) and the links back to
the listings. The index is written next to the site's pages and swapped in whole, so a failure
leaves the previous index as it was.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

INDEX_DIR = "pagefind"  # <site>/pagefind/pagefind.js, as overrides/assets/gongkai-search.js loads it
LANGUAGE = "zh"  # Pagefind's extended build segments Chinese words for this language
# Inside the indexed content: the tables, the headings' permalink signs, a report's publication
# date and format (a query for 2023年 should find the 2023 reports, not those published in 2023)
# and its links to the listings.
EXCLUDED = ("table", ".headerlink", ".gk-report-meta", ".gk-report-links")
TIMEOUT_SECONDS = 3600
# Pagefind's ready-made interfaces: the site has its own search box (assets/gongkai-search.js).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class SearchIndexError(Exception):
    """The search index could not be made; the message (Chinese) says why and what to do."""


@dataclass(frozen=True)
class SearchIndex:
    folder: Path
    pages: int  # pages indexed (-1 when Pagefind did not say)
    seconds: float


def pagefind_command(site_dir: Path, output: Path) -> list[str]:
    """The Pagefind command line that indexes ``site_dir`` into ``output``."""
    return [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-path", str(output),
            "--force-language", LANGUAGE, "--exclude-selectors", ", ".join(EXCLUDED)]


def build_search_index(site_dir: Path, *, timeout: float = TIMEOUT_SECONDS) -> SearchIndex:
    """Indexes the built site in ``site_dir`` into ``site_dir/pagefind``, replacing the old index whole."""
    started = time.perf_counter()
    site_dir = Path(site_dir)
    target = site_dir / INDEX_DIR
    fresh = site_dir / f".{INDEX_DIR}.new"
    stale = site_dir / f".{INDEX_DIR}.old"
    for leftover in (fresh, stale):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        proc = subprocess.run(pagefind_command(site_dir, fresh), capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchIndexError(f"站内搜索索引在 {timeout:.0f} 秒内未生成完毕，已放弃；网站其余部分已生成，"
                               "原有的搜索索引保持不变") from None
    if proc.returncode != 0 or not (fresh / "pagefind.js").is_file():
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchIndexError(_failure_message(proc))
    for name in UNUSED:
        (fresh / name).unlink(missing_ok=True)
    if target.exists():
        target.rename(stale)
    fresh.rename(target)
    shutil.rmtree(stale, ignore_errors=True)
    return SearchIndex(target, _pages_indexed(proc.stdout), time.perf_counter() - started)


def _failure_message(proc: subprocess.CompletedProcess[str]) -> str:
    output = (proc.stderr or proc.stdout or "").strip()
    if "No module named pagefind" in output or "pagefind_bin" in output or "executable" in output.lower():
        return ("找不到站内搜索工具 Pagefind：请在本项目的 Python 环境中安装它"
                "（pip install -e . 或 pip install \"pagefind[extended]\"），再生成网站")
    tail = "\n".join(output.splitlines()[-8:])
    return f"站内搜索索引生成失败（Pagefind 退出码 {proc.returncode}），原有的搜索索引保持不变：\n{tail}"


def _pages_indexed(stdout: str) -> int:
    match = re.search(r"Indexed (\d+) pages?", stdout)
    return int(match.group(1)) if match else -1
