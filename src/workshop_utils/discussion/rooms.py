"""Breakout rooms of 3-4 people: split a group, then re-shuffle with as few repeated pairs as possible.

**Room sizes.** With rooms of ``min_size``-``max_size`` people (3-4 by
default), the group is split into the fewest rooms that keep every room
within the limits, as evenly as possible, larger rooms first: 10 people give
4 + 3 + 3, 12 give 4 + 4 + 4, 13 give 4 + 3 + 3 + 3. When no split fits,
rooms grow rather than shrink, because a pair or a lone person loses the
discussion as soon as one of them is quiet: 5 people make one room of 5
(not 3 + 2). With fewer than ``min_size`` people (1 or 2) there is one room,
and :attr:`Rooms.note` says so (add a facilitator or join another group).

**Re-shuffles.** Each round remembers who has already sat together
(:class:`PairHistory`). The next round minimises the number of pairs who
meet again, by local search (swapping and moving people between rooms) from
several random starts; everything is reproducible with a ``seed``. When a
round without any repeated pair exists, the search usually finds it for
workshop-sized groups (e.g. 9 people in rooms of 3 for four rounds).

Example
-------
::

    from workshop_utils.discussion import PairHistory, split_into_rooms

    history = PairHistory()
    first = split_into_rooms(names, seed=1, history=history)   # also records the round
    second = split_into_rooms(names, seed=1, history=history)  # few or no repeated pairs
    print(second)

Or from a terminal: ``workshop rooms names.txt --size 3-4 --seed 1 --history rooms_history.json``.

**Several facilitators at once.** :meth:`PairHistory.updating` holds the
history file's lock while it reads the file, makes the new round and saves
it, so facilitators sharing one history file never overwrite each other's
rounds.

**Names** are compared after Unicode normalisation (NFKC), ignoring case,
spacing and invisible formatting characters: "Zoë" typed with a combining
diaeresis and "ZOË" are the same person. Names files may be UTF-8 (with or
without a byte-order mark), UTF-16 or Windows-1252/Latin-1.

Used in: the ``workshop rooms`` command and the facilitator's view
(workshop_utils.discussion.facilitator).
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import random
import re
import secrets
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._files import load_json, locked, read_text_file, write_json_atomic
from .._markup import md_text
from .._validate import _describe, check_int, check_path

__all__ = [
    "MAX_PEOPLE",
    "MAX_ROUNDS",
    "PairHistory",
    "Rooms",
    "check_names",
    "parse_size",
    "plan_rounds",
    "read_names",
    "room_sizes",
    "size_note",
    "split_into_rooms",
]

_HISTORY_FORMAT = "workshop-rooms-history"
_MAX_NAME = 80
#: Most people in one split (10,000 take a few seconds; a real session has far fewer).
MAX_PEOPLE = 10_000
#: Most rounds planned or re-created at once.
MAX_ROUNDS = 100


# -- names ----------------------------------------------------------------------------------------


def _key(name: str) -> str:
    """The form two names are compared in: NFKC, no invisible characters, single spaces, case-folded."""
    name = unicodedata.normalize("NFKC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cf")
    return " ".join(name.split()).casefold()


def check_names(names: Any, *, source: str = "names") -> list[str]:
    """Return the names, stripped, if they are non-empty, unique text.

    Names that differ only in case or spacing count as the same person.

    Raises
    ------
    TypeError, ValueError
        Naming the problem (and both positions of a duplicate).
    """
    if isinstance(names, (str, bytes)) or not isinstance(names, Iterable):
        raise TypeError(f"{source} must be a list of names, got {_describe(names)}")
    cleaned: list[str] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(names, start=1):
        if not isinstance(name, str):
            raise TypeError(f"{source}[{i - 1}] must be a name (a str), got {_describe(name)}")
        name = " ".join(unicodedata.normalize("NFC", name).split())
        if not _key(name):
            raise ValueError(f"{source}[{i - 1}] is empty")
        if len(name) > _MAX_NAME:
            raise ValueError(f"{source}[{i - 1}] is longer than {_MAX_NAME} characters")
        if i > MAX_PEOPLE:
            raise ValueError(f"{source} lists more than {MAX_PEOPLE:,} names; split the group into smaller sessions")
        if _key(name) in seen:
            raise ValueError(
                f"{source}: {name!r} is listed twice (entries {seen[_key(name)]} and {i}); "
                "give each person a unique name, e.g. add an initial"
            )
        seen[_key(name)] = i
        cleaned.append(name)
    if not cleaned:
        raise ValueError(f"{source} lists no names")
    return cleaned


def read_names(path: str | Path) -> list[str]:
    """Read a names file: one name per line; blank lines and lines starting with ``#`` are skipped.

    The file may be UTF-8 (with or without a byte-order mark), UTF-16 or
    Windows-1252/Latin-1 (see :func:`workshop_utils._files.read_text_file`).

    Raises
    ------
    FileNotFoundError, IsADirectoryError, PermissionError
        If there is no such file, it is a folder, or it cannot be read.
    ValueError
        If a name appears twice (naming both lines), there are no names, or it is not a text file.
    """
    path = check_path("path", path)
    text, _encoding = read_text_file(path, name="names file")
    names: list[str] = []
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        name = " ".join(unicodedata.normalize("NFC", line).split())
        if not _key(name) or name.startswith("#"):
            continue
        if _key(name) in lines:
            raise ValueError(
                f"{path.name}: {name!r} appears twice (lines {lines[_key(name)]} and {number}); "
                "give each person a unique name, e.g. add an initial"
            )
        lines[_key(name)] = number
        names.append(name)
    if not names:
        raise ValueError(f"{path.name} lists no names (blank lines and lines starting with # are ignored)")
    return check_names(names, source=path.name)


def parse_size(text: str) -> tuple[int, int]:
    """``"3-4"`` -> ``(3, 4)``; ``"3"`` -> ``(3, 3)``."""
    match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", str(text))
    if not match:
        raise ValueError(f"size must look like 3-4 (smallest-largest room) or 3, got {text!r}")
    low = int(match.group(1))
    high = int(match.group(2) or low)
    _check_limits(low, high)
    return low, high


def _check_limits(min_size: int, max_size: int) -> None:
    check_int("min_size", min_size, minimum=2, maximum=50)
    check_int("max_size", max_size, minimum=2, maximum=50)
    if max_size < min_size:
        raise ValueError(f"max_size ({max_size}) must be at least min_size ({min_size})")


# -- room sizes -----------------------------------------------------------------------------------


def room_sizes(n: int, min_size: int = 3, max_size: int = 4) -> list[int]:
    """How many people go in each room, largest first (see the module docstring for the rule).

    Examples
    --------
    >>> room_sizes(10), room_sizes(5), room_sizes(2)
    ([4, 3, 3], [5], [2])
    """
    check_int("n", n, minimum=1)
    _check_limits(min_size, max_size)
    rooms = -(-n // max_size)  # the fewest rooms that respect max_size
    if rooms * min_size > n:  # no split fits: fewer, larger rooms
        rooms = max(1, n // min_size)
    base, extra = divmod(n, rooms)
    return [base + 1] * extra + [base] * (rooms - extra)


def size_note(n: int, min_size: int = 3, max_size: int = 4) -> str:
    """A sentence for facilitators when the rooms cannot all be ``min_size``-``max_size`` ('' otherwise)."""
    sizes = room_sizes(n, min_size, max_size)
    if n < min_size:
        who = "Only 1 person" if n == 1 else f"Only {n} people"
        return (
            f"{who}: one room of {n}, smaller than {min_size}. Join another group or add a facilitator "
            "to the room."
        )
    if max(sizes) > max_size:
        smaller = " + ".join(map(str, _naive_split(n, max_size)))
        return (
            f"{n} people cannot be split into rooms of {min_size}-{max_size}; using "
            f"{' + '.join(map(str, sizes))} rather than {smaller}, so that nobody discusses in a pair or alone."
        )
    return ""


def _naive_split(n: int, max_size: int) -> list[int]:
    rooms = -(-n // max_size)
    base, extra = divmod(n, rooms)
    return [base + 1] * extra + [base] * (rooms - extra)


# -- pair history -------------------------------------------------------------------------------------


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if _key(a) <= _key(b) else (b, a)


def _check_rooms(rooms: Any, name: str = "rooms") -> list[list[str]]:
    """``rooms`` if it is a list of rooms, each a list of names (str); TypeError naming the culprit otherwise."""
    if isinstance(rooms, (str, bytes)) or not isinstance(rooms, (list, tuple)):
        raise TypeError(f"{name} must be a list of rooms (lists of names), got {_describe(rooms)}")
    for i, room in enumerate(rooms):
        if isinstance(room, (str, bytes)) or not isinstance(room, (list, tuple)):
            raise TypeError(f"{name}[{i}] must be a list of names, got {_describe(room)}")
        for j, person in enumerate(room):
            if not isinstance(person, str):
                raise TypeError(f"{name}[{i}][{j}] must be a name (a str), got {_describe(person)}")
    return [list(room) for room in rooms]


def _pairs(rooms: Sequence[Sequence[str]]) -> Iterable[tuple[str, str]]:
    for room in rooms:
        for a, b in itertools.combinations(room, 2):
            yield _pair(a, b)


class PairHistory:
    """Who has already sat in a room with whom, over earlier rounds.

    Parameters
    ----------
    rounds : list of rounds, optional
        Earlier rounds, each a list of rooms, each a list of names.

    Attributes
    ----------
    rounds : list
        The recorded rounds, as dicts ``{"round", "seed", "rooms"}``.
    """

    def __init__(self, rounds: Iterable[Any] = ()):
        if isinstance(rounds, (str, bytes, dict)) or not isinstance(rounds, Iterable):
            raise TypeError(f"rounds must be a list of earlier rounds, got {_describe(rounds)}")
        self.rounds: list[dict[str, Any]] = []
        self._counts: Counter[tuple[str, str]] = Counter()
        for item in rounds:
            if isinstance(item, dict):
                self.add(item.get("rooms"), seed=item.get("seed"))
            else:
                self.add(item)

    def __len__(self) -> int:
        return len(self.rounds)

    def add(self, rooms: Any, *, seed: int | None = None) -> None:
        """Record one round of rooms."""
        if isinstance(rooms, Rooms):
            seed, rooms = rooms.seed, rooms.rooms
        if isinstance(rooms, (str, bytes)) or not isinstance(rooms, (list, tuple)):
            raise TypeError(f"rooms must be a list of rooms (lists of names), got {_describe(rooms)}")
        cleaned = []
        for i, room in enumerate(rooms):
            cleaned.append(check_names(room, source=f"rooms[{i}]"))
        check_names([name for room in cleaned for name in room], source="the names in one round")
        self.rounds.append({"round": len(self.rounds) + 1, "seed": seed, "rooms": cleaned})
        self._counts.update(_pairs(cleaned))

    def count(self, a: str, b: str) -> int:
        """How many times ``a`` and ``b`` have shared a room."""
        if not isinstance(a, str) or not isinstance(b, str):
            raise TypeError(f"a and b must be names (str), got {_describe(a)} and {_describe(b)}")
        return self._counts.get(_pair(a, b), 0)

    def pair_counts(self) -> dict[tuple[str, str], int]:
        """Every pair who shared a room, with how many times (a copy)."""
        return dict(self._counts)

    def repeated_pairs(self, rooms: Sequence[Sequence[str]]) -> int:
        """How many pairs in ``rooms`` have shared a room before."""
        return sum(1 for pair in _pairs(_check_rooms(rooms)) if self._counts.get(pair, 0) > 0)

    def cost(self, rooms: Sequence[Sequence[str]]) -> int:
        """Repeated meetings in ``rooms``, counting a pair that met twice before as 2."""
        return sum(self._counts.get(pair, 0) for pair in _pairs(_check_rooms(rooms)))

    def to_dict(self) -> dict[str, Any]:
        """The history as a JSON-ready dict."""
        return {"format": _HISTORY_FORMAT, "version": 1, "rounds": self.rounds}

    @classmethod
    def load(cls, path: str | Path) -> PairHistory:
        """Read a history file (an empty history if it does not exist yet).

        Raises
        ------
        ValueError
            If the file is not a rooms history (not JSON, nested absurdly deep,
            another format, a damaged round); it is left as it is.
        IsADirectoryError, PermissionError
            If ``path`` is a folder or cannot be read.
        """
        path = check_path("path", path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return cls()
        except IsADirectoryError:
            raise IsADirectoryError(f"the rooms history {path} is a folder, not a file") from None
        try:
            data = load_json(raw, source=str(path))
        except ValueError as exc:
            raise ValueError(f"{exc}; it is not a valid rooms history: fix or remove it") from None
        rounds = data.get("rounds") if isinstance(data, dict) else None
        if not isinstance(data, dict) or data.get("format") != _HISTORY_FORMAT or not isinstance(rounds, list):
            raise ValueError(f"{path} is not a rooms history file (expected format {_HISTORY_FORMAT!r})")
        try:
            return cls(data["rounds"])
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{path} has a damaged round: {exc}") from None

    def save(self, path: str | Path) -> Path:
        """Write the history to ``path`` atomically (use :meth:`updating` to add a round to a shared file)."""
        path = check_path("path", path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with locked(path):
            return write_json_atomic(path, self.to_dict())

    @classmethod
    @contextlib.contextmanager
    def updating(cls, path: str | Path, timeout: float = 60.0) -> Iterator[PairHistory]:
        """Read, change and save a history file while holding its lock.

        Several facilitators (or terminals) adding rounds to one history file
        at the same time then never lose each other's rounds: each one reads
        the file only once the previous one has saved its round.

        Example
        -------
        ::

            with PairHistory.updating("rooms_history.json") as history:
                split_into_rooms(names, history=history)   # saved when the block ends

        Raises
        ------
        TimeoutError
            If another process holds the lock for more than ``timeout`` seconds.
        """
        path = check_path("path", path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with locked(path, timeout):
            history = cls.load(path)
            before = copy.deepcopy(history.to_dict())
            yield history
            if history.to_dict() != before:
                write_json_atomic(path, history.to_dict())


# -- rooms --------------------------------------------------------------------------------------------


@dataclass
class Rooms:
    """One round of breakout rooms.

    Attributes
    ----------
    rooms : list of list of str
        The people in each room.
    round : int
        The round number (1 for the first).
    seed : int
        The seed that reproduces this round.
    repeated_pairs : int
        Pairs who had already shared a room in earlier rounds.
    note : str
        A remark for the facilitator when the sizes could not be 3-4 ('' otherwise).
    """

    rooms: list[list[str]]
    round: int = 1
    seed: int | None = None
    repeated_pairs: int = 0
    note: str = ""
    min_size: int = field(default=3, repr=False)
    max_size: int = field(default=4, repr=False)

    def __post_init__(self) -> None:
        self.rooms = _check_rooms(self.rooms)
        check_int("round", self.round, minimum=1)
        if not isinstance(self.note, str):
            raise TypeError(f"note must be text (a str), got {_describe(self.note)}")

    @property
    def sizes(self) -> list[int]:
        """The number of people in each room."""
        return [len(room) for room in self.rooms]

    @property
    def names(self) -> list[str]:
        """Everyone, room by room."""
        return [name for room in self.rooms for name in room]

    @property
    def total_pairs(self) -> int:
        """The number of pairs who share a room this round."""
        return sum(n * (n - 1) // 2 for n in self.sizes)

    def to_text(self) -> str:
        """The rooms as plain text, one room per line."""
        count = len(self.names)
        people = "person" if count == 1 else "people"
        lines = [
            f"Round {self.round} (seed {self.seed}): {count} {people} in {len(self.rooms)} room(s) "
            f"({' + '.join(map(str, self.sizes))})"
        ]
        lines += [f"  Room {i}: {', '.join(room)}" for i, room in enumerate(self.rooms, start=1)]
        if self.round > 1:
            lines.append(f"Repeated pairs from earlier rounds: {self.repeated_pairs} of {self.total_pairs}")
        if self.note:
            lines.append(f"Note: {self.note}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def to_markdown(self) -> str:
        """The rooms as Markdown (names are escaped: they are typed by people)."""
        lines = [f"**Round {self.round}**: {' + '.join(map(str, self.sizes))} people", ""]
        lines += [
            f"- **Room {i}** ({len(room)}): {', '.join(md_text(name) for name in room)}"
            for i, room in enumerate(self.rooms, start=1)
        ]
        if self.round > 1:
            lines += ["", f"_Repeated pairs from earlier rounds: {self.repeated_pairs} of {self.total_pairs}._"]
        if self.note:
            lines += ["", f"_Note: {self.note}_"]
        return "\n".join(lines) + "\n"


    def to_lines(self) -> str:
        """One room per line ("Room 1: Ana, Ben, Chen"), nothing else: for pasting into a call's chat.

        Most video-call tools let the host create rooms and move people by hand; a
        list like this, pasted into the chat, tells everyone where to go. E-mail
        addresses written after a name (``Ana <ana@example.org>``) are left out.
        """
        return "\n".join(f"Room {i}: {', '.join(map(_shown, room))}" for i, room in enumerate(self.rooms, start=1)) + "\n"

    def to_zoom_csv(self) -> str:
        """The rooms as the CSV Zoom imports to pre-assign breakout rooms.

        Zoom's sample file (web portal: *Meetings > Breakout Room pre-assign >
        Import from CSV*) has two columns, ``Pre-assign Room Name`` and
        ``Email Address``, and Zoom matches people by the e-mail address of
        their Zoom account. So every name in the names file must carry that
        address, as ``Ana Silva <ana@example.org>`` or just the address.

        Raises
        ------
        ValueError
            Naming everyone without an e-mail address.
        """
        import csv
        import io

        missing = [name for name in self.names if _email(name) is None]
        if missing:
            raise ValueError(
                "a Zoom CSV needs everyone's Zoom e-mail address (write 'Ana Silva <ana@example.org>' in the names "
                f"file); missing for: {', '.join(missing)}"
            )
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["Pre-assign Room Name", "Email Address"])
        for i, room in enumerate(self.rooms, start=1):
            for name in room:
                writer.writerow([f"Room {i}", _email(name)])
        return out.getvalue()


_EMAIL = re.compile(r"<?([A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)>?\s*$")


def _email(name: str) -> str | None:
    """The e-mail address at the end of a names-file entry ("Ana <ana@example.org>"), or None."""
    match = _EMAIL.search(name)
    return match.group(1) if match else None


def _shown(name: str) -> str:
    """A name as shown to the group: without the e-mail address written after it."""
    shown = re.sub(r"\s*<[^<>]*@[^<>]*>\s*$", "", name)
    return shown or name


def _cut(order: list[str], sizes: list[int]) -> list[list[str]]:
    rooms, start = [], 0
    for size in sizes:
        rooms.append(order[start : start + size])
        start += size
    return rooms


def _ties(weights: list[dict[int, int]], person: int, room: list[int], skip: int = -1) -> int:
    row = weights[person]
    if not row:
        return 0
    return sum(row.get(other, 0) for other in room if other != person and other != skip)


def _cost(weights: list[dict[int, int]], rooms: list[list[int]]) -> int:
    return sum(weights[a].get(b, 0) for room in rooms for a, b in itertools.combinations(room, 2))


def _improve(rooms: list[list[int]], weights: list[dict[int, int]]) -> None:
    """Local search: swap two people, or move one to a room one smaller, while that lowers the cost."""
    improved = True
    while improved:
        improved = False
        # a move or swap can only lower the cost if one of the two rooms repeats a pair
        clashing = [_cost(weights, [room]) > 0 for room in rooms]
        for a, b in itertools.permutations(range(len(rooms)), 2):
            if not clashing[a] and not clashing[b]:
                continue
            room_a, room_b = rooms[a], rooms[b]
            if len(room_a) == len(room_b) + 1:  # a move keeps the multiset of room sizes
                for x in list(room_a):
                    if _ties(weights, x, room_b) < _ties(weights, x, room_a):
                        room_a.remove(x)
                        room_b.append(x)
                        improved = clashing[a] = clashing[b] = True
                        break
            if a > b:
                continue
            for i, j in itertools.product(range(len(room_a)), range(len(room_b))):
                x, y = room_a[i], room_b[j]
                before = _ties(weights, x, room_a) + _ties(weights, y, room_b)
                after = _ties(weights, y, room_a, skip=x) + _ties(weights, x, room_b, skip=y)
                if after < before:
                    room_a[i], room_b[j] = y, x
                    improved = clashing[a] = clashing[b] = True


def _arrange(
    names: list[str], sizes: list[int], history: PairHistory, rng: random.Random, starts: int
) -> list[list[str]]:
    """The best of ``starts`` local searches from random splits, each followed by a few random kicks."""
    n = len(names)
    # who met whom before, as one dict per person (memory grows with the pairs met, not n * n)
    index = {_key(name): i for i, name in enumerate(names)}
    weights: list[dict[int, int]] = [{} for _ in range(n)]
    for (a, b), count in history.pair_counts().items():
        i, j = index.get(_key(a)), index.get(_key(b))
        if i is not None and j is not None and i != j:
            weights[i][j] = weights[j][i] = count
    best: list[list[int]] = _cut(list(range(n)), sizes)
    best_cost = _cost(weights, best)
    order = list(range(n))
    for _ in range(starts):
        if best_cost == 0 or len(sizes) < 2:
            break
        rng.shuffle(order)
        rooms = _cut(order, sizes)
        for _kick in range(10):
            _improve(rooms, weights)
            cost = _cost(weights, rooms)
            if cost < best_cost:
                best, best_cost = [list(r) for r in rooms], cost
            if best_cost == 0:
                break
            # kick: swap someone who repeats a pair with someone in another room, then improve again
            a, b = rng.sample(range(len(rooms)), 2)
            clashing = [x for x in rooms[a] if _ties(weights, x, rooms[a]) > 0] or rooms[a]
            x, y = rng.choice(clashing), rng.choice(rooms[b])
            rooms[a][rooms[a].index(x)], rooms[b][rooms[b].index(y)] = y, x
    return [[names[i] for i in room] for room in best]


def split_into_rooms(
    names: Sequence[str],
    *,
    min_size: int = 3,
    max_size: int = 4,
    seed: int | None = None,
    history: PairHistory | None = None,
    starts: int = 30,
) -> Rooms:
    """Split people into breakout rooms, avoiding pairs who met in earlier rounds.

    Parameters
    ----------
    names : list of str
        Everyone taking part (unique).
    min_size, max_size : int
        Room sizes wanted (see :func:`room_sizes` for the rule).
    seed : int, optional
        Makes the split reproducible; a random seed is chosen (and reported
        in :attr:`Rooms.seed`) when omitted.
    history : PairHistory, optional
        Earlier rounds. The new round is chosen to repeat as few pairs as
        possible, and is then added to ``history``.
    starts : int
        Random starts of the local search (more is slower and rarely better).

    Returns
    -------
    Rooms
    """
    names = check_names(names)
    _check_limits(min_size, max_size)
    check_int("starts", starts, minimum=1, maximum=10_000)
    if seed is None:
        seed = secrets.randbelow(100_000)
    check_int("seed", seed, minimum=0)
    if history is not None and not isinstance(history, PairHistory):
        raise TypeError(f"history must be a PairHistory, got {_describe(history)}")
    number = len(history) + 1 if history is not None else 1
    rng = random.Random(f"workshop-rooms:{seed}:{number}")
    sizes = room_sizes(len(names), min_size, max_size)
    if history is None or len(history) == 0:
        order = list(names)
        rng.shuffle(order)
        rooms = _cut(order, sizes)
    else:
        rooms = _arrange(names, sizes, history, rng, starts)
    rooms = [sorted(room, key=_key) for room in rooms]
    rooms.sort(key=lambda room: (-len(room), _key(room[0])))
    repeated = history.repeated_pairs(rooms) if history is not None else 0
    result = Rooms(rooms, number, seed, repeated, size_note(len(names), min_size, max_size), min_size, max_size)
    if history is not None:
        history.add(result)
    return result


def plan_rounds(
    names: Sequence[str], rounds: int, *, min_size: int = 3, max_size: int = 4, seed: int | None = None
) -> list[Rooms]:
    """Plan ``rounds`` rounds in a row, each avoiding the pairs of the ones before."""
    check_int("rounds", rounds, minimum=1, maximum=MAX_ROUNDS)
    if seed is None:
        seed = secrets.randbelow(100_000)
    history = PairHistory()
    return [
        split_into_rooms(names, min_size=min_size, max_size=max_size, seed=seed, history=history)
        for _ in range(rounds)
    ]
