"""Import speed of a PDF report: a 20-page report (long narrative, ruled tables across pages) made with
reportlab from the corpus's hand-recorded numbers, imported with `gongkai import` in process.

    .venv/bin/python bench/pdf_import.py        # prints the figure; `make bench` runs it too
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "tests" / "corpus"
PAGES = 20
TARGET_S = 2.0  # a 20-page PDF imports in under 2 s

PARAGRAPH = ("我区坚持以人民为中心深化政务公开，聚焦企业和群众关注关切，不断拓展重点领域信息公开的广度与深度，"
             "强化政策发布解读服务，推动政府决策和管理服务更加透明规范，为服务全区经济社会发展提供了重要保障。")


def make_pdf(path: Path, pages: int = PAGES) -> int:
    """Write a report of about ``pages`` pages; returns the number of pages written."""
    sys.path.insert(0, str(CORPUS))
    import pdfplumber
    from layouts import build_doc, write_pdf

    cases = {c["file"]: c for c in json.loads((CORPUS / "shared-cases.json").read_text(encoding="utf-8"))}
    numbers = cases["007_pingtan_zone_2021.txt"]["numbers"]
    paragraphs = 40
    count = 0
    for _ in range(8):
        narrative = {"overview": [f"（{i + 1}）{PARAGRAPH * 3}" for i in range(paragraphs)],
                     "problems": [PARAGRAPH] * 4, "other_matters": ["无。"]}
        doc = build_doc({"format_of_year": "2021", "numbers": numbers, "published": "2022-02-08",
                         "title": "平潭综合实验区2021年政府信息公开工作年度报告"}, narrative)
        write_pdf(doc, path, running_header=doc.title)
        with pdfplumber.open(path) as document:
            count = len(document.pages)
        if count == pages:
            return count
        paragraphs = max(1, round(paragraphs * (pages - 3) / max(count - 3, 1)))
    return count


def measure(repeat: int = 3) -> dict[str, Any]:
    """Best wall time of importing the 20-page PDF (read, match, write and re-check the YAML)."""
    from gongkai.importing import command

    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        source = root / "report.pdf"
        pages = make_pdf(source)
        parser = argparse.ArgumentParser()
        command.add_arguments(parser)
        times, cpu = [], []
        for run in range(repeat):
            out = root / f"out{run}"
            started, started_cpu = time.perf_counter(), time.process_time()
            code = command.run(parser.parse_args([str(source), "-o", str(out), "--slug", "bench"]))
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            if code != 0:
                raise RuntimeError("the benchmark PDF did not import")
    return {"pages": pages, "bytes": source.stat().st_size if source.exists() else None,
            "best_s": min(times), "runs_s": times, "best_cpu_s": min(cpu), "target_s": TARGET_S}


if __name__ == "__main__":
    result = measure()
    print(json.dumps(result, indent=2))
    print(f"import of a {result['pages']}-page PDF: {result['best_s']:.2f} s wall, {result['best_cpu_s']:.2f} s CPU "
          f"(target < {TARGET_S} s)")
