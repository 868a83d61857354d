"""A small, honest training loop: progress bar, time budget, divergence checks.

The loop knows nothing about models. You give it a ``step`` function that
performs one optimisation step and returns its losses as a dict of floats;
the loop calls it until a step limit, a time budget, or a callback says
stop. It records every loss, stops with a clear message when a loss becomes
NaN or explodes, and can evaluate the model every few steps and stop as soon
as a quality bar is reached (recording how long that took).

Every run also ends with a *training record* (``history.record``, see
:mod:`workshop_utils.records`): the data set and its datasheet, the code and
its licence, the seed, library versions, wall and CPU time, and an energy
estimate with its assumptions. Trainers pass what they know with
``about={"dataset": "digits", ...}``. Inside a notebook the record is also
appended to the learner's local training log.

Example
-------
>>> history = train(lambda step: {"loss": 1.0 / (step + 1)}, max_steps=100, progress=False)
>>> history.stopped_because
'max_steps'

Used in: every lesson and exercise that trains a model.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from . import records
from ._validate import check_int, check_number

__all__ = [
    "Callback",
    "EvaluateEvery",
    "History",
    "LivePlot",
    "TrainingDiverged",
    "train",
]

#: Environment variable that caps every time budget (seconds), e.g. for CI.
TIME_CAP_ENV = "WORKSHOP_MAX_TRAIN_SECONDS"
#: Set to 0 to train without progress bars (the site build does: a bar means nothing on a static page).
PROGRESS_ENV = "WORKSHOP_PROGRESS"


class TrainingDiverged(RuntimeError):
    """Raised when a loss becomes NaN, infinite or absurdly large."""


@dataclass
class History:
    """Everything a training run recorded.

    Attributes
    ----------
    steps : list of int
        The step index of each recorded loss.
    losses : dict of str to list of float
        One list per loss name, aligned with ``steps``.
    metrics : dict of str to list of (step, seconds, value)
        Values recorded by :class:`EvaluateEvery`.
    elapsed_s : float
        Wall time of the whole run, evaluations included.
    stopped_because : str
        ``"max_steps"``, ``"time_budget"`` or ``"callback"``.
    time_to_goal_s : float or None
        Wall time at which a callback's goal was first met, if ever.
    record : workshop_utils.records.TrainingRecord or None
        What the run used, made and cost (set when the run ends normally).
    """

    steps: list[int] = field(default_factory=list)
    losses: dict[str, list[float]] = field(default_factory=dict)
    metrics: dict[str, list[tuple[int, float, Any]]] = field(default_factory=dict)
    elapsed_s: float = 0.0
    stopped_because: str = ""
    time_to_goal_s: float | None = None
    record: records.TrainingRecord | None = None

    def add(self, step: int, losses: Mapping[str, float]) -> None:
        """Append one step's losses."""
        self.steps.append(step)
        for name, value in losses.items():
            self.losses.setdefault(name, []).append(float(value))

    @property
    def n_steps(self) -> int:
        """Number of completed steps."""
        return len(self.steps)

    def last(self, name: str) -> Any:
        """Return the most recent value of a loss or metric."""
        if name in self.losses:
            return self.losses[name][-1]
        if name in self.metrics:
            return self.metrics[name][-1][2]
        known = sorted(self.losses) + sorted(self.metrics)
        raise KeyError(f"no loss or metric called {name!r}; recorded: {known}")

    def summary(self) -> str:
        """One line describing how the run went."""
        parts = [f"{self.n_steps} steps in {self.elapsed_s:.1f} s (stopped: {self.stopped_because})"]
        if self.time_to_goal_s is not None:
            parts.append(f"goal reached after {self.time_to_goal_s:.1f} s")
        return "; ".join(parts)


class Callback(Protocol):
    """Anything with ``on_step(step, losses, history, elapsed_s) -> bool | None``.

    Return ``True`` to stop training.
    """

    def on_step(self, step: int, losses: Mapping[str, float], history: History, elapsed_s: float) -> bool | None:
        ...  # pragma: no cover


