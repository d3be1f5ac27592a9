"""The search index made while the site is written (the plugin's on_post_page gives every page
to ``gongkai.search.Indexer`` as it is written; Pagefind indexes a year's part while the next
years are written): the index holds exactly what one read back from the built pages holds, and
a part that fails, or a build that fails while Pagefind runs, leaves the last good site and no
process behind."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from gongkai import search
from gongkai.mkdocs_plugin import plugin as plugin_module
from gongkai.search import INDEX_DIR, PARTS_FILE, build_search_index

from .conftest import Portal, make_portal

PART_PAGES = "6"  # the sample portal's index in parts, as a large portal's


def fragments(index: Path) -> dict[str, bytes]:
    """Every page's fragment in the index (its text, title, URL and year), whatever part holds it."""
    return {p.name: p.read_bytes() for p in index.glob("*/fragment/*.pf_fragment")}


@pytest.fixture(scope="module")
def in_parts(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    portal = make_portal(tmp_path_factory.mktemp("parts") / "portal")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GONGKAI_SEARCH_PART_PAGES", PART_PAGES)
        result = portal.build("--strict")
    assert result.returncode == 0, result.stderr
    return portal


def test_the_index_made_while_writing_holds_what_a_read_back_makes(in_parts: Portal, tmp_path: Path) -> None:
    manifest = json.loads((in_parts.site / INDEX_DIR / PARTS_FILE).read_text(encoding="utf-8"))
    assert {y for p in manifest["parts"] for y in p["years"]} == set(range(2019, 2025))
    assert len(manifest["parts"]) > 6
    copy = tmp_path / "site"
    shutil.copytree(in_parts.site, copy, ignore=shutil.ignore_patterns(INDEX_DIR))
    read_back = build_search_index(copy)  # every page read from disk, in one part (this process's PART_PAGES)
    assert read_back.parts == ("all",)
    made, expected = fragments(in_parts.site / INDEX_DIR), fragments(read_back.folder)
    assert len(made) == read_back.pages > 20
    assert made == expected  # the same pages, with the same text, byte for byte
    assert not [p for p in in_parts.site.iterdir() if p.name.startswith(f".{INDEX_DIR}")]


def test_a_part_that_fails_while_pages_are_written_fails_the_build_and_keeps_the_site(
        in_parts: Portal, monkeypatch: pytest.MonkeyPatch) -> None:
    before = in_parts.snapshot()
    siblings = sorted(p.name for p in in_parts.root.iterdir())
    monkeypatch.setenv("GONGKAI_SEARCH_PART_PAGES", PART_PAGES)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")  # every part fails, the first while pages are written
    result = in_parts.build()
    assert result.returncode != 0
    assert "gongkai：站内搜索索引生成失败（Pagefind 退出码 1），原有的搜索索引保持不变" in result.stderr
    assert "Traceback" not in result.stderr and "Error building page" not in result.stderr
    assert in_parts.snapshot() == before
    assert sorted(p.name for p in in_parts.root.iterdir()) == siblings  # the staged site discarded


def test_a_build_that_fails_while_pagefind_runs_stops_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    portal = make_portal(tmp_path / "portal")
    pids = tmp_path / "pagefind.pids"
    sleeper = tmp_path / "pagefind"
    sleeper.write_text(f"#!/bin/sh\necho $$ >> {pids}\nexec sleep 60\n", encoding="utf-8")
    sleeper.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(sleeper))
    monkeypatch.setattr(search, "PART_PAGES", int(PART_PAGES))
    written = 0
    release = plugin_module.release_page

    def release_then_fail(page: object) -> None:  # a page that cannot be written, once Pagefind runs
        nonlocal written
        written += 1
        if written == 25:
            deadline = time.monotonic() + 120
            while not pids.exists() and time.monotonic() < deadline:  # the worker is a page or two behind
                time.sleep(0.05)
            raise RuntimeError("a page that cannot be written")
        release(page)  # type: ignore[arg-type]

    monkeypatch.setattr(plugin_module, "release_page", release_then_fail)
    with pytest.raises(RuntimeError, match="cannot be written"):
        portal.build_in_process()
    started = [int(pid) for pid in pids.read_text(encoding="utf-8").split()]
    assert started  # Pagefind was running beside the build
    for pid in started:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # stopped and waited for
    assert not [p for p in portal.site.iterdir() if p.name.startswith(f".{INDEX_DIR}")]


def test_every_built_page_reads_the_same_by_tokens_and_by_the_parser(in_parts: Portal) -> None:
    parts = [search.indexed_part(p.read_text(encoding="utf-8")) for p in sorted(in_parts.site.rglob("*.html"))]
    read = [part for part in parts if part is not None]
    assert sum(search._read_plain(part) is not None for part in read) >= len(read) - 2 > 20  # all but the charts
    for part in read:
        assert search.read_part(part) == search.read_part_parsed(part)


def test_the_service_indexes_the_portal_as_the_command_line_on_files_did(in_parts: Portal, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    for relative, path in search._pages(in_parts.site):  # every page's small page, as a file
        d = search.digest(path.read_text(encoding="utf-8"))
        if d is not None and (d.title or d.blocks):
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_text(search.digest_html(d, search.page_year(relative)), encoding="utf-8")
    result = subprocess.run(search.pagefind_command(folder, tmp_path / "index"), capture_output=True)
    assert result.returncode == 0, result.stdout + result.stderr
    made = fragments(in_parts.site / INDEX_DIR)
    assert made == {p.name: p.read_bytes() for p in (tmp_path / "index" / "fragment").iterdir()} and len(made) > 20
