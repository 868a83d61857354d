"""Discussion prompts that learners answer inside the notebook, keep, and export.

Each prompt is declared once, from a small spec, and renders three ways:

* **live** in JupyterLab: an ipywidgets form whose every answer is saved to
  the learner's journal (:mod:`workshop_utils.discussion.journal`) as soon as it is given,
  with a visible "Saved at 14:02:31";
* **static** Markdown/HTML where no kernel or widget manager runs (a rendered
  site, a printed handout): :meth:`Prompt.to_markdown`, :meth:`Prompt.to_html`;
* as an **nbgrader** manually graded cell: :meth:`Prompt.nbgrader_cell`.

``mode="auto"`` (the default) is live inside an IPython kernel and static
otherwise; ``mode="live"`` or ``"static"`` forces one; the environment
variable ``WORKSHOP_STATIC_PROMPTS=1`` forces static everywhere (e.g. when
building a site).

The kinds:

* :class:`Reflection`: free text;
* :class:`Poll`: one choice among options, with a tally;
* :class:`Spectrum`: a position on a labelled scale (e.g. benign to harmful), and why;
* :class:`DualUseCanvas`: intended use, who benefits, how it could be repurposed,
  who is harmed, mitigations;
* :class:`RealOrSynthetic`: a quiz of text or image items, scored against chance,
  then explained;
* :class:`CreditsCard`: credits for generated media along the four checkpoints of
  PAI's Field Guide (dataset, model code, training resources, publishing);
* :class:`ExitTicket`: the end-of-lesson feedback: what was clearest, what is
  still unclear, one next step.

Questions are plain text and may use ``**bold**``, ``*italic*`` and ```code```.

Example
-------
::

    from workshop_utils.discussion import Poll, Reflection, Spectrum

    Reflection("01", "spectrum-example", "Where did it sit between cheap fake and deepfake?").show()
    Poll("01", "who-decides", "Who should label synthetic media?",
         ["The maker", "The platform", "Nobody"]).show()
    Spectrum("01", "voice-clone", "A cloned voice reads an audiobook with consent.",
             left="benign", right="harmful").show()

Prompts can also come from a dict or JSON (:func:`prompt_from_spec`,
:func:`prompts_from_json`), e.g.
``{"kind": "poll", "lesson": "01", "prompt_id": "who-decides", "question": "...", "options": [...]}``.

The base class and rendering modes live in :mod:`workshop_utils.discussion.base`,
quiz items and scoring in :mod:`workshop_utils.discussion.quiz`, and the live forms
in :mod:`workshop_utils.discussion.widgets`: each prompt names its form, which is
imported only when the form is shown. Lessons import the prompts from
:mod:`workshop_utils.discussion`.

Used in: the Discussion sections of every lesson, and the facilitator's view
(workshop_utils.discussion.facilitator).
"""

from __future__ import annotations

import base64
import glob
import html
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar

from .._files import load_json
from .._validate import _describe, check_choice, check_int, check_number, check_path
from .base import Prompt, answer_space_html, check_strings, check_text, inline_html
from .journal import check_answer, check_id
from .quiz import QuizItem, QuizScore, binomial_tail

__all__ = [
    "CREDITS_FIELDS",
    "DUAL_USE_FIELDS",
    "EXIT_TICKET_FIELDS",
    "EXIT_TICKET_ID",
    "CreditsCard",
    "DualUseCanvas",
    "ExitTicket",
    "MAX_SPECTRUM_POSITIONS",
    "Poll",
    "RealOrSynthetic",
    "Reflection",
    "Spectrum",
    "prompt_from_spec",
    "prompts_from_json",
]

#: Most steps a spectrum's scale may have (a slider with more cannot be used, nor drawn).
MAX_SPECTRUM_POSITIONS = 1_000

#: The dual-use canvas: (field id, label, hint).
DUAL_USE_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("intended_use", "Intended use", "What is it made for, and by whom?"),
    ("who_benefits", "Who benefits", "Who gains from it, and how?"),
    ("repurposing", "How it could be repurposed", "How could bad actors use the same thing?"),
    ("who_is_harmed", "Who could be harmed", "Who pays the price if it is misused?"),
    ("mitigations", "Mitigations", "What would reduce the harm: design, disclosure, consent, policy?"),
)


