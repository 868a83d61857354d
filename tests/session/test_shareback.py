"""Live share-back: many participants writing at once reach the facilitator's view, merged and anonymised."""

from __future__ import annotations

import json
import multiprocessing
import time

import pytest
from shareback_helpers import participant

from workshop_utils import sharing
from workshop_utils.discussion import Journal
from workshop_utils.session import shareback
from workshop_utils.session.prompts import LESSON, POLL_OPTIONS, breakout_prompts, prompt_ids
from workshop_utils.session.shareback import ShareBackView, ShareCode, SharingJournal, collect, tally_codes

CASE = "malaria-must-die"


def _path(share, n):
    return sharing.share_file(share, "answers", f"p-{n:012x}")


def test_many_participants_writing_at_once_reach_the_facilitator(share, tmp_path):
    """Eight participants answer and edit at the same time (spawned processes); two more share one
    participant's file from two notebooks; the facilitator merges again and again while they write."""
    people, edits = 8, 4
    context = multiprocessing.get_context("spawn")
    jobs = [context.Process(target=participant, args=(str(tmp_path / f"own{n}.json"), str(_path(share, n)), n,
                                                      CASE, edits)) for n in range(people)]
    twin = _path(share, 99)  # one person, two notebooks: each shares different prompts into the same file
    jobs += [context.Process(target=participant, args=(str(tmp_path / "twin_a.json"), str(twin), 99, CASE, edits,
                                                       ("spectrum", "poll", "core"))),
             context.Process(target=participant, args=(str(tmp_path / "twin_b.json"), str(twin), 98, CASE, edits,
                                                       ("canvas", "share")))]
    for job in jobs:
        job.start()
    seen = []
    while any(job.is_alive() for job in jobs):  # the facilitator refreshes while they write
        summary, notes = collect(share, CASE)
        assert notes == [], f"a reader saw a damaged file while participants wrote: {notes}"
        seen.append(0 if summary is None else len(summary.participants))
        time.sleep(0.05)
    for job in jobs:
        job.join(timeout=120)
        assert job.exitcode == 0
    summary, notes = collect(share, CASE, seed=1)
    assert notes == [] and len(summary.participants) == people + 1
    assert sorted(summary.participants) == sorted(f"Participant {i}" for i in range(1, people + 2))
    ids = prompt_ids(CASE)
    assert {(s.prompt_id, len(s.answers)) for s in summary.prompts} == {(i, people + 1) for i in ids.values()}
    last = edits - 1
    tally = summary.prompt(LESSON, ids["poll"]).tally()
    expected = {o: 0 for o in POLL_OPTIONS}
    for n in list(range(people)) + [99]:
        expected[POLL_OPTIONS[(n + last) % len(POLL_OPTIONS)]] += 1
    assert tally == expected, "every participant's latest poll answer is counted once"
    twin_entries = Journal(twin).read()["entries"][LESSON]
    assert set(twin_entries) == set(ids.values()), "two notebooks of one person lose nothing in the shared file"
    assert len(twin_entries[ids["spectrum"]]["history"]) == edits
    assert seen == sorted(seen), "a participant who shared never disappears from the facilitator's view"
    assert max(seen) <= people + 1


def test_answers_are_anonymised_as_the_merge_command_does(share, tmp_path):
    journal = SharingJournal(tmp_path / "own.json", share_path=_path(share, 1), sharing=True)
    prompts = breakout_prompts(CASE, journal=journal, mode="static")
    prompts["core"].save("Ana Silva said (ana@example.org, @ana_s) that consent came first.")
    journal.set_display_name("Ana Silva")
    summary, _ = collect(share, CASE, names=["Ana Silva"])
    text = summary.to_markdown()
    assert "Ana" not in text and "ana@example.org" not in text and "@ana_s" not in text
    assert "(name removed) said ((e-mail removed), (handle removed)) that consent came first." in text
    assert "Participant 1" in text and "**Anonymised.**" in text


