"""The `gongkai` command: new, import and validate reports, preview and build the site, schema.

Exit codes: 0 success, 1 the reports have errors, 2 the command itself could not run
(bad arguments, missing path, file exists, unexpected failure).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Callable, Sequence

from . import cli_options as options
from . import collection, findings
from .cli_options import UsageError, resolve_agency, resolve_output
from .findings import Finding, Severity
from .formats import format_for_year
from .indexing import Layout
from .lateness import late_findings
from .model import Agency, Report
from .preview import plan_site
from .roster import ROSTER_FILE
from .schema import schema_json
from .siteinfo import site_info_findings
from .starting import NewReport, code_for, prepare, previous_report, yaml_text
from .validation import acknowledge, check_across_years, check_report
from .writing import OutputError, write_atomically

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

IMPORT_MODULE = "gongkai.importing.command"
IMPORT_HELP = "从已发布的报告（网页、文本、Word 文档）导入，生成报告文件"

_ARGPARSE_ZH = {
    "the following arguments are required": "缺少必填参数",
    "unrecognized arguments": "无法识别的参数",
    "invalid choice": "无效的选择",
    "choose from": "可选",
    "expected one argument": "需要一个值",
    "invalid": "无效的",
    "argument ": "参数 ",
}


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese headings, help and error lines."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        wants_help = kwargs.pop("add_help", True)
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        if wants_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str) -> None:  # type: ignore[override]
        for english, chinese in _ARGPARSE_ZH.items():
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: 参数错误：{message}\n")


def _err(text: str) -> None:
    print(text, file=sys.stderr)


# --- validate -------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every report under the paths; errors (or, with --strict, warnings) fail."""
    paths = [Path(p) for p in args.paths] or [Path("reports")]
    missing = [str(p) for p in paths if not os.path.lexists(p)]
    if missing:
        raise UsageError(f"路径不存在：{'、'.join(missing)}")
    portal = collection.load_portal(paths, base=Path.cwd())
    # The site's URL rules are in the loader's findings; late publication, which the site marks 逾期发布, too;
    # and the footer's settings in the project's mkdocs.yml, on which the build would stop.
    found = findings.sort_findings(portal.findings + late_findings(portal.reports)
                                   + site_info_findings(Path.cwd() / "mkdocs.yml"))
    # Drafts (status: draft) are not published: their findings are shown but do not fail the check.
    drafts = plan_site(portal.reports, portal.findings, portal.files, layout=Layout(), base=Path.cwd(),
                       preview=False, strict=False).drafts
    notes = acknowledged_discrepancies(portal.reports)
    if args.format == "json":
        print(validate_json(found, notes))
    else:
        for finding in found:
            print(findings.format_finding(finding))
        for note in notes:
            print(acknowledged_line(note))
        print(f"检查了 {len(portal.files)} 个报告文件：{findings.summarize(found)}")
        if notes:
            print(f"另有 {len(notes)} 处原文数据说明：存档报告按原文保留的不一致，已在 discrepancies 中说明，不算错误")
        if drafts:
            print(f"其中 {len(drafts)} 份草稿（status: draft）不发布，其问题不影响检查结果：{'、'.join(drafts)}")
    failing = [f for f in found if f.file not in drafts
               and (f.is_error or (args.strict and f.severity is Severity.WARNING))]
    return EXIT_FINDINGS if failing else EXIT_OK


def acknowledged_discrepancies(reports: Sequence[Report]) -> list[Finding]:
    """What archived reports' published numbers break and their ``discrepancies`` acknowledge."""
    by_key = {report.key: report for report in reports}
    notes: list[Finding] = []
    for report in reports:
        if not report.discrepancies:
            continue
        notes.extend(check_report(report).acknowledged)
        previous = by_key.get((report.agency.slug, report.year - 1))
        if previous is not None:  # the carry-over from last year's report is acknowledged here
            notes.extend(acknowledge(report, check_across_years(report, previous), lambda item: True).acknowledged)
    return findings.sort_findings(notes)


