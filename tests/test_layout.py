"""The package's layout: stages that import one way, a declared public API, no private helpers shared.

The stages follow the workflow (DESIGN.md): ``core`` ← ``intake`` ← ``workshop`` ← ``audit`` |
``loyalty`` ← ``chain``; ``run`` imports ``core`` only; ``cli`` and ``notebook`` are the front doors.
Every ``import`` and ``from … import`` counts, including the ones inside functions.
"""

from __future__ import annotations

import ast
import json
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KIT = ROOT / "kit"
STAGES = [("core",), ("intake",), ("workshop",), ("audit", "loyalty"), ("chain",)]
RANK = {name: i for i, group in enumerate(STAGES) for name in group}
ONLY = {"run": {"core"}}
FRONT_DOORS = {"kit", "kit.__main__", "kit.cli", "kit.notebook"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in KIT.rglob("*.py")}


def imports_of(name: str, path: Path) -> list[tuple[str, str, int]]:
    """``(module imported, name imported or "", line)`` for every kit import of a module."""
    out = []
    is_pkg = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, "", node.lineno) for a in node.names if a.name.split(".")[0] == "kit"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")[: len(name.split(".")) - node.level + (1 if is_pkg else 0)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] == "kit":
                out += [(mod, a.name, node.lineno) for a in node.names]
    return out


def target(mod: str, name: str) -> str | None:
    """The kit module an import resolves to (``from kit.audit import measures`` -> kit.audit.measures)."""
    for candidate in (f"{mod}.{name}" if name else None, mod):
        while candidate:
            if candidate in MODULES:
                return candidate
            candidate = candidate.rpartition(".")[0]
    return None


GRAPH: dict[str, set[str]] = defaultdict(set)
for _name, _path in MODULES.items():
    for _mod, _imported, _line in imports_of(_name, _path):
        _t = target(_mod, _imported)
        if _t and _t != _name and not _name.startswith(_t + "."):
            GRAPH[_name].add(_t)


def stage(mod: str) -> str | None:
    parts = mod.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in {*RANK, *ONLY} else None


def test_no_module_left_at_the_top_level_but_the_front_doors():
    top = {name for name in MODULES if name.count(".") == 1 or name == "kit"}
    packages = {f"kit.{s}" for s in (*RANK, *ONLY)}
    assert top - packages == FRONT_DOORS - {"kit"} | ({"kit"} & top)


def test_no_import_circle():
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in GRAPH.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                circles.append(sorted(comp))

    for v in sorted(MODULES):
        if v not in index:
            visit(v)
    assert not circles


def test_stages_import_one_way_and_run_imports_core_only():
    backward = []
    for src, targets in GRAPH.items():
        s = stage(src)
        for dst in targets:
            d = stage(dst)
            if d is None and dst in FRONT_DOORS and s is not None:
                backward.append(f"{src} -> {dst} (a front door)")
                continue
            if s is None or d is None or s == d:
                continue
            if s in ONLY and d not in ONLY[s] or s in RANK and d in RANK and RANK[d] >= RANK[s]:
                backward.append(f"{src} -> {dst}")
    assert not backward


def test_no_private_helper_is_imported_from_another_module():
    shared = [
        f"{MODULES[n].relative_to(ROOT)}:{line} imports {name} from {mod}"
        for n, p in MODULES.items()
        for mod, name, line in imports_of(n, p)
        if name.startswith("_") and not name.startswith("__")
    ]
    assert not shared


def test_every_module_declares_its_public_names():
    missing, unknown = [], []
    for name, path in MODULES.items():
        if name in FRONT_DOORS or path.name == "__main__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        decl = [
            n
            for n in tree.body
            if isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in n.targets)
        ]
        if not decl:
            missing.append(name)
            continue
        if path.name == "__init__.py":
            continue
        defined = {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
        defined |= {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        defined |= {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
        defined |= {a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names}
        unknown += [f"{name}.{e.value}" for e in decl[0].value.elts if e.value not in defined]
    assert not missing and not unknown, (missing, unknown)


def test_no_two_public_functions_share_a_name():
    where = defaultdict(list)
    for name, path in MODULES.items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                where[node.name].append(name)
    twice = {n: mods for n, mods in where.items() if len(mods) > 1}
    assert not twice


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.stem)
def test_notebooks_import_only_public_names(notebook):
    import importlib

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    source = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    bad = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "kit":
            module = importlib.import_module(node.module)
            public = set(getattr(module, "__all__", ()))
            for alias in node.names:
                folder = KIT.parent / node.module.replace(".", "/")
                is_module = (folder / f"{alias.name}.py").exists() or (folder / alias.name / "__init__.py").exists()
                if alias.name.startswith("_") or not (alias.name in public or is_module):
                    bad.append(f"from {node.module} import {alias.name}")
    assert not bad


def test_ruff_lint_and_format_are_clean():
    """``make lint``: ruff's checks and formatting, as configured in pyproject.toml."""
    import shutil
    import subprocess
    import sys

    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed (pip install -e .[dev])")
    paths = ["kit", "tests", "benchmarks", "notebooks"]
    check = subprocess.run([ruff, "check", *paths], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout[-3000:]
    fmt = subprocess.run([ruff, "format", "--check", *paths], cwd=ROOT, capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout[-3000:]
