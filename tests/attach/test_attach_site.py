"""The attachments in a built portal: beside every report page, linked from it with their sizes,
the same bytes on a rebuild, left out with ``attachments: false``, a draft's left out of a
published build, and written in preview (`mkdocs serve`) too, so that no link is ever broken."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from attach_kit import ARCHIVES, site_module
from mkdocs.commands.build import build
from mkdocs.config import load_config

from gongkai.attachments import FRAGMENT, KINDS, Kind, file_name, make
from gongkai.collection import load_portal
from gongkai.model import Report
from gongkai.opendata.site import size_text

SITE = site_module("conftest")
DRAFT = "xinjian-zhen"


def with_draft(portal: Any) -> None:
    text = SITE.variant(SITE.seed_text(), slug=DRAFT, name="新建镇人民政府")
    portal.write_report(f"{DRAFT}/2024.yml", text.replace("\npublished:", "\nstatus: draft\npublished:", 1))


def make_site(root: Path) -> Any:
    portal = SITE.make_portal(root)
    portal.write_report("cundang-zhen/2024.yml", (ARCHIVES / "blank_total_acknowledged_2021.yml").read_text("utf-8"))
    with_draft(portal)
    return portal


def published_reports(portal: Any) -> list[Report]:
    loaded = load_portal([portal.reports], base=portal.root)
    return [r for r in loaded.reports if not r.draft]


def attachment_hashes(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file() and p.suffix in (".docx", ".htm")
            and p.name.count("-") and p.parent.name.isdigit()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Any:
    portal = make_site(tmp_path_factory.mktemp("attach") / "portal")
    result = portal.build("--strict")
    assert result.returncode == 0, result.stderr
    return portal


def links(portal: Any, report: Report) -> dict[Kind, tuple[object, Path]]:
    """The report page's link to each attachment, and the file it leads to."""
    url = f"reports/{report.agency.slug}/{report.year}/"
    downloads = portal.page(url).find("ul", class_="gk-downloads")
    found = {}
    for kind in KINDS:
        anchor = next(a for a in downloads.find_all("a") if a.text.startswith(kind.title))
        found[kind] = (anchor, portal.resolve(url, anchor.attrs["href"]))
    return found


def test_every_report_page_links_its_three_attachments_with_their_sizes(built: Any) -> None:
    reports = published_reports(built)
    assert len(reports) == 13
    for report in reports:
        for kind, (anchor, path) in links(built, report).items():
            assert path == built.site / "reports" / report.agency.slug / str(report.year) / file_name(report, kind)
            assert anchor.text == f"{kind.title}（{kind.type}，{size_text(path.stat().st_size)}）"
            assert "download" in anchor.attrs and anchor.attrs["type"] == kind.media_type
            assert kind.description in anchor.parent.text  # what it is for, in one line
            assert path.read_bytes() == make(report, kind)  # the file is the report's, made as `gongkai export` makes it
    assert "集约化 CMS" in FRAGMENT.description


def test_a_draft_is_left_out_with_its_attachments(built: Any) -> None:
    assert not (built.site / "reports" / DRAFT).exists()


def test_an_archive_attachment_holds_its_note(built: Any) -> None:
    fragment = built.site / "reports" / "cundang-zhen" / "2024" / "cundang-zhen-2024.fragment.htm"
    assert "原文数据说明" in fragment.read_text(encoding="utf-8")


def test_a_rebuild_gives_the_same_bytes(built: Any, tmp_path: Path) -> None:
    first = attachment_hashes(built.site)
    assert len(first) == 13 * 3
    time.sleep(1)  # another second on the clock: nothing of it may reach the files
    result = built.build("--strict")
    assert result.returncode == 0, result.stderr
    assert attachment_hashes(built.site) == first


