"""The workshop's living guide to resources: papers, tools, frameworks, guides, policies.

The guide is data (``workshop_utils/data/resources.json``): one entry per
resource with a title, a link, a year, a type, topics, who it serves and a
one-line summary. ``docs/resources.md`` is rendered from it, and the explorer
in :mod:`workshop_utils.resources.views` searches it inside a notebook.

Participants suggest additions with :func:`add_resource`. By default a
suggestion goes to ``resource_suggestions.json`` in the current folder, for
the facilitator to review and merge, so nobody edits the package data by
accident::

    from workshop_utils.resources import add_resource, new_entry
    add_resource(new_entry(title="...", url="https://...", year=2020, type="paper",
                           topics="detection,labels", audience="student",
                           summary="..."))

Every entry is checked by :func:`validate_entry` (required fields, types,
fixed vocabularies, http(s) links, sensible years, a short one-line summary),
and a file by :func:`check_file` (which also refuses duplicate links).

Used in: docs/resources.md, lessons with "further resources" sections,
:mod:`workshop_utils.resources.views`.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources as _package_files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .._files import check_output_path, is_protected_file, load_json, locked, write_text_atomic
from .._markup import md_text
from .._validate import _describe, check_choice, check_int, check_path

__all__ = [
    "AUDIENCES",
    "FIELDS",
    "OPTIONAL_FIELDS",
    "REQUIRED_FIELDS",
    "SUGGESTIONS_FILE",
    "SUMMARY_MAX_CHARS",
    "TOPICS",
    "TYPES",
    "YEAR_MIN",
    "Resource",
    "add_resource",
    "check_file",
    "check_resources",
    "default_path",
    "MergeReport",
    "link_target",
    "load",
    "merge_suggestions",
    "new_entry",
    "read_entries",
    "normalise_url",
    "render_markdown",
    "search",
    "validate_entry",
    "write_markdown",
]

#: Kinds of resource, with the heading each gets in the guide (in guide order).
TYPES: dict[str, str] = {
    "guide": "Guides",
    "framework": "Frameworks",
    "paper": "Papers",
    "report": "Reports",
    "tool": "Tools and code",
    "dataset": "Datasets and benchmarks",
    "standard": "Standards",
    "policy": "Policies and regulation",
    "project": "Projects: art, activism and documentary",
    "article": "Articles and case reporting",
    "organisation": "Organisations",
}

#: What a resource is about, with a short description.
TOPICS: dict[str, str] = {
    "generation": "how generative models make images, audio, video and text",
    "manipulation-tactics": "how synthetic and cheaply edited media are used to mislead",
    "coordination": "coordinated accounts and how to detect them",
    "detection": "telling generated from real, by machines and by people",
    "watermarking": "hidden signals that mark generated content",
    "provenance": "records of where content came from (metadata, hashes, content credentials)",
    "labels": "how platforms label and disclose synthetic or manipulated media",
    "policy": "platform rules, law and regulation",
    "responsible-practice": "consent, disclosure, documentation and publication norms",
    "art": "artists working with generative models",
    "activism": "synthetic media for advocacy, protection and public education",
}

#: Who a resource serves.
AUDIENCES: dict[str, str] = {
    "student": "students and self-learners",
    "instructor": "instructors and facilitators",
    "artist": "artists",
    "activist": "activists and campaigners",
    "journalist": "journalists and fact-checkers",
    "researcher": "researchers",
    "policymaker": "policymakers",
    "platform": "platform and trust-and-safety teams",
    "developer": "developers",
}

REQUIRED_FIELDS = ("title", "url", "year", "type", "topics", "audience", "summary")
#: ``authors`` (as the source names them) and ``note`` (a caveat, e.g. that the
#: link is a news write-up or that a detail is unconfirmed) are optional.
OPTIONAL_FIELDS = ("authors", "note")
FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS

SUMMARY_MIN_CHARS = 20
SUMMARY_MAX_CHARS = 200
TITLE_MAX_CHARS = 200
OPTIONAL_MAX_CHARS = 300
#: The earliest year a resource may have; the latest is the current year.
YEAR_MIN = 1950
#: Where participants' suggestions go by default (relative to the current folder).
SUGGESTIONS_FILE = "resource_suggestions.json"

_ABOUT_SUGGESTIONS = (
    "Suggested additions to the Synthetic Media Workshop's resource guide. A facilitator reviews "
    "them and merges the good ones into src/workshop_utils/data/resources.json."
)


@dataclass(frozen=True)
class Resource:
    """One entry of the guide (see :data:`FIELDS` for what each field means)."""

    title: str
    url: str
    year: int
    type: str
    topics: tuple[str, ...]
    audience: tuple[str, ...]
    summary: str
    authors: str | None = None
    note: str | None = None

    @classmethod
    def from_dict(cls, entry: Mapping[str, Any]) -> Resource:
        """Build a resource from a checked entry.

        Raises
        ------
        ValueError
            If the entry fails :func:`validate_entry`; the message lists every problem.
        """
        problems = validate_entry(entry)
        if problems:
            raise ValueError("the resource entry is not valid:\n- " + "\n- ".join(problems))
        return cls(
            title=entry["title"].strip(),
            url=entry["url"].strip(),
            year=int(entry["year"]),
            type=entry["type"],
            topics=tuple(entry["topics"]),
            audience=tuple(entry["audience"]),
            summary=entry["summary"].strip(),
            authors=_strip_or_none(entry.get("authors")),
            note=_strip_or_none(entry.get("note")),
        )

    def to_dict(self) -> dict[str, Any]:
        """The entry as it is stored in a resources file (optional fields only when set)."""
        entry: dict[str, Any] = {
            "title": self.title,
            "url": self.url,
            "year": self.year,
            "type": self.type,
            "topics": list(self.topics),
            "audience": list(self.audience),
            "summary": self.summary,
        }
        for name in OPTIONAL_FIELDS:
            if getattr(self, name):
                entry[name] = getattr(self, name)
        return entry

    def to_markdown(self) -> str:
        """One Markdown list item: linked title, year, summary, topics, audience and note.

        Every text field is escaped (:func:`workshop_utils._markup.md_text`) and the
        link is only ever an ``http(s)`` address with no character that could end it.
        """
        by = f" {_escape_markdown(self.authors)}." if self.authors else ""
        url = link_target(self.url)
        target = f"<{url}>" if "(" in url or ")" in url else url
        title = f"[{_escape_link_text(self.title)}]({target})" if url else _escape_markdown(self.title)
        lines = [
            f"- **{title}** ({self.year}).{by} {_escape_markdown(self.summary)}",
            f"  *Topics:* {', '.join(map(md_text, self.topics))}. *For:* {', '.join(map(md_text, self.audience))}.",
        ]
        if self.note:
            lines.append(f"  *Note:* {_escape_markdown(self.note)}")
        return "\\\n".join(lines)  # a backslash at the end of a line is a Markdown line break

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


#: Characters allowed in a link (RFC 3986: unreserved, reserved and percent-escapes). Everything else,
#: notably spaces, quotes, ``<``, ``>``, backslashes and backticks, is refused: it could end the link in
#: Markdown or HTML and start something else.
URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def link_target(url: str) -> str:
    """``url`` if it is safe to put in a Markdown or HTML link (``http(s)`` and only URL characters), else ''."""
    if not isinstance(url, str) or not URL_CHARACTERS.fullmatch(url) or re.search(r"%(?![0-9A-Fa-f]{2})", url):
        return ""
    return url if urlsplit(url).scheme.lower() in ("http", "https") else ""


def check_resources(name: str, value: Any) -> list[Resource]:
    """``value`` as a list if it is an iterable of :class:`Resource`; TypeError naming ``name`` otherwise."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(f"{name} must be a list of Resource (see load()), got {_describe(value)}")
    items = list(value)
    for i, item in enumerate(items):
        if not isinstance(item, Resource):
            raise TypeError(f"{name}[{i}] must be a Resource (see load()), got {_describe(item)}")
    return items


