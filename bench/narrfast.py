"""CPU time of the narratives of a portal's report pages (``pages.text.narrative_parts``), fast path on and off.

    .venv/bin/python bench/narrfast.py /work/benchcache/province-n1000-seed2024-v2 --runs 5

Prints, per run (the two ways interleaved), CPU ms per report and the share of narrative blocks
written without Markdown; and how many narrative blocks are repeated in the portal (a cache's gain).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from pathlib import Path

from gongkai import sanitizing
from gongkai.collection import ReportStore
from gongkai.pages import text as page_text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("portal", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    reports = list(ReportStore(args.portal).load([args.portal / "reports"]).reports)
    texts = [report.narrative.get(section.key, "无。") for report in reports
             for section in report.sections if section.table is None]
    blocks = [b for t in texts for b in t.split("\n\n") if not b.startswith("#")]
    fast = sum(sanitizing.plain_paragraphs(b) is not None for b in blocks)
    repeated = sum(n - 1 for n in Counter(texts).values())
    print(f"{len(reports)} reports, {len(texts)} narratives ({repeated} repeats), {len(blocks)} blocks, "
          f"{fast / len(blocks):.1%} plain")
    ways = {"fast": sanitizing.render_narrative, "slow": sanitizing.render_narrative_slowly}
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(args.runs):
        for name, render in ways.items():
            page_text.render_narrative = render  # type: ignore[assignment]
            start = time.process_time()
            for text in texts:
                page_text.narrative_parts(text)
            times[name].append((time.process_time() - start) * 1000 / len(reports))
    for name, values in times.items():
        print(f"{name}: median {statistics.median(values):.3f} ms/report  runs {[round(v, 3) for v in values]}")


if __name__ == "__main__":
    main()
