"""The run sheet as data: a 90-minute live session minute by minute, and a multi-week course.

``workshop_utils/data/run_sheet.json`` holds

* ``session``: the steps of a 90-minute workshop (start minute, length, what
  the facilitator does, what participants do, and which lesson sections a step
  covers), the two breakout rounds on one repurposing thread of the case
  library, and alternative threads;
* ``prework``: the message to send participants two days before;
* ``course``: weeks of two 90-minute sessions, each a list of blocks (a lesson,
  full or short path; a graded exercise; a breakout round on a case; another
  activity), each with its minutes.

:func:`load` checks what the file alone can show: the steps follow each
other without gap or overlap from minute 0 to the end, every breakout round
has one breakout step of its length, the rounds' cases lie on the named
thread (its benevolent stage first), and no course session runs over its
minutes. Whether the minutes agree with the lessons' own metadata (their
``session_min`` and full length) and their cell marks is checked one layer up,
by :mod:`workshop_utils.course.run_sheet`, which can read the notebooks.

Example
-------
>>> from workshop_utils.session import plan
>>> [r.case for r in plan.load().rounds]
['malaria-must-die', 'wolf-news']

Used in: the breakout notebook (the default case of each round), the
facilitator notebook, :mod:`workshop_utils.course.run_sheet` and docs/facilitator_guide.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .._files import load_json
from .._validate import _describe
from ..cases import default_library

__all__ = ["Block", "CourseSession", "RunSheet", "RunSheetError", "Round", "Step", "clock", "default", "load"]

_FORMAT = "workshop-run-sheet"
STEP_KINDS = ("lesson", "introduce", "breakout", "share-back", "wrap-up")


class RunSheetError(ValueError):
    """The run sheet breaks a rule; the message lists every problem."""


def clock(minute: int) -> str:
    """Minutes from the start as ``h:mm`` (``clock(65) == "1:05"``)."""
    return f"{minute // 60}:{minute % 60:02d}"


@dataclass(frozen=True)
class Round:
    """A breakout round: its number, the case the rooms discuss, and the minutes in rooms."""

    round: int
    case: str
    minutes: int


@dataclass(frozen=True)
class Step:
    """One step of the live session.

    Attributes
    ----------
    start, minutes : int
        When it starts (minutes from the beginning) and how long it takes.
    kind : str
        ``lesson``, ``introduce``, ``breakout``, ``share-back`` or ``wrap-up``.
    title, facilitator, participants : str
        What it is, what the facilitator does, what participants do.
    lesson : int or None
        The lesson a ``lesson`` step takes its short path from.
    sections : tuple of str
        The ``## `` headings of the lesson's sections the step covers.
    round : int or None
        The breakout round an ``introduce``, ``breakout`` or ``share-back`` step belongs to.
    """

    start: int
    minutes: int
    kind: str
    title: str
    facilitator: str
    participants: str
    lesson: int | None = None
    sections: tuple[str, ...] = ()
    round: int | None = None

    @property
    def end(self) -> int:
        """The minute it ends."""
        return self.start + self.minutes

    @property
    def when(self) -> str:
        """E.g. ``"0:25-0:30"``."""
        return f"{clock(self.start)}-{clock(self.end)}"


@dataclass(frozen=True)
class Block:
    """One block of a course session.

    Exactly one of ``lesson`` (with ``path`` "full" or "short"), ``exercise``,
    ``breakout`` (a case id) or ``activity`` (words) is set. ``homework``
    blocks are done between sessions and do not count towards the session's minutes.
    """

    minutes: int
    lesson: int | None = None
    path: str | None = None
    exercise: str | None = None
    breakout: str | None = None
    activity: str | None = None
    homework: bool = False


@dataclass(frozen=True)
class CourseSession:
    """One 90-minute session of the course: week, name ("A" or "B") and blocks."""

    week: int
    name: str
    blocks: tuple[Block, ...]

    @property
    def minutes(self) -> int:
        """Minutes in the room (homework left out)."""
        return sum(b.minutes for b in self.blocks if not b.homework)


@dataclass(frozen=True)
class RunSheet:
    """The whole run sheet (see the module docstring)."""

    title: str
    minutes: int
    thread: str
    rounds: tuple[Round, ...]
    alternatives: tuple[dict[str, Any], ...]
    steps: tuple[Step, ...]
    prework_days: int
    prework_message: str
    course_title: str
    session_minutes: int
    course: tuple[CourseSession, ...] = field(default_factory=tuple)

    def round(self, number: int) -> Round:
        """The breakout round with this number (KeyError naming the rounds if absent)."""
        for r in self.rounds:
            if r.round == number:
                return r
        raise KeyError(f"round {number!r} is not in the run sheet; rounds: {[r.round for r in self.rounds]}")

    def lessons(self) -> list[int]:
        """The lessons the live session takes a short path through, in order."""
        return list(dict.fromkeys(s.lesson for s in self.steps if s.lesson is not None))


def _need(data: Any, key: str, kind: type, where: str, problems: list[str]) -> Any:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        problems.append(f"{where}: {key!r} must be a {kind.__name__}, got {_describe(value)}")
        return kind()
    return value


def _parse(data: Any) -> tuple[RunSheet, list[str]]:
    problems: list[str] = []
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        raise RunSheetError(f"the run sheet must be a JSON object with \"format\": {_FORMAT!r}")
    session = _need(data, "session", dict, "run sheet", problems)
    rounds = tuple(
        Round(_need(r, "round", int, f"rounds[{i}]", problems), _need(r, "case", str, f"rounds[{i}]", problems),
              _need(r, "minutes", int, f"rounds[{i}]", problems))
        for i, r in enumerate(_need(session, "rounds", list, "session", problems))
    )
    steps = []
    for i, s in enumerate(_need(session, "steps", list, "session", problems)):
        where = f"step {i + 1}"
        steps.append(Step(
            start=_need(s, "start", int, where, problems), minutes=_need(s, "minutes", int, where, problems),
            kind=_need(s, "kind", str, where, problems), title=_need(s, "title", str, where, problems),
            facilitator=_need(s, "facilitator", str, where, problems),
            participants=_need(s, "participants", str, where, problems),
            lesson=s.get("lesson") if isinstance(s, dict) else None,
            sections=tuple(s.get("sections", ())) if isinstance(s, dict) else (),
            round=s.get("round") if isinstance(s, dict) else None,
        ))
    prework = _need(data, "prework", dict, "run sheet", problems)
    course = _need(data, "course", dict, "run sheet", problems)
    sessions = []
    for w in _need(course, "weeks", list, "course", problems):
        week = _need(w, "week", int, "course week", problems)
        for s in _need(w, "sessions", list, f"week {week}", problems):
            blocks = []
            for b in _need(s, "blocks", list, f"week {week}", problems):
                if not isinstance(b, dict):
                    problems.append(f"week {week}: every block must be an object, got {_describe(b)}")
                    continue
                unknown = set(b) - {"minutes", "lesson", "path", "exercise", "breakout", "activity", "homework"}
                if unknown:
                    problems.append(f"week {week}: a block has unknown key(s) {sorted(unknown)}")
                    continue
                blocks.append(Block(**b))
            sessions.append(CourseSession(week, _need(s, "name", str, f"week {week}", problems), tuple(blocks)))
    sheet = RunSheet(
        title=_need(session, "title", str, "session", problems),
        minutes=_need(session, "minutes", int, "session", problems),
        thread=_need(session, "thread", str, "session", problems),
        rounds=rounds,
        alternatives=tuple(session.get("alternatives", ())),
        steps=tuple(steps),
        prework_days=_need(prework, "days_before", int, "prework", problems),
        prework_message=_need(prework, "message", str, "prework", problems),
        course_title=_need(course, "title", str, "course", problems),
        session_minutes=_need(course, "session_minutes", int, "course", problems),
        course=tuple(sessions),
    )
    return sheet, problems


def problems(sheet: RunSheet) -> list[str]:
    """What the run sheet alone shows to be wrong (see the module docstring)."""
    found = []
    library = default_library()
    expected = 0
    for step in sheet.steps:
        if step.kind not in STEP_KINDS:
            found.append(f"step {step.title!r}: kind must be one of {', '.join(STEP_KINDS)}, got {step.kind!r}")
        if step.minutes <= 0:
            found.append(f"step {step.title!r}: minutes must be more than 0, got {step.minutes}")
        if step.start != expected:
            found.append(f"step {step.title!r} starts at {clock(step.start)}, but the step before ends at "
                         f"{clock(expected)}: steps must follow each other without gap or overlap")
        expected = step.start + step.minutes
        if step.kind == "lesson" and (not isinstance(step.lesson, int) or not step.sections):
            found.append(f"step {step.title!r}: a lesson step needs a lesson number and its sections")
        if step.kind in ("introduce", "breakout", "share-back") and step.round not in {r.round for r in sheet.rounds}:
            found.append(f"step {step.title!r}: round {step.round!r} is not one of the run sheet's rounds")
    if expected != sheet.minutes:
        found.append(f"the steps end at {clock(expected)}, but the session lasts {clock(sheet.minutes)}")
    for r in sheet.rounds:
        if r.case not in library:
            found.append(f"round {r.round}: case {r.case!r} is not in the case library")
        breakouts = [s for s in sheet.steps if s.kind == "breakout" and s.round == r.round]
        if len(breakouts) != 1 or breakouts[0].minutes != r.minutes:
            found.append(f"round {r.round}: needs exactly one breakout step of {r.minutes} minutes, found "
                         f"{[s.minutes for s in breakouts]}")
    try:
        thread = library.thread(sheet.thread)
    except KeyError as exc:
        return found + [str(exc.args[0])]
    stage_of = {case: i for i, stage in enumerate(thread.stages) for case in stage.cases}
    cases = [r.case for r in sorted(sheet.rounds, key=lambda r: r.round)]
    if thread.kind != "repurposing" or not all(c in stage_of for c in cases):
        found.append(f"the rounds' cases {cases} must all lie on the repurposing thread {sheet.thread!r}")
    elif [stage_of[c] for c in cases] != sorted(stage_of[c] for c in cases) or stage_of[cases[0]] != 0:
        found.append(f"the rounds must follow the thread {sheet.thread!r}: its benevolent stage first, then later stages")
    for alternative in sheet.alternatives:
        other = alternative.get("cases", [])
        if not all(c in library for c in other):
            found.append(f"alternative {alternative.get('thread')!r}: unknown case in {other}")
    for session in sheet.course:
        label = f"week {session.week}, session {session.name}"
        if session.minutes > sheet.session_minutes:
            found.append(f"{label}: its blocks take {session.minutes} minutes, more than {sheet.session_minutes}")
        for block in session.blocks:
            chosen = [x for x in (block.lesson, block.exercise, block.breakout, block.activity) if x is not None]
            if len(chosen) != 1:
                found.append(f"{label}: a block must be exactly one of lesson, exercise, breakout or activity")
            if block.lesson is not None and block.path not in ("full", "short"):
                found.append(f"{label}: lesson {block.lesson} needs \"path\": \"full\" or \"short\"")
            if block.breakout is not None and block.breakout not in library:
                found.append(f"{label}: breakout case {block.breakout!r} is not in the case library")
            if block.minutes <= 0:
                found.append(f"{label}: every block needs minutes > 0")
    return found


def load(path: str | Path | None = None) -> RunSheet:
    """Read and check a run sheet (the shipped one by default).

    Raises
    ------
    RunSheetError
        Listing every problem (see :func:`problems`).
    """
    if path is None:
        return default()
    data = load_json(Path(path).read_bytes(), source=str(path))
    return _checked(data)


def _checked(data: Any) -> RunSheet:
    sheet, found = _parse(data)
    found += problems(sheet) if not found else []
    if found:
        raise RunSheetError("the run sheet has problems:\n  - " + "\n  - ".join(found))
    return sheet


@lru_cache(maxsize=1)
def default() -> RunSheet:
    """The shipped run sheet (``workshop_utils/data/run_sheet.json``), checked once."""
    text = resources.files("workshop_utils").joinpath("data/run_sheet.json").read_text(encoding="utf-8")
    return _checked(json.loads(text))
