"""The ``workshop`` command: the helper library's tools outside Jupyter.

Examples
--------
::

    workshop check                      # environment self-check
    workshop anatomy sync               # re-render generated notebook cells
    workshop anatomy check              # verify lesson anatomy
    workshop notebooks strip lessons    # remove outputs before committing
    workshop resources add --title ... --url ... --year ... --type ... \
        --topics ... --audience ... --summary ...
    workshop journal export workshop_journal.json -o my_journal.md
    workshop journal merge ana.json ben.json --anonymise --names names.txt -o summary.md
    workshop rooms names.txt --size 3-4 --seed 1 --history rooms_history.json
    workshop rooms names.txt --seed 1 --format lines      # one room per line, for the call's chat
    workshop resources check            # validate the living resource guide
    workshop resources render           # regenerate docs/resources.md
    workshop release ../course          # a student copy: no solutions, hidden tests or rubrics
    workshop resources merge share/resources/*.json --into reviewed.json
    workshop session render             # run sheet in the facilitator guide, docs/instructor/
    workshop session check              # the run sheet against the lessons' marks and minutes
    workshop session prework            # the message to send two days before
    workshop session share-back --case malaria-must-die --share /srv/share --names names.txt

Each sub-command is a small function that imports what it needs when it
runs, so ``workshop --help`` stays fast; ``main`` only dispatches.

No command destroys what it reads: an output (``-o``, ``--output``) is never
one of the command's inputs or any journal or rooms history, and an existing
file is replaced only with ``--force``. Errors are one line on stderr naming
the argument (exit code 2), never a traceback.
"""

from __future__ import annotations

import argparse
import os
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
    from . import anatomy, session_marks
    from .hygiene import iter_notebooks, lesson_notebooks

    root = _repo_root()
    paths = args.paths or [*lesson_notebooks(root / "lessons"), root / "solutions"]
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
        for problem in anatomy.check_notebook(nb) + session_marks.check_lesson(nb):
            print(f"{nb}: {problem}")
            failed = 1
    if not failed:
        print(f"{len(notebooks)} notebook(s) follow the anatomy")
    return failed


def _cmd_notebooks(args: argparse.Namespace) -> int:
    from .hygiene import hygiene_problems, iter_notebooks, strip_notebook

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


def _input_file(path: str, name: str) -> Path:
    """An existing file given on the command line (clear errors for a folder or a missing file)."""
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(f"{name}: {path} is a folder, not a file")
    if not target.is_file():
        raise FileNotFoundError(f"{name}: no file at {path}")
    return target


def _cmd_journal(args: argparse.Namespace) -> int:
    import warnings

    from .._files import check_output_path, write_output
    from ..discussion.journal import JournalRecoveryWarning
    from ..discussion.report import export_markdown, merge_journals
    from ..discussion.rooms import read_names

    for name in args.journals:
        if Path(name).is_dir():
            raise IsADirectoryError(f"{name} is a folder, not a journal file")
        if not Path(name).is_file():
            raise FileNotFoundError(f"no journal file at {name}")
    if args.action == "export" and (len(args.journals) != 1 or args.anonymise or args.names):
        raise ValueError("journal export takes exactly one journal file (and no --anonymise or --names; use merge)")
    if args.names and not args.anonymise:
        raise ValueError("--names lists names to remove; it needs --anonymise")
    inputs = list(args.journals) + ([args.names] if args.names else [])
    if args.output:  # refuse before the work, so a mistake costs nothing
        check_output_path(args.output, name="-o/--output", inputs=inputs, force=args.force)
    known = read_names(_input_file(args.names, "--names")) if args.names else []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", JournalRecoveryWarning)
        if args.action == "export":
            text = export_markdown(args.journals[0])
        else:
            text = merge_journals(args.journals, anonymise=args.anonymise, names=known).to_markdown()
    for warning in caught:
        if issubclass(warning.category, JournalRecoveryWarning):
            print(f"workshop journal: note: {warning.message}", file=sys.stderr)
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    if args.output:
        write_output(args.output, text, name="-o/--output", inputs=inputs, force=args.force)
        print(f"wrote {args.output}")
    else:
        print(text, end="")
    return 0


