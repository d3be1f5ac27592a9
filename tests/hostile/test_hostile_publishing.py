"""No failure leaves a half-published site or a half-written file; written files keep their mode."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from gongkai import publishing
from gongkai.writing import OutputError, write_atomically

from .test_hostile_catalogue import REPO, SEED, run, seed_text, snapshot


def _portal(root: Path) -> Path:
    root.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "overrides", root / "overrides")
    (root / "reports" / "shifan-zhen").mkdir(parents=True)
    (root / "reports" / SEED).write_text(seed_text(), encoding="utf-8")
    return root


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = _portal(tmp_path / "portal")
    done = run(root, ["mkdocs", "build"], 180)
    assert done.returncode == 0, done.stderr
    return root


def _build_in_process(root: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)


def _staging_left(root: Path) -> list[str]:
    return [p.name for p in root.iterdir() if p.name.startswith((publishing.STAGING_PREFIX, publishing.RETIRED_PREFIX))]


def test_a_render_crash_after_validation_leaves_the_site_byte_identical(built: Path, monkeypatch) -> None:
    from gongkai.rendering import tables

    before = snapshot(built / "site")
    (built / "reports" / SEED).write_text(seed_text().replace("{decisions: 290}", "{decisions: 291}"), encoding="utf-8")

    def crash(value):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(tables, "format_value", crash)
    with pytest.raises(RuntimeError, match="renderer crashed"):
        _build_in_process(built)
    assert snapshot(built / "site") == before
    assert _staging_left(built) == []


def test_a_crash_while_mkdocs_writes_pages_leaves_the_site(built: Path, monkeypatch) -> None:
    import mkdocs.commands.build as mkdocs_build

    before = snapshot(built / "site")
    real = mkdocs_build._build_page
    written: list[str] = []

    def crash_on_the_third_page(page, *args, **kwargs):
        written.append(page.file.src_uri)
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        return real(page, *args, **kwargs)

    monkeypatch.setattr(mkdocs_build, "_build_page", crash_on_the_third_page)
    with pytest.raises(OSError):
        _build_in_process(built)
    assert snapshot(built / "site") == before
    assert _staging_left(built) == []


def test_a_successful_build_replaces_the_site_and_keeps_its_mode(built: Path) -> None:
    os.chmod(built / "site", 0o750)
    (built / "site" / "stale.html").write_text("old", encoding="utf-8")
    (built / "reports" / SEED).write_text(seed_text().replace("{decisions: 290}", "{decisions: 291}"), encoding="utf-8")
    _build_in_process(built)
    assert not (built / "site" / "stale.html").exists()
    assert stat.S_IMODE(os.stat(built / "site").st_mode) == 0o750
    assert "291" in (built / "site" / "reports" / "shifan-zhen" / "2024" / "index.html").read_text(encoding="utf-8")
    assert _staging_left(built) == []


def test_strict_mode_warnings_abort_after_post_build_and_leave_the_site(built: Path) -> None:
    before = snapshot(built / "site")
    (built / "docs" / "broken.md").write_text("# 页面\n\n[坏链接](nowhere.md)\n", encoding="utf-8")
    done = run(built, ["mkdocs", "build", "--strict"], 180)
    assert done.returncode != 0 and "strict" in done.stderr, done.stderr
    assert snapshot(built / "site") == before
    assert _staging_left(built) == []


def test_serve_and_dirty_builds_write_in_place(tmp_path: Path) -> None:
    """Only a full `mkdocs build` stages: serve and --dirty keep writing into the folder they were given."""
    root = _portal(tmp_path / "portal")
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    site = config.site_dir
    config = config.plugins.on_config(config)
    assert config.site_dir == site


def test_publish_into_a_missing_site_and_discard_only_staging(tmp_path: Path) -> None:
    staging = publishing.stage(tmp_path / "site")
    (staging / "index.html").write_text("new", encoding="utf-8")
    publishing.publish(staging, tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "new"
    publishing.discard(tmp_path / "site")  # not a staging folder: left alone
    assert (tmp_path / "site").is_dir()


# --- files written by import and new ---------------------------------------------------------


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o600])
def test_force_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "2024.yml"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, mode)
    write_atomically(target, "new")
    assert stat.S_IMODE(os.stat(target).st_mode) == mode
    assert target.read_text(encoding="utf-8") == "new"


def test_a_new_file_gets_the_umask_default(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomically(tmp_path / "a" / "2024.yml", "new")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "a" / "2024.yml").st_mode) == 0o640


def test_gongkai_new_writes_with_the_umask_not_0600(tmp_path: Path) -> None:
    command = f"umask 022 && {sys.executable} -m gongkai new --agency x --year 2024 --name 示例镇人民政府 -o out.yml"
    done = subprocess.run(["sh", "-c", command], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(os.stat(tmp_path / "out.yml").st_mode) == 0o644


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file", encoding="utf-8")
    with pytest.raises(OutputError) as error:
        write_atomically(tmp_path / "blocker" / "2024.yml", "new")
    assert error.value.finding.rule == "output-unwritable" and "blocker" in error.value.finding.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]


# --- a report changing while it is read ---------------------------------------------------------


def test_a_file_rewritten_while_validate_reads_it_is_never_a_traceback(tmp_path: Path) -> None:
    target = tmp_path / "reports" / SEED
    target.parent.mkdir(parents=True)
    good = seed_text()
    bodies = [good, good[: len(good) // 2], "", good.replace("290", "0x10"), good * 2]
    target.write_text(good, encoding="utf-8")
    stop = threading.Event()

    def churn() -> None:
        index = 0
        while not stop.is_set():
            body = bodies[index % len(bodies)]
            try:
                target.write_text(body, encoding="utf-8")  # truncates, then writes: readers see every state
                if index % 7 == 0:
                    target.unlink()
            except OSError:
                pass
            index += 1

    writer = threading.Thread(target=churn)
    writer.start()
    try:
        for _ in range(6):
            done = run(tmp_path, ["gongkai", "validate", "reports"], 60)
            assert "Traceback" not in done.stdout + done.stderr, done.stderr
            assert done.returncode in (0, 1), done.stderr
    finally:
        stop.set()
        writer.join()

