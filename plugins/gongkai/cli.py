"""The `gongkai` command: validate reports, start a new one, print the schema, import.

Exit codes: 0 success, 1 the reports have errors, 2 the command itself could not run
(bad arguments, missing path, file exists, unexpected failure).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Callable, Sequence

from . import collection, findings
from .carryover import values_carried_from
from .findings import Severity
from .formats import CellSpec, FormatSpec, Kind, format_for_year
from .limits import MAX_SLUG_LENGTH
from .model import SLUG_PATTERN, Agency, CellPath, CellValue, Report
from .parsing import PLACEHOLDER
from .rules import RULES
from .schema import SCHEMA_PATH, schema_json
from .text_checks import name_problem
from .writing import OutputError, report_to_yaml, write_atomically

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

IMPORT_MODULE = "gongkai.importing.command"
IMPORT_HELP = "从已发布的报告（网页、文本、Word 文档）导入，生成报告文件"

NARRATIVE_PLACEHOLDERS = {
    "overview": f"{PLACEHOLDER}本年度政府信息公开工作的总体情况（主动公开、依申请公开、政府信息管理、平台建设、监督保障等）。",
    "problems": f"{PLACEHOLDER}存在的主要问题及改进情况。",
    "other_matters": f"{PLACEHOLDER}其他需要报告的事项，例如收取信息处理费的情况；没有时写明“无”。",
}


class UsageError(Exception):
    """A problem with how the command was called; printed in Chinese, exit 2."""


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
    found = findings.sort_findings(portal.findings)  # the site's URL rules included
    if args.format == "json":
        print(findings.findings_to_json(found))
    else:
        for finding in found:
            print(findings.format_finding(finding))
        print(f"检查了 {len(portal.files)} 个报告文件：{findings.summarize(found)}")
    failing = [f for f in found if f.is_error or (args.strict and f.severity is Severity.WARNING)]
    return EXIT_FINDINGS if failing else EXIT_OK


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


def _year(text: str) -> int:
    if not text.isdigit() or len(text) != 4:
        raise argparse.ArgumentTypeError(f"年度应是四位数字，例如 2024（实为“{text}”）")
    return int(text)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 YYYY-MM-DD，例如 2025-01-20（实为“{text}”）") from None


def _previous_report(reports_dir: Path, slug: str, year: int) -> tuple[Report | None, list[str]]:
    """Last year's report of the agency, found through the collection, and why it was unusable."""
    if not reports_dir.is_dir():
        return None, []
    portal = collection.load_portal([reports_dir], base=Path.cwd())
    for report in portal.reports:
        if report.key == (slug, year - 1):
            return report, []
    broken = sorted({f.file for f in portal.findings
                     if f.is_error and Path(f.file).parent.name == slug and Path(f.file).stem == str(year - 1)})
    return None, broken


def template_report(agency: Agency, year: int, spec: FormatSpec, published: date,
                    prefilled: dict[CellPath, CellValue], output: Path) -> Report:
    """An all-zero report whose narrative holds placeholders the validator rejects."""
    values: dict[CellPath, CellValue] = {}
    for table in spec.tables:
        for cell in table.cells():
            values[cell.path] = _zero(cell)
    values.update(prefilled)
    narrative = {s.key: NARRATIVE_PLACEHOLDERS.get(s.key, f"{PLACEHOLDER}{s.title}") for s in spec.narrative_sections}
    return Report(source=output, display_path=str(output), agency=agency, year=year, format=spec,
                  published=published, narrative=narrative, values=values)


def _zero(cell: CellSpec) -> CellValue:
    return Decimal("0") if cell.column.kind is Kind.AMOUNT else 0


def _schema_ref(output: Path) -> str:
    """The schema for the YAML language server: relative inside one project, else a file URI."""
    schema, folder = SCHEMA_PATH.resolve(), output.resolve().parent
    try:
        shared = Path(os.path.commonpath([schema, folder]))
    except ValueError:  # another drive on Windows
        return schema.as_uri()
    if shared == Path(shared.anchor):
        return schema.as_uri()
    return Path(os.path.relpath(schema, folder)).as_posix()


