"""Keep committed notebooks clean: no outputs, no volatile metadata.

Outputs, execution counts, timestamps and saved widget state change every
time a notebook runs; committing them makes diffs unreadable and breaks the
byte-for-byte comparison of ``exercises/`` with what nbgrader generates.

Command line::

    workshop notebooks strip lessons solutions   # clean in place
    workshop notebooks check lessons solutions   # exit code 1 if any is dirty

Used in: CONTRIBUTING.md's workflow and tests/course/test_notebook_hygiene.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "KEEP_CELL_METADATA",
    "KEEP_NOTEBOOK_METADATA",
    "hygiene_problems",
    "iter_notebooks",
    "lesson_notebooks",
    "strip_notebook",
]

#: Cell metadata that carries meaning and is kept.
KEEP_CELL_METADATA = frozenset({"tags", "nbgrader", "deletable", "editable", "jupyter"})
#: Notebook metadata that carries meaning and is kept.
KEEP_NOTEBOOK_METADATA = frozenset({"kernelspec", "workshop"})


def iter_notebooks(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into a sorted list of ``.ipynb`` files.

    Checkpoint folders (``.ipynb_checkpoints``) are skipped.
    """
    found: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.update(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        elif path.suffix == ".ipynb" and path.exists():
            found.add(path)
        else:
            raise FileNotFoundError(f"{raw}: not a notebook file or a folder")
    return sorted(found)


def lesson_notebooks(folder: str | Path) -> list[Path]:
    """The numbered lessons in ``folder`` (``NN_slug.ipynb``), sorted; other notebooks there are not lessons.

    ``lessons/`` also holds notebooks that are not lessons (the breakout
    notebook of a live session), so "every lesson" means this list.
    """
    return sorted(p for p in Path(folder).glob("[0-9][0-9]_*.ipynb") if p.is_file())


def strip_notebook(path: str | Path) -> bool:
    """Remove outputs and volatile metadata from a notebook, in place.

    Returns
    -------
    bool
        True if the file changed.
    """
    import nbformat

    path = Path(path)
    before = path.read_text(encoding="utf-8")
    nb = nbformat.reads(before, as_version=4)
    for key in list(nb.metadata):
        if key not in KEEP_NOTEBOOK_METADATA:
            del nb.metadata[key]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in list(cell.metadata):
            if key not in KEEP_CELL_METADATA:
                del cell.metadata[key]
    after = nbformat.writes(nb) + "\n"  # nbformat.write adds the same newline
    if after != before:
        path.write_text(after, encoding="utf-8")
        return True
    return False


def hygiene_problems(path: str | Path) -> list[str]:
    """Describe what is not clean about a notebook (empty list when clean)."""
    import nbformat

    nb = nbformat.read(Path(path), as_version=4)
    problems = []
    extra = set(nb.metadata) - KEEP_NOTEBOOK_METADATA
    if extra:
        problems.append(f"volatile notebook metadata {sorted(extra)}")
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
            problems.append(f"cell {i} has outputs or an execution count")
        extra = set(cell.metadata) - KEEP_CELL_METADATA
        if extra:
            problems.append(f"cell {i} has volatile metadata {sorted(extra)}")
    return problems
