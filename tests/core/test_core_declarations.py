"""The format declarations own their relations, and nothing outside ``formats/`` branches on a format."""

from __future__ import annotations

import ast
import re

import pytest
from core_kit import REPO

from gongkai.formats import FORMATS, Balance, CarryOver, Column, RunningCount
from gongkai.rules import catalogue

SOURCE = REPO / "plugins" / "gongkai"


def _rows(table) -> set[tuple[str, ...]]:
    return {leaf.path for _, leaf in table.leaf_rows()}


@pytest.mark.parametrize("version", sorted(FORMATS))
def test_every_relation_names_a_rule_of_the_catalogue_and_rows_of_its_table(version):
    spec = FORMATS[version]
    assert {type(r) for r in spec.relations} == {Balance, CarryOver, RunningCount}
    for relation in spec.relations:
        assert relation.rule in catalogue(), relation
        table = spec.table(relation.table)
        if isinstance(relation, Balance):
            assert {row for _, row in relation.left + relation.right} | {relation.at} <= _rows(table)
        elif isinstance(relation, CarryOver):
            assert {relation.row, relation.source} <= _rows(table)
        else:
            columns = {cell.column.key for cell in table.cells()}
            assert {relation.column} | {c for c, _ in relation.last + relation.this} <= columns


def test_declarations_compare_and_hash_by_identity():
    assert Column("a", "甲") != Column("a", "甲")
    assert len({spec: None for spec in FORMATS.values()}) == len(FORMATS)


def test_no_module_outside_formats_branches_on_a_format_name():
    branching = re.compile(r"""\.version\s*[!=]=|FORMATS\[\s*["']|version\s*==\s*["']20""")
    found = [f"{path.relative_to(SOURCE)}:{number}" for path in SOURCE.rglob("*.py") if "formats" not in path.parts
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if branching.search(line)]
    assert found == []


def test_the_typed_report_does_not_reach_into_the_loader():
    tree = ast.parse((SOURCE / "model.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "loading" not in imported and "parsing" not in imported