def validate_json(found: Sequence[Finding], notes: Sequence[Finding]) -> str:
    """The findings, then each acknowledged discrepancy as ``"severity": "info"``, ``"acknowledged": true``
    (information, never a failure: an archive's numbers are kept as published)."""
    items = json.loads(findings.findings_to_json(found))
    for note in json.loads(findings.findings_to_json(notes)):
        items.append({**note, "severity": "info", "acknowledged": True})
    return json.dumps(items, ensure_ascii=False, indent=2)


def acknowledged_line(note: Finding) -> str:
    """An acknowledged discrepancy for people: like a finding, but 说明 (information), not 错误."""
    return f"{note.location()}: 说明 [{note.rule}] {findings.format_finding(note).split('] ', 1)[1]}（原文数据说明，按原文保留）"


def cmd_check(args: argparse.Namespace) -> int:
    """Every report the roster expects: missing or failing ones (with --strict, late ones too) fail."""
    from .opendata.check import check, render

    paths = [Path(p) for p in args.paths] or [Path("reports")]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"路径不存在：{'、'.join(missing)}")
    result = check(paths, as_of=args.as_of or date.today(), until=args.until, base=Path.cwd())
    print(render(result, args.format))
    return EXIT_FINDINGS if result.failed(args.strict) else EXIT_OK


