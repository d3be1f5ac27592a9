"""Every rule of the catalogue, pinned by cases written as data: ``cases/<rule-code>/<case>.yml``.

A case names a base report (``cases/_base/``, both formats), makes one edit to it, runs what
an editor runs — ``gongkai validate reports`` for report rules, ``gongkai import`` for import
rules — and lists every line printed about the reports, exactly: file, line, column, rule,
label, message, expected and actual. Keys of a case:

- ``report``: the base report to edit, e.g. ``shifan-zhen/2024.yml``, written to ``reports/``
  under the same name (or under ``as``); ``also``: other base reports put beside it, unchanged;
  none of the two: an empty ``reports/`` folder.
- one edit: ``set: {path: a.b.c, to: <YAML source>}``, ``delete: a.b.c``, or
  ``replace: {text: <old>, with: <new>}`` (the text must occur once); ``content``: the whole
  text instead; ``encoding: gbk`` writes it in GBK; ``missing: true`` leaves only a link to nothing;
  ``special``: a file no text describes instead (fifo, loop, devzero, huge, many, zipbomb: see
  ``tests/hostile/specials.py``); ``paths``: what `gongkai validate` is given (default ``reports``).
- ``import``: a source in ``_base/sources/`` to import instead (the edit applies to it), written
  under its own name or ``as``; ``args``: more command-line arguments; ``existing``: base reports
  already in ``reports/``; ``written``: an edit applied to the YAML the import is about to write
  (the import's round-trip check).
- ``form``: the Excel form (``gongkai new --xlsx``) of a base report, every figure typed in,
  imported with ``gongkai import``; one edit: ``cell: 工作表!A1`` with ``value``, ``drop: 工作表``,
  or ``broken: true`` (not a workbook at all).
- ``command: check``: run ``gongkai check reports`` (with ``args``) instead of ``validate``, and
  keep only its finding lines (the compliance rules); ``args`` are passed to ``validate`` too.
- ``site_info``: the footer's options of ``mkdocs.yml`` (``plugins.gongkai.site_info``), checked by
  ``gongkai.siteinfo`` against a ``docs/`` folder holding the files listed in ``docs_files``.
- ``findings``: the lines printed, in order.

``python tests/core/test_core_cases.py --write`` fills in ``findings`` from what the code prints
now: use it for a new case, then read every line before committing.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from gongkai import cli
from gongkai.findings import format_finding
from gongkai.importing.command import check_written
from gongkai.importing.document import Overrides, import_report
from gongkai.importing.readers import read_source
from gongkai.importing.source import UnreadableSource
from gongkai.rules import catalogue
from gongkai.writing import report_to_yaml

try:
    from ..hostile.specials import make_special
except ImportError:  # run as a script (--write)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hostile"))
    from specials import make_special  # type: ignore[no-redef]

CASES = Path(__file__).parent / "cases"
BASE = CASES / "_base"
SLUG = "shifan-zhen"


def case_files() -> list[Path]:
    return sorted(p for p in CASES.glob("*/*.yml") if not p.parent.name.startswith("_"))


# --- edits ------------------------------------------------------------------------------


def _node(text: str, path: str) -> tuple[yaml.Node, yaml.Node, yaml.Node]:
    """The mapping that holds ``path``'s last key, the key node and the value node."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    parent = key_node = node
    for key in path.split("."):
        parent = node
        key_node, node = next((k, v) for k, v in node.value if k.value == key)
    return parent, key_node, node


def _set(text: str, path: str, raw: str) -> str:
    _, _, value = _node(text, path)
    return text[: value.start_mark.index] + raw + text[value.end_mark.index:]


def _delete(text: str, path: str) -> str:
    parent, key, value = _node(text, path)
    start, end = key.start_mark.index, value.end_mark.index
    if parent.flow_style:  # {a: 1, b: 2}: drop "b: 2" and one comma beside it
        if text[end:].startswith(", "):
            end += 2
        elif text[:start].endswith(", "):
            start -= 2
        return text[:start] + text[end:]
    start = text.rindex("\n", 0, start) + 1
    if text[end - 1] != "\n":
        end = text.index("\n", end) + 1
    return text[:start] + text[end:]