class EvaluateEvery:
    """Evaluate the model every ``every`` steps and optionally stop at a goal.

    Parameters
    ----------
    every : int
        Evaluate after every ``every``-th step.
    evaluate : callable
        ``evaluate() -> value``; the value is stored in ``history.metrics[name]``.
    name : str
        Key under which values are stored.
    goal : callable, optional
        ``goal(value) -> bool``; training stops the first time it is true and
        ``history.time_to_goal_s`` records when.
    """

    def __init__(
        self,
        every: int,
        evaluate: Callable[[], Any],
        name: str = "metric",
        goal: Callable[[Any], bool] | None = None,
    ):
        self.every = check_int("every", every, minimum=1)
        if not callable(evaluate):
            raise TypeError(f"evaluate must be a function taking no arguments, got {evaluate!r}")
        if goal is not None and not callable(goal):
            raise TypeError(f"goal must be a function of the evaluated value, got {goal!r}")
        self.evaluate, self.name, self.goal = evaluate, name, goal

    def on_step(self, step: int, losses: Mapping[str, float], history: History, elapsed_s: float) -> bool:
        if (step + 1) % self.every:
            return False
        value = self.evaluate()
        history.metrics.setdefault(self.name, []).append((step + 1, elapsed_s, value))
        if self.goal is not None and self.goal(value):
            if history.time_to_goal_s is None:
                history.time_to_goal_s = elapsed_s
            return True
        return False


class LivePlot:
    """Redraw a figure in the notebook every ``every`` steps while training.

    Parameters
    ----------
    every : int
        Redraw after every ``every``-th step.
    draw : callable
        ``draw(history) -> figure``; any object Jupyter can display, such as
        :class:`workshop_utils.plotting.AccessibleFigure`.

    Notes
    -----
    Outside Jupyter (e.g. in a test) the figure is still drawn, so errors in
    ``draw`` surface, but nothing is displayed.
    """

    def __init__(self, every: int, draw: Callable[[History], Any]):
        self.every = check_int("every", every, minimum=1)
        if not callable(draw):
            raise TypeError(f"draw must be a function taking the history, got {draw!r}")
        self.draw = draw
        self.frames = 0
        self._handle = None

    def on_step(self, step: int, losses: Mapping[str, float], history: History, elapsed_s: float) -> bool:
        if (step + 1) % self.every == 0:
            self.show(history)
        return False

    def show(self, history: History) -> None:
        """Draw the figure now and display or update it."""
        figure = self.draw(history)
        self.frames += 1
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError:  # pragma: no cover - IPython ships with Jupyter
            return
        if get_ipython() is None:
            return
        if self._handle is None:
            self._handle = display(figure, display_id=True)
        else:
            self._handle.update(figure)


def _time_cap() -> float | None:
    raw = os.environ.get(TIME_CAP_ENV, "").strip()
    if not raw:
        return None
    try:
        cap = float(raw)
    except ValueError:
        raise ValueError(f"{TIME_CAP_ENV} must be a number of seconds, got {raw!r}") from None
    if not cap > 0:
        raise ValueError(f"{TIME_CAP_ENV} must be positive, got {raw!r}")
    return cap


def _check_losses(step: int, losses: Any, limit: float) -> dict[str, float]:
    if not isinstance(losses, Mapping) or not losses:
        raise TypeError(
            "the step function must return a non-empty dict of losses, e.g. "
            f"{{'loss': 0.5}}; at step {step} it returned {losses!r}"
        )
    checked = {}
    for name, value in losses.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise TypeError(f"loss {name!r} at step {step} is not a number: {value!r}") from None
        if not math.isfinite(number) or abs(number) > limit:
            raise TrainingDiverged(
                f"Training diverged: loss {name!r} became {number} at step {step}. "
                "Common causes: a learning rate that is too high, log(0) or division by zero "
                "in a loss, or a sign error that rewards the wrong thing. Lower the learning rate "
                "or check the loss, then run again."
            )
        checked[name] = number
    return checked


