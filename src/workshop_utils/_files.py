"""Small, safe file operations shared by the journal, the room history, resources and checkpoints.

* :func:`write_json_atomic` writes a temporary file in the target's folder,
  flushes and ``fsync``-s it, then renames it over the target with
  ``os.replace``. A reader, or a process killed half-way, therefore sees
  either the old file or the new one, never a partial file. A symbolic link
  is followed (the file it points to is replaced, the link stays), and a
  read-only file is never replaced.
* :func:`locked` takes an exclusive lock on ``<file>.lock`` (``filelock``),
  so that several notebooks can read-modify-write the same file one after
  the other without losing each other's changes.
* :func:`write_output` writes what a command produces (an export, a summary,
  a rendered page) without ever replacing one of the command's inputs or any
  journal, and without replacing an existing file unless asked to (``force``).
* :func:`load_json` parses JSON with bounded nesting, and :func:`read_text_file`
  reads a text file people made by hand (UTF-8 with or without a byte-order
  mark, UTF-16, or Windows-1252/Latin-1), both with errors that name the file.

Used in: workshop_utils.discussion (journal, rooms, report), workshop_utils.resources,
workshop_utils.checkpoints and the ``workshop`` command.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

__all__ = [
    "MAX_JSON_DEPTH",
    "PROTECTED_FORMATS",
    "TEMP_MARKER",
    "check_output_path",
    "check_writable",
    "decode_text",
    "is_protected_file",
    "json_depth",
    "load_json",
    "locked",
    "read_text_file",
    "real_path",
    "remove_stale_temp_files",
    "write_bytes_atomic",
    "write_json_atomic",
    "write_output",
    "write_text_atomic",
]

#: Temporary files are called ``<name>.tmp-<random>`` next to the target.
TEMP_MARKER = ".tmp-"
#: Deepest nesting of JSON arrays and objects that :func:`load_json` accepts. The workshop's own
#: files nest at most about 10 levels; far deeper input is damage or an attack, and would make
#: Python's parser raise ``RecursionError``.
MAX_JSON_DEPTH = 64
#: The ``"format"`` values of files that hold what learners and facilitators wrote (journals,
#: room histories): :func:`write_output` never replaces one of them.
PROTECTED_FORMATS = ("workshop-journal", "workshop-rooms-history")
_BACKUP_NAME = re.compile(r"\.(corrupt|newer)-[0-9-]+\.json$")


def real_path(path: str | os.PathLike) -> Path:
    """``path`` with symbolic links resolved (the file a write must really replace)."""
    return Path(os.path.realpath(os.fspath(path)))


def check_writable(path: Path) -> None:
    """Refuse to replace a folder or a read-only file (a read-only file says: do not change me)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(f"{path} is a folder, not a file")
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise PermissionError(
            f"{path} is read-only, so it was not changed; make it writable (or choose another file) and try again"
        )


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Replace the file at ``path`` with ``text`` in one atomic step.

    An existing file keeps its permissions; a new file is readable by its
    owner only. A symbolic link is followed: the file it points to is
    replaced and the link stays. A read-only file or a folder is never
    replaced (``PermissionError`` / ``IsADirectoryError``).

    Parameters
    ----------
    path : str or Path
        The file to write. Its folder must exist.
    text : str
        The new contents (written as UTF-8).

    Returns
    -------
    Path
        The path written (``path`` itself, even when it is a link).
    """
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: str | Path, data: bytes, *, replace: bool = True) -> Path:
    """Replace (or, with ``replace=False``, create) the file at ``path`` with ``data`` atomically.

    See :func:`write_text_atomic`. With ``replace=False`` an existing file is
    never touched: ``FileExistsError`` is raised instead, even if another
    process creates the file at the same moment.
    """
    given = Path(path)
    target = real_path(given)
    check_writable(target)
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=target.name + TEMP_MARKER)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if replace:
            if target.exists():  # keep the permissions the file had; a new file stays private (0600)
                os.chmod(temp_name, target.stat().st_mode & 0o777)
            os.replace(temp_name, target)
        else:
            os.chmod(temp_name, 0o644 & ~_umask())
            try:
                os.link(temp_name, target)  # fails if the target exists, atomically
            except FileExistsError:
                raise
            except OSError:  # a file system without hard links: check, then rename
                if os.path.lexists(target):
                    raise FileExistsError(f"{target} already exists") from None
                os.replace(temp_name, target)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp_name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_folder(target.parent)
    return given


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_json_atomic(path: str | Path, data: Any) -> Path:
    """Write ``data`` as indented UTF-8 JSON to ``path`` atomically (see :func:`write_text_atomic`).

    Text that cannot be UTF-8 (a lone surrogate from a broken paste) is
    written as a JSON ``\\u`` escape instead of failing, so it is kept.
    """
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data, indent=1, ensure_ascii=True, sort_keys=False) + "\n"
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


# -- reading what people made -------------------------------------------------------------------------


def json_depth(value: Any, limit: int = MAX_JSON_DEPTH) -> int:
    """How deeply ``value`` nests lists and dicts (a scalar is 0), counting at most to ``limit + 1``.

    Iterative, so it never raises ``RecursionError`` however deep ``value`` is.
    """
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if depth > limit:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def load_json(text: str | bytes, *, source: str = "the file", max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` with errors that name ``source``, and never a ``RecursionError``.

    Parsing is linear in the length of the text (Python's C parser); nesting
    deeper than ``max_depth`` levels is refused.

    Raises
    ------
    ValueError
        If the text is not UTF-8 JSON, or nests deeper than ``max_depth`` levels.
    """
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError(f"{source} is not UTF-8 text (byte {exc.start})") from None
    try:
        value = json.loads(text)
    except RecursionError:
        value = _TOO_DEEP
    except json.JSONDecodeError as exc:
        raise ValueError(f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if value is _TOO_DEEP or json_depth(value, max_depth) > max_depth:
        raise ValueError(f"{source} nests lists or objects more than {max_depth} levels deep; it is not a valid file")
    return value


_TOO_DEEP = object()

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(raw: bytes, *, source: str = "the file") -> tuple[str, str]:
    """Decode a text file people made by hand; return ``(text, how it was read)``.

    UTF-8 (with or without a byte-order mark), UTF-16 and UTF-32 with a
    byte-order mark, and UTF-16 without one (recognised by its zero bytes)
    are read as such. Otherwise, if the bytes hold some valid UTF-8 beyond
    ASCII, they are read as UTF-8 with each invalid sequence shown as U+FFFD
    (``"utf-8, damaged"``); if they hold none, as Windows-1252 (``"cp1252"``;
    a superset of Latin-1's printable characters) or Latin-1. Bytes with
    zeros that are not UTF-16 give ``"binary"`` (read as damaged UTF-8).
    Never raises for any bytes.
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError:
                return raw.decode("utf-8", "replace"), "binary"
    if 0 not in raw:  # zero bytes are never part of text: UTF-16 without a mark, or not text at all
        try:
            return raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    even_zeros, odd_zeros, half = raw[0::2].count(0), raw[1::2].count(0), max(1, len(raw) // 2)
    if len(raw) >= 2 and len(raw) % 2 == 0 and max(even_zeros, odd_zeros) >= 0.4 * half and \
            min(even_zeros, odd_zeros) <= 0.05 * half:  # zeros in every other byte: UTF-16 without a mark
        encoding = "utf-16-le" if odd_zeros > even_zeros else "utf-16-be"
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            text = ""
        if text and sum(ch.isprintable() or ch in "\r\n\t" for ch in text) >= 0.95 * len(text):
            return text, encoding
    if 0 in raw:
        return raw.decode("utf-8", "replace"), "binary"
    valid = raw.decode("utf-8", "ignore")
    if any(ord(ch) > 127 for ch in valid):  # real UTF-8 text with some damage: keep the UTF-8
        return raw.decode("utf-8", "replace"), "utf-8, damaged"
    text = raw.decode("cp1252", errors="replace")
    if "\ufffd" in text:  # a byte Windows-1252 leaves undefined: Latin-1 maps every byte
        return raw.decode("latin-1"), "latin-1"
    return text, "cp1252"


def read_text_file(path: str | os.PathLike, *, name: str = "file") -> tuple[str, str]:
    """Read a text file made by hand; return ``(text, encoding used)`` (see :func:`decode_text`).

    Raises
    ------
    FileNotFoundError, IsADirectoryError, PermissionError, ValueError
        With a message naming ``name`` and the path.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FileNotFoundError(f"{name}: no file at {path}") from None
    except IsADirectoryError:
        raise IsADirectoryError(f"{name}: {path} is a folder, not a file") from None
    except PermissionError:
        raise PermissionError(f"{name}: {path} cannot be read (permission denied)") from None
    text, encoding = decode_text(raw, source=f"{name} ({path})")
    if encoding == "binary":
        raise ValueError(f"{name}: {path} is not a text file (it holds zero bytes); save it as plain text (UTF-8)")
    return text, encoding


# -- writing what a command produces ---------------------------------------------------------------------


def is_protected_file(path: str | os.PathLike) -> bool:
    """Whether ``path`` is an existing file that holds learners' or facilitators' work.

    That is a journal or a rooms history (by its ``"format"``), a backup of a
    damaged journal, or any file called ``workshop_journal.json``.
    """
    path = Path(path)
    if not path.is_file():
        return False
    if path.name.endswith("workshop_journal.json") or _BACKUP_NAME.search(path.name):
        return True
    try:
        with path.open("rb") as stream:
            head = stream.read(4096)
    except OSError:
        return False
    text = head.decode("utf-8", errors="replace")
    return any(re.search(r'"format"\s*:\s*"' + re.escape(marker) + '"', text) for marker in PROTECTED_FORMATS)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_output_path(
    path: str | os.PathLike,
    *,
    name: str = "output",
    inputs: Iterable[str | os.PathLike] = (),
    force: bool = False,
) -> Path:
    """Check that a command may write its result to ``path``; return it as a Path.

    Refused, always: one of ``inputs`` (also through a link), a journal or
    rooms history (see :func:`is_protected_file`), a folder, a missing folder.
    Refused unless ``force``: any other existing file.

    Raises
    ------
    FileExistsError, IsADirectoryError, FileNotFoundError, ValueError
        With a message naming ``name`` and what to do instead.
    """
    target = Path(path)
    for source in inputs:
        source = Path(source)
        if _same_file(target, source) or real_path(target) == real_path(source):
            raise ValueError(
                f"{name}: {target} is also an input ({source}); writing there would destroy it. "
                "Choose another file name."
            )
    if target.is_dir():
        raise IsADirectoryError(f"{name}: {target} is a folder; give a file name such as summary.md")
    if not target.parent.is_dir():
        raise FileNotFoundError(f"{name}: the folder {target.parent} does not exist")
    if is_protected_file(target):
        raise ValueError(
            f"{name}: {target} holds a journal or a rooms history; it is never overwritten. "
            "Choose another file name."
        )
    if target.exists() and not force:
        raise FileExistsError(f"{name}: {target} already exists; use --force to replace it, or choose another name")
    return target


def write_output(
    path: str | os.PathLike,
    text: str,
    *,
    name: str = "output",
    inputs: Iterable[str | os.PathLike] = (),
    force: bool = False,
) -> Path:
    """Write a command's result to ``path`` after :func:`check_output_path`, atomically.

    Without ``force`` the file is created only if it does not exist (checked
    again at the moment of writing, so a file created meanwhile is not
    replaced either).
    """
    target = check_output_path(path, name=name, inputs=inputs, force=force)
    try:
        return write_bytes_atomic(target, text.encode("utf-8"), replace=force)
    except FileExistsError:
        raise FileExistsError(f"{name}: {target} already exists; use --force to replace it") from None
