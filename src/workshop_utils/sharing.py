"""Where a live session's shared answers go: a folder everyone can write, named once.

During a live session, participants may choose to share their breakout answers
(and resource suggestions) with the facilitator without sending files by hand.
That needs a folder every participant's notebook can write and the
facilitator's notebook can read: a folder on a shared volume of a JupyterHub
(for example a group folder mounted in every user's server) or, when everyone
works on one machine, any folder. Nothing is shared unless such a folder is
named **and** the participant ticks "share"; on Binder, where every session is
a separate machine, there is no shared folder and the plain fallbacks apply
(share codes pasted into the chat, or a show of hands).

The folder, first match wins: an explicit ``path``; the environment variable
:data:`SHARE_ENV` (``WORKSHOP_SHARE_DIR``, set by the hub's administrator or in
a notebook with ``%env``); otherwise none.

Layout of a share folder::

    <share>/answers/<participant id>.json     # journal files (workshop-journal format)
    <share>/resources/<participant id>.json   # resource suggestions (resources-file format)

A participant id is random (``p-`` and 12 hex digits), made once per person and
kept in ``~/.workshop_participant_id`` (the home folder is per person on a
JupyterHub and on a laptop), so that a participant's later answers replace
their earlier ones instead of counting twice. It says nothing about who they are.

Used in: workshop_utils.session (breakout notebook, share-back view) and
workshop_utils.resources.form (the suggestion form).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from pathlib import Path

from ._files import write_bytes_atomic
from ._validate import _describe, check_path

__all__ = [
    "ID_FILE_ENV",
    "SHARE_ENV",
    "SUBFOLDERS",
    "create_shared_file",
    "participant_id",
    "share_file",
    "share_folder",
]

#: Environment variable naming the share folder.
SHARE_ENV = "WORKSHOP_SHARE_DIR"
#: Environment variable naming the file that keeps the participant id (default ``~/.workshop_participant_id``).
ID_FILE_ENV = "WORKSHOP_PARTICIPANT_ID_FILE"
#: What a share folder holds.
SUBFOLDERS = ("answers", "resources")
_ID = re.compile(r"^p-[0-9a-f]{12}$")


def share_folder(path: str | os.PathLike | None = None) -> Path | None:
    """The share folder: ``path``, else ``$WORKSHOP_SHARE_DIR``, else None (nothing is shared).

    Raises
    ------
    NotADirectoryError
        If the folder named does not exist (a typo must not silently turn sharing off).
    """
    if path is None:
        value = os.environ.get(SHARE_ENV, "").strip()
        if not value:
            return None
        path, name = Path(value).expanduser(), f"${SHARE_ENV}"
    else:
        path, name = check_path("path", path), "path"
    if not path.is_dir():
        raise NotADirectoryError(f"{name}: the share folder {path} does not exist; create it or fix the name")
    return path


def _id_file(id_file: str | os.PathLike | None) -> Path:
    if id_file is not None:
        return check_path("id_file", id_file)
    value = os.environ.get(ID_FILE_ENV, "").strip()
    return Path(value).expanduser() if value else Path.home() / ".workshop_participant_id"


def participant_id(id_file: str | os.PathLike | None = None) -> str:
    """This participant's random id, made on first use and kept in ``id_file``.

    Parameters
    ----------
    id_file : path, optional
        Where the id is kept; default ``$WORKSHOP_PARTICIPANT_ID_FILE`` or
        ``~/.workshop_participant_id``.

    Returns
    -------
    str
        E.g. ``"p-3f9a0c2b7d41"``.
    """
    target = _id_file(id_file)
    try:
        existing = target.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, UnicodeDecodeError, IsADirectoryError):
        existing = ""
    if _ID.match(existing):
        return existing
    new = f"p-{secrets.token_hex(6)}"
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_bytes_atomic(target, (new + "\n").encode("ascii"), replace=False)
    except FileExistsError:  # another notebook made one a moment ago (or the file was damaged): keep one
        existing = target.read_text(encoding="utf-8", errors="replace").strip()
        if _ID.match(existing):
            return existing
        write_bytes_atomic(target, (new + "\n").encode("ascii"))
    return new


def share_file(folder: str | os.PathLike, kind: str, pid: str) -> Path:
    """``<folder>/<kind>/<pid>.json``, creating the subfolder.

    Parameters
    ----------
    folder : path
        The share folder.
    kind : {"answers", "resources"}
        What the file holds.
    pid : str
        A participant id from :func:`participant_id`.
    """
    if kind not in SUBFOLDERS:
        raise ValueError(f"kind must be one of {', '.join(SUBFOLDERS)}; got {kind!r}")
    if not isinstance(pid, str) or not _ID.match(pid):
        raise ValueError(f"pid must be a participant id such as 'p-3f9a0c2b7d41', got {_describe(pid)}")
    sub = check_path("folder", folder) / kind
    if not sub.is_dir():
        sub.mkdir(exist_ok=True)
        with contextlib.suppress(OSError):  # sticky and world-writable: everyone may add a file, nobody may delete another's
            os.chmod(sub, 0o1777)
    return sub / f"{pid}.json"


def create_shared_file(path: str | os.PathLike, data: bytes) -> bool:
    """Create ``path`` with ``data``, readable by the facilitator (mode 0644 before the umask).

    Files the workshop writes are private by default; a file in a share folder
    must be readable by the facilitator's account too. Later atomic rewrites
    keep the mode the file has. Returns False if the file already existed.
    """
    try:
        write_bytes_atomic(path, data, replace=False)
    except FileExistsError:
        return False
    return True
