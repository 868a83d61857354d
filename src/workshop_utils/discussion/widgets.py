"""Live ipywidgets forms for the discussion prompts of :mod:`workshop_utils.discussion.prompts`.

Lessons do not use this module directly: ``prompt.show()`` or
``prompt.widget()`` builds the right form. Every form

* saves each answer to the journal as soon as it is given: choices and
  sliders on change, text when the learner leaves the box (and on the
  *Save answer* button);
* shows "Saved at 14:02:31 in workshop_journal.json", or "Not saved: <why>"
  when saving fails (the exception is also kept in ``last_error``);
* restores the learner's saved answer when the cell runs again;
* uses text, not colour, for every state, and gives every control a
  ``description`` (its label) and a ``tooltip``.

Stable CSS classes (DOM hooks for browser tests and styling):

============================  =================================================
``workshop-prompt``           every form (a VBox), plus ``workshop-<kind>``
                              (``workshop-reflection``, ``-poll``, ``-spectrum``,
                              ``-canvas``, ``-quiz``) and
                              ``workshop-prompt-id-<lesson>-<prompt_id>``
``workshop-question``         the heading and question text
``workshop-save``             the *Save answer* button
``workshop-status``           the status line; plus ``workshop-status-saved``,
                              ``-error`` or ``-info``
``workshop-answer``           reflection text box (a ``textarea`` inside)
``workshop-poll-options``     poll radio buttons; ``workshop-tally`` the tally,
                              ``workshop-tally-refresh`` its *Refresh tally* button
``workshop-spectrum-slider``  the slider (its label names the left end);
                              ``workshop-spectrum-right`` the right end's label;
                              ``workshop-spectrum-position`` the reading in words;
                              ``workshop-rationale`` "Why there?"
``workshop-canvas-field``     each canvas box, plus ``workshop-canvas-<field id>``
``workshop-quiz-choice``      each item's toggle buttons, plus
                              ``workshop-quiz-item-<n>`` (n from 1);
                              ``workshop-quiz-check`` (*Check my answers*),
                              ``workshop-quiz-reset`` (*Start again*),
                              ``workshop-quiz-score``, ``workshop-quiz-explanation``
============================  =================================================

Used in: workshop_utils.discussion.base (``Prompt.widget``), hence every prompt of every lesson.
"""

from __future__ import annotations

import html
import warnings
from datetime import datetime
from typing import Any

import ipywidgets as widgets

from .base import Prompt, inline_html
from .journal import JournalRecoveryWarning
from .quiz import QuizScore
from .report import text_bar

__all__ = [
    "CanvasWidget",
    "NothingToSave",
    "PollWidget",
    "PromptWidget",
    "QuizWidget",
    "ReflectionWidget",
    "SpectrumWidget",
]

_LABEL_STYLE = {"description_width": "initial"}


class NothingToSave(ValueError):
    """The form is still empty, so there is nothing to save yet."""


def _clock_time(saved_at: str | None) -> str:
    if not saved_at:
        return "an unknown time"
    try:
        return datetime.fromisoformat(saved_at).astimezone().strftime("%H:%M:%S")
    except ValueError:
        return saved_at


