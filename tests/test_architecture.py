"""The shape of the code: the core without MkDocs, no import cycles, the adapter at the edge, the API as documented."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "plugins" / "gongkai"
ADAPTER = "gongkai.mkdocs_plugin"
FRAMEWORKS = ("mkdocs", "material")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
CORE = sorted(m for m in MODULES if not m.startswith(ADAPTER))
IMPORTABLE_CORE = [m for m in CORE if m != "gongkai.__main__"]  # importing __main__ runs the command line


def _imports(module: str) -> set[str]:
    """The gongkai modules (and the outside top-level packages) ``module`` imports, anywhere in its code."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            submodules = {f"{target}.{alias.name}" for alias in node.names} & MODULES.keys()
            found.update(submodules)
            if len(submodules) < len(node.names):  # a name defined by the package itself
                found.add(target)
    return found


GRAPH = {module: {m for m in _imports(module) if m in MODULES and m != module} for module in MODULES}


def test_the_graph_sees_the_whole_package() -> None:
    assert {"gongkai.collection", "gongkai.rendering.tables", "gongkai.navigation", f"{ADAPTER}.plugin"} <= set(MODULES)
    assert "gongkai.rendering.skeleton" in GRAPH["gongkai.rendering.tables"]
    assert "gongkai.indexing" in GRAPH["gongkai.collection"]


def test_no_import_cycles() -> None:
    done: set[str] = set()
    stack: list[str] = []

    def visit(module: str) -> None:
        if module in stack:
            cycle = stack[stack.index(module):] + [module]
            raise AssertionError("import cycle: " + " → ".join(cycle))
        if module in done:
            return
        stack.append(module)
        for target in sorted(GRAPH[module]):
            visit(target)
        stack.pop()
        done.add(module)

    for module in sorted(GRAPH):
        visit(module)


def test_nothing_in_the_core_imports_the_adapter_or_mkdocs() -> None:
    offenders = {}
    for module in CORE:
        bad = sorted(m for m in _imports(module)
                     if m.startswith(ADAPTER) or m.split(".")[0] in FRAMEWORKS)
        if bad:
            offenders[module] = bad
    assert not offenders


BLOCKER = textwrap.dedent("""
    import importlib, sys

    class Blocker:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {frameworks!r}:
                raise ModuleNotFoundError(f"blocked for this test: {{name}}", name=name)
            return None

    sys.meta_path.insert(0, Blocker())
    for name in {modules!r}:
        importlib.import_module(name)
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in {frameworks!r})
    assert not loaded, loaded
    try:
        importlib.import_module("{adapter}.plugin")
    except ModuleNotFoundError as error:
        print("adapter needs", error.name)
""")


def test_every_core_module_imports_with_mkdocs_and_material_absent() -> None:
    script = BLOCKER.format(frameworks=FRAMEWORKS, modules=IMPORTABLE_CORE, adapter=ADAPTER)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "adapter needs mkdocs" in done.stdout  # the blocker works: the adapter cannot load


def _readme_api() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([A-Za-z_][A-Za-z0-9_]*)` \|", section, flags=re.MULTILINE)


def test_the_public_api_is_exactly_what_the_readme_documents() -> None:
    gongkai = importlib.import_module("gongkai")
    documented = _readme_api()
    assert len(documented) == len(set(documented)), "a name is documented twice"
    assert sorted(documented) == sorted(gongkai.__all__)
    assert all(hasattr(gongkai, name) for name in gongkai.__all__)


def test_the_public_api_names_no_mkdocs_object() -> None:
    gongkai = importlib.import_module("gongkai")
    for name in gongkai.__all__:
        origin = getattr(getattr(gongkai, name), "__module__", "gongkai") or "gongkai"
        assert origin.startswith("gongkai") and not origin.startswith(ADAPTER), (name, origin)
