"""The instructors' commands work as documented, from a clean copy, without an activated environment.

nbgrader runs ``alembic`` from PATH when it creates a gradebook, so ``.venv/bin/nbgrader autograde``
fails on a new course unless the environment is activated. ``make grade`` and ``make feedback`` put
the environment first on PATH. This test copies the repository's tracked files (a clean checkout,
without gradebook, submissions or caches), reuses this environment, and runs the targets with a
PATH that has no ``alembic`` on it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("nbgrader")
from nbgrader.api import Gradebook  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
VENV = Path(sys.executable).parent.parent
AID = "01_gan_basics"


@pytest.fixture(scope="module")
def clean_copy(tmp_path_factory) -> Path:
    if shutil.which("make") is None or shutil.which("git") is None:
        pytest.skip("needs make and git")
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    copy = tmp_path_factory.mktemp("clone") / "workshop"
    for name in listed.stdout.decode().split("\0"):
        if name and (REPO / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, copy / name)
    return copy


def _make(copy: Path, *args: str) -> subprocess.CompletedProcess:
    system_path = os.pathsep.join(p for p in ("/usr/local/bin", "/usr/bin", "/bin") if Path(p).is_dir())
    assert shutil.which("alembic", path=system_path) is None, "this test needs a PATH without alembic"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "WORKSHOP_MAX_TRAIN_SECONDS")}
    env["PATH"] = system_path
    # reuse this environment; -o: never reinstall it, even though the copy's pyproject.toml is newer
    stamp = VENV / ".installed-stamp"
    return subprocess.run(["make", "-o", str(stamp), *args, f"VENV={VENV}"], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_make_grade_and_make_feedback_work_in_a_clean_copy(clean_copy):
    assert not (clean_copy / "gradebook.db").exists() and not (clean_copy / "submitted").exists()
    usage = _make(clean_copy, "grade")
    assert usage.returncode != 0 and "usage: make grade A=" in usage.stdout + usage.stderr
    unknown = _make(clean_copy, "grade", "A=99_nothing")
    assert unknown.returncode != 0 and "no exercise '99_nothing'" in unknown.stdout + unknown.stderr

    # one student who handed in the exercise without writing anything
    folder = clean_copy / "submitted" / "alice" / AID
    folder.mkdir(parents=True)
    shutil.copy2(clean_copy / "exercises" / AID / f"{AID}.ipynb", folder / f"{AID}.ipynb")
    graded = _make(clean_copy, "grade", f"A={AID}")
    assert graded.returncode == 0, graded.stdout[-3000:] + graded.stderr[-3000:]
    assert (clean_copy / "autograded" / "alice" / AID / f"{AID}.ipynb").exists()
    with Gradebook(f"sqlite:///{clean_copy / 'gradebook.db'}") as gb:
        submission = gb.find_submission(AID, "alice")
        assert submission.max_score > 0 and submission.score == 0
    feedback = _make(clean_copy, "feedback", f"A={AID}")
    assert feedback.returncode == 0, feedback.stdout[-3000:] + feedback.stderr[-3000:]
    html = (clean_copy / "feedback" / "alice" / AID / f"{AID}.html").read_text(encoding="utf-8")
    assert "Score:" in html and "MARK SCHEME" not in html
    # the exercise was regenerated into the copy's exercises/ exactly as committed
    assert (clean_copy / "exercises" / AID / f"{AID}.ipynb").read_bytes() == (
        REPO / "exercises" / AID / f"{AID}.ipynb").read_bytes()
    assert nbformat.read(clean_copy / "autograded" / "alice" / AID / f"{AID}.ipynb", as_version=4).cells