def train(
    step: Callable[[int], Mapping[str, float]],
    *,
    max_steps: int | None = None,
    time_budget_s: float | None = 30.0,
    callbacks: Sequence[Callback] = (),
    progress: bool = True,
    divergence_limit: float = 1e6,
    description: str = "training",
    about: Mapping[str, Any] | None = None,
    log: bool | None = None,
) -> History:
    """Call ``step(i)`` repeatedly until a limit is reached.

    Parameters
    ----------
    step : callable
        ``step(i) -> dict[str, float]`` performs optimisation step ``i`` and
        returns its losses.
    max_steps : int, optional
        Stop after this many steps.
    time_budget_s : float, optional
        Stop once this many seconds of wall time have passed. The
        ``WORKSHOP_MAX_TRAIN_SECONDS`` environment variable can lower it.
    callbacks : sequence of Callback
        Called after every step; any returning ``True`` stops training.
    progress : bool
        Show a tqdm progress bar (never when ``WORKSHOP_PROGRESS=0``).
    divergence_limit : float
        A loss whose absolute value exceeds this counts as diverged.
    description : str
        Label of the progress bar.
    about : dict, optional
        What the caller knows about the run, for its training record: any of
        ``trainer``, ``model``, ``parameters``, ``dataset`` (a datasheet name
        such as ``"digits"``), ``dataset_detail``, ``seed`` and
        ``hyperparameters`` (see :data:`workshop_utils.records.ABOUT_KEYS`).
    log : bool, optional
        Append the record to the learner's training log
        (:func:`workshop_utils.records.append_to_log`). By default only inside
        a notebook (an IPython kernel).

    Returns
    -------
    History
        Losses, metrics and timing of the run, and its training record
        (``history.record``).

    Raises
    ------
    TrainingDiverged
        If a loss becomes NaN, infinite or larger than ``divergence_limit``.
    """
    if not callable(step):
        raise TypeError(f"step must be a function step(i) -> dict of losses, got {step!r}")
    if max_steps is not None:
        check_int("max_steps", max_steps, minimum=1)
    if time_budget_s is not None:
        time_budget_s = check_number("time_budget_s", time_budget_s, minimum=0.0, strict_minimum=True)
    cap = _time_cap()
    if cap is not None:
        time_budget_s = cap if time_budget_s is None else min(time_budget_s, cap)
    if max_steps is None and time_budget_s is None:
        raise ValueError("give max_steps or time_budget_s (or both), otherwise training never stops")
    divergence_limit = check_number("divergence_limit", divergence_limit, minimum=0.0, strict_minimum=True)
    for callback in callbacks:
        if not hasattr(callback, "on_step"):
            raise TypeError(f"each callback needs an on_step method; got {callback!r}")
    about = records.check_about(about)  # a bad description fails now, not after training
    if log is not None and not isinstance(log, bool):
        raise TypeError(f"log must be True, False or None (automatic), got {log!r}")

    bar = _progress_bar(progress, max_steps, description)
    history = History()
    started_at = time.time()
    cpu_start = time.process_time()
    start = time.perf_counter()
    i = 0
    try:
        while True:
            losses = _check_losses(i, step(i), divergence_limit)
            history.add(i, losses)
            elapsed = time.perf_counter() - start
            stop = False
            for callback in callbacks:
                stop = bool(callback.on_step(i, losses, history, elapsed)) or stop
            i += 1
            if bar is not None:
                bar.update(1)
                if i % 50 == 0:
                    bar.set_postfix({k: f"{v:.3f}" for k, v in losses.items()}, refresh=False)
            if stop:
                history.stopped_because = "callback"
                break
            if max_steps is not None and i >= max_steps:
                history.stopped_because = "max_steps"
                break
            if time_budget_s is not None and time.perf_counter() - start >= time_budget_s:
                history.stopped_because = "time_budget"
                break
    finally:
        history.elapsed_s = time.perf_counter() - start
        cpu_s = time.process_time() - cpu_start
        if bar is not None:
            bar.close()
    history.record = records.make_record(
        step, about, started=started_at, steps=history.n_steps, stopped_because=history.stopped_because,
        wall_s=history.elapsed_s, cpu_s=cpu_s, final_losses={k: v[-1] for k, v in history.losses.items()})
    if (log if log is not None else _in_kernel()):
        try:
            records.append_to_log(history.record)
        except OSError as exc:  # the log is a convenience: never lose a trained model over it
            import warnings

            warnings.warn(f"could not append the training record to the training log: {exc}", stacklevel=2)
    return history


def _in_kernel() -> bool:
    """True inside a running IPython kernel (a notebook), false in scripts and tests."""
    import sys

    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _progress_bar(progress: bool, total: int | None, description: str):
    if not progress or os.environ.get(PROGRESS_ENV, "").strip().lower() in {"0", "false", "no", "off"}:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=description, unit="step", mininterval=0.5)
