"""One anatomy for every lesson, with the pedagogy kept as data.

Each notebook stores its pedagogy in ``metadata["workshop"]`` (questions,
objectives, key points, minutes of teaching and exercises, prerequisites,
content note, further reading). The header and footer cells are *rendered*
from that metadata, so they can never disagree with it, and lesson 00's map
and ``lessons/README.md`` are rendered from the curriculum data.

Command line::

    workshop anatomy sync     # re-render generated cells and lessons/README.md
    workshop anatomy check    # list problems; exit code 1 if there are any

The anatomy, top to bottom: title, questions and objectives, time, content
note (header cell); the lesson's sections, at least one of them a
discussion; key points and further reading (footer cell).

For lessons, ``sync`` also renders the cells of a live session (the short
path, "Working alone?" notes, the exit ticket) from the cell marks: see
:mod:`workshop_utils.course.session_marks`.

Used in: every notebook in lessons/ and solutions/, and tests/course/test_notebook_hygiene.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import curriculum

__all__ = [
    "FOOTER_TAG",
    "HEADER_TAG",
    "MAP_TAG",
    "check_notebook",
    "render_footer",
    "render_header",
    "render_lesson_index",
    "render_lesson_map",
    "sync_notebook",
]

HEADER_TAG = "anatomy-header"
FOOTER_TAG = "anatomy-footer"
MAP_TAG = "lesson-map"
GENERATED_NOTE = "<!-- Generated from the notebook metadata by `workshop anatomy sync`: edit the metadata, not this cell. -->"

LESSON_KEYS = {
    "number": int,
    "questions": list,
    "objectives": list,
    "keypoints": list,
    "teaching_min": int,
    "exercise_min": int,
    "prerequisites": list,
    "content_note": str,
    "further_reading": list,
}
EXERCISE_KEYS = {
    "assignment": str,
    "objectives": list,
    "exercise_min": int,
    "content_note": str,
    "quality_bar": str,
    "train_budget_s": int,
    "keypoints": list,
}
_NAME = re.compile(r"^(\d\d)_[a-z0-9_]+\.ipynb$")


def _bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _prerequisite_links(prerequisites: list[str]) -> str:
    if not prerequisites:
        return "nothing but curiosity"
    return ", ".join(f"[{p}]({p}.ipynb)" for p in prerequisites)


def render_header(meta: dict[str, Any]) -> str:
    """Render the header cell (title, questions, objectives, time, content note).

    Parameters
    ----------
    meta : dict
        ``metadata["workshop"]`` of a lesson or exercise notebook.
    """
    if "assignment" in meta:
        exercise = next(e for e in curriculum.exercises() if e.id == meta["assignment"])
        lesson = curriculum.lesson(exercise.lesson)
        parts = [
            f"# Exercise {exercise.id[:2]} · {exercise.title}",
            f"*Synthetic Media Workshop · graded exercise for lesson {lesson.number:02d} "
            f"({lesson.title})*",
            f"**Time:** about {meta['exercise_min']} min. "
            f"**Quality bar:** {meta['quality_bar']}",
            "## Objectives\nBy the end of this exercise you will be able to:\n" + _bullets(meta["objectives"]),
            "**How this works:** write your code where it says `YOUR CODE HERE` (delete the "
            "`raise NotImplementedError()` line). The cells marked *visible tests* help you check "
            "your work; more tests run when your exercise is graded, with the helper library's own "
            "versions of the functions you write switched off. Written answers go in the cells that "
            "say *Write your answer here*; each question lists what your instructor looks for. "
            "Before you submit, use **Kernel › Restart Kernel and Run All Cells…** and check that "
            "every cell ran.",
        ]
    else:
        lesson = curriculum.lesson(meta["number"])
        total = len(curriculum.lessons()) - 1
        parts = [
            f"# {lesson.number:02d} · {lesson.title}",
            f"*Synthetic Media Workshop · lesson {lesson.number} of {total} · "
            "[map of all lessons](00_start_here.ipynb#Map-of-the-workshop)*",
            f"**Time:** about {meta['teaching_min']} min of teaching and {meta['exercise_min']} min of "
            f"hands-on work and discussion. **Before this:** {_prerequisite_links(meta['prerequisites'])}.",
            "## Questions\n" + _bullets(meta["questions"]),
            "## Objectives\nBy the end of this lesson you will be able to:\n" + _bullets(meta["objectives"]),
        ]
    parts.append(f"> **Content note.** {meta['content_note']}")
    parts.append(GENERATED_NOTE)
    return "\n\n".join(parts)


def render_footer(meta: dict[str, Any]) -> str:
    """Render the footer cell (key points, further reading, next lesson)."""
    parts = ["## Key points\n" + _bullets(meta.get("keypoints", []))]
    reading = meta.get("further_reading", [])
    if reading:
        lines = [f"- [{r['title']}]({r['url']}){': ' + r['note'] if r.get('note') else ''}" for r in reading]
        parts.append("## Further reading\n" + "\n".join(lines))
    if "number" in meta:
        later = [l for l in curriculum.lessons() if l.number > meta["number"] and l.available]
        if later:
            nxt = later[0]
            parts.append(f"**Next:** [{nxt.number:02d} · {nxt.title}]({nxt.stem}.ipynb)")
        lesson = curriculum.lesson(meta["number"])
        if lesson.exercise:
            parts.append(
                f"**Graded exercise:** `exercises/{lesson.exercise}/{lesson.exercise}.ipynb` "
                "practises what this lesson showed."
            )
    parts.append(GENERATED_NOTE)
    return "\n\n".join(parts)


def render_lesson_map() -> str:
    """Render the map of all lessons and exercises (a Markdown table)."""
    rows = ["| # | Lesson | What you do | Status |", "|---|---|---|---|"]
    for l in curriculum.lessons():
        name = f"[{l.title}]({l.stem}.ipynb)" if l.available else l.title
        rows.append(f"| {l.number:02d} | {name} | {l.summary} | {'ready' if l.available else 'planned'} |")
    ex = ["| Exercise | Goes with | What you build | Status |", "|---|---|---|---|"]
    for e in curriculum.exercises():
        ex.append(
            f"| `{e.id}` | lesson {e.lesson:02d} | {e.summary} | {'ready' if e.available else 'planned'} |"
        )
    return "\n".join(
        ["## Map of the workshop", "", *rows, "", "Graded exercises live in `exercises/` (yours to fill in).", "",
         *ex, "", GENERATED_NOTE]
    )


def render_lesson_index() -> str:
    """Render ``lessons/README.md``."""
    return (
        "# Lessons\n\nOpen these in JupyterLab (`make lab` opens lesson 00). This page is generated by "
        "`workshop anatomy sync` from `src/workshop_utils/data/curriculum.json`.\n\n"
        + render_lesson_map().replace("## Map of the workshop\n\n", "").replace(GENERATED_NOTE, "").rstrip()
        + "\n"
    )


def _tagged(nb, tag: str) -> list[int]:
    return [i for i, c in enumerate(nb.cells) if tag in c.get("metadata", {}).get("tags", [])]


def _locked_metadata(grade_id: str) -> dict[str, Any]:
    """nbgrader metadata for a read-only cell."""
    return {"grade": False, "grade_id": grade_id, "locked": True, "schema_version": 3,
            "solution": False, "task": False}


def _set_generated_cell(nb, tag: str, source: str, position: int, locked: bool) -> bool:
    import nbformat

    found = _tagged(nb, tag)
    if found:
        cell = nb.cells[found[0]]
    else:
        cell = nbformat.v4.new_markdown_cell("", metadata={"tags": [tag]})
        cell["id"] = tag  # a stable id keeps regenerated exercises byte-identical
        nb.cells.insert(position if position >= 0 else len(nb.cells), cell)
    changed = not found or cell.source != source
    cell.source = source
    if locked and cell.metadata.get("nbgrader") != _locked_metadata(tag):
        cell.metadata["nbgrader"] = _locked_metadata(tag)
        changed = True
    return changed


def sync_notebook(path: str | Path) -> bool:
    """Re-render a notebook's generated cells from its metadata.

    Returns
    -------
    bool
        True if the file changed.
    """
    import nbformat

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    meta = nb.metadata.get("workshop")
    if meta is None:
        raise ValueError(f"{path} has no metadata['workshop']; add the pedagogy metadata first")
    locked = "assignment" in meta  # exercises: students cannot edit generated cells
    changed = _set_generated_cell(nb, HEADER_TAG, render_header(meta), 0, locked)
    changed |= _set_generated_cell(nb, FOOTER_TAG, render_footer(meta), -1, locked)
    if _tagged(nb, MAP_TAG):
        changed |= _set_generated_cell(nb, MAP_TAG, render_lesson_map(), -1, locked)
    if not locked:  # lessons: the session note, "Working alone?" notes and the exit ticket
        from .session_marks import sync_session_cells

        changed |= sync_session_cells(nb)
    if changed:
        nbformat.write(nb, path)
    return changed


def _check_types(meta: dict, spec: dict[str, type]) -> list[str]:
    problems = []
    for key, kind in spec.items():
        if key not in meta:
            problems.append(f"metadata['workshop'] lacks {key!r}")
        elif not isinstance(meta[key], kind) or isinstance(meta[key], bool):
            problems.append(f"metadata['workshop'][{key!r}] should be a {kind.__name__}")
        elif kind in (list, str) and not meta[key] and key != "prerequisites":
            problems.append(f"metadata['workshop'][{key!r}] is empty")
    return problems


def check_notebook(path: str | Path) -> list[str]:
    """Return the anatomy problems of one lesson or exercise notebook.

    Checks the file name, the kernelspec, the pedagogy metadata, that the
    generated cells match the metadata, and (for lessons) that there is a
    discussion section between header and footer.
    """
    import nbformat

    path = Path(path)
    problems: list[str] = []
    if not _NAME.match(path.name):
        problems.append("file name must look like NN_lowercase_words.ipynb")
    nb = nbformat.read(path, as_version=4)
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        problems.append("kernelspec must be python3")
    meta = nb.metadata.get("workshop")
    if not isinstance(meta, dict):
        return problems + ["metadata['workshop'] (pedagogy metadata) is missing"]
    is_exercise = "assignment" in meta
    type_problems = _check_types(meta, EXERCISE_KEYS if is_exercise else LESSON_KEYS)
    if type_problems:  # the checks below need well-formed metadata
        return problems + type_problems
    if is_exercise:
        if meta["assignment"] not in {e.id for e in curriculum.exercises()}:
            problems.append(f"assignment {meta['assignment']!r} is not in curriculum.json")
        if path.stem != meta["assignment"]:
            problems.append(f"file name should be {meta['assignment']}.ipynb")
    else:
        try:
            lesson = curriculum.lesson(meta["number"])
        except KeyError as exc:
            return problems + [str(exc)]
        if path.stem != lesson.stem:
            problems.append(f"file name should be {lesson.stem}.ipynb to match curriculum.json")
        if not lesson.available:
            problems.append(f"lesson {lesson.number} is marked 'planned' in curriculum.json")
        for r in meta["further_reading"]:
            if not {"title", "url"} <= set(r):
                problems.append(f"further_reading entry {r!r} needs a title and a url")
    header, footer = _tagged(nb, HEADER_TAG), _tagged(nb, FOOTER_TAG)
    if header != [0]:
        problems.append(f"the first cell must be the generated header (tag {HEADER_TAG!r})")
    elif nb.cells[0].source != render_header(meta):
        problems.append("header cell is out of date: run `workshop anatomy sync`")
    if footer != [len(nb.cells) - 1]:
        problems.append(f"the last cell must be the generated footer (tag {FOOTER_TAG!r})")
    elif nb.cells[-1].source != render_footer(meta):
        problems.append("footer cell is out of date: run `workshop anatomy sync`")
    for i in _tagged(nb, MAP_TAG):
        if nb.cells[i].source != render_lesson_map():
            problems.append("lesson map cell is out of date: run `workshop anatomy sync`")
    if not is_exercise:
        headings = [
            line for c in nb.cells[1:-1] if c.cell_type == "markdown" for line in c.source.splitlines()
            if line.startswith("#")
        ]
        if not any("discussion" in h.lower() for h in headings):
            problems.append("a lesson needs at least one section whose heading mentions 'Discussion'")
    return problems
