"""The `gongkai` command, run as editors run it: exit codes, messages, JSON, templates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from core_kit import build_report, locate, report_text, set_value

from gongkai import cli
from gongkai.schema import build_schema
from gongkai.writing import report_to_yaml

SLUG_DIR = Path("reports") / "shifan-zhen"


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`gongkai …` in a subprocess; GONGKAI_DEBUG makes a bug show as a traceback, never as a message."""
    env = {**os.environ, "GONGKAI_DEBUG": "1"}
    done = subprocess.run([sys.executable, "-m", "gongkai", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=60)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def write(root: Path, name: str, content: str | bytes) -> Path:
    target = root / SLUG_DIR / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    return target


# --- validate ---------------------------------------------------------------------------


def test_validate_defaults_to_reports_and_passes(tmp_path):
    write(tmp_path, "2024.yml", report_text("2021", 2024))
    done = run(tmp_path, "validate")
    assert done.returncode == 0
    assert done.stdout.strip() == "检查了 1 个报告文件：0 个错误，0 个警告"


def test_validate_prints_findings_in_chinese_and_fails(tmp_path):
    text, line = set_value(report_text("2021", 2024), ("applications", "received", "natural_person"), "-3")
    write(tmp_path, "2024.yml", text)
    done = run(tmp_path, "validate", "reports")
    assert done.returncode == 1
    first, summary = done.stdout.strip().splitlines()
    assert first.startswith(f"reports/shifan-zhen/2024.yml:{line}:")
    assert "错误 [negative-count]" in first and "一、本年新收政府信息公开申请数量 › 自然人" in first
    assert "实为 -3" in first
    assert summary.endswith("1 个错误，0 个警告")


def test_validate_json_is_the_only_output(tmp_path):
    text, line = set_value(report_text("2019", 2019), ("format",), "2021")
    write(tmp_path, "2019.yml", text)
    done = run(tmp_path, "validate", "--format", "json", "reports")
    assert done.returncode == 1
    items = json.loads(done.stdout)
    assert [(i["rule"], i["line"], i["severity"], i["expected"], i["actual"]) for i in items] == [
        ("format-year-mismatch", line, "error", "2019", "2021")]
    assert items[0]["path"] == ["format"]


def test_validate_json_when_all_is_well(tmp_path):
    write(tmp_path, "2024.yml", report_text("2021", 2024))
    done = run(tmp_path, "validate", "--format", "json")
    assert (done.returncode, json.loads(done.stdout)) == (0, [])


def test_warnings_pass_unless_strict(tmp_path):
    write(tmp_path, "2023.yml", report_to_yaml(build_report("2021", 2023)))
    write(tmp_path, "2024.yml", report_to_yaml(build_report("2021", 2024, name="示例镇政府")))
    relaxed = run(tmp_path, "validate")
    assert relaxed.returncode == 0 and "警告 [agency-name-changed]" in relaxed.stdout
    assert run(tmp_path, "validate", "--strict").returncode == 1


def test_findings_are_sorted_by_file_and_line(tmp_path):
    text = report_text("2021", 2024)
    text, _ = set_value(text, ("appeals", "review", "upheld"), "abc")
    text, _ = set_value(text, ("published",), "2025-02-30")
    write(tmp_path, "2024.yml", text)
    write(tmp_path, "2023.yml", set_value(report_text("2021", 2023), ("year",), "2018")[0])
    lines = run(tmp_path, "validate").stdout.strip().splitlines()[:-1]
    keys = [(line.split(":")[0], int(line.split(":")[1])) for line in lines]
    assert keys == sorted(keys) and len(keys) == 3


@pytest.mark.parametrize("args", [
    ("validate", "no/such/folder"),
    ("validate", "--format", "xml"),
    ("validate", "--bogus"),
    ("frobnicate",),
    (),
    ("new", "--year", "2024"),
    ("new", "--agency", "shifan-zhen", "--year", "24"),
    ("new", "--agency", "shifan-zhen", "--year", "2024", "--published", "2025-02-30"),
])
def test_usage_errors_exit_2_in_chinese(tmp_path, args):
    done = run(tmp_path, *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert any("\u4e00" <= ch <= "\u9fff" for ch in done.stderr)


BAD_INPUTS = {
    "tab": lambda t: t.replace("\n  slug:", "\n\tslug:", 1),
    "broken-indent": lambda t: t.replace("\n  name:", "\n name:", 1),
    "duplicate-key": lambda t: t.replace("\nyear:", "\nyear: 2023\nyear:", 1),
    "typo": lambda t: t.replace("{natural_person:", "{natual_person:", 1),
    "yaer": lambda t: t.replace("\nyear:", "\nyaer:", 1),
    "text": lambda t: t.replace("natural_person: 5", "natural_person: abc", 1),
    "quoted": lambda t: t.replace("natural_person: 5", 'natural_person: "9"', 1),
    "bool": lambda t: t.replace("natural_person: 5", "natural_person: true", 1),
    "list": lambda t: t.replace("natural_person: 5", "natural_person: [1, 2]", 1),
    "decimal": lambda t: t.replace("natural_person: 5", "natural_person: 1.5", 1),
    "negative": lambda t: t.replace("natural_person: 5", "natural_person: -3", 1),
    "bad-date": lambda t: t.replace("published: 2025-01-20", "published: 2025-02-30", 1),
    "early-date": lambda t: t.replace("published: 2025-01-20", "published: 2024-06-01", 1),
    "format": lambda t: t.replace("format: 2021", "format: 2018", 1),
    "format-year": lambda t: t.replace("format: 2021", "format: 2019", 1),
    "year": lambda t: t.replace("year: 2024", "year: 1999", 1),
    "slug": lambda t: t.replace("slug: shifan-zhen", "slug: ../etc", 1),
    "html": lambda t: t.replace("无。", "<img src=x onerror=alert(1)>", 1),
    "script-link": lambda t: t.replace("无。", "[x](javascript:alert(1))", 1),
    "placeholder": lambda t: t.replace("无。", "【请填写】", 1),
    "total": lambda t: t.replace("total: 7", "total: 8", 1),
    "empty": lambda t: "",
    "scalar": lambda t: "just text",
    "list-document": lambda t: "- 1\n- 2\n",
    "unclosed": lambda t: t.replace("{issued: 1,", "{issued: 1", 1),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_inputs_exit_1_without_a_traceback(tmp_path, name):
    good = report_text("2021", 2024)
    bad = BAD_INPUTS[name](good)
    assert bad != good
    write(tmp_path, "2024.yml", bad)
    done = run(tmp_path, "validate")
    assert done.returncode == 1, done.stdout
    assert "错误 [" in done.stdout


def test_gbk_file_exits_1(tmp_path):
    write(tmp_path, "2024.yml", report_text("2021", 2024).encode("gbk"))
    done = run(tmp_path, "validate")
    assert done.returncode == 1 and "[file-encoding]" in done.stdout


def test_unexpected_failure_is_a_message_not_a_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("GONGKAI_DEBUG", raising=False)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli.collection, "load_portal", broken)
    assert cli.main(["validate", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "内部错误" in err and "boom" in err and "Traceback" not in err
    monkeypatch.setenv("GONGKAI_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main(["validate", str(tmp_path)])


# --- new ------------------------------------------------------------------------------


def _fill_placeholders(text: str, published: str = "2025-01-20") -> str:
    for key in ("overview", "problems", "other_matters"):
        text, _ = set_value(text, (key,), "|\n  已填写的内容。\n")
    if "published: 【请填写】" in text:
        text, _ = set_value(text, ("published",), published)
    return text


@pytest.mark.parametrize(("version", "previous_year"), [("2021", 2023), ("2019", 2019), ("2021", 2020)])
def test_new_carries_last_year_over_and_cannot_be_published_unfilled(tmp_path, version, previous_year):
    previous_version = "2019" if previous_year <= 2020 else "2021"
    previous = build_report(previous_version, previous_year)
    previous.values[("applications", "carried_forward", "commercial")] = 2  # keep it balanced:
    previous.values[("applications", "received", "commercial")] = 4
    previous.values[("applications", "received", "total")] = 9
    previous.values[("applications", "carried_forward", "total")] = 3
    write(tmp_path, f"{previous_year}.yml", report_to_yaml(previous))
    assert run(tmp_path, "validate").returncode == 0
    year = previous_year + 1

    done = run(tmp_path, "new", "--agency", "shifan-zhen", "--year", str(year))
    assert done.returncode == 0, done.stderr
    created = tmp_path / SLUG_DIR / f"{year}.yml"
    text = created.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "name: \"示例镇人民政府\"" in text  # copied from last year
    assert f"format: {version}" in text
    assert "total:" not in text  # totals are computed, editors need not type them
    carried = locate(text, ("applications", "carried_over"))
    assert text[carried.start:carried.end] == ("{natural_person: 1, commercial: 2, research: 0, public_interest: 0, "
                                               "legal_services: 0, other: 0}")

    unfilled = run(tmp_path, "validate")
    assert unfilled.returncode == 1
    placeholders = [line for line in unfilled.stdout.splitlines() if "[narrative-placeholder]" in line]
    assert len(placeholders) == 3
    assert placeholders[0].startswith(f"reports/shifan-zhen/{year}.yml:{locate(text, ('overview',)).line}:")
    # the publication date is left to fill in, not the deadline (a report left so would look on time)
    assert "published: 【请填写】YYYY-MM-DD" in text
    assert [line for line in unfilled.stdout.splitlines() if "[invalid-date]" in line and "【请填写】" in line]

    created.write_text(_fill_placeholders(text), encoding="utf-8")
    filled = run(tmp_path, "validate")
    assert filled.returncode == 0, filled.stdout
    assert "[carry-over-mismatch]" not in filled.stdout
    # 现行有效件数 / 上一年项目数量 start from last year's figures: no continuity warning
    assert "[in-force-continuity]" not in filled.stdout
    assert "[previous-items-continuity]" not in filled.stdout


def test_new_needs_a_name_without_last_year(tmp_path):
    done = run(tmp_path, "new", "--agency", "shifan-zhen", "--year", "2024")
    assert done.returncode == 2 and "--name" in done.stderr
    assert not (tmp_path / SLUG_DIR / "2024.yml").exists()
    done = run(tmp_path, "new", "--agency", "shifan-zhen", "--year", "2024", "--name", "示例镇人民政府",
               "--published", "2025-01-15")
    assert done.returncode == 0
    text = (tmp_path / SLUG_DIR / "2024.yml").read_text(encoding="utf-8")
    assert "published: 2025-01-15" in text
    carried = locate(text, ("applications", "carried_over"))
    assert "natural_person: 0," in text[carried.start:carried.end]
    (tmp_path / SLUG_DIR / "2024.yml").write_text(_fill_placeholders(text), encoding="utf-8")
    assert run(tmp_path, "validate").returncode == 0


def test_new_refuses_to_overwrite_without_force(tmp_path):
    target = write(tmp_path, "2024.yml", "已有内容\n")
    args = ("new", "--agency", "shifan-zhen", "--year", "2024", "--name", "示例镇人民政府")
    done = run(tmp_path, *args)
    assert done.returncode == 2 and "--force" in done.stderr
    assert target.read_text(encoding="utf-8") == "已有内容\n"
    assert run(tmp_path, *args, "--force").returncode == 0
    assert "【请填写】" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(("slug", "year"), [("../etc", "2024"), ("Shifan Zhen", "2024"), ("shifan-zhen", "2018"),
                                            ("shifan-zhen", "2999")])
def test_new_rejects_bad_slug_and_year(tmp_path, slug, year):
    done = run(tmp_path, "new", "--agency", slug, "--year", year, "--name", "示例镇人民政府")
    assert done.returncode == 2
    assert not (tmp_path / "reports").exists() and not (tmp_path / "etc").exists()


def test_new_output_elsewhere_points_at_the_schema(tmp_path):
    out = tmp_path / "drafts" / "draft.yml"
    done = run(tmp_path, "new", "--agency", "shifan-zhen", "--year", "2020", "--name", "示例镇人民政府", "-o", str(out))
    assert done.returncode == 0
    first = out.read_text(encoding="utf-8").splitlines()[0]
    ref = first.split("$schema=", 1)[1]
    schema = Path(ref.removeprefix("file://")) if ref.startswith("file://") else out.parent / ref
    assert json.loads(schema.read_text(encoding="utf-8"))["$id"] == build_schema()["$id"]
    assert "format: 2019" in out.read_text(encoding="utf-8")


# --- schema, handbook, import ------------------------------------------------------------


def test_schema_prints_and_writes(tmp_path):
    done = run(tmp_path, "schema")
    assert done.returncode == 0 and json.loads(done.stdout) == build_schema()
    assert run(tmp_path, "schema", "-o", "s.json").returncode == 0
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8")) == build_schema()


def test_handbook_write_refreshes_the_generated_part(tmp_path):
    doc = tmp_path / "说明.md"
    doc.write_text("# 说明\n\n手写部分。\n", encoding="utf-8")
    assert run(tmp_path, "handbook", "--write", str(doc)).returncode == 0
    once = doc.read_text(encoding="utf-8")
    assert once.startswith("# 说明\n\n手写部分。\n") and "`natural_person`" in once
    assert run(tmp_path, "handbook", "--write", str(doc)).returncode == 0
    assert doc.read_text(encoding="utf-8") == once


def test_import_is_unavailable_when_its_module_is_missing(monkeypatch, capsys):
    monkeypatch.setattr(cli, "IMPORT_MODULE", "gongkai_missing_importer.command")
    assert cli.main(["import", "report.docx"]) == 2
    assert "不可用" in capsys.readouterr().err


def test_import_dispatches_to_its_module(monkeypatch):
    module = types.ModuleType("gongkai_fake_importer")
    seen = {}
    module.add_arguments = lambda parser: parser.add_argument("source")
    module.run = lambda args: seen.setdefault("source", args.source) and 0
    monkeypatch.setitem(sys.modules, "gongkai_fake_importer", module)
    monkeypatch.setattr(cli, "IMPORT_MODULE", "gongkai_fake_importer")
    assert cli.main(["import", "report.docx"]) == 0
    assert seen == {"source": "report.docx"}


def test_other_commands_do_not_import_the_importer(monkeypatch, tmp_path):
    monkeypatch.setattr(cli, "IMPORT_MODULE", "gongkai_importer_that_raises")
    monkeypatch.setitem(sys.modules, "gongkai_importer_that_raises", None)  # importing it would fail
    assert cli.main(["schema", "-o", str(tmp_path / "s.json")]) == 0


def test_validate_reports_agency_codes_the_site_cannot_use(tmp_path):
    """slug-clashes-with-year and slug-reserved reach editors through `gongkai validate` too."""
    for slug in ("2024", "agencies"):
        report = build_report("2021", 2023)
        report.agency = type(report.agency)(slug, report.agency.name)
        folder = tmp_path / slug
        target = folder / "reports" / slug / "2023.yml"  # where the path agrees with the code
        target.parent.mkdir(parents=True)
        target.write_text(report_to_yaml(report), encoding="utf-8")
        done = run(folder, "validate")
        assert done.returncode == 1, done.stdout
        rule = "slug-clashes-with-year" if slug.isdigit() else "slug-reserved"
        assert f"[{rule}]" in done.stdout and "Traceback" not in done.stderr


# --- deadlines -----------------------------------------------------------------------------


@pytest.mark.parametrize(("published", "days"), [("2025-01-31", None), ("2025-02-01", 1), ("2025-03-02", 30)])
def test_validate_warns_of_a_late_report_with_the_days(tmp_path, published, days):
    text, line = set_value(report_text("2021", 2024), ("published",), published)
    write(tmp_path, "2024.yml", text)
    done = run(tmp_path, "validate")
    assert done.returncode == 0  # a warning: the report is published as it was
    late = [row for row in done.stdout.splitlines() if "[published-after-deadline]" in row]
    if days is None:
        assert late == []
    else:
        assert late == [f"reports/shifan-zhen/2024.yml:{line}:12: 警告 [published-after-deadline] 发布日期：发布日期 {published} "
                        f"晚于法定截止日 2025-01-31，逾期 {days} 天；网站上会标注“逾期发布”。如果发布日期填错了，请改正"
                        f"（应为 不晚于 2025-01-31，实为 {published}）"]
        assert run(tmp_path, "validate", "--strict").returncode == 1


def test_a_draft_is_checked_but_does_not_fail_validation(tmp_path):
    text = report_text("2021", 2024).replace("\npublished:", "\nstatus: draft\npublished:", 1)
    text, _ = set_value(text, ("overview",), "|\n  【请填写】总体情况。\n")
    write(tmp_path, "2024.yml", text)
    done = run(tmp_path, "validate")
    assert "[narrative-placeholder]" in done.stdout  # the editor still sees what is left to do
    assert "1 份草稿（status: draft）不发布" in done.stdout and "reports/shifan-zhen/2024.yml" in done.stdout
    assert done.returncode == 0
    write(tmp_path, "2024.yml", text.replace("status: draft\n", ""))
    assert run(tmp_path, "validate").returncode == 1


def test_the_portal_loader_itself_reports_agency_codes_the_site_cannot_use(portal):
    """The check lives in the loader, so `gongkai validate` and the MkDocs build cannot disagree."""
    found = portal({"2024/2023.yml": report_text("2021", 2023, slug="2024", name="示例镇人民政府"),
                    "agencies/2023.yml": report_text("2021", 2023, slug="agencies", name="示例区人民政府")})
    assert sorted(f.rule for f in found.findings) == ["slug-clashes-with-year", "slug-reserved"]
    assert not found.ok
