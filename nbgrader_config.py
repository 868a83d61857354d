"""nbgrader configuration: solutions/ is the source, exercises/ the release.

Generate the student versions with ``make exercises`` (or
``nbgrader generate_assignment <id> --force``). The metadata-stripping
preprocessor makes the output byte-stable, so the test suite can regenerate
exercises/ and compare bytes with what is committed.
"""

import os

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
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
# Training cells may take up to 60 s on a fast machine (longer on a slow grading machine);
# nbgrader's default of 30 s per cell would cut them off when validating and autograding.
c.Execute.timeout = 600


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
