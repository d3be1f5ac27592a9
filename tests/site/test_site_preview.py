"""Preview never blocks (`mkdocs serve`), publishing stays strict (`mkdocs build`), drafts stay out."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from .conftest import Portal, make_portal, seed_text, variant

PLACEHOLDER_OVERVIEW = "overview: |\n  【请填写】本年度总体情况。\n"


def with_status(text: str, status: str) -> str:
    return text.replace("\npublished:", f"\nstatus: {status}\npublished:", 1)


def unfinished(text: str) -> str:
    """The seed with its overview still the template's placeholder (as `gongkai new` leaves it)."""
    start = text.index("\noverview:")
    end = text.index("\n\n", start + 1)
    return text[:start + 1] + PLACEHOLDER_OVERVIEW.rstrip("\n") + text[end:]


def unbalanced(text: str) -> str:
    return text.replace("{natural_person: 9,", "{natural_person: 7,", 1)


@pytest.fixture
def portal(tmp_path: Path) -> Portal:
    portal = make_portal(tmp_path / "portal", copy_reports=False)
    portal.write_report("shifan-zhen/2024.yml", seed_text())
    return portal


def serve_build(portal: Portal) -> None:
    """One build as `mkdocs serve` makes it (on_startup says "serve")."""
    config = load_config(str(portal.root / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)


# --- publishing ------------------------------------------------------------------------


def test_publishing_leaves_drafts_out_and_names_them(portal: Portal) -> None:
    portal.write_report("xinjian-zhen/2024.yml",
                        with_status(variant(seed_text(), slug="xinjian-zhen", name="新建镇人民政府"), "draft"))
    portal.write_report("weiwan-zhen/2024.yml",
                        with_status(unfinished(variant(seed_text(), slug="weiwan-zhen", name="未完镇人民政府")), "draft"))
    result = portal.build("--strict")
    assert result.returncode == 0, result.stderr
    assert "2 份草稿（status: draft）未发布" in result.stderr
    assert "reports/xinjian-zhen/2024.yml" in result.stderr and "reports/weiwan-zhen/2024.yml" in result.stderr
    assert not (portal.site / "reports" / "xinjian-zhen").exists()
    assert not (portal.site / "reports" / "weiwan-zhen").exists()
    index = portal.content("reports/").text
    assert "新建镇" not in index and "未完镇" not in index and "示例镇" in index
    assert not (portal.site / "reports" / "_findings").exists()
    assert "gk-preview-banner" not in (portal.site / "index.html").read_text(encoding="utf-8")


def test_publishing_stops_on_an_unfinished_report_that_is_not_a_draft(portal: Portal) -> None:
    portal.write_report("weiwan-zhen/2024.yml", unfinished(variant(seed_text(), slug="weiwan-zhen", name="未完镇")))
    result = portal.build()
    assert result.returncode != 0
    assert "reports/weiwan-zhen/2024.yml" in result.stderr and "narrative-placeholder" in result.stderr
    assert not portal.site.exists()


def test_a_final_status_is_published_and_a_wrong_one_is_a_located_error(portal: Portal) -> None:
    portal.write_report("shifan-zhen/2024.yml", with_status(seed_text(), "final"))
    assert portal.build("--strict").returncode == 0
    portal.write_report("shifan-zhen/2024.yml", with_status(seed_text(), "ready"))
    result = portal.build()
    assert result.returncode != 0
    assert "[invalid-status]" in result.stderr and "reports/shifan-zhen/2024.yml:" in result.stderr


# --- preview -------------------------------------------------------------------------------


def test_preview_shows_every_valid_report_and_each_invalid_one_as_its_findings(portal: Portal) -> None:
    # a balance error, and a cell holding markup that must reach the page as text
    broken = unbalanced(variant(seed_text(), slug="cuowu-zhen", name="错误镇人民政府"))
    broken = broken.replace("{natural_person: 7,", '{natural_person: "<img src=x onerror=alert(1)>",', 1)
    portal.write_report("cuowu-zhen/2024.yml", broken)
    serve_build(portal)

    assert "示例镇" in portal.content("reports/shifan-zhen/2024/").text
    page = portal.page("reports/cuowu-zhen/2024/")
    content = page.find("article")
    text = content.text
    assert "reports/cuowu-zhen/2024.yml" in text and "wrong-type" in text and "第 " in text
    assert "＜img src=x onerror=alert(1)＞" in text  # shown as text (the finding quotes it with full-width ＜＞) …
    assert not [img for img in content.find_all("img") if img.attrs.get("src") == "x"]  # … never as markup
    assert "错误镇" not in portal.content("reports/").text  # listed nowhere but the findings page

    findings = portal.content("reports/_findings/").text
    assert "reports/cuowu-zhen/2024.yml" in findings and "wrong-type" in findings

    # the banner on every page links the findings page
    for url in ("", "reports/", "reports/shifan-zhen/2024/", "reports/cuowu-zhen/2024/"):
        banner = portal.page(url).find("div", class_="gk-preview-banner")
        assert "1 个报告文件有错误" in banner.text
        href = banner.find("a").attrs["href"]
        assert portal.resolve(url, href) == portal.site / "reports" / "_findings" / "index.html"


def test_preview_shows_drafts_under_a_draft_banner(portal: Portal) -> None:
    portal.write_report("xinjian-zhen/2024.yml",
                        with_status(variant(seed_text(), slug="xinjian-zhen", name="新建镇人民政府"), "draft"))
    portal.write_report("weiwan-zhen/2024.yml",
                        with_status(unfinished(variant(seed_text(), slug="weiwan-zhen", name="未完镇")), "draft"))
    serve_build(portal)
    draft = portal.page("reports/xinjian-zhen/2024/")
    assert "草稿" in draft.find("p", class_="gk-preview-draft").text
    assert "新建镇人民政府" in draft.find("article").text
    unfinished_page = portal.page("reports/weiwan-zhen/2024/")
    assert unfinished_page.find_all("p", class_="gk-preview-draft")
    assert "narrative-placeholder" in unfinished_page.find("article").text
    assert not portal.page("reports/shifan-zhen/2024/").find_all("p", class_="gk-preview-draft")
    assert "2 份草稿不会发布" in portal.page("").find("div", class_="gk-preview-banner").text


def test_a_preview_without_findings_is_the_published_site(portal: Portal, tmp_path: Path) -> None:
    serve_build(portal)
    assert not (portal.site / "reports" / "_findings").exists()
    assert "gk-preview-banner" not in (portal.site / "reports" / "shifan-zhen" / "2024" / "index.html").read_text(
        encoding="utf-8")


def test_preview_shows_a_file_that_is_not_even_yaml(portal: Portal) -> None:
    portal.write_report("cuowu-zhen/2024.yml", seed_text().replace("year: 2024", "year: [2024", 1))
    serve_build(portal)
    text = portal.content("reports/cuowu-zhen/2024/").text
    assert "reports/cuowu-zhen/2024.yml" in text and "第 " in text and "行" in text
    assert "示例镇" in portal.content("reports/shifan-zhen/2024/").text
