"""`gongkai import SOURCE...`: published reports (text, HTML, Word) to report YAML files.

Exit codes: 0 every source imported (inconsistencies in the source are reported, not fixed),
1 a source could not be read as a report (nothing written for it), 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from .. import cli_options as options
from ..findings import Finding, format_finding, sort_findings
from ..loading import load_text
from ..model import Report
from ..parsing import parse_document
from ..validation import validate_report
from ..writing import report_to_yaml
from .document import Overrides, import_report
from .readers import read_source
from .source import UnreadableSource, source_error
from .xlsx import FORM_SUFFIXES, read_form

DEFAULT_OUTPUT = Path("reports")
INCONSISTENCY_PREFIX = "源文件中的不一致（已按原样保留）: "


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `gongkai import`, for the CLI to attach to its subcommand (names shared: ``cli_options``)."""
    parser.add_argument("sources", nargs="+", type=options.source, metavar="源文件",
                        help="已发布的年度报告：网页另存的 .html、复制出的 .txt、Word .docx，"
                             "或 gongkai new --xlsx 生成并填好的 Excel 表单 .xlsx（不接受网址）")
    options.add_output(parser, str(DEFAULT_OUTPUT), "报告文件夹（默认 reports），写入 文件夹/机关代码/年度.yml")
    options.add_agency(parser, agency_help="机关代码，用于网址，例如 shifan-zhen（必填：中文名称无法可靠转换）",
                       name_help="机关名称（源文件标题中没有时必填；填了以此为准）")
    options.add_year(parser, "报告年度（源文件标题中没有时必填）")
    options.add_published(parser, "发布日期 YYYY-MM-DD（源文件中没有时必填）")
    options.add_force(parser, "覆盖已存在的报告文件")
    options.add_deprecated(parser, "--slug", "slug")


def _usage_error(message: str, err: TextIO) -> int:
    print(f"gongkai import: 错误：{message}", file=err)
    return 2


def run(args: argparse.Namespace) -> int:
    """Import every source; see the module docstring for exit codes."""
    out, err = sys.stdout, sys.stderr
    try:
        options.resolve_agency(args, err)
    except options.UsageError as error:
        return _usage_error(str(error), err)
    if not args.agency and not all(path.suffix.lower() in FORM_SUFFIXES for path in args.sources):
        return _usage_error("请用 --agency 指定机关代码（小写英文字母、数字和连字符，例如 shifan-zhen）。"
                            "中文机关名称无法可靠地自动转换成网址用的代码", err)
    if len(args.sources) > 1 and (args.year or args.published):
        return _usage_error("--year 和 --published 只能在导入一个源文件时使用（多个源文件各自从标题和落款读取）", err)
    overrides = Overrides(slug=args.agency or "", agency=args.name, year=args.year, published=args.published)
    failed = 0
    for path in args.sources:
        if not import_one(path, overrides, Path(args.output), args.force, out, err):
            failed += 1
    return 1 if failed else 0


def import_one(path: Path, overrides: Overrides, output: Path, force: bool, out: TextIO, err: TextIO) -> bool:
    """Import one source; on any error print where and write nothing."""
    display = str(path)
    try:
        if path.suffix.lower() in FORM_SUFFIXES:  # the Excel form: cells read by position, not parsed as text
            imported = read_form(path, display, overrides)
        else:
            imported = import_report(read_source(path, display), overrides)
        report = imported.report
        target = output / report.agency.slug / f"{report.year}.yml"
        if target.exists() and not force:
            raise UnreadableSource([source_error(display, "import-exists",
                                                 f"{target} 已存在，未覆盖；确认要覆盖请加 --force")])
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
    if errors or parsed is None:
        raise UnreadableSource(errors or [source_error(str(target), "import-invalid", "生成的 YAML 无法读取")])
    if parsed.values != report.values or parsed.narrative != report.narrative:
        raise UnreadableSource([source_error(str(target), "import-round-trip",
                                             "生成的 YAML 读回后与导入的数据不一致（程序错误，请报告）")])
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
