"""The cyclic garbage collector during a build: paused from the reports' loading until the pages
are written, what lives until the build ends then set aside (``gc.freeze``), and running again
after every build, whether it succeeded or failed (a serve process or a test session goes on)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from .conftest import Portal, make_portal, seed_text


@pytest.fixture(autouse=True)
def collector_as_found() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    (gc.enable if enabled else gc.disable)()


@pytest.fixture
def portal(tmp_path: Path) -> Portal:
    portal = make_portal(tmp_path / "portal", copy_reports=False)
    portal.write_report("shifan-zhen/2024.yml", seed_text())
    return portal


def build_in_process(portal: Portal, command: str = "build") -> None:
    config = load_config(str(portal.root / "mkdocs.yml"))
    config.plugins.on_startup(command=command, dirty=False)
    build(config)


def test_a_build_sets_what_lives_aside_and_leaves_the_collector_running(portal: Portal) -> None:
    gc.enable()
    gc.unfreeze()
    build_in_process(portal)
    assert gc.isenabled()
    assert gc.get_freeze_count() > 10_000  # the reports, the index, the files and nav of the build
    assert (portal.site / "reports" / "shifan-zhen" / "2024" / "index.html").is_file()


def test_a_serve_rebuild_gives_the_last_builds_objects_back_to_the_collector(portal: Portal) -> None:
    gc.enable()
    gc.unfreeze()
    config = load_config(str(portal.root / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    first = gc.get_freeze_count()
    build(config)
    # Unfrozen at the second build's start, frozen again at its pages: not the first's plus the second's.
    assert 0 < gc.get_freeze_count() < first * 1.5 and gc.isenabled()


def test_a_build_that_stops_on_a_report_leaves_the_collector_running(portal: Portal,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    portal.write_report("shifan-zhen/2023.yml", seed_text().replace("{natural_person: 9,", "{natural_person: 7,", 1))
    gc.enable()
    with pytest.raises(Exception):  # noqa: B017 - MkDocs' Abort; the message is logged
        build_in_process(portal)
    assert "校验未通过" in caplog.text
    assert gc.isenabled()


def test_a_build_that_fails_after_its_reports_were_loaded_leaves_the_collector_running(
        portal: Portal, caplog: pytest.LogCaptureFixture) -> None:
    (portal.root / "docs" / "reports").mkdir(parents=True, exist_ok=True)
    (portal.root / "docs" / "reports" / "index.md").write_text("# 同名页面\n", encoding="utf-8")
    gc.enable()
    with pytest.raises(Exception):  # noqa: B017 - MkDocs' Abort; the message is logged
        build_in_process(portal)
    assert "同名" in caplog.text  # failed in on_files, after on_config paused the collector
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off(portal: Portal) -> None:
    gc.disable()
    build_in_process(portal)
    assert not gc.isenabled()


def test_the_collector_is_paused_from_the_loading_until_the_pages(portal: Portal) -> None:
    gc.enable()
    config = load_config(str(portal.root / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    assert not gc.isenabled()  # planning: the reports, the index and open data's plan are made
    config.plugins.on_build_error(error=RuntimeError("stopped here"))
    assert gc.isenabled()


def test_a_build_releases_the_pinyin_dictionaries_once_its_codes_are_made(tmp_path: Path) -> None:
    import sys

    from gongkai.slugs import slug_for

    portal = make_portal(tmp_path / "roster-portal")  # the samples and their roster: group codes from names
    slug_for("示例区人民政府")  # loaded before the build, as a build that makes codes does
    build_in_process(portal)
    assert not [name for name in sys.modules if name.split(".")[0] == "pypinyin"]
    assert (portal.site / "reports" / "index.html").is_file()
