"""A countdown for breakout discussions: Start, Pause, Reset, and "Time is up" in text.

:class:`DiscussionTimer` shows the time left as text ("3:12 remaining") and
announces "Time is up" in text (an ARIA alert, so screen readers read it
out). In a kernel it ticks once a second by itself; its clock can be
injected, and :meth:`DiscussionTimer.update` refreshes it on demand, so tests
need no kernel and no waiting.

Stable CSS classes: ``workshop-timer`` (the timer), ``workshop-timer-start``,
``workshop-timer-pause``, ``workshop-timer-reset`` (its buttons),
``workshop-timer-remaining`` (the time left), ``workshop-timer-done`` (the
"Time is up" announcement).

Example
-------
::

    from workshop_utils.discussion.timer import DiscussionTimer

    DiscussionTimer(minutes=8, label="Breakout: the dual-use canvas").show()  # or just display it

Used in: the Discussion sections of the lessons, and :class:`workshop_utils.discussion.facilitator.FacilitatorView`.
"""

from __future__ import annotations

import asyncio
import html
import threading
import time
from collections.abc import Callable

import ipywidgets as widgets

from .._validate import _describe, check_number
from .base import in_kernel

__all__ = ["DiscussionTimer", "format_remaining"]


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
    start : bool
        Start counting at once (e.g. in a breakout notebook, where the running
        timer is also what keeps a Binder session active: see the facilitator guide).

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
        start: bool = False,
    ):
        super().__init__()
        if not isinstance(label, str):
            raise TypeError(f"label must be text (a str), got {_describe(label)}")
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
        self._label = label
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
        if not isinstance(start, bool):
            raise TypeError(f"start must be True or False, got {_describe(start)}")
        if start:
            self.start()

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

    def static_html(self) -> str:
        """The timer where no widget can run (an HTML export, the workshop's site): what it is for, how long."""
        return (f'<p class="workshop-timer workshop-static"><strong>{html.escape(self._label)}</strong> '
                f"({format_remaining(self.duration)}). In JupyterLab a countdown timer with Start, Pause and "
                "Reset buttons runs here.</p>")

    def _repr_mimebundle_(self, **kwargs):
        # The live widget for JupyterLab, and static HTML for viewers without a widget manager.
        bundle = dict(super()._repr_mimebundle_(**kwargs) or {})
        bundle["text/html"] = self.static_html()
        return bundle

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
