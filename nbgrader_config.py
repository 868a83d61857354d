"""nbgrader configuration: solutions/ is the source, exercises/ the release.

Generate the student versions with ``make exercises`` (or
``nbgrader generate_assignment <id> --force``). The metadata-stripping
preprocessor makes the output byte-stable, so the test suite can regenerate
exercises/ and compare bytes with what is committed.

Grade with ``make grade A=<id>`` and ``make feedback A=<id>`` (see the README's
instructors' section): they put the environment's bin folder on PATH, which
nbgrader needs to run ``alembic`` when it creates a gradebook.
"""

import os

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    GetGrades,
    IncludeHeaderFooter,
    InstantiateTests,
    LockCells,
    SaveCells,
)

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "synthetic-media-workshop"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# Grading state stays out of the repository (see .gitignore).
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(c.CourseDirectory.root, "gradebook.db")
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.json.lock",
                             "workshop_training_log*.json"]

# -- A grader that keeps going -------------------------------------------------------------------
# nbgrader gives every cell a time limit; when a cell runs over (an endless loop in an answer), it
# interrupts the kernel, records the error and carries on with the next cell and the next student.
# A looping answer therefore costs one time limit per cell that calls it, so the limits are sized
# from the benchmark's measured cell times (`make bench` records "slowest_cell_s" and
# "training_cell_s" in bench/results.json) with a wide margin for a slower or busier grader.
# On the quiet benchmark machine a whole exercise notebook runs in at most about 15 s. On the same
# 2-core machine shared with other work, the slowest ordinary cell took 20 s (load 3) to 30 s
# (load 10), always a setup cell, and the slowest training cell 31 s (load 3) to 87 s (load 10).
# A limit that cuts off a correct cell would cost a student points, so the margin is wide:
#   - ordinary cells (setup, answers, tests): 120 s;
#   - cells tagged "training": their training loop stops after GRADING_TRAIN_CAP_S whatever the
#     notebook asks, and they get that plus 60 s for evaluation and figures.
# tests/test_nbgrader_pipeline.py checks that the limits stay at least 4x the benchmark's times.
CELL_TIMEOUT_S = 120
GRADING_TRAIN_CAP_S = 240
TRAINING_CELL_TIMEOUT_S = GRADING_TRAIN_CAP_S + 60
# workshop_utils.training caps every time budget at WORKSHOP_MAX_TRAIN_SECONDS; nbgrader's kernels
# inherit it from here however grading is started (make grade, nbgrader autograde, the Formgrader).
os.environ.setdefault("WORKSHOP_MAX_TRAIN_SECONDS", str(GRADING_TRAIN_CAP_S))


def cell_timeout(cell) -> int:
    """The time limit of one cell: longer for the cells tagged "training"."""
    tags = cell.get("metadata", {}).get("tags", [])
    return TRAINING_CELL_TIMEOUT_S if "training" in tags else CELL_TIMEOUT_S


c.Execute.timeout = CELL_TIMEOUT_S
c.Execute.timeout_func = cell_timeout
# A student who deletes a test cell gets it back: nbgrader re-inserts missing grade cells and runs them
# (locked cells that were edited are restored from the gradebook in any case).
c.OverwriteCells.add_missing_cells = True
# Feedback goes to students: it shows their answers, outputs and scores, but not the hidden tests'
# code or the rubrics (the Formgrader, for graders, shows both).
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, ClearMarkScheme, CSSHTMLHeaderPreprocessor]


class StripVolatileMetadata(ClearMetadataPreprocessor):
    """Drop execution timestamps, language_info and widget state from the student copy."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.enabled = True
        self.preserve_cell_metadata_mask = {("nbgrader",), ("tags",), ("deletable",), ("editable",), ("jupyter",)}
        self.preserve_nb_metadata_mask = {("kernelspec",), ("workshop",)}


c.GenerateAssignment.preprocessors = [
    StripVolatileMetadata,
    IncludeHeaderFooter,
    InstantiateTests,
    LockCells,
    ClearSolutions,
    ClearOutput,
    CheckCellMetadata,
    ComputeChecksums,
    SaveCells,
    ClearHiddenTests,
    ClearMarkScheme,
    ComputeChecksums,
    CheckCellMetadata,
]