# --- new ------------------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    """Write the template of one agency's year (YAML, or the Excel form), carrying last year's figures;
    without --agency and --name, one for every agency of the roster that has no report for the year."""
    resolve_agency(args)
    folder, file = resolve_output(args)
    year: int = args.year
    spec = format_for_year(year)
    if spec is None or year > date.today().year:
        raise UsageError(f"报告年度 {year} 不在支持范围内（2019 年起，且不晚于今年）")
    portal = collection.load_portal([folder], base=Path.cwd()) if folder.is_dir() else collection.Portal([], [])
    if args.agency is None and args.name is None:
        return _new_from_roster(args, portal, folder, year)
    if args.agency is None:
        args.agency = code_for(args.name.strip(), portal, folder)
        print(f"机关代码：{args.agency}（由机关名称“{args.name.strip()}”生成；需要时可用 --agency 指定）")
    output = file or folder / args.agency / f"{year}{'.xlsx' if args.xlsx else '.yml'}"
    if output.exists() and not args.force:
        raise UsageError(f"文件已存在：{output}。如需覆盖，请加 --force")

    previous, broken = previous_report(portal, args.agency, year)
    name = args.name or (previous.agency.name if previous else None)
    if not name:
        hint = f"（上一年度报告 {'、'.join(broken)} 有错误，无法读取）" if broken else ""
        raise UsageError(f"没有找到 {args.agency} 的 {year - 1} 年度报告{hint}，请用 --name 给出机关名称")
    new = prepare(portal, Agency(args.agency, name.strip()), year, spec, output, args.published)
    return _write_new(new, output, args.xlsx)


def _new_from_roster(args: argparse.Namespace, portal: collection.Portal, folder: Path, year: int) -> int:
    """Every agency of ``reports/roster.yml`` due to report for the year and without a report yet."""
    if portal.roster is None:
        raise UsageError(f"请用 --agency 给出机关代码（例如 shifan-zhen），或用 --name 给出机关名称；"
                         f"要为全部机关一次生成，请先在 {folder / ROSTER_FILE} 中列出应报送的机关")
    roster_errors = [f for f in portal.findings if f.is_error and Path(f.file).name == ROSTER_FILE]
    if roster_errors:
        for finding in findings.sort_findings(roster_errors):
            _err(findings.format_finding(finding))
        raise UsageError(f"机关名单 {portal.roster.display_path} 有错误，请改正后再运行")
    spec = format_for_year(year)
    assert spec is not None
    have = {r.agency.slug for r in portal.reports if r.year == year}
    made, present, not_due = [], [], []
    for entry in portal.roster.entries:
        target = folder / entry.code / f"{year}{'.xlsx' if args.xlsx else '.yml'}"
        if not entry.due(year):
            not_due.append(entry.name)
        elif entry.code in have or (folder / entry.code / f"{year}.yml").exists() or (target.exists() and not args.force):
            present.append(entry.name)
        else:
            if _write_new(prepare(portal, Agency(entry.code, entry.name), year, spec, target, args.published),
                          target, args.xlsx) != EXIT_OK:
                return EXIT_USAGE
            made.append(entry.name)
    summary = f"按机关名单 {portal.roster.display_path}：为 {len(made)} 个机关生成了 {year} 年度报告模板"
    if present:
        summary += f"；{len(present)} 个机关已有该年度报告，未改动"
    if not_due:
        summary += f"；{len(not_due)} 个机关 {year} 年度尚不需报送（起报年度较晚）"
    print(summary)
    return EXIT_OK


def _write_new(new: NewReport, output: Path, xlsx: bool) -> int:
    """Write one template; a target that cannot be written is a located message (exit 2), never a traceback."""
    if new.broken:
        _err(f"注意：上一年度报告 {'、'.join(new.broken)} 有错误，上年结转未能预填，请手工填写")
    if xlsx:
        from .forms import write_form

        try:
            write_form(new, output)
        except OSError as error:
            raise UsageError(f"无法写入 {output}：{error.strerror or error}") from None
        print(f"已生成 {output}（{new.report.format.document} 格式的 Excel 表单）。"
              f"填写后运行：gongkai import {output}")
        return EXIT_OK
    try:
        write_atomically(output, yaml_text(new, output))
    except OutputError as error:
        _err(findings.format_finding(error.finding))
        return EXIT_USAGE
    print(f"已生成 {output}（{new.report.format.document} 格式）。填写后运行：gongkai validate {output}")
    return EXIT_OK


# --- schema ---------------------------------------------------------------------------


def cmd_schema(args: argparse.Namespace) -> int:
    """Print or write the JSON Schema of report files."""
    text = schema_json()
    if args.output:
        try:
            write_atomically(Path(args.output), text)
        except OutputError as error:
            _err(findings.format_finding(error.finding))
            return EXIT_USAGE
        print(f"已写入 {args.output}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


# --- handbook -------------------------------------------------------------------------


def cmd_handbook(args: argparse.Namespace) -> int:
    """Print the generated field and rule tables, or refresh them inside the handbook."""
    from .handbook import reference_markdown, update_handbook

    if args.write:
        update_handbook(Path(args.write))
        print(f"已更新 {args.write}")
    else:
        sys.stdout.write(reference_markdown())
    return EXIT_OK


# --- import (another module, loaded only when asked for) ------------------------------


def _import_module() -> ModuleType | None:
    try:
        return importlib.import_module(IMPORT_MODULE)
    except ModuleNotFoundError as error:
        if error.name and (error.name == IMPORT_MODULE or IMPORT_MODULE.startswith(error.name + ".")):
            return None
        raise


def _add_import(subparsers: argparse._SubParsersAction[_Parser], load: bool) -> None:
    """Register `import`; its module is imported only when that command runs."""
    module = _import_module() if load else None
    if module is None:
        parser = subparsers.add_parser("import", help=IMPORT_HELP, add_help=False)
        parser.add_argument("rest", nargs=argparse.REMAINDER)
        parser.set_defaults(func=_import_unavailable)
        return
    parser = subparsers.add_parser("import", help=IMPORT_HELP)
    module.add_arguments(parser)
    parser.set_defaults(func=module.run)


def _import_unavailable(args: argparse.Namespace) -> int:
    raise UsageError("导入功能不可用：本安装中没有 gongkai.importing 模块")


# --- export (a report for a CMS article, and as a Word attachment) ----------------------


def cmd_export(args: argparse.Namespace) -> int:
    """Every valid report under the paths as an HTML fragment, a one-file page and a Word document."""
    from .attachments import export

    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"路径不存在：{'、'.join(missing)}")
    portal = collection.load_portal(paths, base=Path.cwd())
    errors = [f for f in portal.findings if f.is_error]
    if errors:
        for finding in findings.sort_findings(errors):
            print(findings.format_finding(finding))
        _err("有错误的报告不能导出：请改正后重试（没有写入任何文件）")
        return EXIT_FINDINGS
    folder = Path(args.output)
    for report in portal.reports:
        written = export(report, folder)
        print(f"已导出 {report.title}：" + "、".join(f"{path}（{kind.title}）" for kind, path in written))
    return EXIT_OK


# --- serve, build (MkDocs run as a module: nothing needs make or a shell) -------------


def _mkdocs_config(args: argparse.Namespace) -> Path:
    config = Path(args.config_file)
    if not config.is_file():
        raise UsageError(f"找不到网站配置文件 {config}：请在门户文件夹（有 mkdocs.yml 的文件夹）中运行，或用 -f 指定")
    return config


def _run_mkdocs(*arguments: str) -> int:
    """``python -m mkdocs …`` with this interpreter (the same virtual environment, on any system)."""
    env = {**os.environ, "PYTHONUTF8": "1"}
    return subprocess.call([sys.executable, "-m", "mkdocs", *arguments], env=env)


def cmd_serve(args: argparse.Namespace) -> int:
    """Preview: never stops on a report's error; the findings show in the browser."""
    config = _mkdocs_config(args)
    print(f"本地预览：http://{args.dev_addr}/ ，保存报告文件后页面自动刷新；有错误的报告在页面上列出问题。按 Ctrl+C 停止。")
    code = _run_mkdocs("serve", "--dirty", "-f", str(config), "-a", args.dev_addr)
    return EXIT_OK if code == 0 else EXIT_USAGE