class PromptWidget(widgets.VBox):
    """The common frame of every prompt form: question, controls, *Save answer*, status.

    Parameters
    ----------
    prompt : Prompt
        The prompt to answer.

    Attributes
    ----------
    save_button : ipywidgets.Button
        *Save answer*.
    status : ipywidgets.HTML
        The status line; its text is also in ``status_text``.
    last_error : Exception or None
        Why the last save failed (None after a successful save).
    last_entry : dict or None
        The journal entry returned by the last successful save.
    """

    def __init__(self, prompt: Prompt):
        super().__init__()
        self.prompt = prompt
        self._loading = False
        self.status_text = ""
        self.last_error: Exception | None = None
        self.last_entry: dict[str, Any] | None = None
        description = (
            f"<p><em>{inline_html(prompt.description.strip())}</em></p>" if prompt.description.strip() else ""
        )
        heading = widgets.HTML(
            f"<h4>{html.escape(prompt.title)}</h4><p>{inline_html(prompt.question.strip())}</p>{description}"
        )
        heading.add_class("workshop-question")
        self.save_button = widgets.Button(
            description="Save answer",
            tooltip="Save your answer to the journal file on this computer",
            icon="save",
        )
        self.save_button.add_class("workshop-save")
        self.save_button.on_click(lambda _button: self.save())
        self.status = widgets.HTML()
        self.status.add_class("workshop-status")
        footer = widgets.HBox([self.save_button, self.status])
        self.children = [heading, *self._build(), footer]
        self.add_class("workshop-prompt")
        self.add_class(f"workshop-{prompt.kind}")
        self.add_class(f"workshop-prompt-id-{prompt.lesson}-{prompt.prompt_id}")
        self._restore()

    # subclasses fill these in

    def _build(self) -> list[widgets.Widget]:
        raise NotImplementedError

    def current_answer(self) -> Any:
        """The answer the form shows now (raises NothingToSave while it is empty)."""
        raise NotImplementedError

    def _show_answer(self, answer: Any) -> None:
        raise NotImplementedError

    def _after_save(self, entry: dict[str, Any]) -> None:
        """Hook run after a save or a restore."""

    # shared behaviour

    def _set_status(self, text: str, state: str) -> None:
        for name in ("saved", "error", "info"):
            self.status.remove_class(f"workshop-status-{name}")
        self.status.add_class(f"workshop-status-{state}")
        self.status_text = text
        self.status.value = f'<span role="status" aria-live="polite">{html.escape(text)}</span>'

    def _on_change(self, change: dict[str, Any]) -> None:
        if not self._loading:
            self.save()

    def save(self) -> dict[str, Any] | None:
        """Save the current answer now; returns the journal entry, or None if nothing was saved."""
        try:
            answer = self.current_answer()
        except NothingToSave as exc:
            self._set_status(str(exc), "info")
            return None
        return self._save(answer)

    def _save(self, answer: Any) -> dict[str, Any] | None:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                entry = self.prompt.save(answer)
        except Exception as exc:  # shown in the form, never swallowed silently
            self.last_error = exc
            kind = "" if isinstance(exc, (ValueError, TypeError)) else f"{type(exc).__name__}: "
            self._set_status(f"⚠ Not saved: {kind}{exc}", "error")
            return None
        notes = self._sort_warnings(caught)
        self.last_error, self.last_entry = None, entry
        where = self.prompt.get_journal().path.name
        self._set_status(f"✓ Saved at {_clock_time(entry['saved_at'])} in {where}.{notes}", "saved")
        self._after_save(entry)
        return entry

    @staticmethod
    def _sort_warnings(caught: list[warnings.WarningMessage]) -> str:
        notes = ""
        for item in caught:
            if issubclass(item.category, JournalRecoveryWarning):
                notes += f" Note: {item.message}"
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
        return notes

    def _restore(self) -> None:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                entry = self.prompt.saved_entry()
        except Exception as exc:
            self.last_error = exc
            self._set_status(f"⚠ Could not read your journal: {exc}", "error")
            return
        notes = self._sort_warnings(caught)
        if entry is None:
            self._set_status("Not saved yet: your answer is saved as soon as you give it." + notes, "info")
            return
        self._loading = True
        try:
            self._show_answer(entry["answer"])
        except (TypeError, ValueError, KeyError):
            self._set_status("Your earlier answer no longer fits this prompt; please answer again.", "info")
            return
        finally:
            self._loading = False
        self.last_entry = entry
        self._set_status(f"✓ Saved earlier, at {_clock_time(entry['saved_at'])}.{notes}", "saved")
        self._after_save(entry)


def _text_box(description: str, placeholder: str, tooltip: str, rows: int) -> widgets.Textarea:
    return widgets.Textarea(
        description=description,
        placeholder=placeholder,
        tooltip=tooltip,
        rows=rows,
        continuous_update=False,  # the value syncs, and is saved, when the learner leaves the box
        layout=widgets.Layout(width="100%"),
        style=_LABEL_STYLE,
    )


class ReflectionWidget(PromptWidget):
    """Free text: saved when the learner leaves the box or presses *Save answer*."""

    def _build(self) -> list[widgets.Widget]:
        self.text = _text_box(
            "Your answer",
            self.prompt.placeholder,
            "Your answer is saved when you leave this box or press Save answer",
            self.prompt.rows,
        )
        self.text.add_class("workshop-answer")
        self.text.observe(self._on_change, "value")
        return [self.text]

    def current_answer(self) -> str:
        """The text in the box."""
        if not self.text.value.strip():
            raise NothingToSave("Nothing to save yet: type your answer first.")
        return self.text.value

    def _show_answer(self, answer: Any) -> None:
        self.text.value = answer


