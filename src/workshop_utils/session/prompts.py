"""The prompts a breakout room answers about one case, with ids the share-back can find.

Every case gets the same five prompts, saved in the journal under the lesson
id :data:`LESSON` (``"session"``) with ids that start with the case id:

* ``<case>-spectrum``: where the case sits, from clearly benign to clearly harmful (everyone);
* ``<case>-poll``: what mattered most in the case (everyone; :data:`POLL_OPTIONS`);
* ``<case>-core``: the room's answer to the case's core question (the note-taker);
* ``<case>-canvas``: the dual-use canvas for the technology in the case (the note-taker);
* ``<case>-share``: the room's one sentence and one open question for the share-back.

The spectrum and the poll are the two answers a share code carries
(:class:`workshop_utils.session.shareback.ShareCode`), so they stay short and fixed.

Used in: :mod:`workshop_utils.session.breakout` and :mod:`workshop_utils.session.shareback`.
"""

from __future__ import annotations

from typing import Any

from ..cases import Case, default_library, schema
from ..discussion.prompts import DualUseCanvas, Poll, Reflection, Spectrum

__all__ = ["LESSON", "POLL_OPTIONS", "SPECTRUM", "breakout_prompts", "prompt_ids"]

#: The journal's lesson id for everything answered in a live session.
LESSON = "session"
#: The poll's options (a share code stores the option's letter, A-E).
POLL_OPTIONS: tuple[str, ...] = (
    "The consent of the people shown or heard",
    "Disclosure to the audience",
    "The intent of whoever made or used it",
    "Safeguards by the toolmaker or the platform",
    "Something else",
)
#: The spectrum's scale.
SPECTRUM: dict[str, Any] = {"left": "clearly benign", "right": "clearly harmful", "minimum": 0, "maximum": 10}


def prompt_ids(case_id: str) -> dict[str, str]:
    """The prompt ids of one case's breakout: ``{"spectrum": "<case>-spectrum", ...}``."""
    return {part: f"{case_id}-{part}" for part in ("spectrum", "poll", "core", "canvas", "share")}


def breakout_prompts(case: Case | str, *, journal: Any = None, mode: str = "auto") -> dict[str, Any]:
    """The five prompts of a breakout on ``case`` (see the module docstring), keyed like :func:`prompt_ids`.

    Parameters
    ----------
    case : Case or str
        The case (or its id).
    journal : Journal or path, optional
        Where answers are saved (e.g. a :class:`~workshop_utils.session.shareback.SharingJournal`).
    mode : {"auto", "live", "static"}
        How the prompts display.
    """
    case = default_library().get(case) if isinstance(case, str) else case
    ids = prompt_ids(case.id)
    techniques = ", ".join(schema.TECHNIQUES[t] for t in case.techniques)
    common = {"journal": journal, "mode": mode}
    return {
        "spectrum": Spectrum(
            LESSON, ids["spectrum"], f"On your own first: where does *{case.short_title}* sit?",
            left=SPECTRUM["left"], right=SPECTRUM["right"], minimum=SPECTRUM["minimum"],
            maximum=SPECTRUM["maximum"], description="Move the slider, then say why in a sentence.", **common),
        "poll": Poll(LESSON, ids["poll"], "On your own: what mattered most in this case?", list(POLL_OPTIONS),
                     **common),
        "core": Reflection(LESSON, ids["core"], f"**Core question.** {case.core}",
                           description="The note-taker writes the room's answer, with its reasons and its "
                                       "disagreements.", **common),
        "canvas": DualUseCanvas(LESSON, ids["canvas"],
                                f"The technology in this case ({techniques}): fill the canvas together.",
                                description="The note-taker fills it; everyone else talks.", **common),
        "share": Reflection(LESSON, ids["share"], "For the share-back: your room's one sentence, and one open "
                            "question.", rows=3, **common),
    }
