"""Live share-back: participants' answers reach the facilitator's screen during the session.

Three ways, from most to least equipment:

1. **A share folder** (:mod:`workshop_utils.sharing`): a participant who ticks
   *Share* in the breakout notebook gets a :class:`SharingJournal`, which saves
   every answer to their own journal as always and also copies it to
   ``<share>/answers/<participant id>.json``, a journal file written with the
   journal's own lock and atomic writes. The facilitator's
   :class:`ShareBackView` reads every file there, merges them exactly as
   ``workshop journal merge --anonymise`` does (participants numbered in a
   random order, names, e-mails, phone numbers and handles removed), and
   refreshes on a button or every few seconds. Unticking *Share* withdraws the
   answers already shared.
2. **Share codes**, when there is no shared folder (Binder, laptops): a short
   code such as ``SMW-10B07K`` carries a participant's poll choice and spectrum
   position for one case, with a check letter that catches typing mistakes.
   Participants paste it into the video call's chat; the facilitator pastes the
   whole chat into the view, which finds every code and tallies them.
3. **A hand count**: :func:`tally_sheet` prints the options and the scale with
   empty boxes, for a show of hands in the room.

Example
-------
::

    from workshop_utils.session.shareback import ShareBackView
    ShareBackView("malaria-must-die", share="/srv/workshop-share", names="names.txt")

Used in: the breakout notebook (lessons/breakout.ipynb), the facilitator
notebook (docs/instructor/facilitator.ipynb) and ``workshop session share-back``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import html
import json
import os
import random
import re
import threading
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .._files import locked, real_path, write_json_atomic
from .._validate import _describe, check_int, check_number
from ..cases import default_library
from ..discussion.base import LiveOrStatic, in_kernel
from ..discussion.journal import Journal, JournalRecoveryWarning, empty_journal, parse_journal
from ..discussion.report import MergedJournals, merge_journals, text_bar
from ..discussion.rooms import read_names
from ..sharing import create_shared_file, participant_id, share_file, share_folder
from .prompts import LESSON, POLL_OPTIONS, SPECTRUM, prompt_ids

__all__ = [
    "CODE_PATTERN",
    "ShareBackView",
    "ShareCode",
    "SharingJournal",
    "collect",
    "publish",
    "shared_journals",
    "tally_codes",
    "tally_sheet",
    "withdraw",
]

#: A share code: "SMW-", the case's number in the library (2 digits), the poll choice (a letter, or
#: "-"), the spectrum position (2 digits, or "--"), and a check letter.
CODE_PATTERN = re.compile(r"\bSMW-(\d{2})([A-Z-])(\d{2}|--)([A-Z])\b", re.IGNORECASE)


# -- participants: sharing what they choose to share -----------------------------------------------------


def _empty_file() -> bytes:
    return (json.dumps(empty_journal(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def publish(share_path: str | os.PathLike, entries: Iterable[dict[str, Any]]) -> int:
    """Copy journal entries (their latest answers) into a participant's share file.

    The file is created readable by the facilitator (mode 0644 before the
    umask) and then written like any journal: under its lock, atomically, so
    that the facilitator reading it at the same moment never sees half a file.

    Returns
    -------
    int
        How many entries were copied.
    """
    target = Path(share_path)
    if not target.exists():
        # under the journal's own lock: another notebook of the same participant may be writing the file, and a
        # writer removes temporary files it finds beside the journal
        with locked(real_path(target), timeout=60):
            create_shared_file(target, _empty_file())
    shared = Journal(target, lock_timeout=60)
    count = 0
    for entry in entries:
        shared.record(entry["lesson"], entry["prompt"], entry["kind"], entry["answer"],
                      question=entry.get("question", ""), details=entry.get("details") or {})
        count += 1
    return count


def withdraw(share_path: str | os.PathLike, lesson: str, prompts: Iterable[str]) -> int:
    """Remove a participant's shared answers to some prompts from their share file; returns how many.

    The participant's own journal is not touched.
    """
    target = real_path(share_path)
    if not target.exists():
        return 0
    wanted = set(prompts)
    with locked(target):
        document, problems = parse_journal(target.read_bytes())
        held = document["entries"].get(lesson, {})
        gone = [p for p in list(held) if p in wanted]
        for p in gone:
            del held[p]
        if gone or problems:
            write_json_atomic(target, document)
    return len(gone)


class SharingJournal(Journal):
    """A journal that, while :attr:`sharing` is on, copies each new answer to the share folder.

    Everything a :class:`~workshop_utils.discussion.journal.Journal` does still
    happens first (the answer is saved on the participant's machine); a
    failure to share never loses the answer: it is kept in
    :attr:`last_share_error` and reported by ``on_share``.

    Parameters
    ----------
    path : path, optional
        The participant's own journal (see :func:`~workshop_utils.discussion.journal.journal_path`).
    share_path : path, optional
        Their file in the share folder (``<share>/answers/<id>.json``).
    sharing : bool
        Start with sharing on.
    on_share : callable, optional
        Called with this journal after every attempt to share.
    """

    def __init__(self, path: Any = None, *, share_path: Any = None, sharing: bool = False,
                 on_share: Callable[[SharingJournal], None] | None = None, **kwargs: Any):
        super().__init__(path, **kwargs)
        self.share_path = Path(share_path) if share_path is not None else None
        if not isinstance(sharing, bool):
            raise TypeError(f"sharing must be True or False, got {_describe(sharing)}")
        self.sharing = sharing and self.share_path is not None
        self.on_share = on_share
        self.last_shared: str | None = None
        self.last_share_error: Exception | None = None

    def record(self, lesson: str, prompt_id: str, kind: str, answer: Any, **kwargs: Any) -> dict[str, Any]:
        """Save the answer (see :meth:`Journal.record`), then share it if sharing is on."""
        entry = super().record(lesson, prompt_id, kind, answer, **kwargs)
        if self.sharing:
            self.share([entry])
        return entry

    def share(self, entries: Iterable[dict[str, Any]]) -> bool:
        """Copy these entries to the share file now; True if it worked."""
        if self.share_path is None:
            self.last_share_error = ValueError("no share folder: set WORKSHOP_SHARE_DIR or pass share=")
        else:
            try:
                publish(self.share_path, entries)
                self.last_shared, self.last_share_error = datetime.now().strftime("%H:%M:%S"), None
            except Exception as exc:  # reported in the breakout panel, never lost silently
                self.last_share_error = exc
        if self.on_share is not None:
            self.on_share(self)
        return self.last_share_error is None


# -- share codes -------------------------------------------------------------------------------------------


def _check_letter(payload: str) -> str:
    return chr(ord("A") + sum((i + 1) * ord(c) for i, c in enumerate(payload.upper())) % 26)


@dataclass(frozen=True)
class ShareCode:
    """A participant's poll choice and spectrum position for one case, in a few characters.

    Attributes
    ----------
    case_number : int
        The case's position in the case library (1 = the first).
    poll : int or None
        The index of the poll option (0 = the first of :data:`~workshop_utils.session.prompts.POLL_OPTIONS`).
    spectrum : int or None
        The position on the 0-10 spectrum.
    """

    case_number: int
    poll: int | None
    spectrum: int | None

    def __post_init__(self) -> None:
        check_int("case_number", self.case_number, minimum=1, maximum=99)
        if self.poll is not None:
            check_int("poll", self.poll, minimum=0, maximum=len(POLL_OPTIONS) - 1)
        if self.spectrum is not None:
            check_int("spectrum", self.spectrum, minimum=SPECTRUM["minimum"], maximum=SPECTRUM["maximum"])

    def __str__(self) -> str:
        payload = (f"{self.case_number:02d}{'-' if self.poll is None else chr(ord('A') + self.poll)}"
                   f"{'--' if self.spectrum is None else f'{self.spectrum:02d}'}")
        return f"SMW-{payload}{_check_letter(payload)}"

    @classmethod
    def parse(cls, text: str) -> ShareCode:
        """Read one code (spaces around it and letter case do not matter).

        Raises
        ------
        ValueError
            If it is not a share code, or its check letter does not match (a typing mistake).
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a share code such as 'SMW-10B07K', got {_describe(text)}")
        match = CODE_PATTERN.fullmatch(text.strip())
        if not match:
            raise ValueError(f"{text.strip()!r} is not a share code (they look like SMW-10B07K)")
        number, poll, spectrum, check = match.groups()
        payload = f"{number}{poll}{spectrum}".upper()
        if _check_letter(payload) != check.upper():
            raise ValueError(f"{text.strip()!r} has a typing mistake (its check letter does not match)")
        return cls(int(number), None if poll == "-" else ord(poll.upper()) - ord("A"),
                   None if spectrum == "--" else int(spectrum))

    @classmethod
    def for_case(cls, case_id: str, journal: Journal) -> ShareCode:
        """The code of this journal's answers to the breakout prompts of ``case_id``."""
        ids = prompt_ids(case_id)
        poll = journal.answer(LESSON, ids["poll"])
        spectrum = journal.answer(LESSON, ids["spectrum"])
        return cls(
            default_library().ids().index(case_id) + 1,
            POLL_OPTIONS.index(poll) if poll in POLL_OPTIONS else None,
            int(spectrum["value"]) if isinstance(spectrum, dict) and float(spectrum["value"]).is_integer() else None,
        )


@dataclass
class CodeTally:
    """What a pasted chat held: the codes for one case, counted, and what could not be read."""

    case_id: str
    codes: list[ShareCode]
    other_cases: int
    mistakes: list[str]

    def poll(self) -> dict[str, int]:
        """Votes per poll option (options nobody chose count 0)."""
        counts = Counter(c.poll for c in self.codes if c.poll is not None)
        return {option: counts.get(i, 0) for i, option in enumerate(POLL_OPTIONS)}

    def spectrum(self) -> list[int]:
        """The positions given on the spectrum."""
        return [c.spectrum for c in self.codes if c.spectrum is not None]

    def to_markdown(self) -> str:
        """The tally as Markdown (text bars, so it reads without colour)."""
        lines = [f"**From share codes:** {len(self.codes)} code(s) for this case"]
        if self.other_cases:
            lines[0] += f"; {self.other_cases} for another case left out"
        if self.mistakes:
            lines[0] += f"; {len(self.mistakes)} with a typing mistake left out ({', '.join(self.mistakes[:5])})"
        lines[0] += "."
        if self.codes:
            lines += ["", *_bars("Poll: " + _POLL_QUESTION, self.poll())]
            values = self.spectrum()
            positions = {str(v): values.count(v) for v in range(SPECTRUM["minimum"], SPECTRUM["maximum"] + 1)}
            lines += ["", *_bars(f"Spectrum: 0 = {SPECTRUM['left']}, 10 = {SPECTRUM['right']}", positions)]
        return "\n".join(lines) + "\n"


_POLL_QUESTION = "what mattered most in this case?"


def _bars(title: str, counts: dict[str, int]) -> list[str]:
    largest = max(counts.values(), default=0)
    rows = [f"*{title}*", "", "| | Count | |", "|---|---:|---|"]
    rows += [f"| {label} | {n} | {text_bar(n, largest)} |" for label, n in counts.items()]
    return rows


def tally_codes(text: str, case_id: str) -> CodeTally:
    """Find every share code in pasted text (a whole chat is fine) and keep those for ``case_id``.

    Each code is counted once even if pasted twice.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be the pasted chat (a str), got {_describe(text)}")
    number = default_library().ids().index(default_library().get(case_id).id) + 1
    seen, codes, mistakes, other = set(), [], [], 0
    for match in CODE_PATTERN.finditer(text):
        raw = match.group(0).upper()
        if raw in seen:
            continue
        seen.add(raw)
        try:
            code = ShareCode.parse(raw)
        except ValueError:
            mistakes.append(raw)
            continue
        if code.case_number == number:
            codes.append(code)
        else:
            other += 1
    return CodeTally(case_id, codes, other, mistakes)


def tally_sheet(case_id: str) -> str:
    """A sheet for a show of hands: the poll's options and the spectrum's positions, with boxes to count in."""
    case = default_library().get(case_id)
    lines = [f"# Share-back by show of hands: {case.short_title}", "", f"**Poll:** {_POLL_QUESTION.capitalize()}", "",
             "| Option | Hands |", "|---|---|"]
    lines += [f"| {option} | |" for option in POLL_OPTIONS]
    lines += ["", f"**Spectrum:** where does this case sit, from 0 ({SPECTRUM['left']}) to 10 ({SPECTRUM['right']})?",
              "", "| 0-2 | 3-4 | 5 | 6-7 | 8-10 |", "|---|---|---|---|---|", "| | | | | |", ""]
    return "\n".join(lines)


# -- the facilitator: reading what was shared ----------------------------------------------------------------


def shared_journals(folder: str | os.PathLike) -> list[Path]:
    """The participants' files in ``<folder>/answers/`` (sorted)."""
    answers = Path(folder) / "answers"
    return sorted(p for p in answers.glob("p-*.json") if p.is_file()) if answers.is_dir() else []


def collect(
    folder: str | os.PathLike,
    case_id: str,
    *,
    names: Iterable[str] = (),
    seed: int | None = None,
) -> tuple[MergedJournals | None, list[str]]:
    """Merge, anonymised, what participants shared about one case.

    Parameters
    ----------
    folder : path
        The share folder.
    case_id : str
        The case whose breakout prompts to keep.
    names : list of str
        The group's names, removed from every answer (see :func:`~workshop_utils.discussion.merge_journals`).
    seed : int, optional
        Fixes the random numbering of participants.

    Returns
    -------
    (MergedJournals or None, list of str)
        The summary (None if nobody shared anything yet) and notes on damaged files.
    """
    files = shared_journals(folder)
    wanted = set(prompt_ids(case_id).values())
    notes: list[str] = []
    documents = []
    for path in files:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", JournalRecoveryWarning)
            document = Journal(path).read()
        notes += [str(w.message) for w in caught if issubclass(w.category, JournalRecoveryWarning)]
        kept = {p: e for p, e in document["entries"].get(LESSON, {}).items() if p in wanted}
        if kept:
            document = copy.deepcopy(document)
            document["entries"] = {LESSON: kept}
            document["display_name"] = ""
            documents.append(document)
    if not documents:
        return None, notes
    return merge_journals(documents, anonymise=True, names=list(names), seed=seed), notes


def _names(names: Any) -> list[str]:
    if names is None:
        return []
    if isinstance(names, (str, os.PathLike)):
        return read_names(names)
    if isinstance(names, Iterable):
        return list(names)
    raise TypeError(f"names must be a names file or a list of names, got {_describe(names)}")


class ShareBackView(LiveOrStatic):
    """The facilitator's live share-back for one case: shared answers, merged and anonymised, and share codes.

    Parameters
    ----------
    case_id : str
        The case of the round.
    share : path, optional
        The share folder; default ``$WORKSHOP_SHARE_DIR`` (None: only share codes).
    names : names file or list of str, optional
        The group's names, removed from every answer.
    refresh_s : float
        Seconds between automatic refreshes while *Refresh automatically* is ticked.
    mode : {"auto", "live", "static"}
        As for the prompts.

    Attributes
    ----------
    summary : MergedJournals or None
        The last merge.
    codes : CodeTally
        The last tally of pasted share codes.
    """

    def __init__(self, case_id: str, *, share: Any = None, names: Any = None, refresh_s: float = 15,
                 mode: str = "auto"):
        self.case = default_library().get(case_id)
        self.share = share_folder(share)
        self.names = _names(names)
        self.refresh_s = check_number("refresh_s", refresh_s, minimum=2)
        self.mode = mode
        self.seed = random.SystemRandom().randrange(2**31)  # one numbering of participants per view
        self.summary: MergedJournals | None = None
        self.notes: list[str] = []
        self.codes = tally_codes("", self.case.id)
        self.refreshed_at = ""
        self._widget: Any = None
        self._auto = 0
        self.refresh()

    def refresh(self) -> str:
        """Read the share folder again; returns the Markdown shown."""
        if self.share is not None:
            self.summary, self.notes = collect(self.share, self.case.id, names=self.names, seed=self.seed)
        self.refreshed_at = datetime.now().strftime("%H:%M:%S")
        text = self.to_markdown()
        if self._widget is not None:
            self._show(text)
        return text

    def add_codes(self, text: str) -> CodeTally:
        """Tally the share codes in pasted text (replacing the previous paste)."""
        self.codes = tally_codes(text, self.case.id)
        self.refresh()
        return self.codes

    @property
    def participants(self) -> int:
        """How many participants shared answers to this case through the folder."""
        return len(self.summary.participants) if self.summary is not None else 0

    def to_markdown(self) -> str:
        """Everything shared about the case so far, as Markdown."""
        lines = [f"## Share-back: {self.case.short_title}", ""]
        if self.share is None:
            lines += ["No share folder is set (`WORKSHOP_SHARE_DIR`): paste the share codes from the chat below, "
                      "or count hands with the tally sheet.", ""]
        elif self.summary is None:
            lines += [f"Nobody has shared answers to this case yet (read at {self.refreshed_at}).", ""]
        else:
            body = self.summary.to_markdown(title="Shared answers").split("\n", 1)[1]
            lines += [f"{self.participants} participant(s) shared answers (read at {self.refreshed_at}).",
                      "", body.replace("\n## Lesson session\n", "\n").strip(), ""]
        if self.notes:
            lines += ["**Note:** " + " ".join(self.notes), ""]
        if self.codes.codes or self.codes.mistakes or self.codes.other_cases:
            lines += [self.codes.to_markdown()]
        return "\n".join(lines).rstrip() + "\n"

    def to_html(self) -> str:
        """The summary as preformatted text, for places without a Markdown renderer."""
        return f'<pre class="workshop-shareback">{html.escape(self.to_markdown())}</pre>'

    # live view

    def _show(self, text: str) -> None:
        self.output.outputs = ({"output_type": "display_data", "metadata": {},
                                "data": {"text/markdown": text, "text/plain": text}},)
        self.status.value = (f'<span role="status" aria-live="polite">Read at {html.escape(self.refreshed_at)}: '
                             f"{self.participants} participant(s) shared, {len(self.codes.codes)} code(s).</span>")

    def widget(self) -> Any:
        """The live view: Refresh, automatic refresh, a box for pasted share codes, and the summary."""
        if self._widget is None:
            import ipywidgets as widgets

            self.refresh_button = widgets.Button(description="Refresh", icon="refresh",
                                                 tooltip="Read the share folder again")
            self.refresh_button.add_class("workshop-shareback-refresh")
            self.refresh_button.on_click(lambda _b: self.refresh())
            self.auto = widgets.Checkbox(value=False, description=f"Refresh every {self.refresh_s:g} s",
                                         tooltip="Read the share folder again and again while ticked", indent=False)
            self.auto.add_class("workshop-shareback-auto")
            self.auto.observe(self._on_auto, "value")
            self.paste = widgets.Textarea(placeholder="Paste the chat here: every code like SMW-10B07K is counted",
                                          description="Share codes", layout=widgets.Layout(width="100%"),
                                          continuous_update=False, style={"description_width": "initial"})
            self.paste.add_class("workshop-shareback-codes")
            self.paste.observe(lambda change: self.add_codes(change["new"]), "value")
            self.status = widgets.HTML()
            self.status.add_class("workshop-shareback-status")
            self.output = widgets.Output()
            self.output.add_class("workshop-shareback-summary")
            self._widget = widgets.VBox([widgets.HBox([self.refresh_button, self.auto]), self.status, self.output,
                                         self.paste])
            self._widget.add_class("workshop-shareback")
            self._show(self.to_markdown())
        return self._widget

    def _on_auto(self, change: dict[str, Any]) -> None:
        self._auto += 1
        if change["new"]:
            self._schedule(self._auto)

    def _schedule(self, generation: int) -> None:
        if not in_kernel():
            return
        try:
            asyncio.get_running_loop().call_later(self.refresh_s, self._tick, generation)
        except RuntimeError:
            timer = threading.Timer(self.refresh_s, self._tick, args=(generation,))
            timer.daemon = True
            timer.start()

    def _tick(self, generation: int) -> None:
        if generation != self._auto or not self.auto.value:
            return
        with contextlib.suppress(Exception):  # a damaged file is reported in the notes, not raised here
            self.refresh()
        self._schedule(generation)


def share_path_for(share: Any = None, id_file: Any = None) -> Path | None:
    """This participant's answers file in the share folder, or None if there is no share folder."""
    folder = share_folder(share)
    return None if folder is None else share_file(folder, "answers", participant_id(id_file))
