"""Each test gets its own journal folder, participant id and (empty) share folder."""

import pytest


@pytest.fixture
def participant(tmp_path, monkeypatch):
    """A participant's own folder: journal and id file; no share folder in the environment."""
    home = tmp_path / "participant"
    home.mkdir()
    monkeypatch.setenv("WORKSHOP_JOURNAL_DIR", str(home))
    monkeypatch.setenv("WORKSHOP_PARTICIPANT_ID_FILE", str(home / "id"))
    monkeypatch.delenv("WORKSHOP_SHARE_DIR", raising=False)
    monkeypatch.delenv("BINDER_REPO_URL", raising=False)
    monkeypatch.delenv("BINDER_LAUNCH_HOST", raising=False)
    return home


@pytest.fixture
def share(tmp_path):
    """An empty share folder."""
    folder = tmp_path / "share"
    folder.mkdir()
    return folder
