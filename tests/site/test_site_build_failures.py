"""A wrong report stops the build with the validator's message and leaves the published site alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Portal, make_portal, seed_text, variant


@pytest.fixture
def built(tmp_path: Path) -> Portal:
    """A portal of the seed report, built once so that site/ holds a published site."""
    portal = make_portal(tmp_path / "portal", copy_reports=False)
    portal.write_report("shifan-zhen/2024.yml", seed_text())
    result = portal.build()
    assert result.returncode == 0, result.stderr
    return portal


def test_one_wrong_number_fails_the_build_with_file_line_label_and_rule(built: Portal) -> None:
    before = built.snapshot()
    text = seed_text().replace("received:        {natural_person: 9,", "received:        {natural_person: 8,")
    assert text != seed_text()
    built.write_report("shifan-zhen/2024.yml", text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.lstrip().startswith("received:"))

    result = built.build()

    assert result.returncode != 0
    assert f"reports/shifan-zhen/2024.yml:{line}:" in result.stderr
    assert "[total-column-sum]" in result.stderr
    assert "三、收到和处理政府信息公开申请情况 › 一、本年新收政府信息公开申请数量 › 总计" in result.stderr
    assert "（应为 8，实为 9）" in result.stderr
    assert "[applications-balance]" in result.stderr
    assert "网站未生成" in result.stderr
    assert built.snapshot() == before  # byte for byte


def test_a_broken_yaml_file_fails_the_build_and_keeps_the_site(built: Portal) -> None:
    before = built.snapshot()
    built.write_report("shifan-zhen/2024.yml", seed_text().replace("year: 2024", "year: 2024\n  bad: [", 1))
    result = built.build()
    assert result.returncode != 0
    assert "reports/shifan-zhen/2024.yml:" in result.stderr and "[yaml-syntax]" in result.stderr
    assert built.snapshot() == before


def _with_warning(portal: Portal) -> None:
    """The seed report and last year's under another name: rule agency-name-changed (a warning)."""
    portal.write_report("shifan-zhen/2023.yml",
                        variant(seed_text(), year=2023, published="2024-01-20", name="示例乡人民政府"))


def test_warnings_are_logged_and_do_not_stop_a_normal_build(built: Portal) -> None:
    _with_warning(built)
    result = built.build()
    assert result.returncode == 0, result.stderr
    assert "WARNING" in result.stderr and "[agency-name-changed]" in result.stderr
    assert (built.site / "reports/shifan-zhen/2023/index.html").is_file()


def test_strict_build_fails_on_a_warning_and_keeps_the_site(built: Portal) -> None:
    before = built.snapshot()
    _with_warning(built)
    result = built.build("--strict")
    assert result.returncode != 0
    assert "[agency-name-changed]" in result.stderr
    assert "reports/shifan-zhen/2024.yml:8:" in result.stderr  # the later report names the change
    assert built.snapshot() == before


def test_plugin_strict_option_fails_on_a_warning(built: Portal) -> None:
    _with_warning(built)
    text = (built.root / "mkdocs.yml").read_text(encoding="utf-8")
    (built.root / "mkdocs.yml").write_text(text.replace("      url_prefix: reports\n",
                                                        "      url_prefix: reports\n      strict: true\n"),
                                           encoding="utf-8")
    result = built.build()
    assert result.returncode != 0
    assert "[agency-name-changed]" in result.stderr


def test_agency_code_made_of_digits_is_rejected(built: Portal) -> None:
    text = variant(seed_text(), slug='"2023"', name="数字镇人民政府")  # quoted: a string made of digits
    built.write_report("2023/2024.yml", text)
    result = built.build()
    assert result.returncode != 0
    assert "reports/2023/2024.yml:" in result.stderr and "[slug-clashes-with-year]" in result.stderr


def test_hand_written_page_in_place_of_a_generated_one_is_rejected(built: Portal) -> None:
    (built.root / "docs/reports").mkdir()
    (built.root / "docs/reports/index.md").write_text("# 手写\n", encoding="utf-8")
    result = built.build()
    assert result.returncode != 0
    assert "reports/index.md" in result.stderr and "同名" in result.stderr


def test_missing_reports_folder_is_a_clear_error(tmp_path: Path) -> None:
    portal = make_portal(tmp_path / "portal", copy_reports=False)
    (portal.root / "reports").rmdir()
    result = portal.build()
    assert result.returncode != 0
    assert "找不到报告目录" in result.stderr


def test_a_search_index_that_cannot_be_made_fails_the_build_and_keeps_the_site(
        built: Portal, monkeypatch: pytest.MonkeyPatch) -> None:
    assert (built.site / "pagefind" / "parts.json").is_file()
    before = built.snapshot()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")  # Pagefind's own override: a binary that fails
    result = built.build()
    assert result.returncode != 0
    assert "gongkai：站内搜索索引生成失败（Pagefind 退出码 1），原有的搜索索引保持不变" in result.stderr
    assert "Traceback" not in result.stderr
    assert built.snapshot() == before
