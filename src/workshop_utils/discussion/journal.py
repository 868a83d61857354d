"""The learner's journal: every answer to a discussion prompt, saved the moment it is given.

Answers live in one local JSON file, keyed by lesson and prompt, with the
time of each save and the history of edits. Nothing leaves the machine:
learners download the file themselves (on Binder: right-click it in the file
browser, *Download*) and may share it with a facilitator.

Where the file is, first match wins:

1. an explicit ``path`` (a ``.json`` file, or a folder to hold ``workshop_journal.json``);
2. the folder in the environment variable ``WORKSHOP_JOURNAL_DIR``;
3. ``workshop_journal.json`` in the current working directory (for a running
   notebook that is the notebook's folder, e.g. ``lessons/``).

Safety:

* every write is atomic (temporary file in the same folder, ``fsync``,
  ``os.replace``), so a crash or a killed kernel never leaves a partial file;
* every write is a read-modify-write under a ``filelock`` lock on
  ``<file>.lock``, so two notebooks saving at once lose nothing;
* a damaged or hand-edited file is copied to
  ``<name>.corrupt-<timestamp>.json`` before anything is written, as much as
  possible is recovered, and a :class:`JournalRecoveryWarning` says what
  happened; it is never silently overwritten. Recovery takes time linear in
  the file's size and never recurses deeply, however the file is damaged;
* nothing is dropped silently: fields this version does not know (in the
  file, an entry or a version) are kept as they are; a file from a newer
  version is backed up before it is first rewritten; a prompt answered
  with another kind of answer keeps its earlier versions (each version
  records its ``kind`` when it differs from the entry's); a read-only
  journal is never changed, and a symbolic link is followed, not replaced;
* text is kept as typed, including U+FFFD (common in pasted text); a lone
  surrogate (half of an emoji from a broken paste) becomes U+FFFD instead of
  making the save fail;
* bad input (unknown kinds, ids with spaces, numbers where text is expected,
  answers over :data:`MAX_ANSWER_CHARS`) raises an error naming the argument.

Example
-------
::

    from workshop_utils.discussion import Journal, export_markdown

    journal = Journal()                      # workshop_journal.json here
    journal.record("01", "spectrum-example", "reflection", "Closer to a cheap fake.")
    journal.answer("01", "spectrum-example")  # 'Closer to a cheap fake.'
    print(export_markdown(journal))          # the whole journal, grouped by lesson

The file format (version 1)::

    {"format": "workshop-journal", "version": 1, "display_name": "", "updated_at": "...",
     "entries": {"01": {"spectrum-example": {
         "lesson": "01", "prompt": "spectrum-example", "kind": "reflection",
         "question": "...", "details": {}, "answer": "...", "saved_at": "2026-...+00:00",
         "history": [{"answer": "...", "saved_at": "..."}]}}}}

A version in ``history`` has ``"kind"`` too when it differs from the entry's
(the prompt was answered with another kind of answer before). Any other
field, in the file, an entry or a version, is kept as it is.

Used in: workshop_utils.discussion.prompts (every discussion prompt of every lesson) and
the ``workshop journal`` command.
"""

from __future__ import annotations

import copy
import json
import os
import re
import warnings
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from .._files import (
    MAX_JSON_DEPTH,
    check_writable,
    decode_text,
    json_depth,
    locked,
    real_path,
    remove_stale_temp_files,
    write_json_atomic,
)
from .._validate import _describe, check_choice, check_number, check_path

__all__ = [
    "DEFAULT_FILENAME",
    "ENV_DIR",
    "KINDS",
    "MAX_ANSWER_CHARS",
    "MAX_DETAILS_DEPTH",
    "MAX_HISTORY",
    "MAX_NAME_CHARS",
    "MAX_SALVAGE_CHARS",
    "Journal",
    "JournalRecoveryWarning",
    "check_answer",
    "check_id",
    "clean_text",
    "empty_journal",
    "journal_path",
    "parse_journal",
    "read_journal",
]

