"""The package's layers: the library never imports upward, no import circles, no Flask in it.

Every module of ``guide/`` is parsed with ``ast``; imports inside functions count too,
since they tie the modules together just as much.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import guide

PACKAGE = Path(guide.__file__).parent
LIBRARY = ("guide.catalogue", "guide.tours", "guide.render")


def module_name(path: Path) -> str:
    """Return the dotted name of a module file of the package."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, name: str, modules: set[str]) -> set[str]:
    """Return the modules of the package that the module ``name`` imports, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # Imports only for type checkers never run, so they tie no modules together.
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
        for inner in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # "from guide.catalogue import codes" imports the module guide.catalogue.codes.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    """Return {module: modules of the package it imports}."""
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    names = set(paths)
    return {name: imports_of(path, name, names) for name, path in paths.items()}


GRAPH = graph()


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


RULES = {
    "guide.catalogue": ("guide.tours", "guide.render", "guide.workspace", "guide.web", "guide.cli"),
    "guide.tours": ("guide.render", "guide.workspace", "guide.web", "guide.cli"),
    "guide.render": ("guide.workspace", "guide.web", "guide.cli"),
    "guide.workspace": ("guide.web", "guide.cli"),
    "guide.listening": ("guide.web", "guide.cli"),
}


@pytest.mark.parametrize("package", sorted(RULES))
def test_no_upward_imports(package):
    upward = sorted(
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if within(name, package)
        for target in targets
        if any(within(target, forbidden) for forbidden in RULES[package])
    )
    assert upward == []


def test_tours_use_only_the_catalogue_messages_and_settings():
    allowed = ("guide.tours", "guide.catalogue", "guide.messages", "guide.settings")
    strays = sorted(
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if within(name, "guide.tours")
        for target in targets
        if not any(within(target, package) for package in allowed)
    )
    assert strays == []


def cycles(nodes: set[str]) -> list[list[str]]:
    """Return the import circles among ``nodes`` (strongly connected parts of two or more)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in GRAPH[node] & nodes:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            part = []
            while True:
                top = stack.pop()
                part.append(top)
                if top == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return found


def test_no_import_circles_in_the_library():
    library = {
        name
        for name in GRAPH
        if any(
            within(name, p) for p in (*LIBRARY, "guide.workspace", "guide.messages", "guide.cli")
        )
    }
    assert cycles(library) == []


def test_no_import_circles_anywhere():
    assert cycles(set(GRAPH)) == []


def test_the_catalogue_loads_without_flask():
    code = (
        "import sys\n"
        "from guide.catalogue.index import load_catalogue\n"
        "from guide.tours.plan import plan_tour\n"
        "print('flask' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=PACKAGE.parent,
        env={"PYTHONPATH": str(PACKAGE.parent), "PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.strip() == "False"
