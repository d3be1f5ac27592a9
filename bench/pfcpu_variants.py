"""What Pagefind's CPU follows (issue 14): the small pages of a built site given to Pagefind's
service in several ways (variants), one run of the service each, the variants interleaved, the
CPU of the Pagefind child (user + system, ``RUSAGE_CHILDREN``) per page, and the index's size.

    .venv/bin/python bench/pfcpu_variants.py SITE --runs 3 --variants base,nohead,record [--limit 1800]

Variants: ``base`` (``search.digest_html`` as built, ``AddFile``), ``nohead`` (without the
report format's fixed headings), ``noparas`` (no paragraphs), ``half`` (paragraphs cut at 100
characters), ``titleonly``, ``dedup`` (a sentence given once per page), ``lean`` (``dedup`` and
without the site's own headings 与上年比较 and 数据下载), ``record`` (``AddRecord``: the same text
as plain content, title and year given as meta and filter, no weights), ``noseg`` (a diagnostic:
the same pages as English, not segmented). ``+t1``, ``+r1``, ``+nodecay``, ``+a1``, ``+thp``
append environment settings of the child (Tokio and Rayon threads, jemalloc's options).
``--limit`` takes the first pages in ``search.pagefind_order`` (1,800: one part of a build).
"""

from __future__ import annotations

import argparse
import html
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_cost import pages_of  # noqa: E402

from gongkai import search  # noqa: E402

FIXED = {"一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
         "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
         "与上年比较", "数据下载", "（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）平台建设",
         "（五）监督保障"}


SENTENCE = re.compile(r"[^。！？；]+[。！？；]*|[。！？；]+")
ENVS = {"t1": {"TOKIO_WORKER_THREADS": "1"}, "r1": {"RAYON_NUM_THREADS": "1"},
        "nodecay": {"_RJEM_MALLOC_CONF": "dirty_decay_ms:-1,muzzy_decay_ms:-1"},
        "a1": {"_RJEM_MALLOC_CONF": "narenas:1"},
        "thp": {"_RJEM_MALLOC_CONF": "dirty_decay_ms:-1,muzzy_decay_ms:-1,narenas:1"}}


def file_request(rel: str, page: str) -> dict[str, object]:
    return {"type": "AddFile", "index_id": 0, "file_path": rel, "file_contents": page}


def variant(name: str, d: search.Digest, year: int | None, rel: str) -> dict[str, object]:
    if name == "base":
        return file_request(rel, search.digest_html(d, year))
    if name == "nohead":  # fixed headings left out
        d2 = search.Digest(d.title, d.agency, [(t, x) for t, x in d.blocks if x not in FIXED])
        return file_request(rel, search.digest_html(d2, year))
    if name == "noparas":
        d2 = search.Digest(d.title, d.agency, [(t, x) for t, x in d.blocks if t != "p"])
        return file_request(rel, search.digest_html(d2, year))
    if name == "half":  # paragraphs at 100 chars
        d2 = search.Digest(d.title, d.agency, [(t, x[:100] if t == "p" else x) for t, x in d.blocks])
        return file_request(rel, search.digest_html(d2, year))
    if name == "titleonly":
        d2 = search.Digest(d.title, d.agency, [])
        return file_request(rel, search.digest_html(d2, year))
    if name in ("dedup", "lean"):  # a sentence already given on the page left out; lean: site headings too
        seen: set[str] = set()
        blocks = []
        for tag, text in d.blocks:
            if tag[0] == "h":
                if name == "lean" and text in ("与上年比较", "数据下载"):
                    continue
                blocks.append((tag, text))
                continue
            kept = "".join(s for s in SENTENCE.findall(text) if not (s in seen or seen.add(s)))
            if kept:
                blocks.append((tag, kept))
        return file_request(rel, search.digest_html(search.Digest(d.title, d.agency, blocks), year))
    if name == "noseg":  # diagnostic: no segmentation (English), the same text
        return file_request(rel, search.digest_html(d, year).replace('lang="zh"', 'lang="en"'))
    if name == "record":
        text = " ".join([d.title, " ".join(search.agency_terms(d.agency)) if d.agency else "",
                         *(x for _, x in d.blocks)])
        url = "/" + rel.removesuffix("index.html")
        return {"type": "AddRecord", "index_id": 0, "url": url, "content": text, "language": "zh",
                "meta": {"title": d.title}, "filters": {"year": [str(year)]} if year else {}, "sort": None}
    raise ValueError(name)


