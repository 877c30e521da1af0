"""The house keeps its arrows: the layer contract in pyproject.toml (``lint-imports``, run by
this test, inside the suite .ci/run runs) holds, and no room imports another's private names."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def room(module: str) -> str:
    """The room a module lives in: its folder under warmcall/, or the module itself."""
    parts = module.split(".")
    return ".".join(parts[:2])


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name != "_"


def private_imports(root: Path = ROOT) -> list[str]:
    """Each ``file:line imports room.name`` where a private name (or module) of one room is
    imported by another (``_`` is gettext's, not a private name)."""
    found = []
    for path in sorted((root / "warmcall").rglob("*.py")):
        relative = path.relative_to(root).with_suffix("")
        here = ".".join(p for p in relative.parts if p != "__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith(
                "warmcall"
            ):
                continue
            module = node.module or ""
            if room(module) == room(here):
                continue
            names = [a.name for a in node.names if private(a.name)]
            names += [p for p in module.split(".") if private(p)]
            found += [f"{relative}:{node.lineno} imports {module}.{n}" for n in names]
    return found


def test_no_room_imports_another_rooms_private_names() -> None:
    assert private_imports() == []


def test_a_private_name_imported_across_rooms_is_found(tmp_path: Path) -> None:
    """The check above fails on what it looks for: a room reaching into another's private
    name, not a private name within one room, nor gettext's ``_``."""
    for name, text in {
        "plan/candidates.py": "from warmcall.compliance.rules import _profile, frequency\n",
        "plan/session.py": "from warmcall.plan.candidates import _ties\n",
        "render/plan.py": "from warmcall.render.i18n import _\n",
    }.items():
        (tmp_path / "warmcall" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "warmcall" / name).write_text(text, encoding="utf-8")
    assert private_imports(tmp_path) == [
        "warmcall/plan/candidates:1 imports warmcall.compliance.rules._profile"
    ]


@pytest.mark.skipif(
    shutil.which("lint-imports") is None and not os.environ.get("CI"),
    reason="import-linter not installed (CI installs it, and fails without it)",
)
def test_the_layer_contract_is_kept() -> None:
    """cli → render → the rooms → config → store, phones, local time → errors, clock,
    models: an import upwards (render importing cli, compliance importing plan) breaks it."""
    done = subprocess.run(
        ["lint-imports", "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout[-3000:]


def test_the_readmes_map_of_the_house_matches_the_folders() -> None:
    """Every folder and module of warmcall/ is named in README's map, and the map names no
    module that is gone (the migrations' revisions and package files aside)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("warmcall/            the core") : readme.index("tests/      ")]
    package = ROOT / "warmcall"
    modules = {
        p.name
        for p in package.rglob("*.py")
        if "versions" not in p.parts and p.name not in ("__init__.py", "__main__.py")
    }
    named = set(re.findall(r"\b\w+\.py\b", block))
    assert modules - named == set(), "modules the map does not name"
    assert named - modules == set(), "modules the map names that are gone"
    rooms = {d.name for d in package.iterdir() if d.is_dir() and not d.name.startswith("__")}
    assert {r for r in rooms if f"  {r}/ " not in block} == set()
