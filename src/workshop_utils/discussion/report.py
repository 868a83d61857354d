"""Turn journals into Markdown: one learner's export, or a facilitator's summary of many.

* :func:`export_markdown` renders one journal, grouped by lesson, with every
  answer, when it was saved and how many times it was edited.
* :func:`merge_journals` reads the journal files several learners chose to
  share and summarises them per prompt: all answers, poll tallies, the
  distribution of spectrum positions, quiz scores. With ``anonymise=True``
  learners become "Participant 1..n" (numbered in a random order that is
  stable within one merge, so the numbers do not follow the file order),
  their display names and ``name`` fields are left out, and every answer
  goes through :class:`~workshop_utils.discussion.anonymise.Anonymiser`:
  e-mail addresses, phone numbers, @handles and every known name (display
  names, ``name`` fields, journal file names, an optional list of names) and
  their parts are replaced. The summary says plainly what was and was not
  removed.

Everything people typed (answers, names, file names, and the questions and
labels stored in their journals) is escaped where it becomes Markdown
(:mod:`workshop_utils._markup`), so no ``<script>``, link, heading or table
row that someone typed is live in the export.

Example
-------
::

    from workshop_utils.discussion import merge_journals

    summary = merge_journals(["ana.json", "ben.json", "cai.json"], anonymise=True, names=["Ana Silva"])
    print(summary.to_markdown())
    summary.prompt("01", "who-decides").tally()     # {'The platform': 2, 'The viewer': 1}

The same is available as ``workshop journal export`` and ``workshop journal merge``.

Used in: workshop_utils.discussion.prompts
(poll tallies) and the ``workshop journal`` command.
"""

from __future__ import annotations

import math
import os
import random
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .._markup import md_quote, md_table_cell, md_text
from .._validate import _describe, check_int
from .anonymise import GENERIC_FILE_WORDS, Anonymiser
from .journal import KINDS, Journal, check_answer, check_id, read_journal

__all__ = [
    "MergedJournals",
    "PromptSummary",
    "export_markdown",
    "format_answer",
    "merge_journals",
    "tally_poll",
    "text_bar",
]

_KIND_TITLES = {
    "reflection": "Reflection",
    "poll": "Poll",
    "spectrum": "Spectrum",
    "canvas": "Dual-use canvas",
    "quiz": "Real or synthetic?",
}


def text_bar(count: int, largest: int, width: int = 20) -> str:
    """A bar of block characters, so a chart reads in plain text and without colour."""
    check_int("count", count)
    check_int("largest", largest)
    check_int("width", width, minimum=1, maximum=200)
    if largest <= 0 or count <= 0:
        return ""
    return "█" * max(1, round(width * min(count, largest) / largest))


def _when(saved_at: Any) -> str:
    if not saved_at or not isinstance(saved_at, str):
        return "time unknown"
    try:
        return datetime.fromisoformat(saved_at).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return md_text(saved_at, 40)


