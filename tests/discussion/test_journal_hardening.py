"""Attacks on the journal that used to lose or mangle answers (issue 15, items 4-6), now tests.

* 4: a legitimate answer never looks like damage (U+FFFD, lone surrogates, Latin-1 once salvaged);
* 5: damaged files are recovered in time linear in their size, never with a RecursionError;
* 6: nothing is dropped silently (newer versions, unknown fields, a prompt that changed kind,
  read-only and symlinked journals).
"""

import json
import warnings
from datetime import datetime, timezone

import pytest

from workshop_utils.course import cli
from workshop_utils.discussion import Reflection, export_markdown, merge_journals
from workshop_utils.discussion.journal import Journal, JournalRecoveryWarning, parse_journal, read_journal


def _clock():
    return datetime(2026, 3, 14, 14, 2, 31, tzinfo=timezone.utc)


def _backups(path):
    return sorted(path.parent.glob(path.stem + ".corrupt-*.json"))


# -- 4: a legitimate answer never looks like damage ---------------------------------------------------


def test_an_answer_with_u_fffd_is_saved_and_never_reported_as_damage(tmp_path):
    journal = Journal(tmp_path / "j.json", clock=_clock)
    journal.record("01", "pasted", "reflection", "copied from a PDF: caf\ufffd and \ufffd\ufffd")
    with warnings.catch_warnings():
        warnings.simplefilter("error", JournalRecoveryWarning)
        for i in range(3):
            journal.record("01", f"later{i}", "reflection", "another answer")
        assert journal.answer("01", "pasted") == "copied from a PDF: caf\ufffd and \ufffd\ufffd"
    assert _backups(journal.path) == []


def test_a_lone_surrogate_is_saved_as_u_fffd_instead_of_failing(tmp_path):
    journal = Journal(tmp_path / "j.json", clock=_clock)
    journal.record("01", "emoji", "reflection", "half an emoji \ud83d, a whole one \ud83d\ude00")
    journal.record("01", "canvas", "canvas", {"intended_use": "x\udc00y"})
    journal.set_display_name("Sam \ud800")
    journal.path.read_bytes().decode("utf-8")  # the file is valid UTF-8
    assert journal.answer("01", "emoji") == "half an emoji \ufffd, a whole one 😀"
    assert journal.answer("01", "canvas") == {"intended_use": "x\ufffdy"}
    assert journal.display_name == "Sam \ufffd"


def test_a_surrogate_escape_written_by_another_program_is_read_and_saved(tmp_path):
    path = tmp_path / "j.json"
    path.write_text('{"format": "workshop-journal", "version": 1, "display_name": "", "entries": {"01": {"a": '
                    '{"lesson": "01", "prompt": "a", "kind": "reflection", "answer": "x\\ud800", "saved_at": null,'
                    ' "history": []}}}}')
    journal = Journal(path, clock=_clock)
    journal.record("01", "b", "reflection", "saved next to it")
    assert journal.answer("01", "a") == "x\ufffd"


def test_a_latin1_journal_is_recovered_once_not_forever(tmp_path):
    path = tmp_path / "j.json"
    document = {"format": "workshop-journal", "version": 1, "display_name": "Zoë", "entries": {"01": {"a": {
        "lesson": "01", "prompt": "a", "kind": "reflection", "answer": "café crème", "saved_at": None, "history": []}}}}
    path.write_bytes(json.dumps(document, ensure_ascii=False).encode("latin-1"))
    journal = Journal(path, clock=_clock)
    with pytest.warns(JournalRecoveryWarning, match="not UTF-8 text; it was read as cp1252"):
        journal.record("01", "b", "reflection", "first save")
    with warnings.catch_warnings():
        warnings.simplefilter("error", JournalRecoveryWarning)
        journal.record("01", "c", "reflection", "second save")
        assert journal.answer("01", "a") == "café crème" and journal.display_name == "Zoë"
    assert len(_backups(path)) == 1


def test_a_byte_order_mark_is_not_damage(tmp_path):
    path = tmp_path / "j.json"
    Journal(path, clock=_clock).record("01", "a", "reflection", "x")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    with warnings.catch_warnings():
        warnings.simplefilter("error", JournalRecoveryWarning)
        assert Journal(path).answer("01", "a") == "x"


# -- 5: damaged files are recovered in linear time, without RecursionError --------------------------------

