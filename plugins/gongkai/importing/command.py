"""`gongkai import SOURCE...`: published reports (text, HTML, Word) to report YAML files.

Exit codes: 0 every source imported (inconsistencies in the source are reported, not fixed),
1 a source could not be read as a report (nothing written for it), 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TextIO

from ..findings import Finding, format_finding, sort_findings
from ..loading import load_text
from ..model import SLUG_PATTERN, Report
from ..narrative import name_problem
from ..parsing import parse_document
from ..validation import validate_report
from ..writing import report_to_yaml
from .document import Overrides, import_report
from .readers import read_source
from .source import UnreadableSource, source_error

DEFAULT_OUTPUT = Path("reports")
INCONSISTENCY_PREFIX = "源文件中的不一致（已按原样保留）: "


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"报告年度应是四位数字的年份，例如 2024（实为“{text}”）")
    return int(text)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"发布日期应写成 YYYY-MM-DD，例如 2025-01-20（实为“{text}”）") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `gongkai import`, for the CLI to attach to its subcommand."""
    parser.add_argument("sources", nargs="+", type=Path, metavar="SOURCE",
                        help="已发布的年度报告：网页另存的 .html、复制出的 .txt，或 Word .docx")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, metavar="DIR",
                        help="报告目录（默认 reports/），写入 DIR/<机关代码>/<年度>.yml")
    parser.add_argument("--agency", metavar="NAME", help="机关名称（源文件标题中没有时必填；填了以此为准）")
    parser.add_argument("--slug", metavar="SLUG", help="机关代码，用于网址，例如 shifan-zhen（必填：中文名称无法可靠转换）")
    parser.add_argument("--year", type=_year, metavar="YYYY", help="报告年度（源文件标题中没有时必填）")
    parser.add_argument("--published", type=_date, metavar="YYYY-MM-DD", help="发布日期（源文件中没有时必填）")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的 YAML 文件")


def _usage_error(message: str, err: TextIO) -> int:
    print(f"gongkai import: 错误：{message}", file=err)
    return 2


def run(args: argparse.Namespace) -> int:
    """Import every source; see the module docstring for exit codes."""
    out, err = sys.stdout, sys.stderr
    if not args.slug:
        return _usage_error("请用 --slug 指定机关代码（小写英文字母、数字和连字符，例如 shifan-zhen）。"
                            "中文机关名称无法可靠地自动转换成网址用的代码", err)
    if not SLUG_PATTERN.match(args.slug):
        return _usage_error(f"机关代码“{args.slug}”无效：只能由小写英文字母、数字和连字符组成，"
                            "且不能以连字符开头或结尾（例如 shifan-zhen）", err)
    if args.agency and (problem := name_problem(args.agency, "机关名称（--agency）")):
        return _usage_error(problem, err)
    if len(args.sources) > 1 and (args.year or args.published):
        return _usage_error("--year 和 --published 只能在导入一个源文件时使用（多个源文件各自从标题和落款读取）", err)
    overrides = Overrides(slug=args.slug, agency=args.agency, year=args.year, published=args.published)
    failed = 0
    for path in args.sources:
        if not import_one(path, overrides, args.output, args.force, out, err):
            failed += 1
    return 1 if failed else 0


def import_one(path: Path, overrides: Overrides, output: Path, force: bool, out: TextIO, err: TextIO) -> bool:
    """Import one source; on any error print where and write nothing."""
    display = str(path)
    try:
        imported = import_report(read_source(path, display), overrides)
        report = imported.report
        target = output / report.agency.slug / f"{report.year}.yml"
        if target.exists() and not force:
            raise UnreadableSource([source_error(display, "import-exists", target=target)])
        text = report_to_yaml(report, include_totals=True,
                              header_note=f"由 gongkai import 导入自 {path.name}；数字（含总计）按源文件原样保留。")
        warnings = check_written(text, report, target)
    except UnreadableSource as error:
        for finding in error.findings:
            print(format_finding(finding), file=err)
        print(f"未导入 {display}：没有写入任何文件", file=err)
        return False
    write_atomically(target, text)
    for notice in imported.notices:
        print(f"提示：{notice}", file=err)
    for finding in warnings:
        print(format_finding(finding), file=err)
    for finding in sort_findings(validate_report(report)):
        print(INCONSISTENCY_PREFIX + format_finding(finding), file=err)
    print(f"已导入 {display} → {target}（{report.title}）", file=out)
    return True


def check_written(text: str, report: Report, target: Path) -> list[Finding]:
    """Loads the YAML about to be written: it must parse and give back the same report."""
    document, findings = load_text(text, target, str(target))
    parsed = None
    if document is not None:
        parsed, more = parse_document(document)
        findings = findings + more
    errors = [f for f in findings if f.is_error]
    if errors:
        raise UnreadableSource(errors)
    if parsed is None or parsed.values != report.values or parsed.narrative != report.narrative:
        raise UnreadableSource([source_error(str(target), "import-round-trip")])
    return [f for f in findings if not f.is_error]


def write_atomically(target: Path, text: str) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written YAML."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
