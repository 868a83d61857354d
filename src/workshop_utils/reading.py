"""Reading time: how long a text takes to read aloud or alone, at about 200 words a minute.

A facilitator plans a live session minute by minute; a case card, a lesson's
short path or a breakout handout each need a time that was *computed* from the
text, not guessed. 200 words a minute is a common planning figure for reading
unfamiliar, dense prose (texts meant to be discussed, not skimmed); it is a
planning aid, not a measurement of any reader.

Example
-------
>>> from workshop_utils.reading import reading_minutes, word_count
>>> word_count("Who made it? Obvious, Barrat, or 'the AI'?")
8
>>> reading_minutes("word " * 300)
1.5

Used in: workshop_utils.cases (reading time of a card), workshop_utils.session (breakout
handouts) and workshop_utils.course.session_marks (the short path of a lesson).
"""

from __future__ import annotations

import math
import re

from ._validate import _describe, check_number

__all__ = ["WORDS_PER_MINUTE", "format_minutes", "reading_minutes", "word_count"]

#: The planning figure: words read per minute.
WORDS_PER_MINUTE = 200
_WORD = re.compile(r"[^\W_](?:[\w'’.,-]*[^\W_])?")
_MARKUP = re.compile(r"<[^>]+>|`{3}.*?`{3}|\]\([^)]*\)", re.S)


def word_count(text: str) -> int:
    """The number of words in ``text`` (Markdown links' addresses and HTML tags are not words).

    Raises
    ------
    TypeError
        If ``text`` is not a str.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {_describe(text)}")
    return len(_WORD.findall(_MARKUP.sub(" ", text)))


def reading_minutes(text: str, words_per_minute: float = WORDS_PER_MINUTE) -> float:
    """Minutes to read ``text`` at ``words_per_minute`` (to one decimal place).

    Parameters
    ----------
    text : str
        The text (Markdown is fine).
    words_per_minute : float
        The reading speed; the default is :data:`WORDS_PER_MINUTE`.
    """
    speed = check_number("words_per_minute", words_per_minute, minimum=1)
    return round(word_count(text) / speed, 1)


def format_minutes(minutes: float) -> str:
    """A reading time for people: "under a minute", "about 1 minute", "about 3 minutes".

    Rounded up to whole minutes, so that a plan never runs short.
    """
    value = check_number("minutes", minutes, minimum=0)
    if value < 0.5:
        return "under a minute"
    whole = max(1, math.ceil(value - 1e-9))
    return f"about {whole} minute{'s' if whole != 1 else ''}"
