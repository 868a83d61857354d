"""The ``workshop journal`` and ``workshop rooms`` commands."""

import json

import pytest

from workshop_utils.course import cli
from workshop_utils.discussion import Journal


@pytest.fixture
def journals(tmp_path):
    paths = []
    for name, choice, position, text in [
        ("Ana", "The platform", 8, "Ana thinks the label belongs on the upload."),
        ("Ben", "The maker", 3, "It depends on consent."),
        ("", "The platform", 6, "Disclosure matters most."),
    ]:
        path = tmp_path / f"learner{len(paths) + 1}.json"
        journal = Journal(path)
        if name:
            journal.set_display_name(name)
        journal.record("01", "who-labels", "poll", choice, question="Who should label it?",
                       details={"options": ["The maker", "The platform", "Nobody"]})
        journal.record("01", "voice", "spectrum", {"value": position, "rationale": text}, question="A cloned voice",
                       details={"minimum": 0, "maximum": 10, "step": 1, "left": "benign", "right": "harmful"})
        journal.record("02", "canvas", "canvas", {"name": name or "Zed", "intended_use": "audiobooks"},
                       question="A voice app")
        paths.append(path)
    return paths


def test_journal_export_prints_markdown(journals, capsys):
    assert cli.main(["journal", "export", str(journals[0])]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# My workshop journal\n\nName: Ana\n\n## Lesson 01")
    assert "**Choice:** The platform" in out and "**Position:** 8 on a scale from 0 (benign) to 10 (harmful)" in out
    assert "## Lesson 02" in out


def test_journal_export_to_a_file(journals, tmp_path, capsys):
    target = tmp_path / "mine.md"
    assert cli.main(["journal", "export", str(journals[1]), "-o", str(target)]) == 0
    assert f"wrote {target}" in capsys.readouterr().out
    assert "It depends on consent." in target.read_text()


def test_journal_merge_summarises_every_prompt(journals, capsys):
    assert cli.main(["journal", "merge", *map(str, journals)]) == 0
    out = capsys.readouterr().out
    assert "3 journal(s) merged." in out
    assert "| The platform | 2 | 67% | ████████████████████ |" in out and "| Nobody | 0 | 0% |  |" in out
    assert "Positions: n = 3, median 6, mean 5.67, range 3 to 8." in out
    assert "| 8 | 1 | 33% |" in out and "| 0 (benign) | 0 |" in out
    assert "**Ana:**" in out and "**learner3:**" in out


def test_journal_merge_anonymised(journals, tmp_path, capsys):
    target = tmp_path / "summary.md"
    assert cli.main(["journal", "merge", *map(str, journals), "--anonymise", "-o", str(target)]) == 0
    text = target.read_text()
    assert "**Anonymised.**" in text and "**Not removed:**" in text
    assert "Ana" not in text and "Ben" not in text and "learner" not in text and "Zed" not in text
    assert "(name removed) thinks the label belongs on the upload." in text
    assert {"**Participant 1:**", "**Participant 2:**", "**Participant 3:**"} <= set(text.split("\n"))
    assert "audiobooks" in text


def test_anonymised_labels_are_stable_within_one_merge(journals):
    from workshop_utils.discussion import merge_journals

    merged = merge_journals(journals, anonymise=True, seed=1)
    by_prompt = {(s.lesson, s.prompt_id): dict(s.answers) for s in merged.prompts}
    for label in merged.participants:
        position = by_prompt[("01", "voice")][label]["value"]
        choice = by_prompt[("01", "who-labels")][label]
        assert (choice, position) in {("The platform", 8), ("The maker", 3), ("The platform", 6)}
        assert ({8: "The platform", 3: "The maker", 6: "The platform"})[position] == choice
    assert merged.prompt("01", "who-labels").tally() == {"The maker": 1, "The platform": 2, "Nobody": 0}
    assert sorted(merged.prompt("01", "voice").values()) == [3, 6, 8]
    with pytest.raises(KeyError, match="no answers to 09/x"):
        merged.prompt("09", "x")


def test_journal_errors(journals, tmp_path, capsys):
    assert cli.main(["journal", "export", str(tmp_path / "missing.json")]) == 2
    assert "no journal file at" in capsys.readouterr().err
    assert cli.main(["journal", "export", str(journals[0]), str(journals[1])]) == 2
    assert "journal export takes exactly one journal file" in capsys.readouterr().err
    assert cli.main(["journal", "merge", str(journals[0]), str(journals[0])]) == 2
    assert "lists the same file more than once" in capsys.readouterr().err


def test_journal_merge_reads_a_damaged_file_with_a_note(journals, capsys):
    text = journals[2].read_text()
    journals[2].write_text(text[: len(text) // 2])
    before = journals[2].read_bytes()
    assert cli.main(["journal", "merge", *map(str, journals)]) == 0
    captured = capsys.readouterr()
    assert "workshop journal: note: The journal" in captured.err and "was damaged" in captured.err
    assert journals[2].read_bytes() == before, "merging never changes a learner's file"


# -- rooms ----------------------------------------------------------------------------------------------


@pytest.fixture
def names_file(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("# Tuesday group\n" + "\n".join(f"Learner {c}" for c in "ABCDEFGHIJ") + "\n\n")
    return path


def test_rooms_prints_reproducible_rooms(names_file, capsys):
    assert cli.main(["rooms", str(names_file), "--size", "3-4", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Round 1 (seed 3): 10 people in 3 room(s) (4 + 3 + 3)\n  Room 1: ")
    assert all(f"Learner {c}" in out for c in "ABCDEFGHIJ")
    assert cli.main(["rooms", str(names_file), "--seed", "3"]) == 0
    assert capsys.readouterr().out == out
    assert cli.main(["rooms", str(names_file)]) == 0
    assert "Use --seed" in capsys.readouterr().out


def test_rooms_round_without_history(names_file, capsys):
    assert cli.main(["rooms", str(names_file), "--seed", "3", "--round", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Round 2 (seed 3)") and "Repeated pairs from earlier rounds: 1 of 12" in out


def test_rooms_with_a_history_file(names_file, tmp_path, capsys):
    history = tmp_path / "rooms_history.json"
    for expected in (1, 2):
        assert cli.main(["rooms", str(names_file), "--seed", "9", "--history", str(history)]) == 0
        out = capsys.readouterr().out
        assert out.startswith(f"Round {expected} (seed 9)") and f"(saved as round {expected} in" in out
    assert len(json.loads(history.read_text())["rounds"]) == 2
    assert cli.main(["rooms", str(names_file), "--history", str(history), "--round", "1"]) == 0
    assert "(round 1 as saved in" in capsys.readouterr().out
    assert cli.main(["rooms", str(names_file), "--history", str(history), "--round", "5"]) == 2
    assert "holds 2 round(s); the next one is round 3, not 5" in capsys.readouterr().err


def test_rooms_history_can_start_after_a_round_printed_without_it(names_file, tmp_path, capsys):
    assert cli.main(["rooms", str(names_file), "--seed", "1"]) == 0
    first = capsys.readouterr().out
    assert cli.main(["rooms", str(names_file), "--seed", "1", "--round", "2"]) == 0
    second = capsys.readouterr().out
    history = tmp_path / "rooms_history.json"
    assert cli.main(["rooms", str(names_file), "--seed", "1", "--round", "2", "--history", str(history)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("(round 1 re-created from seed 1") and second in out
    saved = json.loads(history.read_text())["rounds"]
    assert [r["round"] for r in saved] == [1, 2]
    assert all(", ".join(room) in first for room in saved[0]["rooms"]), "round 1 is the one printed earlier"


@pytest.mark.parametrize(
    "content, args, message",
    [
        ("Ana\nBen\nCai\nana\n", [], "'ana' appears twice (lines 1 and 4)"),
        ("# empty\n", [], "lists no names"),
        ("Ana\nBen\nCai\n", ["--size", "big"], "size must look like 3-4"),
        ("Ana\nBen\nCai\n", ["--round", "0"], "--round must be between 1 and 100"),
    ],
)
def test_rooms_errors(tmp_path, capsys, content, args, message):
    path = tmp_path / "names.txt"
    path.write_text(content)
    assert cli.main(["rooms", str(path), *args]) == 2
    assert message in capsys.readouterr().err


def test_rooms_small_group_note(tmp_path, capsys):
    path = tmp_path / "names.txt"
    path.write_text("Ana\nBen\nCai\nDee\nEli\n")
    assert cli.main(["rooms", str(path), "--seed", "0"]) == 0
    out = capsys.readouterr().out
    assert "5 people in 1 room(s) (5)" in out and "rather than 3 + 2" in out
