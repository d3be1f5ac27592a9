"""The committed JSON Schema is current, accepts every good report and rejects typical mistakes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from core_kit import FORMAT_YEARS, REPO, report_text
from jsonschema import Draft202012Validator

from gongkai.schema import SCHEMA_PATH, build_schema, schema_json


class _DatesAsText(yaml.SafeLoader):
    """YAML as the editor's language server sees it: dates stay strings."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _data(text: str) -> Any:
    return yaml.load(text, Loader=_DatesAsText)


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _errors(validator: Draft202012Validator, data: Any) -> list[str]:
    return [error.message for error in validator.iter_errors(data)]


def test_committed_schema_is_current():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_json(), "run: gongkai schema -o " + str(SCHEMA_PATH)


def test_sample_points_at_the_committed_schema():
    sample = REPO / "reports" / "shifan-zhen" / "2024.yml"
    first = sample.read_text(encoding="utf-8").splitlines()[0]
    ref = first.split("$schema=", 1)[1]
    assert (sample.parent / ref).resolve() == SCHEMA_PATH.resolve()


SAMPLES = sorted((REPO / "reports").glob("*/*.yml"))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_samples_validate(validator, sample: Path):
    assert _errors(validator, _data(sample.read_text(encoding="utf-8"))) == []


def test_there_are_samples_of_both_formats():
    formats = {_data(p.read_text(encoding="utf-8")).get("format") for p in SAMPLES}
    assert {2019, 2021} <= formats


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
def test_built_reports_validate(validator, version, year):
    assert _errors(validator, _data(report_text(version, year))) == []


@pytest.mark.parametrize(("version", "year"), FORMAT_YEARS)
@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d["applications"]["received"].update(natual_person=d["applications"]["received"].pop("natural_person")),
     "natual_person"),
    (lambda d: d.update(yaer=d.pop("year")), "yaer"),
    (lambda d: d["appeals"]["review"].update(upheld=-3), "-3"),
    (lambda d: d["appeals"]["review"].update(upheld=1.5), "1.5"),
    (lambda d: d["appeals"]["review"].update(upheld="9"), "'9'"),
    (lambda d: d["agency"].update(slug="../etc"), "../etc"),
    (lambda d: d.update(published="2025-02-30"), "2025-02-30"),
    (lambda d: d.update(problems="【请填写】存在的问题"), "【请填写】"),
    (lambda d: d.pop("problems"), "problems"),
])
def test_mistakes_are_rejected(validator, version, year, change, words):
    data = _data(report_text(version, year))
    change(data)
    errors = _errors(validator, data)
    assert errors and any(words in message for message in errors), errors


def test_signed_change_may_be_negative_but_amounts_may_not(validator):
    data = _data(report_text("2019", 2019))
    data["proactive"]["penalty"]["change"] = -8
    assert _errors(validator, data) == []
    data["proactive"]["procurement"]["purchase_amount"] = -1.5
    assert _errors(validator, data)


def test_the_year_chooses_the_format(validator):
    data = _data(report_text("2019", 2019))
    data["year"] = 2024  # a 2019-format body under a 2021-format year
    messages = " ".join(_errors(validator, data))
    assert "made" in messages  # 2019-only column, unknown in the 2021 format


def test_totals_are_optional(validator):
    data = _data(report_text("2021", 2024))
    applications = data["applications"]
    for row in ("received", "carried_over", "carried_forward"):
        del applications[row]["total"]
    del applications["results"]["total"]  # the whole （七）总计 row
    del data["appeals"]["review"]["total"]
    assert _errors(validator, data) == []


def _properties(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every declared property, except the ``if`` that only picks the format."""
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            yield f"{where}.{key}", value
        for key, value in node.items():
            yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for item in node:
            yield from _properties(item, where)


def test_every_property_has_a_chinese_title_and_description():
    schema = build_schema()
    found = list(_properties(schema["$defs"]))
    assert len(found) > 300
    for where, prop in found:
        target = schema["$defs"][prop["$ref"].rsplit("/", 1)[1]] if "$ref" in prop else prop
        assert target.get("title") and target.get("description"), where
        assert any("\u4e00" <= ch <= "\u9fff" for ch in target["title"]), where


def test_objects_allow_no_other_keys():
    def objects(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            if node.get("type") == "object":
                yield node
            for value in node.values():
                yield from objects(value)

    schema = build_schema()
    for branch, version in (("then", "2019"), ("else", "2021")):  # an archived report (issue 12) has its own
        assert schema[branch] == {"if": {"required": ["archived"]}, "then": {"$ref": f"#/$defs/archived-format-{version}"},
                                  "else": {"$ref": f"#/$defs/format-{version}"}}
    for node in objects(schema["$defs"]):
        assert node["additionalProperties"] is False, node.get("title")


ARCHIVES = sorted((REPO / "tests" / "site" / "fixtures" / "archived").glob("*.yml"))


@pytest.mark.parametrize("archive", ARCHIVES, ids=lambda p: p.stem)
def test_archived_reports_validate(validator, archive: Path):
    """Blank, not-applicable and unit cells, another layout and discrepancies: allowed in an archive."""
    assert _errors(validator, _data(archive.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize(("change", "archived", "ok"), [
    (lambda d: d["applications"]["received"].update(research=None), False, False),
    (lambda d: d["applications"]["received"].update(research=None), True, True),
    (lambda d: d["applications"]["received"].update(research="/"), True, True),
    (lambda d: d["applications"]["received"].update(research="5件"), True, False),
    (lambda d: d["proactive"]["fees"].update(amount="251000元"), True, True),
    (lambda d: d["proactive"]["fees"].update(amount="251000元"), False, False),
    (lambda d: d.update(layouts={"applications": "2019"}), False, False),
    (lambda d: d.update(layouts={"applications": "2019"}), True, False),  # the 2021 rows are not the 2019 ones
    (lambda d: d.update(discrepancies=[{"rule": "total-column-sum", "cell": "applications.received.total",
                                        "published": "", "expected": "7"}]), True, True),
], ids=["blank-new", "blank-archived", "na-archived", "count-with-unit", "amount-with-unit",
        "amount-with-unit-new", "layouts-new", "layouts-rows-differ", "discrepancy"])
def test_archived_forms_only_in_archives(validator, change, archived: bool, ok: bool):
    data = _data(report_text("2021", 2024))
    if archived:
        data["archived"] = {"source": "https://www.example.gov.cn/ndbg.html", "retrieved": "2026-11-26"}
    change(data)
    assert (_errors(validator, data) == []) is ok
