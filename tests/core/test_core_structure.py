"""Structure and type rules: each one fails on a bad value, names file, line and label, and passes the good one."""

from __future__ import annotations

from decimal import Decimal

import pytest
from core_kit import (
    FIXTURES,
    FORMAT_YEARS,
    build_report,
    locate,
    locate_key,
    only,
    replace_once,
    report_text,
    set_value,
)

from gongkai.findings import Severity
from gongkai.formats import FORMATS
from gongkai.loading import load_file

RECEIVED_NATURAL = ("applications", "received", "natural_person")
APPLICATIONS = "三、收到和处理政府信息公开申请情况"
RECEIVED_NATURAL_LABEL = f"{APPLICATIONS} › 一、本年新收政府信息公开申请数量 › 自然人"


def _file(year: int) -> str:
    return f"shifan-zhen/{year}.yml"


def _shown(year: int) -> str:
    return f"reports/shifan-zhen/{year}.yml"


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_the_built_report_is_valid(portal, version, year):
    result = portal({_file(year): report_text(version, year)})
    assert result.findings == []
    assert [r.key for r in result.reports] == [("shifan-zhen", year)]


# --- yaml-syntax, duplicate-key, file-encoding ----------------------------------------


@pytest.mark.parametrize(("fixture", "line", "words"), [
    ("tab_indent.yml", 3, "Tab"),
    ("broken_indent.yml", 4, "缩进"),
])
def test_yaml_syntax_names_the_line_in_chinese(fixture, line, words):
    document, findings = load_file(FIXTURES / fixture, fixture)
    assert document is None
    finding = only(findings, "yaml-syntax")
    assert (finding.file, finding.line) == (fixture, line)
    assert words in finding.message


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_tab_indentation_inside_a_report(portal, version, year):
    text, line = replace_once(report_text(version, year), "\n  slug:", "\n\tslug:")
    finding = only(portal({_file(year): text}).findings, "yaml-syntax")
    assert (finding.file, finding.line) == (_shown(year), line + 1)
    assert "Tab" in finding.message


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_duplicate_key_points_at_the_second_one(portal, version, year):
    text = report_text(version, year)
    year_line = locate_key(text, ("year",))
    text, _ = replace_once(text, f"year: {year}  # 报告年度\n", f"year: {year}  # 报告年度\nyear: {year - 1}\n")
    result = portal({_file(year): text})
    finding = only(result.findings, "duplicate-key")
    assert (finding.file, finding.line, finding.path) == (_shown(year), year_line + 1, ("year",))
    assert f"第 {year_line} 行" in finding.message
    assert result.reports == []


def test_duplicate_key_inside_a_row(portal):
    text, line = replace_once(report_text("2021", 2024), "received:        {natural_person: 5,",
                              "received:        {natural_person: 5, natural_person: 6,")
    finding = only(portal({_file(2024): text}).findings, "duplicate-key")
    assert finding.line == line
    assert finding.path == RECEIVED_NATURAL


def test_duplicate_key_fixture():
    _, findings = load_file(FIXTURES / "duplicate_key.yml", "duplicate_key.yml")
    assert only(findings, "duplicate-key").line == 6


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_gbk_file_is_an_encoding_error(portal, version, year):
    text = report_text(version, year)
    first_chinese = next(n for n, line in enumerate(text.splitlines(), 1) if not line.isascii())
    result = portal({_file(year): text.encode("gbk")})
    finding = only(result.findings, "file-encoding")
    assert (finding.file, finding.line) == (_shown(year), first_chinese)
    assert "UTF-8" in finding.message
    # The same text in UTF-8 (with or without a BOM) is fine.
    assert portal({_file(year): ("\ufeff" + text).encode("utf-8")}).findings == []