@dataclass
class Reflection(Prompt):
    """A free-text reflection.

    Parameters
    ----------
    lesson, prompt_id, question
        See :class:`Prompt`.
    placeholder : str
        Greyed-out hint inside the empty text box.
    rows : int
        Height of the text box.

    Examples
    --------
    >>> Reflection("01", "spectrum-example", "Where did it sit?").to_markdown().splitlines()[2]
    'Where did it sit?'
    """

    placeholder: str = field(default="Type your answer here.", kw_only=True)
    rows: int = field(default=5, kw_only=True)

    kind: ClassVar[str] = "reflection"
    title: ClassVar[str] = "Reflection"

    def _new_form(self) -> Any:
        from .widgets import (
            ReflectionWidget,  # ipywidgets loads only when a form is shown
        )

        return ReflectionWidget(self)

    def _check(self) -> None:
        check_text("placeholder", self.placeholder, limit=200)
        check_int("rows", self.rows, minimum=1, maximum=40)

    def _grading_instructions(self) -> str:
        return "Write your answer in the cell below, in a few sentences."


@dataclass
class Poll(Prompt):
    """A multiple-choice poll (one choice) with a tally.

    Parameters
    ----------
    lesson, prompt_id, question
        See :class:`Prompt`.
    options : list of str
        2 to 12 distinct choices.
    tally_from : list of str or Path
        Other journals to count in the tally (files or glob patterns, e.g. the
        journals a facilitator collected); the learner's own is always counted.
    """

    options: tuple[str, ...] = ()
    tally_from: tuple[Any, ...] = field(default=(), kw_only=True, compare=False)

    kind: ClassVar[str] = "poll"
    title: ClassVar[str] = "Poll"

    def _new_form(self) -> Any:
        from .widgets import PollWidget  # ipywidgets loads only when a form is shown

        return PollWidget(self)

    def _check(self) -> None:
        self.options = check_strings("options", self.options, minimum=2, maximum=12)
        if isinstance(self.tally_from, (str, os.PathLike)) or not isinstance(self.tally_from, (list, tuple)):
            raise TypeError(f"tally_from must be a list of journal files or patterns, got {_describe(self.tally_from)}")
        self.tally_from = tuple(check_path(f"tally_from[{i}]", source) for i, source in enumerate(self.tally_from))

    def details(self) -> dict[str, Any]:
        """The options, so the tally lists options nobody chose."""
        return {"options": list(self.options)}

    def check_response(self, answer: Any) -> Any:
        """The answer must be one of the options."""
        if not isinstance(answer, str):
            raise TypeError(f"answer for a poll must be one of the options (a str), got {_describe(answer)}")
        return check_choice("answer", answer, self.options)

    def tally_journals(self) -> list[Path]:
        """The journal files counted in the tally: the learner's own, then ``tally_from``."""
        own = self.get_journal().path
        found = [own] if own.exists() else []
        for source in self.tally_from:
            pattern = os.path.expanduser(str(source))
            matches = sorted(glob.glob(pattern)) if any(ch in pattern for ch in "*?[") else [pattern]
            for match in map(Path, matches):
                if match.is_file() and match.resolve() not in {p.resolve() for p in found}:
                    found.append(match)
        return found

    def tally(self) -> dict[str, int]:
        """Votes per option in :meth:`tally_journals` (options nobody chose count 0)."""
        from .report import tally_poll

        return tally_poll(self.tally_journals(), self.lesson, self.prompt_id, list(self.options))

    def _body_markdown(self) -> list[str]:
        return [f"- ☐ {option}" for option in self.options] + ["", "✎ _Choose one option._", ""]

    def _body_html(self) -> str:
        items = "".join(f"<li>☐ {html.escape(option)}</li>" for option in self.options)
        return f'<ul class="workshop-options" style="list-style:none;padding-left:0.5em">{items}</ul>'

    def _grading_instructions(self) -> str:
        return "Name the option you choose and explain your choice in two or three sentences."