def _strip_or_none(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


# --------------------------------------------------------------------------- validation


def normalise_url(url: str) -> str:
    """The form of a link used to spot duplicates.

    Lower-cases the scheme and host, treats ``http`` and ``https`` as the same,
    drops the default port, the fragment and trailing slashes of the path. The
    path and query keep their case (they are case-sensitive on most servers).

    Examples
    --------
    >>> normalise_url("HTTP://Example.org/Paper/#abstract")
    'https://example.org/Paper'
    """
    if not isinstance(url, str):
        raise TypeError(f"url must be text such as 'https://example.org/page', got {_describe(url)}")
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port if parts.port not in (None, 80, 443) else None
    netloc = f"{host}:{port}" if port else host
    scheme = "https" if parts.scheme.lower() in ("http", "https") else parts.scheme.lower()
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), parts.query, ""))


def _suggest(value: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _one_line_text(name: str, value: Any, *, minimum: int, maximum: int) -> list[str]:
    if not isinstance(value, str):
        return [f"{name}: must be text, got {type(value).__name__} {value!r}"]
    text = value.strip()
    if "\n" in text or "\r" in text:
        return [f"{name}: must be a single line (no line breaks)"]
    if len(text) < minimum:
        return [f"{name}: must have at least {minimum} character(s), got {len(text)}"]
    if len(text) > maximum:
        return [f"{name}: must be at most {maximum} characters, got {len(text)}; shorten it"]
    return []


def _check_url(value: Any) -> list[str]:
    if not isinstance(value, str):
        return [f"url: must be text such as 'https://example.org/page', got {type(value).__name__} {value!r}"]
    url = value.strip()
    if not url or any(ch.isspace() for ch in url):
        return [f"url: must be one web address without spaces, got {value!r}"]
    bad = sorted(set(URL_CHARACTERS.sub("", url)))
    if bad:
        return [f"url: contains {', '.join(map(repr, bad))}, which a web address cannot hold as it is "
                f"(write such characters percent-encoded, e.g. %3C for <), got {value!r}"]
    if re.search(r"%(?![0-9A-Fa-f]{2})", url):
        return [f"url: has a '%' that is not followed by two hexadecimal digits, got {value!r}"]
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError as exc:
        return [f"url: is not a valid web address ({exc}): {value!r}"]
    if parts.scheme.lower() not in ("http", "https"):
        return [f"url: must start with http:// or https://, got {value!r}"]
    if not parts.hostname or "." not in parts.hostname:
        return [f"url: must name a web host such as example.org, got {value!r}"]
    return []


def _check_year(value: Any) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, int):
        return [f"year: must be a whole number such as 2020, got {type(value).__name__} {value!r}"]
    latest = date.today().year
    if not YEAR_MIN <= value <= latest:
        return [f"year: must be between {YEAR_MIN} and {latest}, got {value}"]
    return []