# --- unknown-key, missing-section, missing-field --------------------------------------


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_misspelt_column_key(portal, version, year):
    text = report_text(version, year)
    text, line = replace_once(text, "received:        {natural_person:", "received:        {natual_person:")
    findings = portal({_file(year): text}).findings
    finding = only(findings, "unknown-key")
    assert (finding.file, finding.line) == (_shown(year), line)
    assert finding.path == ("applications", "received", "natual_person")
    assert finding.label == "一、本年新收政府信息公开申请数量"
    assert "natural_person" in finding.message and "自然人" in finding.message
    missing = only(findings, "missing-field")  # and the real key is now missing
    assert missing.label == RECEIVED_NATURAL_LABEL


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_misspelt_top_level_key(portal, version, year):
    text, line = replace_once(report_text(version, year), f"\nyear: {year}", f"\nyaer: {year}")
    findings = portal({_file(year): text}).findings
    finding = only(findings, "unknown-key")
    assert (finding.line, finding.path) == (line + 1, ("yaer",))
    assert "year" in finding.message and "报告年度" in finding.message
    assert only(findings, "missing-section").label == "报告年度"


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_missing_narrative_section(portal, version, year):
    text = report_text(version, year)
    start = text.index("# 五、存在的主要问题")
    end = text.index("# 六、")
    finding = only(portal({_file(year): text[:start] + text[end:]}).findings, "missing-section")
    assert finding.label == "五、存在的主要问题及改进情况"
    assert "problems" in finding.message
    assert finding.line == 1  # the section is nowhere: the file itself is named


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_missing_table(portal, version, year):
    text = report_text(version, year)
    start, end = text.index("# 四、政府信息公开行政复议"), text.index("# 五、")
    finding = only(portal({_file(year): text[:start] + text[end:]}).findings, "missing-section")
    assert finding.label == "四、政府信息公开行政复议、行政诉讼情况"


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_empty_narrative_is_a_missing_section(portal, version, year):
    text, line = set_value(report_text(version, year), ("other_matters",), '""')
    finding = only(portal({_file(year): text}).findings, "missing-section")
    assert (finding.line, finding.label) == (line, "六、其他需要报告的事项")


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_missing_cell(portal, version, year):
    text = report_text(version, year)
    line = locate(text, ("applications", "carried_over")).line
    text, _ = replace_once(text, "carried_over:    {natural_person: 1, commercial: 0, research: 0,",
                           "carried_over:    {natural_person: 1, commercial: 0,")
    finding = only(portal({_file(year): text}).findings, "missing-field")
    assert (finding.file, finding.line) == (_shown(year), line)
    assert finding.label == f"{APPLICATIONS} › 二、上年结转政府信息公开申请数量 › 法人或其他组织 › 科研机构"
    assert "research" in finding.message and "填 0" in finding.message


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_missing_row(portal, version, year):
    text = report_text(version, year)
    start = text.index("  review:")
    end = text.index("\n", start) + 1
    finding = only(portal({_file(year): text[:start] + text[end:]}).findings, "missing-field")
    assert "review" in finding.message and "行政复议" in finding.message


# --- wrong-type, not-an-integer, negative-count, negative-amount, signed ---------------


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
@pytest.mark.parametrize(("raw", "actual"), [
    ("abc", "abc"), ('"9"', "9"), ("true", "True"), ("[1, 2]", "[…]"), ("", ""), ("９", "９"),
])
def test_wrong_type_in_a_count(portal, version, year, raw, actual):
    text, line = set_value(report_text(version, year), RECEIVED_NATURAL, raw)
    finding = only(portal({_file(year): text}).findings, "wrong-type")
    assert (finding.file, finding.line, finding.path) == (_shown(year), line, RECEIVED_NATURAL)
    assert finding.label == RECEIVED_NATURAL_LABEL
    assert (finding.expected, finding.actual) == ("非负整数", actual)


def test_quoted_number_gets_a_hint(portal):
    text, _ = set_value(report_text("2021", 2024), RECEIVED_NATURAL, '"9"')
    assert "去掉引号" in only(portal({_file(2024): text}).findings, "wrong-type").message


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_decimal_count(portal, version, year):
    text, line = set_value(report_text(version, year), RECEIVED_NATURAL, "1.5")
    finding = only(portal({_file(year): text}).findings, "not-an-integer")
    assert (finding.line, finding.label, finding.actual) == (line, RECEIVED_NATURAL_LABEL, "1.5")


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_negative_count(portal, version, year):
    text, line = set_value(report_text(version, year), ("appeals", "review", "upheld"), "-3")
    finding = only(portal({_file(year): text}).findings, "negative-count")
    assert (finding.line, finding.actual, finding.expected) == (line, "-3", "≥ 0")
    assert finding.label == "四、政府信息公开行政复议、行政诉讼情况 › 行政复议 › 结果维持"


