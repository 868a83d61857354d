"""The learner's journal: saving, history, bad input, damaged files, concurrent and killed writers."""

import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from filelock import FileLock

from journal_fault_helpers import write_many
from workshop_utils.discussion import report
from workshop_utils.discussion.journal import (
    ENV_DIR,
    MAX_ANSWER_CHARS,
    MAX_HISTORY,
    Journal,
    JournalRecoveryWarning,
    check_answer,
    journal_path,
    parse_journal,
    read_journal,
)

HELPER = Path(__file__).with_name("journal_fault_helpers.py")


class Clock:
    """A fake clock that moves one minute per call."""

    def __init__(self):
        self.now = datetime(2026, 3, 14, 14, 2, 0, tzinfo=timezone.utc)

    def __call__(self):
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def journal(tmp_path):
    return Journal(tmp_path / "journal.json", clock=Clock())


# -- where the file is -------------------------------------------------------------------------------


def test_path_explicit_file_beats_folder_env_and_cwd(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_DIR, str(tmp_path / "env"))
    monkeypatch.chdir(tmp_path)
    assert journal_path(tmp_path / "mine.json") == tmp_path / "mine.json"
    assert journal_path(tmp_path) == tmp_path / "workshop_journal.json"  # an existing folder
    assert journal_path() == tmp_path / "env" / "workshop_journal.json"
    monkeypatch.delenv(ENV_DIR)
    assert journal_path() == tmp_path / "workshop_journal.json"


def test_env_folder_is_created_on_first_save(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_DIR, str(tmp_path / "new" / "folder"))
    Journal().record("01", "a", "reflection", "yes")
    assert json.loads((tmp_path / "new" / "folder" / "workshop_journal.json").read_text())["entries"]["01"]["a"]


def test_bad_paths_are_named():
    with pytest.raises(TypeError, match="path must be a file path"):
        journal_path(42)
    with pytest.raises(ValueError, match="path must be a .json file or an existing folder"):
        journal_path("notes.txt")


# -- saving -------------------------------------------------------------------------------------------


def test_record_saves_answer_time_and_history(journal):
    entry = journal.record("01", "spectrum-example", "reflection", "First thought", question="Where?")
    assert entry["answer"] == "First thought" and entry["saved_at"] == "2026-03-14T14:03:00+00:00"
    journal.record("01", "spectrum-example", "reflection", "Second thought", question="Where?")
    on_disk = json.loads(journal.path.read_text())
    saved = on_disk["entries"]["01"]["spectrum-example"]
    assert saved["answer"] == "Second thought"
    assert saved["question"] == "Where?" and saved["kind"] == "reflection"
    assert [v["answer"] for v in saved["history"]] == ["First thought", "Second thought"]
    assert [v["saved_at"] for v in saved["history"]] == ["2026-03-14T14:03:00+00:00", "2026-03-14T14:04:00+00:00"]
    assert journal.answer("01", "spectrum-example") == "Second thought"
    assert journal.answer("01", "nothing", default="-") == "-"


def test_saving_the_same_answer_again_writes_nothing(journal):
    journal.record("01", "a", "poll", "Yes")
    before = journal.path.read_bytes()
    entry = journal.record("01", "a", "poll", "Yes")
    assert journal.path.read_bytes() == before
    assert entry["saved_at"] == "2026-03-14T14:03:00+00:00" and len(entry["history"]) == 1


def test_history_is_capped(journal):
    for i in range(MAX_HISTORY + 5):
        journal.record("01", "a", "reflection", f"v{i}")
    history = journal.entry("01", "a")["history"]
    assert len(history) == MAX_HISTORY and history[-1]["answer"] == f"v{MAX_HISTORY + 4}"


def test_every_kind_of_answer_round_trips(journal):
    answers = {
        "reflection": "text",
        "poll": "Option B",
        "spectrum": {"value": 7, "rationale": "because"},
        "canvas": {"intended_use": "audiobooks", "mitigations": ""},
        "quiz": {"answers": ["Real", None, "Synthetic"]},
    }
    for kind, answer in answers.items():
        journal.record("03", f"p-{kind}", kind, answer)
    assert {e["kind"]: e["answer"] for e in journal.entries()} == answers
    assert check_answer("spectrum", {"value": 2.5}) == {"value": 2.5, "rationale": ""}


def test_display_name(journal):
    assert journal.display_name == ""
    journal.set_display_name("  Sam  ")
    assert journal.display_name == "Sam"
    with pytest.raises(ValueError, match="name must be at most 80 characters"):
        journal.set_display_name("x" * 81)
    with pytest.raises(TypeError, match="name must be text"):
        journal.set_display_name(None)


def test_writes_are_atomic_and_leave_no_temporary_files(journal):
    for i in range(5):
        journal.record("01", f"p{i}", "reflection", "x")
    leftovers = [p.name for p in journal.path.parent.iterdir() if p.name not in ("journal.json", "journal.json.lock")]
    assert leftovers == []
    json.loads(journal.path.read_text())


