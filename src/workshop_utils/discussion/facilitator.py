"""The facilitator's view: the rooms of the current round, the prompt to discuss, and a timer.

:class:`FacilitatorView` has a *New round* button that re-shuffles the rooms
with as few repeated pairs as possible. Like the prompts, it renders live in
JupyterLab and as static Markdown/HTML elsewhere; ipywidgets is loaded only
when the live view is built.

Stable CSS classes: ``workshop-facilitator`` (the view), ``workshop-rooms``
(the room list), ``workshop-facilitator-prompt``, ``workshop-next-round``
(the *New round* button); the timer's classes are listed in
:mod:`workshop_utils.discussion.timer`.

Example
-------
::

    from workshop_utils.discussion import FacilitatorView

    FacilitatorView(["Ana", "Ben", "Cai", "Dee", "Eli", "Fay", "Gus"], seed=1, minutes=8,
                    prompt="Who should label synthetic media?").show()

Used in: the facilitator's guide.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .._validate import _describe, check_number, check_path
from .base import MODES, LiveOrStatic, Prompt, inline_html
from .rooms import PairHistory, Rooms, check_names, split_into_rooms

__all__ = ["FacilitatorView"]


class FacilitatorView(LiveOrStatic):
    """The rooms of the current round, the prompt to discuss, and a timer.

    Parameters
    ----------
    names : list of str, optional
        Everyone taking part; needed for *New round*.
    rooms : Rooms, optional
        Rooms made earlier (otherwise they are made from ``names``).
    prompt : Prompt or str, optional
        What the rooms discuss.
    minutes : float
        Length of the discussion timer.
    min_size, max_size : int
        Room sizes (see :func:`workshop_utils.discussion.rooms.room_sizes`).
    seed : int, optional
        Seed of the splits.
    history : PairHistory, str or Path, optional
        Earlier rounds; a path is read if it exists, and every new round is saved to it.
    mode : {"auto", "live", "static"}
        As for the prompts.
    clock : callable, optional
        Passed to the timer.
    """

    def __init__(
        self,
        names: Sequence[str] | None = None,
        *,
        rooms: Rooms | None = None,
        prompt: Prompt | str | None = None,
        minutes: float = 5,
        min_size: int = 3,
        max_size: int = 4,
        seed: int | None = None,
        history: PairHistory | str | Path | None = None,
        mode: str = "auto",
        clock: Callable[[], float] | None = None,
    ):
        if names is None and rooms is None:
            raise ValueError("FacilitatorView needs names (a list of people) or rooms (a Rooms)")
        if rooms is not None and not isinstance(rooms, Rooms):
            raise TypeError(f"rooms must be a Rooms (from split_into_rooms), got {_describe(rooms)}")
        if prompt is not None and not isinstance(prompt, (Prompt, str)):
            raise TypeError(f"prompt must be a workshop prompt or text, got {_describe(prompt)}")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(map(repr, MODES))}; got {mode!r}")
        self.names = check_names(names) if names is not None else None
        self.prompt = prompt
        self.minutes = check_number("minutes", minutes, minimum=0, strict_minimum=True)
        self.min_size, self.max_size, self.seed = min_size, max_size, seed
        self.history_path = check_path("history", history) if isinstance(history, (str, os.PathLike)) else None
        if isinstance(history, PairHistory):
            self.history = history
        elif self.history_path is not None:
            self.history = PairHistory.load(self.history_path)
        elif history is None:
            self.history = PairHistory()
        else:
            raise TypeError(f"history must be a PairHistory or a file path, got {_describe(history)}")
        self.mode = mode
        self._clock = clock
        self._widget: Any = None
        self.rooms = rooms if rooms is not None else self._new_rooms()

    def _new_rooms(self) -> Rooms:
        if self.names is None:
            raise ValueError("a new round needs the names of everyone taking part; pass names=")
        if self.history_path is None:
            rooms = split_into_rooms(
                self.names, min_size=self.min_size, max_size=self.max_size, seed=self.seed, history=self.history
            )
        else:  # read, add the round and save under the file's lock: other facilitators' rounds are kept
            with PairHistory.updating(self.history_path) as history:
                rooms = split_into_rooms(
                    self.names, min_size=self.min_size, max_size=self.max_size, seed=self.seed, history=history
                )
            self.history = history
        self.seed = rooms.seed
        return rooms

    def next_round(self) -> Rooms:
        """Make the next round's rooms (fewest repeated pairs) and show them."""
        self.rooms = self._new_rooms()
        if self._widget is not None:
            self.rooms_html.value = self._rooms_html()
        return self.rooms

    # rendering

    def _prompt_markdown(self) -> str:
        if self.prompt is None:
            return ""
        text = self.prompt.question if isinstance(self.prompt, Prompt) else self.prompt
        return text.strip()

    def to_markdown(self) -> str:
        """Rooms, prompt and time as Markdown (for a projector, a handout or a chat message)."""
        lines = ["### Breakout rooms", "", self.rooms.to_markdown().rstrip(), ""]
        if self.prompt is not None:
            lines += [f"**Discuss:** {self._prompt_markdown()}", ""]
        lines += [f"**Time:** {self.minutes:g} minutes", ""]
        return "\n".join(lines)

    def _rooms_html(self) -> str:
        items = "".join(
            f'<li class="workshop-room"><strong>Room {i}</strong> ({len(room)} people): '
            f"{html.escape(', '.join(room))}</li>"
            for i, room in enumerate(self.rooms.rooms, start=1)
        )
        extra = ""
        if self.rooms.round > 1:
            repeated, total = self.rooms.repeated_pairs, self.rooms.total_pairs
            extra += f"<p>Repeated pairs from earlier rounds: {repeated} of {total}.</p>"
        if self.rooms.note:
            extra += f"<p><em>Note: {html.escape(self.rooms.note)}</em></p>"
        extra += ('<details class="workshop-rooms-lines"><summary>One room per line, to paste into the call\'s '
                  f"chat</summary><pre>{html.escape(self.rooms.to_lines())}</pre></details>")
        return f"<h4>Breakout rooms, round {self.rooms.round}</h4><ul>{items}</ul>{extra}"

    def to_html(self) -> str:
        """Rooms, prompt and time as static HTML."""
        prompt = ""
        if self.prompt is not None:
            prompt = (
                '<p class="workshop-facilitator-prompt"><strong>Discuss:</strong> '
                f"{inline_html(self._prompt_markdown())}</p>"
            )
        return (
            f'<section class="workshop-facilitator workshop-static">{self._rooms_html()}{prompt}'
            f"<p><strong>Time:</strong> {self.minutes:g} minutes</p></section>"
        )

    def widget(self) -> Any:
        """The live view (built once)."""
        if self._widget is None:
            import ipywidgets as widgets

            from .timer import DiscussionTimer

            self.rooms_html = widgets.HTML(self._rooms_html())
            self.rooms_html.add_class("workshop-rooms")
            discuss = inline_html(self._prompt_markdown())
            prompt_html = widgets.HTML(f"<p><strong>Discuss:</strong> {discuss}</p>" if self.prompt is not None else "")
            prompt_html.add_class("workshop-facilitator-prompt")
            self.timer = DiscussionTimer(self.minutes, clock=self._clock)
            self.next_button = widgets.Button(
                description="New round",
                tooltip="Re-shuffle the rooms so that as few people as possible meet again",
                disabled=self.names is None,
            )
            self.next_button.add_class("workshop-next-round")
            self.next_button.on_click(lambda _button: self.next_round())
            self._widget = widgets.VBox([self.rooms_html, self.next_button, prompt_html, self.timer])
            self._widget.add_class("workshop-facilitator")
        return self._widget