def _real(value: Any) -> float | None:
    """``value`` if it is a finite number (not a bool), else None: details come from files people edit."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return value


def _field_labels(details: dict[str, Any]) -> dict[str, str]:
    labels = {}
    for item in details.get("fields", []) if isinstance(details.get("fields"), list) else []:
        if isinstance(item, (list, tuple)) and len(item) == 2 and all(isinstance(x, str) for x in item):
            labels[item[0]] = item[1]
    return labels


def _options(details: dict[str, Any]) -> list[str]:
    options = details.get("options")
    return list(dict.fromkeys(o for o in options if isinstance(o, str))) if isinstance(options, list) else []


def format_answer(kind: str, answer: Any, details: dict[str, Any] | None = None) -> str:
    """One answer as Markdown, using ``details`` (scale, field labels) when known.

    Parameters
    ----------
    kind : str
        The prompt kind (see :data:`workshop_utils.discussion.journal.KINDS`).
    answer : Any
        The stored answer.
    details : dict, optional
        The stored details of the prompt.

    Everything typed is escaped (see :mod:`workshop_utils._markup`).

    Raises
    ------
    TypeError, ValueError
        If ``kind`` is unknown or ``answer`` does not suit it (naming what is wrong).
    """
    if kind not in _KIND_TITLES:
        raise ValueError(f"kind must be one of {', '.join(_KIND_TITLES)}; got {kind!r}")
    answer = check_answer(kind, answer)
    if details is not None and not isinstance(details, dict):
        raise TypeError(f"details must be a dict, got {_describe(details)}")
    details = details or {}
    if kind == "reflection":
        return md_quote(answer) if answer.strip() else "_(empty)_"
    if kind == "poll":
        return f"**Choice:** {md_text(answer)}"
    if kind == "spectrum":
        text = f"**Position:** {_number(answer['value'])}"
        low, high = _real(details.get("minimum")), _real(details.get("maximum"))
        left, right = details.get("left"), details.get("right")
        if low is not None and high is not None and isinstance(left, str) and isinstance(right, str):
            text += f" on a scale from {_number(low)} ({md_text(left, 100)}) to {_number(high)} ({md_text(right, 100)})"
        if answer["rationale"].strip():
            text += "\n\n**Why:**\n\n" + md_quote(answer["rationale"])
        return text
    if kind == "canvas":
        labels = _field_labels(details)
        lines = [
            f"- **{md_text(labels.get(key, key), 100)}:** {md_text(text) or '_(empty)_'}" for key, text in answer.items()
        ]
        return "\n".join(lines) or "_(empty)_"
    given = ", ".join(f"{i + 1}: {md_text(c) if c else '(no answer)'}" for i, c in enumerate(answer["answers"]))
    text = f"**Answers:** {given}"
    if "correct" in answer and "total" in answer:
        text = f"**Score:** {answer['correct']} of {answer['total']} right\n\n" + text
    return text


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _as_document(journal: Any) -> dict[str, Any]:
    if isinstance(journal, Journal):
        return journal.read()
    if isinstance(journal, dict) and isinstance(journal.get("entries"), dict):
        return journal
    if isinstance(journal, (str, os.PathLike)):
        return read_journal(journal)
    raise TypeError(f"journal must be a Journal, a journal file path or a journal dict, got {_describe(journal)}")


def export_markdown(journal: Any, *, title: str = "My workshop journal") -> str:
    """One learner's journal as Markdown, grouped by lesson.

    Parameters
    ----------
    journal : Journal, path or dict
        The journal to export.
    title : str
        The top-level heading.

    Returns
    -------
    str
        The Markdown text.
    """
    if not isinstance(title, str):
        raise TypeError(f"title must be text (a str), got {_describe(title)}")
    document = _as_document(journal)
    lines = [f"# {md_text(title, 200)}", ""]
    if document.get("display_name"):
        lines += [f"Name: {md_text(document['display_name'])}", ""]
    entries = document["entries"]
    if not any(entries.values()):
        lines += ["_No answers saved yet._", ""]
    for lesson in sorted(entries):
        lines += [f"## Lesson {lesson}", ""]
        for prompt_id in sorted(entries[lesson], key=lambda p: (_first_saved(entries[lesson][p]), p)):
            entry = entries[lesson][prompt_id]
            heading = entry["question"].strip() or prompt_id
            edits = len(entry["history"]) - 1
            lines += [
                f"### {_one_line(heading)}",
                "",
                f"_{_KIND_TITLES[entry['kind']]} `{prompt_id}`, saved {_when(entry['saved_at'])}"
                + (f", edited {edits} time(s)" if edits > 0 else "")
                + "_",
                "",
                format_answer(entry["kind"], entry["answer"], entry["details"]),
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"


def _first_saved(entry: dict[str, Any]) -> str:
    """When the prompt was first answered (ISO text, '' if unknown): the order prompts appeared in."""
    return str(entry["history"][0]["saved_at"] or "") if entry["history"] else str(entry["saved_at"] or "")


def _one_line(text: str, limit: int = 200) -> str:
    """Typed text as one escaped Markdown line of at most ``limit`` characters (before escaping)."""
    return md_text(text, limit)


@dataclass
class PromptSummary:
    """Everyone's answers to one prompt.

    Attributes
    ----------
    lesson, prompt_id, kind, question : str
        What the prompt was.
    details : dict
        Its stored details (options, scale, fields).
    answers : list of (str, Any)
        ``(participant label, answer)`` pairs in participant order.
    """

    lesson: str
    prompt_id: str
    kind: str
    question: str
    details: dict[str, Any] = field(default_factory=dict)
    answers: list[tuple[str, Any]] = field(default_factory=list)

    def tally(self) -> dict[str, int]:
        """Votes per option of a poll, listing options nobody chose with 0."""
        if self.kind != "poll":
            raise ValueError(f"tally() needs a poll; {self.lesson}/{self.prompt_id} is a {self.kind}")
        counts = Counter(answer for _, answer in self.answers)
        options = _options(self.details)
        options += sorted(set(counts) - set(options))
        return {option: counts.get(option, 0) for option in options}

    def values(self) -> list[float]:
        """The positions chosen on a spectrum."""
        if self.kind != "spectrum":
            raise ValueError(f"values() needs a spectrum; {self.lesson}/{self.prompt_id} is a {self.kind}")
        return [answer["value"] for _, answer in self.answers]

    def to_markdown(self) -> str:
        """This prompt's section of the summary (everything typed is escaped)."""
        heading = _one_line(self.question) or self.prompt_id
        about = f"_{_KIND_TITLES[self.kind]} `{self.prompt_id}`: {len(self.answers)} answer(s)_"
        lines = [f"### {heading}", "", about, ""]
        if self.kind == "poll":
            lines += _table_with_bars("Option", self.tally())
        elif self.kind == "spectrum":
            lines += self._spectrum_lines()
        elif self.kind == "quiz":
            scores = [a["correct"] / a["total"] for _, a in self.answers if a.get("total")]
            if scores:
                lines += [f"Checked quizzes: {len(scores)}; mean score {statistics.mean(scores):.0%}.", ""]
        show_each = self.kind != "poll"
        if show_each:
            for who, answer in self.answers:
                body = format_answer(self.kind, answer, self.details)
                lines += [f"**{md_text(who)}:**", "", body, ""]
        return "\n".join(lines).rstrip() + "\n"

    def _spectrum_lines(self) -> list[str]:
        values = self.values()
        if not values:
            return []
        lines = [
            f"Positions: n = {len(values)}, median {_number(statistics.median(values))}, "
            f"mean {statistics.mean(values):.2f}, range {_number(min(values))} to {_number(max(values))}.",
            "",
        ]
        low, high = _real(self.details.get("minimum")), _real(self.details.get("maximum"))
        step = _real(self.details.get("step")) or 1
        if low is not None and high is not None and 0 < (high - low) / step <= 20:
            positions = [low + i * step for i in range(int(round((high - low) / step)) + 1)]
            counts = {p: sum(1 for v in values if abs(v - p) < step / 2) for p in positions}
            labelled = {}
            for p in positions:
                label = _number(p)
                if p == low and isinstance(self.details.get("left"), str) and self.details["left"]:
                    label += f" ({self.details['left']})"
                if p == high and isinstance(self.details.get("right"), str) and self.details["right"]:
                    label += f" ({self.details['right']})"
                labelled[label] = counts[p]
            lines += _table_with_bars("Position", labelled)
        return lines


