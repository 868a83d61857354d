"""The short path of every lesson (session-run/show/skip marks), its 'Working alone?' notes and exit tickets."""

import copy

import nbformat
import pytest

from workshop_utils.course import session_marks
from workshop_utils.course.hygiene import lesson_notebooks
from workshop_utils.discussion import ExitTicket, Journal
from workshop_utils.discussion.prompts import EXIT_TICKET_FIELDS, EXIT_TICKET_ID


@pytest.fixture(scope="module")
def lessons(repo):
    paths = lesson_notebooks(repo / "lessons")
    assert len(paths) >= 10 and all(p.name[:2].isdigit() for p in paths)
    assert not any(p.name == "breakout.ipynb" for p in paths), "the breakout notebook is not a lesson"
    return {p: nbformat.read(p, as_version=4) for p in paths}


def test_every_lesson_has_a_checked_short_path(lessons):
    for path, nb in lessons.items():
        assert session_marks.check_lesson(path) == [], path.name
        meta = nb.metadata["workshop"]
        assert 0 < meta["session_min"] <= session_marks.full_minutes(meta), path.name
        marks = {session_marks.cell_mark(c) for c in nb.cells if not session_marks.is_generated(c)}
        assert marks <= {"run", "show", "skip"} and None not in marks, path.name


def test_every_discussion_section_has_a_working_alone_note_and_every_lesson_an_exit_ticket(lessons):
    for path, nb in lessons.items():
        discussions = [s for s in session_marks.sections(nb) if s.is_discussion]
        assert discussions, path.name
        for section in discussions:
            heading, _ = section.cells[0]
            after = nb.cells[heading + 1]  # the generated note sits right under the heading
            assert session_marks.ALONE_TAG in after.metadata.get("tags", []), (path.name, section.title)
            assert "**Working alone?**" in after.source
        ticket = [c for c in nb.cells if session_marks.TICKET_TAG in c.metadata.get("tags", [])]
        number = nb.metadata["workshop"]["number"]
        assert [c.source for c in ticket] == [f'from workshop_utils.discussion import ExitTicket\n\n'
                                              f'ExitTicket("{number:02d}").show()'], path.name
        note = [c for c in nb.cells if session_marks.NOTE_TAG in c.metadata.get("tags", [])]
        assert len(note) == 1 and "The short path, section by section" in note[0].source, path.name


def _lesson(lessons, number):
    return copy.deepcopy(next(nb for nb in lessons.values() if nb.metadata["workshop"]["number"] == number))


def test_an_unmarked_or_doubly_marked_cell_is_caught(lessons):
    nb = _lesson(lessons, 1)
    cell = next(c for c in nb.cells if not session_marks.is_generated(c) and c.cell_type == "markdown")
    cell.metadata["tags"] = [t for t in cell.metadata.get("tags", []) if t not in session_marks.MARKS]
    assert any("must carry exactly one of the tags" in p for p in session_marks.mark_problems(nb))
    cell.metadata["tags"] += ["session-run", "session-skip"]
    assert any("it has ['session-run', 'session-skip']" in p for p in session_marks.mark_problems(nb))


def test_a_short_path_cell_that_needs_a_skipped_cell_is_caught():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("from workshop_utils.reproducibility import setup\nsetup()",
                                  metadata={"tags": ["session-run"]}),
        nbformat.v4.new_code_cell("scores = [1, 2, 3]", metadata={"tags": ["session-skip"]}),
        nbformat.v4.new_code_cell("print(max(scores))", metadata={"tags": ["session-run"]}),
    ]
    problems = session_marks.mark_problems(nb)
    assert len(problems) == 1 and "uses 'scores' (cell 1), which only a skipped cell defines" in problems[0]
    nb.cells[1].metadata["tags"] = ["session-show"]
    assert session_marks.mark_problems(nb) == []
    nb.cells[0].metadata["tags"] = ["session-skip"]
    assert any("calls setup(...)" in p for p in session_marks.mark_problems(nb))


def test_session_min_must_cover_the_reading_and_fit_the_lesson(lessons):
    nb = _lesson(lessons, 2)
    meta = nb.metadata["workshop"]
    meta["session_min"] = session_marks.full_minutes(meta) + 1
    assert any("longer than the whole lesson" in p for p in session_marks._metadata_problems(nb))
    meta["session_min"] = 1
    assert any("shorter than the time it takes to read" in p for p in session_marks._metadata_problems(nb))
    meta["session_min"] = "15"
    assert "whole number > 0" in session_marks._metadata_problems(nb)[0]


def test_sync_renders_the_session_cells_and_a_second_sync_changes_nothing(lessons):
    nb = _lesson(lessons, 3)
    nb.cells = [c for c in nb.cells if not {session_marks.NOTE_TAG, session_marks.ALONE_TAG,
                                            session_marks.TICKET_TAG} & set(c.metadata.get("tags", []))]
    assert session_marks.sync_session_cells(nb) is True
    assert session_marks.sync_session_cells(nb) is False
    original = _lesson(lessons, 3)
    assert [c.source for c in nb.cells] == [c.source for c in original.cells]


def test_the_working_alone_note_follows_the_prompts_of_its_section():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("## Discussion: a case", metadata={"tags": ["session-run"]}),
        nbformat.v4.new_code_cell('Spectrum("01", "x", "Where?")\nDiscussionTimer(8)', metadata={"tags": ["session-run"]}),
    ]
    section = next(s for s in session_marks.sections(nb) if s.is_discussion)
    note = session_marks.render_working_alone(section, {"working_alone": "Read the case twice."})
    assert "**Spectrum:**" in note and "**Timer:**" in note and "**Poll:**" not in note
    assert "Read the case twice." in note


def test_the_exit_ticket_is_saved_in_the_journal(tmp_path):
    journal = Journal(tmp_path / "j.json")
    ticket = ExitTicket("04", journal=journal, mode="static")
    assert ticket.prompt_id == EXIT_TICKET_ID and [f for f, _, _ in EXIT_TICKET_FIELDS] == \
        ["clearest", "unclear", "next_step"]
    ticket.save({"clearest": "Disclosure.", "unclear": "Consent after death.", "next_step": "Read the guide."})
    assert Journal(tmp_path / "j.json").answer("04", EXIT_TICKET_ID)["unclear"] == "Consent after death."
