"""The breakout notebook's one panel: one case, its core question, the canvas and the room's prompts.

A room opens one thing. :func:`breakout` shows the case of a breakout round
(from the run sheet, or any case the facilitator names) and nothing else: the
content note first, the title, the reading time (at about 200 words a minute),
the summary and the ethical nuance, the **core question**, a room timer that
starts by itself, the five prompts of :mod:`workshop_utils.session.prompts`,
and the ways to share answers with the facilitator
(:mod:`workshop_utils.session.shareback`): a *Share* box when a share folder
is set, and a share code otherwise. The case's sources and its other questions
stay folded away under "More".

On Binder the panel says that a session ends after about 10 minutes without
activity, that the running room timer counts as activity, and how to keep the
answers (see :func:`on_binder`).

Stable CSS classes: ``workshop-breakout`` (the panel), ``workshop-breakout-round``
(the round picker), ``workshop-breakout-case``, ``workshop-breakout-core``,
``workshop-breakout-share`` (the Share box), ``workshop-breakout-share-status``,
``workshop-breakout-code`` and ``workshop-breakout-code-button``,
``workshop-breakout-binder``.

Example
-------
::

    from workshop_utils.session import breakout
    breakout(round=1)                    # the run sheet's round-1 case
    breakout(case="uk-ceo-voice-fraud")  # any case of the library

Used in: lessons/breakout.ipynb.
"""

from __future__ import annotations

import html
import os
from typing import Any

from .._validate import _describe, check_choice
from ..cases import Case, default_library, schema
from ..cases.views import CORE_LABEL, CaseCard, reading_note
from ..discussion.base import MODES, LiveOrStatic, inline_html
from . import plan
from .prompts import LESSON, breakout_prompts, prompt_ids
from .shareback import ShareCode, SharingJournal, share_path_for, withdraw

__all__ = ["BINDER_NOTE", "Breakout", "BreakoutPicker", "breakout", "on_binder"]

#: What a participant on Binder needs to know (sources: the mybinder.org user guide and its deployment's
#: configuration; see docs/facilitator_guide.md, "Binder and online rooms").
BINDER_NOTE = (
    "**You are on Binder.** A Binder session shuts down after about 10 minutes without activity and keeps "
    "nothing. While the room timer below runs, your session counts as active, so start it (it starts by itself) "
    "and keep this tab open. Before you leave, download `workshop_journal.json` (right-click it in the file "
    "browser, *Download*)."
)


def on_binder() -> bool:
    """True inside a Binder session (BinderHub sets ``BINDER_REPO_URL`` and ``BINDER_LAUNCH_HOST``)."""
    return bool(os.environ.get("BINDER_REPO_URL") or os.environ.get("BINDER_LAUNCH_HOST"))


def _h(text: Any) -> str:
    return html.escape(str(text), quote=True)


