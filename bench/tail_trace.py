"""The search index's runs of Pagefind in a build, from the indexer's trace (issue 14): when each
part's run started (a stream, or given its whole part), how many pages it had been given when its
part was complete (``close``), when it ended, against the build's last page (``finish``). Which
parts are still open when the last page is written, and how long the serial end waits for them.

    GONGKAI_SEARCH_TRACE=/tmp/trace.jsonl .venv/bin/python bench/timeline.py --size 1000 ...
    .venv/bin/python bench/tail_trace.py /tmp/trace.jsonl
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("trace", type=Path)
    args = parser.parse_args()
    events = [json.loads(line) for line in args.trace.read_text(encoding="utf-8").splitlines() if line.strip()]
    finish = next((e["t"] for e in events if e["event"] == "finish"), events[-1]["t"])
    print("| s from the last page | event | part | pages taken | given before its part was complete | left |")
    print("| ---: | --- | --- | ---: | ---: | ---: |")
    for e in events:
        print(f"| {e['t'] - finish:+.2f} | {e['event']}{' (stream)' if e.get('stream') else ''} | {e.get('part') or ''} "
              f"| {e['pages']} | {e.get('given', '')} | {e.get('left', '')} |")
    last = max(e["t"] for e in events if e["event"] == "end")
    print(f"\nthe last run ended {last - finish:.2f} s after the last page")


if __name__ == "__main__":
    main()