HOSTILE = {
    "400 kB of {": b"{" * 400_000,
    "20 MB of {": b"{" * 20_000_000,
    "unclosed keys": b'{"' * 500_000,
    "entry-like keys": b'{"lesson": ' * 200_000,
    "deep lists": b"[" * 1_000_000,
    "deep objects, closed": b'{"a":' * 200_000 + b"1" + b"}" * 200_000,
    "deep details in an entry": (
        b'{"format": "workshop-journal", "version": 1, "entries": {"01": {"a": {"lesson": "01", "prompt": "a", '
        b'"kind": "reflection", "answer": "kept", "history": [], "details": ' + b"[" * 5000 + b"]" * 5000 + b"}}}}"
    ),
}


@pytest.mark.timeout(300)  # a ceiling: the quadratic salvage took 29 s for 400 kB and never finished 50 MB
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_damage_is_backed_up_and_recovered_in_bounded_time(tmp_path, name):
    path = tmp_path / "j.json"
    path.write_bytes(HOSTILE[name])
    journal = Journal(path, clock=_clock)
    with pytest.warns(JournalRecoveryWarning, match="was damaged"):
        journal.record("01", "new", "reflection", "saved after the damage")
    assert [b.read_bytes() == HOSTILE[name] for b in _backups(path)] == [True]
    with warnings.catch_warnings():
        warnings.simplefilter("error", JournalRecoveryWarning)
        assert journal.answer("01", "new") == "saved after the damage"


def test_a_truncated_large_journal_keeps_every_complete_entry(tmp_path):
    path = tmp_path / "j.json"
    journal = Journal(path, clock=_clock)
    for i in range(300):
        journal.record("01", f"p{i:03d}", "reflection", f"answer {i} " + "words " * 300)
    text = path.read_text()
    path.write_text(text[: text.index('"p299"') + 40])
    with pytest.warns(JournalRecoveryWarning) as caught:
        document = read_journal(path)
    assert "stopped early" not in str(caught[0].message)
    assert len(document["entries"]["01"]) == 299


DEEP = b"[" * 200_000 + b"]" * 200_000


def test_deep_nesting_never_raises_recursion_error_anywhere(tmp_path, monkeypatch, capsys):
    path = tmp_path / "deep.json"
    path.write_bytes(DEEP)
    with pytest.warns(JournalRecoveryWarning, match="nests lists or objects more than 64 levels deep"):
        assert read_journal(path)["entries"] == {}
    with pytest.warns(JournalRecoveryWarning):
        assert "No answers saved yet" in export_markdown(path)
    with pytest.warns(JournalRecoveryWarning):
        assert merge_journals([path]).participants == ["deep"]
    assert cli.main(["journal", "export", str(path)]) == 0
    assert cli.main(["journal", "merge", str(path)]) == 0
    assert "was damaged" in capsys.readouterr().err
    names = tmp_path / "names.txt"
    names.write_text("Ana\nBen\nCai\n")
    history = tmp_path / "history.json"
    history.write_bytes(DEEP)
    assert cli.main(["rooms", str(names), "--history", str(history)]) == 2
    assert "nests lists or objects more than 64 levels deep" in capsys.readouterr().err
    assert history.read_bytes() == DEEP, "a damaged history is left as it is"
    prompt = Reflection("01", "r", "Why?", journal=path)
    with pytest.warns(JournalRecoveryWarning):
        form = prompt.widget()  # the live widget reads the journal
    assert "Not saved yet" in form.status_text
    with pytest.warns(JournalRecoveryWarning):
        form.text.value = "my answer"
    assert form.status_text.startswith("✓ Saved") and "was damaged" in form.status_text
    assert path.read_bytes() != DEEP and len(_backups(path)) == 1


# -- 6: nothing is dropped silently ---------------------------------------------------------------------------


def _entry(answer="kept", **extra):
    return {"lesson": "01", "prompt": "a", "kind": "reflection", "question": "Q", "details": {}, "answer": answer,
            "saved_at": "2026-03-14T14:00:00+00:00",
            "history": [{"answer": answer, "saved_at": "2026-03-14T14:00:00+00:00", "mood": "calm"}], **extra}


def test_unknown_fields_are_kept_through_saves(tmp_path):
    path = tmp_path / "j.json"
    document = {"format": "workshop-journal", "version": 1, "display_name": "", "updated_at": None,
                "settings": {"theme": "dark"}, "entries": {"01": {"a": _entry(tags=["x"])}}}
    path.write_text(json.dumps(document))
    with warnings.catch_warnings():
        warnings.simplefilter("error", JournalRecoveryWarning)  # extra fields are not damage
        journal = Journal(path, clock=_clock)
        journal.record("01", "b", "reflection", "another")
        journal.record("01", "a", "reflection", "edited")
    saved = json.loads(path.read_text())
    assert saved["settings"] == {"theme": "dark"}
    assert saved["entries"]["01"]["a"]["tags"] == ["x"]
    assert saved["entries"]["01"]["a"]["history"][0]["mood"] == "calm"
    assert [v["answer"] for v in saved["entries"]["01"]["a"]["history"]] == ["kept", "edited"]
    assert _backups(path) == []


