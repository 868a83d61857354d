import pytest

from workshop_utils.coordination import eventlog


@pytest.fixture(scope="session")
def log0():
    """A lesson-sized log (100k events) with its account and item tables."""
    return eventlog.generate(100_000, 0)