@dataclass
class Spectrum(Prompt):
    """A position on a labelled scale (e.g. benign ↔ harmful) with a rationale.

    Parameters
    ----------
    lesson, prompt_id, question
        See :class:`Prompt`.
    left, right : str
        The labels of the two ends.
    minimum, maximum, step : int or float
        The scale.
    ask_rationale : bool
        Show a "Why there?" text box.
    """

    left: str = "benign"
    right: str = "harmful"
    minimum: float = 0
    maximum: float = 10
    step: float = 1
    ask_rationale: bool = field(default=True, kw_only=True)

    kind: ClassVar[str] = "spectrum"
    title: ClassVar[str] = "Spectrum"

    def _new_form(self) -> Any:
        from .widgets import (
            SpectrumWidget,  # ipywidgets loads only when a form is shown
        )

        return SpectrumWidget(self)

    def _check(self) -> None:
        check_text("left", self.left, required=True, limit=100)
        check_text("right", self.right, required=True, limit=100)
        check_number("minimum", self.minimum)
        check_number("maximum", self.maximum)
        check_number("step", self.step, minimum=0, strict_minimum=True)
        if not self.maximum > self.minimum:
            raise ValueError(f"maximum must be greater than minimum, got {self.minimum!r} to {self.maximum!r}")
        positions = (self.maximum - self.minimum) / self.step
        if positions > MAX_SPECTRUM_POSITIONS:
            raise ValueError(
                f"step is too small: {self.step!r} makes {positions:,.0f} positions from {self.minimum!r} to "
                f"{self.maximum!r}; the scale may have at most {MAX_SPECTRUM_POSITIONS:,} steps"
            )
        if not isinstance(self.ask_rationale, bool):
            raise TypeError(f"ask_rationale must be True or False, got {_describe(self.ask_rationale)}")

    @property
    def integer_scale(self) -> bool:
        """True when every position on the scale is a whole number."""
        return all(float(v).is_integer() for v in (self.minimum, self.maximum, self.step))

    def details(self) -> dict[str, Any]:
        """The scale and its labels."""
        return {
            "minimum": self.minimum,
            "maximum": self.maximum,
            "step": self.step,
            "left": self.left,
            "right": self.right,
        }

    def check_response(self, answer: Any) -> Any:
        """The answer is ``{"value": position, "rationale": text}`` with the position on the scale."""
        answer = check_answer(self.kind, answer)
        check_number("answer['value']", answer["value"], minimum=self.minimum, maximum=self.maximum)
        return answer

    def describe_position(self, value: float) -> str:
        """E.g. '7 on a scale from 0 (benign) to 10 (harmful)'."""
        def num(v: float) -> str:
            return f"{v:g}"

        return f"{num(value)} on a scale from {num(self.minimum)} ({self.left}) to {num(self.maximum)} ({self.right})"

    def _positions(self) -> list[float]:
        count = int(round((self.maximum - self.minimum) / self.step))
        return [self.minimum + i * self.step for i in range(count + 1)]

    def _body_markdown(self) -> list[str]:
        positions = self._positions()
        if len(positions) <= 21:
            marks = " · ".join(f"{p:g}" for p in positions)
            scale = f"**{self.left}** {marks} **{self.right}**"
        else:
            scale = f"from {self.minimum:g} (**{self.left}**) to {self.maximum:g} (**{self.right}**)"
        lines = [f"✎ _Mark your position:_ {scale}", ""]
        if self.ask_rationale:
            lines += ["✎ _Why there?_", ""]
        return lines

    def _body_html(self) -> str:
        scale = f"from {self.minimum:g} ({self.left}) to {self.maximum:g} ({self.right})"
        body = f'<p class="workshop-scale">Mark your position on the scale {html.escape(scale)}.</p>'
        positions = self._positions()
        if len(positions) <= 21:
            cells = "".join(f'<td style="border:1px solid #767676;padding:0.2em 0.6em">{p:g}</td>' for p in positions)
            body += (
                f'<table class="workshop-scale-table" aria-label="Scale from {html.escape(self.left)} '
                f'to {html.escape(self.right)}"><tr><th scope="row">{html.escape(self.left)}</th>{cells}'
                f'<th scope="row">{html.escape(self.right)}</th></tr></table>'
            )
        if self.ask_rationale:
            body += '<p class="workshop-rationale-label">Why there?</p>'
            body += answer_space_html("Space for your reasons", 3)
        return body

    def _grading_instructions(self) -> str:
        return (
            f"Give your position from {self.minimum:g} ({self.left}) to {self.maximum:g} ({self.right}) "
            "and explain why in two or three sentences."
        )