def test_a_journal_from_a_newer_version_is_backed_up_and_its_data_kept(tmp_path):
    path = tmp_path / "j.json"
    document = {"format": "workshop-journal", "version": 2, "display_name": "", "updated_at": None,
                "sync": {"device": "laptop"}, "entries": {"01": {"a": _entry(confidence=0.8)}}}
    original = json.dumps(document).encode()
    path.write_bytes(original)
    journal = Journal(path, clock=_clock)
    with pytest.warns(JournalRecoveryWarning, match="newer version of the workshop .*format version 2"):
        journal.record("01", "b", "reflection", "saved")
    assert [b.read_bytes() for b in _backups(path)] == [original]
    saved = json.loads(path.read_text())
    assert saved["sync"] == {"device": "laptop"} and saved["entries"]["01"]["a"]["confidence"] == 0.8
    assert saved["entries"]["01"]["a"]["answer"] == "kept"


def test_a_prompt_answered_with_another_kind_keeps_its_earlier_versions(tmp_path):
    journal = Journal(tmp_path / "j.json", clock=_clock)
    journal.record("01", "same-id", "reflection", "my first, long reflection")
    journal.record("01", "same-id", "poll", "Yes")
    with warnings.catch_warnings():
        warnings.simplefilter("error", JournalRecoveryWarning)
        entry = journal.entry("01", "same-id")
        journal.record("01", "other", "reflection", "x")  # re-reading and re-saving keeps it too
        entry = journal.entry("01", "same-id")
    assert entry["kind"] == "poll" and entry["answer"] == "Yes"
    assert entry["history"][0] == {"answer": "my first, long reflection", "saved_at": entry["history"][0]["saved_at"],
                                   "kind": "reflection"}
    journal.record("01", "same-id", "reflection", "back to text")
    assert [v.get("kind", "reflection") for v in journal.entry("01", "same-id")["history"]] == \
        ["reflection", "poll", "reflection"]


def test_merge_shows_every_kind_answered_under_one_prompt_id(tmp_path):
    a, b = Journal(tmp_path / "a.json"), Journal(tmp_path / "b.json")
    a.record("01", "q", "reflection", "a thoughtful answer")
    b.record("01", "q", "poll", "Yes", details={"options": ["Yes", "No"]})
    merged = merge_journals([a.path, b.path])
    assert {s.kind for s in merged.prompts} == {"reflection", "poll"}
    assert merged.prompt("01", "q", "poll").tally() == {"Yes": 1, "No": 0}
    assert "a thoughtful answer" in merged.to_markdown()


def test_a_read_only_journal_is_never_changed(tmp_path):
    path = tmp_path / "j.json"
    journal = Journal(path, clock=_clock)
    journal.record("01", "a", "reflection", "kept")
    for content in (path.read_bytes(), b"damaged {"):
        path.write_bytes(content)
        path.chmod(0o444)
        try:
            with pytest.raises(PermissionError, match="is read-only, so it was not changed"):
                journal.record("01", "b", "reflection", "new")
            assert path.read_bytes() == content and _backups(path) == []
        finally:
            path.chmod(0o644)


def test_the_widget_says_why_a_read_only_journal_was_not_saved(tmp_path):
    path = tmp_path / "j.json"
    Journal(path).record("01", "other", "reflection", "x")
    path.chmod(0o444)
    try:
        form = Reflection("01", "r", "Why?", journal=path).widget()
        form.text.value = "my answer"
        assert form.status_text.startswith("⚠ Not saved: PermissionError") and "read-only" in form.status_text
    finally:
        path.chmod(0o644)


def test_a_symlinked_journal_is_written_through_the_link(tmp_path):
    real = tmp_path / "synced" / "workshop_journal.json"
    real.parent.mkdir()
    Journal(real, clock=_clock).record("01", "a", "reflection", "first")
    link = tmp_path / "workshop_journal.json"
    link.symlink_to(real)
    Journal(link, clock=_clock).record("01", "b", "reflection", "second")
    assert link.is_symlink()
    assert set(json.loads(real.read_text())["entries"]["01"]) == {"a", "b"}


def test_parse_journal_names_a_wrong_argument():
    with pytest.raises(TypeError, match="raw must be the file's contents"):
        parse_journal(42)
    assert parse_journal(b"")[1] == ["the file is empty"]
