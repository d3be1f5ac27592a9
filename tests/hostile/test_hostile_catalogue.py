"""Bad and hostile inputs, as data (cases.yml), each run through the real command in a temp folder.

Every case runs `gongkai validate|import|new` or `mkdocs build` in a subprocess with a time limit
and a memory cap, and must end with the exit code and the located finding the case names, never a
traceback (GONGKAI_DEBUG=1 turns an internal error into one). A failed build must leave the
published site byte for byte as it was.

A case: ``name``; ``command`` (validate, build, import, new; default validate); the report ``body``
(or ``seed`` edits of the sample report: ``replace`` pairs, the new text possibly ``{repeat|nest, times}``;
``seed_file``), written at ``file``; or a
special ``kind`` the driver makes (fifo, socket, devzero, loop, outside, dirlink, folder, huge, many,
zipbomb, notzip, unwritable-dir); ``args`` for the command; expected ``exit``, ``rule`` and ``line``
(or ``line_of``: the first line of the body holding that text; ``line: null`` for a file-level finding).
"""

from __future__ import annotations

import hashlib
import os
import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .specials import make_special

REPO = Path(__file__).resolve().parents[2]
CASES = yaml.safe_load((Path(__file__).parent / "cases.yml").read_text(encoding="utf-8"))
MEMORY_CAP = 2_000_000_000  # bytes of address space for the command under test
TIMEOUT = {"build": 180, "validate": 60, "import": 60, "new": 60}
SEED = "shifan-zhen/2024.yml"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run(cwd: Path, command: list[str], timeout: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GONGKAI_DEBUG": "1", "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}
    return subprocess.run([sys.executable, "-m", *command], cwd=cwd, env=env, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=timeout, preexec_fn=_limit_memory,
                          check=False)


def seed_text(name: str = SEED) -> str:
    return (REPO / "reports" / name).read_text(encoding="utf-8")


def body_of(case: dict[str, Any]) -> str | None:
    if "body" in case:
        return case["body"]
    seed = case.get("seed")
    if seed is None:
        return None
    text = seed_text(seed.get("seed_file", SEED))
    for old, new in seed.get("replace", []):
        assert old in text, f"{case['name']}: {old!r} not in the seed"
        if isinstance(new, dict):  # {repeat|nest: text, times: n}: inputs too long to write out
            if "nest" in new:  # each line indented one level (two spaces) deeper, under the narrative's own two
                new = new.get("before", "") + "".join(f"  {'  ' * i}{new['nest']}\n" for i in range(new["times"]))
            else:
                new = new.get("before", "") + new["repeat"] * new["times"] + new.get("after", "")
        text = text.replace(old, new, 1)
    return text


def expected_line(case: dict[str, Any], body: str | None) -> int | None:
    if "line_of" in case:
        assert body is not None
        return next(i for i, line in enumerate(body.split("\n"), 1) if case["line_of"] in line)
    return case.get("line")


@pytest.fixture(scope="session")
def built_portal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A portal with the seed report, built once: each build case starts from a copy."""
    root = tmp_path_factory.mktemp("hostile-built") / "portal"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "overrides", root / "overrides")
    (root / "reports" / "shifan-zhen").mkdir(parents=True)
    (root / "reports" / SEED).write_text(seed_text(), encoding="utf-8")
    done = run(root, ["mkdocs", "build"], TIMEOUT["build"])
    assert done.returncode == 0, done.stderr
    return root


def snapshot(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _id(case: dict[str, Any]) -> str:
    return case["name"]


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_hostile_input(case: dict[str, Any], tmp_path: Path, request: pytest.FixtureRequest) -> None:
    command = case.get("command", "validate")
    if command == "build":
        portal = tmp_path / "portal"
        shutil.copytree(request.getfixturevalue("built_portal"), portal, symlinks=True)
    else:
        portal = tmp_path
        (portal / "reports").mkdir()
    file = case.get("file", SEED)
    target = (portal / "reports" / file) if command in ("validate", "build") else portal / file
    body = body_of(case)
    if "kind" in case:
        make_special(case["kind"], target, portal)
    elif "source" in case:  # a published report to import
        shutil.copy(REPO / "tests" / "importing" / "fixtures" / case["source"], target)
    elif body is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body.encode(case.get("encoding", "utf-8")))
    for name, text in case.get("also", {}).items():  # neighbours: other reports, stray files
        other = portal / "reports" / name
        other.parent.mkdir(parents=True, exist_ok=True)
        other.write_text(text if text != "seed" else seed_text(), encoding="utf-8")
    before = snapshot(portal / "site") if command == "build" else None

    args = [str(a).replace("{tmp}", str(portal)) for a in case.get("args", [])]
    argv = {
        "validate": ["gongkai", "validate", *(args or ["reports"])],
        "build": ["mkdocs", "build", *args],
        "import": ["gongkai", "import", file, *args],
        "new": ["gongkai", "new", *args],
    }[command]
    done = run(portal, argv, TIMEOUT[command])
    output = done.stdout + done.stderr

    assert "Traceback" not in output, output
    assert done.returncode == case["exit"], output
    rule = case.get("rule")
    if rule:
        assert f"[{rule}]" in output, output
        line = expected_line(case, body)
        shown = case.get("shown", f"reports/{file}" if command in ("validate", "build") else file)
        located = [row for row in output.splitlines() if f"[{rule}]" in row]
        if line is not None:
            assert any(row.startswith(f"{shown}:{line}:") or f" {shown}:{line}:" in row for row in located), output
        else:
            assert any(shown in row for row in located), output
    for text in case.get("says", []):
        assert text in output, output
    if before is not None and done.returncode != 0:
        assert snapshot(portal / "site") == before  # the last good site, byte for byte
        assert not [p for p in portal.iterdir() if p.name.startswith(".gongkai-")]  # no staging left
    if before is not None and done.returncode == 0:
        assert snapshot(portal / "site") != before or case.get("same_site", False)


def test_catalogue_is_large_and_every_case_is_distinct() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) >= 100 and len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z0-9-]+", n) for n in names)
