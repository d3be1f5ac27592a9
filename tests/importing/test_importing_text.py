"""Text copied from a page or a PDF: the seed page, tabs, spaces, Traditional, the 2019 format."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import opencc
import pytest
from import_kit import FIXTURES, load_report, report_text

from gongkai.model import Report

SEED = FIXTURES / "town-report-2024.txt"
SEED_OPTIONS = ("--slug", "shifan-zhen", "--agency", "示例镇人民政府", "--year", "2024", "--published", "2025-01-20")


def test_the_seed_page_gives_every_one_of_the_200_numbers_of_the_sample(run_import, sample: Report,
                                                                      tmp_path: Path) -> None:
    code, output = run_import(str(SEED), "-o", str(tmp_path), *SEED_OPTIONS)
    assert code == 0, output
    imported = load_report(tmp_path / "shifan-zhen" / "2024.yml")
    assert len(imported.values) == 200
    assert imported.values == sample.values
    assert imported.given_totals == sample.given_totals  # totals written as published
    assert "不一致" not in output


def test_the_seed_narrative_is_the_source_in_simplified_characters(run_import, sample: Report,
                                                                   tmp_path: Path) -> None:
    run_import(str(SEED), "-o", str(tmp_path), *SEED_OPTIONS)
    imported = load_report(tmp_path / "shifan-zhen" / "2024.yml")
    assert imported.narrative == sample.narrative
    simplified = opencc.OpenCC("t2s").convert(SEED.read_text(encoding="utf-8"))
    for text in imported.narrative.values():
        for paragraph in text.strip().split("\n\n"):
            assert paragraph.removeprefix("### ") in simplified
    assert "分享" not in imported.narrative["other_matters"]


def test_the_written_file_is_the_commented_yaml_of_the_sample(run_import, tmp_path: Path) -> None:
    run_import(str(SEED), "-o", str(tmp_path), *SEED_OPTIONS)
    written = (tmp_path / "shifan-zhen" / "2024.yml").read_text(encoding="utf-8")
    sample = (FIXTURES.parents[2] / "reports" / "shifan-zhen" / "2024.yml").read_text(encoding="utf-8")

    def body(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith(("#", "archived:", "  source:"))]

    assert body(written) == body(sample)
    assert 'archived:  # 按原文存档' in written and '  source: "town-report-2024.txt"' in written
    assert "导入自 town-report-2024.txt" in written


@pytest.mark.parametrize("separator", ["\t", " ", "  \t "], ids=["tabs", "spaces", "mixed"])
def test_several_cells_per_line(run_import, sample: Report, tmp_path: Path, separator: str) -> None:
    source = tmp_path / "copied.txt"
    source.write_text(report_text(sample, separator), encoding="utf-8")
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), "--slug", "shifan-zhen")
    assert code == 0, output
    imported = load_report(tmp_path / "out" / "shifan-zhen" / "2024.yml")
    assert imported.values == sample.values
    assert imported.narrative == sample.narrative
    assert imported.agency.name == "示例镇人民政府"  # from the title
    assert imported.published == date(2025, 1, 20)  # from 发布日期：


def test_traditional_text_is_converted_to_simplified(run_import, sample: Report, tmp_path: Path) -> None:
    source = tmp_path / "traditional.txt"
    source.write_text(opencc.OpenCC("s2t").convert(report_text(sample)), encoding="utf-8")
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), "--slug", "shifan-zhen")
    assert code == 0, output
    imported = load_report(tmp_path / "out" / "shifan-zhen" / "2024.yml")
    assert imported.values == sample.values
    assert imported.agency.name == "示例镇人民政府"
    assert "公开" in imported.narrative["overview"] and "公開" not in imported.narrative["overview"]


def test_simplified_text_is_left_as_written(run_import, sample: Report, tmp_path: Path) -> None:
    text = report_text(sample).replace("加强日常工作的监督", "效果显著，加强日常工作的监督")
    source = tmp_path / "simplified.txt"
    source.write_text(text, encoding="utf-8")
    run_import(str(source), "-o", str(tmp_path / "out"), "--slug", "shifan-zhen")
    imported = load_report(tmp_path / "out" / "shifan-zhen" / "2024.yml")
    assert "效果显著" in imported.narrative["overview"]  # t2s would have made it 显着


def test_a_2019_format_source_is_told_apart_and_read(run_import, tmp_path: Path) -> None:
    code, output = run_import(str(FIXTURES / "county-report-2019-spaces.txt"), "-o", str(tmp_path), "--slug",
                              "shifan-qu")
    assert code == 0, output
    report = load_report(tmp_path / "shifan-qu" / "2019.yml")
    assert report.format.version == "2019"
    assert report.agency.name == "示例区人民政府"
    assert report.published == date(2020, 1, 15)
    values = report.values
    assert values[("proactive", "licensing", "change")] == -8
    assert values[("proactive", "normative_documents", "total_public")] == 41
    assert values[("proactive", "procurement", "purchase_items")] == 12
    assert values[("proactive", "procurement", "purchase_amount")] == Decimal("94.87")
    assert values[("applications", "results", "other_handling", "total")] == 0
    assert values[("applications", "results", "unavailable", "not_held", "commercial")] == 1
    assert values[("appeals", "litigation", "direct", "pending")] == 1
    assert report.narrative["other_matters"] == "无。\n"  # signature and page furniture left out
    assert report.narrative["overview"].startswith("### （一）主动公开\n\n2019年，")
    assert "本报告根据" in output  # the preamble is not imported, and the editor is told
    assert "不一致" not in output


def test_a_gbk_encoded_text_file_is_read(run_import, tmp_path: Path) -> None:
    source = tmp_path / "gbk.txt"
    source.write_bytes((FIXTURES / "county-report-2019-spaces.txt").read_text(encoding="utf-8").encode("gb18030"))
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), "--slug", "shifan-qu")
    assert code == 0, output


def test_labels_are_matched_leniently(run_import, sample: Report, tmp_path: Path) -> None:
    text = report_text(sample)
    for official, published in [
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "(二) 部分公开"),  # short form, half-width, a space
        ("1.属于国家秘密", "1、属于国家秘密"),
        ("3.危及“三安全一稳定”", '3.危及"三安全一稳定"'),
        ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
         "1.申请人无正当理由逾期不补正、\n行政机关不再处理其政府信息公开申请"),  # a label broken over two lines
        ("第二十条第（一）项", "第二十条第(一)项"),
    ]:
        assert official in text
        text = text.replace(official, published)
    source = tmp_path / "lenient.txt"
    source.write_text(text, encoding="utf-8")
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), "--slug", "shifan-zhen")
    assert code == 0, output
    assert load_report(tmp_path / "out" / "shifan-zhen" / "2024.yml").values == sample.values