def _cmd_rooms(args: argparse.Namespace) -> int:
    from ..discussion.rooms import (
        MAX_ROUNDS,
        PairHistory,
        Rooms,
        parse_size,
        plan_rounds,
        read_names,
        size_note,
        split_into_rooms,
    )

    names = read_names(_input_file(args.names, "names"))
    low, high = parse_size(args.size)
    if args.round_number is not None and not 1 <= args.round_number <= MAX_ROUNDS:
        raise ValueError(f"--round must be between 1 and {MAX_ROUNDS}, got {args.round_number}")
    if args.seed is not None and args.seed < 0:
        raise ValueError(f"--seed must be 0 or more, got {args.seed}")
    if args.history:
        history_path = Path(args.history)
        if history_path.is_dir():
            raise IsADirectoryError(f"--history: {args.history} is a folder; give a file such as rooms_history.json")
        if history_path.exists() and os.path.samefile(history_path, args.names):
            raise ValueError("--history must not be the names file; give a file such as rooms_history.json")
        # read, add and save under the file's lock: facilitators sharing the file never lose a round
        with PairHistory.updating(history_path) as history:
            done = len(history)
            wanted = args.round_number or done + 1
            if wanted <= done:
                stored = history.rounds[wanted - 1]
                earlier = PairHistory(history.rounds[: wanted - 1])
                people = sum(len(room) for room in stored["rooms"])
                result = Rooms(stored["rooms"], wanted, stored["seed"], earlier.repeated_pairs(stored["rooms"]),
                               size_note(people, low, high))
                _print_rooms(result, args.format)
                _note(f"(round {wanted} as saved in {args.history})", args.format)
                return 0
            if wanted > done + 1 and args.seed is None:
                raise ValueError(
                    f"{args.history} holds {done} round(s); the next one is round {done + 1}, not {wanted} "
                    "(or give the --seed of the earlier rounds to re-create them)"
                )
            for _ in range(wanted - done - 1):  # rounds printed earlier without --history, re-created from the seed
                split_into_rooms(names, min_size=low, max_size=high, seed=args.seed, history=history)
            if wanted > done + 1:
                span = f"round {done + 1}" if wanted == done + 2 else f"rounds {done + 1}-{wanted - 1}"
                _note(f"({span} re-created from seed {args.seed} and added to {args.history})", args.format)
            result = split_into_rooms(names, min_size=low, max_size=high, seed=args.seed, history=history)
        _print_rooms(result, args.format)
        _note(f"(saved as round {wanted} in {args.history})", args.format)
    else:
        result = plan_rounds(names, args.round_number or 1, min_size=low, max_size=high, seed=args.seed)[-1]
        _print_rooms(result, args.format)
    if args.seed is None:
        _note(f"Use --seed {result.seed} to get the same rooms again.", args.format)
    return 0


def _print_rooms(rooms, form: str) -> None:
    """Print rooms as text (default), one room per line (for a call's chat) or Zoom's pre-assignment CSV."""
    if form == "lines":
        print(rooms.to_lines(), end="")
    elif form == "zoom-csv":
        print(rooms.to_zoom_csv(), end="")
    else:
        print(rooms)


def _note(text: str, form: str) -> None:
    """A remark for the facilitator: on stdout for text, on stderr when stdout is meant to be pasted or saved."""
    print(text, file=sys.stdout if form == "text" else sys.stderr)