def cmd_build(args: argparse.Namespace) -> int:
    """Publishing: strict, into a fresh site folder; drafts are left out and named."""
    config = _mkdocs_config(args)
    extra = ["-d", str(Path(args.output).resolve())] if args.output else []
    code = _run_mkdocs("build", "--strict", "-f", str(config), *extra)
    if code == 0:
        print(f"网站已生成：{args.output or '（mkdocs.yml 中 site_dir 设定的文件夹，默认 site/）'}")
        return EXIT_OK
    _err("网站未生成：请按上面列出的问题修改后重试（gongkai validate 可只检查报告）")
    return EXIT_FINDINGS


def _add_site_commands(subparsers: argparse._SubParsersAction[_Parser]) -> None:
    serve = subparsers.add_parser("serve", help="本地预览网站（保存后自动刷新；有错误的报告显示问题，不中断预览）",
                                  description="启动本地预览服务器（mkdocs serve）。标为草稿的报告也会显示。")
    build = subparsers.add_parser("build", help="生成要发布的网站（有错误时不生成；草稿不发布）",
                                  description="生成网站（mkdocs build --strict）。有错误的报告会使生成失败，草稿不发布。")
    for parser in (serve, build):
        parser.add_argument("-f", "--config-file", default="mkdocs.yml", metavar="文件",
                            help="网站配置文件（默认 mkdocs.yml）")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="地址",
                       help="预览地址和端口（默认 127.0.0.1:8000）")
    build.add_argument("-o", "--output", metavar="文件夹", help="网站文件夹（默认按 mkdocs.yml，通常为 site/）")
    serve.set_defaults(func=cmd_serve)
    build.set_defaults(func=cmd_build)


# --- entry point ----------------------------------------------------------------------