#: Environment variable naming the folder that holds the journal.
ENV_DIR = "WORKSHOP_JOURNAL_DIR"
#: File name used when only a folder is known.
DEFAULT_FILENAME = "workshop_journal.json"
#: The kinds of answer the journal accepts (one per prompt type).
KINDS = ("reflection", "poll", "spectrum", "canvas", "quiz")
#: Longest answer accepted, in characters of JSON (about eight pages of text).
MAX_ANSWER_CHARS = 20_000
#: Versions kept per prompt; older edits are dropped first.
MAX_HISTORY = 50
#: Longest display name accepted.
MAX_NAME_CHARS = 80
#: Deepest nesting accepted in a prompt's ``details`` (a journal as a whole may nest
#: :data:`workshop_utils._files.MAX_JSON_DEPTH` levels).
MAX_DETAILS_DEPTH = 8
#: A damaged file is searched for answers in its first this many characters only (a real
#: journal is far smaller; the whole file is always kept in the backup).
MAX_SALVAGE_CHARS = 32_000_000

_FORMAT = "workshop-journal"
_VERSION = 1
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_ENTRY_KEYS = ("lesson", "prompt", "kind", "question", "details", "answer", "saved_at", "history")


class JournalRecoveryWarning(UserWarning):
    """A journal file was damaged; it was backed up and as much as possible was recovered."""


# -- argument checks ---------------------------------------------------------------------------


def check_id(name: str, value: Any) -> str:
    """Return ``value`` if it is a valid lesson or prompt id.

    Ids are 1-64 characters: letters, digits, ``-`` and ``_``, starting with
    a letter or digit (e.g. ``"01"``, ``"spectrum-example"``). They become
    JSON keys, nbgrader grade ids and CSS class names, hence the rule.

    Raises
    ------
    TypeError
        If ``value`` is not a string.
    ValueError
        If it breaks the rule above.
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string such as '01' or 'spectrum-example', got {_describe(value)}")
    if not _ID.match(value):
        raise ValueError(
            f"{name} must be 1-64 letters, digits, '-' or '_' (starting with a letter or digit), got {value!r}"
        )
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """``value`` with surrogate pairs joined and lone surrogates replaced by U+FFFD.

    A lone surrogate (half of an emoji, from a broken copy and paste) cannot be
    written as UTF-8; everything else is kept exactly as typed.
    """
    if not _SURROGATE.search(value):
        return value
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _clean_json(value: Any) -> Any:
    """A copy of a JSON value with :func:`clean_text` applied to every string (keys too)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_json(v) for v in value]
    return value


def _check_text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be text (a str), got {_describe(value)}")
    return clean_text(value)


def check_answer(kind: str, answer: Any) -> Any:
    """Return ``answer`` in its stored form if it suits a prompt of this ``kind``.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    answer : Any
        ``reflection`` and ``poll``: a str. ``spectrum``: ``{"value": number,
        "rationale": str}``. ``canvas``: a dict of field id to str. ``quiz``:
        ``{"answers": [str or None, ...], "correct": int, "total": int}``
        (``correct`` and ``total`` only once the quiz is checked).

    Returns
    -------
    Any
        A normalised copy (e.g. a spectrum answer always has a ``rationale``).

    Raises
    ------
    TypeError, ValueError
        With a message naming what is wrong.
    """
    check_choice("kind", kind, KINDS)
    if kind in ("reflection", "poll"):
        result: Any = _check_text(f"answer for a {kind}", answer)
    elif kind == "spectrum":
        result = _check_spectrum(answer)
    elif kind == "canvas":
        result = _check_canvas(answer)
    else:
        result = _check_quiz(answer)
    size = len(json.dumps(result, ensure_ascii=False))
    if size > MAX_ANSWER_CHARS:
        raise ValueError(
            f"answer is too long: {size:,} characters; the limit is {MAX_ANSWER_CHARS:,} "
            "(about eight pages). Shorten it or keep long notes in a separate file."
        )
    return result


def _check_dict(name: str, value: Any, allowed: tuple[str, ...] | None = None) -> dict:
    if not isinstance(value, dict):
        raise TypeError(f"{name} must be a dict, got {_describe(value)}")
    if allowed is not None:
        unknown = sorted(set(map(str, value)) - set(allowed))
        if unknown:
            raise ValueError(f"{name} has unknown key(s) {unknown}; allowed: {list(allowed)}")
    return value