class PollWidget(PromptWidget):
    """One choice among options, saved on change, with a text tally."""

    def _build(self) -> list[widgets.Widget]:
        self.choice = widgets.RadioButtons(
            options=list(self.prompt.options),
            value=None,
            description="Your choice",
            tooltip="Choose one option; it is saved at once",
            style=_LABEL_STYLE,
            layout=widgets.Layout(width="auto"),
        )
        self.choice.add_class("workshop-poll-options")
        self.choice.observe(self._on_change, "value")
        self.tally_html = widgets.HTML()
        self.tally_html.add_class("workshop-tally")
        self.tally_counts: dict[str, int] = {}
        self.refresh_button = widgets.Button(description="Refresh tally", tooltip="Count the answers again")
        self.refresh_button.add_class("workshop-tally-refresh")
        self.refresh_button.on_click(lambda _button: self.refresh_tally())
        return [self.choice, self.tally_html, self.refresh_button]

    def current_answer(self) -> str:
        """The chosen option."""
        if self.choice.value is None:
            raise NothingToSave("Nothing to save yet: choose an option first.")
        return self.choice.value

    def _show_answer(self, answer: Any) -> None:
        self.prompt.check_response(answer)
        self.choice.value = answer

    def _after_save(self, entry: dict[str, Any]) -> None:
        self.refresh_tally()

    def refresh_tally(self) -> dict[str, int]:
        """Count the votes again (own journal plus ``tally_from``) and show them as a text chart."""
        try:
            journals = self.prompt.tally_journals()
            counts = self.prompt.tally()
        except Exception as exc:
            self.tally_html.value = f"<p>⚠ Could not count the votes: {html.escape(str(exc))}</p>"
            return {}
        self.tally_counts = counts
        source = "your journal only" if len(journals) <= 1 else f"{len(journals)} journals"
        largest = max(counts.values(), default=0)
        rows = "".join(
            f"<tr><td>{html.escape(option)}</td><td style='text-align:right'>{count}</td>"
            f"<td aria-hidden='true'>{text_bar(count, largest, 12)}</td></tr>"
            for option, count in counts.items()
        )
        self.tally_html.value = (
            f"<table><caption>Tally ({source})</caption><tr><th scope='col'>Option</th>"
            f"<th scope='col'>Votes</th><th scope='col'><span class='sr-only'>Bar</span></th></tr>{rows}</table>"
        )
        return counts


