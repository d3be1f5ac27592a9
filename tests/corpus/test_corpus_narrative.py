"""The counts the corpus' narratives state, read and checked against their tables (narrative-count-mismatch).

The real reports say what their tables say: their counts are read and none disagrees. The two
variants that put 平潭 2021's narrative over 君山 2022's tables (made to exercise the importer) are
the disagreements, and each is named.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gongkai.importing.document import Overrides, import_report
from gongkai.importing.readers import read_source
from gongkai.narrative import check_narrative, stated_counts

HERE = Path(__file__).resolve().parent
CASES = [c for c in json.loads((HERE / "cases.json").read_text(encoding="utf-8")) if "refused" not in c]

# Per source: how many counts its narrative states in words the check reads, and how many disagree.
READ_AND_MISMATCHED: dict[str, tuple[int, int]] = {
    "004_shanghai_city_office_js_2019.html": (2, 0),  # 上年度结转申请18件, 行政复议7件 (受理…859件 is not read)
    "005_pingtan_zone_2019.txt": (0, 0),
    "006_pingtan_zone_2020.txt": (0, 0),  # 受理政府信息公开申请21件: not read
    "007_pingtan_zone_2021.txt": (3, 0),  # 收到70件申请, 办结69件, 1件结转下年度
    "012_pingtan_junshan_town_2022.txt": (0, 0),
    "v08_junshan_2022_blank_slash.html": (3, 2),  # 平潭 2021's narrative over 君山's tables (办结: blank, not compared)
    "v09_junshan_2022_ruled.pdf": (3, 3),
}  # every other source: whatever it states agrees with its tables


def _overrides(case: dict[str, Any]) -> Overrides:
    options = case.get("options", [])
    given = dict(zip(options[::2], options[1::2]))
    return Overrides(slug="x", agency=given.get("--agency"),
                     year=int(given["--year"]) if "--year" in given else None,
                     published=date.fromisoformat(given["--published"]) if "--published" in given else None)


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_narrative_counts_of_the_corpus(case: dict[str, Any]) -> None:
    name = case["file"]
    report = import_report(read_source(HERE / "sources" / name, name), _overrides(case)).report
    read = list(stated_counts(report))
    mismatched = check_narrative(report)
    expected = READ_AND_MISMATCHED.get(name, (len(read), 0))
    assert (len(read), len(mismatched)) == expected, [f.message for f in mismatched]
    for warning in mismatched:
        assert warning.rule == "narrative-count-mismatch" and not warning.is_error
        assert "正文“" in warning.message and "表格“" in warning.message