def _cmd_resources(args: argparse.Namespace) -> int:
    from .._files import is_protected_file
    from ..resources import guide

    if args.action == "add":
        fields = {name: getattr(args, name) for name in guide.REQUIRED_FIELDS}
        missing = [f"--{name}" for name, value in fields.items() if value is None]
        if missing:
            raise ValueError(f"resources add needs {', '.join(missing)}")
        entry = guide.new_entry(**fields, authors=args.authors, note=args.note)
        target = Path(args.file or guide.SUGGESTIONS_FILE)
        if target.is_dir():
            raise IsADirectoryError(f"--file: {target} is a folder; give a file such as resource_suggestions.json")
        if is_protected_file(target):
            raise ValueError(f"--file: {target} is a journal or a rooms history, not a resources file")
        guide.add_resource(entry, target)
        print(f"added {entry['title']!r} to {target}")
        if args.file is None:
            print("Send this file to your facilitator, who reviews suggestions before they join the guide.")
        return 0
    if args.action == "merge":
        if not args.suggestions or not args.into:
            raise ValueError("resources merge needs suggestion files and --into FILE (e.g. reviewed.json)")
        for name in args.suggestions:
            _input_file(name, "suggestions")
        into = Path(args.into)
        if into.is_dir():
            raise IsADirectoryError(f"--into: {into} is a folder; give a file such as reviewed.json")
        if is_protected_file(into):
            raise ValueError(f"--into: {into} is a journal or a rooms history, not a resources file")
        report = guide.merge_suggestions(args.suggestions, into)
        print(report)
        return 0
    if args.suggestions:
        raise ValueError(f"resources {args.action} takes no suggestion files (only merge does)")
    if args.action == "check":
        if args.file:
            _input_file(args.file, "--file")
        problems = guide.check_file(args.file)
        for problem in problems:
            print(problem)
        if not problems:
            print(f"{args.file or guide.default_path()}: every entry is valid")
        return 1 if problems else 0
    output = Path(args.output) if args.output else _repo_root() / "docs" / "resources.md"
    changed = guide.write_markdown(output, force=args.force)
    print(f"{'updated' if changed else 'unchanged'}: {output}")
    return 0


def _cmd_release(args: argparse.Namespace) -> int:
    from .release import ReleaseLeak, write_release

    try:
        print(write_release(_repo_root(), args.directory))
    except ReleaseLeak as exc:
        print(f"workshop release: {exc}", file=sys.stderr)
        return 1
    return 0


