"""Turn journals into Markdown: one learner's export, or a facilitator's summary of many.

* :func:`export_markdown` renders one journal, grouped by lesson, with every
  answer, when it was saved and how many times it was edited.
* :func:`merge_journals` reads the journal files several learners chose to
  share and summarises them per prompt: all answers, poll tallies, the
  distribution of spectrum positions, quiz scores. With ``anonymise=True``
  learners become "Participant 1..n" (numbered in a random order that is
  stable within one merge, so the numbers do not follow the file order),
  their display names are removed, any ``name`` field they filled in is
  dropped, and their display names are blanked out of free text.

Example
-------
::

    from workshop_utils.discussion import merge_journals

    summary = merge_journals(["ana.json", "ben.json", "cai.json"], anonymise=True)
    print(summary.to_markdown())
    summary.prompt("01", "who-decides").tally()     # {'The platform': 2, 'The viewer': 1}

The same is available as ``workshop journal export`` and ``workshop journal merge``.

Used in: workshop_utils.discussion.journal (``Journal.to_markdown``), workshop_utils.discussion.prompts
(poll tallies) and the ``workshop journal`` command.
"""

from __future__ import annotations

import os
import random
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .._validate import _describe
from .journal import Journal, check_id, read_journal

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
    if largest <= 0 or count <= 0:
        return ""
    return "█" * max(1, round(width * count / largest))


def _quote(text: str) -> str:
    lines = text.strip().splitlines() or [""]
    return "\n".join(f"> {line}".rstrip() for line in lines)


