"""Deadlines by 条例第四十九条: each agency's kind, and the last day to publish a year's report.

A department of a county-or-higher government publishes its annual report by 31 January; a
county-or-higher local government's own report (本级政府) by 31 March; townships and streets are
held to 31 January. The roster (``roster.py``) may declare an agency's kind and override the date.
Pure functions over dates and names: the model imports this, and nothing here reads files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

ROSTER_FILE = "roster.yml"  # under reports/; named here for the wording only
ARTICLE = "《中华人民共和国政府信息公开条例》第四十九条"

GOVERNMENT, DEPARTMENT, TOWNSHIP = "government", "department", "township"
# kind → (Chinese label, default deadline month, day) — 条例第四十九条
KINDS: dict[str, tuple[str, int, int]] = {
    GOVERNMENT: ("县级以上地方人民政府本级", 3, 31),
    DEPARTMENT: ("县级以上人民政府部门", 1, 31),
    TOWNSHIP: ("乡镇人民政府、街道办事处", 1, 31),
}
_GOVERNMENT_NAME = re.compile(r"(?:省|市|区|县|旗|自治州|州|盟|自治区)人民政府$")
_TOWNSHIP_NAME = re.compile(r"(?:乡|镇)人民政府$|街道办事处$|街道$")


def kind_from_name(name: str) -> str:
    """…区/县/市/省人民政府 → government; 乡/镇人民政府, 街道办事处 → township; else department."""
    if _TOWNSHIP_NAME.search(name):
        return TOWNSHIP
    if _GOVERNMENT_NAME.search(name):
        return GOVERNMENT
    return DEPARTMENT


def _month_day(year: int, month: int, day: int) -> date:
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        day = 28
    return date(year, month, day)


def deadline_for(kind: str, year: int, override: tuple[int, int] | None = None) -> date:
    """The last day to publish ``year``'s report: in the following year, by kind or override."""
    month, day = override or KINDS[kind][1:]
    return _month_day(year + 1, month, day)


@dataclass(frozen=True)
class Duty:
    """What an agency owes: its kind, any deadline override, and whether the kind was inferred."""

    kind: str
    override: tuple[int, int] | None = None
    inferred: bool = False

    def deadline(self, year: int) -> date:
        return deadline_for(self.kind, year, self.override)

    @property
    def basis(self) -> str:
        """Where the deadline comes from, in words (for pages and ``gongkai check``)."""
        if self.override is not None:
            return f"机关名单（reports/{ROSTER_FILE}）规定的期限"
        label = KINDS[self.kind][0]
        month, day = KINDS[self.kind][1:]
        said = f"{ARTICLE}：{label}应于每年{month}月{day}日前公布上一年度报告"
        return said + ("（机关类别按名称推定）" if self.inferred else "")


def deadline_summary(year: int) -> str:
    """One year's deadlines by the law, in words (listing pages)."""
    following = year + 1
    return (f"法定发布期限（{ARTICLE}）：县级以上地方人民政府本级为 {following}年3月31日，"
            f"其他机关为 {following}年1月31日（机关名单另有规定的从其规定）")


def duty_from_name(name: str) -> Duty:
    return Duty(kind_from_name(name), inferred=True)
