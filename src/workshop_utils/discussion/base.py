"""The base of every discussion prompt: rendering modes, static text and HTML, nbgrader cells.

:class:`Prompt` holds what every prompt has (lesson, id, question, where its
answers are saved) and renders it three ways: live (an ipywidgets form from
:mod:`workshop_utils.discussion.widgets`), static Markdown/HTML, and an nbgrader
manually graded cell. :func:`resolve_mode` decides between live and static:
``"auto"`` is live inside an IPython kernel and static elsewhere, and
``WORKSHOP_STATIC_PROMPTS=1`` forces static (e.g. when building a site).

Lessons use the concrete prompts from :mod:`workshop_utils.discussion.prompts`.

Used in: workshop_utils.discussion.prompts, workshop_utils.discussion.quiz, workshop_utils.discussion.widgets
workshop_utils.discussion.timer and workshop_utils.discussion.facilitator.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from .._validate import _describe, check_choice, check_int
from .journal import Journal, check_answer, check_id, journal_path

__all__ = [
    "MODES",
    "STATIC_ENV",
    "LiveOrStatic",
    "Prompt",
    "answer_space_html",
    "check_strings",
    "check_text",
    "in_kernel",
    "inline_html",
    "plain_text",
    "resolve_mode",
    "show_bundle",
]

#: Rendering modes a prompt accepts.
MODES = ("auto", "live", "static")
#: Set to 1 to render every prompt statically (e.g. when building a site).
STATIC_ENV = "WORKSHOP_STATIC_PROMPTS"
_MAX_QUESTION = 5_000


# -- rendering mode ---------------------------------------------------------------------------------


def in_kernel() -> bool:
    """True inside a running IPython kernel (JupyterLab, nbval), false in plain Python."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def resolve_mode(mode: str = "auto") -> str:
    """Turn ``"auto"``/``"live"``/``"static"`` into ``"live"`` or ``"static"``.

    ``WORKSHOP_STATIC_PROMPTS=1`` (or true/yes/on) makes everything static;
    otherwise ``"auto"`` is live inside a kernel and static elsewhere.
    """
    check_choice("mode", mode, MODES)
    if os.environ.get(STATIC_ENV, "").strip().lower() in {"1", "true", "yes", "on"}:
        return "static"
    if mode == "auto":
        return "live" if in_kernel() else "static"
    return mode


def show_bundle(bundle: dict[str, Any]) -> None:
    """Display a MIME bundle with IPython, or print its plain text outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        get_ipython = None
    if get_ipython is None or get_ipython() is None:
        print(bundle["text/plain"])
        return
    from IPython.display import display

    display(bundle, raw=True)


# -- small text helpers ---------------------------------------------------------------------------------


def inline_html(text: str) -> str:
    """Escape ``text`` for HTML, keeping ``**bold**``, ``*italic*`` and ```code```."""
    escaped = html.escape(text, quote=True)
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    escaped = re.sub(r"\*\*(\S(?:.*?\S)?)\*\*", r"<strong>\1</strong>", escaped)
    escaped = re.sub(r"(?<![*\w])\*(\S(?:[^*]*?\S)?)\*(?![*\w])", r"<em>\1</em>", escaped)
    return escaped.replace("\n", "<br>")


def check_text(name: str, value: Any, *, required: bool = False, limit: int = _MAX_QUESTION) -> str:
    """Return ``value`` if it is a str (non-blank when ``required``) of at most ``limit`` characters."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be text (a str), got {_describe(value)}")
    if required and not value.strip():
        raise ValueError(f"{name} must not be empty")
    if len(value) > limit:
        raise ValueError(f"{name} must be at most {limit:,} characters, got {len(value):,}")
    return value


def check_strings(name: str, values: Any, *, minimum: int, maximum: int) -> tuple[str, ...]:
    """Return ``values`` as a tuple if it is a list of ``minimum``-``maximum`` distinct, non-blank strings."""
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        raise TypeError(f"{name} must be a list of strings, got {_describe(values)}")
    items = tuple(check_text(f"{name}[{i}]", v, required=True, limit=200) for i, v in enumerate(values))
    if not minimum <= len(items) <= maximum:
        raise ValueError(f"{name} must list {minimum} to {maximum} items, got {len(items)}")
    if len({v.strip().lower() for v in items}) != len(items):
        raise ValueError(f"{name} must not repeat an item, got {list(items)}")
    return items


# -- live or static display ----------------------------------------------------------------------------