def test_only_the_chosen_cases_prompts_are_shown(share, tmp_path):
    journal = SharingJournal(tmp_path / "own.json", share_path=_path(share, 2), sharing=True)
    breakout_prompts("wolf-news", journal=journal, mode="static")["share"].save("About the second case.")
    assert collect(share, CASE) == (None, [])
    assert collect(share, "wolf-news")[0].participants == ["Participant 1"]


def test_sharing_off_shares_nothing_and_withdraw_removes_what_was_shared(share, tmp_path):
    path = _path(share, 3)
    journal = SharingJournal(tmp_path / "own.json", share_path=path)
    prompts = breakout_prompts(CASE, journal=journal, mode="static")
    prompts["poll"].save(POLL_OPTIONS[1])
    assert not path.exists(), "nothing leaves the participant's journal unless they share"
    journal.sharing = True
    prompts["core"].save("Shared now.")
    assert set(Journal(path).read()["entries"][LESSON]) == {prompt_ids(CASE)["core"]}
    assert shareback.withdraw(path, LESSON, prompt_ids(CASE).values()) == 1
    assert Journal(path).read()["entries"].get(LESSON, {}) == {}
    assert Journal(tmp_path / "own.json").answer(LESSON, prompt_ids(CASE)["core"]) == "Shared now."


