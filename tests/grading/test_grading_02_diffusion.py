"""Every kind of submission to exercise 02_diffusion scores what it deserves, graded end to end by nbgrader.

The submissions and the checks are in tests/test_nbgrader_pipeline.py. Each exercise has a file of its
own so that the suite's two workers (`--dist loadfile`) share the exercises between them.
"""

import pytest

pytest.importorskip("nbgrader")
from test_nbgrader_pipeline import course, every_kind_of_submission_scores_what_it_deserves  # noqa: E402, F401


@pytest.mark.slow
@pytest.mark.timeout(1800)  # one to four minutes on a quiet machine; several times that on a busy one
def test_every_kind_of_submission_scores_what_it_deserves(course, monkeypatch):
    every_kind_of_submission_scores_what_it_deserves(course, "02_diffusion", monkeypatch)
