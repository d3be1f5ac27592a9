"""`mkdocs serve`: the reports folder is watched, and a rebuild re-parses only what changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from gongkai.collection import ReportStore

from .conftest import make_portal, seed_text, variant


def test_rebuilds_reuse_the_plugin_and_parse_only_changed_files(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    portal = make_portal(tmp_path / "portal", copy_reports=False)
    portal.write_report("shifan-zhen/2024.yml", seed_text())
    portal.write_report("shifan-zhen/2023.yml", variant(seed_text(), year=2023, published="2024-01-20"))
    parsed: list[str] = []
    real = ReportStore.load_one

    def spy(self, path, *args):
        result = real(self, path, *args)
        if result[2]:
            parsed.append(path.name)
        return result

    monkeypatch.setattr(ReportStore, "load_one", spy)
    config_file = str(portal.root / "mkdocs.yml")

    # `mkdocs serve` loads the config again for every rebuild, as here
    first = load_config(config_file)
    first.plugins.on_startup(command="serve", dirty=False)
    build(first)
    plugin = first.plugins["gongkai"]
    assert str((portal.root / "reports").resolve()) in first.watch
    assert sorted(parsed) == ["2023.yml", "2024.yml"]

    parsed.clear()
    portal.write_report("shifan-zhen/2024.yml", seed_text().replace("信息923条", "信息924条"))
    second = load_config(config_file)
    build(second)
    assert second.plugins["gongkai"] is plugin
    assert parsed == ["2024.yml"]
    assert "信息924条" in portal.content("reports/shifan-zhen/2024/").text

    # an invalid save: the preview goes on (a failed build would leave the browser waiting), and
    # the report's address shows the finding
    portal.write_report("shifan-zhen/2024.yml", seed_text().replace("{natural_person: 9,", "{natural_person: 7,", 1))
    build(load_config(config_file))
    page = portal.content("reports/shifan-zhen/2024/").text
    assert "applications-balance" in page and "信息924条" not in page
    assert "示例镇" in portal.content("reports/shifan-zhen/2023/").text
