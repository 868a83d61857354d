"""The "real or synthetic?" quiz: items, scoring against chance, and the quiz prompt.

Learners label each item (a text, or an image shown with alt text); the
score is compared with guessing using the binomial tail, e.g. "7 of 10
right; guessing would get 5 on average; the chance of doing at least this
well by guessing is 17%", and then every answer is revealed with its
explanation. Import the prompt from :mod:`workshop_utils.prompts`.

Example
-------
::

    from workshop_utils.prompts import QuizItem, RealOrSynthetic

    RealOrSynthetic("02", "spot-the-fake", "Real or synthetic?", [
        QuizItem("Real", text="...", explanation="..."),
        QuizItem("Synthetic", image=generated_image, alt="A face-like cartoon", explanation="..."),
    ]).show()

Used in: workshop_utils.prompts and workshop_utils.prompt_widgets.
"""

from __future__ import annotations

import base64
import html
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from ._validate import _describe, check_choice, check_int, check_number
from .journal import check_answer
from .prompt_base import Prompt, check_strings, check_text, inline_html

__all__ = ["QuizItem", "QuizScore", "RealOrSynthetic", "binomial_tail"]

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


@dataclass
class RealOrSynthetic(Prompt):
    """A "real or synthetic?" quiz, scored against chance, then explained.

    Parameters
    ----------
    lesson, prompt_id, question
        See :class:`Prompt`.
    items : list of QuizItem or dict
        The items, in order (dicts are passed to :class:`QuizItem`).
    choices : list of str
        The possible answers; default ``("Real", "Synthetic")``.
    """

    items: tuple[QuizItem, ...] = ()
    choices: tuple[str, ...] = field(default=("Real", "Synthetic"), kw_only=True)

    kind: ClassVar[str] = "quiz"
    title: ClassVar[str] = "Real or synthetic?"

    def _check(self) -> None:
        self.choices = check_strings("choices", self.choices, minimum=2, maximum=6)
        if isinstance(self.items, (str, dict)) or not isinstance(self.items, (list, tuple)) or not self.items:
            raise TypeError(f"items must be a non-empty list of QuizItem, got {_describe(self.items)}")
        if len(self.items) > 100:
            raise ValueError(f"items must list at most 100 items, got {len(self.items)}")
        cleaned = []
        by_lower = {c.lower(): c for c in self.choices}
        for i, item in enumerate(self.items):
            if isinstance(item, dict):
                item = QuizItem(**item)
            if not isinstance(item, QuizItem):
                raise TypeError(f"items[{i}] must be a QuizItem or a dict, got {_describe(item)}")
            if item.answer.lower() not in by_lower:
                raise ValueError(f"items[{i}].answer must be one of {list(self.choices)}, got {item.answer!r}")
            item.answer = by_lower[item.answer.lower()]
            cleaned.append(item)
        self.items = tuple(cleaned)

    def details(self) -> dict[str, Any]:
        """The choices and the number of items."""
        return {"choices": list(self.choices), "n_items": len(self.items)}

    def check_response(self, answer: Any) -> Any:
        """The answer is ``{"answers": [choice or None per item], ...}``."""
        answer = check_answer(self.kind, answer)
        if len(answer["answers"]) != len(self.items):
            raise ValueError(
                f"answer['answers'] must have {len(self.items)} entries (one per item), got {len(answer['answers'])}"
            )
        for i, given in enumerate(answer["answers"]):
            if given is not None:
                check_choice(f"answer['answers'][{i}]", given, self.choices)
        return answer

    def score(self, answers: list[str | None]) -> QuizScore:
        """Score a full set of answers against the truth and against guessing.

        Parameters
        ----------
        answers : list of str
            One choice per item (None counts as wrong).
        """
        self.check_response({"answers": list(answers)})
        correct = sum(given == item.answer for given, item in zip(answers, self.items))
        total = len(self.items)
        p = 1 / len(self.choices)
        return QuizScore(correct, total, total * p, binomial_tail(correct, total, p))

    def to_spec(self) -> dict[str, Any]:
        """JSON-ready spec; images become base64 PNG (``image_png_base64``)."""
        spec = super().to_spec()
        spec["items"] = []
        for item in self.items:
            entry: dict[str, Any] = {"answer": item.answer, "explanation": item.explanation}
            if item.image is not None:
                entry.update(image_png_base64=base64.b64encode(item.image).decode("ascii"), alt=item.alt)
            else:
                entry["text"] = item.text
            spec["items"].append(entry)
        return spec

    def _item_markdown(self, i: int, item: QuizItem) -> list[str]:
        lines = [f"**Item {i + 1} of {len(self.items)}**", ""]
        if item.image is not None:
            encoded = base64.b64encode(item.image).decode("ascii")
            lines += [f"![{item.alt}](data:image/png;base64,{encoded})", "", f"_Image description: {item.alt}_", ""]
        else:
            lines += ["\n".join(f"> {line}" for line in item.text.strip().splitlines()), ""]
        lines += ["   ".join(f"☐ {c}" for c in self.choices), ""]
        return lines

    def _answers_markdown(self) -> list[str]:
        lines = []
        for i, item in enumerate(self.items):
            explanation = f": {item.explanation.strip()}" if item.explanation.strip() else ""
            lines.append(f"{i + 1}. **{item.answer}**{explanation}")
        return lines

    def to_markdown(self, reveal: bool = True) -> str:
        """The quiz as Markdown; with ``reveal`` the answers follow under "Answers"."""
        lines = self._header_markdown()
        for i, item in enumerate(self.items):
            lines += self._item_markdown(i, item)
        if reveal:
            lines += ["**Answers** (read them after you decide):", ""] + self._answers_markdown() + [""]
        return "\n".join(lines).rstrip() + "\n"

    def _body_html(self) -> str:
        parts = []
        for i, item in enumerate(self.items):
            content = item.image_html() + (
                f'<p class="workshop-alt"><em>Image description: {html.escape(item.alt)}</em></p>'
                if item.image is not None
                else f"<blockquote>{inline_html(item.text.strip())}</blockquote>"
            )
            boxes = " ".join(f"☐ {html.escape(c)}" for c in self.choices)
            parts.append(
                f'<li class="workshop-quiz-item"><strong>Item {i + 1} of {len(self.items)}</strong>{content}'
                f'<p class="workshop-choices">{boxes}</p></li>'
            )
        answers = "".join(
            f"<li><strong>{html.escape(item.answer)}</strong>"
            + (f": {inline_html(item.explanation.strip())}" if item.explanation.strip() else "")
            + "</li>"
            for item in self.items
        )
        return (
            f'<ol class="workshop-quiz-items" style="list-style:none;padding-left:0">{"".join(parts)}</ol>'
            f'<details class="workshop-quiz-answers"><summary>Answers (read them after you decide)</summary>'
            f"<ol>{answers}</ol></details>"
        )

    def _grading_instructions(self) -> str:
        return "For each item, say whether it is real or synthetic and which cue you used."

    def nbgrader_cell(self, points: int = 1, grade_id: str | None = None) -> Any:
        """As :meth:`Prompt.nbgrader_cell`, listing the items above and the answers in the solution."""
        cell = super().nbgrader_cell(points, grade_id)
        items = []
        for i, item in enumerate(self.items):
            items += self._item_markdown(i, item)
        head, solution = cell.source.split("### BEGIN SOLUTION\n", 1)
        answers = "\n".join(["*Answers (instructors):*", ""] + self._answers_markdown())
        cell.source = head + "\n".join(items) + "### BEGIN SOLUTION\n" + answers + "\n\n" + solution
        return cell
