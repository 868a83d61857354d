"""Small, safe file operations shared by the journal and the room history.

* :func:`write_json_atomic` writes a temporary file in the target's folder,
  flushes and ``fsync``-s it, then renames it over the target with
  ``os.replace``. A reader, or a process killed half-way, therefore sees
  either the old file or the new one, never a partial file.
* :func:`locked` takes an exclusive lock on ``<file>.lock`` (``filelock``),
  so that several notebooks can read-modify-write the same file one after
  the other without losing each other's changes.

Used in: workshop_utils.discussion.journal, workshop_utils.discussion.rooms and workshop_utils.resources.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["TEMP_MARKER", "locked", "remove_stale_temp_files", "write_json_atomic", "write_text_atomic"]

#: Temporary files are called ``<name>.tmp-<random>`` next to the target.
TEMP_MARKER = ".tmp-"


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Replace the file at ``path`` with ``text`` in one atomic step.

    An existing file keeps its permissions; a new file is readable by its
    owner only.

    Parameters
    ----------
    path : str or Path
        The file to write. Its folder must exist.
    text : str
        The new contents (written as UTF-8).

    Returns
    -------
    Path
        The path written.
    """
    path = Path(path)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=path.name + TEMP_MARKER)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():  # keep the permissions the file had; a new file stays private (0600)
            os.chmod(temp_name, path.stat().st_mode & 0o777)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_folder(path.parent)
    return path


def write_json_atomic(path: str | Path, data: Any) -> Path:
    """Write ``data`` as indented UTF-8 JSON to ``path`` atomically (see :func:`write_text_atomic`)."""
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False) + "\n"
    return write_text_atomic(path, text)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX only; a no-op elsewhere)."""
    if os.name != "posix":  # pragma: no cover
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def remove_stale_temp_files(path: str | Path) -> list[Path]:
    """Delete temporary files left next to ``path`` by a writer that was killed.

    Call this only while holding :func:`locked` on ``path``: temporary files
    are created only under that lock, so any that exist then are orphans.

    Returns
    -------
    list of Path
        The files removed.
    """
    path = Path(path)
    removed = []
    for orphan in path.parent.glob(path.name + TEMP_MARKER + "*"):
        with contextlib.suppress(OSError):
            orphan.unlink()
            removed.append(orphan)
    return removed


@contextlib.contextmanager
def locked(path: str | Path, timeout: float = 10.0, *, lock_file: str | Path | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``<path>.lock`` for the duration of a ``with`` block.

    Parameters
    ----------
    path : str or Path
        The file to protect.
    timeout : float
        Seconds to wait for another process to release the lock.
    lock_file : str or Path, optional
        Where the lock lives instead of ``<path>.lock`` (e.g. in the temp
        folder, so that no lock file appears beside package data).

    Raises
    ------
    TimeoutError
        If the lock is still held by someone else after ``timeout`` seconds.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_file) if lock_file is not None else str(path) + ".lock", timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise TimeoutError(
            f"could not lock {path} within {timeout:g} s: another notebook or program is writing it; "
            "try again in a moment"
        ) from None
    try:
        yield
    finally:
        lock.release()