class Breakout(LiveOrStatic):
    """One breakout round on one case (see the module docstring).

    Parameters
    ----------
    case : str, optional
        A case id; default: the case of ``round`` in the run sheet.
    round : int
        The run sheet's breakout round (1 or 2), used when ``case`` is not given.
    journal : path, optional
        The participant's journal (see :func:`~workshop_utils.discussion.journal.journal_path`).
    share : path, optional
        The share folder; default ``$WORKSHOP_SHARE_DIR`` (none: share codes only).
    minutes : float, optional
        Room time; default the round's minutes in the run sheet (20 for a case outside it).
    mode : {"auto", "live", "static"}
        As for the prompts.
    """

    def __init__(self, case: str | None = None, *, round: int = 1, journal: Any = None, share: Any = None,
                 minutes: float | None = None, mode: str = "auto", id_file: Any = None):
        sheet = plan.default()
        if case is None:
            chosen = sheet.round(round)
            case, default_minutes = chosen.case, chosen.minutes
        else:
            if not isinstance(case, str):
                raise TypeError(f"case must be a case id such as 'wolf-news', got {_describe(case)}")
            default_minutes = next((r.minutes for r in sheet.rounds if r.case == case), 20)
        self.case: Case = default_library().get(case)
        self.round = round
        self.minutes = default_minutes if minutes is None else minutes
        self.mode = check_choice("mode", mode, MODES)
        self.share_path = share_path_for(share, id_file)
        self.journal = SharingJournal(journal, share_path=self.share_path, on_share=self._on_share)
        self.prompts = breakout_prompts(self.case, journal=self.journal, mode=mode)
        self._widget: Any = None

    # sharing

    @property
    def sharing(self) -> bool:
        """Whether new answers are copied to the share folder."""
        return self.journal.sharing

    def set_sharing(self, on: bool) -> str:
        """Turn sharing on (sharing the answers given so far) or off (withdrawing them); returns the status."""
        if not isinstance(on, bool):
            raise TypeError(f"on must be True or False, got {_describe(on)}")
        if self.share_path is None:
            self.journal.sharing = False
            return self._status("No share folder is set: use your share code instead.")
        self.journal.sharing = on
        ids = set(prompt_ids(self.case.id).values())
        if on:
            given = [e for e in self.journal.entries() if e["lesson"] == LESSON and e["prompt"] in ids]
            self.journal.share(given)
            return self._share_status()
        removed = withdraw(self.share_path, LESSON, ids)
        return self._status(f"Not sharing. {removed} answer(s) you had shared were withdrawn from the share folder.")

    def _share_status(self) -> str:
        if self.journal.last_share_error is not None:
            return self._status(f"⚠ Not shared: {self.journal.last_share_error}. Your answers are still saved in "
                                "your journal; use your share code instead.")
        if self.journal.last_shared:
            return self._status(f"✓ Shared with the facilitator at {self.journal.last_shared}. New answers are "
                                "shared as you save them; untick to withdraw them.")
        return self._status("Sharing is on: your answers are shared as you save them.")

    def _on_share(self, _journal: SharingJournal) -> None:
        self._share_status()

    def _status(self, text: str) -> str:
        if self._widget is not None:
            self.share_status.value = f'<span role="status" aria-live="polite">{_h(text)}</span>'
        self.status_text = text
        return text

    def share_code(self) -> str:
        """This participant's share code for the case (from the answers saved so far)."""
        return str(ShareCode.for_case(self.case.id, self.journal))

    # rendering

    def _card_markdown(self) -> str:
        c = self.case
        lines = []
        if c.content_warning:
            lines += [f"> ⚠️ **Content warning:** {c.content_warning}", ""]
        lines += [f"### {c.title} ({c.year})", "", f"*{reading_note(c)}*", "", c.summary, "",
                  f"**Ethical nuance.** {c.nuance}", "", f"**{CORE_LABEL}:** {c.core}", ""]
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """The breakout as Markdown (a handout when there is no kernel)."""
        lines = [f"## Breakout: {self.case.short_title} ({self.minutes:g} minutes)", ""]
        if on_binder():
            lines += [BINDER_NOTE, ""]
        lines.append(self._card_markdown())
        for prompt in self.prompts.values():
            lines.append(prompt.to_markdown())
        lines += ["**Share with the facilitator:** tick *Share* in the live notebook, or give your share code.", ""]
        return "\n".join(lines)

    def to_html(self) -> str:
        """The breakout as static HTML."""
        prompts = "".join(p.to_html() for p in self.prompts.values())
        return (f'<section class="workshop-breakout workshop-static">{self._card_html()}{prompts}</section>')

    def _card_html(self) -> str:
        c = self.case
        warning = (f'<div role="note" aria-label="Content warning" style="border-left:5px solid #D55E00;'
                   f'padding:0.4em 0.7em;font-weight:600">⚠️ Content warning: {_h(c.content_warning)}</div>'
                   if c.content_warning else "")
        others = "".join(f"<li>{_h(q)}</li>" for i, q in enumerate(c.questions, 1) if i != c.core_question)
        sources = "".join(f'<li><a href="{_h(s.url)}" target="_blank" rel="noopener noreferrer">{_h(s.outlet)}</a></li>'
                          for s in c.sources)
        return (
            f'<article class="workshop-breakout-case tex2jax_ignore mathjax_ignore">{warning}'
            f"<h3>{_h(c.title)} ({c.year})</h3>"
            f"<p><em>{_h(reading_note(c))}</em> · {_h(schema.DOMAINS[c.domain])} · {_h(c.when)}</p>"
            f"<p>{_h(c.summary)}</p><p><strong>Ethical nuance.</strong> {_h(c.nuance)}</p>"
            f'<p class="workshop-breakout-core" style="font-size:1.15em;border:2px solid #0072B2;padding:0.5em">'
            f"<strong>{CORE_LABEL}:</strong> {_h(c.core)}</p>"
            f"<details><summary>More: other questions, if you finish early, and the sources</summary>"
            f"<ol>{others}</ol><ul>{sources}</ul></details></article>"
        )

    def widget(self) -> Any:
        """The live panel (built once)."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as widgets

        from ..discussion.timer import DiscussionTimer

        parts: list[Any] = []
        if on_binder():
            note = widgets.HTML(f"<p>{inline_html(BINDER_NOTE)}</p>")
            note.add_class("workshop-breakout-binder")
            parts.append(note)
        parts.append(widgets.HTML(self._card_html()))
        self.timer = DiscussionTimer(self.minutes, label=f"Room time: {self.case.short_title}", start=True)
        parts.append(self.timer)
        parts += [p.widget() for p in self.prompts.values()]
        self.share_status = widgets.HTML()
        self.share_status.add_class("workshop-breakout-share-status")
        self.share_box = widgets.Checkbox(
            value=self.sharing, indent=False, disabled=self.share_path is None,
            description="Share my answers to this case with the facilitator (shown without names)",
            tooltip="Copies your answers to the session's share folder; untick to withdraw them")
        self.share_box.add_class("workshop-breakout-share")
        self.share_box.observe(lambda change: self.set_sharing(bool(change["new"])), "value")
        self.code_button = widgets.Button(description="Show my share code", icon="hashtag",
                                          tooltip="A short code with your poll and spectrum answers, to paste "
                                                  "into the chat")
        self.code_button.add_class("workshop-breakout-code-button")
        self.code_html = widgets.HTML()
        self.code_html.add_class("workshop-breakout-code")
        self.code_button.on_click(lambda _b: self._show_code())
        parts += [widgets.HTML("<h4>Share with the facilitator</h4>"), self.share_box, self.share_status,
                  widgets.HBox([self.code_button, self.code_html])]
        self._widget = widgets.VBox(parts)
        self._widget.add_class("workshop-breakout")
        if self.share_path is None:
            self._status("No share folder is set here (Binder or your own laptop): if the facilitator asks, paste "
                         "your share code into the chat.")
        else:
            self._share_status() if self.sharing else self._status("Not sharing yet: tick the box to share.")
        return self._widget

    def _show_code(self) -> str:
        code = self.share_code()
        self.code_html.value = f'<code style="font-size:1.3em">{_h(code)}</code> <span>(paste it into the chat)</span>'
        return code


def breakout(case: str | None = None, *, round: int = 1, journal: Any = None, share: Any = None,
             minutes: float | None = None, mode: str = "auto") -> Breakout:
    """The breakout panel for one round (see :class:`Breakout`); display it as a cell's last line."""
    return Breakout(case, round=round, journal=journal, share=share, minutes=minutes, mode=mode)