def test_an_orphaned_temporary_file_is_cleaned_up(journal):
    journal.record("01", "a", "reflection", "x")
    orphan = journal.path.with_name("journal.json.tmp-abc123")
    orphan.write_text('{"half": ')
    journal.record("01", "b", "reflection", "y")
    assert not orphan.exists()


def test_a_held_lock_gives_a_clear_timeout(tmp_path):
    path = tmp_path / "j.json"
    with FileLock(str(path) + ".lock"):
        with pytest.raises(TimeoutError, match="could not lock .* another notebook or program is writing it"):
            Journal(path, lock_timeout=0.2).record("01", "a", "reflection", "x")


# -- bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, error, message",
    [
        (("01", "a", "reflection", 42), TypeError, r"answer for a reflection must be text \(a str\), got 42"),
        (("01", "a", "poll", ["A"]), TypeError, "answer for a poll must be text"),
        (("01", "a", "essay", "x"), ValueError, "kind must be one of 'reflection', 'poll'"),
        (("01", "a", "reflection", "x" * (MAX_ANSWER_CHARS + 1)), ValueError, "answer is too long: 20,003 characters"),
        (("01 intro", "a", "reflection", "x"), ValueError, "lesson must be 1-64 letters, digits"),
        (("01", "", "reflection", "x"), ValueError, "prompt_id must be 1-64 letters"),
        (("01", 7, "reflection", "x"), TypeError, "prompt_id must be a string"),
        (("01", "a", "spectrum", {"rationale": "x"}), ValueError, "needs a 'value'"),
        (("01", "a", "spectrum", {"value": "high"}), TypeError, r"answer\['value'\] must be a number"),
        (("01", "a", "spectrum", {"value": float("nan")}), ValueError, "finite"),
        (("01", "a", "canvas", {"who": 3}), TypeError, r"answer\['who'\] must be text"),
        (("01", "a", "quiz", {"answers": "Real"}), TypeError, r"answer\['answers'\] for a quiz must be a list"),
        (("01", "a", "quiz", {"answers": [], "correct": -1}), TypeError, "whole number >= 0"),
        (("01", "a", "quiz", {"answers": [], "extra": 1}), ValueError, r"unknown key\(s\) \['extra'\]"),
    ],
)
def test_bad_input_gets_a_clear_error_and_nothing_is_written(journal, args, error, message):
    with pytest.raises(error, match=message):
        journal.record(*args)
    assert not journal.path.exists()


def test_bad_question_and_details(journal):
    with pytest.raises(TypeError, match="question must be text"):
        journal.record("01", "a", "reflection", "x", question=3)
    with pytest.raises(TypeError, match="details must hold only JSON values"):
        journal.record("01", "a", "reflection", "x", details={"when": datetime.now()})


# -- damaged files ------------------------------------------------------------------------------------


def _good_journal(tmp_path, n=4):
    path = tmp_path / "workshop_journal.json"
    journal = Journal(path, clock=Clock())
    journal.set_display_name("Robin")
    for i in range(n):
        journal.record("01", f"p{i}", "reflection", f"answer {i}")
    return path


def _recover_and_check(path, expected_prompts, tmp_path):
    original = path.read_bytes()
    journal = Journal(path, clock=Clock())
    with pytest.warns(JournalRecoveryWarning, match=r"was damaged .* copied to workshop_journal\.corrupt-\d{8}-\d{6}\.json"):
        journal.record("01", "new", "reflection", "saved after the damage")
    backups = sorted(tmp_path.glob("workshop_journal.corrupt-*.json"))
    assert len(backups) == 1 and backups[0].read_bytes() == original, "the damaged file must be kept as it was"
    assert "Recovered" in journal.last_recovery
    with warnings.catch_warnings():
        warnings.simplefilter("error", JournalRecoveryWarning)  # the rewritten file is clean
        data = json.loads(path.read_text())
        assert parse_journal(path.read_bytes())[1] == []
        assert set(data["entries"]["01"]) == set(expected_prompts) | {"new"}
        assert journal.answer("01", "new") == "saved after the damage"
    return data


def test_truncated_file_keeps_the_complete_entries(tmp_path):
    path = _good_journal(tmp_path)
    text = path.read_text()
    path.write_text(text[: text.index('"p3"') + 30])  # cut inside the last entry
    data = _recover_and_check(path, ["p0", "p1", "p2"], tmp_path)
    assert data["entries"]["01"]["p2"]["answer"] == "answer 2"
    assert data["display_name"] == "Robin"


def test_appended_garbage_keeps_everything(tmp_path):
    path = _good_journal(tmp_path)
    with path.open("ab") as stream:
        stream.write(b"\x00\xff garbage }{")
    _recover_and_check(path, ["p0", "p1", "p2", "p3"], tmp_path)


@pytest.mark.parametrize("content", [b"", b"\x89PNG not a journal at all", b"[1, 2, 3]", b"42", b'"text"', b'{"a": 1}'])
def test_garbage_or_wrong_top_level_type_is_backed_up_and_replaced(tmp_path, content):
    path = tmp_path / "workshop_journal.json"
    path.write_bytes(content)
    data = _recover_and_check(path, [], tmp_path)
    assert data["format"] == "workshop-journal"


