"""A release checklist for a model you trained, filled in the notebook and saved to your journal.

Before publishing a model or its outputs, go through the Field Guide's four
checkpoints (dataset, model code, training resources, publishing and
attribution) and the questions the frameworks of lesson 10 add: a model card,
disclosure (and whether the EU AI Act's transparency duties apply), misuse
and how to release, the licence, and how people can reach you.

:func:`release_checklist` returns a
:class:`workshop_utils.discussion.DualUseCanvas` with these fields, so it
saves every answer to the journal at once, restores it, exports with the rest
of the journal, and renders statically or as an nbgrader cell like every other
prompt.

Used in: lessons/10_making_responsibly.
"""

from __future__ import annotations

from ..discussion.prompts import DualUseCanvas

__all__ = ["RELEASE_CHECKLIST", "release_checklist"]

#: The checklist: (field id, label, question).
RELEASE_CHECKLIST: tuple[tuple[str, str, str], ...] = (
    ("data-consent", "1. Dataset and consent",
     "Where did every training example come from (datasheet)? Did the people in it agree to this use?"),
    ("code-credit", "2. Model code and credit",
     "Whose code trained the model, under which licence? How do you credit it?"),
    ("resources", "3. Training resources",
     "How much time and energy did training use (training record)? Would a smaller run have done?"),
    ("model-card", "4a. Model card",
     "Is the card written: intended use, uses it must not serve, limitations, metrics, consent?"),
    ("disclosure", "4b. Disclosure",
     "Is every output labelled, visibly and in its metadata? Would Article 50 of the EU AI Act apply?"),
    ("misuse-release", "4c. Misuse and release",
     "How could it be misused? Release everything at once, in stages, or to a few people first?"),
    ("licence", "4d. Licence",
     "Which licence for the weights and outputs: permissive, or with use restrictions (RAIL)?"),
    ("contact", "4e. Contact and takedown",
     "How can people report a harm, or ask for their data to be removed?"),
)


def release_checklist(lesson: str = "10", prompt_id: str = "release-checklist",
                      question: str = "Release checklist for the model you trained.", **kwargs) -> DualUseCanvas:
    """The release checklist as a journal-backed canvas prompt (see the module docstring).

    Parameters
    ----------
    lesson, prompt_id, question : str
        As for every prompt; keyword arguments go to :class:`~workshop_utils.discussion.DualUseCanvas`
        (e.g. ``journal=``, ``description=``).
    """
    kwargs.setdefault("description", "Answer each item in a sentence or two; 'not yet' is an honest answer.")
    return DualUseCanvas(lesson, prompt_id, question, fields=RELEASE_CHECKLIST, **kwargs)
