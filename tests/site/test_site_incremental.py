"""`mkdocs serve --dirty`: a save renders only the pages made from what changed, and the site
it leaves is, byte for byte, the site a cold `mkdocs build` makes of the same sources."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from gongkai.loading import load_file
from gongkai.mkdocs_plugin import internals
from gongkai.parsing import parse_document
from gongkai.search import INDEX_DIR
from gongkai.writing import report_to_yaml

from .conftest import Portal, make_portal, seed_text, variant

SERVE_URL = "http://127.0.0.1:8000/"
EDITED = "shifan-zhen/2024.yml"
HOME, INDEX = "index.md", "reports/index.md"
ABOUT = "about.md"  # a hand-written page the navigation shows under its own (rendered) title


class Serve:
    """What `mkdocs serve --dirty` does: on_startup once, then a fresh config for every build.

    The served site_url is left out (serve sets it to the dev address, which only changes the
    canonical links), so the pages can be compared with a cold build's.
    """

    def __init__(self, portal: Portal, monkeypatch: pytest.MonkeyPatch) -> None:
        self.portal = portal
        self.rendered: list[str] = []
        real_render = Page.render

        def render(page: Page, config: MkDocsConfig, files: object) -> None:
            if page.markdown:  # a report page is first read empty, and rendered just before it is written
                self.rendered.append(page.file.src_uri)
            real_render(page, config, files)

        real_set_rendered = internals.set_rendered

        def set_rendered(page: Page, rendered: internals.ReportHtml) -> None:  # a report page written as HTML
            self.rendered.append(page.file.src_uri)
            real_set_rendered(page, rendered)

        monkeypatch.setattr(Page, "render", render)
        monkeypatch.setattr(internals, "set_rendered", set_rendered)
        self.config().plugins.on_startup(command="serve", dirty=True)

    def config(self) -> MkDocsConfig:
        return load_config(str(self.portal.root / "mkdocs.yml"))

    def rebuild(self) -> set[str]:
        """One rebuild; the source paths of the pages MkDocs rendered."""
        self.rendered.clear()
        build(self.config(), serve_url=SERVE_URL, dirty=True)
        assert len(self.rendered) == len(set(self.rendered))
        return set(self.rendered)


def cold_site(portal: Portal, where: Path) -> Path:
    """A cold `mkdocs build` (another process) of the same sources in another folder."""
    if where.exists():
        shutil.rmtree(where)
    copy = make_portal(where, copy_reports=False)
    for name in ("docs", "reports", "overrides"):
        shutil.rmtree(copy.root / name)
        shutil.copytree(portal.root / name, copy.root / name)
    shutil.copy(portal.root / "mkdocs.yml", copy.root / "mkdocs.yml")
    result = copy.build()
    assert result.returncode == 0, result.stderr
    return copy.site


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def assert_same_site(served: Path, cold: Path) -> None:
    """Every file byte for byte, but the search index: `mkdocs serve` makes none (the preview
    stays fast; its search box says so), `mkdocs build` does."""
    ours, theirs = site_files(served), site_files(cold)
    assert not any(name.startswith(f"{INDEX_DIR}/") for name in ours)
    assert f"{INDEX_DIR}/parts.json" in theirs
    theirs = {name: data for name, data in theirs.items() if not name.startswith(f"{INDEX_DIR}/")}
    assert sorted(ours) == sorted(theirs)
    different = [name for name in ours if ours[name] != theirs[name]]
    assert different == []


def edit_report(path: Path) -> None:
    """One more application from a natural person, received and answered: table and narrative agree."""
    document, findings = load_file(path)
    assert document is not None, findings
    report, findings = parse_document(document)
    assert report is not None, findings
    values = dict(report.values)
    for row in (("received",), ("results", "disclosed"), ("results", "total")):
        for column in ("natural_person", "total"):
            values[("applications", *row, column)] += 1
    narrative = dict(report.narrative)
    narrative["overview"] = (narrative["overview"].replace("收到依申请公开9件", "收到依申请公开10件")
                             .replace("办结9件", "办结10件"))
    assert narrative != report.narrative
    report.values, report.narrative = values, narrative
    path.write_text(report_to_yaml(report, schema_ref=None), encoding="utf-8")


@pytest.fixture
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_plugins: None) -> Portal:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # one build date for every build
    portal = make_portal(tmp_path / "serve")
    (portal.root / "docs" / ABOUT).write_text("# 关于本门户\n\n示例门户的说明。\n", encoding="utf-8")
    return portal


def test_a_save_renders_only_what_changed_and_the_site_equals_a_cold_build(
        portal: Portal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serve = Serve(portal, monkeypatch)
    every_page = serve.rebuild()
    assert {HOME, ABOUT, INDEX, "reports/2024/index.md", "reports/shifan-zhen/2024.md"} <= every_page
    assert_same_site(portal.site, cold_site(portal, tmp_path / "cold"))

    # nothing saved: only the hand-written pages (their placeholders and titles are needed)
    assert serve.rebuild() == {HOME, ABOUT}

    # a number and the narrative: the report's page, and the pages whose figures include that number
    # (the agency's trend charts, the year's roll-up, the portal's trends); no listing shows the narrative
    edit_report(portal.reports / EDITED)
    assert serve.rebuild() == {"reports/shifan-zhen/2024.md", "reports/shifan-zhen/index.md",
                               "reports/open_data/totals-2024.md", "reports/open_data/totals-2024/shili-qu.md",
                               "reports/open_data/trends.md", HOME, ABOUT}
    assert "收到依申请公开10件" in portal.content("reports/shifan-zhen/2024/").text
    assert_same_site(portal.site, cold_site(portal, tmp_path / "cold"))

    # published late: the listings that show the date and status change too (and the compliance summary and matrix)
    text = (portal.reports / EDITED).read_text(encoding="utf-8")
    (portal.reports / EDITED).write_text(variant(text, published="2025-02-10"), encoding="utf-8")
    assert serve.rebuild() == {"reports/shifan-zhen/2024.md", "reports/2024/index.md",
                               "reports/shifan-zhen/index.md", "reports/agencies.md", INDEX, HOME, ABOUT,
                               "reports/open_data/compliance.md", "reports/open_data/compliance/shili-qu.md"}
    assert_same_site(portal.site, cold_site(portal, tmp_path / "cold"))


def test_a_new_agency_changes_the_navigation_of_every_page(
        portal: Portal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serve = Serve(portal, monkeypatch)
    every_page = serve.rebuild()

    new = portal.write_report("xinjian-zhen/2024.yml",
                              variant(seed_text(), slug="xinjian-zhen", name="新建镇人民政府"))
    # (not in the roster: the compliance view's page of agencies without a group appears)
    assert serve.rebuild() == every_page | {"reports/xinjian-zhen/index.md", "reports/xinjian-zhen/2024.md",
                                            "reports/open_data/compliance/qtjg.md"}  # 未分组: as the index's 其他机关
    assert "新建镇人民政府" in portal.page("reports/shifan-qu/").find("nav", class_="md-nav--primary").text
    assert_same_site(portal.site, cold_site(portal, tmp_path / "cold"))

    # and gone again: its pages leave the site, every page's navigation forgets it
    os.remove(new)
    assert serve.rebuild() == every_page
    assert not (portal.site / "reports" / "xinjian-zhen").exists()
    assert_same_site(portal.site, cold_site(portal, tmp_path / "cold"))


def test_a_changed_mkdocs_yml_renders_every_page(portal: Portal, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    serve = Serve(portal, monkeypatch)
    every_page = serve.rebuild()
    config = portal.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\ncopyright: 示例版权声明\n", encoding="utf-8")
    assert serve.rebuild() == every_page
    assert_same_site(portal.site, cold_site(portal, tmp_path / "cold"))


def test_an_invalid_save_shows_its_findings_and_the_fix_shows_the_report_again(
        portal: Portal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serve = Serve(portal, monkeypatch)
    every_page = serve.rebuild()
    good = (portal.reports / EDITED).read_text(encoding="utf-8")

    # an invalid save: the preview goes on; the report's address shows its finding, and the
    # banner (new on every page) links the findings page
    broken = good.replace("{natural_person: 9,", "{natural_person: 7,", 1)
    (portal.reports / EDITED).write_text(broken, encoding="utf-8")
    rendered = serve.rebuild()
    assert every_page - {"reports/shifan-zhen/2024.md"} <= rendered
    assert "reports/_findings.md" in rendered
    page = portal.content("reports/shifan-zhen/2024/").text
    assert "applications-balance" in page and "shifan-zhen/2024.yml" in page
    assert "查看问题清单" in portal.page("reports/").text

    # fixed: the next rebuild renders the report, and the site is the cold build's again
    (portal.reports / EDITED).write_text(good.replace("信息923条", "信息924条"), encoding="utf-8")
    assert serve.rebuild() >= every_page
    assert "信息924条" in portal.content("reports/shifan-zhen/2024/").text
    assert_same_site(portal.site, cold_site(portal, tmp_path / "cold"))


def test_a_save_renders_the_next_report_page_whose_year_over_year_table_shows_it(
        portal: Portal, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    serve = Serve(portal, monkeypatch)
    serve.rebuild()
    earlier = portal.reports / "shifan-zhen" / "2023.yml"
    earlier.write_text(earlier.read_text(encoding="utf-8").replace("published: 2024-01-19", "published: 2024-01-18"),
                       encoding="utf-8")
    assert {"reports/shifan-zhen/2023.md", "reports/shifan-zhen/2024.md"} <= serve.rebuild()
    assert_same_site(portal.site, cold_site(portal, tmp_path / "cold"))