class SpectrumWidget(PromptWidget):
    """A position on a labelled scale, saved on change, plus "Why there?"."""

    def _build(self) -> list[widgets.Widget]:
        p = self.prompt
        steps = int(round((p.maximum - p.minimum) / p.step))
        middle = p.minimum + (steps // 2) * p.step
        slider_class = widgets.IntSlider if p.integer_scale else widgets.FloatSlider
        cast = int if p.integer_scale else float
        self.slider = slider_class(
            value=cast(middle),
            min=cast(p.minimum),
            max=cast(p.maximum),
            step=cast(p.step),
            description=f"Position: {p.minimum:g} = {p.left}",
            tooltip=f"Drag, or use the arrow keys: {p.minimum:g} means {p.left}, {p.maximum:g} means {p.right}",
            continuous_update=False,
            readout=True,
            style=_LABEL_STYLE,
        )
        self.slider.add_class("workshop-spectrum-slider")
        self.slider.observe(self._on_move, "value")
        right = widgets.Label(f"{p.maximum:g} = {p.right}")
        right.add_class("workshop-spectrum-right")
        self.position_text = widgets.HTML()
        self.position_text.add_class("workshop-spectrum-position")
        self._describe()
        children: list[widgets.Widget] = [widgets.HBox([self.slider, right]), self.position_text]
        self.rationale = None
        if p.ask_rationale:
            self.rationale = _text_box(
                "Why there?",
                "What made you put it there?",
                "Your reasons are saved when you leave this box or press Save answer",
                3,
            )
            self.rationale.add_class("workshop-rationale")
            self.rationale.observe(self._on_change, "value")
            children.append(self.rationale)
        return children

    def _describe(self) -> None:
        position = self.prompt.describe_position(self.slider.value)
        self.position_text.value = f"<p>Your position: {html.escape(position)}.</p>"

    def _on_move(self, change: dict[str, Any]) -> None:
        self._describe()
        self._on_change(change)

    def current_answer(self) -> dict[str, Any]:
        """``{"value": position, "rationale": text}``."""
        return {"value": self.slider.value, "rationale": self.rationale.value if self.rationale else ""}

    def _show_answer(self, answer: Any) -> None:
        self.prompt.check_response(answer)
        self.slider.value = answer["value"]
        if self.rationale is not None:
            self.rationale.value = answer.get("rationale", "")
        self._describe()


class CanvasWidget(PromptWidget):
    """One text box per canvas field; the whole canvas is saved when any box is left."""

    def _build(self) -> list[widgets.Widget]:
        self.boxes: dict[str, widgets.Textarea] = {}
        for key, label, hint in self.prompt.fields:
            box = _text_box(label, hint, f"{label}: {hint} (saved when you leave the box)", 2)
            box.add_class("workshop-canvas-field")
            box.add_class(f"workshop-canvas-{key}")
            box.observe(self._on_change, "value")
            self.boxes[key] = box
        return list(self.boxes.values())

    def current_answer(self) -> dict[str, str]:
        """Field id to text, for every field."""
        answer = {key: box.value for key, box in self.boxes.items()}
        if not any(text.strip() for text in answer.values()):
            raise NothingToSave("Nothing to save yet: fill in at least one part of the canvas.")
        return answer

    def _show_answer(self, answer: Any) -> None:
        self.prompt.check_response(answer)
        for key, text in answer.items():
            self.boxes[key].value = text


class QuizWidget(PromptWidget):
    """Real or synthetic? Each choice is saved at once; *Check my answers* scores and explains."""

    def _build(self) -> list[widgets.Widget]:
        p = self.prompt
        n = len(p.items)
        self.toggles: list[widgets.ToggleButtons] = []
        self.explanations: list[widgets.HTML] = []
        self.result: QuizScore | None = None
        rows: list[widgets.Widget] = []
        for i, item in enumerate(p.items):
            if item.image is not None:
                content = item.image_html()
            else:
                content = f"<blockquote>{inline_html(item.text.strip())}</blockquote>"
            shown = widgets.HTML(f"<p><strong>Item {i + 1} of {n}</strong></p>{content}")
            toggle = widgets.ToggleButtons(
                options=list(p.choices),
                value=None,
                description=f"Item {i + 1}",
                tooltips=[f"Item {i + 1} is {c.lower()}" for c in p.choices],
                style={"button_width": "auto"},
            )
            toggle.add_class("workshop-quiz-choice")
            toggle.add_class(f"workshop-quiz-item-{i + 1}")
            toggle.observe(self._on_change, "value")
            explanation = widgets.HTML()
            explanation.add_class("workshop-quiz-explanation")
            self.toggles.append(toggle)
            self.explanations.append(explanation)
            rows.append(widgets.VBox([shown, toggle, explanation]))
        self.check_button = widgets.Button(
            description="Check my answers", tooltip="Score your answers against chance and show the explanations"
        )
        self.check_button.add_class("workshop-quiz-check")
        self.check_button.on_click(lambda _button: self.check())
        self.again_button = widgets.Button(description="Start again", tooltip="Clear your answers and try again")
        self.again_button.add_class("workshop-quiz-reset")
        self.again_button.on_click(lambda _button: self.start_again())
        self.score_html = widgets.HTML()
        self.score_html.add_class("workshop-quiz-score")
        return [*rows, widgets.HBox([self.check_button, self.again_button]), self.score_html]

    def _answers(self) -> list[str | None]:
        return [toggle.value for toggle in self.toggles]

    def current_answer(self) -> dict[str, Any]:
        """``{"answers": [...]}``, plus ``correct`` and ``total`` once checked."""
        answers = self._answers()
        if all(a is None for a in answers):
            raise NothingToSave("Nothing to save yet: answer at least one item first.")
        answer: dict[str, Any] = {"answers": answers}
        if self.result is not None:
            answer.update(correct=self.result.correct, total=self.result.total)
        return answer

    def check(self) -> QuizScore | None:
        """Score the answers (all items must be answered), save the score and reveal the answers."""
        answers = self._answers()
        missing = [str(i + 1) for i, a in enumerate(answers) if a is None]
        if missing:
            self._set_status(f"Answer every item first: item(s) {', '.join(missing)} have no answer yet.", "info")
            return None
        score = self.prompt.score(answers)
        self._reveal(score)
        self._save({"answers": answers, "correct": score.correct, "total": score.total})
        return score

    def _reveal(self, score: QuizScore) -> None:
        self.result = score
        self.score_html.value = f'<p role="status"><strong>{html.escape(score.message)}</strong></p>'
        for toggle, explanation, item in zip(self.toggles, self.explanations, self.prompt.items):
            right = toggle.value == item.answer
            verdict = "✓ right" if right else "✗ wrong"
            why = f" {inline_html(item.explanation.strip())}" if item.explanation.strip() else ""
            explanation.value = (
                f"<p><strong>Answer: {html.escape(item.answer)}.</strong> "
                f"You said {html.escape(str(toggle.value))}: {verdict}.{why}</p>"
            )
            toggle.disabled = True
        self.check_button.disabled = True

    def start_again(self) -> None:
        """Clear the answers, the score and the explanations, and save the cleared quiz."""
        self._loading = True
        try:
            for toggle, explanation in zip(self.toggles, self.explanations):
                toggle.disabled = False
                toggle.value = None
                explanation.value = ""
        finally:
            self._loading = False
        self.result = None
        self.score_html.value = ""
        self.check_button.disabled = False
        self._save({"answers": [None] * len(self.toggles)})

    def _show_answer(self, answer: Any) -> None:
        answer = self.prompt.check_response(answer)
        for toggle, given in zip(self.toggles, answer["answers"]):
            toggle.value = given
        if "correct" in answer and None not in answer["answers"]:
            self._reveal(self.prompt.score(answer["answers"]))