def test_a_failed_share_never_loses_the_answer(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    reports = []
    journal = SharingJournal(tmp_path / "own.json", share_path=blocked / "p.json", sharing=True,
                             on_share=lambda j: reports.append(j.last_share_error))
    entry = breakout_prompts(CASE, journal=journal, mode="static")["core"].save("Kept locally.")
    assert entry["answer"] == "Kept locally."
    assert Journal(tmp_path / "own.json").answer(LESSON, prompt_ids(CASE)["core"]) == "Kept locally."
    assert isinstance(journal.last_share_error, OSError) and reports == [journal.last_share_error]


def test_share_files_are_readable_by_the_facilitator(share, tmp_path):
    import os
    import stat

    path = _path(share, 4)
    SharingJournal(tmp_path / "own.json", share_path=path, sharing=True).record(
        LESSON, prompt_ids(CASE)["core"], "reflection", "x")
    assert stat.S_IMODE(os.stat(path).st_mode) & 0o044


# -- share codes ---------------------------------------------------------------------------------------


def test_share_codes_round_trip_and_catch_typing_mistakes():
    code = ShareCode(10, 1, 7)
    text = str(code)
    assert text.startswith("SMW-10B07") and len(text) == 10
    assert ShareCode.parse(text) == code and ShareCode.parse(f"  {text.lower()} ") == code
    assert ShareCode.parse(str(ShareCode(3, None, None))) == ShareCode(3, None, None)
    wrong = text[:-1] + ("A" if text[-1] != "A" else "B")
    with pytest.raises(ValueError, match="typing mistake"):
        ShareCode.parse(wrong)
    changed = text[:7] + ("8" if text[7] != "8" else "9") + text[8:]
    with pytest.raises(ValueError, match="typing mistake"):
        ShareCode.parse(changed)
    with pytest.raises(ValueError, match="is not a share code"):
        ShareCode.parse("hello")
    with pytest.raises(ValueError, match="spectrum"):
        ShareCode(10, 1, 11)


def test_a_participants_code_carries_their_poll_and_spectrum(tmp_path):
    journal = Journal(tmp_path / "own.json")
    prompts = breakout_prompts(CASE, journal=journal, mode="static")
    assert ShareCode.for_case(CASE, journal).poll is None
    prompts["poll"].save(POLL_OPTIONS[2])
    prompts["spectrum"].save({"value": 3, "rationale": ""})
    code = ShareCode.for_case(CASE, journal)
    assert (code.poll, code.spectrum) == (2, 3)
    from workshop_utils import cases

    assert code.case_number == cases.ids().index(CASE) + 1


def test_a_pasted_chat_is_tallied_once_per_code():
    from workshop_utils import cases

    number = cases.ids().index(CASE) + 1
    other = cases.ids().index("wolf-news") + 1
    a, b, c = ShareCode(number, 0, 2), ShareCode(number, 3, 9), ShareCode(number, 0, 2)
    bad = str(ShareCode(number, 1, 5))[:-1] + "Q"
    bad = bad if bad != str(ShareCode(number, 1, 5)) else bad[:-1] + "R"
    chat = (f"14:02 Ana: {a}\n14:02 Ben: my code is {b}!\n14:03 Ana: {a} (again)\n"
            f"14:03 Cai: {ShareCode(other, 1, 1)}\n14:04 Dee: {bad}\n")
    tally = tally_codes(chat, CASE)
    assert len(tally.codes) == 2 and tally.other_cases == 1 and tally.mistakes == [bad]
    assert tally.poll()[POLL_OPTIONS[0]] == 1 and tally.poll()[POLL_OPTIONS[3]] == 1
    assert sorted(tally.spectrum()) == [2, 9]
    assert c == a
    text = tally.to_markdown()
    assert "2 code(s) for this case; 1 for another case left out; 1 with a typing mistake" in text


def test_the_tally_sheet_lists_the_options_for_a_show_of_hands():
    sheet = shareback.tally_sheet(CASE)
    assert all(f"| {option} | |" in sheet for option in POLL_OPTIONS)
    assert "from 0 (clearly benign) to 10 (clearly harmful)" in sheet


# -- the facilitator's view ----------------------------------------------------------------------------


def test_the_view_refreshes_from_the_folder_and_adds_pasted_codes(share, tmp_path):
    view = ShareBackView(CASE, share=share, names=["Ben Okafor"], mode="static")
    assert "Nobody has shared answers to this case yet" in view.to_markdown()
    journal = SharingJournal(tmp_path / "own.json", share_path=_path(share, 5), sharing=True)
    prompts = breakout_prompts(CASE, journal=journal, mode="static")
    prompts["share"].save("Ben Okafor thinks disclosure strengthens the message.")
    prompts["poll"].save(POLL_OPTIONS[1])
    text = view.refresh()
    assert "1 participant(s) shared answers" in text and view.participants == 1
    assert "Okafor" not in text and "(name removed) thinks disclosure strengthens the message." in text
    from workshop_utils import cases

    view.add_codes(f"{ShareCode(cases.ids().index(CASE) + 1, 4, 10)}")
    assert "From share codes:** 1 code(s)" in view.to_markdown()


def test_the_live_view_shows_the_summary_and_refreshes_on_the_button(share, tmp_path):
    view = ShareBackView(CASE, share=share, mode="live")
    widget = view.widget()
    assert "workshop-shareback" in widget._dom_classes
    assert "Nobody has shared" in view.output.outputs[0]["data"]["text/markdown"]
    journal = SharingJournal(tmp_path / "own.json", share_path=_path(share, 6), sharing=True)
    breakout_prompts(CASE, journal=journal, mode="static")["share"].save("One sentence.")
    view.refresh_button.click()
    assert "1 participant(s) shared" in view.output.outputs[0]["data"]["text/markdown"]
    assert "1 participant(s) shared, 0 code(s)" in view.status.value
    view.paste.value = "no codes here"
    assert view.codes.codes == []


def test_without_a_share_folder_the_view_says_what_to_do(participant):
    text = ShareBackView(CASE, mode="static").to_markdown()
    assert "No share folder is set" in text and "share codes" in text


def test_a_damaged_share_file_is_reported_not_fatal(share, tmp_path):
    journal = SharingJournal(tmp_path / "own.json", share_path=_path(share, 7), sharing=True)
    breakout_prompts(CASE, journal=journal, mode="static")["share"].save("Fine.")
    _path(share, 8).write_text('{"format": "workshop-journal", "entries": {"session": {"x": ')
    summary, notes = collect(share, CASE)
    assert len(summary.participants) == 1 and notes and "damaged" in notes[0]
    assert json.loads(_path(share, 7).read_text())["format"] == "workshop-journal"