def _table_with_bars(name: str, counts: dict[str, int]) -> list[str]:
    total = sum(counts.values())
    largest = max(counts.values(), default=0)
    lines = [f"| {name} | Count | Share | |", "|---|---:|---:|---|"]
    for label, count in counts.items():
        share = f"{count / total:.0%}" if total else "-"
        lines.append(f"| {md_table_cell(label, 200)} | {count} | {share} | {text_bar(count, largest)} |")
    return lines + [""]


@dataclass
class MergedJournals:
    """A facilitator's summary of several journals.

    Attributes
    ----------
    participants : list of str
        The labels used, in order ("Participant 1", ... when anonymised).
    prompts : list of PromptSummary
        One per (lesson, prompt), sorted.
    anonymised : bool
        Whether the answers went through an :class:`~workshop_utils.discussion.anonymise.Anonymiser`.
    statement : str
        What was and was not removed (Markdown), shown under the title.
    """

    participants: list[str]
    prompts: list[PromptSummary]
    anonymised: bool
    statement: str = ""

    def prompt(self, lesson: str, prompt_id: str, kind: str | None = None) -> PromptSummary:
        """The summary of one prompt (KeyError naming the ones available if absent).

        ``kind`` picks one when the same prompt id was answered with different kinds of answer.
        """
        for summary in self.prompts:
            if summary.lesson == lesson and summary.prompt_id == prompt_id and kind in (None, summary.kind):
                return summary
        known = [f"{s.lesson}/{s.prompt_id}" for s in self.prompts]
        raise KeyError(f"no answers to {lesson}/{prompt_id} in these journals; prompts answered: {known}")

    def to_markdown(self, title: str = "Discussion summary") -> str:
        """The whole summary as Markdown, grouped by lesson, saying plainly whether it is anonymised."""
        if not isinstance(title, str):
            raise TypeError(f"title must be text (a str), got {_describe(title)}")
        statement = self.statement or (
            "**Not anonymised:** names and answers are shown as written. Use `--anonymise` (or "
            "`anonymise=True`) before showing answers to the group."
        )
        lines = [f"# {md_text(title, 200)}", "", f"{len(self.participants)} journal(s) merged.", "", statement, ""]
        lesson = None
        for summary in self.prompts:
            if summary.lesson != lesson:
                lesson = summary.lesson
                lines += [f"## Lesson {lesson}", ""]
            lines.append(summary.to_markdown())
        return "\n".join(lines).rstrip() + "\n"


