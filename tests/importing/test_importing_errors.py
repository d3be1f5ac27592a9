"""Fidelity over tidiness: wrong sums are imported as published and reported; a source that
cannot be read as a report is refused, saying where, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_kit import FIXTURES, load_report, report_text

from gongkai.model import Report

SEED = FIXTURES / "town-report-2024.txt"
SEED_OPTIONS = ("--slug", "shifan-zhen", "--agency", "示例镇人民政府", "--year", "2024", "--published", "2025-01-20")


def _seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


def _write(tmp_path: Path, lines: list[str], name: str = "source.txt") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _line_of(lines: list[str], text: str, after: str = "") -> int:
    """0-based index of the first line equal to ``text`` (after the line ``after``)."""
    start = lines.index(after) if after else 0
    return lines.index(text, start)


def _nothing_written(out: Path) -> bool:
    return not out.exists() or not any(p.is_file() for p in out.rglob("*"))


# --- arithmetic errors: imported as published ---------------------------------------------


def test_a_wrong_total_is_kept_as_published_and_reported(run_import, sample: Report, tmp_path: Path) -> None:
    lines = _seed_lines()
    total = _line_of(lines, "(七)總計")
    natural_person = total + 2  # the label, a blank line, then the 自然人 cell
    assert lines[natural_person] == "9"
    lines[natural_person] = "10"
    source = _write(tmp_path, lines, "wrong-total.txt")
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), *SEED_OPTIONS)
    assert code == 0, output
    imported = load_report(tmp_path / "out" / "shifan-zhen" / "2024.yml")
    assert imported.values[("applications", "results", "total", "natural_person")] == 10  # as published
    assert imported.values[("applications", "results", "total", "total")] == 9  # as published, not recomputed
    notices = [line for line in output.splitlines() if line.startswith("原文数据说明（数字按原文保留，已记入 discrepancies）: ")]
    rules = {rule for rule in ("total-row-sum", "total-column-sum", "applications-balance")
             if any(f"[{rule}]" in line for line in notices)}
    assert rules == {"total-row-sum", "total-column-sum", "applications-balance"}
    assert imported.archived is not None and imported.archived.source == "wrong-total.txt"
    acknowledged = {(d.rule, d.cell, d.published, d.expected) for d in imported.discrepancies}
    assert ("total-row-sum", ("applications", "results", "total", "natural_person"), "10", "9") in acknowledged
    assert f"wrong-total.txt:{natural_person + 1}:" in output  # points at the source line
    assert "（七）总计 › 自然人" in output


def test_a_2019_table_with_a_wrong_column_total_is_imported(run_import, tmp_path: Path) -> None:
    text = (FIXTURES / "county-report-2019-spaces.txt").read_text(encoding="utf-8")
    text = text.replace("行政复议 行政诉讼\n", "行政复议 行政诉讼\n", 1).replace(
        "1 0 0 0 1 0 0 0 1 1 0 0 0 0 0", "1 0 0 0 2 0 0 0 1 1 0 0 0 0 0")
    source = tmp_path / "appeals.txt"
    source.write_text(text, encoding="utf-8")
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), "--slug", "shifan-qu")
    assert code == 0, output
    assert load_report(tmp_path / "out" / "shifan-qu" / "2019.yml").values[("appeals", "review", "total")] == 2
    assert "[total-column-sum]" in output and "行政复议 › 总计" in output


# --- sources that are not reports: refused, nothing written -------------------------------


def test_a_missing_table_is_refused(run_import, tmp_path: Path) -> None:
    lines = _seed_lines()
    start = _line_of(lines, "四、政府信息公開行政復議、行政訴訟情況")
    end = _line_of(lines, "五、存在的主要問題及改進情況")
    source = _write(tmp_path, lines[:start] + lines[end:])
    out = tmp_path / "out"
    code, output = run_import(str(source), "-o", str(out), *SEED_OPTIONS)
    assert code == 1
    assert "[import-missing-section]" in output
    assert "四、政府信息公开行政复议、行政诉讼情况" in output
    assert "未导入" in output
    assert _nothing_written(out)


def test_a_row_with_too_few_cells_is_refused_naming_table_row_and_line(run_import, tmp_path: Path) -> None:
    lines = _seed_lines()
    label = _line_of(lines, "(二)部分公開(區分處理的,只計這一情形,不計其他情形)")
    del lines[label + 2: label + 4]  # one cell (and its blank line) gone
    source = _write(tmp_path, lines, "short-row.txt")
    out = tmp_path / "out"
    code, output = run_import(str(source), "-o", str(out), *SEED_OPTIONS)
    assert code == 1
    assert "[import-too-few-cells]" in output
    assert "三、收到和处理政府信息公开申请情况 › （二）部分公开" in output  # which table, which row
    assert "应有 7 个数字，只找到 6 个" in output
    assert "随后是“(三)不予公开”" in output
    next_label = lines.index("(三)不予公開")
    assert f"short-row.txt:{next_label + 1}:" in output  # which source line
    assert _nothing_written(out)


def test_a_row_with_too_many_cells_is_refused(run_import, tmp_path: Path) -> None:
    lines = _seed_lines()
    label = _line_of(lines, "行政許可")
    lines[label + 2: label + 2] = ["7", ""]
    code, output = run_import(str(_write(tmp_path, lines)), "-o", str(tmp_path / "out"), *SEED_OPTIONS)
    assert code == 1
    assert "[import-extra-cells]" in output and "行政处罚" in output
    assert _nothing_written(tmp_path / "out")


@pytest.mark.parametrize("cell", ["—", "/", "不适用"])
def test_a_not_applicable_cell_is_kept_as_published(run_import, tmp_path: Path, cell: str) -> None:
    lines = _seed_lines()
    label = _line_of(lines, "行政處罰")
    lines[label + 2] = cell
    code, output = run_import(str(_write(tmp_path, lines)), "-o", str(tmp_path / "out"), *SEED_OPTIONS)
    assert code == 0, output
    imported = load_report(tmp_path / "out" / "shifan-zhen" / "2024.yml")
    path = ("proactive", "penalty", "decisions")
    assert path not in imported.values and imported.as_published[path].text == cell


@pytest.mark.parametrize("cell", ["1.5", "-3"])
def test_a_cell_that_is_not_a_count_is_refused(run_import, tmp_path: Path, cell: str) -> None:
    lines = _seed_lines()
    label = _line_of(lines, "行政處罰")
    lines[label + 2] = cell
    code, output = run_import(str(_write(tmp_path, lines)), "-o", str(tmp_path / "out"), *SEED_OPTIONS)
    assert code == 1
    assert "二、主动公开政府信息情况 › 行政处罚" in output
    assert "[import-not-a-number]" in output and f"实为“{cell}”" in output
    assert _nothing_written(tmp_path / "out")


def test_the_format_must_fit_the_year(run_import, tmp_path: Path) -> None:
    code, output = run_import(str(FIXTURES / "county-report-2019-spaces.txt"), "-o", str(tmp_path / "out"),
                              "--slug", "shifan-qu", "--year", "2022")
    assert code == 1
    assert "[import-format-year-mismatch]" in output and "2019 格式" in output
    assert _nothing_written(tmp_path / "out")


def test_a_source_without_title_needs_year_agency_and_date(run_import, sample: Report, tmp_path: Path) -> None:
    source = tmp_path / "untitled.txt"
    source.write_text(report_text(sample, title=False), encoding="utf-8")
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), "--slug", "shifan-zhen")
    assert code == 1 and "--agency" in output and "--year" in output
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), "--slug", "shifan-zhen", "--year", "2024",
                              "--agency", "示例镇人民政府")
    assert code == 1 and "--published" in output
    code, output = run_import(str(source), "-o", str(tmp_path / "out"), "--slug", "shifan-zhen", "--year", "2024",
                              "--agency", "示例镇人民政府", "--published", "2025-01-20")
    assert code == 0, output


# --- the command line -----------------------------------------------------------------------


def test_without_a_slug_the_code_comes_from_the_name_and_stays_with_the_agency(run_import, tmp_path: Path) -> None:
    options = ("--agency", "示例镇人民政府", "--published", "2025-01-20")
    (tmp_path / "shili-zhen").mkdir()
    (tmp_path / "shili-zhen" / "2022.yml").write_text("agency: {slug: shili-zhen, name: 另一个示例镇}\n", encoding="utf-8")
    code, output = run_import(str(SEED), "-o", str(tmp_path), "--year", "2024", *options)
    assert code == 0, output
    assert (tmp_path / "shili-zhen-2" / "2024.yml").is_file()  # the plain code belongs to another agency
    code, output = run_import(str(SEED), "-o", str(tmp_path), "--year", "2023", *options)
    assert code == 0, output  # a later import of the same agency finds its folder
    assert sorted(p.name for p in (tmp_path / "shili-zhen-2").iterdir()) == ["2023.yml", "2024.yml"]


def test_a_bad_slug_is_a_usage_error(run_import, tmp_path: Path) -> None:
    code, output = run_import(str(SEED), "-o", str(tmp_path), "--slug", "示例镇")
    assert code == 2 and "机关代码" in output


def test_bad_option_values_are_usage_errors(run_import, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        run_import(str(SEED), "--slug", "x", "--published", "2025-02-30")
    assert exit_.value.code == 2
    code, _ = run_import(str(SEED), str(SEED), "--slug", "x", "--year", "2024")
    assert code == 2


def test_an_existing_file_is_not_overwritten_without_force(run_import, tmp_path: Path) -> None:
    out = tmp_path / "out"
    target = out / "shifan-zhen" / "2024.yml"
    target.parent.mkdir(parents=True)
    target.write_text("# edited by hand\n", encoding="utf-8")
    code, output = run_import(str(SEED), "-o", str(out), *SEED_OPTIONS)
    assert code == 1 and "--force" in output
    assert target.read_text(encoding="utf-8") == "# edited by hand\n"
    code, output = run_import(str(SEED), "-o", str(out), *SEED_OPTIONS, "--force")
    assert code == 0, output
    assert load_report(target).year == 2024
    assert [p.name for p in target.parent.iterdir()] == ["2024.yml"]  # no temporary file left


def test_one_bad_source_does_not_stop_the_others(run_import, tmp_path: Path) -> None:
    bad = _write(tmp_path, ["一、总体情况", "无"], "bad.txt")
    good = FIXTURES / "county-report-2019-spaces.txt"
    code, output = run_import(str(bad), str(good), "-o", str(tmp_path / "out"), "--slug", "shifan-qu")
    assert code == 1
    assert (tmp_path / "out" / "shifan-qu" / "2019.yml").exists()
    assert "bad.txt" in output


def test_a_folder_of_years_acknowledges_a_carry_over_that_does_not_match(run_import, tmp_path: Path) -> None:
    from gongkai import cli

    lines = _seed_lines()
    carried_forward = _line_of(lines, "四、結轉下年度繼續辦理") + 2
    assert lines[carried_forward] == "1"
    folder = tmp_path / "archive"
    folder.mkdir()
    later = ["示例镇人民政府2024年政府信息公开工作年度报告", "发布日期：2025-01-20", *lines]
    earlier = ["示例镇人民政府2023年政府信息公开工作年度报告", "发布日期：2024-01-20", *lines]
    earlier[carried_forward + 2] = "3"  # 2023 carried 3 forward; 2024 says 1 was carried over
    _write(folder, later, "a-2024.txt")  # named so that the later year comes first
    _write(folder, earlier, "b-2023.txt")
    code, output = run_import(str(folder), "-o", str(tmp_path / "reports"))
    assert code == 0, output
    report = load_report(tmp_path / "reports" / "shili-zhen" / "2024.yml")
    assert [(d.rule, d.cell, d.published, d.expected) for d in report.discrepancies] == [
        ("carry-over-mismatch", ("applications", "carried_over", "natural_person"), "1", "3")]
    assert "导入汇总" in output and "a-2024.txt" in output
    assert cli.main(["validate", str(tmp_path / "reports")]) == 0  # acknowledged: the portal builds
