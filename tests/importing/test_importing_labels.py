"""Headings and labels as agencies write them: similar ones are taken with a warning, exact ones silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_kit import FIXTURES, load_report

from gongkai.importing.cleanup import is_page_number, section_titles
from gongkai.importing.normalize import match_key
from gongkai.importing.similar import THRESHOLD, heading_split, score

SEED = FIXTURES / "town-report-2024.txt"
OPTIONS = ("--slug", "shifan-zhen", "--agency", "示例镇人民政府", "--year", "2024", "--published", "2025-01-20")

# (paragraph, heading, rest): a heading printed on the line of its first sentence
HEADINGS = [
    ("一、总体情况2019年，在省政府办公厅的指导下", "一、总体情况", "2019年，在省政府办公厅的指导下"),
    ("一、 总体情况 2021年，我区坚持", "一、 总体情况", "2021年，我区坚持"),
    ("五、政府信息公开工作存在的主要问题及改进情况一是公开内容不够全面", "五、政府信息公开工作存在的主要问题及改进情况",
     "一是公开内容不够全面"),
    ("六、其他需要报告的事项本年度未收取信息处理费。", "六、其他需要报告的事项", "本年度未收取信息处理费。"),
]
NOT_HEADINGS = ["三、本年度办理结果", "二、加强组织领导，明确专人负责公开工作。", "四、结转下年度继续办理"]


@pytest.mark.parametrize(("text", "heading", "rest"), HEADINGS)
def test_a_heading_on_the_line_of_its_text_is_split_off(text: str, heading: str, rest: str) -> None:
    numeral = text[0]
    split = heading_split(text, numeral, section_titles()[numeral])
    assert split is not None and split[:2] == (heading, rest)


@pytest.mark.parametrize("text", NOT_HEADINGS)
def test_a_numbered_row_label_or_sentence_is_not_a_heading(text: str) -> None:
    numeral = text[0]
    split = heading_split(text, numeral, section_titles()[numeral])
    assert split is None or not split[1]


@pytest.mark.parametrize(("text", "dropped"), [
    ("-3-", True), ("— 3 —", True), ("- 12 -", True), ("第3页", True), ("第 3 页 共 10 页", True), ("3/10", True),
    ("-3", False), ("3", False), ("—", False), ("-18", False),
])
def test_page_numbers_are_told_from_cells(text: str, dropped: bool) -> None:
    assert is_page_number(text) is dropped


@pytest.mark.parametrize(("published", "official", "exact", "taken"), [
    ("（一）予以公开", "（一）予以公开", True, True),
    ("(一)予以公开", "（一）予以公开", True, True),
    ("一是予以公开", "（一）予以公开", False, True),
    ("2.其他法律行政止公开", "2.其他法律行政法规禁止公开", False, True),
    ("四、政府信息公开行政法复议、行政诉讼情况", "四、政府信息公开行政复议、行政诉讼情况", False, True),
    ("（二）部分公开（区分处理的，只计", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", False, True),
    ("行政处罚", "行政许可", False, False),
    ("规章", "行政规范性文件", False, False),
])
def test_labels_are_scored_by_similarity(published: str, official: str, exact: bool, taken: bool) -> None:
    value = score(match_key(published), match_key(official))
    assert (value == 1.0) is exact
    assert (value >= THRESHOLD) is taken


def test_a_mistyped_label_and_heading_import_with_a_warning_naming_both(run_import, tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("2.其他法律行政法規禁止公開", "2.其他法律行政止公開")
    text = text.replace("四、政府信息公開行政復議、行政訴訟情況", "四、政府信息公開行政法復議、行政訴訟情況")
    source = tmp_path / "typos.txt"
    source.write_text(text, encoding="utf-8")
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), *OPTIONS)
    assert code == 0, output
    warnings = [line for line in output.splitlines() if "[import-approximate-label]" in line]
    assert len(warnings) == 2
    assert any("“2.其他法律行政止公开”" in w and "“2.其他法律行政法规禁止公开”" in w and
               "（三）不予公开 › 2.其他法律行政法规禁止公开" in w for w in warnings)
    assert any("“四、政府信息公开行政法复议、行政诉讼情况”" in w for w in warnings)
    assert load_report(tmp_path / "out" / "shifan-zhen" / "2024.yml").values == load_report(
        FIXTURES.parents[2] / "reports" / "shifan-zhen" / "2024.yml").values


def test_an_exact_source_gives_no_warning(run_import, tmp_path: Path) -> None:
    code, output = run_import(str(SEED), "-o", str(tmp_path / "out"), *OPTIONS)
    assert code == 0 and "警告" not in output


def test_a_signature_dated_in_chinese_numerals_gives_the_publication_date(run_import, tmp_path: Path) -> None:
    source = tmp_path / "signed.txt"
    text = SEED.read_text(encoding="utf-8").replace("分享:", "示例镇人民政府\n二〇二五年一月二十日\n\n分享:")
    source.write_text(text, encoding="utf-8")
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), *OPTIONS[:-2])
    assert code == 0, output
    report = load_report(tmp_path / "out" / "shifan-zhen" / "2024.yml")
    assert report.published.isoformat() == "2025-01-20"
    assert "二〇二五年" not in report.narrative["other_matters"]  # the signature is not part of section 六


def test_table_four_printed_in_two_pieces_is_read_in_order(run_import, tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    head, tail = text.split("四、政府信息公開行政復議、行政訴訟情況", 1)
    table, rest = tail.split("五、存在的主要問題及改進情況", 1)
    review = "行政復議\n結果維持\n結果糾正\n其他結果\n尚未審結\n總計\n1\n2\n0\n0\n3\n"
    litigation = ("行政訴訟\n未經復議直接起訴\n復議后起訴\n結果維持\n結果糾正\n其他結果\n尚未審結\n總計\n"
                  "結果維持\n結果糾正\n其他結果\n尚未審結\n總計\n0\n1\n0\n0\n1\n0\n0\n0\n2\n2\n")
    source = tmp_path / "split.txt"
    source.write_text(head + "四、政府信息公開行政復議、行政訴訟情況\n" + review + litigation + "五、存在的主要問題及改進情況" + rest,
                      encoding="utf-8")
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), *OPTIONS)
    assert code == 0, output
    report = load_report(tmp_path / "out" / "shifan-zhen" / "2024.yml")
    assert [report.text(c.path) for c in report.table("appeals").cells()] == (
        ["1", "2", "0", "0", "3", "0", "1", "0", "0", "1", "0", "0", "0", "2", "2"])


def test_a_section_heading_numbered_otherwise_is_found_with_a_warning(run_import, tmp_path: Path) -> None:
    source = tmp_path / "renumbered.txt"
    source.write_text(SEED.read_text(encoding="utf-8").replace("二、主動公開政府信息情況", "第二部分 主動公開政府信息情況"),
                      encoding="utf-8")
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), *OPTIONS)
    assert code == 0, output
    assert "源文件中的“主动公开政府信息情况”" in output and "[import-approximate-label]" in output


def test_a_title_printed_over_two_lines_names_the_agency_and_year(run_import, tmp_path: Path) -> None:
    source = tmp_path / "two-lines.txt"
    source.write_text("示例镇人民政府\n2024年政府信息公开工作年度报告\n发布日期：2025-01-20\n" + SEED.read_text(encoding="utf-8"),
                      encoding="utf-8")
    code, output = run_import(str(source), "-o", str(tmp_path / "out"))
    assert code == 0, output
    report = load_report(tmp_path / "out" / "shili-zhen" / "2024.yml")
    assert (report.agency.name, report.year) == ("示例镇人民政府", 2024)


def test_a_report_titled_with_a_year_of_the_other_format_keeps_its_tables_as_printed(run_import, tmp_path: Path) -> None:
    county = FIXTURES / "county-report-2019-spaces.txt"
    text = county.read_text(encoding="utf-8")
    source = tmp_path / "county.txt"
    source.write_text(text.replace("2019年", "2021年", 1), encoding="utf-8")  # its title says 2021
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), "--slug", "shifan-qu",
                              "--published", "2022-01-20")
    assert code == 0, output
    report = load_report(tmp_path / "out" / "shifan-qu" / "2021.yml")
    assert dict(report.layouts) == {"proactive": "2019", "applications": "2019"}
    assert output.count("[import-mixed-layout]") == 2


def test_a_text_saved_as_windows_unicode_is_read(run_import, tmp_path: Path) -> None:
    source = tmp_path / "notepad.txt"
    source.write_bytes(SEED.read_text(encoding="utf-8").encode("utf-16"))  # with its byte-order mark
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), *OPTIONS)
    assert code == 0, output


@pytest.mark.parametrize(("published", "amount"), [("251000元", "25.1"), ("1,251,000.50元", "125.10005"),
                                                    ("25.1万元", "25.1")])
def test_an_amount_with_its_unit_is_kept_as_published(run_import, tmp_path: Path, published: str, amount: str) -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    fees = lines.index("行政事業性收費") + 2
    assert lines[fees] == "0"
    lines[fees] = published
    source = tmp_path / "fees.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), *OPTIONS)
    assert code == 0, output
    report = load_report(tmp_path / "out" / "shifan-zhen" / "2024.yml")
    path = ("proactive", "fees", "amount")
    assert report.text(path) == published and str(report.values[path].normalize()) == amount
