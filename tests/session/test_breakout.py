"""The breakout panel: one case, its core question, the canvas and the room's prompts; sharing from the room."""

from __future__ import annotations

import pytest

from workshop_utils import cases
from workshop_utils.discussion import Journal
from workshop_utils.session import Breakout, BreakoutPicker, breakout, on_binder
from workshop_utils.session.breakout import BINDER_NOTE
from workshop_utils.session.prompts import LESSON, POLL_OPTIONS, prompt_ids


def test_the_panel_shows_one_case_with_its_core_question_and_nothing_else(participant):
    panel = breakout(round=1, mode="static")
    case = cases.get("malaria-must-die")
    text = panel.to_markdown()
    assert text.startswith("## Breakout: Malaria Must Die (20 minutes)")
    assert f"**Core question:** {case.core}" in text and "Reading time: about 2 minutes" in text
    assert case.summary in text and case.nuance in text
    others = [q for i, q in enumerate(case.questions, 1) if i != case.core_question]
    assert not any(q in text for q in others), "the other questions stay folded away in the live panel"
    assert [p.prompt_id for p in panel.prompts.values()] == list(prompt_ids(case.id).values())
    assert {p.kind for p in panel.prompts.values()} == {"spectrum", "poll", "reflection", "canvas"}
    assert text.count("\n### ") == 1, "one case card on the page"
    assert not any(c.summary in text for c in cases.all_cases() if c.id != case.id), "no other case on the page"


def test_round_two_and_any_other_case(participant):
    assert Breakout(round=2, mode="static").case.id == "wolf-news"
    assert Breakout(round=2, mode="static").minutes == 15
    other = Breakout("uk-ceo-voice-fraud", mode="static")
    assert other.minutes == 20 and other.to_markdown().index("Content warning") < other.to_markdown().index("###")
    with pytest.raises(KeyError, match="did you mean"):
        Breakout("malaria-must-di", mode="static")


def test_answers_given_in_the_live_panel_reach_the_journal(participant):
    panel = breakout(round=1, mode="live")
    panel.widget()
    assert panel.timer.state == "running", "the room timer starts by itself"
    form = panel.prompts["poll"].widget()
    form.choice.value = POLL_OPTIONS[0]
    assert Journal().answer(LESSON, prompt_ids("malaria-must-die")["poll"]) == POLL_OPTIONS[0]
    assert panel.share_box.disabled, "without a share folder there is nothing to tick"
    assert "paste your share code" in panel.status_text
    code = panel._show_code()
    assert code in panel.code_html.value and code.startswith("SMW-")


def test_ticking_share_shares_what_was_given_and_unticking_withdraws_it(participant, share):
    panel = Breakout(round=1, share=share, mode="live")
    panel.widget()
    ids = prompt_ids("malaria-must-die")
    panel.prompts["core"].widget().text.value = "Disclosure would have strengthened it."
    assert not (share / "answers").exists() or not list((share / "answers").glob("*.json"))
    panel.share_box.value = True
    shared_file = panel.share_path
    assert Journal(shared_file).answer(LESSON, ids["core"]) == "Disclosure would have strengthened it."
    assert "Shared with the facilitator at" in panel.share_status.value
    panel.prompts["canvas"].widget().boxes["repurposing"].value = "Propaganda anchors."
    assert Journal(shared_file).answer(LESSON, ids["canvas"])["repurposing"] == "Propaganda anchors."
    panel.share_box.value = False
    assert Journal(shared_file).read()["entries"].get(LESSON, {}) == {}
    assert "withdrawn" in panel.share_status.value
    assert Journal().answer(LESSON, ids["core"]) == "Disclosure would have strengthened it.", "kept locally"


def test_on_binder_the_panel_says_how_to_keep_the_session(participant, monkeypatch):
    assert not on_binder() and BINDER_NOTE not in breakout(mode="static").to_markdown()
    monkeypatch.setenv("BINDER_REPO_URL", "https://github.com/example/workshop")
    assert on_binder()
    text = breakout(mode="static").to_markdown()
    assert BINDER_NOTE in text and "10 minutes without activity" in text and "Download" in text
    panel = breakout(mode="live")
    assert any("workshop-breakout-binder" in getattr(w, "_dom_classes", ()) for w in panel.widget().children)


def test_the_picker_offers_the_rounds_first_and_switches_cases(participant):
    picker = BreakoutPicker(round=1, mode="live")
    labels = [label for label, _ in picker.choices]
    assert labels[:2] == ["Round 1: Malaria Must Die", "Round 2: Wolf News anchors"]
    assert len(labels) == len(cases.ids())
    picker.widget()
    picker.dropdown.value = "wolf-news"
    assert picker.current.case.id == "wolf-news" and picker.box.children[0] is picker.current.widget()
    with pytest.raises(KeyError, match="not one of the picker's cases"):
        picker.choose("no-such-case")


def test_bad_arguments_are_named(participant):
    with pytest.raises(TypeError, match="case must be a case id"):
        Breakout(3)
    with pytest.raises(KeyError, match="round 5 is not in the run sheet"):
        Breakout(round=5)
    with pytest.raises(ValueError, match="mode"):
        Breakout(mode="loud")
