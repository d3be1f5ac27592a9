"""What the attachments cost a build: ms of CPU per report for each (fragment, one-file page, Word),
made and written as the build makes and writes them, at N = 100 and 1,000 synthetic reports.

    .venv/bin/python bench/attachments.py              # N = 100 and 1,000
    .venv/bin/python bench/attachments.py --sizes 100  # other sizes
    .venv/bin/python bench/attachments.py --build      # also: whole builds with and without them

Times are CPU time (user + system) of this process, or of the build's child process with
``--build``, so that other work on the machine counts as little as possible.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import site_config, write_config, write_portal  # noqa: E402

from gongkai.attachments import KINDS, Attachments  # noqa: E402
from gongkai.collection import load_portal  # noqa: E402
from gongkai.indexing import Layout  # noqa: E402


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def per_attachment(root: Path, n: int) -> dict[str, float]:
    """ms per report of each attachment, and of all three as the build makes them (one rendering shared)."""
    portal = load_portal([root / "reports"], base=root)
    reports = portal.reports
    assert len(reports) == n and not any(f.is_error for f in portal.findings)
    out = Path(tempfile.mkdtemp(prefix="attachments-", dir=root))
    figures: dict[str, float] = {}
    Attachments(reports[:1], Layout()).files()[0].write_to(str(out / "warm-up"))  # caches, imports
    for kind in KINDS:  # each alone: no rendering shared with the others
        attachments = Attachments(reports, Layout())
        files = [attachments.file(report, kind) for report in reports]
        start = cpu()
        for file in files:
            file.write_to(str(out / kind.key / file.src_uri))
        figures[kind.title] = (cpu() - start) * 1000 / n
    attachments = Attachments(reports, Layout())
    start = cpu()
    for file in attachments.files():
        file.write_to(str(out / "all" / file.src_uri))
    figures["三个附件合计（构建时的做法）"] = (cpu() - start) * 1000 / n
    return figures


def build_cpu(root: Path, attachments: bool) -> float:
    """CPU seconds of one `mkdocs build` of the portal (the child's user + system time; no search index,
    no footer identifiers: the sample's images are not in the synthetic docs folder)."""
    options = {"attachments": attachments, "search": False, "site_info": {}}
    write_config(root, site_config(gongkai=True, plugin_options=options))
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(root / "site")], cwd=root,
                               env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"build failed ({status})")
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--build", action="store_true", help="also build each portal with and without attachments")
    args = parser.parse_args()
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"gongkai-attach-{n}-") as folder:
            root = Path(folder)
            started = time.perf_counter()
            write_portal(root, n)
            print(f"N = {n}（合成门户，{time.perf_counter() - started:.1f} 秒生成）")
            for name, ms in per_attachment(root, n).items():
                print(f"  {name}：{ms:.2f} ms/份")
            if args.build:
                without, with_ = build_cpu(root, False), build_cpu(root, True)
                print(f"  整站构建 CPU：不含附件 {without:.1f} 秒，含附件 {with_:.1f} 秒，"
                      f"每份报告多 {(with_ - without) * 1000 / n:.1f} ms（{(with_ / without - 1) * 100:+.0f}%）")


if __name__ == "__main__":
    main()
