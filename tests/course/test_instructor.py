"""Instructor notes: generated from notes.json and the case library, in sync, and marked instructor-only."""

import json

import nbformat
import pytest

from workshop_utils import cases
from workshop_utils.course import instructor
from workshop_utils.course.hygiene import lesson_notebooks
from workshop_utils.session import notes


def test_the_committed_notes_are_what_render_all_writes(repo):
    rendered = instructor.render_all(repo)
    for relative, text in rendered.items():
        assert (repo / relative).read_text(encoding="utf-8") == text, f"{relative}: run `workshop session render`"
    written = {p.name for p in rendered}
    on_disk = {p.name for p in (repo / instructor.FOLDER).glob("*.md")}
    assert on_disk == written, "no stale notes file is left behind"
    lessons = {p.stem for p in lesson_notebooks(repo / "lessons")}
    assert {f"{stem}.md" for stem in lessons} <= on_disk


def test_every_file_of_the_folder_is_marked_instructor_only(repo):
    folder = repo / instructor.FOLDER
    assert instructor.INSTRUCTOR_ONLY == ("docs/instructor/",)
    assert (repo / instructor.INSTRUCTOR_ONLY[0]).resolve() == folder.resolve()
    for path in sorted(folder.glob("*.md")):
        assert path.read_text(encoding="utf-8").startswith(notes.INSTRUCTOR_MARKER + "\n"), path.name
    notebook = nbformat.read(folder / "facilitator.ipynb", as_version=4)
    assert notebook.cells[0].source.startswith(notes.INSTRUCTOR_MARKER)
    assert "instructor-only" in json.loads((folder / "notes.json").read_text(encoding="utf-8"))["_about"]


def test_nothing_a_student_copy_holds_carries_the_marker(repo):
    student = [*sorted((repo / "lessons").glob("*.ipynb")), *sorted((repo / "exercises").rglob("*.ipynb")),
               repo / "lessons" / "README.md", repo / "docs" / "resources.md", repo / "README.md"]
    assert len(student) > 12
    for path in student:
        assert notes.INSTRUCTOR_MARKER not in path.read_text(encoding="utf-8"), path


def test_case_notes_carry_the_nuance_the_do_not_say_claims_and_probes():
    case = next(c for c in cases.all_cases() if c.do_not_say)
    text = notes.case_notes(case)
    assert case.core in text and case.nuance in text
    assert all(claim in text for claim in case.do_not_say)
    others = [q for i, q in enumerate(case.questions, 1) if i != case.core_question]
    assert all(q in text for q in others), "the other questions are the probes"


def test_lesson_notes_use_the_authored_notes_and_the_featured_cases(repo):
    authored = json.loads((repo / instructor.NOTES_FILE).read_text(encoding="utf-8"))
    text = (repo / instructor.FOLDER / "00_start_here.md").read_text(encoding="utf-8")
    for key in notes.LESSON_NOTE_KEYS:
        for sentence in authored["00"].get(key, []):
            assert sentence in text
    lesson02 = nbformat.read(repo / "lessons" / "02_art.ipynb", as_version=4)
    featured = instructor.featured_cases(lesson02)
    assert featured, "lesson 02 shows case cards"
    art = (repo / instructor.FOLDER / "02_art.md").read_text(encoding="utf-8")
    assert all(cases.get(c).nuance in art for c in featured)


def test_a_lesson_without_authored_notes_still_gets_its_case_notes_and_prompts():
    text = notes.lesson_notes(99, "A new lesson", None, ["wolf-news"], prompts=[("Poll", "Which one?")])
    assert text.startswith(notes.INSTRUCTOR_MARKER) and cases.get("wolf-news").nuance in text
    assert "Which one?" in text


def test_session_notes_cover_both_rounds(repo):
    text = (repo / instructor.FOLDER / "session.md").read_text(encoding="utf-8")
    for case_id in ("malaria-must-die", "wolf-news"):
        assert cases.get(case_id).nuance in text
    with pytest.raises(KeyError):
        notes.case_notes("no-such-case")
