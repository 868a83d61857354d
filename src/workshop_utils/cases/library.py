"""The case library: real cases of synthetic media in art, activism, industry and society.

Each case is a short, sourced account for small-group discussion: what
happened, the ethical nuance, two or three discussion questions, links to
related cases, sources with their outlets, a fact-check status and, where
needed, a content warning. Cases also sit on *threads*: repurposing threads
(the same technique or vendor used for good, then for harm) and the
disclosure and consent spectrums.

The data lives in ``workshop_utils/data/cases.json`` and is validated on
load (:mod:`workshop_utils.cases.schema`). Every fact comes from the
workshop's verified fact sheet; claims the sheet could not confirm are listed
on the card as "do not say" notes, never stated as fact.

Example
-------
>>> from workshop_utils import cases
>>> cases.get("welcome-to-chechnya").year
2020
>>> [c.id for c in cases.filter_cases(domain="art", impact="contested")]
['edmond-de-belamy']

Show a case in a notebook with ``cases.card("welcome-to-chechnya")``.

Used in: lessons 01-05 and 10 (case discussions), :mod:`workshop_utils.cases.views`,
:mod:`workshop_utils.cases.figures`.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .._files import load_json
from .._validate import check_choice, check_int
from ..reading import reading_minutes
from . import schema

__all__ = [
    "Case",
    "CaseLibrary",
    "Link",
    "Source",
    "Stage",
    "THREAD_DIRECTIONS",
    "Thread",
    "all_cases",
    "default_library",
    "filter_cases",
    "get",
    "ids",
    "load",
    "related",
    "threads",
]


#: Thread kind -> how to describe the stage before and the stage after a case.
THREAD_DIRECTIONS: dict[str, tuple[str, str]] = {
    "repurposing": ("earlier on this thread", "later on this thread"),
    "disclosure": ("more disclosed", "less disclosed"),
    "consent": ("stronger consent", "weaker consent"),
}


@dataclass(frozen=True)
class Source:
    """A source for a case: the outlet's name, the address and an optional note."""

    outlet: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class Case:
    """One case study. Field meanings are documented in :mod:`workshop_utils.cases.schema`."""

    id: str
    title: str
    short_title: str
    year: int
    date: str | None
    domain: str
    techniques: tuple[str, ...]
    impact: str
    themes: tuple[str, ...]
    summary: str
    nuance: str
    questions: tuple[str, ...]
    core_question: int  # the number (1 = first) of the question a breakout room starts from
    related: tuple[tuple[str, str, str], ...]  # (other case id, relation, note); see CaseLibrary.related
    sources: tuple[Source, ...]
    status: str
    status_note: str
    do_not_say: tuple[str, ...]
    content_warning: str | None

    @classmethod
    def from_dict(cls, data: dict) -> Case:
        """Build a case from one validated JSON object."""
        values = dict(data)
        values.setdefault("date", None)
        values.setdefault("content_warning", None)
        for key in ("techniques", "themes", "questions", "do_not_say"):
            values[key] = tuple(values[key])
        values["related"] = tuple((l["id"], l["relation"], l["note"]) for l in values["related"])
        values["sources"] = tuple(Source(**s) for s in values["sources"])
        return cls(**values)

    @property
    def when(self) -> str:
        """The precise date if known, otherwise the year."""
        return self.date or str(self.year)

    def text(self) -> str:
        """All the case's prose in one string (used for searching)."""
        parts = [self.id, self.title, self.summary, self.nuance, *self.questions]
        return "\n".join(parts)

    @property
    def core(self) -> str:
        """The core question: the one discussion question a breakout room starts from."""
        return self.questions[self.core_question - 1]

    def reading_text(self) -> str:
        """What a participant reads on the card: content warning, title, summary, nuance and questions."""
        parts = [self.content_warning or "", self.title, self.summary, self.nuance, *self.questions]
        return "\n".join(p for p in parts if p)

    @property
    def reading_minutes(self) -> float:
        """Minutes to read the card at about 200 words a minute (see :mod:`workshop_utils.reading`)."""
        return reading_minutes(self.reading_text())


@dataclass(frozen=True)
class Stage:
    """One step of a thread: a label, the cases at that step and (for repurposing) a role."""

    label: str
    cases: tuple[str, ...]
    role: str | None = None


