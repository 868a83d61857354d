"""The map of the workshop: every lesson and exercise, available or planned.

The map is data (``workshop_utils/data/curriculum.json``) so that lesson 00,
``lessons/README.md`` and the tests all read the same list.

Used in: lessons/00_start_here, :mod:`workshop_utils.course.anatomy`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Exercise", "Lesson", "exercises", "lesson", "lessons"]


@dataclass(frozen=True)
class Lesson:
    """One numbered lesson."""

    number: int
    slug: str
    title: str
    status: str
    summary: str
    exercise: str | None = None

    @property
    def stem(self) -> str:
        """File name without extension, e.g. ``01_what_is_synthetic_media``."""
        return f"{self.number:02d}_{self.slug}"

    @property
    def available(self) -> bool:
        return self.status == "available"


@dataclass(frozen=True)
class Exercise:
    """One graded exercise (an nbgrader assignment).

    ``graded`` names the library functions that solve its autograded parts, as
    ``"module:function"``; :mod:`workshop_utils.course.grading` switches them
    off while the graded checks run, and no lesson may show their code.
    """

    id: str
    title: str
    lesson: int
    status: str
    summary: str
    graded: tuple[str, ...] = ()

    @property
    def available(self) -> bool:
        return self.status == "available"


@lru_cache(maxsize=1)
def _data() -> dict:
    text = resources.files("workshop_utils").joinpath("data/curriculum.json").read_text(encoding="utf-8")
    return json.loads(text)


def lessons() -> list[Lesson]:
    """All lessons in order, available and planned."""
    return [Lesson(**entry) for entry in _data()["lessons"]]


def exercises() -> list[Exercise]:
    """All graded exercises in order."""
    return [Exercise(**{**entry, "graded": tuple(entry.get("graded", ()))}) for entry in _data()["exercises"]]


def lesson(number: int) -> Lesson:
    """Return the lesson with this number.

    Raises
    ------
    KeyError
        If there is no such lesson.
    """
    for entry in lessons():
        if entry.number == number:
            return entry
    known = [entry.number for entry in lessons()]
    raise KeyError(f"no lesson number {number!r}; lessons are numbered {known}")