def cmd_new(args: argparse.Namespace) -> int:
    """Write the commented template for one agency and year, carrying last year's figures."""
    slug: str = args.agency
    year: int = args.year
    if not SLUG_PATTERN.match(slug):
        raise UsageError(f"机关代码“{slug}”不合规：只能由小写英文字母、数字和连字符组成，例如 shifan-zhen")
    if len(slug) > MAX_SLUG_LENGTH:
        raise UsageError(RULES["slug-too-long"].message(length=len(slug), limit=MAX_SLUG_LENGTH))
    spec = format_for_year(year)
    if spec is None or year > date.today().year:
        raise UsageError(f"报告年度 {year} 不在支持范围内（2019 年起，且不晚于今年）")
    reports_dir = Path(args.reports)
    output = Path(args.output) if args.output else reports_dir / slug / f"{year}.yml"
    if output.exists() and not args.force:
        raise UsageError(f"文件已存在：{output}。如需覆盖，请加 --force")

    previous, broken = _previous_report(reports_dir, slug, year)
    if args.name and (problem := name_problem(args.name, "机关名称（--name）")):
        raise UsageError(problem)
    name = args.name or (previous.agency.name if previous else None)
    if not name:
        hint = f"（上一年度报告 {'、'.join(broken)} 有错误，无法读取）" if broken else ""
        raise UsageError(f"没有找到 {slug} 的 {year - 1} 年度报告{hint}，请用 --name 给出机关名称")
    if broken:
        _err(f"注意：上一年度报告 {'、'.join(broken)} 有错误，上年结转未能预填，请手工填写")

    prefilled: dict[CellPath, CellValue] = values_carried_from(previous, spec) if previous is not None else {}

    published = args.published or date(year + 1, 1, 31)
    report = template_report(Agency(slug, name.strip()), year, spec, published, prefilled, output)
    note = [
        "由 gongkai new 生成的模板：请把所有“" + PLACEHOLDER + "”替换为实际内容，并填写各表数字。",
        "总计行和总计列不必填写，会自动计算；如要填写，会核对是否等于各项之和。",
        f"发布日期默认为法定截止日 {published.isoformat()}，请改为实际发布日期。",
    ]
    if previous is not None:
        note.append(f"“二、上年结转”已按 {previous.display_path} 的“四、结转下年度继续办理”预填；"
                    "“四、结转下年度继续办理”暂填同样的数字，请按实际办理情况修改；"
                    "现行有效件数、上一年项目数量已按上年报告预填。")
    # Totals stay out of the template so editors need not compute them.
    text = report_to_yaml(report, include_totals=False, schema_ref=_schema_ref(output), header_note="\n".join(note))
    try:
        write_atomically(output, text)
    except OutputError as error:
        _err(findings.format_finding(error.finding))
        return EXIT_USAGE
    print(f"已生成 {output}（{spec.document} 格式）。填写后运行：gongkai validate {output}")
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


# --- entry point ----------------------------------------------------------------------


def build_parser(load_import: bool = True) -> argparse.ArgumentParser:
    parser = _Parser(prog="gongkai", description="政府信息公开工作年度报告：检查、新建报告文件，生成 JSON Schema。")
    subparsers = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    subparsers.required = True

    validate = subparsers.add_parser("validate", help="检查报告文件（格式、类型、勾稽关系、跨年度衔接）",
                                     description="检查报告文件并列出发现的问题。没有错误时退出码为 0，有错误时为 1。")
    validate.add_argument("paths", nargs="*", metavar="路径", help="报告文件或文件夹（默认 reports/）")
    validate.add_argument("--strict", action="store_true", help="警告也视为不通过")
    validate.add_argument("--format", choices=("text", "json"), default="text", help="输出格式：text（默认）或 json")
    validate.set_defaults(func=cmd_validate)

    check = subparsers.add_parser(
        "check", help="检查各机关报告的报送情况（按期、逾期、未发布、未通过校验）",
        description="按机关名单（reports/roster.yml；没有名单时按已有报告）列出各机关各年度报告的报送情况。"
                    "有未发布或未通过校验的报告时退出码为 1，否则为 0，可用于定时任务。")
    check.add_argument("paths", nargs="*", metavar="路径", help="报告文件夹（默认 reports/）")
    check.add_argument("--strict", action="store_true", help="逾期发布等警告也视为不通过")
    check.add_argument("--format", choices=("text", "json"), default="text", help="输出格式：text（默认）或 json")
    check.add_argument("--until", type=_year, metavar="年度", help="检查到哪个年度（默认：已有报告的最新年度）")
    check.add_argument("--as-of", type=_date, metavar="日期", help="按哪一天判断是否已到发布期限 YYYY-MM-DD（默认今天）")
    check.set_defaults(func=cmd_check)

    new = subparsers.add_parser("new", help="生成某机关某年度的报告模板",
                                description="生成带中文注释的报告模板；有上一年度报告时沿用机关名称并预填上年结转。")
    new.add_argument("--agency", required=True, metavar="机关代码", help="机关代码，例如 shifan-zhen")
    new.add_argument("--year", required=True, type=_year, metavar="年度", help="报告年度，例如 2024")
    new.add_argument("--name", metavar="机关名称", help="机关名称（没有上一年度报告时必填）")
    new.add_argument("--reports", default="reports", metavar="文件夹", help="报告文件夹（默认 reports）")
    new.add_argument("--published", type=_date, metavar="日期", help="发布日期 YYYY-MM-DD（默认次年 1 月 31 日）")
    new.add_argument("-o", "--output", metavar="文件", help="输出文件（默认 报告文件夹/机关代码/年度.yml）")
    new.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    new.set_defaults(func=cmd_new)

    schema = subparsers.add_parser("schema", help="输出报告文件的 JSON Schema（供编辑器提示和检查）")
    schema.add_argument("-o", "--output", metavar="文件", help="写入文件（默认输出到屏幕）")
    schema.set_defaults(func=cmd_schema)

    handbook = subparsers.add_parser("handbook", help="输出填报说明中的字段表和规则表")
    handbook.add_argument("--write", metavar="文件", help="更新该 Markdown 文件中自动生成的部分")
    handbook.set_defaults(func=cmd_handbook)

    _add_import(subparsers, load_import)
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
