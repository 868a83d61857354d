"""The share folder: named once, never silently missing, files readable by the facilitator."""

import json
import os
import stat

import pytest

from workshop_utils import sharing


def test_share_folder_comes_from_the_argument_or_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv(sharing.SHARE_ENV, raising=False)
    assert sharing.share_folder() is None, "no folder named: nothing is shared"
    monkeypatch.setenv(sharing.SHARE_ENV, str(tmp_path))
    assert sharing.share_folder() == tmp_path
    other = tmp_path / "other"
    other.mkdir()
    assert sharing.share_folder(other) == other


def test_a_share_folder_that_does_not_exist_is_an_error_not_silence(tmp_path, monkeypatch):
    monkeypatch.setenv(sharing.SHARE_ENV, str(tmp_path / "typo"))
    with pytest.raises(NotADirectoryError, match="WORKSHOP_SHARE_DIR.*does not exist"):
        sharing.share_folder()
    with pytest.raises(NotADirectoryError, match="path: the share folder"):
        sharing.share_folder(tmp_path / "missing")


def test_participant_id_is_random_kept_and_repaired(tmp_path):
    id_file = tmp_path / "id"
    first = sharing.participant_id(id_file)
    assert first.startswith("p-") and len(first) == 14
    assert sharing.participant_id(id_file) == first, "the same person keeps their id"
    assert sharing.participant_id(tmp_path / "someone-else") != first
    id_file.write_text("not an id")
    repaired = sharing.participant_id(id_file)
    assert repaired != "not an id" and sharing.participant_id(id_file) == repaired


def test_participant_id_file_can_be_set_by_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(sharing.ID_FILE_ENV, str(tmp_path / "pid"))
    pid = sharing.participant_id()
    assert (tmp_path / "pid").read_text().strip() == pid


def test_share_files_live_in_subfolders_everyone_can_add_to(tmp_path):
    pid = sharing.participant_id(tmp_path / "id")
    path = sharing.share_file(tmp_path, "answers", pid)
    assert path == tmp_path / "answers" / f"{pid}.json"
    mode = stat.S_IMODE(os.stat(tmp_path / "answers").st_mode)
    assert mode == 0o1777, "sticky, world-writable: every participant may add a file, none may delete another's"
    assert sharing.create_shared_file(path, b"{}") is True
    assert sharing.create_shared_file(path, b"[]") is False, "an existing file is never replaced"
    assert json.loads(path.read_text()) == {}
    assert stat.S_IMODE(os.stat(path).st_mode) & 0o044, "the facilitator's account can read it"


def test_share_file_refuses_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="kind must be one of answers, resources"):
        sharing.share_file(tmp_path, "photos", "p-0123456789ab")
    with pytest.raises(ValueError, match="pid must be a participant id"):
        sharing.share_file(tmp_path, "answers", "../../etc/passwd")