#: Canvas fields that hold a name; left out of anonymised summaries (their values are known names).
NAME_FIELDS = frozenset({"name", "names", "full_name", "your_name", "first_name", "last_name", "display_name"})


def _known_names(journals: list[Any], documents: list[dict], extra: list[str]) -> list[str]:
    """Every name the merge knows: display names, name fields, journal file names, and ``extra``."""
    names = list(extra)
    for journal, document in zip(journals, documents):
        if isinstance(document.get("display_name"), str):
            names.append(document["display_name"])
        if isinstance(journal, (str, os.PathLike)):
            words = [w for w in re.split(r"[\W_]+", Path(journal).stem) if w]
            names += [w for w in words if w.isalpha() and w.casefold() not in GENERIC_FILE_WORDS]
        for prompts in document["entries"].values():
            for entry in prompts.values():
                if entry["kind"] == "canvas":
                    names += [t for k, t in entry["answer"].items() if k.lower() in NAME_FIELDS]
    return names


def _anonymise_answer(answer: Any, kind: str, details: dict[str, Any], scrub: Anonymiser) -> Any:
    if kind == "canvas":
        return {key: scrub(text) for key, text in answer.items() if key.lower() not in NAME_FIELDS}
    if kind == "poll":
        return answer if answer in _options(details) else scrub(answer)
    if kind == "quiz":
        return answer  # choices from a fixed list
    return scrub.scrub_json(answer)