@pytest.mark.parametrize(("version", "year", "path", "label"), [
    ("2021", 2024, ("proactive", "fees", "amount"),
     "二、主动公开政府信息情况 › 第二十条第（八）项 › 行政事业性收费 › 本年收费金额（单位：万元）"),
    ("2019", 2019, ("proactive", "procurement", "purchase_amount"),
     "二、主动公开政府信息情况 › 第二十条第（九）项 › 政府集中采购 › 采购总金额（单位：万元）"),
])
def test_amounts(portal, version, year, path, label):
    text = report_text(version, year)
    bad, line = set_value(text, path, "-1.5")
    finding = only(portal({_file(year): bad}).findings, "negative-amount")
    assert (finding.line, finding.label, finding.actual) == (line, label, "-1.5")
    good, _ = set_value(text, path, "12.34")
    result = portal({_file(year): good})
    assert result.findings == []
    assert result.reports[0].values[path] == Decimal("12.34")


def test_signed_change_accepts_a_decrease_in_the_2019_format(portal):
    text, _ = set_value(report_text("2019", 2019), ("proactive", "penalty", "change"), "-8")
    result = portal({_file(2019): text})
    assert result.findings == []
    assert result.reports[0].values[("proactive", "penalty", "change")] == -8


def test_signed_change_must_still_be_an_integer(portal):
    text, line = set_value(report_text("2019", 2019), ("proactive", "penalty", "change"), "-1.5")
    finding = only(portal({_file(2019): text}).findings, "not-an-integer")
    assert finding.line == line
    assert finding.label.endswith("行政处罚 › 本年增/减")


def test_decisions_next_to_a_signed_column_stay_non_negative(portal):
    text, line = set_value(report_text("2019", 2019), ("proactive", "penalty", "decisions"), "-8")
    assert only(portal({_file(2019): text}).findings, "negative-count").line == line


# --- dates, formats, years, slugs ------------------------------------------------------


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_date_that_does_not_exist(portal, version, year):
    text, line = set_value(report_text(version, year), ("published",), f"{year + 1}-02-30")
    finding = only(portal({_file(year): text}).findings, "invalid-date")
    assert (finding.line, finding.label, finding.actual) == (line, "发布日期", f"{year + 1}-02-30")


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_date_before_the_year_ends(portal, version, year):
    text, line = set_value(report_text(version, year), ("published",), f"{year}-12-31")
    finding = only(portal({_file(year): text}).findings, "invalid-date")
    assert finding.line == line
    assert (finding.expected, finding.actual) == (f"{year + 1}-01-01 或以后", f"{year}-12-31")


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_date_as_text(portal, version, year):
    text, line = set_value(report_text(version, year), ("published",), "2025年1月20日")
    assert only(portal({_file(year): text}).findings, "invalid-date").line == line


def test_date_in_the_future_is_only_a_warning(portal):
    text, _ = set_value(report_text("2021", 2024), ("published",), "2999-01-01")
    result = portal({_file(2024): text})
    finding = only(result.findings, "invalid-date")
    assert finding.severity is Severity.WARNING
    assert result.ok


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_unknown_format(portal, version, year):
    text, line = set_value(report_text(version, year), ("format",), "2018")
    finding = only(portal({_file(year): text}).findings, "unknown-format")
    assert (finding.line, finding.label, finding.actual) == (line, "报告格式", "2018")


@pytest.mark.parametrize(("version", "year", "other"), [("2021", 2024, "2019"), ("2019", 2019, "2021")])
def test_format_year_mismatch(portal, version, year, other):
    text, line = set_value(report_text(version, year), ("format",), other)
    finding = only(portal({_file(year): text}).findings, "format-year-mismatch")
    assert (finding.line, finding.expected, finding.actual) == (line, version, other)
    assert FORMATS[version].document in finding.message


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_format_may_be_left_out(portal, version, year):
    text = report_text(version, year)
    start = text.index("\nformat:") + 1
    result = portal({_file(year): text[:start] + text[text.index("\n", start) + 1:]})
    assert result.findings == []
    assert result.reports[0].format is FORMATS[version]


