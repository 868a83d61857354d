"""The student copy: lessons, exercises, the library and the set-up files; no solutions, hidden tests or rubrics."""

import json
import re
import shutil

import nbformat
import pytest

from workshop_utils.course import cli, release
from workshop_utils.session.notes import INSTRUCTOR_MARKER

# Every marker nbgrader uses for what students must not see, as a line of its own (the library
# mentions them inside code and docstrings, which is fine).
MARKER_LINE = re.compile(r"^\s*(#+|=+)?\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS|MARK SCHEME)", re.M)
# What only the instructors' notebooks contain, whatever the markers look like.
INSTRUCTOR_ONLY = ("*Model answer (instructors):*", "**Rubric (", "**Strong (", "**Weak (0/",
                   "for graders only", "compare_training_steps(", "substituted(globals()")


@pytest.fixture(scope="module")
def student_copy(tmp_path_factory, repo):
    target = tmp_path_factory.mktemp("release") / "course"
    return release.write_release(repo, target)


def test_the_copy_holds_what_students_use_and_nothing_else(student_copy, repo):
    top = {path.parts[0] for path in student_copy.files}
    assert {"lessons", "exercises", "src", "README.md", "Makefile", "pyproject.toml", "environment.yml"} <= top
    assert not top & {"solutions", "tests", "tools", "bench", "nbgrader_config.py", "CONTRIBUTING.md", ".ci"}
    assert not (student_copy.root / "docs" / "facilitator_guide.md").exists(), "the instructors' guide stays out"
    assert not (student_copy.root / "docs" / "instructor").exists(), "the instructor notes stay out"
    lessons = sorted(p.name for p in (repo / "lessons").glob("*.ipynb"))  # the breakout notebook too
    assert sorted(p.name for p in (student_copy.root / "lessons").glob("*.ipynb")) == lessons
    for exercise in (repo / "exercises").iterdir():
        copied = student_copy.root / "exercises" / exercise.name / f"{exercise.name}.ipynb"
        assert copied.read_bytes() == (exercise / f"{exercise.name}.ipynb").read_bytes()
    assert (student_copy.root / "src" / "workshop_utils" / "data" / "curriculum.json").exists()
    assert not any("__pycache__" in str(p) for p in student_copy.files)
    assert student_copy.size_bytes == sum((student_copy.root / p).stat().st_size for p in student_copy.files)
    assert "no solutions" in str(student_copy)


def test_no_marker_solution_hidden_test_or_rubric_in_the_copy(student_copy, repo):
    secrets = release.secret_lines(repo / "solutions")
    assert len(secrets) > 100, "the solution notebooks' secret lines were found"
    checked = 0
    for path in sorted(p for p in student_copy.root.rglob("*") if p.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if path.suffix == ".ipynb":
            text = "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells)
        assert not MARKER_LINE.search(text), f"{path}: an nbgrader marker"
        if path.suffix in (".ipynb", ".md"):
            checked += 1
            assert not any(marker in text for marker in INSTRUCTOR_ONLY), f"{path}: instructors' text"
            lines = {line.strip() for line in text.splitlines()}
            assert not lines & secrets, f"{path}: {sorted(lines & secrets)[:3]}"
    assert checked >= 10


def test_a_leak_is_caught_and_named(tmp_path, repo):
    fake = tmp_path / "repo"
    for name in ("lessons", "exercises", "src/workshop_utils/data", "solutions/01_x"):
        (fake / name).mkdir(parents=True)
    solution = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "def f():\n    ### BEGIN SOLUTION\n    return sorted(secret_list_of_things)\n    ### END SOLUTION")])
    nbformat.write(solution, fake / "solutions" / "01_x" / "01_x.ipynb")
    lesson = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("return sorted(secret_list_of_things)")])
    nbformat.write(lesson, fake / "lessons" / "01_a.ipynb")
    with pytest.raises(release.ReleaseLeak, match="lessons/01_a.ipynb: line of a solution"):
        release.write_release(fake, tmp_path / "out")
    shutil.rmtree(tmp_path / "out")
    lesson.cells[0].source = "### BEGIN HIDDEN TESTS"
    nbformat.write(lesson, fake / "lessons" / "01_a.ipynb")
    with pytest.raises(release.ReleaseLeak, match="nbgrader marker"):
        release.write_release(fake, tmp_path / "out")
    shutil.rmtree(tmp_path / "out")
    lesson.cells[0].source = INSTRUCTOR_MARKER + "\nProbe if a room stalls: ..."
    nbformat.write(lesson, fake / "lessons" / "01_a.ipynb")
    with pytest.raises(release.ReleaseLeak, match="instructor-only"):
        release.write_release(fake, tmp_path / "out")


def test_bad_destinations_are_refused(tmp_path, repo):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("mine")
    with pytest.raises(ValueError, match="new or empty folder"):
        release.write_release(repo, tmp_path / "full")
    with pytest.raises(ValueError, match="outside the repository"):
        release.write_release(repo, repo / "student_copy")
    with pytest.raises(ValueError, match="workshop's repository"):
        release.write_release(tmp_path, tmp_path / "out")
    assert (tmp_path / "full" / "x.txt").read_text() == "mine", "nothing is overwritten"


def test_the_release_command(tmp_path, repo, monkeypatch, capsys):
    monkeypatch.chdir(repo)
    assert cli.main(["release", str(tmp_path / "course")]) == 0
    assert "wrote" in capsys.readouterr().out
    assert json.loads((tmp_path / "course" / "src" / "workshop_utils" / "data" / "curriculum.json").read_text())
    assert cli.main(["release", str(tmp_path / "course")]) == 2, "a second run into the same folder is refused"
