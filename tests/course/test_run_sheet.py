"""The run sheet against the lessons' marks and minutes, as rendered in the facilitator guide, and `workshop session`."""

import dataclasses

import pytest

from workshop_utils.course import cli, run_sheet
from workshop_utils.session import plan
from workshop_utils.session.prompts import POLL_OPTIONS
from workshop_utils.session.shareback import ShareCode


def test_the_run_sheet_agrees_with_the_lessons(repo):
    assert run_sheet.problems(repo) == []


def test_the_facilitator_guide_holds_the_rendered_run_sheet(repo):
    guide = (repo / "docs" / "facilitator_guide.md").read_text(encoding="utf-8")
    rendered = run_sheet.render_markdown(repo)
    assert rendered in guide, "run `workshop session render`"
    sheet = plan.default()
    for step in sheet.steps:
        assert f"| {step.when} | **{step.title}** |" in rendered
    assert "`lessons/breakout.ipynb`, round 1: *Malaria Must Die* (`malaria-must-die`)" in rendered
    assert "everyone runs" in rendered and "the facilitator shows" in rendered
    assert "workshop check" in rendered, "the pre-work message is in the guide"


def test_a_step_that_disagrees_with_a_lesson_is_reported(repo):
    sheet = plan.default()
    step = next(s for s in sheet.steps if s.lesson == 1)
    wrong = dataclasses.replace(step, sections=step.sections + ("No such heading",))
    changed = dataclasses.replace(sheet, steps=tuple(wrong if s is step else s for s in sheet.steps))
    found = run_sheet.problems(repo, changed)
    assert any("lesson 01 has no section 'No such heading'" in p for p in found)
    short = dataclasses.replace(step, minutes=step.minutes - 1)
    changed = dataclasses.replace(sheet, steps=tuple(short if s is step else s for s in sheet.steps))
    assert any("lesson 01: its steps in the session take" in p for p in run_sheet.problems(repo, changed))
    dropped = dataclasses.replace(step, sections=step.sections[:-1])
    changed = dataclasses.replace(sheet, steps=tuple(dropped if s is step else s for s in sheet.steps))
    assert any("but no step of the session covers it" in p for p in run_sheet.problems(repo, changed))


def test_sync_guide_needs_its_markers(tmp_path, repo):
    guide = tmp_path / "guide.md"
    guide.write_text("# A guide without markers\n")
    with pytest.raises(ValueError, match="must contain the markers"):
        run_sheet.sync_guide(guide, repo)
    guide.write_text(f"# Guide\n\n{run_sheet.BEGIN}\nold\n{run_sheet.END}\n\nAfter.\n")
    assert run_sheet.sync_guide(guide, repo) is True and run_sheet.sync_guide(guide, repo) is False
    assert guide.read_text().endswith("\n\nAfter.\n")


# -- the command ----------------------------------------------------------------------------------------


def test_session_check_and_prework(capsys, repo, monkeypatch):
    monkeypatch.chdir(repo)
    assert cli.main(["session", "check"]) == 0
    assert "the run sheet agrees with the lessons" in capsys.readouterr().out
    assert cli.main(["session", "prework"]) == 0
    assert capsys.readouterr().out.strip() == plan.default().prework_message.strip()


def test_session_share_back_reads_the_folder_and_the_pasted_codes(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_PARTICIPANT_ID_FILE", str(tmp_path / "id"))
    from workshop_utils import cases, sharing
    from workshop_utils.session.prompts import breakout_prompts
    from workshop_utils.session.shareback import SharingJournal

    share = tmp_path / "share"
    share.mkdir()
    for n, name in enumerate(["Ana Silva", "Ben Okafor"]):
        path = sharing.share_file(share, "answers", f"p-{n:012x}")
        journal = SharingJournal(tmp_path / f"own{n}.json", share_path=path, sharing=True)
        breakout_prompts("malaria-must-die", journal=journal, mode="static")["share"].save(f"{name} agrees.")
    (tmp_path / "names.txt").write_text("Ana Silva\nBen Okafor <ben@example.org>\n")
    number = cases.ids().index("malaria-must-die") + 1
    (tmp_path / "chat.txt").write_text(f"Cai: {ShareCode(number, 2, 7)}\n")
    out = tmp_path / "summary.md"
    assert cli.main(["session", "share-back", "--case", "malaria-must-die", "--share", str(share), "--names",
                     str(tmp_path / "names.txt"), "--codes", str(tmp_path / "chat.txt"), "-o", str(out)]) == 0
    text = out.read_text()
    assert "2 participant(s) shared answers" in text and "Silva" not in text and "Okafor" not in text
    assert "From share codes:** 1 code(s)" in text
    assert cli.main(["session", "share-back", "--case", "malaria-must-die", "--share", str(share), "-o",
                     str(out)]) == 2, "an existing file is not replaced without --force"
    capsys.readouterr()
    assert cli.main(["session", "tally-sheet", "--case", "wolf-news"]) == 0
    sheet = capsys.readouterr().out
    assert all(option in sheet for option in POLL_OPTIONS)
    assert cli.main(["session", "share-back"]) == 2
    assert "needs --case" in capsys.readouterr().err
