"""The live ipywidgets form of :class:`workshop_utils.responsible.headlines.HeadlineRating`.

Built on :class:`workshop_utils.discussion.widgets.PromptWidget`: each rating
is saved to the journal the moment it is given, and restored when the cell
runs again. Labelled headlines show the warning in text (not only colour).

CSS classes: ``workshop-headline`` (each headline), ``workshop-headline-labelled``
(those with the warning), ``workshop-headline-rating`` (its rating buttons).

Used in: workshop_utils.responsible.headlines (``HeadlineRating.widget``).
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from ..discussion.widgets import NothingToSave, PromptWidget

__all__ = ["HeadlineRatingWidget"]


class HeadlineRatingWidget(PromptWidget):
    """One row of rating buttons per headline; the learner's version decides which carry the label."""

    def _build(self) -> list[widgets.Widget]:
        p = self.prompt
        shown = set(p.labelled())
        low, high = p.details()["scale"]
        choices = [str(v) for v in range(low, high + 1)]
        intro = widgets.HTML(f"<p><em>{low} = not at all accurate, {high} = very accurate. "
                             f"You see version {html.escape(p.assigned_version())} of the experiment.</em></p>")
        self.ratings: list[widgets.ToggleButtons] = []
        rows: list[widgets.Widget] = [intro]
        for i, headline in enumerate(p.headlines):
            warning = (f'<div style="border-left:4px solid #D55E00;padding-left:0.5em">⚠ <strong>'
                       f"{html.escape(p.label)}</strong></div>") if i in shown else ""
            text = widgets.HTML(f"<p><strong>{i + 1}. {html.escape(headline)}</strong></p>{warning}")
            buttons = widgets.ToggleButtons(options=choices, value=None, description=f"Headline {i + 1}",
                                            tooltips=[f"Rate {c}" for c in choices],
                                            style={"button_width": "2.5em", "description_width": "initial"})
            buttons.add_class("workshop-headline-rating")
            buttons.observe(self._on_change, "value")
            row = widgets.VBox([text, buttons])
            row.add_class("workshop-headline")
            if i in shown:
                row.add_class("workshop-headline-labelled")
            self.ratings.append(buttons)
            rows.append(row)
        return rows

    def current_answer(self) -> dict[str, str]:
        """``{"version": ..., "h1": "1".."5" or "", ...}``."""
        values = [b.value for b in self.ratings]
        if all(v is None for v in values):
            raise NothingToSave("Nothing to save yet: rate at least one headline first.")
        answer = {"version": self.prompt.assigned_version()}
        answer.update({f"h{i + 1}": v or "" for i, v in enumerate(values)})
        return answer

    def _show_answer(self, answer: Any) -> None:
        answer = self.prompt.check_response(answer)
        for i, buttons in enumerate(self.ratings):
            buttons.value = answer.get(f"h{i + 1}") or None
