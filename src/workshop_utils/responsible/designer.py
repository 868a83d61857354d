"""The label designer: try label styles and wordings on a generated image, and say why you chose one.

:class:`LabelDesigner` is a discussion prompt (lesson 09): it shows a
generated or manipulated image with a disclosure label stamped on it
(:func:`workshop_utils.responsible.labels.stamp_label`), lets the learner
switch between the three styles (overlay, caption, interstitial) and between
wordings (or write their own), and saves the choice and the reasoning to the
learner's journal as soon as they are given, like every other prompt
(:mod:`workshop_utils.discussion`). The journal stores it as a ``canvas``
answer with the fields ``style``, ``wording`` and ``reasoning``.

Outside a kernel it renders statically: the image in each style, and the
question, for a handout or a rendered site.

Example
-------
::

    from workshop_utils.responsible.designer import LabelDesigner

    LabelDesigner("09", "my-label", "Which label would you put on this swapped face, and why?",
                  image=swapped_face, alt="A cartoon face with a swapped identity").show()

Used in: lessons/09_labels.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..discussion.base import Prompt, check_strings, check_text
from ..discussion.journal import check_answer
from .labels import MAX_LABEL_CHARS, STYLES, WORDINGS, LabelledImage, as_rgb, stamp_label

__all__ = ["DESIGNER_FIELDS", "LabelDesigner"]

#: How a label-designer answer is stored (field id, label).
DESIGNER_FIELDS: tuple[tuple[str, str], ...] = (
    ("style", "Label style"),
    ("wording", "Wording"),
    ("reasoning", "Why this label"),
)


@dataclass
class LabelDesigner(Prompt):
    """Choose a style and a wording for a disclosure label on ``image``, and explain the choice.

    Parameters
    ----------
    lesson, prompt_id, question
        See :class:`workshop_utils.discussion.base.Prompt`.
    image : array-like
        The image to label (see :func:`workshop_utils.responsible.labels.as_rgb`).
    alt : str
        What the image shows, for screen readers.
    wordings : list of str
        The wordings offered (the learner may also write their own).
    model : str
        The model card's name of the model that made the image.
    """

    image: Any = field(default=None, compare=False)
    alt: str = field(default="", kw_only=True)
    wordings: tuple[str, ...] = field(default=tuple(text for _, text in WORDINGS), kw_only=True)
    model: str = field(default="", kw_only=True)

    kind: ClassVar[str] = "canvas"
    title: ClassVar[str] = "Label designer"

    def _check(self) -> None:
        if self.image is None:
            raise TypeError("image is required: the generated image the label goes on")
        self.image = as_rgb(self.image)
        check_text("alt", self.alt, limit=300)
        check_text("model", self.model, limit=64)
        self.wordings = check_strings("wordings", self.wordings, minimum=1, maximum=12)
        for i, wording in enumerate(self.wordings):
            if len(wording) > MAX_LABEL_CHARS:
                raise ValueError(f"wordings[{i}] must be at most {MAX_LABEL_CHARS} characters, got {len(wording)}")

    def _new_form(self) -> Any:
        from ._designer_form import LabelDesignerWidget  # ipywidgets loads only when the form is shown

        return LabelDesignerWidget(self)

    def details(self) -> dict[str, Any]:
        """The field labels and the image description, so the export reads on its own."""
        return {"fields": [list(item) for item in DESIGNER_FIELDS], "image": self.alt}

    def check_response(self, answer: Any) -> Any:
        """The answer is ``{"style": one of STYLES, "wording": text, "reasoning": text}``."""
        answer = check_answer(self.kind, answer)
        unknown = sorted(set(answer) - {key for key, _ in DESIGNER_FIELDS})
        if unknown:
            raise ValueError(f"answer has unknown field(s) {unknown}; fields: {[k for k, _ in DESIGNER_FIELDS]}")
        if "style" not in answer or answer["style"] not in STYLES:
            raise ValueError(f"answer['style'] must be one of {', '.join(STYLES)}; got {answer.get('style')!r}")
        wording = " ".join(answer.get("wording", "").split())
        if not wording:
            raise ValueError("answer['wording'] must not be empty: a label has to say something")
        if len(wording) > MAX_LABEL_CHARS:
            raise ValueError(f"answer['wording'] must be at most {MAX_LABEL_CHARS} characters, got {len(wording)}")
        return {"style": answer["style"], "wording": wording, "reasoning": answer.get("reasoning", "")}

    def preview(self, style: str = "overlay", wording: str | None = None) -> LabelledImage:
        """The image with a label of this style and wording (the first wording by default)."""
        return stamp_label(self.image, self.wordings[0] if wording is None else wording, style,
                           model=self.model, alt=self.alt)

    def chosen(self) -> LabelledImage | None:
        """The labelled image the learner last saved, or None if they have not chosen yet."""
        entry = self.saved_entry()
        if entry is None:
            return None
        answer = self.check_response(entry["answer"])
        return self.preview(answer["style"], answer["wording"])

    # -- static rendering ------------------------------------------------------------------------------

    def _previews(self) -> list[tuple[str, str]]:
        return [(style, base64.b64encode(self.preview(style).png_bytes()).decode("ascii")) for style in STYLES]

    def _body_markdown(self) -> list[str]:
        lines = []
        for style, encoded in self._previews():
            lines += [f"**{style.capitalize()}:**", "", f"![{self.alt or 'The image'}, labelled as an {style}]"
                      f"(data:image/png;base64,{encoded})", ""]
        lines += ["✎ _Wordings to try:_ " + "; ".join(f"“{w}”" for w in self.wordings), "",
                  "✎ _Which style and wording would you use, and why?_", ""]
        return lines

    def _body_html(self) -> str:
        figures = "".join(
            f'<figure style="display:inline-block;margin:0.3em"><img src="data:image/png;base64,{encoded}" '
            f'alt="{html.escape(self.alt or "The image")}, labelled as an {style}" width="192">'
            f"<figcaption>{style.capitalize()}</figcaption></figure>"
            for style, encoded in self._previews())
        wordings = "".join(f"<li>{html.escape(w)}</li>" for w in self.wordings)
        return f'<div class="workshop-label-previews">{figures}</div><p>Wordings to try:</p><ul>{wordings}</ul>'

    def _grading_instructions(self) -> str:
        return "Name the style and the wording you choose, and explain your choice in two or three sentences."
