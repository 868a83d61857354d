"""The run sheet alone: steps that follow each other to minute 90, rounds on one thread, course sessions that fit."""

import copy
import json
from importlib import resources

import pytest

from workshop_utils.session import plan

RAW = json.loads(resources.files("workshop_utils").joinpath("data/run_sheet.json").read_text(encoding="utf-8"))


def _problems(change):
    data = copy.deepcopy(RAW)
    change(data)
    with pytest.raises(plan.RunSheetError) as info:
        plan._checked(data)
    return str(info.value)


def test_the_shipped_run_sheet_is_valid_and_fills_90_minutes():
    sheet = plan.default()
    assert sheet.minutes == 90 and sheet.steps[0].start == 0 and sheet.steps[-1].end == 90
    assert sum(s.minutes for s in sheet.steps) == 90
    assert [r.case for r in sheet.rounds] == ["malaria-must-die", "wolf-news"]
    assert sheet.lessons() == [0, 1]
    assert sheet.prework_days == 2 and "workshop check" in sheet.prework_message
    assert all(s.minutes <= sheet.session_minutes for s in sheet.course)
    assert plan.clock(65) == "1:05" and sheet.steps[7].when == "0:30-0:50"


def test_a_gap_or_an_overlap_between_steps_is_caught():
    assert "starts at 0:05, but the step before ends at 0:04" in _problems(
        lambda d: d["session"]["steps"][1].update(start=5))
    message = _problems(lambda d: d["session"]["steps"][-1].update(minutes=10))
    assert "the steps end at 1:36, but the session lasts 1:30" in message


def test_each_round_needs_one_breakout_step_of_its_length():
    message = _problems(lambda d: d["session"]["rounds"][0].update(minutes=25))
    assert "round 1: needs exactly one breakout step of 25 minutes" in message


def test_rounds_must_follow_a_repurposing_thread_from_its_benevolent_stage():
    swapped = _problems(lambda d: d["session"]["rounds"][0].update(case="wolf-news") or
                        d["session"]["rounds"][1].update(case="malaria-must-die"))
    assert "benevolent stage first" in swapped
    off_thread = _problems(lambda d: d["session"]["rounds"][1].update(case="holly-plus"))
    assert "must all lie on the repurposing thread 'synthesia'" in off_thread
    assert "is not a thread" in _problems(lambda d: d["session"].update(thread="no-such-thread"))


def test_course_sessions_must_fit_and_blocks_must_be_one_thing():
    over = _problems(lambda d: d["course"]["weeks"][0]["sessions"][0]["blocks"].append(
        {"activity": "More talk", "minutes": 30}))
    assert "week 1, session A: its blocks take 110 minutes, more than 90" in over
    both = _problems(lambda d: d["course"]["weeks"][0]["sessions"][1]["blocks"][0].update(lesson=1, path="full"))
    assert "exactly one of lesson, exercise, breakout or activity" in both
    assert "is not in the case library" in _problems(
        lambda d: d["course"]["weeks"][0]["sessions"][1]["blocks"][1].update(breakout="no-such-case"))


def test_homework_does_not_count_towards_the_session():
    week5b = next(s for s in plan.default().course if (s.week, s.name) == (5, "B"))
    assert week5b.minutes == 85 and any(b.homework for b in week5b.blocks)


def test_an_unknown_round_is_a_clear_key_error():
    with pytest.raises(KeyError, match="round 3 is not in the run sheet; rounds: \\[1, 2\\]"):
        plan.default().round(3)