def _check_vocabulary_list(name: str, value: Any, vocabulary: Mapping[str, str]) -> list[str]:
    options = ", ".join(vocabulary)
    if isinstance(value, str) or not isinstance(value, list):
        return [f"{name}: must be a list such as [{next(iter(vocabulary))!r}], got {type(value).__name__} "
                f"{value!r}; choose from {options}"]
    if not value:
        return [f"{name}: must list at least one of {options}"]
    problems = []
    for item in value:
        if not isinstance(item, str) or item not in vocabulary:
            hint = _suggest(item, vocabulary) if isinstance(item, str) else ""
            problems.append(f"{name}: {item!r} is not allowed{hint}; choose from {options}")
    repeated = sorted({item for item in value if isinstance(item, str) and value.count(item) > 1})
    if repeated:
        problems.append(f"{name}: lists {', '.join(map(repr, repeated))} more than once")
    return problems


def validate_entry(entry: Any) -> list[str]:
    """List the problems of one resource entry (an empty list means it is valid).

    Each message starts with the name of the field it is about, e.g.
    ``"year: must be a whole number such as 2020, got str '2020'"``.

    Parameters
    ----------
    entry : dict
        A resource as stored in a resources file: ``title``, ``url``, ``year``,
        ``type``, ``topics``, ``audience``, ``summary`` and optionally
        ``authors`` and ``note``.

    Returns
    -------
    list of str
        One message per problem.

    Used in: :func:`add_resource`, :func:`check_file`, tests/test_resources.py.
    """
    if not isinstance(entry, Mapping):
        return [f"entry: must be a dict (a JSON object) with the fields {', '.join(REQUIRED_FIELDS)}, "
                f"got {type(entry).__name__}"]
    problems = [f"{name}: missing (required)" for name in REQUIRED_FIELDS if name not in entry]
    for name in entry:
        if name not in FIELDS:
            problems.append(f"{name}: unknown field{_suggest(str(name), FIELDS)}; allowed fields are "
                            f"{', '.join(FIELDS)}")
    if "title" in entry:
        problems += _one_line_text("title", entry["title"], minimum=3, maximum=TITLE_MAX_CHARS)
    if "url" in entry:
        problems += _check_url(entry["url"])
    if "year" in entry:
        problems += _check_year(entry["year"])
    if "type" in entry:
        kind = entry["type"]
        if not isinstance(kind, str) or kind not in TYPES:
            hint = _suggest(kind, TYPES) if isinstance(kind, str) else ""
            problems.append(f"type: {kind!r} is not allowed{hint}; choose one of {', '.join(TYPES)}")
    if "topics" in entry:
        problems += _check_vocabulary_list("topics", entry["topics"], TOPICS)
    if "audience" in entry:
        problems += _check_vocabulary_list("audience", entry["audience"], AUDIENCES)
    if "summary" in entry:
        problems += _one_line_text("summary", entry["summary"], minimum=SUMMARY_MIN_CHARS,
                                   maximum=SUMMARY_MAX_CHARS)
    for name in OPTIONAL_FIELDS:
        if entry.get(name) is not None:
            problems += _one_line_text(name, entry[name], minimum=1, maximum=OPTIONAL_MAX_CHARS)
    return problems