def _replace(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def edit(text: str, case: dict[str, Any]) -> str:
    if "content" in case:
        return str(case["content"])
    if "set" in case:
        return _set(text, case["set"]["path"], str(case["set"]["to"]))
    if "delete" in case:
        return _delete(text, case["delete"])
    if "replace" in case:
        return _replace(text, case["replace"]["text"], case["replace"]["with"])
    return text


# --- running a case ---------------------------------------------------------------------


def _base(name: str) -> str:
    return (BASE / name).read_text(encoding="utf-8")


def _write(target: Path, text: str, encoding: str = "utf-8") -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode(encoding))


def _cli(arguments: list[str]) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        cli.main(arguments)
    return out.getvalue(), err.getvalue()


def _validate(case: dict[str, Any], root: Path) -> list[str]:
    reports = root / "reports"
    reports.mkdir()
    for name in case.get("also", []):
        _write(reports / name, _base(name))
    if case.get("report"):
        target = reports / case.get("as", case["report"])
        if case.get("missing"):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(root / "nowhere.yml")
        elif case.get("special"):
            make_special(case["special"], target, root)
        else:
            _write(target, edit(_base(case["report"]), case), case.get("encoding", "utf-8"))
    if case.get("command") == "check":  # the compliance view: only its findings, not the matrix
        out, _ = _cli(["check", "reports", *case.get("args", [])])
        return [line for line in out.splitlines() if re.search(r": (?:错误|警告) \[", line)]
    out, _ = _cli(["validate", *case.get("paths", ["reports"]), *case.get("args", [])])
    return out.splitlines()[:-1]  # the last line sums up


def _import(case: dict[str, Any], root: Path) -> list[str]:
    for name in case.get("existing", []):
        _write(root / "reports" / name, _base(name))
    name = case.get("as", case["import"])
    source = root / name
    if case.get("missing"):
        source.symlink_to(root / "nowhere.txt")
    elif case.get("special"):
        make_special(case["special"], source, root)
    else:
        source.write_bytes(edit(_base(f"sources/{case['import']}"), case).encode(case.get("encoding", "utf-8")))
    if "written" in case:  # the import's own check of the YAML it is about to write
        report = import_report(read_source(source, name), Overrides(slug=SLUG)).report
        try:
            check_written(edit(report_to_yaml(report), case["written"]), report, Path("reports/out.yml"))
        except UnreadableSource as error:
            return [format_finding(f) for f in error.findings]
        return []
    _, err = _cli(["import", name, "--agency", SLUG, "-o", "reports", *case.get("args", [])])
    return err.splitlines()


def _form(case: dict[str, Any], root: Path) -> list[str]:
    from openpyxl import load_workbook

    from gongkai.forms import write_form
    from gongkai.loading import load_text
    from gongkai.parsing import parse_document
    from gongkai.starting import NewReport

    name, form = "form.xlsx", case["form"]
    document, _ = load_text(_base(form["report"]), Path(form["report"]), form["report"])
    report, _ = parse_document(document)
    assert report is not None
    write_form(NewReport(report, None, (), True), root / name)
    if form.get("broken"):
        (root / name).write_bytes(b"not a workbook")
    else:
        book = load_workbook(root / name)
        if "drop" in form:
            del book[form["drop"]]
        if "cell" in form:
            sheet, ref = form["cell"].split("!")
            book[sheet][ref] = form.get("value")
        book.save(root / name)
    _, err = _cli(["import", name, "-o", "reports"])
    return err.splitlines()


