import math
import time

import pytest

from workshop_utils import training


def test_stops_at_max_steps_and_records_losses():
    history = training.train(lambda i: {"loss": 1.0 / (i + 1)}, max_steps=10, time_budget_s=None, progress=False)
    assert history.n_steps == 10 and history.stopped_because == "max_steps"
    assert history.losses["loss"][0] == 1.0 and history.last("loss") == pytest.approx(0.1)
    assert "10 steps" in history.summary()


def test_stops_at_time_budget():
    def slow(i):
        time.sleep(0.01)
        return {"loss": 1.0}

    history = training.train(slow, time_budget_s=0.1, progress=False)
    assert history.stopped_because == "time_budget"
    assert 0.1 <= history.elapsed_s < 1.0


def test_time_cap_env_lowers_budget(monkeypatch):
    monkeypatch.setenv(training.TIME_CAP_ENV, "0.05")

    def slow(i):
        time.sleep(0.01)
        return {"loss": 1.0}

    history = training.train(slow, time_budget_s=30, progress=False)
    assert history.stopped_because == "time_budget" and history.elapsed_s < 1.0


def test_bad_time_cap_env(monkeypatch):
    monkeypatch.setenv(training.TIME_CAP_ENV, "soon")
    with pytest.raises(ValueError, match="WORKSHOP_MAX_TRAIN_SECONDS must be a number"):
        training.train(lambda i: {"loss": 1.0}, max_steps=1, progress=False)


@pytest.mark.parametrize("bad", [math.nan, math.inf, 1e9])
def test_divergence_raises_a_clear_error(bad):
    def step(i):
        return {"d_loss": 0.5, "g_loss": bad if i == 3 else 0.1}

    with pytest.raises(training.TrainingDiverged, match=r"loss 'g_loss' became .* at step 3.*learning rate"):
        training.train(step, max_steps=10, progress=False)


def test_step_must_return_a_dict_of_numbers():
    with pytest.raises(TypeError, match="must return a non-empty dict of losses"):
        training.train(lambda i: 0.5, max_steps=2, progress=False)
    with pytest.raises(TypeError, match="loss 'x' at step 0 is not a number"):
        training.train(lambda i: {"x": "low"}, max_steps=2, progress=False)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"max_steps": None, "time_budget_s": None}, "give max_steps or time_budget_s"),
        ({"max_steps": 0}, "max_steps must be at least 1"),
        ({"time_budget_s": -1}, "time_budget_s must be greater than 0"),
        ({"callbacks": [object()]}, "on_step"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises((TypeError, ValueError), match=message):
        training.train(lambda i: {"loss": 1.0}, progress=False, **kwargs)


def test_step_must_be_callable():
    with pytest.raises(TypeError, match="step must be a function"):
        training.train(3, max_steps=1, progress=False)


def test_evaluate_every_records_and_stops_at_goal():
    values = iter(range(100))
    callback = training.EvaluateEvery(5, lambda: next(values), "score", goal=lambda v: v >= 2)
    history = training.train(lambda i: {"loss": 1.0}, max_steps=100, progress=False, callbacks=[callback])
    assert history.stopped_because == "callback"
    assert [s for s, _, _ in history.metrics["score"]] == [5, 10, 15]
    assert history.last("score") == 2
    assert history.time_to_goal_s is not None and history.n_steps == 15


def test_evaluate_every_validates():
    with pytest.raises(ValueError, match="every must be at least 1"):
        training.EvaluateEvery(0, lambda: 1)
    with pytest.raises(TypeError, match="evaluate must be a function"):
        training.EvaluateEvery(1, 5)


def test_history_last_unknown_name():
    history = training.History()
    with pytest.raises(KeyError, match="no loss or metric called 'x'"):
        history.last("x")


def test_live_plot_draws_every_k_steps_outside_jupyter():
    drawn = []
    live = training.LivePlot(4, lambda h: drawn.append(h.n_steps))
    training.train(lambda i: {"loss": 1.0}, max_steps=12, progress=False, callbacks=[live])
    assert drawn == [4, 8, 12] and live.frames == 3


def test_progress_bar_runs(capsys):
    history = training.train(lambda i: {"loss": 1.0}, max_steps=60, progress=True)
    assert history.n_steps == 60


def test_no_progress_bar_when_the_environment_says_so(monkeypatch):
    monkeypatch.setenv("WORKSHOP_PROGRESS", "0")
    assert training._progress_bar(True, 10, "training") is None
    monkeypatch.delenv("WORKSHOP_PROGRESS")
    bar = training._progress_bar(True, 10, "training")
    assert bar is not None and bar.total == 10
    bar.close()
