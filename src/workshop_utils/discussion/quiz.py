"""The "real or synthetic?" quiz: items, and scoring against chance.

Learners label each item (a text, or an image shown with alt text); the
score is compared with guessing using the binomial tail, e.g. "7 of 10
right; guessing would get 5 on average; the chance of doing at least this
well by guessing is 17%", and then every answer is revealed with its
explanation. The quiz prompt itself is
:class:`workshop_utils.discussion.prompts.RealOrSynthetic`.

Example
-------
::

    from workshop_utils.discussion import QuizItem, RealOrSynthetic

    RealOrSynthetic("02", "spot-the-fake", "Real or synthetic?", [
        QuizItem("Real", text="...", explanation="..."),
        QuizItem("Synthetic", image=generated_image, alt="A face-like cartoon", explanation="..."),
    ]).show()

Used in: workshop_utils.discussion.prompts and workshop_utils.discussion.widgets.
"""

from __future__ import annotations

import base64
import html
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._validate import check_int, check_number
from .base import check_text

__all__ = ["QuizItem", "QuizScore", "binomial_tail"]

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# -- quiz scoring --------------------------------------------------------------------------------------


def binomial_tail(k: int, n: int, p: float = 0.5) -> float:
    """Chance of at least ``k`` successes in ``n`` independent tries with success chance ``p``.

    This is the chance that guessing alone scores ``k`` or more out of ``n``
    (``scipy.stats.binom.sf(k - 1, n, p)``).

    Parameters
    ----------
    k : int
        The score to reach.
    n : int
        The number of items.
    p : float
        The chance of guessing one item right (1/2 for real-or-synthetic).
    """
    check_int("n", n, minimum=0)
    check_int("k", k)
    check_number("p", p, minimum=0, maximum=1)
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    total = sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))
    return min(1.0, total)


@dataclass(frozen=True)
class QuizScore:
    """A quiz result compared with guessing.

    Attributes
    ----------
    correct, total : int
        Items right, and items in all.
    chance_mean : float
        The average score of someone who guesses.
    p_at_least : float
        The chance that guessing scores ``correct`` or more (:func:`binomial_tail`).
    """

    correct: int
    total: int
    chance_mean: float
    p_at_least: float

    @property
    def message(self) -> str:
        """The result in words, e.g. '7 of 10 right; guessing would get 5 on average; ...'."""
        if self.p_at_least < 0.01:
            chance = "less than 1%"
        elif self.p_at_least > 0.99 and self.p_at_least < 1:
            chance = "more than 99%"
        else:
            chance = f"{self.p_at_least:.0%}"
        verdict = (
            "Guessing rarely does this well (less than 1 time in 20), so you probably used real cues."
            if self.p_at_least < 0.05
            else "Guessing does this well quite often, so this score alone does not show that you can tell them apart."
        )
        return (
            f"{self.correct} of {self.total} right; guessing would get {self.chance_mean:.3g} on average; "
            f"the chance of doing at least this well by guessing is {chance}. {verdict}"
        )

    def __str__(self) -> str:
        return self.message


@dataclass
class QuizItem:
    """One item of a real-or-synthetic quiz: a text or an image, and the truth about it.

    Parameters
    ----------
    answer : str
        The right choice, e.g. ``"Real"`` or ``"Synthetic"``.
    text : str
        The item, if it is text.
    image : bytes, numpy array, str or Path
        The item, if it is an image: PNG bytes, an array ``(h, w)`` or
        ``(h, w, 3)`` (floats in [0, 1] or uint8), or a PNG file.
    alt : str
        What the image shows, for screen readers (required for images; it
        must describe, not give away the answer).
    explanation : str
        Shown after the learner checks their answers.
    """

    answer: str
    text: str = ""
    image: Any = field(default=None, repr=False)
    alt: str = ""
    explanation: str = ""

    def __post_init__(self) -> None:
        check_text("answer", self.answer, required=True, limit=100)
        check_text("text", self.text, limit=5_000)
        check_text("alt", self.alt, limit=500)
        check_text("explanation", self.explanation, limit=5_000)
        if (self.image is None) == (not self.text.strip()):
            raise ValueError("a QuizItem needs exactly one of text or image")
        if self.image is not None:
            self.image = _png_bytes(self.image)
            if not self.alt.strip():
                raise ValueError("alt must describe the image for screen-reader users (required with image)")

    def image_html(self) -> str:
        """The image as an ``<img>`` with its alt text (or '' for a text item)."""
        if self.image is None:
            return ""
        encoded = base64.b64encode(self.image).decode("ascii")
        alt = html.escape(self.alt, quote=True)
        style = "width:12em;max-width:100%;image-rendering:pixelated"
        return f'<img src="data:image/png;base64,{encoded}" alt="{alt}" title="{alt}" style="{style}">'


def _png_bytes(image: Any) -> bytes:
    """PNG bytes from PNG bytes, a PNG file or an image array."""
    if isinstance(image, (bytes, bytearray)):
        if not bytes(image).startswith(_PNG_SIGNATURE):
            raise ValueError("image bytes must be a PNG file's contents")
        return bytes(image)
    if isinstance(image, (str, os.PathLike)):
        path = Path(image)
        if path.suffix.lower() != ".png":
            raise ValueError(f"image must be a .png file, got {str(image)!r}")
        return _png_bytes(path.read_bytes())
    import io

    import numpy as np
    from PIL import Image

    array = np.asarray(image)
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)) or 0 in array.shape:
        raise ValueError(f"image array must have shape (h, w), (h, w, 3) or (h, w, 4), got {array.shape}")
    if array.dtype != np.uint8:
        as_float = array.astype(float)
        if not np.all(np.isfinite(as_float)) or as_float.min() < 0 or as_float.max() > 1:
            raise ValueError("an image array of floats must hold values between 0 and 1")
        array = np.round(as_float * 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()
