"""Discussion and facilitation: prompts learners answer, their journal, and breakout rooms.

Modules
-------
prompts
    The prompts: Reflection, Poll, Spectrum, DualUseCanvas, CreditsCard, RealOrSynthetic and ExitTicket.
quiz
    Quiz items and scoring against chance.
base
    What every prompt shares: rendering live, static or as an nbgrader cell.
widgets
    The live ipywidgets forms (loaded only when a form is shown).
journal
    The learner's journal: every answer saved at once, on the learner's machine.
report
    Journals as Markdown: one learner's export, or a facilitator's merged summary.
anonymise
    What a merged summary removes with ``anonymise=True`` (e-mails, phones, handles, known names).
rooms
    Breakout rooms of 3-4 people, re-shuffled with few repeated pairs.
timer
    A discussion timer widget (imports ipywidgets).
facilitator
    The facilitator's view of the rooms, the prompt and a timer.

Example
-------
::

    from workshop_utils.discussion import Poll, Reflection
    from workshop_utils.discussion.timer import DiscussionTimer

Importing this package does not import ipywidgets; ``widgets`` and ``timer`` do.
"""

from .base import MODES, STATIC_ENV, Prompt
from .facilitator import FacilitatorView
from .journal import Journal, JournalRecoveryWarning
from .prompts import (
    CreditsCard,
    DualUseCanvas,
    ExitTicket,
    Poll,
    RealOrSynthetic,
    Reflection,
    Spectrum,
    prompt_from_spec,
    prompts_from_json,
)
from .quiz import QuizItem, QuizScore, binomial_tail
from .report import export_markdown, merge_journals
from .rooms import PairHistory, Rooms, split_into_rooms

__all__ = [
    "MODES",
    "STATIC_ENV",
    "CreditsCard",
    "DualUseCanvas",
    "ExitTicket",
    "FacilitatorView",
    "Journal",
    "JournalRecoveryWarning",
    "PairHistory",
    "Poll",
    "Prompt",
    "QuizItem",
    "QuizScore",
    "RealOrSynthetic",
    "Reflection",
    "Rooms",
    "Spectrum",
    "binomial_tail",
    "export_markdown",
    "merge_journals",
    "prompt_from_spec",
    "prompts_from_json",
    "split_into_rooms",
]
