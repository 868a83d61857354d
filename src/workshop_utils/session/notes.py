"""Instructor notes: for each featured case, and for each lesson, what a facilitator needs in the room.

**Per case**, built from the case library's own fields, so the notes can never
say more than the card and its sources:

* *where rooms will disagree*: the card's ethical nuance, and what its
  classification (benefit, harm, contested) means for the discussion;
* *claims to correct*: the case's "do not say" notes (claims often repeated but
  not confirmed by the fact sheet) and, for cases resting partly on secondary
  sources, which items;
* *probes if a room stalls*: the case's other discussion questions and the
  cases linked to it (explicit links and neighbours on a thread);
* *a good share-back*: what it contains, anchored on the core question.

**Per lesson**, the facilitator's own notes (expected disagreements, common
misconceptions, probes, what a good share-back sounds like) come from
``docs/instructor/notes.json``, which the student copy leaves out, followed by
the notes of the lesson's featured cases. :mod:`workshop_utils.course.instructor`
reads the lessons and writes the Markdown files.

Used in: the facilitator notebook (docs/instructor/facilitator.ipynb) and
``workshop session render`` (docs/instructor/).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .._markup import md_text
from .._validate import _describe
from ..cases import Case, default_library, schema
from ..cases.views import reading_note

__all__ = ["INSTRUCTOR_MARKER", "LESSON_NOTE_KEYS", "case_notes", "lesson_notes"]

#: First line of every instructor-only file: the student copy (``workshop release``) must not contain it.
INSTRUCTOR_MARKER = "<!-- instructor-only: not part of the student copy -->"
#: The facilitator's notes for a lesson, with their headings, in order.
LESSON_NOTE_KEYS: dict[str, str] = {
    "disagreements": "Expected disagreements",
    "misconceptions": "Common misconceptions",
    "probes": "Probes if a room stalls",
    "share_back": "What a good share-back sounds like",
}

_IMPACT_ADVICE = {
    "benefit": ("The library classifies this case as a benefit (made with consent for a purpose the case "
                "presents as beneficial). Rooms may find nothing to criticise: ask what would have to change for "
                "the same use to become harmful, which is the canvas's repurposing row."),
    "harm": ("The library classifies this case as harm. Rooms rarely disagree that it was harmful; move them "
             "on to who could have prevented it, at what cost, and to whom."),
    "contested": ("The library classifies this case as contested: a benefit is claimed, but consent, credit, "
                  "framing or risk is disputed. Expect the spectrum to spread out, and do not settle it for the "
                  "room: ask each side for its strongest reason."),
}


def _case(case: Case | str) -> Case:
    if isinstance(case, Case):
        return case
    if not isinstance(case, str):
        raise TypeError(f"case must be a case id or a Case, got {_describe(case)}")
    return default_library().get(case)


def case_notes(case: Case | str, *, heading_level: int = 3) -> str:
    """The facilitator's notes for one case, as Markdown (see the module docstring)."""
    c = _case(case)
    library = default_library()
    h = "#" * heading_level
    lines = [f"{h} {md_text(c.title)} ({c.year}) · `{c.id}`", ""]
    if c.content_warning:
        lines += [f"> **Content warning (read it out first):** {md_text(c.content_warning)}", ""]
    lines += [f"*{reading_note(c)}. Classification: {c.impact}.*", "",
              f"**Core question.** {md_text(c.core)}", "",
              f"**Where rooms will disagree.** The card's ethical nuance names the tension: "
              f"\u201c{md_text(c.nuance)}\u201d {_IMPACT_ADVICE[c.impact]}", ""]
    lines.append("**Claims to correct (do not say).**")
    lines.append("")
    if c.do_not_say:
        lines += [f"- {md_text(d)}" for d in c.do_not_say]
    else:
        lines.append("- The fact sheet flags no repeated-but-unconfirmed claim for this case: keep to the card's "
                     "wording and its sources, and say \"reportedly\" for anything else you remember.")
    if c.status != "verified" and c.status_note:
        lines.append(f"- Secondary sources only: {md_text(c.status_note)}")
    lines += ["", "**Probes if a room stalls.**", ""]
    lines += [f"- {md_text(q)}" for i, q in enumerate(c.questions, 1) if i != c.core_question]
    for link in library.related(c.id):
        if link.thread:
            why = f"{md_text(link.label)}, on the thread *{md_text(link.note)}*"
        else:
            why = f"{md_text(link.label)}: {md_text(link.note.rstrip('. '))}"
        lines.append(f"- Compare with **{md_text(link.case.short_title)}** (`{link.case.id}`), {why}. "
                     "What is the same, and what differs?")
    lines += ["", "**A good share-back** answers the core question in one sentence with a reason, says where "
              "the room disagreed and why, names one trade-off from the card (who gains, who pays), and ends with "
              "one open question. It uses the card's facts, not claims from memory.", ""]
    return "\n".join(lines)


def lesson_notes(
    number: int,
    title: str,
    authored: Mapping[str, Iterable[str]] | None,
    featured: Iterable[str] = (),
    *,
    prompts: Iterable[tuple[str, str]] = (),
) -> str:
    """The instructor notes of one lesson, as Markdown (one file in docs/instructor/).

    Parameters
    ----------
    number, title
        The lesson.
    authored : mapping, optional
        The facilitator's notes: lists of sentences under the keys of :data:`LESSON_NOTE_KEYS`.
        Missing for a new lesson: the file then says so, and the case notes still follow.
    featured : list of str
        The case ids the lesson features (in its cards).
    prompts : list of (kind, question)
        The lesson's discussion prompts, listed so the facilitator knows what rooms answer.
    """
    lines = [INSTRUCTOR_MARKER, "", f"# Instructor notes: {number:02d} · {md_text(title)}", "",
             "For facilitators. Not part of the student copy. Read the lesson's content note and the case "
             "notes below before the session.", ""]
    if authored:
        unknown = sorted(set(authored) - set(LESSON_NOTE_KEYS))
        if unknown:
            raise ValueError(f"authored notes of lesson {number:02d} have unknown key(s) {unknown}; "
                             f"use {list(LESSON_NOTE_KEYS)}")
        for key, heading in LESSON_NOTE_KEYS.items():
            items = list(authored.get(key, ()))
            if items:
                lines += [f"## {heading}", "", *[f"- {item}" for item in items], ""]
    else:
        lines += ["*No lesson-specific notes yet: add them to `docs/instructor/notes.json`. The case notes "
                  "below are built from the case library.*", ""]
    prompts = list(prompts)
    if prompts:
        lines += ["## What rooms answer", ""]
        lines += [f"- {kind}: {md_text(' '.join(question.split()))}" for kind, question in prompts]
        lines.append("")
    featured = list(dict.fromkeys(featured))
    if featured:
        lines += ["## Featured cases", ""]
        for case_id in featured:
            lines.append(case_notes(case_id, heading_level=3))
    return "\n".join(lines).rstrip() + "\n"


def domains_of(case_ids: Iterable[str]) -> list[str]:
    """The domains of some cases, in the library's vocabulary (for an index)."""
    library = default_library()
    return sorted({schema.DOMAINS[library.get(c).domain] for c in case_ids})
