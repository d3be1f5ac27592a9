"""The files worker (``gongkai.offload``, a new interpreter for every full build: ``spawn``) imports
what making the reports' files needs, not the pages, the loading of reports or the templates: its start
is CPU every build pays. Checked in a fresh interpreter, on the import of the worker's module and on
``offload.work`` itself making the sample reports' open data (no attachments: those render the report
pages, and need the templates)."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

from gongkai import offload
from gongkai.collection import load_portal
from gongkai.indexing import Layout, build_index

REPO = Path(__file__).resolve().parents[2]

# Loaded by the build process, never needed to make a report's CSV, XLSX, JSON and its dataset share.
HEAVY = (
    "jinja2", "markdown", "yaml", "nh3",
    "gongkai.collection", "gongkai.loading", "gongkai.loading_pool", "gongkai.parsing", "gongkai.validation",
    "gongkai.pages", "gongkai.templating", "gongkai.navigation", "gongkai.roster", "gongkai.rules",
    "gongkai.opendata.site", "gongkai.opendata.trends", "gongkai.opendata.compliance",
    "gongkai.attachments", "gongkai.embedding", "gongkai.wordml",
)

MODULES = "import sys\nprint('\\n'.join(sorted(sys.modules)))\n"

# ``offload.work`` fed over pipes, as the worker is (the batches and the plan pickled by the build process).
WORK = """
import pickle, sys, threading
from multiprocessing import Pipe
from gongkai import offload

with open(sys.argv[1], "rb") as f:
    plan, batches = pickle.load(f)
tasks, feed = Pipe(duplex=False)
results, sent = Pipe(duplex=False)
def send():
    for batch in batches:
        feed.send_bytes(batch)
    feed.send_bytes(b"")
threading.Thread(target=send, daemon=True).start()
offload.work(plan, tasks, sent)
made = 0
done = False
while not done:
    assert results.poll(30), "the worker sent nothing"
    for message in results.recv():  # several messages at a time
        assert message[0] != "error", message
        done = message[0] == "done"
        made += not done
print(made, file=sys.stderr)
"""


def _loaded(script: str, *args: str) -> tuple[set[str], str]:
    done = subprocess.run([sys.executable, "-c", script + MODULES, *args], capture_output=True, text=True,
                          cwd=REPO, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split()), done.stderr


def test_importing_the_worker_loads_nothing_heavy() -> None:
    loaded, _ = _loaded("import gongkai.offload\n")
    assert "gongkai.offload" in loaded and "gongkai.opendata.exports" in loaded  # the check sees the imports
    assert sorted(m for m in loaded if m in HEAVY or m.split(".")[0] in HEAVY) == []


def test_the_worker_making_open_data_loads_nothing_heavy(tmp_path: Path) -> None:
    reports = build_index(load_portal([REPO / "reports"], base=REPO).reports).reports
    plan = offload.Plan(str(tmp_path / "site"), Layout(), attachments=False)
    batches = [offload.dumps_batch(reports[i:i + offload.BATCH]) for i in range(0, len(reports), offload.BATCH)]
    (tmp_path / "work.pickle").write_bytes(pickle.dumps((plan, batches)))
    loaded, made = _loaded(WORK, str(tmp_path / "work.pickle"))
    assert int(made) == len(reports) > 0  # every report's sizes came back
    assert len(list((tmp_path / "site").rglob("*.xlsx"))) == len(reports)
    assert sorted(m for m in loaded if m in HEAVY or m.split(".")[0] in HEAVY) == []


def test_the_plan_has_open_datas_names_without_the_worker_importing_them() -> None:
    """The worker names the files as ``opendata.site`` does (the plan carries its downloads and folder)."""
    from gongkai.opendata import site

    plan = offload.Plan("site", Layout("reports"))
    assert plan.downloads == tuple(suffix for _, suffix, _, _ in site.DOWNLOADS)
    assert plan.folder == site.FOLDER
    for report in build_index(load_portal([REPO / "reports"], base=REPO).reports).reports:
        for layout in (Layout(), Layout("nianbao/baogao")):
            for suffix in plan.downloads:
                assert offload.report_file(layout, report, suffix) == site.report_file(layout, report, suffix)


def test_the_packages_names_are_its_modules_objects() -> None:
    """``from gongkai import X`` (imported when asked for) is the object its module defines."""
    import importlib

    import gongkai

    for name in gongkai.__all__:
        value = getattr(gongkai, name)
        assert value is getattr(importlib.import_module(f"gongkai.{gongkai._HOME[name]}"), name)
        assert not isinstance(value, type(gongkai)), name  # never a submodule of the same name
    assert set(gongkai.__all__) <= set(dir(gongkai))
