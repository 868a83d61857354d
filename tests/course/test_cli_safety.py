"""The ``workshop`` command never destroys what it reads, and fails with one clear line (issue 15, items 1 and 8).

Each test is an attack that used to succeed: an output onto an input or a journal, a folder or a
missing folder where a file belongs, names files in other encodings, a huge group, odd arguments.
Concurrent facilitators (item 7) are in tests/discussion/test_rooms_hardening.py.
"""

import json
import unicodedata

import pytest

from workshop_utils.course import cli
from workshop_utils.discussion import Journal
from workshop_utils.discussion.prompts import Spectrum
from workshop_utils.resources import guide


@pytest.fixture
def journals(tmp_path):
    paths = []
    for name in ("ana", "ben", "cai"):
        journal = Journal(tmp_path / f"{name}.json")
        journal.record("01", "r", "reflection", f"{name}'s only copy of this answer")
        paths.append(journal.path)
    return paths


def _one_line_error(capsys, expected, lines=1):
    err = capsys.readouterr().err
    assert expected in err, err
    assert err.count("\n") == lines and "Traceback" not in err, err
    return err


# -- 1: outputs never overwrite inputs ---------------------------------------------------------------------


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_export_onto_its_own_journal_is_refused_and_the_journal_survives(journals, capsys, force):
    before = journals[0].read_bytes()
    assert cli.main(["journal", "export", str(journals[0]), "-o", str(journals[0]), *force]) == 2
    _one_line_error(capsys, "is also an input")
    assert journals[0].read_bytes() == before
    assert Journal(journals[0]).answer("01", "r") == "ana's only copy of this answer"


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_merge_onto_one_of_its_inputs_is_refused(journals, capsys, force):
    before = journals[1].read_bytes()
    assert cli.main(["journal", "merge", *map(str, journals), "-o", str(journals[1]), *force]) == 2
    _one_line_error(capsys, "is also an input")
    assert journals[1].read_bytes() == before


def test_output_onto_any_journal_history_or_backup_is_refused_even_with_force(journals, tmp_path, capsys):
    other = Journal(tmp_path / "someone_else.json")
    other.record("01", "x", "reflection", "not an input, still a journal")
    history = tmp_path / "rooms_history.json"
    history.write_text(json.dumps({"format": "workshop-rooms-history", "version": 1, "rounds": []}))
    backup = tmp_path / "workshop_journal.corrupt-20260314-140000.json"
    backup.write_bytes(b"damaged but precious")
    for target in (other.path, history, backup):
        before = target.read_bytes()
        assert cli.main(["journal", "export", str(journals[0]), "-o", str(target), "--force"]) == 2
        _one_line_error(capsys, "holds a journal or a rooms history; it is never overwritten")
        assert target.read_bytes() == before


def test_output_through_a_link_to_an_input_is_refused(journals, tmp_path, capsys):
    link = tmp_path / "summary.md"
    link.symlink_to(journals[2])
    assert cli.main(["journal", "merge", *map(str, journals), "-o", str(link), "--force"]) == 2
    _one_line_error(capsys, "is also an input")


def test_an_existing_output_is_replaced_only_with_force(journals, tmp_path, capsys):
    target = tmp_path / "summary.md"
    target.write_text("last week's summary")
    assert cli.main(["journal", "merge", *map(str, journals), "-o", str(target)]) == 2
    _one_line_error(capsys, "already exists; use --force to replace it")
    assert target.read_text() == "last week's summary"
    assert cli.main(["journal", "merge", *map(str, journals), "-o", str(target), "--force"]) == 0
    assert target.read_text().startswith("# Discussion summary")


def test_resources_render_never_replaces_the_guide_data_or_a_file_it_did_not_render(tmp_path, monkeypatch, capsys):
    data = tmp_path / "resources.json"
    data.write_bytes(guide.default_path().read_bytes())
    monkeypatch.setattr(guide, "default_path", lambda: data)
    before = data.read_bytes()
    assert cli.main(["resources", "render", "--output", str(data), "--force"]) == 2
    _one_line_error(capsys, "is also an input")
    assert data.read_bytes() == before
    notes = tmp_path / "notes.md"
    notes.write_text("my own notes")
    assert cli.main(["resources", "render", "--output", str(notes)]) == 2
    _one_line_error(capsys, "already exists; use --force")
    assert notes.read_text() == "my own notes"
    rendered = tmp_path / "resources.md"
    assert cli.main(["resources", "render", "--output", str(rendered)]) == 0
    rendered.write_text(rendered.read_text() + "\nstale line\n")
    assert cli.main(["resources", "render", "--output", str(rendered)]) == 0, "a rendered guide is re-rendered"
    assert "stale line" not in rendered.read_text()


def test_resources_add_never_writes_into_a_journal(journals, capsys):
    before = journals[0].read_bytes()
    args = ["--title", "A test resource", "--url", "https://example.org/r", "--year", "2020", "--type", "paper",
            "--topics", "detection", "--audience", "student", "--summary", "A summary long enough for the checker."]
    assert cli.main(["resources", "add", *args, "--file", str(journals[0])]) == 2
    _one_line_error(capsys, "is a journal or a rooms history, not a resources file")
    assert journals[0].read_bytes() == before


