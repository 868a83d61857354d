"""The live ipywidgets form of :class:`workshop_utils.responsible.designer.LabelDesigner`.

Built on :class:`workshop_utils.discussion.widgets.PromptWidget`, so it saves,
restores and reports "Saved at ..." exactly like every other prompt. Every
change of style or wording redraws the preview and is saved at once; the
reasoning is saved when the learner leaves the box (or presses *Save answer*).

CSS classes: ``workshop-label-style`` (style buttons), ``workshop-label-wording``
(wording menu), ``workshop-label-custom`` (own wording), ``workshop-label-preview``
(the image), ``workshop-label-reasoning`` (why).

Used in: workshop_utils.responsible.designer (``LabelDesigner.widget``).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ..discussion.widgets import NothingToSave, PromptWidget
from .labels import STYLES

__all__ = ["OWN_WORDING", "LabelDesignerWidget"]

#: The menu entry that switches to the learner's own wording.
OWN_WORDING = "Write my own…"
_STYLE = {"description_width": "initial"}


class LabelDesignerWidget(PromptWidget):
    """Style buttons, wording menu (or own words), a live preview, and "why"."""

    def _build(self) -> list[widgets.Widget]:
        p = self.prompt
        self.style_buttons = widgets.ToggleButtons(
            options=list(STYLES), value=STYLES[0], description="Style",
            tooltips=["A band over the image", "A caption below the image", "A warning screen in front of the image"],
            style={"button_width": "auto", "description_width": "initial"},
        )
        self.style_buttons.add_class("workshop-label-style")
        self.wording_menu = widgets.Dropdown(
            options=[*p.wordings, OWN_WORDING], value=p.wordings[0], description="Wording",
            tooltip="Choose a wording, or write your own", style=_STYLE, layout=widgets.Layout(width="32em"),
        )
        self.wording_menu.add_class("workshop-label-wording")
        self.own_wording = widgets.Text(
            value="", placeholder="Your own wording (used when the menu says 'Write my own…')",
            description="Your wording", tooltip="At most 120 characters", continuous_update=False,
            style=_STYLE, layout=widgets.Layout(width="32em"),
        )
        self.own_wording.add_class("workshop-label-custom")
        self.preview = widgets.Image(format="png", width=256)
        self.preview.add_class("workshop-label-preview")
        self.preview_note = widgets.HTML()
        self.reasoning = widgets.Textarea(
            description="Why this label?", placeholder="Who will see it, what should they understand, what could go wrong?",
            tooltip="Saved when you leave this box or press Save answer", rows=3, continuous_update=False,
            layout=widgets.Layout(width="100%"), style=_STYLE,
        )
        self.reasoning.add_class("workshop-label-reasoning")
        for control in (self.style_buttons, self.wording_menu, self.own_wording):
            control.observe(self._on_design, "value")
        self.reasoning.observe(self._on_change, "value")
        self._redraw()
        return [self.style_buttons, self.wording_menu, self.own_wording, self.preview, self.preview_note,
                self.reasoning]

    def wording(self) -> str:
        """The wording the form shows now."""
        if self.wording_menu.value == OWN_WORDING:
            return " ".join(self.own_wording.value.split())
        return self.wording_menu.value

    def _redraw(self) -> None:
        wording = self.wording()
        if not wording:
            self.preview_note.value = "<p>Write your wording to see it on the image.</p>"
            return
        try:
            labelled = self.prompt.preview(self.style_buttons.value, wording)
        except (TypeError, ValueError) as exc:
            self.preview_note.value = f"<p>⚠ {exc}</p>"
            return
        self.labelled = labelled
        self.preview.value = labelled.png_bytes()
        self.preview_note.value = (f"<p><em>Preview: {self.prompt.alt or 'the image'}, with the label "
                                   f"“{wording}” as {self.style_buttons.value}.</em></p>")

    def _on_design(self, change: dict[str, Any]) -> None:
        self._redraw()
        self._on_change(change)

    def current_answer(self) -> dict[str, str]:
        """``{"style", "wording", "reasoning"}`` as the form shows them."""
        wording = self.wording()
        if not wording:
            raise NothingToSave("Nothing to save yet: write your wording first.")
        return {"style": self.style_buttons.value, "wording": wording, "reasoning": self.reasoning.value}

    def _show_answer(self, answer: Any) -> None:
        answer = self.prompt.check_response(answer)
        self.style_buttons.value = answer["style"]
        if answer["wording"] in self.prompt.wordings:
            self.wording_menu.value = answer["wording"]
        else:
            self.wording_menu.value = OWN_WORDING
            self.own_wording.value = answer["wording"]
        self.reasoning.value = answer["reasoning"]
        self._redraw()
