"""No lesson, and no part of an exercise that students see, shows the code of a graded part.

The graded functions are data: the "graded" lists in curriculum.json (see
workshop_utils.course.grading). Every lesson and every student version in exercises/ is searched for

- ``show_source(x)``, ``inspect.getsource(x)``, ``%psource x``, ``%pfile x`` or ``x??`` where ``x``
  is a graded function, or a class or module whose source contains one (``x`` is resolved by
  running only the notebook's import statements);
- a graded function's code pasted in: one of its lines of 40 characters or more, or two of its
  lines in a row (docstrings, comments and blank lines aside).
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from pathlib import Path

import nbformat
import pytest

from workshop_utils.course import curriculum, grading

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted([*(REPO / "lessons").glob("[0-9][0-9]_*.ipynb"), *(REPO / "exercises").glob("*/*.ipynb")])
SHOWING = {"show_source", "getsource", "getsourcelines", "psource", "pfile"}
MAGIC = re.compile(r"^\s*%(psource|pfile|pinfo2)\s+([\w.]+)|^\s*([\w.]+)\s*\?\?\s*$", re.M)


def _graded() -> list:
    return [f for e in curriculum.exercises() for f in grading.graded_functions(e.id)]


def _body_lines(function) -> list[str]:
    """The function's code lines, stripped, without the signature, docstring, comments, imports and blank lines.

    Imports are left out: ``from sklearn.pipeline import make_pipeline`` names a tool, it is not an answer.
    """
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    node = tree.body[0]
    body = node.body[1:] if ast.get_docstring(node) else node.body
    lines = textwrap.dedent(inspect.getsource(function)).splitlines()[body[0].lineno - 1:]
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith(("#", "import "))
            and not re.match(r"from\s+[\w.]+\s+import\s", line.strip())]


def _pasted(text_lines: list[str], function) -> list[str]:
    body = _body_lines(function)
    found = [line for line in body if len(line) >= 40 and line in set(text_lines)]
    pairs = set(zip(text_lines, text_lines[1:]))
    found += [f"{a} / {b}" for a, b in zip(body, body[1:]) if (a, b) in pairs]
    return found


def _shown_names(cells: list[str]) -> list[str]:
    """The expressions passed to show_source, getsource and the like, and those after %psource or ??."""
    names = []
    for source in cells:
        names += [m.group(2) or m.group(3) for m in MAGIC.finditer(source)]
        code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))
                         and not line.rstrip().endswith("?"))
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args:
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if name in SHOWING:
                    names.append(ast.unparse(node.args[0]))
    return names


def _imports_namespace(cells: list[str]) -> dict:
    namespace: dict = {}
    for source in cells:
        try:
            tree = ast.parse("\n".join(l for l in source.splitlines() if not l.lstrip().startswith(("%", "!"))))
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                exec(compile(ast.Module([node], []), "<imports>", "exec"), namespace)
    return namespace


def answers_on_display(cells: list[str], graded: list) -> list[str]:
    """What in these cells shows or pastes the code of a graded function."""
    problems = []
    namespace = None
    for expression in _shown_names(cells):
        namespace = _imports_namespace(cells) if namespace is None else namespace
        try:
            shown = inspect.unwrap(eval(expression, dict(namespace)))  # names and attributes only
            source = inspect.getsource(shown)
        except Exception:
            shown, source = None, ""
        for function in graded:
            if shown is function or (source and inspect.getsource(function) in source) or (
                    shown is None and expression.split(".")[-1] == function.__name__):
                problems.append(f"shows {function.__module__}.{function.__qualname__} via {expression!r}")
    lines = [line.strip() for source in cells for line in source.splitlines() if line.strip()]
    for function in graded:
        problems += [f"pastes code of {function.__module__}.{function.__qualname__}: {found!r}"
                     for found in _pasted(lines, function)]
    return problems


def test_the_graded_functions_are_known():
    names = {f"{f.__module__}.{f.__qualname__}" for f in _graded()}
    assert "workshop_utils.models.gan2d.gan_train_step" in names
    assert "workshop_utils.models.charlm.train_step" in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_no_notebook_shows_the_code_of_a_graded_part(path):
    cells = [cell.source for cell in nbformat.read(path, as_version=4).cells]
    problems = answers_on_display(cells, _graded())
    assert not problems, f"{path.relative_to(REPO)} gives graded answers away: {problems}"


def test_the_check_catches_every_way_of_showing_an_answer():
    graded = _graded()
    imports = "from workshop_utils.models import gan2d\nimport inspect\nfrom workshop_utils.source import show_source"
    pasted_line = next(line for line in _body_lines(graded[0]) if len(line) >= 40)
    body = _body_lines(grading.graded_functions("01_gan_basics")[2])
    shown = {
        "show_source of the function": "show_source(gan2d.gan_train_step)",
        "inspect.getsource of an alias": "step = gan2d.gan_train_step\nprint(inspect.getsource(gan2d.generator_loss))",
        "the whole module": "show_source(gan2d)",
        "IPython's ??": "gan2d.gan_train_step??",
        "%psource": "%psource gan2d.discriminator_loss",
        "a pasted line": f"```python\n{pasted_line}\n```",
        "two pasted lines": "\n".join(body[2:4]),
    }
    for what, cell in shown.items():
        assert answers_on_display([imports, cell], graded), f"not caught: {what}"
    assert not answers_on_display([imports, "show_source(gan2d.Generator)\nshow_source(gan2d.make_gan2d)"], graded)