@dataclass
class DualUseCanvas(Prompt):
    """The dual-use canvas: intended use, who benefits, repurposing, who is harmed, mitigations.

    Parameters
    ----------
    lesson, prompt_id, question
        See :class:`Prompt`; the question names the technology or product to examine.
    fields : list of (id, label, hint)
        The canvas fields; default :data:`DUAL_USE_FIELDS`.
    """

    fields: tuple[tuple[str, str, str], ...] = field(default=DUAL_USE_FIELDS, kw_only=True)

    kind: ClassVar[str] = "canvas"
    title: ClassVar[str] = "Dual-use canvas"

    def _new_form(self) -> Any:
        from .widgets import CanvasWidget  # ipywidgets loads only when a form is shown

        return CanvasWidget(self)

    def _check(self) -> None:
        if isinstance(self.fields, str) or not isinstance(self.fields, (list, tuple)) or not self.fields:
            raise TypeError(
                f"fields must be a non-empty list of (id, label, hint) triples, got {_describe(self.fields)}"
            )
        cleaned = []
        for i, item in enumerate(self.fields):
            if not isinstance(item, (list, tuple)) or len(item) != 3:
                raise ValueError(f"fields[{i}] must be an (id, label, hint) triple, got {item!r}")
            key, label, hint = item
            check_id(f"fields[{i}] id", key)
            cleaned.append((key, check_text(f"fields[{i}] label", label, required=True, limit=100),
                            check_text(f"fields[{i}] hint", hint, limit=300)))
        if len({key for key, _, _ in cleaned}) != len(cleaned):
            raise ValueError(f"fields must have distinct ids, got {[key for key, _, _ in cleaned]}")
        self.fields = tuple(cleaned)

    def details(self) -> dict[str, Any]:
        """The field labels, in order."""
        return {"fields": [[key, label] for key, label, _ in self.fields]}

    def check_response(self, answer: Any) -> Any:
        """The answer is a dict of field id to text, using only this canvas's fields."""
        answer = check_answer(self.kind, answer)
        unknown = sorted(set(answer) - {key for key, _, _ in self.fields})
        if unknown:
            raise ValueError(f"answer has unknown canvas field(s) {unknown}; fields: {[k for k, _, _ in self.fields]}")
        return answer

    def _body_markdown(self) -> list[str]:
        lines = ["| Question | Your notes |", "|---|---|"]
        lines += [f"| **{label}**: {hint} | |" for _, label, hint in self.fields]
        return lines + [""]

    def _body_html(self) -> str:
        rows = "".join(
            f'<tr><th scope="row" style="text-align:left;padding:0.3em">{html.escape(label)}<br>'
            f'<small>{html.escape(hint)}</small></th>'
            f'<td style="border:1px solid #767676;min-width:20em;height:3em"></td></tr>'
            for _, label, hint in self.fields
        )
        return f'<table class="workshop-canvas-table"><caption>{html.escape(self.title)}</caption>{rows}</table>'

    def _grading_instructions(self) -> str:
        names = "; ".join(f"{label} ({hint})" for _, label, hint in self.fields)
        return f"Answer each part in the cell below: {names}"



#: The four checkpoints of PAI's *Field Guide to Making AI Art Responsibly*: (field id, label, hint).
CREDITS_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("dataset", "Dataset", "Whose data is it, how was it collected, and did the people in it agree?"),
    ("model_code", "Model code", "Whose code did you use or adapt, under what licence, and how do you credit it?"),
    ("training_resources", "Training resources", "What computer, how long, and at what cost in energy?"),
    ("publishing", "Publishing and attribution", "How will you label the work as generated, and who is named as its makers?"),
)


@dataclass
class CreditsCard(DualUseCanvas):
    """Credits for a piece of generated media, along the Field Guide's four checkpoints.

    The same form as :class:`DualUseCanvas` (saved as a canvas in the journal),
    with the fields dataset, model code, training resources, and publishing
    and attribution (:data:`CREDITS_FIELDS`).

    Parameters
    ----------
    lesson, prompt_id, question
        See :class:`Prompt`; the question names the work being credited.
    fields : list of (id, label, hint)
        The card's fields; default :data:`CREDITS_FIELDS`.
    """

    fields: tuple[tuple[str, str, str], ...] = field(default=CREDITS_FIELDS, kw_only=True)

    title: ClassVar[str] = "Credits"


#: The exit ticket's fields: (field id, label, hint).
EXIT_TICKET_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("clearest", "Clearest", "What was the clearest or most useful idea of this lesson?"),
    ("unclear", "Still unclear", "What is still unclear, or what would you like to ask?"),
    ("next_step", "Next step", "One thing you will do, read or look at differently after this lesson."),
)
#: Every exit ticket has this prompt id (one per lesson in the journal).
EXIT_TICKET_ID = "exit-ticket"
_EXIT_TICKET_QUESTION = (
    "Before you move on: three short answers about this lesson. They stay in your journal; a facilitator "
    "sees them only if you choose to share them."
)


