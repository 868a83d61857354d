"""Remove what identifies people from answers before a facilitator shows them to the group.

:class:`Anonymiser` replaces, in any text:

* e-mail addresses with ``(e-mail removed)``;
* phone numbers (7 or more digits, possibly with ``+``, spaces, dots, dashes,
  slashes or brackets between them; dates such as 2026-03-14 and year ranges
  such as 2019-2024 are kept) with ``(phone number removed)``;
* ``@handles`` with ``(handle removed)``;
* every **known** name, whole and each of its parts (a first name alone, a
  surname alone, either half of a double-barrelled name), in any case and
  with or without accents (``Zoë``, ``ZOE`` and ``zoe`` are the same) and
  with any spacing, with ``(name removed)``. Parts shorter than two letters
  and name particles (de, van, al, ...) are not replaced on their own.

What it cannot know it does not remove: nicknames, misspellings, names of
people it was not told about, places, workplaces or events that identify
someone. :meth:`Anonymiser.statement` says exactly that, in plain words, for
the top of a summary.

Example
-------
::

    from workshop_utils.discussion.anonymise import Anonymiser

    scrub = Anonymiser(["Ana María López"])
    scrub("ANA said maria lopez (ana@example.org, +44 20 7946 0958) agreed")
    # '(name removed) said (name removed) (name removed) ((e-mail removed), (phone number removed)) agreed'

Used in: workshop_utils.discussion.report (``merge_journals(..., anonymise=True)``) and
``workshop journal merge --anonymise``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from typing import Any

from .._validate import _describe

__all__ = ["GENERIC_FILE_WORDS", "PARTICLES", "Anonymiser", "name_parts"]

#: Name particles that are not replaced on their own (they are common words too).
PARTICLES = frozenset(
    "a al bin da das de del della der des di do dos du el ibn la le les lo ter van von y zu".split()
)
#: Words in journal file names that are not names ("workshop_journal (2).json", "answers-export.json").
GENERIC_FILE_WORDS = frozenset(
    "answers backup copy corrupt draft export exported file final journal json learner learners my new "
    "notes old participant student summary workshop".split()
)

_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[ \t().\-/]{0,3}\d){6,}(?!\w)")
_HANDLE = re.compile(r"(?<![\w@])@\w{2,}")
_KEEP_NUMBER = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|(?:19|20)\d\d\s*[-/]\s*(?:19|20)\d\d")
_SPLIT = re.compile(r"[^\w]+|_+")


def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _fold(text: str) -> tuple[str, list[int]]:
    """``text`` case- and accent-folded, with the index in ``text`` of every folded character."""
    folded: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for c in _fold_char(ch):
            folded.append(c)
            origin.append(i)
    return "".join(folded), origin


def name_parts(name: str) -> set[str]:
    """The folded forms under which ``name`` is recognised: the whole name and each part.

    Examples
    --------
    >>> sorted(name_parts("Ana-María de la Cruz"))
    ['ana', 'ana maria de la cruz', 'cruz', 'maria']
    """
    folded = _fold(name)[0]
    words = [w for w in _SPLIT.split(folded) if w]
    forms = set()
    if sum(len(w) for w in words) >= 2:
        forms.add(" ".join(words))
    forms.update(w for w in words if len(w) >= 2 and w not in PARTICLES and not w.isdigit())
    return forms


class Anonymiser:
    """Replace e-mails, phone numbers, handles and known names in text (see the module docstring).

    Parameters
    ----------
    names : iterable of str
        Everyone whose name must not appear (display names, names from a
        roster, names typed in a "name" field).

    Attributes
    ----------
    counts : collections.Counter
        How many of each kind were replaced so far: ``"name"``, ``"e-mail"``,
        ``"phone number"``, ``"handle"``.
    known : int
        How many distinct names it was given.
    """

    def __init__(self, names: Iterable[str] = ()):
        if isinstance(names, str) or not isinstance(names, Iterable):
            raise TypeError(f"names must be a list of names (str), got {_describe(names)}")
        forms: set[str] = set()
        known = set()
        for i, name in enumerate(names):
            if not isinstance(name, str):
                raise TypeError(f"names[{i}] must be a name (a str), got {_describe(name)}")
            parts = name_parts(name)
            if parts:
                known.add(" ".join(_fold(name)[0].split()))
            forms |= parts
        self.known = len(known)
        self.counts: Counter[str] = Counter()
        self._pattern = None
        if forms:
            ordered = sorted(forms, key=len, reverse=True)  # the whole name before its parts
            alternatives = "|".join(r"[\W_]+".join(map(re.escape, form.split(" "))) for form in ordered)
            self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def __call__(self, text: str) -> str:
        """``text`` with everything identifying that this anonymiser knows replaced."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {_describe(text)}")
        text = self._replace(_EMAIL, text, "e-mail")
        text = self._replace(_PHONE, text, "phone number", keep=_KEEP_NUMBER)
        text = self._replace(_HANDLE, text, "handle")
        if self._pattern is None:
            return text
        folded, origin = _fold(text)
        pieces, last = [], 0
        for match in self._pattern.finditer(folded):
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            if start < last:
                continue
            pieces += [text[last:start], "(name removed)"]
            last = end
            self.counts["name"] += 1
        return "".join(pieces) + text[last:]

    def _replace(self, pattern: re.Pattern, text: str, what: str, keep: re.Pattern | None = None) -> str:
        def replace(match: re.Match) -> str:
            if keep is not None and keep.fullmatch(match.group(0).strip()):
                return match.group(0)
            self.counts[what] += 1
            return f"({what} removed)"

        return pattern.sub(replace, text)

    def scrub_json(self, value: Any) -> Any:
        """A copy of a JSON value with every string (not the keys) passed through the anonymiser."""
        if isinstance(value, str):
            return self(value)
        if isinstance(value, dict):
            return {key: self.scrub_json(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.scrub_json(item) for item in value]
        return value

    def statement(self, participants: int) -> str:
        """What was and was not removed, in plain words, for the top of a summary (Markdown)."""
        done = ", ".join(f"{self.counts[k]} {k}(s)" for k in ("name", "e-mail", "phone number", "handle"))
        return (
            f"**Anonymised.** The {participants} participant(s) are numbered Participant 1 to {participants} "
            "in a random order, and their display names and \"name\" fields are left out. "
            "Removed from every answer: e-mail addresses, phone numbers (7 or more digits), @handles, and "
            f"the {self.known} known name(s) (display names, \"name\" fields, journal file names and any "
            "names list given) with each of their parts (first names, surnames), in any case and with or "
            f"without accents. Replaced: {done}.\n\n"
            "**Not removed:** names the workshop was not given (nicknames, misspellings, other people's "
            "names) and other details that can identify someone (places, workplaces, events). "
            "Read the summary before you show it."
        )
