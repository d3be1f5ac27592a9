"""The skeleton cache (the fast path) writes exactly what the template writes for each report (the plain path)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment

from gongkai.collection import load_portal
from gongkai.rendering import table_layout
from gongkai.rendering.tables import TEMPLATE, default_environment, render_layout, render_table
from gongkai.templating import make_environment

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted((REPO / "reports").glob("*/*.yml"))


@pytest.fixture(scope="module")
def reports():
    portal = load_portal(SAMPLES)
    assert portal.ok and len(portal.reports) == len(SAMPLES)
    return portal.reports


@pytest.mark.parametrize("environment", [None, make_environment()], ids=["default", "pages"])
def test_every_sample_table_is_the_plain_rendering(reports, environment) -> None:
    template = (environment or default_environment()).get_template(TEMPLATE)
    for report in reports:
        for table in report.format.tables:
            plain = render_layout(template, table_layout(report, table, id_prefix="t-"))
            assert render_table(report, table, id_prefix="t-", environment=environment) == plain


def test_a_template_that_writes_a_number_twice_escaped_and_raw_gets_both(reports) -> None:
    source = "{% for body in table.bodies %}{% for row in body %}{% for c in row %}" \
             "{% if c.path is defined %}[{{ c.text }}|{{ c.text | safe }}]{% endif %}" \
             "{% endfor %}{% endfor %}{% endfor %}"
    env = Environment(loader=DictLoader({TEMPLATE: source}), autoescape=True)
    report = reports[0]
    table = report.format.tables[0]
    plain = render_layout(env.get_template(TEMPLATE), table_layout(report, table))
    assert render_table(report, table, environment=env) == plain and plain.count("[") > 10


def test_each_table_declaration_gets_its_own_skeleton(reports) -> None:
    """The cache is keyed by the declaration itself (identity): an equal-looking copy is another table."""
    report = reports[0]
    table = report.format.tables[0]
    renamed = dataclasses.replace(table, title="另一个标题")
    first, second = render_table(report, table), render_table(report, renamed)
    assert "另一个标题" in second and "另一个标题" not in first
    assert render_table(report, table) == first
