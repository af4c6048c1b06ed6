"""The README's "Where things are" names every package and module of the guide, and only those."""

from __future__ import annotations

import re
from pathlib import Path

from guide import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
PACKAGE = PROJECT_ROOT / "guide"


def map_entries() -> dict[str, str]:
    """Return {path under the project: description} from the README's map block.

    Each line is an indented name (two spaces per level, folders end with /) and
    its description; the path is built from the folders above it.
    """
    text = README.read_text(encoding="utf-8")
    section = text.split("## Where things are", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block, "README.md: no code block under 'Where things are'"
    entries: dict[str, str] = {}
    parents: list[str] = []
    for line in block.group(1).splitlines():
        match = re.match(r"^( *)(\S+)(?:\s{2,}(.*))?$", line)
        assert match, f"README.md map: cannot read the line {line!r}"
        depth = len(match.group(1)) // 2
        parents = parents[:depth]
        path = "".join(parents) + match.group(2)
        entries[path.rstrip("/")] = match.group(3) or ""
        if path.endswith("/"):
            parents.append(match.group(2))
    return entries


def guide_modules() -> set[str]:
    """Return every package (folder with __init__.py) and module of guide/, as project paths."""
    found = {"guide"}
    for path in PACKAGE.rglob("*.py"):
        if "__pycache__" in path.parts or "templates" in path.relative_to(PACKAGE).parts:
            continue
        relative = path.relative_to(PROJECT_ROOT)
        if path.name == "__init__.py":
            found.add(relative.parent.as_posix())
        else:
            found.add(relative.as_posix())
    return found


def test_every_package_and_module_is_in_the_map() -> None:
    missing = sorted(guide_modules() - set(map_entries()))
    assert not missing, f"README.md 'Where things are' lacks: {', '.join(missing)}"


def test_every_name_in_the_map_exists() -> None:
    absent = sorted(path for path in map_entries() if not (PROJECT_ROOT / path).exists())
    assert not absent, f"README.md 'Where things are' names what is not there: {', '.join(absent)}"


def test_every_module_has_a_description() -> None:
    entries = map_entries()
    bare = sorted(path for path in guide_modules() if not entries.get(path, "").strip())
    assert not bare, f"README.md 'Where things are' gives no description for: {', '.join(bare)}"


def test_map_reads_nested_folders() -> None:
    entries = map_entries()
    assert "guide/web/admin/editor.py" in entries
    assert Path("guide/web/admin").as_posix() in entries
