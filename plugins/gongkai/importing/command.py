"""`gongkai import SOURCE...`: published reports (text, HTML, Word) to report YAML files.

Exit codes: 0 every source imported (inconsistencies in the source are reported, not fixed),
1 a source could not be read as a report (nothing written for it), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .. import cli_options as options
from ..findings import Finding, format_finding, sort_findings
from ..loading import load_file, load_text
from ..model import Agency, Report
from ..parsing import parse_document
from ..starting import agency_slug
from ..validation import check_across_years, check_report, discrepancies_of
from ..writing import OutputError, report_to_yaml, write_atomically
from .document import Imported, Overrides, import_report
from .readers import read_source
from .source import UnreadableSource, source_error
from .xlsx import FORM_SUFFIXES, read_form

DEFAULT_OUTPUT = Path("reports")
INCONSISTENCY_PREFIX = "源文件中的不一致（已按原样保留）: "
ACKNOWLEDGED_PREFIX = "原文数据说明（数字按原文保留，已记入 discrepancies）: "


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `gongkai import`, for the CLI to attach to its subcommand (names shared: ``cli_options``)."""
    parser.add_argument("sources", nargs="+", type=options.source, metavar="源文件",
                        help="已发布的年度报告：网页另存的 .html、复制出的 .txt、PDF、Word .docx，"
                             "gongkai new --xlsx 生成并填好的 Excel 表单 .xlsx，或包含这些文件的文件夹（不接受网址）")
    options.add_output(parser, str(DEFAULT_OUTPUT), "报告文件夹（默认 reports），写入 文件夹/机关代码/年度.yml")
    options.add_agency(parser, agency_help="机关代码，用于网址，例如 shifan-zhen（不填则由机关名称的拼音生成，同一机关各年度相同）",
                       name_help="机关名称（源文件标题中没有时必填；填了以此为准）")
    options.add_year(parser, "报告年度（源文件标题中没有时必填）")
    options.add_published(parser, "发布日期 YYYY-MM-DD（源文件中没有时必填）")
    parser.add_argument("--source", metavar="网址", help="原文出处（网址），记入 archived.source（默认取网页中的原文链接或文件名）")
    options.add_force(parser, "覆盖已存在的报告文件")
    options.add_deprecated(parser, "--slug", "slug")


def _usage_error(message: str, err: TextIO) -> int:
    print(f"gongkai import: 错误：{message}", file=err)
    return 2


def run(args: argparse.Namespace) -> int:
    """Import every source (a folder: every report file in it); see the module docstring for exit codes."""
    out, err = sys.stdout, sys.stderr
    try:
        options.resolve_agency(args, err)
    except options.UsageError as error:
        return _usage_error(str(error), err)
    sources = expand_sources(args.sources)
    if len(sources) > 1 and (args.year or args.published):
        return _usage_error("--year 和 --published 只能在导入一个源文件时使用（多个源文件各自从标题和落款读取）", err)
    if not sources:
        return _usage_error("文件夹中没有可导入的报告文件（" + "、".join(IMPORTABLE_SUFFIXES) + "）", err)
    overrides = Overrides(slug=args.agency, agency=args.name, year=args.year, published=args.published,
                          source=getattr(args, "source", None))
    read = {path: read_one(path, overrides, err) for path in sources}
    # The earliest year first: each report is checked against the year before it (上年结转).
    order = sorted(sources, key=lambda p: (isinstance(read[p], Imported) and read[p].report.year) or 0)  # type: ignore[union-attr]
    done: dict[Path, Outcome] = {}
    for path in order:
        item = read[path]
        done[path] = item if isinstance(item, Outcome) else write_one(path, item, overrides, Path(args.output),
                                                                       args.force, out, err)
    outcomes = [done[path] for path in sources]
    if len(outcomes) > 1:
        print(summary(outcomes), file=out)
    return 1 if any(o.refused for o in outcomes) else 0


# Files a folder import picks up (helper modules may add theirs, e.g. .xlsx).
IMPORTABLE_SUFFIXES = [".html", ".htm", ".shtml", ".txt", ".pdf", ".docx", *FORM_SUFFIXES]


