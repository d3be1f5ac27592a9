"""Build small portals in tmp_path and read the HTML a reader would get."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import posixpath
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SEED = "shifan-zhen/2024.yml"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# --- a tiny DOM (no third-party HTML parser needed) ----------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list["Node | str"] = field(default_factory=list)
    parent: "Node | None" = None

    def iter(self) -> Iterator["Node"]:
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list["Node"]:
        found = []
        for node in self.iter():
            if tag and node.tag != tag:
                continue
            if all(_has(node, k.rstrip("_").replace("_", "-"), v) for k, v in attrs.items()):
                found.append(node)
        return found

    def find(self, tag: str | None = None, **attrs: str) -> "Node":
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag}> with {attrs}"
        return found[0]

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()


def _has(node: Node, name: str, value: str) -> bool:
    if name == "class":
        return value in node.classes
    return node.attrs.get(name) == value


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        probe: Node | None = self.current
        while probe is not None and probe.tag != tag:
            probe = probe.parent
        if probe is not None and probe.parent is not None:
            self.current = probe.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse_html(text: str) -> Node:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


# --- portals ---------------------------------------------------------------------------------


@dataclass
class Portal:
    root: Path

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def page(self, url: str) -> Node:
        """The parsed HTML of a page by its site URL (``reports/x/2024/``)."""
        return parse_html(self.page_path(url).read_text(encoding="utf-8"))

    def page_path(self, url: str) -> Path:
        path = self.site / url
        return path / "index.html" if url.endswith("/") or url == "" else path

    def content(self, url: str) -> Node:
        """The page's article (what the reader reads, without header and nav)."""
        return self.page(url).find("article")

    def resolve(self, from_url: str, href: str) -> Path:
        """The file a relative link on page ``from_url`` points to."""
        href = href.split("#", 1)[0]
        base = from_url if from_url == "" or from_url.endswith("/") else posixpath.dirname(from_url)
        target = posixpath.normpath(posixpath.join(base, href)) if href else from_url
        target = "" if target == "." else target
        path = self.site / target
        return path / "index.html" if path.is_dir() else path

    def write_report(self, relative: str, text: str) -> Path:
        path = self.reports / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def set_config(self, **changes: object) -> None:
        path = self.root / "mkdocs.yml"
        text = path.read_text(encoding="utf-8")
        for key, value in changes.items():
            text += f"\n{key}: {yaml.safe_dump(value, allow_unicode=True, default_flow_style=True).strip()}\n"
        path.write_text(text, encoding="utf-8")

    def build(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``mkdocs build`` in a subprocess, as a user runs it."""
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", *args], cwd=self.root, env=env,
                              capture_output=True, text=True, timeout=300)

    def build_in_process(self, **overrides: object) -> None:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        build(load_config(str(self.root / "mkdocs.yml"), **overrides))

    def snapshot(self) -> dict[str, str]:
        """Hash of every file of the built site, to prove a failed build left it alone."""
        return {p.relative_to(self.site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(self.site.rglob("*")) if p.is_file()}


def make_portal(root: Path, *, copy_reports: bool = True) -> Portal:
    """The sample portal's configuration, home page and theme overrides, in ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "overrides", root / "overrides")
    if copy_reports:
        shutil.copytree(REPO / "reports", root / "reports")
    else:
        (root / "reports").mkdir()
    return Portal(root)


CORPUS = REPO / "tests" / "corpus"


def import_corpus(reports: Path) -> int:
    """Every published report of tests/corpus imported into ``reports``, one agency each; how many."""
    from gongkai.importing import command

    parser = argparse.ArgumentParser(prog="gongkai import")
    command.add_arguments(parser)
    cases = [case for case in json.loads((CORPUS / "cases.json").read_text(encoding="utf-8")) if "refused" not in case]
    for index, case in enumerate(cases):
        code = command.run(parser.parse_args([str(CORPUS / "sources" / case["file"]), "-o", str(reports),
                                              "--agency", f"corpus-{index:02d}", *case.get("options", [])]))
        assert code == 0, case["file"]
    return len(cases)


def seed_text() -> str:
    return (REPO / "reports" / SEED).read_text(encoding="utf-8")


def variant(text: str, *, slug: str | None = None, name: str | None = None, year: int | None = None,
            published: str | None = None) -> str:
    """The seed report with its agency, year or publication date changed (line by line, comments kept)."""
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if slug and stripped.startswith("slug:"):
            line = f"  slug: {slug}"
        elif name and stripped.startswith("name:"):
            line = f'  name: "{name}"'
        elif year and line.startswith("year:"):
            line = f"year: {year}"
        elif published and line.startswith("published:"):
            line = f"published: {published}"
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.fixture(autouse=True)
def fresh_plugins() -> Iterator[None]:
    """MkDocs keeps plugins that define on_startup for the life of the process (as `serve` needs),
    keyed by name only: every test starts from new instances (a preview's plugin must not publish)."""
    from mkdocs.config.defaults import MkDocsConfig

    MkDocsConfig.plugins.plugin_cache.clear()
    yield
    MkDocsConfig.plugins.plugin_cache.clear()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    """The repository's sample portal (every report under reports/), built once per session."""
    portal = make_portal(tmp_path_factory.mktemp("sample") / "portal")
    result = portal.build("--strict")
    assert result.returncode == 0, result.stderr
    return portal