def _cmd_session(args: argparse.Namespace) -> int:
    from .._files import write_output
    from ..session import plan

    root = _repo_root()
    if args.action == "prework":
        sheet = plan.default()
        print(sheet.prework_message)
        return 0
    if args.action in ("share-back", "tally-sheet"):
        if not args.case:
            raise ValueError(f"session {args.action} needs --case, a case id such as malaria-must-die")
        from ..session import shareback

        if args.action == "tally-sheet":
            text = shareback.tally_sheet(args.case)
        else:
            from ..discussion.rooms import read_names

            names = read_names(_input_file(args.names, "--names")) if args.names else []
            view = shareback.ShareBackView(args.case, share=args.share, names=names, mode="static")
            if args.codes:
                view.add_codes(Path(_input_file(args.codes, "--codes")).read_text(encoding="utf-8", errors="replace"))
            text = view.to_markdown()
        if args.output:
            write_output(args.output, text, name="-o/--output", force=args.force)
            print(f"wrote {args.output}")
        else:
            print(text, end="")
        return 0
    from . import instructor, run_sheet

    if args.action == "check":
        found = run_sheet.problems(root)
        for problem in found:
            print(problem)
        if not found:
            print("the run sheet agrees with the lessons")
        return 1 if found else 0
    guide = root / "docs" / "facilitator_guide.md"
    if run_sheet.sync_guide(guide, root):
        print(f"updated {guide}")
    for path in instructor.write_all(root):
        print(f"updated {path}")
    return 0


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

    journal = sub.add_parser("journal", help="export a learner's journal, or merge several into a summary")
    journal.add_argument("action", choices=["export", "merge"])
    journal.add_argument("journals", nargs="+", help="journal files (workshop_journal.json)")
    journal.add_argument("-o", "--output", help="write the Markdown to this new file instead of printing it")
    journal.add_argument("--force", action="store_true",
                         help="replace the --output file if it exists (never an input or a journal)")
    journal.add_argument(
        "--anonymise", "--anonymize", action="store_true",
        help="merge: number learners, remove e-mails, phone numbers, handles and known names (see the summary)",
    )
    journal.add_argument("--names", help="merge --anonymise: a names file (one per line) of more names to remove")
    journal.set_defaults(run=_cmd_journal)

    rooms = sub.add_parser("rooms", help="split people into breakout rooms, avoiding repeated pairs")
    rooms.add_argument("names", help="text file with one name per line (blank lines and # comments are skipped)")
    rooms.add_argument("--size", default="3-4", help="smallest-largest room size (default: 3-4)")
    rooms.add_argument("--seed", type=int, help="seed that makes the rooms reproducible (one is chosen if omitted)")
    rooms.add_argument("--round", type=int, dest="round_number", help="which round to show (default: the next)")
    rooms.add_argument("--history", help="JSON file of earlier rounds; a new round is added to it")
    rooms.add_argument("--format", choices=["text", "lines", "zoom-csv"], default="text",
                       help="text (default); lines: one room per line, to paste into a call's chat; zoom-csv: "
                            "Zoom's breakout pre-assignment CSV (needs 'Name <e-mail>' in the names file)")
    rooms.set_defaults(run=_cmd_rooms)

    res = sub.add_parser("resources", help="suggest, check, merge or render entries of the living resource guide")
    res.add_argument("action", choices=["add", "check", "render", "merge"])
    res.add_argument("suggestions", nargs="*", help="merge: participants' suggestion files (e.g. <share>/resources/*.json)")
    res.add_argument("--into", help="merge: the resources file the accepted suggestions are added to")
    res.add_argument("--file", help="add: where to append (default: resource_suggestions.json here); "
                                    "check: which file (default: the shipped guide)")
    res.add_argument("--output", help="render: the Markdown file (default: docs/resources.md)")
    res.add_argument("--force", action="store_true",
                     help="render: replace --output even if it is not a guide rendered earlier")
    for name, text in [("title", "the title"), ("url", "a link to it (http or https)"), ("year", "year published"),
                       ("type", "paper, tool, guide, ... (see the error message for the list)"),
                       ("topics", "comma-separated topics"), ("audience", "comma-separated: who it serves"),
                       ("summary", "one line in your own words"), ("authors", "optional"), ("note", "optional")]:
        res.add_argument(f"--{name}", help=f"add: {text}")
    res.set_defaults(run=_cmd_resources)

    release = sub.add_parser("release", help="write a student copy without solutions, hidden tests or rubrics")
    release.add_argument("directory", help="a new or empty folder outside the repository")
    release.set_defaults(run=_cmd_release)

    session = sub.add_parser("session", help="a live session: run sheet, instructor notes, pre-work, share-back")
    session.add_argument("action", choices=["render", "check", "prework", "share-back", "tally-sheet"],
                         help="render: the run sheet in docs/facilitator_guide.md and the notes in docs/instructor/; "
                              "check: the run sheet against the lessons; prework: the message to send; share-back: "
                              "what participants shared about a case (anonymised); tally-sheet: for a show of hands")
    session.add_argument("--case", help="share-back, tally-sheet: the case id of the round")
    session.add_argument("--share", help="share-back: the share folder (default: $WORKSHOP_SHARE_DIR)")
    session.add_argument("--names", help="share-back: the group's names file; every name is removed from answers")
    session.add_argument("--codes", help="share-back: a text file with the chat's share codes (SMW-...)")
    session.add_argument("-o", "--output", help="share-back, tally-sheet: write to this new file")
    session.add_argument("--force", action="store_true", help="replace the --output file if it exists")
    session.set_defaults(run=_cmd_session)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``workshop`` command and return its exit code."""
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except OSError as exc:  # missing, unreadable or unwritable files, folders, held locks
        print(f"workshop {args.command}: {_os_message(exc)}", file=sys.stderr)
        return 2
    except (ValueError, KeyError, TypeError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"workshop {args.command}: {message}", file=sys.stderr)
        return 2


def _os_message(exc: OSError) -> str:
    """One line for a file error: our own messages as they are, the system's with the file name."""
    if exc.filename is None:
        return str(exc)
    reason = exc.strerror or type(exc).__name__
    return f"{exc.filename}: {reason.lower() if reason[:1].isupper() and reason[1:2].islower() else reason}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
