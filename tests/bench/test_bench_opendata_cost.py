"""bench/opendata_cost.py: the order of its builds, the rounds it compares, and the older revision's project
(``--against``) built from that revision's own code and configuration."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml
from bench_kit import ROOT, load

cost = load("opendata_cost")


def _run(side: str, cpu: float, wall: float = 1.0):
    return cost.Run(side == "with", cpu, 0.1, wall, 50.0, 0, code="abc1234" if side == "against" else "")


def test_two_sides_take_turns_being_first() -> None:
    assert cost.order(3) == ["with", "without", "without", "with", "with", "without"]


def test_with_an_older_revision_each_round_builds_each_side_once_and_each_goes_first_in_turn() -> None:
    order = cost.order(3, against=True)
    rounds = [order[i:i + 3] for i in range(0, len(order), 3)]
    assert all(sorted(r) == ["against", "with", "without"] for r in rounds)
    assert [r[0] for r in rounds] == ["with", "without", "against"]


def test_rounds_compare_the_build_with_open_data_to_each_other_side_of_the_same_round() -> None:
    runs = [_run("with", 12.0, 6.0), _run("without", 10.0, 5.0), _run("against", 16.0, 8.0),
            _run("without", 8.0, 4.0), _run("against", 12.0, 6.0), _run("with", 9.0, 4.5)]
    assert cost._pairs(runs, "cpu_s") == [1.2, 9.0 / 8.0]
    assert cost._pairs(runs, "cpu_s", "against") == [0.75, 0.75]
    result = cost.summary(runs)
    assert result["against_revision"] == "abc1234"
    assert result["against_ratio"] == pytest.approx(10.5 / 14.0)
    assert result["against_wall_pair_ratios"] == [0.75, 0.75]
    assert result["ratio"] == pytest.approx(10.5 / 9.0)


def test_without_an_older_revision_the_summary_has_no_such_side() -> None:
    runs = [_run("with", 12.0), _run("without", 10.0)]
    assert "against" not in cost.summary(runs)
    assert cost._pairs(runs, "cpu_s") == [1.2]


class _TagsAsText(yaml.SafeLoader):
    """MkDocs' configuration names Python functions (``!!python/name:``): read as their text here."""


_TagsAsText.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: suffix)


def _git_head() -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip()


@pytest.mark.skipif(_git_head() is None, reason="not a git checkout (the older code comes from git archive)")
def test_the_older_revision_builds_with_its_own_code_and_configuration_around_the_same_reports(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    against = cost.against_project(tmp_path, "HEAD")
    assert against.revision == _git_head()
    code = tmp_path / f"code-{against.revision}"
    assert (code / "plugins" / "gongkai" / "__init__.py").is_file()
    assert against.env["PYTHONPATH"].split(os.pathsep)[0] == str(code / "plugins")  # ahead of the installed gongkai
    config = yaml.load(against.config.read_text(encoding="utf-8"), Loader=_TagsAsText)
    assert Path(config["theme"]["custom_dir"]).resolve() == (code / "overrides").resolve()
    assert any("gongkai" in entry for entry in config["plugins"] if isinstance(entry, dict))
    project = against.config.parent
    assert (project / "reports").resolve() == (tmp_path / "reports").resolve()
    assert (project / "docs" / "index.md").is_file()