@dataclass(frozen=True)
class Thread:
    """A thread through several cases: a repurposing story or a spectrum."""

    id: str
    kind: str
    title: str
    via: str
    note: str
    stages: tuple[Stage, ...]

    @property
    def case_ids(self) -> list[str]:
        """The ids of every case on the thread, in stage order, without repeats."""
        seen: list[str] = []
        for stage in self.stages:
            seen += [c for c in stage.cases if c not in seen]
        return seen


@dataclass(frozen=True)
class Link:
    """A resolved link from one case to another.

    Attributes
    ----------
    case : Case
        The linked case.
    relation : str
        A relation from :data:`~workshop_utils.schema.RELATIONS`, or
        ``"thread-next"`` / ``"thread-previous"`` for neighbours on a thread.
    label : str
        The relation in words, e.g. ``"contrast with"``.
    note : str
        Why the cases belong together.
    thread : str or None
        The id of the thread the link comes from, if any.
    """

    case: Case
    relation: str
    label: str
    note: str
    thread: str | None = None


class CaseLibrary:
    """A validated set of cases and threads, with look-up and filtering.

    Parameters
    ----------
    data : dict
        The parsed JSON of a case-library file. It is validated first.

    Raises
    ------
    workshop_utils.schema.CaseLibraryError
        If the data breaks the schema; the message lists every problem.
    """

    def __init__(self, data: dict):
        schema.validate(data)
        self._cases = {c["id"]: Case.from_dict(c) for c in data["cases"]}
        self._threads = tuple(
            Thread(
                id=t["id"], kind=t["kind"], title=t["title"], via=t["via"], note=t["note"],
                stages=tuple(Stage(s["label"], tuple(s["cases"]), s.get("role")) for s in t["stages"]),
            )
            for t in data.get("threads", [])
        )

    def __len__(self) -> int:
        return len(self._cases)

    def __iter__(self) -> Iterator[Case]:
        return iter(self._cases.values())

    def __contains__(self, case_id: object) -> bool:
        return case_id in self._cases

    def ids(self) -> list[str]:
        """The case ids, in file order."""
        return list(self._cases)

    def get(self, case_id: str) -> Case:
        """Return the case with this id.

        Raises
        ------
        KeyError
            If there is no such case; the message suggests close matches.
        """
        if isinstance(case_id, Case):
            case_id = case_id.id
        if not isinstance(case_id, str) or case_id not in self._cases:
            close = difflib.get_close_matches(str(case_id), self._cases, n=3, cutoff=0.4)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            raise KeyError(f"case_id {case_id!r} is not in the case library{hint} (see cases.ids())")
        return self._cases[case_id]

    def threads(self, kind: str | None = None) -> list[Thread]:
        """The threads, optionally only those of one kind (``"repurposing"``, ``"disclosure"``, ``"consent"``)."""
        if kind is not None:
            check_choice("kind", kind, schema.THREAD_KINDS)
        return [t for t in self._threads if kind is None or t.kind == kind]

    def thread(self, thread_id: str) -> Thread:
        """Return the thread with this id.

        Raises
        ------
        KeyError
            If there is no such thread; the message lists the ids.
        """
        for t in self._threads:
            if t.id == thread_id:
                return t
        raise KeyError(f"thread_id {thread_id!r} is not a thread; threads are {[t.id for t in self._threads]}")

    def filter(
        self,
        *,
        domain: str | Iterable[str] | None = None,
        years: tuple[int, int] | None = None,
        technique: str | None = None,
        impact: str | None = None,
        theme: str | None = None,
        text: str | None = None,
    ) -> list[Case]:
        """Return the cases that match every given filter, in file order.

        Parameters
        ----------
        domain : str or iterable of str, optional
            One domain (``"art"``, ``"activism"``, ``"industry"``, ``"society"``) or several.
        years : (int, int), optional
            Inclusive range of years.
        technique : str, optional
            A technique slug from :data:`~workshop_utils.schema.TECHNIQUES`.
        impact : str, optional
            ``"benefit"``, ``"harm"`` or ``"contested"``.
        theme : str, optional
            A theme slug from :data:`~workshop_utils.schema.THEMES`.
        text : str, optional
            Words that must appear (case-insensitive) in the id, title, summary,
            nuance or questions.

        Returns
        -------
        list of Case
        """
        domains = _check_domains(domain)
        if years is not None:
            if not isinstance(years, (tuple, list)) or len(years) != 2:
                raise TypeError(f"years must be a (first, last) pair of years, got {years!r}")
            first = check_int("years[0]", years[0])
            last = check_int("years[1]", years[1], minimum=first)
        if technique is not None:
            check_choice("technique", technique, schema.TECHNIQUES)
        if impact is not None:
            check_choice("impact", impact, schema.IMPACTS)
        if theme is not None:
            check_choice("theme", theme, schema.THEMES)
        if text is not None and not isinstance(text, str):
            raise TypeError(f"text must be a string of words to search for, got {type(text).__name__}")
        words = text.lower().split() if text else []
        found = []
        for case in self:
            if domains and case.domain not in domains:
                continue
            if years is not None and not first <= case.year <= last:
                continue
            if technique and technique not in case.techniques:
                continue
            if impact and case.impact != impact:
                continue
            if theme and theme not in case.themes:
                continue
            if words:
                haystack = case.text().lower()
                if not all(w in haystack for w in words):
                    continue
            found.append(case)
        return found

    def related(self, case_id: str) -> list[Link]:
        """Every case linked to ``case_id``: explicit links first, then thread neighbours.

        Thread neighbours are the cases one stage before or after this case on
        a thread (e.g. the harmful uses that follow a benevolent one).
        """
        case = self.get(case_id)
        links = [
            Link(self.get(other), relation, schema.RELATIONS[relation][0], note)
            for other, relation, note in case.related
        ]
        for thread in self._threads:
            for i, stage in enumerate(thread.stages):
                if case.id not in stage.cases:
                    continue
                before, after = THREAD_DIRECTIONS[thread.kind]
                neighbours = []
                if i > 0:
                    neighbours.append(("thread-previous", thread.stages[i - 1], before))
                if i + 1 < len(thread.stages):
                    neighbours.append(("thread-next", thread.stages[i + 1], after))
                for relation, other_stage, word in neighbours:
                    for other in other_stage.cases:
                        if other != case.id:
                            label = f"{word}: {other_stage.label}"
                            links.append(Link(self.get(other), relation, label, thread.title, thread.id))
        return links


