"""Counts stated in the narrative are checked against the tables: a warning names the sentence and the cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from core_kit import REPO, report_text

from gongkai.collection import load_portal

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "narrative_cases.yml").read_text(encoding="utf-8"))


def _year(case: dict[str, Any]) -> int:
    return 2019 if case.get("format") == "2019" else 2024


def _text(case: dict[str, Any]) -> str:
    data = yaml.safe_load(report_text(case.get("format", "2021"), _year(case)))
    data["overview"] = case["text"] + "\n"
    if case.get("archived"):
        data["archived"] = {"source": "ndbg.html"}
    for dotted, value in case.get("cells", {}).items():
        *parents, last = dotted.split(".")
        node = data
        for key in parents:
            node = node[key]
        node[last] = value
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_narrative_counts(portal, case: dict[str, Any]) -> None:
    loaded = portal({f"shifan-zhen/{_year(case)}.yml": _text(case)})
    assert not [f for f in loaded.findings if f.rule != "narrative-count-mismatch"], loaded.findings
    warnings = [f for f in loaded.findings if f.rule == "narrative-count-mismatch"]
    assert [[int(f.actual), int(f.expected)] for f in warnings] == case["warnings"]
    for warning in warnings:
        assert not warning.is_error and warning.label == "一、总体情况" and warning.path == ("overview",)
        assert warning.actual in warning.message and "正文“" in warning.message and "表格“" in warning.message


def test_a_warning_names_the_line_and_the_cell(portal) -> None:
    case = {"text": "第一段。\n\n本年度收到政府信息公开申请9件。"}
    loaded = portal({"shifan-zhen/2024.yml": _text(case)})
    (warning,) = loaded.findings
    text = (Path(loaded.files[0])).read_text(encoding="utf-8").splitlines()
    assert "收到政府信息公开申请9件" in text[warning.line - 1]
    assert "正文“本年度收到政府信息公开申请9件”写的是 9 件" in warning.message
    assert "三、收到和处理政府信息公开申请情况 › 一、本年新收政府信息公开申请数量 › 总计" in warning.message


def test_the_samples_say_what_their_tables_say() -> None:
    """Every sample report states its counts (so the check reads them) and none disagrees."""
    from gongkai.narrative import stated_counts

    loaded = load_portal([REPO / "reports"], REPO)
    assert loaded.ok and not [f for f in loaded.findings if f.rule == "narrative-count-mismatch"]
    assert all(len(list(stated_counts(report))) >= 3 for report in loaded.reports)