def build_parser(load_import: bool = True) -> argparse.ArgumentParser:
    parser = _Parser(prog="gongkai", description="政府信息公开工作年度报告：新建、导入、检查报告，预览和生成网站。")
    subparsers = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    subparsers.required = True

    validate = subparsers.add_parser("validate", help="检查报告文件（格式、类型、勾稽关系、跨年度衔接、是否逾期）",
                                     description="检查报告文件并列出发现的问题。没有错误时退出码为 0，有错误时为 1。")
    validate.add_argument("paths", nargs="*", metavar="路径", help="报告文件或文件夹（默认 reports/）")
    validate.add_argument("--strict", action="store_true", help="警告也视为不通过")
    validate.add_argument("--format", choices=("text", "json"), default="text",
                          help="输出格式：text 为文字（默认），json 为供程序读取的 JSON")
    validate.set_defaults(func=cmd_validate)

    check = subparsers.add_parser(
        "check", help="检查各机关报告的报送情况（按期、逾期、未发布、未通过校验）",
        description="按机关名单（reports/roster.yml；没有名单时按已有报告）列出各机关各年度报告的报送情况。"
                    "有未发布或未通过校验的报告时退出码为 1，否则为 0，可用于定时任务。")
    check.add_argument("paths", nargs="*", metavar="路径", help="报告文件夹（默认 reports/）")
    check.add_argument("--strict", action="store_true", help="逾期发布等警告也视为不通过")
    check.add_argument("--format", choices=("text", "json"), default="text", help="输出格式：text 为文字（默认），json 为供程序读取的 JSON")
    check.add_argument("--until", type=options.year, metavar="年度", help="检查到哪个年度（默认：已有报告的最新年度）")
    check.add_argument("--as-of", type=options.published, metavar="日期", help="按哪一天判断是否已到发布期限 YYYY-MM-DD（默认今天）")
    check.set_defaults(func=cmd_check)

    new = subparsers.add_parser("new", help="生成某机关某年度的报告模板（YAML 或 Excel 表单）",
                                description="生成带中文注释的报告模板；有上一年度报告时沿用机关名称并预填上年结转。"
                                            "报告写入 报告文件夹/机关代码/年度.yml（加 --xlsx 时为 .xlsx）。")
    options.add_year(new, "报告年度，例如 2024", required=True)
    options.add_agency(new, agency_help="机关代码，例如 shifan-zhen",
                       name_help="机关名称，例如 示例镇人民政府（没有上一年度报告时必填）")
    options.add_published(new, "发布日期 YYYY-MM-DD（默认留作“【请填写】”，由填报人填写）")
    options.add_output(new, "reports", "报告文件夹（默认 reports）")
    new.add_argument("--xlsx", action="store_true", help="生成 Excel 表单（按表二、三、四的正式格式），填好后用 gongkai import 导入")
    options.add_force(new)
    options.add_deprecated(new, "--reports", "reports")
    new.set_defaults(func=cmd_new)

    _add_import(subparsers, load_import)
    export = subparsers.add_parser("export", help="导出报告：可粘贴到网站文章的 HTML 片段、单个网页文件和 Word 文档",
                                   description="把报告导出为 HTML 片段（只用内联样式，没有脚本，可粘贴到集约化平台的文章中）、"
                                               "单个网页文件和 Word 文档。")
    export.add_argument("paths", nargs="+", metavar="路径", help="报告文件或文件夹")
    options.add_output(export, "导出", "导出文件夹（默认 导出）")
    export.set_defaults(func=cmd_export)
    _add_site_commands(subparsers)

    schema = subparsers.add_parser("schema", help="输出报告文件的 JSON Schema（供编辑器提示和检查）")
    schema.add_argument("-o", "--output", metavar="文件", help="写入该文件（不是文件夹；默认输出到屏幕）")
    schema.set_defaults(func=cmd_schema)

    handbook = subparsers.add_parser("handbook", help="输出填报说明中的字段表和规则表")
    handbook.add_argument("--write", metavar="文件", help="更新该 Markdown 文件中自动生成的部分")
    handbook.set_defaults(func=cmd_handbook)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; never ends in a traceback (set GONGKAI_DEBUG=1 to see one)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser(load_import=arguments[:1] == ["import"])
        args = parser.parse_args(arguments)
        handler: Callable[[argparse.Namespace], int] = args.func
        return int(handler(args) or 0)
    except UsageError as error:
        _err(f"gongkai: {error}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _err("gongkai: 已中断")
        return EXIT_USAGE
    except Exception as error:  # noqa: BLE001 - last resort: a message, not a traceback
        if os.environ.get("GONGKAI_DEBUG"):
            raise
        _err(f"gongkai: 内部错误（{type(error).__name__}: {error}）。"
             "请把这条信息和所用的命令报告给维护者；设置环境变量 GONGKAI_DEBUG=1 可看到详细信息")
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