# -- 8: clear one-line errors, no tracebacks --------------------------------------------------------------------


@pytest.fixture
def names_file(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("Ana\nBen\nCai\nDee\n")
    return path


def test_folders_and_missing_folders_where_files_belong(journals, names_file, tmp_path, capsys):
    folder = tmp_path / "a_folder"
    folder.mkdir()
    not_a_folder = journals[0].with_suffix(".txt")
    not_a_folder.write_text("a file")
    attacks = [
        (["rooms", str(folder)], "is a folder, not a file"),
        (["rooms", str(names_file), "--history", str(folder)], "is a folder"),
        (["rooms", str(names_file), "--history", str(names_file)], "must not be the names file"),
        (["journal", "export", str(journals[0]), "-o", str(folder)], "is a folder"),
        (["journal", "export", str(journals[0]), "-o", str(not_a_folder / "out.md")], "does not exist"),
        (["journal", "export", str(folder)], "is a folder, not a journal file"),
        (["journal", "merge", *map(str, journals), "--anonymise", "--names", str(folder)], "is a folder"),
        (["resources", "add", "--title", "A title", "--url", "https://example.org/x", "--year", "2020",
          "--type", "paper", "--topics", "detection", "--audience", "student",
          "--summary", "A summary long enough for the checker.", "--file", str(folder)], "is a folder"),
        (["resources", "check", "--file", str(folder)], "is a folder"),
        (["resources", "render", "--output", str(folder)], "is a folder"),
    ]
    for args, expected in attacks:
        assert cli.main(args) == 2, args
        _one_line_error(capsys, expected)


def test_a_read_only_history_is_reported_not_replaced(names_file, tmp_path, capsys):
    history = tmp_path / "history.json"
    assert cli.main(["rooms", str(names_file), "--history", str(history), "--seed", "1"]) == 0
    before = history.read_bytes()
    history.chmod(0o444)
    try:
        assert cli.main(["rooms", str(names_file), "--history", str(history)]) == 2
        _one_line_error(capsys, "is read-only, so it was not changed")
    finally:
        history.chmod(0o644)
    assert history.read_bytes() == before


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig", "latin-1", "cp1252"])
def test_names_files_in_other_encodings_are_read(tmp_path, capsys, encoding):
    path = tmp_path / "names.txt"
    path.write_bytes("# Tuesday\nZoë\nJosé\nAnaïs\nBjörn\n".encode(encoding))
    assert cli.main(["rooms", str(path), "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in ("Zoë", "José", "Anaïs", "Björn")) and "4 people in 1 room(s)" in out


def test_names_differing_only_in_unicode_normalisation_are_duplicates(tmp_path, capsys):
    path = tmp_path / "names.txt"
    composed, decomposed = unicodedata.normalize("NFC", "Zoë"), unicodedata.normalize("NFD", "Zoë")
    path.write_text(f"{composed}\nBen\nCai\n{decomposed}\nDee\u200b\nDee\n", encoding="utf-8")
    assert cli.main(["rooms", str(path)]) == 2
    _one_line_error(capsys, "appears twice (lines 1 and 4)")
    path.write_text("Ben\nCai\nDee\u200b\nDee\n", encoding="utf-8")
    assert cli.main(["rooms", str(path)]) == 2
    _one_line_error(capsys, "appears twice (lines 3 and 4)")


def test_a_superscript_year_gets_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    args = ["--title", "A title", "--url", "https://example.org/x", "--year", "²", "--type", "paper",
            "--topics", "detection", "--audience", "student", "--summary", "A summary long enough for the checker."]
    assert cli.main(["resources", "add", *args]) == 2
    _one_line_error(capsys, "\n- year: must be a whole number such as 2020, got str '²'", lines=2)  # one per problem


def test_a_spectrum_with_a_tiny_step_is_refused_at_once():
    with pytest.raises(ValueError, match="step is too small: 1e-09 makes 10,000,000,000 positions"):
        Spectrum("01", "s", "Where?", step=1e-9)
    assert len(Spectrum("01", "s", "Where?", maximum=1, step=0.001)._positions()) == 1001


@pytest.mark.timeout(600)  # a ceiling only: this never finished before
def test_ten_thousand_names_and_a_second_round_finish(tmp_path, capsys):
    path = tmp_path / "names.txt"
    path.write_text("\n".join(f"Person {i:05d}" for i in range(10_000)) + "\n")
    assert cli.main(["rooms", str(path), "--round", "2", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Round 2 (seed 1): 10000 people in 2500 room(s)")
    assert "Repeated pairs from earlier rounds: 0 of 15000" in out
    assert cli.main(["rooms", str(path), "--round", "101"]) == 2
    _one_line_error(capsys, "--round must be between 1 and 100")