def _site_info(case: dict[str, Any], root: Path) -> list[str]:
    from gongkai.siteinfo import read_site_info

    docs = root / "docs"
    for name in case.get("docs_files", []):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    source = yaml.safe_dump({"plugins": [{"gongkai": {"site_info": case["site_info"]}}]}, allow_unicode=True,
                            sort_keys=False)
    _, found = read_site_info(case["site_info"], docs, "mkdocs.yml", source)
    return [format_finding(f) for f in found]


def run_case(path: Path, root: Path) -> list[str]:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    previous = Path.cwd()
    os.chdir(root)
    try:
        if "form" in case:
            return _form(case, root)
        if "site_info" in case:
            return _site_info(case, root)
        return _import(case, root) if "import" in case else _validate(case, root)
    finally:
        os.chdir(previous)


@pytest.mark.parametrize("path", case_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_case(path: Path, tmp_path: Path) -> None:
    expected = yaml.safe_load(path.read_text(encoding="utf-8")).get("findings") or []
    assert run_case(path, tmp_path) == expected
    assert any(f"[{path.parent.name}]" in line for line in expected), "a case shows the rule of its folder"


def test_every_rule_has_a_case() -> None:
    folders = {p.parent.name for p in case_files()}
    lacking = [code for code in catalogue() if code not in folders and (code, None) not in UNREACHABLE]
    assert lacking == [], f"rules without a case in tests/core/cases/<rule-code>/: {', '.join(lacking)}"


# Messages no input can reach today, kept as a guard (a number the pattern accepts but Decimal refuses;
# a roster code missing where pypinyin cannot make one, but gongkai.slugs always can).
UNREACHABLE = {("import-not-a-number", None)}


def _pattern(template: str) -> re.Pattern[str]:
    """A message template as a pattern: each {field} matches any text."""
    pieces = re.split(r"\{[a-z_]+\}", template)
    return re.compile(".*?".join(re.escape(piece) for piece in pieces))


def test_every_message_of_every_rule_is_pinned_by_a_case() -> None:
    """Not only each rule: each of its messages (its variants) shows in one of its cases."""
    unpinned = []
    for code, rule in catalogue().items():
        lines = [line for path in case_files() if path.parent.name == code
                 for line in yaml.safe_load(path.read_text(encoding="utf-8")).get("findings") or []
                 if f"[{code}]" in line]
        for variant, template in rule.templates.items():
            if (code, variant) not in UNREACHABLE and not any(_pattern(template).search(line) for line in lines):
                unpinned.append(f"{code} ({variant or 'main message'})")
    assert unpinned == [], f"messages without a case in tests/core/cases/<rule-code>/: {', '.join(unpinned)}"


def test_every_case_folder_is_a_rule() -> None:
    unknown = sorted({p.parent.name for p in case_files()} - set(catalogue()))
    assert unknown == [], f"case folders named for no rule of the catalogue: {', '.join(unknown)}"


# --- writing the expected findings -------------------------------------------------------


def write_findings(path: Path, root: Path) -> None:
    """Replace the case's ``findings`` (its last key) with what the code prints now."""
    lines = run_case(path, root)
    text = path.read_text(encoding="utf-8")
    head = text.split("\nfindings:", 1)[0].rstrip("\n") if "\nfindings:" in text else text.rstrip("\n")
    body = "".join(f"  - {yaml.safe_dump(line, allow_unicode=True, width=10_000).removesuffix(chr(10) + '...' + chr(10)).strip()}\n"
                   for line in lines)
    path.write_text(f"{head}\nfindings:\n{body}" if lines else f"{head}\nfindings: []\n", encoding="utf-8")


if __name__ == "__main__":
    import tempfile

    if sys.argv[1:2] != ["--write"]:
        sys.exit("usage: python tests/core/test_core_cases.py --write [case.yml ...]")
    for case_path in [Path(a).resolve() for a in sys.argv[2:]] or case_files():
        with tempfile.TemporaryDirectory() as temporary:
            write_findings(case_path, Path(temporary))
        print(case_path.relative_to(CASES))