class LiveOrStatic:
    """Mixin: display as a live widget in a kernel, or as static Markdown/HTML elsewhere.

    The class using it provides ``mode``, ``widget()``, ``to_markdown()`` and
    ``to_html()``; the mixin chooses between them with :func:`resolve_mode`.
    """

    mode: str

    def _bundle(self, mode: str) -> dict[str, Any]:
        if resolve_mode(mode) == "live":
            bundle = dict(self.widget()._repr_mimebundle_())
            # Front ends with widgets show the form; viewers without a widget manager (HTML exports,
            # the workshop's site built from a test run) fall back to the static question.
            bundle["text/html"] = self.to_html()
            bundle["text/plain"] = self.to_markdown()
            return bundle
        return {"text/markdown": self.to_markdown(), "text/html": self.to_html(), "text/plain": self.to_markdown()}

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return self._bundle(self.mode)

    def show(self, mode: str | None = None) -> None:
        """Display: live widget in a kernel, static text elsewhere.

        Parameters
        ----------
        mode : {"auto", "live", "static"}, optional
            Override ``self.mode`` for this display.
        """
        show_bundle(self._bundle(self.mode if mode is None else mode))


# -- the base class ------------------------------------------------------------------------------------


@dataclass
class Prompt(LiveOrStatic):
    """What every discussion prompt has; use one of the subclasses.

    Parameters
    ----------
    lesson : str
        The lesson id, e.g. ``"01"``.
    prompt_id : str
        The prompt's id within the lesson, e.g. ``"spectrum-example"``.
    question : str
        What learners are asked.
    description : str
        Optional extra guidance shown under the question.
    model_answer : str
        Optional model answer or rubric, used only in :meth:`nbgrader_cell`.
    mode : {"auto", "live", "static"}
        How the prompt displays (see :func:`resolve_mode`).
    journal : Journal, str or Path, optional
        Where answers are saved; default: :class:`~workshop_utils.discussion.journal.Journal` ().
    """

    lesson: str
    prompt_id: str
    question: str
    description: str = field(default="", kw_only=True)
    model_answer: str = field(default="", kw_only=True)
    mode: str = field(default="auto", kw_only=True, compare=False)
    journal: Any = field(default=None, kw_only=True, repr=False, compare=False)
    _widget: Any = field(default=None, init=False, repr=False, compare=False)
    _journal: Any = field(default=None, init=False, repr=False, compare=False)

    kind: ClassVar[str] = ""
    title: ClassVar[str] = ""

    def __post_init__(self) -> None:
        if type(self) is Prompt:
            raise TypeError("Prompt is a base class; use Reflection, Poll, Spectrum, DualUseCanvas or RealOrSynthetic")
        check_id("lesson", self.lesson)
        check_id("prompt_id", self.prompt_id)
        check_text("question", self.question, required=True)
        check_text("description", self.description)
        check_text("model_answer", self.model_answer, limit=20_000)
        check_choice("mode", self.mode, MODES)
        if self.journal is not None and not isinstance(self.journal, (Journal, str, os.PathLike)):
            raise TypeError(f"journal must be a Journal or a file path, got {_describe(self.journal)}")
        if isinstance(self.journal, (str, os.PathLike)):
            journal_path(self.journal)  # a bad path fails now, not at the first answer
        self._check()

    def _check(self) -> None:
        """Check the kind-specific fields (subclasses)."""

    # -- saving ------------------------------------------------------------------------------------

    def get_journal(self) -> Journal:
        """The journal this prompt saves to (created on first use)."""
        if self._journal is None:
            self._journal = self.journal if isinstance(self.journal, Journal) else Journal(self.journal)
        return self._journal

    def details(self) -> dict[str, Any]:
        """What the journal stores beside each answer so that exports make sense on their own."""
        return {}

    def check_response(self, answer: Any) -> Any:
        """Return ``answer`` in stored form if it is a valid answer to this prompt."""
        return check_answer(self.kind, answer)

    def save(self, answer: Any) -> dict[str, Any]:
        """Save ``answer`` to the journal now and return the stored entry."""
        return self.get_journal().record(
            self.lesson,
            self.prompt_id,
            self.kind,
            self.check_response(answer),
            question=self.question,
            details=self.details(),
        )

    def saved_entry(self) -> dict[str, Any] | None:
        """The journal's entry for this prompt, or None if it was never answered."""
        entry = self.get_journal().entry(self.lesson, self.prompt_id)
        return entry if entry is not None and entry["kind"] == self.kind else None

    # -- specs -------------------------------------------------------------------------------------

    def to_spec(self) -> dict[str, Any]:
        """The prompt as a JSON-ready dict (the inverse of :func:`prompt_from_spec`)."""
        spec: dict[str, Any] = {"kind": self.kind}
        for item in fields(self):
            if item.name.startswith("_") or not item.compare:  # mode, journal, tally_from: run-time settings
                continue
            value = getattr(self, item.name)
            if isinstance(value, tuple):
                value = [list(v) if isinstance(v, tuple) else v for v in value]
            spec[item.name] = value
        return spec

    # -- static rendering ------------------------------------------------------------------------------

    def _header_markdown(self) -> list[str]:
        lines = [f"**{self.title}** · lesson {self.lesson} · `{self.prompt_id}`", "", self.question.strip(), ""]
        if self.description.strip():
            lines += [f"_{self.description.strip()}_", ""]
        return lines

    def _body_markdown(self) -> list[str]:
        return ["✎ _Answer in the live notebook, or on paper._", ""]

    def _grading_instructions(self) -> str:
        return "Answer in the cell below."

    def to_markdown(self) -> str:
        """The prompt as Markdown, for rendered sites, handouts and plain-text displays."""
        return "\n".join(self._header_markdown() + self._body_markdown()).rstrip() + "\n"

    def _body_html(self) -> str:
        return answer_space_html("Space for your answer")

    def to_html(self) -> str:
        """The prompt as self-contained, accessible static HTML."""
        description = (
            f'<p class="workshop-description"><em>{inline_html(self.description.strip())}</em></p>'
            if self.description.strip()
            else ""
        )
        return (
            f'<section class="workshop-prompt workshop-static workshop-{self.kind}" '
            f'aria-label="{html.escape(self.title)}: {html.escape(plain_text(self.question))}">'
            f'<p class="workshop-kind"><strong>{html.escape(self.title)}</strong> · lesson {self.lesson} · '
            f"<code>{self.prompt_id}</code></p>"
            f'<p class="workshop-question">{inline_html(self.question.strip())}</p>{description}'
            f"{self._body_html()}</section>"
        )

    def widget(self) -> Any:
        """The live ipywidgets form (built once, then reused)."""
        if self._widget is None:
            self._widget = self._new_form()
        return self._widget

    def _new_form(self) -> Any:
        """A new live form; each kind of prompt names its own (in :mod:`workshop_utils.discussion.prompts`).

        This module, which every prompt shares, never imports ipywidgets or
        :mod:`workshop_utils.discussion.widgets`: the forms depend on it, not the other way round.
        """
        raise NotImplementedError(f"{type(self).__name__} has no live form: give it a _new_form() method")

    # -- nbgrader --------------------------------------------------------------------------------------

    def nbgrader_cell(self, points: int = 1, grade_id: str | None = None) -> Any:
        """A manually graded nbgrader markdown cell asking this prompt.

        The question and how to answer stay above ``### BEGIN SOLUTION``; the
        model answer (or a placeholder) goes between the markers, so the
        student version keeps the question and shows "YOUR ANSWER HERE".

        Parameters
        ----------
        points : int
            Points for the answer.
        grade_id : str, optional
            The nbgrader id; default ``discussion_<lesson>_<prompt_id>``.

        Returns
        -------
        nbformat.NotebookNode
            A markdown cell with ``metadata["nbgrader"]`` set.
        """
        import nbformat

        check_int("points", points, minimum=1)
        if grade_id is None:
            grade_id = f"discussion_{self.lesson}_{self.prompt_id}".replace("-", "_")
        check_id("grade_id", grade_id)
        question = self._header_markdown() + [f"_{self._grading_instructions()}_", ""]
        solution = self._solution_markdown()
        source = "\n".join(question + ["### BEGIN SOLUTION", solution, "### END SOLUTION"])
        metadata = {
            "nbgrader": {
                "grade": True,
                "solution": True,
                "locked": False,
                "task": False,
                "points": points,
                "grade_id": grade_id,
                "schema_version": 3,
            }
        }
        return nbformat.v4.new_markdown_cell(source=source, metadata=metadata)

    def _solution_markdown(self) -> str:
        if self.model_answer.strip():
            return f"*Model answer (instructors):* {self.model_answer.strip()}"
        return "Write your answer here."


def plain_text(text: str) -> str:
    """``text`` on one line without Markdown marks (for ``aria-label`` attributes)."""
    return " ".join(re.sub(r"[*`]", "", text).split())


def answer_space_html(label: str, lines: int = 5) -> str:
    """An empty bordered box to write in on a printed handout, labelled for screen readers."""
    return (
        f'<div class="workshop-answer-space" role="note" aria-label="{html.escape(label)}" '
        f'style="border:1px solid #767676;min-height:{1.5 * lines:.1f}em;margin:0.3em 0"></div>'
    )
