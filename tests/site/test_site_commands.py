"""`gongkai build` and `gongkai serve`: the site without make, as editors run it (also on Windows)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .conftest import Portal, make_portal, seed_text

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}


def gongkai(portal: Portal, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gongkai", *args], cwd=portal.root, env=ENV, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


def test_build_publishes_into_the_output_folder_and_stops_on_errors(tmp_path: Path) -> None:
    portal = make_portal(tmp_path / "portal", copy_reports=False)
    portal.write_report("shifan-zhen/2024.yml", seed_text())
    done = gongkai(portal, "build", "-o", "public")
    assert done.returncode == 0, done.stderr
    assert "网站已生成：public" in done.stdout
    assert (portal.root / "public" / "reports" / "shifan-zhen" / "2024" / "index.html").is_file()

    portal.write_report("shifan-zhen/2024.yml", seed_text().replace("{natural_person: 9,", "{natural_person: 7,", 1))
    done = gongkai(portal, "build", "-o", "public2")
    assert done.returncode == 1
    assert "applications-balance" in done.stderr and "网站未生成" in done.stderr
    assert not (portal.root / "public2").exists()


def test_build_without_a_config_says_where_to_run_it(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "gongkai", "build"], cwd=tmp_path, env=ENV, capture_output=True,
                          text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 2 and "找不到网站配置文件 mkdocs.yml" in done.stderr


def test_serve_previews_the_portal(tmp_path: Path) -> None:
    portal = make_portal(tmp_path / "portal", copy_reports=False)
    portal.write_report("shifan-zhen/2024.yml", seed_text())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "gongkai", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=portal.root, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)  # its own process group: mkdocs, its child, ends with it
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/reports/shifan-zhen/2024/", timeout=20) as page:
                    assert "示例镇" in page.read().decode("utf-8")
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.5)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def test_validate_checks_the_footer_settings_of_mkdocs_yml(tmp_path: Path) -> None:
    """An editor who runs `gongkai validate` hears of a bad footer setting before the build stops on it,
    at its line in mkdocs.yml (MkDocs' own tags in the file are no obstacle)."""
    portal = make_portal(tmp_path)
    config = portal.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "!!python/object/apply" in text  # the sample's own configuration, tags and all
    good = gongkai(portal, "validate")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "mkdocs.yml" not in good.stdout
    config.write_text(text.replace('site_code: "0000000000"', 'site_code: "12345"'), encoding="utf-8")
    line = next(n for n, row in enumerate(config.read_text(encoding="utf-8").splitlines(), 1) if "site_code:" in row)
    bad = gongkai(portal, "validate")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert f"mkdocs.yml:{line}:9: 错误 [site-info-code]" in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=portal.root, env=ENV,
                           capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert built.returncode != 0 and "site-info-code" in built.stdout + built.stderr  # the build says the same