def _check_spectrum(answer: Any) -> dict:
    answer = _check_dict("answer for a spectrum", answer, ("value", "rationale"))
    if "value" not in answer:
        raise ValueError("answer for a spectrum needs a 'value' (the position on the scale)")
    value = check_number("answer['value']", answer["value"])
    value = int(value) if isinstance(answer["value"], int) else value
    rationale = _check_text("answer['rationale']", answer.get("rationale", ""))
    return {"value": value, "rationale": rationale}


def _check_canvas(answer: Any) -> dict:
    answer = _check_dict("answer for a canvas", answer)
    result = {}
    for key, text in answer.items():
        check_id("canvas field id", key)
        result[key] = _check_text(f"answer[{key!r}]", text)
    return result


def _check_quiz(answer: Any) -> dict:
    answer = _check_dict("answer for a quiz", answer, ("answers", "correct", "total"))
    items = answer.get("answers")
    if not isinstance(items, list):
        raise TypeError(f"answer['answers'] for a quiz must be a list, got {_describe(items)}")
    for i, item in enumerate(items):
        if item is not None and not isinstance(item, str):
            raise TypeError(f"answer['answers'][{i}] must be a str or None, got {_describe(item)}")
    result: dict[str, Any] = {"answers": [None if item is None else clean_text(item) for item in items]}
    for key in ("correct", "total"):
        if key in answer:
            value = answer[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise TypeError(f"answer[{key!r}] for a quiz must be a whole number >= 0, got {_describe(value)}")
            result[key] = value
    return result


# -- where the file is -------------------------------------------------------------------------


def journal_path(path: str | os.PathLike | None = None) -> Path:
    """Where the journal lives: ``path`` > ``$WORKSHOP_JOURNAL_DIR`` > the current folder.

    Parameters
    ----------
    path : str or PathLike, optional
        A ``.json`` file, or an existing folder (the journal is then
        ``<folder>/workshop_journal.json``).

    Returns
    -------
    Path
        The journal file (it need not exist yet).
    """
    if path is not None:
        candidate = check_path("path", path)
        if candidate.is_dir():
            return candidate / DEFAULT_FILENAME
        if candidate.suffix.lower() != ".json":
            raise ValueError(f"path must be a .json file or an existing folder, got {str(path)!r}")
        return candidate
    folder = os.environ.get(ENV_DIR, "").strip()
    if folder:
        return Path(folder).expanduser() / DEFAULT_FILENAME
    return Path.cwd() / DEFAULT_FILENAME


def empty_journal(display_name: str = "") -> dict[str, Any]:
    """A new, empty journal document."""
    return {"format": _FORMAT, "version": _VERSION, "display_name": display_name, "updated_at": None, "entries": {}}


# -- reading and recovering ----------------------------------------------------------------------


def parse_journal(raw: bytes | str) -> tuple[dict[str, Any], list[str]]:
    """Parse the text of a journal file, recovering what it can.

    A well-formed file gives ``(document, [])``. A damaged one (not JSON,
    truncated, not UTF-8, nested absurdly deep, wrong top-level type, entries
    with missing or wrong fields) gives the valid entries that could be found
    and a list of problems in plain words. A file from a newer version of the
    workshop is a problem too (so that it is backed up before it is rewritten),
    but nothing in it is dropped. Nothing is written.

    The time taken is linear in the size of ``raw``, however it is damaged.

    Parameters
    ----------
    raw : bytes or str
        The file's contents.

    Returns
    -------
    (dict, list of str)
        The (recovered) document and the problems found.
    """
    problems: list[str] = []
    if isinstance(raw, (bytes, bytearray)):
        text, encoding = decode_text(bytes(raw), source="the journal")
        if encoding in ("binary", "utf-8, damaged"):
            problems.append("the file contains bytes that are not UTF-8 text")
        elif encoding not in ("utf-8", "utf-8-sig"):
            problems.append(f"the file was not UTF-8 text; it was read as {encoding}")
    elif isinstance(raw, str):
        text = raw
    else:
        raise TypeError(f"raw must be the file's contents (bytes or str), got {_describe(raw)}")
    data: Any = None
    try:
        data = json.loads(text)
    except RecursionError:
        problems.append(f"the file nests lists or objects more than {MAX_JSON_DEPTH} levels deep")
    except ValueError as exc:
        problems.append("the file is empty" if not text.strip() else f"the file is not valid JSON ({exc})")
    if data is not None and json_depth(data) > MAX_JSON_DEPTH:
        problems.append(f"the file nests lists or objects more than {MAX_JSON_DEPTH} levels deep")
        data = None
    if isinstance(data, dict) and isinstance(data.get("entries"), dict):
        document = empty_journal(_clean_name(data.get("display_name", ""), problems))
        document["updated_at"] = data.get("updated_at") if isinstance(data.get("updated_at"), str) else None
        if data.get("format", _FORMAT) != _FORMAT:
            problems.append(f"the 'format' is {data.get('format')!r}, expected {_FORMAT!r}")
        version = data.get("version", _VERSION)
        if version != _VERSION:
            newer = isinstance(version, (int, float)) and not isinstance(version, bool) and version > _VERSION
            problems.append(
                f"the file was written by a newer version of the workshop (format version {version!r}); "
                "every field this version does not know is kept"
                if newer
                else f"the format version is {version!r}, expected {_VERSION}"
            )
        for key, value in data.items():  # fields this version does not know are kept as they are
            if key not in document:
                document[key] = _clean_json(value)
        for lesson, prompts in data["entries"].items():
            if not isinstance(prompts, dict):
                problems.append(f"lesson {lesson!r} is not a JSON object; dropped")
                continue
            for prompt, raw_entry in prompts.items():
                _add_entry(document, lesson, prompt, raw_entry, problems)
        return document, problems
    if data is not None:
        found = "a JSON object without an 'entries' object" if isinstance(data, dict) else f"a JSON {_json_type(data)}"
        problems.append(f"the top level is {found}, not a workshop journal")
    document = empty_journal(_salvage_name(text[:MAX_SALVAGE_CHARS]))
    if len(text) > MAX_SALVAGE_CHARS:
        problems.append(
            f"only the first {MAX_SALVAGE_CHARS:,} of {len(text):,} characters were searched for answers"
        )
    entries, stopped = _salvage_entries(text[:MAX_SALVAGE_CHARS])
    if stopped:
        problems.append("the search for answers stopped early, because the file is damaged in an unusual way")
    for raw_entry in entries:
        _add_entry(document, raw_entry.get("lesson"), raw_entry.get("prompt"), raw_entry, problems)
    return document, problems


def _json_type(value: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(type(value), "null")


def _clean_name(value: Any, problems: list[str]) -> str:
    if isinstance(value, str) and len(value) <= MAX_NAME_CHARS:
        return clean_text(value)
    problems.append("the display name was not valid text; it was cleared")
    return ""


def _salvage_name(text: str) -> str:
    match = re.search(r'"display_name"\s*:\s*("[^"\\]{0,400}(?:\\.[^"\\]{0,400}){0,400}")', text)
    if not match:
        return ""
    try:
        name = json.loads(match.group(1))
    except ValueError:
        return ""
    return clean_text(name) if isinstance(name, str) and len(name) <= MAX_NAME_CHARS else ""


# An object that starts with a key: where a journal entry (or anything holding one) may start.
_OBJECT_START = re.compile(r'\{\s*"')
#: Parsing attempts cost at least this many characters of the salvage budget each.
_ATTEMPT_COST = 256


def _salvage_entries(text: str) -> tuple[list[dict[str, Any]], bool]:
    """Every complete JSON object in ``text`` that looks like a journal entry; and whether the search stopped early.

    Each candidate is an object starting with a key; it is parsed with the C
    parser (``raw_decode``). The total work (parsing, and the parser's error
    messages, which count the lines before the error) is bounded by a budget
    linear in the length of ``text``, so text made to defeat the search
    (thousands of unclosed or deeply nested objects) costs no more than a few
    passes over it.
    """
    decoder = json.JSONDecoder()
    found: list[dict[str, Any]] = []
    budget = 16 * len(text) + 4_000_000
    match = _OBJECT_START.search(text)
    while match is not None:
        start = match.start()
        try:
            value, end = decoder.raw_decode(text, start)
        except RecursionError:
            budget -= max(_ATTEMPT_COST, min(len(text) - start, 64_000))
            next_from = start + 1
        except ValueError as exc:
            # the parser's error message counts the lines before the error: that costs `pos` too
            position = getattr(exc, "pos", start)
            budget -= max(_ATTEMPT_COST, 2 * position - start)
            next_from = start + 1
        else:
            budget -= max(_ATTEMPT_COST, end - start)
            if isinstance(value, dict) and {"lesson", "prompt", "answer"} <= set(value) and \
                    json_depth(value) <= MAX_JSON_DEPTH:
                found.append(value)
                next_from = end
            else:
                next_from = start + 1
        if budget <= 0:
            return found, True
        match = _OBJECT_START.search(text, next_from)
    return found, False


def _add_entry(document: dict, lesson: Any, prompt: Any, raw: Any, problems: list[str]) -> None:
    label = f"{lesson}/{prompt}"
    try:
        entry, repaired = _normalise_entry(lesson, prompt, raw)
    except (TypeError, ValueError) as exc:
        problems.append(f"entry {label}: {exc}; dropped")
        return
    if repaired:
        problems.append(f"entry {label}: {repaired}; repaired")
    prompts = document["entries"].setdefault(entry["lesson"], {})
    previous = prompts.get(entry["prompt"])
    if previous is None or str(entry["saved_at"] or "") >= str(previous["saved_at"] or ""):
        prompts[entry["prompt"]] = entry


def _normalise_entry(lesson: Any, prompt: Any, raw: Any) -> tuple[dict[str, Any], str]:
    """Check one stored entry; return it cleaned, and what had to be repaired ('' if nothing).

    Fields this version does not know are kept, in the entry and in each version.
    """
    check_id("lesson id", lesson)
    check_id("prompt id", prompt)
    if not isinstance(raw, dict):
        raise TypeError(f"not a JSON object but {_describe(raw)}")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
    repaired = []
    history = []
    raw_history = raw.get("history")
    if not isinstance(raw_history, list):
        raw_history = []
        repaired.append("missing history")
    for version in raw_history:
        try:
            history.append(_normalise_version(version, kind))
        except (TypeError, ValueError, KeyError, AttributeError):
            repaired.append("an unreadable old version was dropped")
    if "answer" in raw:
        answer = check_answer(kind, raw["answer"])
        saved_at = _time_or_none(raw.get("saved_at"))
        if saved_at is None and raw.get("saved_at", "missing") is not None:  # null means "time unknown"
            repaired.append("missing or unreadable save time")
    else:
        same = [v for v in history if v.get("kind", kind) == kind]
        if not same:
            raise ValueError("no answer")
        answer, saved_at = same[-1]["answer"], same[-1]["saved_at"]
        repaired.append("missing answer, taken from the history")
    if not history or history[-1]["answer"] != answer or history[-1].get("kind", kind) != kind:
        history.append({"answer": answer, "saved_at": saved_at})
    question = raw.get("question", "")
    if not isinstance(question, str):
        question = ""
        repaired.append("question was not text")
    details = raw.get("details", {})
    if not isinstance(details, dict):
        details = {}
        repaired.append("details were not a JSON object")
    entry = {
        "lesson": lesson,
        "prompt": prompt,
        "kind": kind,
        "question": clean_text(question),
        "details": _clean_json(details),
        "answer": answer,
        "saved_at": saved_at,
        "history": history[-MAX_HISTORY:],
    }
    for key, value in raw.items():  # fields this version does not know are kept
        if key not in entry:
            entry[key] = _clean_json(value)
    return entry, ", ".join(dict.fromkeys(repaired))


def _normalise_version(version: Any, kind: str) -> dict[str, Any]:
    """One stored version: its answer checked against its own kind (the entry's unless it says otherwise)."""
    version_kind = version.get("kind", kind)
    result = {"answer": check_answer(version_kind, version["answer"]), "saved_at": _time_or_none(version.get("saved_at"))}
    if version_kind != kind:
        result["kind"] = version_kind
    for key, value in version.items():
        if key not in result and key != "kind":
            result[key] = _clean_json(value)
    return result


def _time_or_none(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return None
    return value


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise IsADirectoryError(f"the journal {path} is a folder, not a file") from None


def _summary(path: Path, problems: list[str], document: dict, action: str) -> str:
    count = sum(len(prompts) for prompts in document["entries"].values())
    shown = "; ".join(problems[:4]) + (f"; and {len(problems) - 4} more" if len(problems) > 4 else "")
    return f"The journal {path} was damaged ({shown}). {action} Recovered {count} answer(s)."


def read_journal(path: str | os.PathLike) -> dict[str, Any]:
    """Read a journal file without changing it.

    A damaged file is recovered in memory as far as possible, with a
    :class:`JournalRecoveryWarning`; the file itself is left as it is.

    Parameters
    ----------
    path : str or PathLike
        The journal file.

    Returns
    -------
    dict
        The journal document.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    """
    path = check_path("path", path)
    raw = _read_bytes(path)
    if raw is None:
        raise FileNotFoundError(f"no journal file at {path}")
    document, problems = parse_journal(raw)
    if problems:
        warnings.warn(
            JournalRecoveryWarning(_summary(path, problems, document, "The file was not changed.")), stacklevel=2
        )
    return document


# -- the journal ----------------------------------------------------------------------------------


class Journal:
    """A learner's journal file: record answers, read them back, export them.

    Parameters
    ----------
    path : str or PathLike, optional
        The journal file or its folder; see :func:`journal_path` for the default.
    lock_timeout : float
        Seconds to wait for another writer before giving up with ``TimeoutError``.
    clock : callable, optional
        Returns the current time as an aware ``datetime`` (tests inject one).

    Attributes
    ----------
    path : Path
        The journal file.
    last_recovery : str
        The message of the last recovery from a damaged file ('' if none).
    """

    def __init__(
        self,
        path: str | os.PathLike | None = None,
        *,
        lock_timeout: float = 10.0,
        clock: Callable[[], datetime] | None = None,
    ):
        self.path = journal_path(path)
        self.lock_timeout = check_number("lock_timeout", lock_timeout, minimum=0)
        self._clock = clock or (lambda: datetime.now().astimezone())
        self.last_recovery = ""

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    def _now(self) -> str:
        return self._clock().isoformat(timespec="seconds")

    # reading

    def read(self) -> dict[str, Any]:
        """The whole journal document (empty if the file does not exist yet); never writes."""
        raw = _read_bytes(self.path)
        if raw is None:
            return empty_journal()
        document, problems = parse_journal(raw)
        if problems:
            warnings.warn(
                JournalRecoveryWarning(_summary(self.path, problems, document, "The file was not changed yet.")),
                stacklevel=2,
            )
        return document

    def entry(self, lesson: str, prompt_id: str) -> dict[str, Any] | None:
        """The stored entry of one prompt (answer, time, history), or None."""
        check_id("lesson", lesson)
        check_id("prompt_id", prompt_id)
        return self.read()["entries"].get(lesson, {}).get(prompt_id)

    def answer(self, lesson: str, prompt_id: str, default: Any = None) -> Any:
        """The latest answer to one prompt, or ``default`` if there is none."""
        entry = self.entry(lesson, prompt_id)
        return default if entry is None else entry["answer"]

    def entries(self) -> list[dict[str, Any]]:
        """All entries, sorted by lesson then prompt id."""
        entries = self.read()["entries"]
        return [entries[lesson][prompt] for lesson in sorted(entries) for prompt in sorted(entries[lesson])]

    @property
    def display_name(self) -> str:
        """The name the learner chose to show in exports ('' by default)."""
        return self.read()["display_name"]

    # writing

    def _update(self, change: Callable[[dict[str, Any]], tuple[bool, Any]]) -> Any:
        """Apply ``change`` to the document under the lock and save it atomically.

        ``change`` edits the document in place and returns ``(changed, result)``;
        the file is written only if something changed or had to be recovered.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        target = real_path(self.path)  # a link is followed: the file it points to is the journal
        with locked(target, self.lock_timeout):
            check_writable(target)  # a read-only journal is never changed (nor backed up and replaced)
            raw = _read_bytes(target)
            document, problems = (empty_journal(), []) if raw is None else parse_journal(raw)
            if problems:
                backup = self._backup(raw, target)
                self.last_recovery = _summary(
                    self.path, problems, document, f"The original was copied to {backup.name}; new answers are saved."
                )
                warnings.warn(JournalRecoveryWarning(self.last_recovery), stacklevel=3)
            remove_stale_temp_files(target)
            changed, result = change(document)
            if changed or problems:
                write_json_atomic(target, document)
        return result

    def _backup(self, raw: bytes, target: Path) -> Path:
        stamp = self._clock().strftime("%Y%m%d-%H%M%S")
        stem = target.name[: -len(target.suffix)] if target.suffix else target.name
        for number in range(1, 1000):
            suffix = "" if number == 1 else f"-{number}"
            backup = target.with_name(f"{stem}.corrupt-{stamp}{suffix}.json")
            try:
                with backup.open("xb") as stream:
                    stream.write(raw)
                    stream.flush()
                    os.fsync(stream.fileno())
                return backup
            except FileExistsError:
                continue
        raise OSError(f"could not find a free name to back up the damaged journal {target}")

    def record(
        self,
        lesson: str,
        prompt_id: str,
        kind: str,
        answer: Any,
        *,
        question: str = "",
        details: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Save an answer now and return its stored entry.

        Saving the same answer again changes nothing (the entry keeps its
        original ``saved_at``); a different answer becomes the new ``answer``
        and is appended to ``history`` (at most :data:`MAX_HISTORY` versions).

        Parameters
        ----------
        lesson, prompt_id : str
            Ids, see :func:`check_id`.
        kind : str
            One of :data:`KINDS`.
        answer : Any
            See :func:`check_answer`.
        question : str
            The prompt's text, stored so the export is readable on its own.
        details : dict, optional
            What the export needs to make sense of the answer (poll options,
            spectrum scale, canvas field labels, number of quiz items).

        Returns
        -------
        dict
            A copy of the stored entry.
        """
        check_id("lesson", lesson)
        check_id("prompt_id", prompt_id)
        answer = check_answer(kind, answer)
        question = _check_text("question", question)
        details = {} if details is None else _check_dict("details", details)
        if json_depth(details, MAX_DETAILS_DEPTH) > MAX_DETAILS_DEPTH:
            raise ValueError(f"details must not nest lists or dicts more than {MAX_DETAILS_DEPTH} levels deep")
        try:
            details = _clean_json(json.loads(json.dumps(details, allow_nan=False)))
        except (TypeError, ValueError):
            raise TypeError("details must hold only JSON values (str, numbers, lists, dicts)") from None

        def change(document: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
            prompts = document["entries"].setdefault(lesson, {})
            old = prompts.get(prompt_id)
            same_kind = old is not None and old["kind"] == kind
            new_answer = not same_kind or old["answer"] != answer
            if not new_answer and old["question"] == question and old["details"] == details:
                return False, copy.deepcopy(old)
            now = self._now()
            history = []
            if old is not None:  # earlier versions are kept, also when the prompt changed kind
                for version in old["history"]:
                    version = dict(version)
                    version_kind = version.pop("kind", old["kind"])
                    if version_kind != kind:
                        version["kind"] = version_kind
                    history.append(version)
            if new_answer:
                history.append({"answer": answer, "saved_at": now})
            entry = {
                "lesson": lesson,
                "prompt": prompt_id,
                "kind": kind,
                "question": question,
                "details": details,
                "answer": answer,
                "saved_at": now if new_answer else old["saved_at"],
                "history": history[-MAX_HISTORY:],
            }
            if old is not None:  # fields this version does not know are kept
                entry.update({key: value for key, value in old.items() if key not in entry})
            prompts[prompt_id] = entry
            document["updated_at"] = now
            return True, copy.deepcopy(entry)

        return self._update(change)

    def set_display_name(self, name: str) -> str:
        """Set the optional name shown in exports (``""`` to stay anonymous); returns it."""
        name = _check_text("name", name).strip()
        if len(name) > MAX_NAME_CHARS:
            raise ValueError(f"name must be at most {MAX_NAME_CHARS} characters, got {len(name)}")

        def change(document: dict[str, Any]) -> tuple[bool, str]:
            if document["display_name"] == name:
                return False, name
            document["display_name"] = name
            document["updated_at"] = self._now()
            return True, name

        self._update(change)
        return name