def new_entry(
    *,
    title: str,
    url: str,
    year: int | str,
    type: str,
    topics: str | Iterable[str],
    audience: str | Iterable[str],
    summary: str,
    authors: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Build an entry from command-line style values, ready for :func:`add_resource`.

    ``year`` may be text (``"2020"``) and ``topics`` / ``audience`` may be
    comma-separated text (``"detection, labels"``); text is stripped. Nothing
    is checked here: :func:`add_resource` and :func:`validate_entry` do that,
    so a CLI can pass its arguments straight through.

    Returns
    -------
    dict
        The entry, with optional fields only when given.
    """

    def as_list(value: str | Iterable[str]) -> Any:
        if not isinstance(value, (str, list, tuple)):
            return value  # left for validate_entry to name
        items = value.split(",") if isinstance(value, str) else list(value)
        return [item.strip() if isinstance(item, str) else item for item in items
                if not (isinstance(item, str) and not item.strip())]

    if isinstance(year, str) and re.fullmatch(r"[0-9]{1,4}", year.strip()):  # ASCII digits only ('²' stays text)
        year = int(year.strip())
    entry: dict[str, Any] = {
        "title": title.strip() if isinstance(title, str) else title,
        "url": url.strip() if isinstance(url, str) else url,
        "year": year,
        "type": type.strip().lower() if isinstance(type, str) else type,
        "topics": as_list(topics),
        "audience": as_list(audience),
        "summary": summary.strip() if isinstance(summary, str) else summary,
    }
    for name, value in (("authors", authors), ("note", note)):
        if value is not None and (not isinstance(value, str) or value.strip()):
            entry[name] = value.strip() if isinstance(value, str) else value
    return entry


# --------------------------------------------------------------------------- files


def default_path() -> Path:
    """The guide shipped with the package (``workshop_utils/data/resources.json``)."""
    return Path(str(_package_files.files("workshop_utils").joinpath("data/resources.json")))


def _read_document(path: Path) -> tuple[Any, list]:
    """Read a resources file; return the whole document and its list of entries."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FileNotFoundError(f"no resources file at {path}") from None
    except IsADirectoryError:
        raise IsADirectoryError(f"{path} is a folder, not a resources file") from None
    document = load_json(raw, source=str(path))
    if isinstance(document, list):
        return document, document
    if isinstance(document, dict) and isinstance(document.get("resources"), list):
        return document, document["resources"]
    raise ValueError(f"{path} must hold a JSON object with a \"resources\" list (or a plain list of entries)")


def _label(index: int, entry: Any) -> str:
    title = entry.get("title") if isinstance(entry, Mapping) else None
    return f"entry {index + 1}" + (f" ({title!r})" if isinstance(title, str) else "")


def _problems_of_entries(entries: list) -> list[str]:
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        problems += [f"{_label(index, entry)}: {p}" for p in validate_entry(entry)]
        url = entry.get("url") if isinstance(entry, Mapping) else None
        if isinstance(url, str) and not _check_url(url):
            key = normalise_url(url)
            if key in seen:
                first = seen[key]
                problems.append(f"{_label(index, entry)}: url: duplicates {_label(first, entries[first])} "
                                f"({url!r})")
            else:
                seen[key] = index
    return problems


def check_file(path: str | os.PathLike | None = None) -> list[str]:
    """List every problem of a resources file (an empty list means it is valid).

    Checks each entry with :func:`validate_entry` and refuses duplicate links
    (compared with :func:`normalise_url`). Messages name the entry by number
    and title, then the field.

    Parameters
    ----------
    path : path-like, optional
        The file to check; by default the guide shipped with the package.

    Raises
    ------
    FileNotFoundError, ValueError
        If the file is missing or is not a resources document at all.
    """
    _, entries = _read_document(check_path("path", path) if path is not None else default_path())
    return _problems_of_entries(entries)


def load(path: str | os.PathLike | None = None) -> list[Resource]:
    """Load and check a resources file.

    Parameters
    ----------
    path : path-like, optional
        The file to load; by default the guide shipped with the package.

    Returns
    -------
    list of Resource
        The entries, in file order.

    Raises
    ------
    ValueError
        If any entry is invalid or two entries share a link; the message lists every problem.
    """
    target = check_path("path", path) if path is not None else default_path()
    _, entries = _read_document(target)
    problems = _problems_of_entries(entries)
    if problems:
        raise ValueError(f"{target} has {len(problems)} problem(s):\n- " + "\n- ".join(problems))
    return [Resource.from_dict(entry) for entry in entries]


def _format_entries(entries: list, indent: str) -> str:
    """A JSON list of entries, one field per line, values (short lists too) on one line."""
    if not entries:
        return "[]"

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    def entry_text(entry: Any) -> str:
        if not isinstance(entry, Mapping):
            return indent + "  " + dump(entry)
        fields = [f"{indent}    {dump(str(k))}: {dump(v)}" for k, v in entry.items()]
        return f"{indent}  {{\n" + ",\n".join(fields) + f"\n{indent}  }}"

    return "[\n" + ",\n".join(entry_text(e) for e in entries) + f"\n{indent}]"


def _format_document(document: Any) -> str:
    """JSON text of a resources document, laid out for readable, stable diffs."""
    if isinstance(document, list):
        return _format_entries(document, "") + "\n"
    lines = [f"  {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
             for k, v in document.items() if k != "resources"]
    lines.append(f'  "resources": {_format_entries(document["resources"], "  ")}')
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _lock_file(path: Path) -> str:
    """Where the lock for writers of ``path`` lives: the temp folder, not beside the data."""
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:16]
    return os.path.join(tempfile.gettempdir(), f"workshop-resources-{digest}.lock")