def merge_journals(
    journals: list[Any],
    *,
    anonymise: bool = False,
    seed: int | None = None,
    names: Iterable[str] = (),
) -> MergedJournals:
    """Merge several learners' journals into one summary per prompt.

    Parameters
    ----------
    journals : list of path, Journal or dict
        The journals (usually JSON files the learners exported). A damaged
        file is recovered as far as possible, with a warning.
    anonymise : bool
        Replace learners by "Participant 1..n" in a random order, leave out
        display names and name fields, and remove e-mail addresses, phone
        numbers, @handles and every known name and its parts from the answers
        (see :class:`~workshop_utils.discussion.anonymise.Anonymiser`).
    seed : int, optional
        Fix the random numbering of participants (for tests).
    names : list of str, optional
        More names to remove when anonymising (e.g. the group's names file).

    Returns
    -------
    MergedJournals
        Use ``.to_markdown()`` or ``.prompt(lesson, prompt_id)``. A prompt id
        answered with different kinds of answer in different journals gives one
        summary per kind, so no answer is left out.
    """
    if isinstance(journals, (str, os.PathLike, dict, Journal)) or not hasattr(journals, "__iter__"):
        raise TypeError(f"journals must be a list of journal files, got {_describe(journals)}")
    if not isinstance(anonymise, bool):
        raise TypeError(f"anonymise must be True or False, got {_describe(anonymise)}")
    if seed is not None:
        check_int("seed", seed, minimum=0)
    if isinstance(names, str) or not isinstance(names, Iterable):
        raise TypeError(f"names must be a list of names, got {_describe(names)}")
    names = list(names)
    journals = list(journals)
    if not journals:
        raise ValueError("journals must list at least one journal file")
    paths = [Path(j).resolve() for j in journals if isinstance(j, (str, os.PathLike))]
    repeated = sorted({str(p) for p in paths if paths.count(p) > 1})
    if repeated:
        raise ValueError(f"journals lists the same file more than once: {repeated}")
    documents = [_as_document(j) for j in journals]
    labels = _labels(journals, documents, anonymise, seed)
    scrub = Anonymiser(_known_names(journals, documents, names)) if anonymise else None
    grouped: dict[tuple[str, str, str], PromptSummary] = {}
    first: dict[tuple[str, str, str], str] = {}
    order = sorted(range(len(documents)), key=lambda i: _label_key(labels[i]))
    for i in order:
        for lesson, prompts in documents[i]["entries"].items():
            for prompt_id, entry in prompts.items():
                key = (lesson, prompt_id, entry["kind"])
                summary = grouped.get(key)
                if summary is None:
                    summary = grouped[key] = PromptSummary(
                        lesson, prompt_id, entry["kind"], entry["question"], dict(entry["details"])
                    )
                first[key] = min(first.get(key, "~"), _first_saved(entry) or "~")
                answer = entry["answer"]
                if scrub is not None:
                    answer = _anonymise_answer(answer, entry["kind"], summary.details, scrub)
                summary.answers.append((labels[i], answer))
    kind_order = {kind: n for n, kind in enumerate(KINDS)}
    keys = sorted(grouped, key=lambda k: (k[0], first.get(k, "~"), k[1], kind_order.get(k[2], 99)))
    statement = scrub.statement(len(documents)) if scrub is not None else ""
    return MergedJournals([labels[i] for i in order], [grouped[key] for key in keys], anonymise, statement)


def _label_key(label: str) -> tuple[int, str]:
    match = re.fullmatch(r"Participant (\d+)", label)
    return (int(match.group(1)), "") if match else (0, label.lower())


def _labels(journals: list[Any], documents: list[dict], anonymise: bool, seed: int | None) -> list[str]:
    if anonymise:
        numbers = list(range(1, len(documents) + 1))
        random.Random(seed).shuffle(numbers)
        return [f"Participant {n}" for n in numbers]
    labels = []
    for i, (journal, document) in enumerate(zip(journals, documents)):
        label = document.get("display_name") or (
            Path(journal).stem if isinstance(journal, (str, os.PathLike)) else f"Learner {i + 1}"
        )
        base, n = label, 2
        while label in labels:
            label, n = f"{base} ({n})", n + 1
        labels.append(label)
    return labels


def tally_poll(journals: list[Any], lesson: str, prompt_id: str, options: list[str] | None = None) -> dict[str, int]:
    """Count the current answers to one poll across journals.

    Parameters
    ----------
    journals : list of path, Journal or dict
        The journals to count (a learner's own journal alone gives 0 or 1 votes).
    lesson, prompt_id : str
        The poll.
    options : list of str, optional
        List these options first, with 0 for options nobody chose.

    Returns
    -------
    dict
        Option to number of votes.
    """
    check_id("lesson", lesson)
    check_id("prompt_id", prompt_id)
    if isinstance(journals, (str, os.PathLike, dict, Journal)) or not isinstance(journals, Iterable):
        raise TypeError(f"journals must be a list of journal files, got {_describe(journals)}")
    if options is not None and (isinstance(options, str) or not isinstance(options, Iterable)):
        raise TypeError(f"options must be a list of str, got {_describe(options)}")
    counts: Counter[str] = Counter()
    for journal in journals:
        entry = _as_document(journal)["entries"].get(lesson, {}).get(prompt_id)
        if entry is not None and entry["kind"] == "poll":
            counts[entry["answer"]] += 1
    ordered = list(options or []) + sorted(set(counts) - set(options or []))
    return {option: counts.get(option, 0) for option in ordered}
