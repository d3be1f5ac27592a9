"""The options the `gongkai` commands share, declared once: one name and one meaning each.

- ``--agency`` is always the agency code (机关代码, e.g. ``shifan-zhen``), ``--name`` the Chinese name;
- ``--year`` the report year, ``--published`` the publication date;
- ``-o/--output`` is always a folder (the reports folder, or the site folder for ``build``);
- ``--force`` overwrites.

Old spellings keep working for a while, with a notice in Chinese: ``import --slug`` (now
``--agency``), ``import --agency 名称`` (now ``--name``), ``new --reports`` (now ``-o``) and
``new -o 文件.yml`` (a file where a folder is expected).
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from .limits import MAX_SLUG_LENGTH
from .model import SLUG_PATTERN
from .rules import RULES, usage
from .text_checks import name_problem

AGENCY_METAVAR, NAME_METAVAR, YEAR_METAVAR, DATE_METAVAR, FOLDER_METAVAR, FILE_METAVAR = (
    "机关代码", "机关名称", "年度", "日期", "文件夹", "文件")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
REPORT_FILE_SUFFIXES = (".yml", ".yaml", ".xlsx")


class UsageError(Exception):
    """A problem with how the command was called; printed in Chinese, exit 2."""


def year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(usage("year", text=text))
    return int(text)


def published(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(usage("date", text=text)) from None


def source(text: str) -> Path:
    """A file to read; a web address is refused (gongkai never goes on the network)."""
    if _URL.match(text):
        raise argparse.ArgumentTypeError(
            f"不能直接导入网址“{text}”：gongkai 不访问网络。请在浏览器中打开该网页，"
            "另存为 .html（或把文字复制到 .txt）后，导入保存下来的文件")
    return Path(text)


def add_agency(parser: argparse.ArgumentParser, *, name_help: str, agency_help: str) -> None:
    parser.add_argument("--agency", metavar=AGENCY_METAVAR, help=agency_help)
    parser.add_argument("--name", metavar=NAME_METAVAR, help=name_help)


def add_year(parser: argparse.ArgumentParser, help: str, *, required: bool = False) -> None:
    parser.add_argument("--year", type=year, required=required, metavar=YEAR_METAVAR, help=help)


def add_published(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--published", type=published, metavar=DATE_METAVAR, help=help)


def add_output(parser: argparse.ArgumentParser, default: str, help: str) -> None:
    parser.add_argument("-o", "--output", default=default, metavar=FOLDER_METAVAR, help=help)


def add_force(parser: argparse.ArgumentParser, help: str = "覆盖已存在的文件") -> None:
    parser.add_argument("--force", action="store_true", help=help)


def add_deprecated(parser: argparse.ArgumentParser, option: str, dest: str) -> None:
    """An old spelling, hidden from --help, resolved by ``resolve_agency`` / ``resolve_output``."""
    parser.add_argument(option, dest=dest, default=None, help=argparse.SUPPRESS)


def notice(text: str, err: TextIO | None = None) -> None:
    print(f"注意：{text}", file=err or sys.stderr)


def resolve_agency(args: argparse.Namespace, err: TextIO | None = None) -> None:
    """``--agency`` as a code and ``--name`` as the name, whatever old spelling was used."""
    agency: str | None = getattr(args, "agency", None)
    if agency is not None and not SLUG_PATTERN.match(agency) and not agency.isascii():
        if args.name is None:
            notice(f"--agency 表示机关代码（例如 shifan-zhen）；“{agency}”是机关名称，已按 --name 处理。"
                   "今后请写 --name", err)
            args.name = agency
        else:
            raise UsageError(usage("agency-code", agency=agency))
        agency = None
    old = getattr(args, "slug", None)
    if old is not None:
        notice("--slug 已改名为 --agency（机关代码），旧写法今后将不再支持", err)
        if agency is not None and agency != old:
            raise UsageError(f"--slug（{old}）与 --agency（{agency}）不一致：只需写 --agency")
        agency = old
    if agency is not None and not SLUG_PATTERN.match(agency):
        raise UsageError(f"机关代码“{agency}”不合规：只能由小写英文字母、数字和连字符组成，"
                         "且不能以连字符开头或结尾，例如 shifan-zhen")
    if agency is not None and len(agency) > MAX_SLUG_LENGTH:
        raise UsageError(RULES["slug-too-long"].message(length=len(agency), limit=MAX_SLUG_LENGTH))
    args.agency = agency
    name: str | None = getattr(args, "name", None)
    if name and (problem := name_problem(name, "机关名称（--name）")):
        raise UsageError(problem)


def resolve_output(args: argparse.Namespace, err: TextIO | None = None) -> tuple[Path, Path | None]:
    """The output folder, and a file when ``-o`` names one (the old ``new -o 文件.yml``), with a notice."""
    old = getattr(args, "reports", None)
    if old is not None:
        notice("--reports 已改名为 -o/--output（报告文件夹），旧写法今后将不再支持", err)
    output = Path(args.output)
    if output.suffix.lower() in REPORT_FILE_SUFFIXES:
        notice(f"-o/--output 是文件夹；“{output}”看来是文件名，本次仍写入该文件。"
               "今后请写 -o 文件夹，报告写入 文件夹/机关代码/年度.yml", err)
        return Path(old or "reports"), output
    return (Path(old) if old is not None and args.output == "reports" else output), None