def add_resource(entry: Mapping[str, Any], path: str | os.PathLike = SUGGESTIONS_FILE) -> None:
    """Check a resource and append it to a resources file, atomically.

    The file is created if it does not exist. The entry is refused when it is
    invalid or when its link (see :func:`normalise_url`) is already in that
    file or in the guide shipped with the package. The file is rewritten
    through a temporary file and ``os.replace``, under a lock, so a failure or
    a second writer never leaves it half-written.

    Parameters
    ----------
    entry : dict
        The resource (see :func:`validate_entry`; :func:`new_entry` builds one
        from command-line style text).
    path : path-like
        Where to append. By default ``resource_suggestions.json`` in the current
        folder, for a facilitator to review; maintainers pass
        ``src/workshop_utils/data/resources.json``.

    Raises
    ------
    ValueError
        If the entry is invalid (every problem is listed), its link is already
        listed, or the existing file is not a valid resources document (it is
        then left untouched).

    Used in: the ``workshop resources add`` command, the resource explorer lesson.
    """
    problems = validate_entry(entry)
    if problems:
        raise ValueError("the resource was not added:\n- " + "\n- ".join(problems))
    resource = Resource.from_dict(entry)
    target = check_path("path", path)
    if not target.parent.is_dir():
        raise FileNotFoundError(f"path: the folder {target.parent} does not exist")
    if target.is_dir():
        raise IsADirectoryError(f"path: {target} is a folder, not a resources file")
    if is_protected_file(target):
        raise ValueError(f"path: {target} is a journal or a rooms history, not a resources file")
    key = normalise_url(resource.url)
    shipped = default_path()
    if shipped.exists() and (not target.exists() or not target.resolve().samefile(shipped)):
        _, listed = _read_document(shipped)
        for other in listed:
            if isinstance(other, Mapping) and isinstance(other.get("url"), str) and \
                    normalise_url(other["url"]) == key:
                raise ValueError(f"url: {resource.url!r} is already in the workshop's guide "
                                 f"as {other.get('title')!r}")
    with locked(target, timeout=30, lock_file=_lock_file(target)):
        if target.exists():
            document, entries = _read_document(target)
        else:
            document = {"about": _ABOUT_SUGGESTIONS, "resources": []}
            entries = document["resources"]
        for index, other in enumerate(entries):
            if isinstance(other, Mapping) and isinstance(other.get("url"), str) and \
                    normalise_url(other["url"]) == key:
                raise ValueError(f"url: {resource.url!r} is already listed in {target} "
                                 f"({_label(index, other)})")
        entries.append(resource.to_dict())
        write_text_atomic(target, _format_document(document))