def run(requests: list[dict[str, object]], env: dict[str, str] | None = None,
        config: dict[str, object] | None = None) -> tuple[float, float, int]:
    msgs = [search._message(0, {"type": "NewIndex", "config": {"force_language": "zh", **(config or {})}})]
    msgs += [search._message(n, r) for n, r in enumerate(requests, 1)]
    msgs.append(search._message(len(requests) + 1, {"type": "GetFiles", "index_id": 0}))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.Popen(search.pagefind_service_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         env={**os.environ, **(env or {})})
    assert p.stdin and p.stdout
    p.stdin.write(b"".join(msgs[:16]))
    p.stdin.flush()
    sent = 16
    size = 0
    errors = 0
    for payload in search._answers(p.stdout.fileno()):
        if sent < len(msgs):
            p.stdin.write(msgs[sent])
            p.stdin.flush()
            sent += 1
        if payload.get("type") == "Error":
            errors += 1
            print(payload, file=sys.stderr)
        if payload.get("type") == "GetFiles":
            with tempfile.TemporaryDirectory() as t:
                search._write_index(payload["files"], Path(t))
                size = sum(f.stat().st_size for f in Path(t).rglob("*") if f.is_file())
            break
    p.stdin.close()
    p.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime, size)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--variants", default="base,nohead,record")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    pages = pages_of(args.site)
    digests = []
    for rel, page in pages:
        part = search.indexed_part(page)
        d = None if part is None else search.read_part(part)
        if d is not None and (d.title or d.blocks):
            digests.append((rel, d, search.page_year(rel)))
    digests.sort(key=lambda x: search.pagefind_order(x[0]))
    if args.limit:
        digests = digests[: args.limit]
    n = len(digests)
    chars = {}
    makers: dict[str, Callable[[], tuple[list[dict[str, object]], dict[str, str] | None, dict[str, object] | None]]] = {}
    for name in args.variants.split(","):
        base, _, opt = name.partition("+")
        reqs = [variant(base, d, y, rel) for rel, d, y in digests]
        env = {k: v for o in opt.split("+") if o for k, v in ENVS[o].items()} or None
        chars[name] = sum(len(html.unescape(str(r.get("file_contents") or r.get("content")))) for r in reqs) / n
        config = {"force_language": "en"} if base == "noseg" else None
        makers[name] = (lambda reqs=reqs, env=env, config=config: (reqs, env, config))
    results: dict[str, list[tuple[float, float, int]]] = {k: [] for k in makers}
    for r in range(args.runs):
        for name, make in makers.items():
            reqs, env, config = make()
            u, s, size = run(reqs, env, config)
            results[name].append((u, s, size))
            print(f"run {r} {name}: user {u / n * 1000:.2f} sys {s / n * 1000:.2f} ms/page, index {size / n:.0f} B/page, "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)
    for name, rows in results.items():
        print(f"{name:12s} {n} pages, {chars[name]:.0f} chars/page given; median ms/page: "
              f"cpu {statistics.median((u + s) for u, s, _ in rows) / n * 1000:.2f} "
              f"(user {statistics.median(u for u, _, _ in rows) / n * 1000:.2f}, "
              f"sys {statistics.median(s for _, s, _ in rows) / n * 1000:.2f}); "
              f"index {rows[0][2] / n:.0f} B/page")


if __name__ == "__main__":
    main()
