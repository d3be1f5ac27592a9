"""A new year's report to fill in (``gongkai new``): zeros, placeholders, last year's carry-over.

The template holds ``【请填写】`` wherever the editor must write something (the narrative and the
publication date), so a report left unfinished cannot be published by mistake.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from .carryover import values_carried_from
from .collection import Portal
from .formats import CellSpec, FormatSpec, Kind
from .loading import load_file
from .model import Agency, CellPath, CellValue, Report
from .parsing import PLACEHOLDER
from .roster import duty_for
from .schema import SCHEMA_PATH
from .slugs import slug_for
from .writing import report_to_yaml

NARRATIVE_PLACEHOLDERS = {
    "overview": f"{PLACEHOLDER}本年度政府信息公开工作的总体情况（主动公开、依申请公开、政府信息管理、平台建设、监督保障等）。",
    "problems": f"{PLACEHOLDER}存在的主要问题及改进情况。",
    "other_matters": f"{PLACEHOLDER}其他需要报告的事项，例如收取信息处理费的情况；没有时写明“无”。",
}
PUBLISHED_PLACEHOLDER = f"{PLACEHOLDER}YYYY-MM-DD"


@dataclass(frozen=True)
class NewReport:
    """The template of one agency's year, and what it was made from."""

    report: Report  # all zeros but the carry-over; ``published`` is the deadline (a stand-in)
    previous: Report | None  # last year's report, when there is a valid one
    broken: tuple[str, ...]  # last year's files that have errors (nothing carried from them)
    published_given: bool  # the editor gave the date (else the template holds a placeholder)

    @property
    def carried(self) -> bool:
        return self.previous is not None


def code_for(name: str, portal: Portal, folder: Path) -> str:
    """The agency's code: as the roster or its report files have it, else made from the name (pinyin), free."""
    for entry in portal.roster.entries if portal.roster is not None else ():
        if entry.name == name:
            return entry.code
    return agency_slug(name, folder)  # the importer's rule too: the same name keeps its folder


def previous_report(portal: Portal, slug: str, year: int) -> tuple[Report | None, tuple[str, ...]]:
    """Last year's report of the agency, and the files of it that could not be used."""
    for report in portal.reports:
        if report.key == (slug, year - 1):
            return report, ()
    broken = sorted({f.file for f in portal.findings
                     if f.is_error and Path(f.file).parent.name == slug and Path(f.file).stem == str(year - 1)})
    return None, tuple(broken)


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
    return Decimal(0) if cell.column.kind is Kind.AMOUNT else 0


def prepare(portal: Portal, agency: Agency, year: int, spec: FormatSpec, output: Path,
            published: date | None = None) -> NewReport:
    previous, broken = previous_report(portal, agency.slug, year)
    prefilled = values_carried_from(previous, spec) if previous is not None else {}
    report = template_report(agency, year, spec, published or date(year + 1, 1, 31), prefilled, output)
    report.duty = duty_for(portal.roster, agency.slug, agency.name)  # the deadline follows the roster
    if published is None:
        report.published = report.deadline  # a stand-in: the template holds a placeholder instead
    return NewReport(report, previous, broken, published is not None)


def notes(new: NewReport) -> list[str]:
    """What the template says to its editor, at its top."""
    lines = [
        "由 gongkai new 生成的模板：请把所有“" + PLACEHOLDER + "”替换为实际内容，并填写各表数字。",
        "总计行和总计列不必填写，会自动计算；如要填写，会核对是否等于各项之和。",
    ]
    if not new.published_given:
        lines.append(f"发布日期请填写实际发布日期（YYYY-MM-DD）；法定截止日为 {new.report.deadline.isoformat()}。")
    if new.previous is not None:
        lines.append(f"“二、上年结转”已按 {new.previous.display_path} 的“四、结转下年度继续办理”预填；"
                     "“四、结转下年度继续办理”暂填同样的数字，请按实际办理情况修改；"
                     "现行有效件数、上一年项目数量已按上年报告预填。")
    return lines


def schema_ref(output: Path) -> str:
    """The schema for the YAML language server: relative inside one project, else a file URI."""
    schema, folder = SCHEMA_PATH.resolve(), output.resolve().parent
    try:
        shared = Path(os.path.commonpath([schema, folder]))
    except ValueError:  # another drive on Windows
        return schema.as_uri()
    if shared == Path(shared.anchor):
        return schema.as_uri()
    return Path(os.path.relpath(schema, folder)).as_posix()


def yaml_text(new: NewReport, output: Path) -> str:
    """The commented YAML template (totals left out: editors need not compute them)."""
    return report_to_yaml(new.report, include_totals=False, schema_ref=schema_ref(output),
                          header_note="\n".join(notes(new)),
                          published_text=None if new.published_given else PUBLISHED_PLACEHOLDER)


def agency_slug(name: str, output: Path) -> str:
    """The code of the reports already in ``output`` under this name, or a new one free there."""
    taken: set[str] = set()
    if output.is_dir():
        for folder in sorted(p for p in output.iterdir() if p.is_dir()):
            taken.add(folder.name)
            if name in _agency_names(folder):
                return folder.name
    return slug_for(name, taken)


def _agency_names(folder: Path) -> set[str]:
    """The agency names the reports in ``folder`` give (unreadable files are skipped; the loader's limits apply)."""
    names = set()
    for path in sorted(folder.glob("*.yml")):
        document, _ = load_file(path)
        data = document.data if document is not None else None
        agency = data.get("agency") if isinstance(data, dict) else None
        if isinstance(agency, dict) and isinstance(agency.get("name"), str):
            names.add(agency["name"].strip())
    return names
