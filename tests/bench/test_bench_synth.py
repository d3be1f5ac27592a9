"""The benchmark's synthetic portal is a valid portal: what the benchmark times is real work."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench_kit import load

from gongkai.collection import load_portal
from gongkai.findings import format_findings

synth = load("synth")


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory):
    return synth.write_portal(tmp_path_factory.mktemp("synth"), 12)


def test_twelve_reports_validate_with_no_finding(portal) -> None:
    loaded = load_portal([portal.root / "reports"], base=portal.root)
    assert len(loaded.reports) == 12
    assert loaded.findings == [], format_findings(loaded.findings)


def test_reports_spread_over_agencies_and_years_in_both_formats(portal) -> None:
    files = sorted((portal.root / "reports").rglob("*.yml"))
    assert len(files) == 12
    assert len({f.parent.name for f in files}) == 2  # 12 reports = 2 agencies × 2019–2024
    assert {int(f.stem) for f in files} == set(range(2019, 2025))
    assert {r.format.version for r in portal.reports} == {"2019", "2021"}
    assert all(r.format.version == ("2019" if r.year <= 2020 else "2021") for r in portal.reports)


def test_figures_carry_on_from_year_to_year(portal) -> None:
    by_key = {r.key: r for r in portal.reports}
    for (slug, year), report in by_key.items():
        before = by_key.get((slug, year - 1))
        if before is None:
            continue
        for column in ("natural_person", "commercial", "total"):
            assert report.values[("applications", "carried_over", column)] == \
                before.values[("applications", "carried_forward", column)]


def test_narratives_are_several_kilobytes_and_differ(portal) -> None:
    texts = ["".join(r.narrative.values()) for r in portal.reports]
    assert len(set(texts)) == len(texts)
    assert all(1500 <= len(t.encode("utf-8")) <= 6000 for t in texts)


def test_an_edit_that_breaks_a_total_is_caught(portal, tmp_path: Path) -> None:
    """The zero findings above come from the validator, not from a validator that checks nothing."""
    source = portal.report_path(portal.reports[-1])
    copy = tmp_path / "reports" / source.parent.name / source.name  # the folder names the agency
    copy.parent.mkdir(parents=True)
    text = source.read_text(encoding="utf-8")
    # the first 自然人 cell is 本年新收: 5 becomes 15, and its row's 总计 no longer adds up
    copy.write_text(text.replace("natural_person: ", "natural_person: 1", 1), encoding="utf-8")
    loaded = load_portal([tmp_path / "reports"], base=tmp_path)
    assert {f.rule for f in loaded.findings} & {"total-column-sum", "applications-balance"}


def test_the_baseline_has_the_same_pages(portal, tmp_path: Path) -> None:
    config = synth.write_baseline(tmp_path, portal.reports)
    pages = sorted(p.relative_to(tmp_path / "docs").as_posix() for p in (tmp_path / "docs").rglob("*.md"))
    assert config.exists()
    # home + index + agency directory + 6 years + 2 agencies + 12 reports
    assert len(pages) == 1 + 1 + 1 + 6 + 2 + 12
    report = portal.reports[0]
    page = (tmp_path / "docs" / "reports" / report.agency.slug / f"{report.year}.md").read_text(encoding="utf-8")
    assert report.title in page and "<table" in page
    assert report.narrative["problems"].split("\n")[0] in page


def test_the_baseline_searches_with_material_and_gongkai_with_its_own_index() -> None:
    """The reader-side figures compare gongkai's on-demand search with Material's whole index."""
    names = [synth._plugin_name(p) for p in synth.site_config(gongkai=False)["plugins"]]
    assert "search" in names and "gongkai" not in names
    names = [synth._plugin_name(p) for p in synth.site_config(gongkai=True)["plugins"]]
    assert "search" not in names and "gongkai" in names


def test_the_province_tree_has_a_roster_of_kinds_and_groups(tmp_path: Path) -> None:
    """A corner of the province (the province's agencies, a city, a county and its towns) loads with
    no finding, and its roster gives every agency a kind and the government it belongs to."""
    agencies = synth.placed_agencies("province", 130)
    portal = synth.write_portal(tmp_path, 130 * 6 - 3, tree="province")
    loaded = load_portal([portal.root / "reports"], base=portal.root)
    assert loaded.findings == [], format_findings(loaded.findings)
    assert loaded.roster is not None and len(loaded.roster.entries) == 130
    assert {e.kind for e in loaded.roster.entries} == {"government", "department", "township"}
    assert loaded.roster.groups[:3] == ["江南省", agencies[40].group, agencies[76].group]
    assert agencies[40].agency.name.endswith("市人民政府") and agencies[76].agency.name.endswith("人民政府")
    everyone = list(synth.province_agencies())
    assert len({a.agency.slug for a in everyone}) == len({a.agency.name for a in everyone}) == len(everyone) > 8334


def test_a_generated_portal_is_cached_and_linked_not_made_again(tmp_path: Path) -> None:
    first = synth.cached_portal(tmp_path / "a", 14, tmp_path / "cache")
    cached = tmp_path / "cache" / synth.cache_key(14, 2024, "province")
    assert first.generated_s > 0 and (cached / synth.CACHE_STAMP).is_file()
    stamp = (cached / synth.CACHE_STAMP).stat().st_mtime_ns
    second = synth.cached_portal(tmp_path / "b", 14, tmp_path / "cache")
    assert second.generated_s == 0 and (cached / synth.CACHE_STAMP).stat().st_mtime_ns == stamp
    linked = second.report_path(second.first)
    assert linked.samefile(cached / second.first.display_path)
    assert (second.root / "mkdocs.yml").is_file() and second.agencies == 3 and second.newest.year == 2024
