"""Every payload of ``injection_payloads.yml`` in every field that reaches a page: either a located
finding with its rule and exit code 1, or a portal whose every HTML, JSON and XML file runs nothing.

The browser proof (no dialog, no ``window.__pwned``, no request off 127.0.0.1) is
``tests/browser/test_browser_injection.py``, on portals built the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai import cli

from .conftest import Portal, parse_html
from .injection_kit import (
    FIELDS,
    Payload,
    build_past_the_validator,
    payloads,
    portal_problems,
    report_text,
    write_valid_portal,
)

# The parser's older narrative checks name the section's first line, not the payload's line.
SECTION_LEVEL = {"narrative-html", "narrative-unsafe-link"}
CASES = [pytest.param(p, field, id=f"{p.id}-{field}") for p in payloads() for field in FIELDS]


def test_the_catalogue_is_large_and_tries_every_class() -> None:
    catalogue = payloads()
    assert len(catalogue) >= 40
    assert len({p.id for p in catalogue}) == len(catalogue)
    outcomes = {p.outcome(field) for p in catalogue for field in FIELDS}
    assert {"ok", "name-markup", "narrative-markup", "narrative-attributes", "narrative-link-scheme",
            "narrative-heading-level", "narrative-image", "invalid-slug"} <= outcomes


def _validate(reports: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict]]:
    capsys.readouterr()
    code = cli.main(["validate", "--format", "json", str(reports)])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("payload, field", CASES)
def test_each_payload_is_refused_where_it_stands_or_validates(payload: Payload, field: str, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    written = report_text(**{field: payload.payload})
    target = tmp_path / "reports" / "shifan-zhen" / "2024.yml"
    target.parent.mkdir(parents=True)
    target.write_text(written.text, encoding="utf-8")
    code, found = _validate(tmp_path / "reports", capsys)
    expected = payload.outcome(field)
    errors = [f for f in found if f["severity"] == "error"]
    if expected == "ok":
        assert code == 0 and errors == [], errors
        return
    assert code == 1
    matching = [f for f in errors if f["rule"] == expected]
    assert matching, f"expected [{expected}], got {[(f['rule'], f['message']) for f in errors]}"
    line = {"name": written.name_line, "slug": written.slug_line, "narrative": written.payload_line}[field]
    for f in matching:
        assert f["file"].endswith("2024.yml") and f["line"] is not None and f["message"]
        if line is not None and expected in SECTION_LEVEL:
            assert line - 3 <= f["line"] <= line, f
        elif line is not None:
            assert f["line"] == line, (f, written.text.split("\n")[line - 1])


# --- portals that hold the payloads ----------------------------------------------------------


@pytest.fixture(scope="module")
def valid_portal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Portal, list]:
    """One report per payload that validates as a name or a narrative, built as a user builds."""
    portal = Portal(tmp_path_factory.mktemp("injection") / "portal")
    placed = write_valid_portal(portal.root)
    result = portal.build("--strict")
    assert result.returncode == 0, result.stderr[-3000:]
    return portal, placed


@pytest.fixture(scope="module")
def unvalidated_portal(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    portal = Portal(tmp_path_factory.mktemp("unvalidated") / "portal")
    build_past_the_validator(portal.root)
    return portal


def test_valid_payloads_build_a_portal_where_nothing_runs(valid_portal: tuple[Portal, list]) -> None:
    portal, placed = valid_portal
    assert len(placed) >= 30
    assert list(portal_problems(portal.site)) == []


def test_valid_payloads_are_shown_as_typed(valid_portal: tuple[Portal, list]) -> None:
    portal, placed = valid_portal
    for slug, payload, field in placed:
        if payload.shown is None:
            continue
        page = portal.content(f"reports/{slug}/2024/")
        assert payload.shown in page.text, (payload.id, field)
        if field == "name":
            title = parse_html(portal.page_path(f"reports/{slug}/").read_text(encoding="utf-8")).find("title").text
            assert title.startswith(payload.shown), (payload.id, title)


def test_every_payload_past_the_validator_still_runs_nothing(unvalidated_portal: Portal) -> None:
    site = unvalidated_portal.site
    assert len(list((site / "reports").glob("p*/2024/index.html"))) == len(payloads())
    assert list(portal_problems(site)) == []


def test_names_past_the_validator_cannot_close_the_title(unvalidated_portal: Portal) -> None:
    for page in sorted(unvalidated_portal.site.rglob("*.html")):
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        assert head.count("<title>") == 1 and head.count("</title>") == 1, page


# --- the commands that take a name refuse what the validator refuses ------------------------

NAMES = [pytest.param(p, id=p.id) for p in payloads()]
SOURCE = Path(__file__).resolve().parents[1] / "core" / "cases" / "_base" / "sources" / "shifan-zhen-2024.txt"


@pytest.mark.parametrize("payload", NAMES)
def test_gongkai_new_takes_a_name_only_if_the_validator_would(payload: Payload, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["new", "--agency", "x-zhen", "--year", "2024", "--name", payload.payload,
                     "-o", str(tmp_path / "reports")])
    written = tmp_path / "reports" / "x-zhen" / "2024.yml"
    if payload.name == "ok":
        assert code == 0 and written.is_file()
        return
    assert code == 2 and not written.exists()
    assert "机关名称（--name）中不能有" in capsys.readouterr().err


@pytest.mark.parametrize("payload", [p for p in NAMES if p.values[0].name != "ok"])
def test_gongkai_import_refuses_the_same_names(payload: Payload, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["import", str(SOURCE), "--agency", "x-zhen", "--name", payload.payload,
                     "-o", str(tmp_path / "reports")])
    assert code == 2 and not (tmp_path / "reports").exists()
    assert "机关名称（--name）中不能有" in capsys.readouterr().err