@dataclass(init=False)
class ExitTicket(DualUseCanvas):
    """The end-of-lesson feedback ("exit ticket"), saved in the journal like a canvas.

    Every lesson ends with one (``workshop anatomy sync`` adds the cell);
    its prompt id is always :data:`EXIT_TICKET_ID`, so a facilitator can
    merge the exit tickets of a lesson from many journals.

    Parameters
    ----------
    lesson : str
        The lesson id, e.g. ``"01"`` (or ``"session"`` for a live workshop).
    question : str
        What the learner is asked; a short default explains the ticket.
    journal, mode
        See :class:`Prompt`.

    Examples
    --------
    >>> ExitTicket("01").prompt_id
    'exit-ticket'
    """

    title: ClassVar[str] = "Exit ticket"

    def __init__(self, lesson: str, *, question: str = _EXIT_TICKET_QUESTION, journal: Any = None,
                 mode: str = "auto"):
        super().__init__(lesson, EXIT_TICKET_ID, question, fields=EXIT_TICKET_FIELDS, journal=journal, mode=mode)


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

    def _new_form(self) -> Any:
        from .widgets import QuizWidget  # ipywidgets loads only when a form is shown

        return QuizWidget(self)

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


# -- specs ------------------------------------------------------------------------------------------------

_KINDS: dict[str, type[Prompt]] = {
    cls.kind: cls for cls in (Reflection, Poll, Spectrum, DualUseCanvas, RealOrSynthetic)
}


def prompt_from_spec(spec: dict[str, Any], *, base_dir: str | Path | None = None, journal: Any = None) -> Prompt:
    """Build a prompt from a dict such as ``{"kind": "poll", "lesson": "01", ...}``.

    Parameters
    ----------
    spec : dict
        ``kind`` (reflection, poll, spectrum, canvas, quiz) plus the
        constructor arguments of that class. Quiz items may give an image as
        ``"image"`` (a PNG file, relative to ``base_dir``) or
        ``"image_png_base64"``.
    base_dir : str or Path, optional
        Folder that relative image paths start from.
    journal : Journal or path, optional
        Where answers are saved.

    Returns
    -------
    Prompt
    """
    if not isinstance(spec, dict):
        raise TypeError(f"spec must be a dict, got {_describe(spec)}")
    if base_dir is not None:
        base_dir = check_path("base_dir", base_dir)
    spec = dict(spec)
    kind = spec.pop("kind", None)
    if kind not in _KINDS:
        raise ValueError(f"spec['kind'] must be one of {', '.join(_KINDS)}; got {kind!r}")
    cls = _KINDS[kind]
    allowed = {f.name for f in fields(cls) if f.init and f.name not in ("journal",)}
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise ValueError(f"spec for a {kind} has unknown key(s) {unknown}; allowed: {sorted(allowed)}")
    if kind == "quiz" and isinstance(spec.get("items"), list):
        spec["items"] = [_item_from_spec(i, item, base_dir) for i, item in enumerate(spec["items"])]
    for key in ("options", "choices"):
        if isinstance(spec.get(key), list):
            spec[key] = tuple(spec[key])
    if isinstance(spec.get("fields"), list):
        spec["fields"] = tuple(tuple(f) if isinstance(f, list) else f for f in spec["fields"])
    return cls(journal=journal, **spec)


def _item_from_spec(i: int, item: Any, base_dir: str | Path | None) -> Any:
    if not isinstance(item, dict):
        return item
    item = dict(item)
    if "image_png_base64" in item:
        try:
            item["image"] = base64.b64decode(item.pop("image_png_base64"), validate=True)
        except (ValueError, TypeError):
            raise ValueError(f"items[{i}]['image_png_base64'] is not valid base64") from None
    elif isinstance(item.get("image"), str) and base_dir is not None:
        item["image"] = Path(base_dir) / item["image"]
    unknown = sorted(set(item) - {"answer", "text", "image", "alt", "explanation"})
    if unknown:
        raise ValueError(f"items[{i}] has unknown key(s) {unknown}")
    return QuizItem(**item)


def prompts_from_json(path: str | Path, *, journal: Any = None) -> list[Prompt]:
    """Read prompts from a JSON file holding one spec or a list of specs.

    Image paths in quiz items are relative to the JSON file's folder.
    """
    path = check_path("path", path)
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise IsADirectoryError(f"path: {path} is a folder, not a prompts file") from None
    data = load_json(raw, source=str(path))
    specs = data if isinstance(data, list) else [data]
    return [prompt_from_spec(spec, base_dir=path.parent, journal=journal) for spec in specs]
