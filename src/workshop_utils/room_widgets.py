"""Facilitator widgets: a discussion timer and a view of the rooms with their prompt.

* :class:`DiscussionTimer` has *Start*, *Pause* and *Reset* buttons, shows the
  time left as text ("3:12 remaining") and announces "Time is up" in text
  (an ARIA alert, so screen readers read it out). In a kernel it ticks once a
  second by itself; its clock can be injected, and :meth:`DiscussionTimer.update`
  refreshes it on demand, so tests need no kernel and no waiting.
* :class:`FacilitatorView` shows the rooms of the current round, the prompt
  to discuss and a timer, with a *New round* button that re-shuffles the
  rooms with as few repeated pairs as possible. Like the prompts, it renders
  live in JupyterLab and as static Markdown/HTML elsewhere.

Stable CSS classes: ``workshop-timer`` (the timer), ``workshop-timer-start``,
``workshop-timer-pause``, ``workshop-timer-reset`` (its buttons),
``workshop-timer-remaining`` (the time left), ``workshop-timer-done`` (the
"Time is up" announcement); ``workshop-facilitator`` (the view),
``workshop-rooms`` (the room list), ``workshop-facilitator-prompt``,
``workshop-next-round`` (the *New round* button).

Example
-------
::

    from workshop_utils.room_widgets import FacilitatorView

    FacilitatorView(["Ana", "Ben", "Cai", "Dee", "Eli", "Fay", "Gus"], seed=1, minutes=8,
                    prompt="Who should label synthetic media?").show()

Used in: the facilitator's guide and the Discussion sections of the lessons.
"""

from __future__ import annotations

import asyncio
import html
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import ipywidgets as widgets

from ._validate import _describe, check_number
from .prompt_base import MODES, LiveOrStatic, Prompt, in_kernel, inline_html
from .rooms import PairHistory, Rooms, check_names, split_into_rooms

__all__ = ["DiscussionTimer", "FacilitatorView", "format_remaining"]


def format_remaining(seconds: float) -> str:
    """Seconds as ``m:ss`` (rounded up, so "0:00" appears only when time is up)."""
    whole = max(0, int(-(-seconds // 1)))
    return f"{whole // 60}:{whole % 60:02d}"


class DiscussionTimer(widgets.VBox):
    """A countdown for breakout discussions.

    Parameters
    ----------
    minutes : float
        Length of the discussion.
    clock : callable, optional
        Returns the time in seconds (default ``time.monotonic``); tests inject a fake.
    auto_tick : bool
        Refresh once a second while running (only inside a kernel).
    label : str
        What the timer is for, shown above it.

    Attributes
    ----------
    state : str
        ``"ready"``, ``"running"``, ``"paused"`` or ``"done"``.
    text : str
        What the timer shows now, e.g. "4:59 remaining".
    """

    def __init__(
        self,
        minutes: float = 5,
        *,
        clock: Callable[[], float] | None = None,
        auto_tick: bool = True,
        label: str = "Discussion time",
    ):
        super().__init__()
        self.duration = check_number("minutes", minutes, minimum=0, strict_minimum=True, maximum=24 * 60) * 60
        if clock is not None and not callable(clock):
            raise TypeError(f"clock must be a function returning seconds, got {_describe(clock)}")
        self._clock = clock or time.monotonic
        self.auto_tick = bool(auto_tick)
        self._elapsed_before = 0.0
        self._started_at: float | None = None
        self._generation = 0
        self.state = "ready"
        self.text = ""
        title = widgets.HTML(f"<strong>{html.escape(label)}</strong> ({format_remaining(self.duration)})")
        self.remaining_html = widgets.HTML()
        self.remaining_html.add_class("workshop-timer-remaining")
        self.done_html = widgets.HTML()
        self.done_html.add_class("workshop-timer-done")
        self.start_button = widgets.Button(description="Start", tooltip="Start or resume the countdown", icon="play")
        self.pause_button = widgets.Button(description="Pause", tooltip="Pause the countdown", icon="pause")
        self.reset_button = widgets.Button(description="Reset", tooltip="Back to the full time", icon="undo")
        for button, name, action in (
            (self.start_button, "start", self.start),
            (self.pause_button, "pause", self.pause),
            (self.reset_button, "reset", self.reset),
        ):
            button.add_class(f"workshop-timer-{name}")
            button.on_click(lambda _button, action=action: action())
        self.children = [
            title,
            self.remaining_html,
            widgets.HBox([self.start_button, self.pause_button, self.reset_button]),
            self.done_html,
        ]
        self.add_class("workshop-timer")
        self.update()

    @property
    def elapsed(self) -> float:
        """Seconds counted so far."""
        running = self._clock() - self._started_at if self._started_at is not None else 0.0
        return min(self.duration, self._elapsed_before + running)

    @property
    def remaining(self) -> float:
        """Seconds left."""
        return max(0.0, self.duration - self.elapsed)

    def start(self) -> None:
        """Start, or resume after a pause."""
        if self.state in ("ready", "paused"):
            self._started_at = self._clock()
            self.state = "running"
            self._generation += 1
            self._schedule(self._generation)
        self.update()

    def pause(self) -> None:
        """Stop counting, keeping the time left."""
        if self.state == "running":
            self._elapsed_before = self.elapsed
            self._started_at = None
            self.state = "paused"
        self.update()

    def reset(self) -> None:
        """Back to the full time, not running."""
        self._elapsed_before, self._started_at = 0.0, None
        self.state = "ready"
        self._generation += 1
        self.update()

    def update(self) -> str:
        """Refresh the display from the clock; returns the text shown."""
        if self.state == "running" and self.remaining <= 0:
            self._elapsed_before, self._started_at = self.duration, None
            self.state = "done"
        left = format_remaining(self.remaining)
        self.text = {
            "ready": f"{left} remaining (not started)",
            "running": f"{left} remaining",
            "paused": f"Paused: {left} remaining",
            "done": "0:00 remaining. Time is up.",
        }[self.state]
        self.remaining_html.value = (
            f'<p role="timer" aria-live="off" style="font-size:1.4em">{html.escape(self.text)}</p>'
        )
        done = self.state == "done"
        self.done_html.value = (
            '<p role="alert"><strong>Time is up.</strong> Please wrap up your discussion.</p>' if done else ""
        )
        self.start_button.disabled = self.state in ("running", "done")
        self.pause_button.disabled = self.state != "running"
        return self.text

    def _schedule(self, generation: int) -> None:
        if not self.auto_tick or not in_kernel():
            return
        try:
            asyncio.get_running_loop().call_later(1.0, self._tick, generation)
        except RuntimeError:
            timer = threading.Timer(1.0, self._tick, args=(generation,))
            timer.daemon = True
            timer.start()

    def _tick(self, generation: int) -> None:
        if generation != self._generation or self.state != "running":
            return
        self.update()
        if self.state == "running":
            self._schedule(generation)


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
        Room sizes (see :func:`workshop_utils.rooms.room_sizes`).
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
        self.history_path = Path(history) if isinstance(history, (str, Path)) else None
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
        self._widget: widgets.VBox | None = None
        self.rooms = rooms if rooms is not None else self._new_rooms()

    def _new_rooms(self) -> Rooms:
        if self.names is None:
            raise ValueError("a new round needs the names of everyone taking part; pass names=")
        rooms = split_into_rooms(
            self.names, min_size=self.min_size, max_size=self.max_size, seed=self.seed, history=self.history
        )
        self.seed = rooms.seed
        if self.history_path is not None:
            self.history.save(self.history_path)
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

    def widget(self) -> widgets.VBox:
        """The live view (built once)."""
        if self._widget is None:
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

