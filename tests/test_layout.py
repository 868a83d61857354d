"""The library's layout: one subpackage per concept, dependencies pointing one way, no cycles.

The layering is written down once, here, in ``MAY_IMPORT``. Every import inside
``workshop_utils`` counts, including the ones inside functions (a lazy import
that closes a loop is still a loop).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "workshop_utils"

# The parts of the library and the parts each may import (besides itself). "foundation" is the
# modules at the top of the package, which every lesson uses: reproducibility, training,
# checkpoints, plotting, source, and the private _validate and _files.
# Data -> models -> metrics; the views, widgets and labs sit above; course/ is the top.
MAY_IMPORT: dict[str, set[str]] = {
    "foundation": set(),
    "datasets": {"foundation"},
    "models": {"foundation", "datasets"},
    "metrics": {"foundation", "datasets", "models"},
    "discussion": {"foundation"},
    "cases": {"foundation"},
    "resources": {"foundation"},
    "session": {"foundation", "discussion", "cases", "resources"},
    "coordination": {"foundation", "datasets", "models", "metrics", "discussion"},
    "detection": {"foundation", "datasets", "models", "metrics", "discussion"},
    "provenance": {"foundation", "datasets", "models", "metrics", "discussion"},
    "responsible": {"foundation", "datasets", "models", "metrics", "discussion", "provenance"},
    "course": {"foundation", "datasets", "models", "metrics", "discussion", "cases", "resources",
               "coordination", "detection", "provenance", "responsible", "session"},
}
# Never loaded by importing the package or any subpackage (they cost seconds and hundreds of MB).
HEAVY = ("torch", "matplotlib", "ipywidgets", "sklearn")


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every module of the package that ``name`` imports, anywhere in its code."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            candidates = [f"{module}.{alias.name}" for alias in node.names] + [module]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        for candidate in candidates:
            # `from .datasets import digits` imports the module if there is one, else the package
            while candidate and candidate not in MODULES:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
                break
    return targets


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _part(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 1 and (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return "foundation"


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return found


def test_the_graph_is_read():
    assert GRAPH["workshop_utils.models.vae"] >= {"workshop_utils.datasets.digits", "workshop_utils.training"}
    assert "workshop_utils.models.charlm" in GRAPH["workshop_utils.detection.human"]


def test_no_import_cycles():
    cycles = _cycles()
    assert not cycles, "import cycles (move what both need down a layer): " + "; ".join(
        " <-> ".join(c) for c in cycles)


def test_the_cycle_check_catches_a_cycle(monkeypatch):
    monkeypatch.setitem(GRAPH, "workshop_utils.datasets.digits",
                        GRAPH["workshop_utils.datasets.digits"] | {"workshop_utils.models.vae"})
    assert ["workshop_utils.datasets.digits", "workshop_utils.models.vae"] in _cycles()


def test_every_part_is_in_the_layering():
    parts = {_part(m) for m in MODULES}
    assert parts <= set(MAY_IMPORT), f"add {sorted(parts - set(MAY_IMPORT))} to MAY_IMPORT, with what it may import"
    for part, allowed in MAY_IMPORT.items():
        assert allowed <= set(MAY_IMPORT), part


def _upward_imports(graph: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, targets in sorted(graph.items()):
        part = _part(module)
        for target in sorted(targets):
            other = _part(target)
            if other != part and other not in MAY_IMPORT[part]:
                wrong.append(f"{module} ({part}) imports {target} ({other})")
    return wrong


def test_dependencies_point_one_way():
    wrong = _upward_imports(GRAPH)
    assert not wrong, "imports against the layering in MAY_IMPORT:\n" + "\n".join(wrong)


def test_the_layering_check_catches_a_model_that_imports_a_widget():
    graph = dict(GRAPH)
    graph["workshop_utils.models.gan2d"] = graph["workshop_utils.models.gan2d"] | {"workshop_utils.discussion.widgets"}
    assert _upward_imports(graph) == [
        "workshop_utils.models.gan2d (models) imports workshop_utils.discussion.widgets (discussion)"]


def test_every_subpackage_names_its_public_api():
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        tree = ast.parse(init.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{init.parent.name}/__init__.py needs a docstring that lists its modules"
        names = [n for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "__all__"]
        assert names, f"{init.parent.name}/__init__.py needs __all__"


@pytest.mark.parametrize("package", ["workshop_utils"] + sorted(
    f"workshop_utils.{p.parent.name}" for p in PACKAGE.glob("*/__init__.py")))
def test_importing_a_package_is_light_and_its_names_resolve(package):
    code = (
        f"import sys, importlib, importlib.util; pkg = importlib.import_module({package!r});"
        "missing = [n for n in pkg.__all__ if not hasattr(pkg, n) and importlib.util.find_spec(f'{pkg.__name__}.{n}') is None];"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules];"
        "print(missing, heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] []", f"{package}: names in __all__ that do not exist, heavy imports: {out.stdout}"


def _duplicate_test_names(root: Path) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        if path.name.startswith("test_") or path.name.endswith("_helpers.py"):
            seen.setdefault(path.name, []).append(str(path.relative_to(root)))
    return {name: paths for name, paths in seen.items() if len(paths) > 1}


def test_test_modules_have_unique_names():
    # tests/ folders are not packages, so pytest imports each test module by its bare
    # name: two tests/*/test_x.py files stop collection with "import file mismatch".
    tests = Path(__file__).resolve().parent
    assert _duplicate_test_names(tests) == {}


def test_the_duplicate_name_check_catches_a_clash(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "test_same.py").write_text("")
    assert _duplicate_test_names(tmp_path) == {"test_same.py": ["a/test_same.py", "b/test_same.py"]}
