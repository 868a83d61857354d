"""Shared fixtures, and isolation of Jupyter's state from the user's home folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def pytest_configure(config):
    """Keep Jupyter, IPython and matplotlib state out of $HOME during tests."""
    home = REPO / ".jhome"
    for name, sub in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
        ("MPLCONFIGDIR", "mpl"),
    ]:
        os.environ.setdefault(name, str(home / sub))
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    # nbgrader runs `alembic` and Jupyter runs kernels from the environment's bin folder.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    os.environ.setdefault("MPLBACKEND", "Agg")
    # Learners' journals written while notebooks run in the suite go to a scratch folder.
    os.environ.setdefault("WORKSHOP_JOURNAL_DIR", str(home / "journals"))
    # A live session's participant id (workshop_utils.sharing) is kept there too, not in $HOME.
    os.environ.setdefault("WORKSHOP_PARTICIPANT_ID_FILE", str(home / "participant_id"))
    # Lessons executed by nbval are kept for the static site's test (it then renders them, not reruns them).
    import site_capture

    site_capture.register(config)


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root."""
    return REPO


def pytest_collection_modifyitems(config, items):
    """The site's test runs last: by then nbval has executed (and the site capture kept) every lesson."""
    items.sort(key=lambda item: Path(str(item.fspath)).name == "test_site.py")