def expand_sources(paths: list[Path]) -> list[Path]:
    """The files given, and every importable file in each folder given (sorted, hidden files left out)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in IMPORTABLE_SUFFIXES
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            found.append(path)
    return found


@dataclass
class Outcome:
    """What became of one source."""

    path: Path
    target: Path | None = None
    discrepancies: int = 0
    approximate: int = 0
    reason: str = ""

    @property
    def refused(self) -> bool:
        return self.target is None

    @property
    def clean(self) -> bool:
        return not self.refused and not self.discrepancies and not self.approximate


def summary(outcomes: list[Outcome]) -> str:
    """The closing summary of a folder import, in Chinese."""
    clean = [o for o in outcomes if o.clean]
    noted = [o for o in outcomes if not o.refused and not o.clean]
    refused = [o for o in outcomes if o.refused]
    lines = [f"导入汇总：共 {len(outcomes)} 个文件。",
             f"  无误导入 {len(clean)} 个" + ("：" + "、".join(o.path.name for o in clean) if clean else "")]
    lines.append(f"  已导入、需核对 {len(noted)} 个（原文数据说明已记录在 YAML 的 discrepancies 中；相近写法的标签请核对）"
                 + ("：" if noted else ""))
    for o in noted:
        parts = ([f"原文数据说明 {o.discrepancies} 处"] if o.discrepancies else []) + (
            [f"按相近写法认出的标签 {o.approximate} 处"] if o.approximate else [])
        lines.append(f"    {o.path.name} → {o.target}（{'，'.join(parts)}）")
    lines.append(f"  未导入 {len(refused)} 个" + ("：" if refused else ""))
    for o in refused:
        lines.append(f"    {o.path.name}：{o.reason}")
    return "\n".join(lines)


def import_one(path: Path, overrides: Overrides, output: Path, force: bool, out: TextIO, err: TextIO) -> Outcome:
    """Import one source; on any error print where and write nothing."""
    item = read_one(path, overrides, err)
    return item if isinstance(item, Outcome) else write_one(path, item, overrides, output, force, out, err)


def _refused(path: Path, error: UnreadableSource, err: TextIO) -> Outcome:
    for finding in error.findings:
        print(format_finding(finding), file=err)
    print(f"未导入 {path}：没有写入任何文件", file=err)
    first = error.findings[0] if error.findings else None
    return Outcome(path, reason=f"[{first.rule}] {first.message}" if first else "无法读取")


def read_one(path: Path, overrides: Overrides, err: TextIO) -> Imported | Outcome:
    """The report a source holds, or why it was refused (printed)."""
    try:
        if path.suffix.lower() in FORM_SUFFIXES:  # the Excel form: cells read by position, not parsed as text
            return read_form(path, str(path), overrides)
        return import_report(read_source(path, str(path)), overrides)
    except UnreadableSource as error:
        return _refused(path, error, err)


def write_one(path: Path, imported: Imported, overrides: Overrides, output: Path, force: bool, out: TextIO,
              err: TextIO) -> Outcome:
    """Write an imported report (discrepancies checked against last year's, if in ``output``); nothing on error."""
    display = str(path)
    report = imported.report
    try:
        if not overrides.slug and path.suffix.lower() not in FORM_SUFFIXES:  # a form keeps its own code
            report.agency = Agency(slug=agency_slug(report.agency.name, output), name=report.agency.name)
        target = output / report.agency.slug / f"{report.year}.yml"
        if target.exists() and not force:
            raise UnreadableSource([source_error(display, "import-exists", target=target)])
        previous = previous_report(target.with_name(f"{report.year - 1}.yml"))
        if previous is not None and report.archived is not None:  # an archive's, not a new form's
            report.discrepancies = discrepancies_of(report, previous)
        text = report_to_yaml(report, include_totals=True,
                              header_note=f"由 gongkai import 导入自 {path.name}；数字（含总计）按源文件原样保留。")
        warnings = check_written(text, report, target)
        write_atomically(target, text)
    except UnreadableSource as error:
        return _refused(path, error, err)
    except OutputError as error:
        return _refused(path, UnreadableSource([error.finding]), err)
    for notice in imported.notices:
        print(f"提示：{notice}", file=err)
    for finding in sort_findings(imported.warnings) + warnings:
        print(format_finding(finding), file=err)
    checked = check_report(report)
    across = check_across_years(report, previous) if previous is not None else []
    for finding in sort_findings(checked.acknowledged + [f for f in across if _acknowledged(report, f)]):
        print(ACKNOWLEDGED_PREFIX + format_finding(finding), file=err)
    for finding in sort_findings(checked.findings + [f for f in across if not _acknowledged(report, f)]):
        print(INCONSISTENCY_PREFIX + format_finding(finding), file=err)
    print(f"已导入 {display} → {target}（{report.title}）", file=out)
    approximate = sum(1 for f in imported.warnings if f.rule == "import-approximate-label")
    return Outcome(path, target, discrepancies=len(report.discrepancies), approximate=approximate)


def _acknowledged(report: Report, found: Finding) -> bool:
    return any(d.rule == found.rule and d.cell == found.path for d in report.discrepancies)


def previous_report(path: Path) -> Report | None:
    """Last year's report of the agency, when it is in the output folder and reads cleanly."""
    if not path.is_file():
        return None
    document, findings = load_file(path)
    if document is None or any(f.is_error for f in findings):
        return None
    report, _ = parse_document(document)
    return report


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