def _when(saved_at: str | None) -> str:
    if not saved_at:
        return "time unknown"
    try:
        return datetime.fromisoformat(saved_at).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return saved_at


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
    """
    details = details or {}
    if kind == "reflection":
        return _quote(answer) if answer.strip() else "_(empty)_"
    if kind == "poll":
        return f"**Choice:** {answer}"
    if kind == "spectrum":
        text = f"**Position:** {_number(answer['value'])}"
        if {"minimum", "maximum", "left", "right"} <= set(details):
            text += (
                f" on a scale from {_number(details['minimum'])} ({details['left']})"
                f" to {_number(details['maximum'])} ({details['right']})"
            )
        if answer.get("rationale", "").strip():
            text += "\n\n**Why:**\n\n" + _quote(answer["rationale"])
        return text
    if kind == "canvas":
        labels = dict(details.get("fields", []))
        lines = [
            f"- **{labels.get(key, key)}:** {' '.join(text.split()) or '_(empty)_'}" for key, text in answer.items()
        ]
        return "\n".join(lines) or "_(empty)_"
    if kind == "quiz":
        choices = answer["answers"]
        given = ", ".join(f"{i + 1}: {c or '(no answer)'}" for i, c in enumerate(choices))
        text = f"**Answers:** {given}"
        if "correct" in answer and "total" in answer:
            text = f"**Score:** {answer['correct']} of {answer['total']} right\n\n" + text
        return text
    raise ValueError(f"kind must be one of {', '.join(_KIND_TITLES)}; got {kind!r}")


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
    document = _as_document(journal)
    lines = [f"# {title}", ""]
    if document.get("display_name"):
        lines += [f"Name: {document['display_name']}", ""]
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
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
        options = list(self.details.get("options", []))
        options += sorted(set(counts) - set(options))
        return {option: counts.get(option, 0) for option in options}

    def values(self) -> list[float]:
        """The positions chosen on a spectrum."""
        if self.kind != "spectrum":
            raise ValueError(f"values() needs a spectrum; {self.lesson}/{self.prompt_id} is a {self.kind}")
        return [answer["value"] for _, answer in self.answers]

    def to_markdown(self) -> str:
        """This prompt's section of the summary."""
        heading = _one_line(self.question) or self.prompt_id
        about = f"_{_KIND_TITLES[self.kind]} `{self.prompt_id}`: {len(self.answers)} answer(s)_"
        lines = [f"### {heading}", "", about, ""]
        if self.kind == "poll":
            lines += _table_with_bars("Option", self.tally())
        elif self.kind == "spectrum":
            lines += self._spectrum_lines()
        elif self.kind == "quiz":
            scores = [(who, a) for who, a in self.answers if "correct" in a and "total" in a]
            if scores:
                mean = statistics.mean(a["correct"] / a["total"] for _, a in scores if a["total"])
                lines += [f"Checked quizzes: {len(scores)}; mean score {mean:.0%}.", ""]
        show_each = self.kind != "poll"
        if show_each:
            for who, answer in self.answers:
                body = format_answer(self.kind, answer, self.details)
                lines += [f"**{who}:**", "", body, ""]
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
        low, high = self.details.get("minimum"), self.details.get("maximum")
        step = self.details.get("step") or 1
        if isinstance(low, (int, float)) and isinstance(high, (int, float)) and 0 < (high - low) / step <= 20:
            positions = [low + i * step for i in range(int(round((high - low) / step)) + 1)]
            counts = {p: sum(1 for v in values if abs(v - p) < step / 2) for p in positions}
            labelled = {}
            for p in positions:
                label = _number(p)
                if p == low and self.details.get("left"):
                    label += f" ({self.details['left']})"
                if p == high and self.details.get("right"):
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
        lines.append(f"| {label} | {count} | {share} | {text_bar(count, largest)} |")
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
        Whether names were removed.
    """

    participants: list[str]
    prompts: list[PromptSummary]
    anonymised: bool

    def prompt(self, lesson: str, prompt_id: str) -> PromptSummary:
        """The summary of one prompt (KeyError naming the ones available if absent)."""
        for summary in self.prompts:
            if summary.lesson == lesson and summary.prompt_id == prompt_id:
                return summary
        known = [f"{s.lesson}/{s.prompt_id}" for s in self.prompts]
        raise KeyError(f"no answers to {lesson}/{prompt_id} in these journals; prompts answered: {known}")

    def to_markdown(self, title: str = "Discussion summary") -> str:
        """The whole summary as Markdown, grouped by lesson."""
        note = " Names were removed (anonymised)." if self.anonymised else ""
        lines = [f"# {title}", "", f"{len(self.participants)} journal(s) merged.{note}", ""]
        lesson = None
        for summary in self.prompts:
            if summary.lesson != lesson:
                lesson = summary.lesson
                lines += [f"## Lesson {lesson}", ""]
            lines.append(summary.to_markdown())
        return "\n".join(lines).rstrip() + "\n"


def _strip_names(answer: Any, kind: str, names: list[str]) -> Any:
    pattern = None
    usable = sorted({n for n in names if len(n.strip()) >= 2}, key=len, reverse=True)
    if usable:
        pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(n.strip()) for n in usable) + r")(?!\w)", re.IGNORECASE)

    def scrub(text: str) -> str:
        return pattern.sub("[name removed]", text) if pattern else text

    if kind == "reflection":
        return scrub(answer)
    if kind == "spectrum":
        return {**answer, "rationale": scrub(answer.get("rationale", ""))}
    if kind == "canvas":
        return {key: scrub(text) for key, text in answer.items() if key.lower() != "name"}
    return answer


def merge_journals(journals: list[Any], *, anonymise: bool = False, seed: int | None = None) -> MergedJournals:
    """Merge several learners' journals into one summary per prompt.

    Parameters
    ----------
    journals : list of path, Journal or dict
        The journals (usually JSON files the learners exported). A damaged
        file is recovered as far as possible, with a warning.
    anonymise : bool
        Replace learners by "Participant 1..n" in a random order, drop display
        names and ``name`` fields, and blank display names out of free text.
    seed : int, optional
        Fix the random numbering of participants (for tests).

    Returns
    -------
    MergedJournals
        Use ``.to_markdown()`` or ``.prompt(lesson, prompt_id)``.
    """
    if isinstance(journals, (str, os.PathLike, dict, Journal)) or not hasattr(journals, "__iter__"):
        raise TypeError(f"journals must be a list of journal files, got {_describe(journals)}")
    journals = list(journals)
    if not journals:
        raise ValueError("journals must list at least one journal file")
    paths = [Path(j).resolve() for j in journals if isinstance(j, (str, os.PathLike))]
    repeated = sorted({str(p) for p in paths if paths.count(p) > 1})
    if repeated:
        raise ValueError(f"journals lists the same file more than once: {repeated}")
    documents = [_as_document(j) for j in journals]
    labels = _labels(journals, documents, anonymise, seed)
    names = [d.get("display_name", "") for d in documents]
    grouped: dict[tuple[str, str], PromptSummary] = {}
    first: dict[tuple[str, str], str] = {}
    order = sorted(range(len(documents)), key=lambda i: _label_key(labels[i]))
    for i in order:
        for lesson, prompts in documents[i]["entries"].items():
            for prompt_id, entry in prompts.items():
                key = (lesson, prompt_id)
                summary = grouped.get(key)
                if summary is None:
                    summary = grouped[key] = PromptSummary(
                        lesson, prompt_id, entry["kind"], entry["question"], dict(entry["details"])
                    )
                if entry["kind"] != summary.kind:
                    continue  # a different kind of prompt under the same id: not comparable
                first[key] = min(first.get(key, "~"), _first_saved(entry) or "~")
                answer = _strip_names(entry["answer"], entry["kind"], names) if anonymise else entry["answer"]
                summary.answers.append((labels[i], answer))
    prompts = [grouped[key] for key in sorted(grouped, key=lambda k: (k[0], first.get(k, "~"), k[1]))]
    return MergedJournals([labels[i] for i in order], prompts, anonymise)


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
    counts: Counter[str] = Counter()
    for journal in journals:
        entry = _as_document(journal)["entries"].get(lesson, {}).get(prompt_id)
        if entry is not None and entry["kind"] == "poll":
            counts[entry["answer"]] += 1
    ordered = list(options or []) + sorted(set(counts) - set(options or []))
    return {option: counts.get(option, 0) for option in ordered}