def test_a_portal_can_turn_them_off(tmp_path: Path) -> None:
    portal = SITE.make_portal(tmp_path / "portal")
    config = portal.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - gongkai:\n", "  - gongkai:\n      attachments: false\n", 1), encoding="utf-8")
    result = portal.build("--strict")
    assert result.returncode == 0, result.stderr
    assert attachment_hashes(portal.site) == {}
    page = (portal.site / "reports" / "shifan-zhen" / "2024" / "index.html").read_text(encoding="utf-8")
    assert "2024年度报告数据（CSV 文件" in page and "嵌入片段" not in page and "Word 文档" not in page


def test_preview_writes_them_and_a_save_remakes_them(tmp_path: Path) -> None:
    portal = SITE.make_portal(tmp_path / "portal", copy_reports=False)
    portal.write_report("shifan-zhen/2024.yml", SITE.seed_text())
    with_draft(portal)
    config_file = str(portal.root / "mkdocs.yml")

    def serve_build() -> None:  # one rebuild as `mkdocs serve --dirty` makes it
        config = load_config(config_file)
        config.plugins.on_startup(command="serve", dirty=True)
        build(config, dirty=True)

    serve_build()
    draft = load_portal([portal.reports / DRAFT], base=portal.root).reports[0]
    for kind, (_, path) in links(portal, draft).items():  # a draft, shown in preview, has its attachments
        assert path.is_file(), kind
        if kind is not KINDS[2]:
            assert "草稿：本报告尚未发布" in path.read_text(encoding="utf-8")
    source = portal.reports / "shifan-zhen" / "2024.yml"
    source.write_text(source.read_text(encoding="utf-8").replace("示例镇人民政府", "示例镇人民政府（改）"),
                      encoding="utf-8")
    later = time.time() + 2
    os.utime(source, (later, later))
    serve_build()
    report = load_portal([source], base=portal.root).reports[0]
    for kind, (anchor, path) in links(portal, report).items():
        assert path.read_bytes() == make(report, kind), kind
        assert anchor.text == f"{kind.title}（{kind.type}，{size_text(path.stat().st_size)}）"
    assert "示例镇人民政府（改）" in links(portal, report)[FRAGMENT][1].read_text(encoding="utf-8")


def test_the_preview_server_serves_them_as_they_are_published(tmp_path: Path) -> None:
    """`mkdocs serve` puts a live-reload script into what it serves as ".html": not into these."""
    portal = SITE.make_portal(tmp_path / "portal", copy_reports=False)
    portal.write_report("shifan-zhen/2024.yml", SITE.seed_text())
    (report,) = load_portal([portal.reports], base=portal.root).reports
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=portal.root,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}/reports/shifan-zhen/2024/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(base, timeout=20) as response:
                    page = SITE.parse_html(response.read().decode("utf-8"))
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.5)
        downloads = page.find("ul", class_="gk-downloads")
        for kind in KINDS:
            anchor = next(a for a in downloads.find_all("a") if a.text.startswith(kind.title))
            with urllib.request.urlopen(base + anchor.attrs["href"], timeout=20) as response:
                assert response.status == 200 and response.read() == make(report, kind), kind
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def test_links_hold_without_directory_urls(tmp_path: Path) -> None:
    portal = SITE.make_portal(tmp_path / "portal", copy_reports=False)
    portal.write_report("shifan-zhen/2024.yml", SITE.seed_text())
    portal.set_config(use_directory_urls=False)
    result = portal.build("--strict")
    assert result.returncode == 0, result.stderr
    (report,) = load_portal([portal.reports], base=portal.root).reports
    page = portal.page("reports/shifan-zhen/2024.html")
    for kind in KINDS:
        anchor = next(a for a in page.find("ul", class_="gk-downloads").find_all("a") if a.text.startswith(kind.title))
        assert anchor.attrs["href"] == f"2024/{file_name(report, kind)}"
        assert portal.resolve("reports/shifan-zhen/2024.html", anchor.attrs["href"]).read_bytes() == make(report, kind)
