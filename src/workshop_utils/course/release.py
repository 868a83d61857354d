"""A student copy of the workshop: no solutions, no hidden tests, no rubrics.

The repository is public and holds everything, which suits self-learners and
instructors. A graded course needs a copy for students without ``solutions/``
(model answers, hidden tests and rubrics), the test suite, the instructors'
tools and guide, or nbgrader's configuration. :func:`write_release` copies
only what students use (the lessons, the exercises as nbgrader generated them,
the helper library and the set-up files; never the instructor notes in
``docs/instructor/``) and then checks the copy: no file may carry the
instructor-only marker or contain an nbgrader marker line (``BEGIN SOLUTION``, ``BEGIN HIDDEN TESTS``,
``BEGIN MARK SCHEME`` and their ends), and no notebook or document may contain
a line of a solution, a hidden test or a rubric.

The helper library itself is part of the copy: it solves the graded parts
(lessons use it), which is why grading switches its answers off
(:mod:`workshop_utils.course.grading`).

Used in: ``workshop release DIR`` (``make release DIR=...``),
tests/course/test_release.py.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..session.notes import INSTRUCTOR_MARKER
from .instructor import INSTRUCTOR_ONLY

__all__ = ["INCLUDE", "MARKER", "ReleaseLeak", "Release", "secret_lines", "leaks", "write_release"]

#: What the student copy holds, relative to the repository root.
INCLUDE = (
    "README.md",
    "Makefile",
    "pyproject.toml",
    "environment.yml",
    "postBuild",
    ".gitignore",
    "lessons",
    "exercises",
    "src/workshop_utils",
    "docs/resources.md",
)
assert not any(path.startswith(hidden.rstrip("/")) for path in INCLUDE for hidden in INSTRUCTOR_ONLY)
#: Never copied from inside the included folders.
SKIP = ("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info", ".DS_Store")
#: An nbgrader marker line: ``### BEGIN SOLUTION``, ``=== END MARK SCHEME ===`` and the like.
MARKER = re.compile(r"^\s*(#+|=+)?\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS|MARK SCHEME)\b", re.M)
_REGION = r"BEGIN {kind}[^\n]*\n(.*?)\n[^\n]*END {kind}"
_KINDS = ("SOLUTION", "HIDDEN TESTS", "MARK SCHEME")
#: Text files checked for solution lines (the library's Python files are checked for markers only:
#: the library solves the graded parts by design).
_DOCUMENTS = ("*.ipynb", "*.md", "*.txt", "*.json", "*.yml", "*.yaml", "Makefile", "postBuild")


class ReleaseLeak(RuntimeError):
    """Raised when the written copy contains a marker or a line of a solution, hidden test or rubric."""


@dataclass
class Release:
    """What :func:`write_release` wrote.

    Attributes
    ----------
    root : Path
        The folder of the copy.
    files : list of Path
        Every file written, relative to ``root``.
    size_bytes : int
        Their total size.
    """

    root: Path
    files: list[Path] = field(default_factory=list)
    size_bytes: int = 0

    def __str__(self) -> str:
        return (f"wrote {len(self.files)} files ({self.size_bytes / 1e6:.1f} MB) to {self.root}: lessons, "
                "exercises, the helper library and the set-up files; no solutions, hidden tests or rubrics")


def _skipped(path: Path) -> bool:
    return any(fnmatch.fnmatch(part, pattern) for part in path.parts for pattern in SKIP)


def _cell_sources(path: Path) -> list[str]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in notebook["cells"]]


_IMPORT = re.compile(r"(import\s|from\s+[\w.]+\s+import\s)")


def secret_lines(solutions: Path) -> set[str]:
    """Lines (stripped, at least 12 characters) that only the instructors' notebooks contain.

    They come from the solution, hidden-test and mark-scheme regions of every
    notebook under ``solutions``; a line that the same notebooks also show
    outside those regions (e.g. in a visible test) is not a secret, and
    neither is an import (``from workshop_utils.provenance import robustness``
    names a module that lessons import too).
    """
    secrets: set[str] = set()
    public: list[str] = []
    for path in sorted(Path(solutions).rglob("*.ipynb")):
        if _skipped(path.relative_to(solutions)):
            continue
        for source in _cell_sources(path):
            visible = source
            for kind in _KINDS:
                for region in re.findall(_REGION.format(kind=kind), source, re.S):
                    secrets |= {line.strip() for line in region.splitlines()
                                if len(line.strip()) >= 12 and not _IMPORT.match(line.strip())}
                    visible = visible.replace(region, "")
            public.append(visible)
    public_text = "\n".join(public)
    return {line for line in secrets if line not in public_text}


def leaks(root: Path, secrets: set[str]) -> list[str]:
    """Every marker line, instructor-only file and secret line in a notebook or document, under ``root``."""
    problems = []
    for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
        relative = path.relative_to(root)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary data (weights, images)
        if path.suffix == ".ipynb":
            text = "\n".join(_cell_sources(path))
        for match in MARKER.finditer(text):
            problems.append(f"{relative}: nbgrader marker {match.group(0).strip()!r}")
        if any(fnmatch.fnmatch(path.name, pattern) for pattern in _DOCUMENTS):
            if INSTRUCTOR_MARKER in text:  # (the library names the marker; documents must not carry it)
                problems.append(f"{relative}: instructor-only notes ({INSTRUCTOR_MARKER})")
            lines = {line.strip() for line in text.splitlines()}
            problems += [f"{relative}: line of a solution, hidden test or rubric: {line!r}"
                         for line in sorted(lines & secrets)]
    return problems


def write_release(repo: str | Path, destination: str | Path) -> Release:
    """Write the student copy of ``repo`` to ``destination`` and check it.

    Parameters
    ----------
    repo : str or Path
        The repository root (the folder with ``lessons/`` and ``solutions/``).
    destination : str or Path
        A new or empty folder outside the repository.

    Returns
    -------
    Release

    Raises
    ------
    ValueError
        If ``repo`` is not the workshop's repository, or ``destination`` is not
        empty or lies inside ``repo``.
    ReleaseLeak
        If the copy contains a marker or a line of a solution, hidden test or
        rubric (the copy is left in place for inspection).
    """
    repo, destination = Path(repo).resolve(), Path(destination).resolve()
    if not (repo / "lessons").is_dir() or not (repo / "solutions").is_dir():
        raise ValueError(f"repo must be the workshop's repository (with lessons/ and solutions/), got {repo}")
    if destination == repo or repo in destination.parents:
        raise ValueError(f"destination must lie outside the repository, got {destination}")
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise ValueError(f"destination must be a new or empty folder, got {destination}")
    release = Release(destination)
    for name in INCLUDE:
        source = repo / name
        if not source.exists():
            continue
        paths = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
        for path in paths:
            relative = path.relative_to(repo)
            if _skipped(relative):
                continue
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            release.files.append(relative)
            release.size_bytes += path.stat().st_size
    problems = leaks(destination, secret_lines(repo / "solutions"))
    if problems:
        raise ReleaseLeak(f"the student copy in {destination} is not clean:\n  " + "\n  ".join(problems[:20]))
    return release