def test_entries_wrapped_in_a_list_are_still_found(tmp_path):
    path = _good_journal(tmp_path, n=2)
    entries = list(json.loads(path.read_text())["entries"]["01"].values())
    path.write_text(json.dumps(entries))
    _recover_and_check(path, ["p0", "p1"], tmp_path)


def test_hand_edited_entries_are_repaired_or_dropped(tmp_path):
    path = _good_journal(tmp_path, n=6)
    data = json.loads(path.read_text())
    prompts = data["entries"]["01"]
    del prompts["p0"]["history"]                       # repaired from the answer
    del prompts["p1"]["answer"]                        # repaired from the history
    del prompts["p2"]["saved_at"]                      # kept, time unknown
    prompts["p3"]["answer"] = 12                       # wrong type: dropped
    del prompts["p4"]["kind"]                          # unknown kind: dropped
    prompts["p5"]["history"].append({"answer": None})  # a broken old version is dropped
    data["entries"]["02"] = "not an object"            # dropped
    data["entries"]["bad id!"] = {}                    # nothing in it
    path.write_text(json.dumps(data))
    with pytest.warns(JournalRecoveryWarning) as caught:
        document = read_journal(path)  # reading alone changes nothing
    message = str(caught[0].message)
    assert "entry 01/p3: answer for a reflection must be text" in message and "The file was not changed" in message
    assert set(document["entries"]["01"]) == {"p0", "p1", "p2", "p5"}
    assert document["entries"]["01"]["p1"]["answer"] == "answer 1"
    assert document["entries"]["01"]["p0"]["history"] == [
        {"answer": "answer 0", "saved_at": document["entries"]["01"]["p0"]["saved_at"]}
    ]
    assert document["entries"]["01"]["p2"]["saved_at"] is None
    assert len(document["entries"]["01"]["p5"]["history"]) == 1
    _recover_and_check(path, ["p0", "p1", "p2", "p5"], tmp_path)


def test_backups_never_overwrite_each_other(tmp_path):
    path = tmp_path / "workshop_journal.json"
    journal = Journal(path, clock=lambda: datetime(2026, 1, 1, tzinfo=timezone.utc))
    for garbage in (b"one", b"two"):
        path.write_bytes(garbage)
        with pytest.warns(JournalRecoveryWarning):
            journal.record("01", "a", "reflection", garbage.decode())
    backups = sorted(p.read_bytes() for p in tmp_path.glob("workshop_journal.corrupt-*.json"))
    assert backups == [b"one", b"two"]


# -- concurrent and killed writers -----------------------------------------------------------------------


def test_concurrent_writers_lose_nothing(tmp_path):
    path = str(tmp_path / "shared.json")
    writers, count, shared = 4, 25, 10
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=write_many, args=(path, w, count, shared)) for w in range(writers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error", JournalRecoveryWarning)
        entries = Journal(path).read()["entries"]["01"]
    expected = {f"w{w}-{i}" for w in range(writers) for i in range(count)} | {"shared"}
    assert set(entries) == expected
    assert all(entries[f"w{w}-{i}"]["answer"] == f"answer {i} from writer {w}" for w in range(writers) for i in range(count))
    edits = {v["answer"] for v in entries["shared"]["history"]}
    assert edits == {f"writer {w} edit {i}" for w in range(writers) for i in range(shared)}


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_a_writer_killed_mid_write_never_leaves_a_partial_file(tmp_path):
    path = tmp_path / "killed.json"
    rng = random.Random(20261128)
    acknowledged: list[int] = []
    start = 0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for _ in range(6):  # a non-atomic writer fails this test with probability > 99%
        child = subprocess.Popen(
            [sys.executable, str(HELPER), str(path), str(start)], stdout=subprocess.PIPE, text=True, env=env
        )
        first = child.stdout.readline()  # wait until it is writing
        assert first.strip().isdigit(), "the writer did not start"
        time.sleep(rng.uniform(0.05, 0.3))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        output = first + child.stdout.read()
        child.stdout.close()
        acknowledged += [int(line) for line in output.split("\n")[:-1] if line.strip().isdigit()]  # whole lines only
        text = path.read_text()
        data = json.loads(text)  # always complete, valid JSON
        assert parse_journal(text)[1] == []
        saved = {int(p[1:]) for p in data["entries"]["02"]}
        missing = set(acknowledged) - saved
        assert not missing, f"answers acknowledged before the kill were lost: {sorted(missing)[:5]}"
        start = max(saved) + 1
    assert len(acknowledged) >= 6
    Journal(path).record("02", "after", "reflection", "the next writer cleans up")
    assert not list(tmp_path.glob("killed.json.tmp-*")), "orphaned temporary files must be removed"


def test_export_uses_the_journal(journal):
    journal.record("01", "a", "reflection", "hello")
    assert "> hello" in report.export_markdown(journal)
    assert report.export_markdown(journal.path) == report.export_markdown(journal)
