"""Child processes for the live share-back tests (not a test module).

:func:`participant` is one simulated participant in a breakout room: it answers
the five breakout prompts of a case through a :class:`SharingJournal` with
sharing on, several times (edits), exactly as the breakout panel does.
"""

from __future__ import annotations

from workshop_utils.session.prompts import POLL_OPTIONS, breakout_prompts
from workshop_utils.session.shareback import SharingJournal


def participant(own_journal: str, share_path: str, number: int, case_id: str, edits: int,
                parts: tuple[str, ...] = ("spectrum", "poll", "core", "canvas", "share")) -> None:
    """Answer the breakout prompts ``edits`` times, sharing every answer as it is saved."""
    journal = SharingJournal(own_journal, share_path=share_path, sharing=True, lock_timeout=60)
    prompts = breakout_prompts(case_id, journal=journal, mode="static")
    for edit in range(edits):
        if "spectrum" in parts:
            prompts["spectrum"].save({"value": (number + edit) % 11, "rationale": f"reason {edit} of {number}"})
        if "poll" in parts:
            prompts["poll"].save(POLL_OPTIONS[(number + edit) % len(POLL_OPTIONS)])
        if "core" in parts:
            prompts["core"].save(f"core answer {edit} from participant {number}")
        if "canvas" in parts:
            prompts["canvas"].save({"intended_use": f"use {number}", "repurposing": f"misuse {edit} by {number}"})
        if "share" in parts:
            prompts["share"].save(f"sentence {edit} of room {number}")
        if journal.last_share_error is not None:
            raise journal.last_share_error