@pytest.mark.parametrize(("version", "year", "bad_year"), [("2021", 2024, 2099), ("2019", 2019, 2018)])
def test_unsupported_year(portal, version, year, bad_year):
    text, line = set_value(report_text(version, year), ("year",), str(bad_year))
    finding = only(portal({_file(year): text}).findings, "unsupported-year")
    assert (finding.line, finding.label, finding.actual) == (line, "报告年度", str(bad_year))


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
@pytest.mark.parametrize("slug", ["../etc", '"Shifan Zhen"', "shifan_zhen", "-shifan", "示例镇"])
def test_invalid_slug(portal, version, year, slug):
    text, line = set_value(report_text(version, year), ("agency", "slug"), slug)
    finding = only(portal({_file(year): text}).findings, "invalid-slug")
    assert (finding.line, finding.label, finding.actual) == (line, "机关代码", slug.strip('"'))


# --- narrative -------------------------------------------------------------------------


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
@pytest.mark.parametrize("markup", ["<script>alert(1)</script>", "<b>加粗</b>", "<img src=x onerror=alert(1)>",
                                    "第一段<br>第二段"])
def test_html_in_narrative(portal, version, year, markup):
    text, line = set_value(report_text(version, year), ("problems",), f"|\n  存在问题：{markup}\n")
    finding = only(portal({_file(year): text}).findings, "narrative-html")
    assert (finding.line, finding.label) == (line, "五、存在的主要问题及改进情况")
    assert finding.actual and finding.actual.startswith("<")


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_html_in_agency_name(portal, version, year):
    text, line = set_value(report_text(version, year), ("agency", "name"), '"<b>示例镇</b>"')
    assert only(portal({_file(year): text}).findings, "narrative-html").line == line


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
@pytest.mark.parametrize("link", ["[x](javascript:alert(1))", "[x]( JavaScript:alert(1))", "[x](data:text/html,hi)"])
def test_script_link_in_narrative(portal, version, year, link):
    text, line = set_value(report_text(version, year), ("overview",), f"|\n  详见{link}。\n")
    finding = only(portal({_file(year): text}).findings, "narrative-unsafe-link")
    assert (finding.line, finding.label) == (line, "一、总体情况")


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_safe_markdown_passes(portal, version, year):
    body = "|\n  详见[公开指南](https://example.gov.cn/zhinan)和<https://example.gov.cn>。\n\n  - **一**是\n"
    text, _ = set_value(report_text(version, year), ("overview",), body)
    assert portal({_file(year): text}).findings == []


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_placeholder_left_in_narrative(portal, version, year):
    text, line = set_value(report_text(version, year), ("other_matters",), "|\n  无。\n\n  【请填写】收费情况。\n")
    finding = only(portal({_file(year): text}).findings, "narrative-placeholder")
    assert (finding.line, finding.label, finding.actual) == (line, "六、其他需要报告的事项", "【请填写】收费情况。")


def test_values_are_typed(portal):
    report = portal({_file(2019): report_text("2019", 2019)}).reports[0]
    expected = build_report("2019", 2019)
    assert report.values == expected.values
    assert report.given_totals  # report_to_yaml wrote the totals, so they were typed in


def test_system_noise_is_skipped_without_a_word_other_hidden_entries_are_named(tmp_path):
    """.DS_Store, Thumbs.db, .git: silent; an editor's swap file and a hidden folder: hidden-file."""
    from gongkai.placement import survey

    folder = tmp_path / "reports" / "shifan-zhen"
    (folder / ".git").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    for name in ("2024.yml", ".DS_Store", "Thumbs.db", ".2024.yml.swp"):
        (folder / name).write_text("year: 2024\n", encoding="utf-8")
    found, findings = survey([tmp_path / "reports"], tmp_path)
    assert [f.path.name for f in found] == ["2024.yml"]
    assert sorted((f.rule, f.file) for f in findings) == [
        ("hidden-file", "reports/shifan-zhen/.2024.yml.swp"), ("hidden-file", "reports/shifan-zhen/.hidden")]