def read_entries(path: str | os.PathLike) -> list:
    """The raw entries of a resources file (a ``{"resources": [...]}`` document or a plain list), unchecked.

    Raises
    ------
    FileNotFoundError, ValueError
        If the file is missing or is not a resources document.
    """
    return _read_document(check_path("path", path))[1]


@dataclass
class MergeReport:
    """What :func:`merge_suggestions` did.

    Attributes
    ----------
    into : Path
        The file the suggestions were added to.
    added : list of Resource
        The entries added, in order.
    duplicates, invalid : list of str
        Entries left out, each with the file, its number, its title and why.
    files : int
        How many suggestion files were read.
    """

    into: Path
    added: list[Resource] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    files: int = 0

    def __str__(self) -> str:
        lines = [f"read {self.files} suggestion file(s): added {len(self.added)} to {self.into}, left out "
                 f"{len(self.duplicates)} duplicate(s) and {len(self.invalid)} invalid entr(y/ies)"]
        lines += [f"  added: {r.title!r} ({r.url})" for r in self.added]
        lines += [f"  duplicate: {d}" for d in self.duplicates]
        lines += [f"  invalid: {d}" for d in self.invalid]
        return "\n".join(lines)


def merge_suggestions(paths: Iterable[str | os.PathLike], into: str | os.PathLike) -> MergeReport:
    """Merge many participants' suggestion files into one resources file, in one go.

    Every entry is checked as :func:`add_resource` checks it (fields, and links
    already in ``into``, in the shipped guide or earlier in the merge); valid
    new entries are appended to ``into`` (created if needed) and everything
    left out is listed with its reason. A file that is not a resources file is
    listed as invalid and the merge goes on.

    Parameters
    ----------
    paths : list of path
        Suggestion files (``resource_suggestions.json`` from participants, or
        ``<share>/resources/*.json``).
    into : path
        Where accepted suggestions go: a review file such as ``reviewed.json``,
        or ``src/workshop_utils/data/resources.json`` to add them to the guide.

    Returns
    -------
    MergeReport

    Used in: ``workshop resources merge``.
    """
    if isinstance(paths, (str, os.PathLike)) or not isinstance(paths, Iterable):
        raise TypeError(f"paths must be a list of suggestion files, got {_describe(paths)}")
    sources = [check_path(f"paths[{i}]", p) for i, p in enumerate(paths)]
    if not sources:
        raise ValueError("paths must list at least one suggestion file")
    target = check_path("into", into)
    for source in sources:
        if source.exists() and target.exists() and source.resolve() == target.resolve():
            raise ValueError(f"into: {target} is also one of the suggestion files; choose another file")
    report = MergeReport(target)
    for source in sources:
        report.files += 1
        try:
            entries = read_entries(source)
        except (OSError, ValueError) as exc:
            report.invalid.append(f"{source}: not read ({exc})")
            continue
        for index, entry in enumerate(entries):
            label = f"{source.name}, {_label(index, entry)}"
            problems = validate_entry(entry)
            if problems:
                report.invalid.append(f"{label}: " + "; ".join(problems))
                continue
            try:
                add_resource(entry, target)
            except ValueError as exc:
                report.duplicates.append(f"{label}: {exc}")
                continue
            report.added.append(Resource.from_dict(entry))
    return report


