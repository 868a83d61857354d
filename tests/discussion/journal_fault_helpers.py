"""Child processes for the journal fault tests (not a test module).

* :func:`write_many` is the target of the concurrent-writer test
  (``multiprocessing`` with the spawn start method).
* :func:`add_round` is the target of the concurrent-facilitators test: one
  ``workshop rooms --history`` run.
* Run as a script, it writes answers in an endless loop and prints the index
  of each answer after ``record`` has returned, until it is killed:
  ``python journal_fault_helpers.py JOURNAL START``.
"""

from __future__ import annotations

import sys

from workshop_utils.discussion import Journal


def write_many(path: str, writer: int, count: int, shared_edits: int) -> None:
    """Write ``count`` answers to prompts of their own and ``shared_edits`` edits of a shared prompt."""
    journal = Journal(path, lock_timeout=60)
    for i in range(max(count, shared_edits)):
        if i < count:
            journal.record("01", f"w{writer}-{i}", "reflection", f"answer {i} from writer {writer}")
        if i < shared_edits:
            journal.record("01", "shared", "poll", f"writer {writer} edit {i}")


def add_round(names: str, history: str) -> None:
    """Run ``workshop rooms NAMES --history HISTORY`` once; exit with its exit code."""
    from workshop_utils.course import cli

    code = cli.main(["rooms", names, "--history", history])
    if code:
        raise SystemExit(code)


def write_forever(path: str, start: int) -> None:
    """Record answers 'k<start>', 'k<start+1>', ... and print each index once it is saved."""
    journal = Journal(path, lock_timeout=60)
    index = start
    filler = "lorem ipsum " * 200  # bigger writes make a kill during a write likely
    while True:
        journal.record("02", f"k{index}", "reflection", f"{index}: {filler}")
        print(index, flush=True)
        index += 1


if __name__ == "__main__":
    write_forever(sys.argv[1], int(sys.argv[2]))
