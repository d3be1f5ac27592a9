"""A build holds one report page's text at a time: read just before it is written, released after.

MkDocs reads and renders every page before writing any; a portal of 50,000 reports would hold
every page's Markdown and HTML at once. Here the report pages are counted while the build runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.structure.pages import Page

from gongkai.mkdocs_plugin import internals

from .conftest import Portal, make_portal, seed_text, variant


def _is_report(page: Page) -> bool:
    parts = page.file.src_uri.split("/")
    return len(parts) == 3 and parts[0] == "reports" and parts[2][:4].isdigit()


def test_report_pages_are_read_one_at_a_time_and_released(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    portal: Portal = make_portal(tmp_path / "portal", copy_reports=False)
    for n in range(12):
        portal.write_report(f"jiguan-{n}/2024.yml", variant(seed_text(), slug=f"jiguan-{n}", name=f"第{n}镇人民政府"))
    portal.set_config(plugins=[{"gongkai": {"search": False}}])
    seen: list[Page] = []
    holding: list[int] = []
    real_render = Page.render

    def render(page: Page, config: object, files: object) -> None:
        if page not in seen:
            seen.append(page)
        real_render(page, config, files)  # type: ignore[arg-type]
        holding.append(sum(1 for p in seen if _is_report(p) and (p.content or p.markdown)))

    real_set_rendered = internals.set_rendered

    def set_rendered(page: Page, rendered: internals.ReportHtml) -> None:  # a report page written as HTML
        if page not in seen:
            seen.append(page)
        real_set_rendered(page, rendered)
        holding.append(sum(1 for p in seen if _is_report(p) and (p.content or p.markdown)))
        written_as_html.append(page)

    written_as_html: list[Page] = []
    monkeypatch.setattr(Page, "render", render)
    monkeypatch.setattr(internals, "set_rendered", set_rendered)
    portal.build_in_process()
    reports = [p for p in seen if _is_report(p)]
    assert len(reports) == 12 and len([p for p in written_as_html if _is_report(p)]) == 12  # listing pages too
    assert max(holding) == 1  # never two report pages' text at once
    assert all(p.markdown is None and p.content is None and not p.toc for p in reports)
    page = portal.content("reports/jiguan-3/2024/")
    assert "第3镇人民政府" in page.find("h1").text and page.find_all("table")  # written in full
