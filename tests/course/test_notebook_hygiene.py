"""Committed notebooks: numbered, stripped, python3, and following the anatomy."""

from pathlib import Path

import nbformat
import pytest

from workshop_utils.course import anatomy, curriculum
from workshop_utils.course.hygiene import hygiene_problems, iter_notebooks, lesson_notebooks, strip_notebook

REPO = Path(__file__).resolve().parents[2]
LESSONS = lesson_notebooks(REPO / "lessons")  # numbered lessons; lessons/ also holds the breakout notebook
SOLUTIONS = iter_notebooks([REPO / "solutions"])
EXERCISES = iter_notebooks([REPO / "exercises"])
ALL = iter_notebooks([REPO / "lessons"]) + SOLUTIONS + EXERCISES


def _id(path: Path) -> str:
    return str(path.relative_to(REPO))


@pytest.mark.parametrize("path", ALL, ids=_id)
def test_notebook_is_stripped(path):
    assert hygiene_problems(path) == [], "run `workshop notebooks strip` (or `make sync`) before committing"


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS, ids=_id)
def test_notebook_follows_the_anatomy(path):
    assert anatomy.check_notebook(path) == []


def test_every_available_lesson_has_a_notebook_and_vice_versa():
    on_disk = {p.stem for p in LESSONS}
    listed = {l.stem for l in curriculum.lessons() if l.available}
    assert on_disk == listed


def test_every_available_exercise_has_a_solution_and_an_exercise_folder():
    listed = {e.id for e in curriculum.exercises() if e.available}
    assert {p.parent.name for p in SOLUTIONS} == listed
    assert {p.parent.name for p in EXERCISES} == listed
    for path in SOLUTIONS:
        assert path.stem == path.parent.name, "nbgrader needs solutions/<id>/<id>.ipynb"


def test_lesson_index_is_in_sync():
    assert (REPO / "lessons" / "README.md").read_text(encoding="utf-8") == anatomy.render_lesson_index()


@pytest.mark.parametrize("path", LESSONS, ids=_id)
def test_lessons_carry_pedagogy_metadata(path):
    meta = nbformat.read(path, as_version=4).metadata["workshop"]
    assert meta["objectives"] and meta["keypoints"]
    assert meta["teaching_min"] > 0 and meta["exercise_min"] >= 0


def test_strip_removes_outputs_and_volatile_metadata(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1 + 1", execution_count=3,
                                     outputs=[nbformat.v4.new_output("execute_result", {"text/plain": "2"})])
    cell.metadata = {"execution": {"iopub.status.busy": "2026"}, "tags": ["keep"]}
    nb.cells = [cell]
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "P", "language": "python"},
                   "language_info": {"version": "3.11"}, "widgets": {}}
    path = tmp_path / "00_x.ipynb"
    nbformat.write(nb, path)
    assert hygiene_problems(path)
    assert strip_notebook(path) is True
    assert hygiene_problems(path) == []
    assert nbformat.read(path, as_version=4).cells[0].metadata == {"tags": ["keep"]}
    assert strip_notebook(path) is False


def test_iter_notebooks_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a notebook file or a folder"):
        iter_notebooks([tmp_path / "missing.ipynb"])
