"""The ``workshop`` command: the helper library's tools outside Jupyter.

Examples
--------
::

    workshop check                      # environment self-check
    workshop anatomy sync               # re-render generated notebook cells
    workshop anatomy check              # verify lesson anatomy
    workshop notebooks strip lessons    # remove outputs before committing

Each sub-command is a small function that imports what it needs when it
runs, so ``workshop --help`` stays fast; ``main`` only dispatches.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]


def _repo_root() -> Path:
    """The folder holding lessons/ and solutions/: the current one or a parent."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "lessons").is_dir() and (folder / "solutions").is_dir():
            return folder
    return here


def _cmd_check(args: argparse.Namespace) -> int:
    from .env_check import check_environment

    report = check_environment(include_instructor=args.instructor)
    print(report)
    return 0 if report.ok else 1


def _cmd_anatomy(args: argparse.Namespace) -> int:
    from . import anatomy
    from .notebook_hygiene import iter_notebooks

    root = _repo_root()
    paths = args.paths or [root / "lessons", root / "solutions"]
    notebooks = iter_notebooks(paths)
    if args.action == "sync":
        for nb in notebooks:
            if anatomy.sync_notebook(nb):
                print(f"updated {nb}")
        index = root / "lessons" / "README.md"
        if index.parent.is_dir():
            text = anatomy.render_lesson_index()
            if not index.exists() or index.read_text(encoding="utf-8") != text:
                index.write_text(text, encoding="utf-8")
                print(f"updated {index}")
        return 0
    failed = 0
    for nb in notebooks:
        for problem in anatomy.check_notebook(nb):
            print(f"{nb}: {problem}")
            failed = 1
    if not failed:
        print(f"{len(notebooks)} notebook(s) follow the anatomy")
    return failed


def _cmd_notebooks(args: argparse.Namespace) -> int:
    from .notebook_hygiene import hygiene_problems, iter_notebooks, strip_notebook

    root = _repo_root()
    paths = args.paths or [root / "lessons", root / "solutions", root / "exercises"]
    notebooks = iter_notebooks(paths)
    if args.action == "strip":
        for nb in notebooks:
            if strip_notebook(nb):
                print(f"stripped {nb}")
        return 0
    dirty = 0
    for nb in notebooks:
        for problem in hygiene_problems(nb):
            print(f"{nb}: {problem}")
            dirty = 1
    return dirty


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workshop", description="Tools of the Synthetic Media Workshop.")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="check that everything the lessons need is installed")
    check.add_argument("--instructor", action="store_true", help="also check nbgrader and nbval")
    check.set_defaults(run=_cmd_check)

    anatomy = sub.add_parser("anatomy", help="render or verify the lesson anatomy")
    anatomy.add_argument("action", choices=["sync", "check"])
    anatomy.add_argument("paths", nargs="*", help="notebooks or folders (default: lessons and solutions)")
    anatomy.set_defaults(run=_cmd_anatomy)

    notebooks = sub.add_parser("notebooks", help="strip or check notebook outputs and metadata")
    notebooks.add_argument("action", choices=["strip", "check"])
    notebooks.add_argument("paths", nargs="*", help="notebooks or folders (default: lessons, solutions, exercises)")
    notebooks.set_defaults(run=_cmd_notebooks)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``workshop`` command and return its exit code."""
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except (FileNotFoundError, ValueError, KeyError) as exc:
        print(f"workshop {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