def _check_domains(domain: str | Iterable[str] | None) -> set[str]:
    if domain is None:
        return set()
    values = [domain] if isinstance(domain, str) else list(domain)
    for value in values:
        check_choice("domain", value, schema.DOMAINS)
    return set(values)


def load(path: str | Path | None = None) -> CaseLibrary:
    """Load and validate a case library.

    Parameters
    ----------
    path : str or Path, optional
        A JSON file with the same structure as the shipped library, e.g. an
        instructor's own cases. Without it, the shipped library is returned.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    workshop_utils.schema.CaseLibraryError
        If the file breaks the schema; the message lists every problem.
    """
    if path is None:
        return default_library()
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"path {str(path)!r} is not a case-library file")
    try:
        data = load_json(path.read_bytes(), source=str(path))  # bounded nesting: never a RecursionError
    except ValueError as error:
        raise schema.CaseLibraryError(str(error)) from None
    return CaseLibrary(data)


@lru_cache(maxsize=1)
def default_library() -> CaseLibrary:
    """The shipped case library (loaded and validated once)."""
    text = resources.files("workshop_utils").joinpath("data/cases.json").read_text(encoding="utf-8")
    return CaseLibrary(json.loads(text))


def all_cases() -> list[Case]:
    """Every case in the shipped library, in file order."""
    return list(default_library())


def ids() -> list[str]:
    """The ids of the shipped cases, in file order."""
    return default_library().ids()


def get(case_id: str) -> Case:
    """Return a shipped case by id, e.g. ``get("malaria-must-die")``.

    Raises
    ------
    KeyError
        If there is no such case; the message suggests close matches.
    """
    return default_library().get(case_id)


def filter_cases(**filters: Any) -> list[Case]:
    """Filter the shipped cases; see :meth:`CaseLibrary.filter` for the filters."""
    return default_library().filter(**filters)


def related(case_id: str) -> list[Link]:
    """Cases linked to a shipped case; see :meth:`CaseLibrary.related`."""
    return default_library().related(case_id)


def threads(kind: str | None = None) -> list[Thread]:
    """The shipped threads, optionally of one kind; see :meth:`CaseLibrary.threads`."""
    return default_library().threads(kind)
