"""Breakout rooms: sizes, reproducible splits, re-shuffles with few repeated pairs, timer, facilitator view."""

import itertools
import json
import random
import statistics

import pytest

from workshop_utils.discussion import FacilitatorView
from workshop_utils.discussion.timer import DiscussionTimer, format_remaining
from workshop_utils.discussion.rooms import (
    PairHistory,
    Rooms,
    check_names,
    parse_size,
    plan_rounds,
    read_names,
    room_sizes,
    size_note,
    split_into_rooms,
)
from workshop_utils.discussion import Poll, STATIC_ENV

NAMES = [f"Person {i:02d}" for i in range(30)]


# -- sizes ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", range(1, 31))
def test_room_sizes_for_1_to_30_people(n):
    sizes = room_sizes(n)
    assert sum(sizes) == n and sizes == sorted(sizes, reverse=True)
    assert max(sizes) - min(sizes) <= 1, "as even as possible"
    if n >= 6:
        assert all(3 <= s <= 4 for s in sizes)
        assert len(sizes) == -(-n // 4), "the fewest rooms of at most 4"
        assert size_note(n) == ""
    else:
        assert sizes == [n], "fewer than 6 people: one room (never 3 + 2)"
        assert (size_note(n) != "") == (n in (1, 2, 5))


def test_room_size_examples_and_notes():
    assert room_sizes(10) == [4, 3, 3] and room_sizes(13) == [4, 3, 3, 3] and room_sizes(12) == [4, 4, 4]
    assert "one room of 5" not in size_note(5) and "using 5 rather than 3 + 2" in size_note(5)
    assert size_note(1).startswith("Only 1 person: one room of 1")
    assert size_note(2).startswith("Only 2 people: one room of 2")
    assert room_sizes(7, 2, 2) == [3, 2, 2] and room_sizes(9, 5, 6) == [9]
    with pytest.raises(ValueError, match=r"max_size \(2\) must be at least min_size \(3\)"):
        room_sizes(10, 3, 2)
    with pytest.raises(ValueError, match="n must be at least 1"):
        room_sizes(0)


# -- splits ---------------------------------------------------------------------------------------------


def test_split_is_reproducible_with_a_seed_and_uses_everyone_once():
    first = split_into_rooms(NAMES[:10], seed=7)
    assert first == split_into_rooms(NAMES[:10], seed=7)
    assert sorted(first.names) == sorted(NAMES[:10]) and first.sizes == [4, 3, 3]
    assert len({tuple(map(tuple, split_into_rooms(NAMES[:10], seed=s).rooms)) for s in range(10)}) > 5
    chosen = split_into_rooms(NAMES[:10])
    assert isinstance(chosen.seed, int)
    assert split_into_rooms(NAMES[:10], seed=chosen.seed).rooms == chosen.rooms, "the reported seed reproduces it"


def test_plan_rounds_is_reproducible():
    assert plan_rounds(NAMES[:14], 3, seed=2) == plan_rounds(NAMES[:14], 3, seed=2)
    rounds = plan_rounds(NAMES[:14], 3, seed=2)
    assert [r.round for r in rounds] == [1, 2, 3]


def test_one_or_two_people_get_one_room_and_a_note():
    rooms = split_into_rooms(["Ana", "Ben"], seed=0)
    assert rooms.rooms == [["Ana", "Ben"]] and "Only 2 people" in rooms.note and "Note: Only 2" in str(rooms)


def _random_repeats(names, rounds, seed):
    rng = random.Random(seed)
    history = PairHistory()
    sizes = room_sizes(len(names))
    repeats = []
    for _ in range(rounds):
        order = list(names)
        rng.shuffle(order)
        rooms, start = [], 0
        for size in sizes:
            rooms.append(order[start:start + size])
            start += size
        repeats.append(history.repeated_pairs(rooms))
        history.add(rooms)
    return repeats[1:]


def test_reshuffles_repeat_far_fewer_pairs_than_random_splits():
    ours, chance = [], []
    for n in (10, 12, 14, 17, 20):
        for seed in range(4):
            ours += [r.repeated_pairs for r in plan_rounds(NAMES[:n], 3, seed=seed)[1:]]
            chance += _random_repeats(NAMES[:n], 3, seed)
    assert statistics.mean(ours) < 0.25 * statistics.mean(chance), (statistics.mean(ours), statistics.mean(chance))


@pytest.mark.parametrize("seed", range(3))
def test_nine_people_reach_four_rounds_without_any_repeat(seed):
    rounds = plan_rounds(NAMES[:9], 4, seed=seed)
    assert [r.repeated_pairs for r in rounds] == [0, 0, 0, 0]
    met = [pair for r in rounds for room in r.rooms for pair in itertools.combinations(sorted(room), 2)]
    assert len(met) == len(set(met)) == 36, "every pair of 9 people meets exactly once"


@pytest.mark.parametrize("n", [9, 13, 16, 20, 25, 30])
def test_second_round_has_no_repeat_when_that_is_possible(n):
    assert plan_rounds(NAMES[:n], 2, seed=n)[1].repeated_pairs == 0


@pytest.mark.parametrize("n", [7, 8, 10])
def test_second_round_is_optimal_for_small_groups(n):
    names = NAMES[:n]
    history = PairHistory()
    split_into_rooms(names, seed=3, history=history)
    sizes = room_sizes(n)
    best = min(
        history.repeated_pairs([list(first), [x for x in names if x not in first]])
        if len(sizes) == 2 else
        min(history.repeated_pairs([list(first), list(second), [x for x in names if x not in first + second]])
            for second in itertools.combinations([x for x in names if x not in first], sizes[1]))
        for first in itertools.combinations(names, sizes[0])
    )
    assert split_into_rooms(names, seed=3, history=history).repeated_pairs == best


def test_pair_history_counts_and_round_trips(tmp_path):
    history = PairHistory([[["Ana", "Ben", "Cai"], ["Dee", "Eli", "Fay"]]])
    history.add([["Ana", "Ben", "Dee"], ["Cai", "Eli", "Fay"]], seed=4)
    assert history.count("Ben", "Ana") == 2 and history.count("Ana", "Fay") == 0
    assert history.repeated_pairs([["Ana", "Ben", "Eli"]]) == 1 and history.cost([["Ana", "Ben", "Cai"]]) == 4
    path = history.save(tmp_path / "h.json")
    loaded = PairHistory.load(path)
    assert loaded.rounds == history.rounds and loaded.count("Ana", "Ben") == 2
    assert len(PairHistory.load(tmp_path / "missing.json")) == 0
    (tmp_path / "bad.json").write_text("[1, 2")
    with pytest.raises(ValueError, match="is not a valid rooms history"):
        PairHistory.load(tmp_path / "bad.json")
    (tmp_path / "other.json").write_text('{"rounds": []}')
    with pytest.raises(ValueError, match="is not a rooms history file"):
        PairHistory.load(tmp_path / "other.json")
    with pytest.raises(ValueError, match="listed twice"):
        history.add([["Ana", "Ben"], ["ana", "Cai"]])


# -- names ----------------------------------------------------------------------------------------------


def test_read_names_skips_blanks_and_comments(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("# workshop, 3 May\nAna\n\n  Ben  Okafor \n# late\nCai\n")
    assert read_names(path) == ["Ana", "Ben Okafor", "Cai"]


def test_duplicate_and_missing_names_are_clear(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("Ana\nBen\n\nana\n")
    with pytest.raises(ValueError, match=r"names.txt: 'ana' appears twice \(lines 1 and 4\)"):
        read_names(path)
    path.write_text("# nobody yet\n\n")
    with pytest.raises(ValueError, match="names.txt lists no names"):
        read_names(path)
    with pytest.raises(TypeError, match="names must be a list of names"):
        check_names("Ana, Ben")
    with pytest.raises(TypeError, match=r"names\[1\] must be a name"):
        check_names(["Ana", 3])


def test_parse_size():
    assert parse_size("3-4") == (3, 4) and parse_size(" 4 ") == (4, 4)
    with pytest.raises(ValueError, match="size must look like 3-4"):
        parse_size("three")
    with pytest.raises(ValueError, match="max_size"):
        parse_size("4-3")


# -- timer ----------------------------------------------------------------------------------------------


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_timer_start_pause_reset_and_time_is_up():
    clock = FakeClock()
    timer = DiscussionTimer(5, clock=clock)
    assert "workshop-timer" in timer._dom_classes
    assert timer.text == "5:00 remaining (not started)" and timer.pause_button.disabled
    timer.start_button.click()
    clock.now += 61
    assert timer.update() == "3:59 remaining" and timer.start_button.disabled
    timer.pause_button.click()
    clock.now += 500  # paused time does not count
    assert timer.update() == "Paused: 3:59 remaining" and timer.remaining == pytest.approx(239)
    timer.start_button.click()
    clock.now += 238.5
    assert timer.update() == "0:01 remaining" and timer.done_html.value == ""
    clock.now += 1
    assert timer.update() == "0:00 remaining. Time is up." and timer.state == "done"
    assert "Time is up" in timer.done_html.value and 'role="alert"' in timer.done_html.value
    assert timer.start_button.disabled and timer.pause_button.disabled
    timer.reset_button.click()
    assert timer.text == "5:00 remaining (not started)" and timer.done_html.value == "" and not timer.start_button.disabled
    with pytest.raises(ValueError, match="minutes must be greater than 0"):
        DiscussionTimer(0)
    assert format_remaining(59.2) == "1:00" and format_remaining(0) == "0:00" and format_remaining(600) == "10:00"


def test_timer_shows_what_it_is_for_where_no_widget_runs():
    bundle = DiscussionTimer(20, label="Breakout: <the canvas>")._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle, "JupyterLab still gets the live timer"
    assert "<strong>Breakout: &lt;the canvas&gt;</strong> (20:00)" in bundle["text/html"]


# -- facilitator view -----------------------------------------------------------------------------------


def test_facilitator_view_static_and_live(tmp_path, monkeypatch):
    monkeypatch.delenv(STATIC_ENV, raising=False)
    names = NAMES[:10]
    prompt = Poll("01", "who", "Who should label synthetic media?", ["Makers", "Platforms"], journal=tmp_path / "j.json")
    view = FacilitatorView(names, prompt=prompt, seed=5, minutes=8, history=tmp_path / "history.json", clock=FakeClock())
    markdown = view.to_markdown()
    assert all(name in markdown for name in names)
    assert "**Discuss:** Who should label synthetic media?" in markdown and "**Time:** 8 minutes" in markdown
    assert set(view._repr_mimebundle_()) == {"text/markdown", "text/html", "text/plain"}
    form = view.widget()
    assert "workshop-facilitator" in form._dom_classes and "round 1" in view.rooms_html.value
    assert view.timer.text == "8:00 remaining (not started)"
    view.next_button.click()
    assert view.rooms.round == 2 and "round 2" in view.rooms_html.value
    assert "Repeated pairs from earlier rounds: 1 of 12." in view.rooms_html.value  # the minimum for 10
    assert len(json.loads((tmp_path / "history.json").read_text())["rounds"]) == 2
    again = FacilitatorView(names, seed=5, history=tmp_path / "history.json", mode="live")
    assert again.rooms.round == 3, "the history file carries over"
    assert "application/vnd.jupyter.widget-view+json" in again._repr_mimebundle_()
    fixed = FacilitatorView(rooms=Rooms([["A", "B", "C"]]))
    assert fixed.widget() and fixed.next_button.disabled
    with pytest.raises(ValueError, match="needs names"):
        FacilitatorView()