# --------------------------------------------------------------------------- search


def _as_choices(name: str, value: str | Iterable[str] | None, vocabulary: Mapping[str, str]) -> set[str]:
    if value is None:
        return set()
    items = [value] if isinstance(value, str) else list(value)
    return {check_choice(name, item, vocabulary) for item in items}


def search(
    resources: Iterable[Resource] | None = None,
    query: str = "",
    *,
    types: str | Iterable[str] | None = None,
    topics: str | Iterable[str] | None = None,
    audience: str | Iterable[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> list[Resource]:
    """Find resources by text and filters.

    Parameters
    ----------
    resources : iterable of Resource, optional
        What to search; by default the shipped guide.
    query : str
        Words that must all appear (in any case) in the title, summary or authors,
        each at the start of a word: ``"watermark"`` finds "watermarking", ``"art"``
        does not find "part".
    types, topics, audience : str or iterable of str, optional
        Keep resources of any of these types / with any of these topics / for
        any of these audiences. ``None`` or empty means no filter.
    year_from, year_to : int, optional
        Inclusive year range.

    Returns
    -------
    list of Resource
        The matches, in their original order.

    Raises
    ------
    ValueError
        If a filter names an unknown type, topic or audience (the message lists the allowed ones).
    """
    if not isinstance(query, str):
        raise TypeError(f"query must be text, got {type(query).__name__} {query!r}")
    wanted_types = _as_choices("types", types, TYPES)
    wanted_topics = _as_choices("topics", topics, TOPICS)
    wanted_audience = _as_choices("audience", audience, AUDIENCES)
    if year_from is not None:
        check_int("year_from", year_from)
    if year_to is not None:
        check_int("year_to", year_to)
    patterns = [re.compile(r"(?<!\w)" + re.escape(word)) for word in query.casefold().split()]
    pool = load() if resources is None else check_resources("resources", resources)
    matches = []
    for item in pool:
        text = " ".join(filter(None, (item.title, item.summary, item.authors))).casefold()
        if not all(pattern.search(text) for pattern in patterns):
            continue
        if wanted_types and item.type not in wanted_types:
            continue
        if wanted_topics and not wanted_topics.intersection(item.topics):
            continue
        if wanted_audience and not wanted_audience.intersection(item.audience):
            continue
        if year_from is not None and item.year < year_from:
            continue
        if year_to is not None and item.year > year_to:
            continue
        matches.append(item)
    return matches


# --------------------------------------------------------------------------- rendering

_INTRO = (
    "A living guide to papers, tools, frameworks, guides, policies and projects about synthetic media, "
    "kept by the Synthetic Media Workshop. Every entry comes from the project's checked fact sheet and its notes on software "
    "libraries; "
    "a *Note* says when a link is a write-up or mirror rather than the original, or when a detail is "
    "unconfirmed.\n\n"
    "In a notebook, search and filter the guide with "
    "`from workshop_utils.resources import explore; explore()`.\n\n"
    "**Suggest an addition:** `workshop_utils.resources.add_resource` (or `workshop resources add` on the "
    "command line) checks your entry and writes it to `resource_suggestions.json` in the current folder. "
    "Send that file to your facilitator, who reviews it and merges it into "
    "`src/workshop_utils/data/resources.json`."
)
GENERATED_NOTE = (
    "<!-- Generated from src/workshop_utils/data/resources.json by "
    "workshop_utils.resources.write_markdown: edit the data, not this file. -->"
)


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading (lower case, no punctuation, hyphens)."""
    return re.sub(r"[^a-z0-9 _-]", "", heading.lower()).strip().replace(" ", "-")


def _escape_markdown(text: str) -> str:
    return md_text(text)


def _escape_link_text(text: str) -> str:
    return md_text(text)  # escapes [ and ] too


def render_markdown(
    resources: Iterable[Resource],
    *,
    group_by: str = "type",
    title: str = "Resources",
) -> str:
    """Render resources as a Markdown guide with a table of contents.

    Parameters
    ----------
    resources : iterable of Resource
        What to list (e.g. :func:`load` or the result of :func:`search`).
    group_by : {"type", "topic"}
        One section per type (each resource once) or per topic (a resource
        with several topics appears in each). Empty groups are left out.
        Within a section, newest first, then by title.
    title : str
        The level-1 heading.

    Returns
    -------
    str
        Markdown text ending with a newline.

    Used in: docs/resources.md (via :func:`write_markdown`), the static view of the explorer.
    """
    check_choice("group_by", group_by, ("type", "topic"))
    items = check_resources("resources", resources)
    if not isinstance(title, str):
        raise TypeError(f"title must be text (a str), got {_describe(title)}")
    if group_by == "type":
        groups = [(TYPES[key], [r for r in items if r.type == key]) for key in TYPES]
    else:
        groups = [(f"{key.replace('-', ' ').capitalize()}", [r for r in items if key in r.topics])
                  for key in TOPICS]
    groups = [(heading, sorted(members, key=lambda r: (-r.year, r.title.casefold())))
              for heading, members in groups if members]
    parts = [f"# {md_text(title)}", _INTRO, GENERATED_NOTE, "## Contents"]
    parts.append("\n".join(f"- [{heading}](#{_anchor(heading)}) ({len(members)})" for heading, members in groups))
    topic_rows = ["| Topic | What it covers | Resources |", "|---|---|---|"]
    topic_rows += [f"| {key} | {text} | {sum(key in r.topics for r in items)} |" for key, text in TOPICS.items()]
    parts.append(f"{len(items)} resources. Each entry lists its topics and who it is for "
                 f"({', '.join(AUDIENCES)}).\n\n" + "\n".join(topic_rows))
    for heading, members in groups:
        parts.append(f"## {heading}\n\n" + "\n".join(r.to_markdown() for r in members))
    return "\n\n".join(parts) + "\n"


def write_markdown(
    path: str | os.PathLike, resources: Iterable[Resource] | None = None, *, force: bool = False
) -> bool:
    """Write the guide (grouped by type) to ``path``, e.g. ``docs/resources.md``.

    An existing file is replaced only if it is a guide rendered earlier (it
    holds :data:`GENERATED_NOTE`) or ``force`` is true. The guide's data
    (``resources.json``), a journal or a rooms history is never replaced.

    Parameters
    ----------
    path : path-like
        The Markdown file to write; its folder is created if needed.
    resources : iterable of Resource, optional
        What to list; by default the shipped guide.
    force : bool
        Replace an existing file that is not a rendered guide.

    Returns
    -------
    bool
        True if the file changed.

    Raises
    ------
    FileExistsError
        If ``path`` is another file and ``force`` is false.
    ValueError
        If ``path`` is the guide's data or holds learners' work.

    Used in: the ``workshop resources render`` command.
    """
    target = check_path("path", path)
    if not isinstance(force, bool):
        raise TypeError(f"force must be True or False, got {_describe(force)}")
    text = render_markdown(load() if resources is None else resources)
    target.parent.mkdir(parents=True, exist_ok=True)
    existing = None
    if target.is_file():
        try:
            existing = target.read_text(encoding="utf-8")
        except (UnicodeDecodeError, PermissionError):
            existing = ""
    if existing == text:
        return False
    rendered_before = existing is not None and GENERATED_NOTE in existing
    check_output_path(target, name="path", inputs=[default_path()], force=force or rendered_before)
    write_text_atomic(target, text)
    return True
