"""Running a live session from the package alone: run sheet, breakout notebook, share-back, instructor notes.

Modules
-------
plan
    The run sheet as data: a 90-minute workshop minute by minute, the pre-work
    message, and a multi-week course (``data/run_sheet.json``).
prompts
    The five prompts a breakout room answers about a case.
breakout
    The breakout notebook's panel: one case, its core question, the canvas and
    the room's prompts, nothing else (imports ipywidgets only when shown).
shareback
    Live share-back: a share folder read and merged anonymously, share codes
    pasted from the chat, or a tally sheet for a show of hands.
notes
    Instructor notes per case (from the case library) and per lesson.

Example
-------
::

    from workshop_utils.session import breakout
    breakout(round=1)

Importing this package does not import ipywidgets.
"""

from .breakout import Breakout, BreakoutPicker, breakout, on_binder
from .notes import case_notes, lesson_notes
from .plan import RunSheet, RunSheetError
from .prompts import LESSON, POLL_OPTIONS, breakout_prompts, prompt_ids
from .shareback import ShareBackView, ShareCode, SharingJournal, collect, tally_codes, tally_sheet

__all__ = [
    "LESSON",
    "POLL_OPTIONS",
    "Breakout",
    "BreakoutPicker",
    "RunSheet",
    "RunSheetError",
    "ShareBackView",
    "ShareCode",
    "SharingJournal",
    "breakout",
    "breakout_prompts",
    "case_notes",
    "collect",
    "lesson_notes",
    "on_binder",
    "prompt_ids",
    "tally_codes",
    "tally_sheet",
]