class BreakoutPicker:
    """A round picker above the breakout panel: the run sheet's rounds first, then every other case.

    Changing the choice shows the panel of the chosen case (a new room timer
    starts). Answers already given stay in the journal.

    Parameters
    ----------
    round : int
        The round shown first.
    journal, share, mode
        Passed to each :class:`Breakout`.
    """

    def __init__(self, *, round: int = 1, journal: Any = None, share: Any = None, mode: str = "auto"):
        self.journal, self.share, self.mode = journal, share, check_choice("mode", mode, MODES)
        sheet = plan.default()
        library = default_library()
        self.choices: list[tuple[str, tuple[str, int]]] = [
            (f"Round {r.round}: {library.get(r.case).short_title}", (r.case, r.round)) for r in sheet.rounds
        ]
        in_rounds = {r.case for r in sheet.rounds}
        self.choices += [(f"Another case: {c.short_title}", (c.id, 0)) for c in library if c.id not in in_rounds]
        first = sheet.round(round)
        self.current = Breakout(first.case, round=first.round, journal=journal, share=share, mode=mode)
        self._widget: Any = None

    def choose(self, case_id: str) -> Breakout:
        """Show the breakout of ``case_id`` (one of :attr:`choices`)."""
        number = next((n for _, (c, n) in self.choices if c == case_id), None)
        if number is None:
            raise KeyError(f"case_id {case_id!r} is not one of the picker's cases")
        self.current = Breakout(case_id, round=number or 1, journal=self.journal, share=self.share, mode=self.mode)
        if self._widget is not None:
            self.box.children = [self.current.widget()]
        return self.current

    def widget(self) -> Any:
        """The picker and the current panel."""
        if self._widget is None:
            import ipywidgets as widgets

            self.dropdown = widgets.Dropdown(
                options=[(label, case) for label, (case, _) in self.choices], value=self.current.case.id,
                description="Breakout", tooltip="The facilitator tells you which round (or case) to open",
                style={"description_width": "initial"}, layout=widgets.Layout(width="32em"))
            self.dropdown.add_class("workshop-breakout-round")
            self.dropdown.observe(lambda change: self.choose(change["new"]), "value")
            self.box = widgets.VBox([self.current.widget()])
            self._widget = widgets.VBox([self.dropdown, self.box])
        return self._widget

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        from ..discussion.base import resolve_mode

        if resolve_mode(self.mode) == "live":
            bundle = dict(self.widget()._repr_mimebundle_())
            bundle["text/plain"] = self.current.to_markdown()
            return bundle
        return self.current._repr_mimebundle_()
