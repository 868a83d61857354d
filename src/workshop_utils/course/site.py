"""The workshop as a static site: the pages, written from the repository and the library's data.

``make site`` builds a readable HTML site of the whole workshop with Sphinx,
MyST-NB and the book theme (``tools/build_site.py``, configured in
``tools/site/conf.py``). This module writes the sources that build reads into
a staging folder (:func:`stage`):

* every lesson (``lessons/NN_*.ipynb``) and the student version of every
  exercise (``exercises/NN_*/NN_*.ipynb``), found in the repository rather than
  listed by hand, each with a "Run this lesson" box (Binder, ``make lab``, the
  source notebook); cells tagged for instructors are left out;
* one page per case of the case library, with its content note, sources and
  threads, and an index by domain, year and technique;
* the living resource guide as one page whose filters work in the browser,
  without a server or a kernel;
* the facilitator guide, and a landing page with the map of the lessons.

Nothing is read from ``solutions/``: the site never shows a solution, a hidden
test or a rubric. Pure Python, no Sphinx here: the pages are plain MyST
Markdown and notebooks, so they can be checked without building.

Used in: tools/build_site.py (``make site``), tests/test_site.py.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .._markup import md_text
from ..cases import schema as case_schema
from ..cases.library import Case, CaseLibrary, default_library
from ..resources import guide
from . import curriculum

__all__ = [
    "INSTRUCTOR_TAGS",
    "Repository",
    "case_index_page",
    "case_page",
    "exercise_notebooks",
    "featured_cases",
    "fingerprint",
    "landing_page",
    "lesson_notebooks",
    "resources_page",
    "stage",
    "staged_notebook",
    "static_outputs",
]

#: Cells with any of these tags are for instructors and never reach the site.
INSTRUCTOR_TAGS = frozenset({"instructor", "instructor-notes", "instructor-only", "facilitator-only", "solution"})
#: The tag of the cell that makes a lesson's cached outputs depend on the library (hidden on the page).
FINGERPRINT_TAG = "site-fingerprint"
_LESSON = re.compile(r"^(\d\d)_[a-z0-9_]+\.ipynb$")
_BADGE = re.compile(r"mybinder\.org/v2/gh/([^/\s]+)/([^/\s]+)/([^?\s)]+)")
# A Markdown link to a notebook with a Jupyter-style anchor ("#Map-of-the-workshop"): MyST's anchors are lower case.
_NOTEBOOK_ANCHOR = re.compile(r"(\]\([^)\s#]+\.ipynb)#([^)\s]+)\)")


def _md(text: str) -> str:
    """Typed text made inert in MyST Markdown (``$`` would otherwise start maths)."""
    return md_text(text).replace("$", r"\$")


@dataclass(frozen=True)
class Repository:
    """Where the workshop is published: the GitHub repository and branch behind the Binder badge.

    Parameters
    ----------
    slug : str
        ``"owner/name"``.
    branch : str
        The branch that Binder launches and source links point at.
    """

    slug: str = "OWNER/synthetic-media-workshop"
    branch: str = "main"

    @classmethod
    def from_readme(cls, text: str) -> Repository:
        """Read the repository and branch from the README's Binder badge (one place to change them)."""
        match = _BADGE.search(text)
        if not match:
            raise ValueError("the README has no Binder badge (https://mybinder.org/v2/gh/OWNER/NAME/BRANCH?...)")
        return cls(f"{match.group(1)}/{match.group(2)}", match.group(3))

    def binder(self, path: str) -> str:
        """A Binder link that opens ``path`` (relative to the repository root) in JupyterLab."""
        return f"https://mybinder.org/v2/gh/{self.slug}/{self.branch}?urlpath=lab/tree/{path}"

    def source(self, path: str) -> str:
        """The file ``path`` on GitHub."""
        return f"https://github.com/{self.slug}/blob/{self.branch}/{path}"

    @property
    def url(self) -> str:
        """The repository's page on GitHub."""
        return f"https://github.com/{self.slug}"


# -- what the repository holds ---------------------------------------------------------------------------


def lesson_notebooks(root: str | Path) -> list[Path]:
    """Every lesson notebook in ``root/lessons`` (``NN_slug.ipynb``), in number order."""
    return sorted(p for p in Path(root, "lessons").glob("*.ipynb") if _LESSON.match(p.name))


def exercise_notebooks(root: str | Path) -> list[Path]:
    """The student version of every exercise: ``root/exercises/NN_id/NN_id.ipynb``, in number order."""
    folders = sorted(p for p in Path(root, "exercises").glob("[0-9][0-9]_*") if p.is_dir())
    return [f / f"{f.name}.ipynb" for f in folders if (f / f"{f.name}.ipynb").is_file()]


def fingerprint(root: str | Path) -> str:
    """A hash of the helper library's code and data: executed outputs depend on both."""
    package = Path(root, "src", "workshop_utils")
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _title(nb: Mapping) -> str:
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in _source(cell).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def _source(cell: Mapping) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def featured_cases(notebooks: Iterable[Path], library: CaseLibrary | None = None) -> dict[str, list[Path]]:
    """Which notebooks show which case: case id -> the notebooks whose code names it as a string."""
    library = library or default_library()
    found: dict[str, list[Path]] = {}
    for path in notebooks:
        code = "\n".join(_source(c) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
                         if c["cell_type"] == "code")
        for case_id in library.ids():
            if re.search(rf"[\"']{re.escape(case_id)}[\"']", code):
                found.setdefault(case_id, []).append(path)
    return found


# -- notebooks ----------------------------------------------------------------------------------------------


def _run_box(kind: str, repo_path: str, repository: Repository, download: str) -> str:
    noun = "exercise" if kind == "exercise" else "lesson"
    lines = [
        f":::{{admonition}} Run this {noun}",
        ":class: tip workshop-run",
        "",
        f"- **In your browser:** [open it on Binder]({repository.binder(repo_path)}) "
        "(about 1 CPU and 2 GB; Binder keeps nothing, so download what you want to keep).",
        f"- **On your computer:** clone [the repository]({repository.url}), run `make lab`, then open "
        f"`{repo_path}` in JupyterLab.",
        f"- **Source notebook:** [`{repo_path}` on GitHub]({repository.source(repo_path)}) or "
        f"{{download}}`download it <{download}>`.",
    ]
    if kind == "exercise":
        lines.append("- This is the student version: write your answers where it says `YOUR CODE HERE`. "
                     "Graded tests run when your facilitator grades it.")
    else:
        lines.append("- The outputs below were computed when this site was built; the discussion prompts "
                     "are shown as questions with space for your answer. Answers you type in JupyterLab "
                     "stay on your computer.")
    return "\n".join(lines + [":::"])


def staged_notebook(
    source: Path,
    *,
    kind: str,
    repo_path: str,
    repository: Repository,
    download: str,
    library_fingerprint: str | None = None,
) -> dict:
    """The site's copy of a lesson or exercise notebook (a dict, not yet written).

    The copy leaves out cells tagged for instructors (:data:`INSTRUCTOR_TAGS`)
    and outputs, adds the "Run this lesson" box under the title, makes
    Jupyter-style anchors in links lower case (MyST's form) and, for lessons,
    adds a hidden first cell naming the library's fingerprint so that cached
    outputs are recomputed when the library changes.
    """
    if kind not in ("lesson", "exercise"):
        raise ValueError(f"kind must be 'lesson' or 'exercise', got {kind!r}")
    nb = json.loads(source.read_text(encoding="utf-8"))
    cells = []
    for cell in nb["cells"]:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & INSTRUCTOR_TAGS:
            continue
        cell = dict(cell)
        if cell["cell_type"] == "markdown":
            cell["source"] = _NOTEBOOK_ANCHOR.sub(lambda m: f"{m.group(1)}#{m.group(2).lower()})", _source(cell))
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
        cells.append(cell)
    box = {"cell_type": "markdown", "metadata": {"tags": ["site-run-box"]},
           "source": _run_box(kind, repo_path, repository, download)}
    if cells and cells[0]["cell_type"] == "markdown":
        # Under the title and the time line, before the header's sections (questions, objectives).
        head = cells.pop(0)
        title, cut, rest = _source(head).partition("\n## ")
        cells[:0] = [{**head, "source": title}, box] + ([{**head, "source": "## " + rest}] if cut else [])
    else:
        cells.insert(0, box)
    if library_fingerprint is not None:
        cells.insert(0, {"cell_type": "code", "execution_count": None, "outputs": [],
                         "metadata": {"tags": ["remove-cell", FINGERPRINT_TAG]},
                         "source": f"# Site build: workshop_utils fingerprint {library_fingerprint}"})
    for cell in cells:
        cell.pop("id", None)
        cell.get("metadata", {}).pop("execution", None)
    nb["cells"] = cells
    nb["nbformat_minor"] = min(nb.get("nbformat_minor", 4), 4)  # no cell ids needed
    return nb


# -- the case library -----------------------------------------------------------------------------------------


def _case_link(case: Case, prefix: str = "") -> str:
    return f"[{_md(case.short_title)}]({prefix}{case.id}.md)"


def _lesson_links(paths: Iterable[Path], prefix: str) -> str:
    links = []
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        links.append(f"[{_md(_title(nb) or path.stem)}]({prefix}lessons/{path.name})")
    return ", ".join(links)


def case_page(case: Case, library: CaseLibrary | None = None, featured_in: Iterable[Path] = ()) -> str:
    """One case as a MyST page: content note first, then the case, its threads and its sources."""
    library = library or default_library()
    lines = [f"# {_md(case.title)} ({case.year})", ""]
    if case.content_warning:
        lines += [":::{admonition} Content note", ":class: warning workshop-content-note", "",
                  _md(case.content_warning), ":::", ""]
    meta = [
        ("Domain", case_schema.DOMAINS[case.domain]),
        ("When", case.when),
        ("Techniques", ", ".join(case_schema.TECHNIQUES[t] for t in case.techniques)),
        ("Classification", f"{case.impact} ({case_schema.IMPACTS[case.impact]})"),
        ("Themes", ", ".join(case_schema.THEMES[t] for t in case.themes)),
    ]
    lines += [f"- **{k}:** {_md(v)}" for k, v in meta]
    featured = list(featured_in)
    if featured:
        lines.append(f"- **Discussed in:** {_lesson_links(featured, '../')}")
    lines += ["", "## What happened", "", _md(case.summary), "", "## Ethical nuance", "", _md(case.nuance), "",
              "## Discussion questions", ""]
    lines += [f"{i}. {_md(q)}" for i, q in enumerate(case.questions, 1)]
    explicit = [link for link in library.related(case.id) if link.thread is None]
    on_threads = [t for t in library.threads() if case.id in t.case_ids]
    if explicit or on_threads:
        lines += ["", "## Related cases and threads", ""]
        lines += [f"- {_md(l.label)} {_case_link(l.case)}: {_md(l.note)}" for l in explicit]
        for thread in on_threads:
            lines += ["", f"**Thread: {_md(thread.title)}** ({_md(case_schema.THREAD_KINDS[thread.kind])}). "
                      f"{_md(thread.note)}", ""]
            for number, stage_ in enumerate(thread.stages, 1):
                members = ", ".join(
                    f"**{_md(library.get(c).short_title)} (this case)**" if c == case.id
                    else _case_link(library.get(c)) for c in stage_.cases
                )
                role = f" ({_md(stage_.role)})" if stage_.role else ""
                lines.append(f"{number}. {_md(stage_.label)}{role}: {members}")
    lines += ["", "## Sources", ""]
    for source in case.sources:
        note = f" ({_md(source.note)})" if source.note else ""
        url = guide.link_target(source.url)
        lines.append(f"- [{_md(source.outlet)}]({url}){note}" if url else f"- {_md(source.outlet)}{note}")
    check = f"**Fact check:** {_md(case.status)} ({_md(case_schema.STATUSES[case.status])})."
    if case.status_note:
        check += f" {_md(case.status_note)}"
    lines += ["", check]
    if case.do_not_say:
        lines += ["", "**Do not say** (claims the sources do not support):", ""]
        lines += [f"- {_md(d)}" for d in case.do_not_say]
    lines += ["", "[All cases](index.md)", ""]
    return "\n".join(lines)


def _case_row(case: Case) -> str:
    note = " ⚠ content note" if case.content_warning else ""
    return f"- {_case_link(case)} ({case.year}, {_md(case.impact)}){note}"


def case_index_page(library: CaseLibrary | None = None) -> str:
    """The case library's index: every case by domain, by year and by technique, then the threads."""
    library = library or default_library()
    every = list(library)
    lines = [
        "# Case library", "",
        f"{len(every)} real cases of synthetic media in art, activism, industry and society, each with its "
        "sources, discussion questions and, where the material can distress, a content note first. "
        "Cases marked ⚠ carry a content note. In a notebook, browse them with "
        "`from workshop_utils import cases; cases.explorer()`.", "",
        "```{toctree}", ":hidden:", "", *[c.id for c in every], "```", "",
        "## By domain", "",
    ]
    for slug, name in case_schema.DOMAINS.items():
        members = [c for c in every if c.domain == slug]
        if members:
            lines += [f"### {_md(name)}", "", *[_case_row(c) for c in sorted(members, key=lambda c: c.year)], ""]
    lines += ["## By year", ""]
    for year in sorted({c.year for c in every}):
        members = [c for c in every if c.year == year]
        lines.append(f"- **{year}:** " + ", ".join(_case_link(c) for c in members))
    lines += ["", "## By technique", ""]
    for slug, name in case_schema.TECHNIQUES.items():
        members = [c for c in every if slug in c.techniques]
        if members:
            lines.append(f"- **{_md(name)}:** " + ", ".join(_case_link(c) for c in sorted(members, key=lambda c: c.year)))
    lines += ["", "## Threads", "",
              "Threads link cases: the same technique or vendor used for good and then for harm, and "
              "spectrums of disclosure and consent.", ""]
    for thread in library.threads():
        lines += [f"### {_md(thread.title)}", "", f"*{_md(case_schema.THREAD_KINDS[thread.kind])}.* {_md(thread.note)}", ""]
        for number, stage_ in enumerate(thread.stages, 1):
            role = f" ({_md(stage_.role)})" if stage_.role else ""
            members = ", ".join(_case_link(library.get(c)) for c in stage_.cases)
            lines.append(f"{number}. {_md(stage_.label)}{role}: {members}")
        lines.append("")
    return "\n".join(lines)


# -- the resource guide ----------------------------------------------------------------------------------------


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def _options(pairs: Iterable[tuple[str, str]], any_label: str) -> str:
    return "".join([f'<option value="">{_h(any_label)}</option>'] +
                   [f'<option value="{_h(v)}">{_h(label)}</option>' for v, label in pairs])


def resources_page(items: Iterable[guide.Resource] | None = None) -> str:
    """The living resource guide as one page, with search and filters that work in the browser.

    Every resource is in the page's HTML (readable without JavaScript);
    ``_static/resource-filters.js`` hides the ones that do not match the search
    box, type, topic, audience and years, with the same rules as
    :func:`workshop_utils.resources.search`.
    """
    items = guide.load() if items is None else guide.check_resources("items", items)
    years = [r.year for r in items] or [guide.YEAR_MIN]
    first, last = min(years), max(years)
    form = [
        '<form class="workshop-resource-filters" role="search" aria-label="Filter the resource guide" hidden>',
        '<div><label for="rf-search">Search</label> <input type="search" id="rf-search" name="q" '
        'placeholder="words in title, summary or authors, e.g. watermark"></div>',
        f'<div><label for="rf-type">Type</label> <select id="rf-type" name="type">'
        f'{_options(((k, v) for k, v in guide.TYPES.items()), "any type")}</select></div>',
        f'<div><label for="rf-topic">Topic</label> <select id="rf-topic" name="topic">'
        f'{_options(((k, k) for k in guide.TOPICS), "any topic")}</select></div>',
        f'<div><label for="rf-audience">For</label> <select id="rf-audience" name="audience">'
        f'{_options(((k, v) for k, v in guide.AUDIENCES.items()), "anyone")}</select></div>',
        f'<div><label for="rf-from">From</label> <input type="number" id="rf-from" name="from" min="{first}" '
        f'max="{last}" value="{first}"> <label for="rf-to">to</label> <input type="number" id="rf-to" name="to" '
        f'min="{first}" max="{last}" value="{last}"></div>',
        '<div><button type="reset">Clear filters</button></div>',
        "</form>",
        f'<p class="workshop-resource-count" role="status" aria-live="polite">{len(items)} resources</p>',
    ]
    rows = []
    for item in sorted(items, key=lambda r: (-r.year, r.title.casefold())):
        url = guide.link_target(item.url)
        title = (f'<a href="{_h(url)}">{_h(item.title)}</a>' if url else _h(item.title))
        authors = f" {_h(item.authors)}." if item.authors else ""
        note = f" <em>Note: {_h(item.note)}</em>" if item.note else ""
        text = " ".join(filter(None, (item.title, item.summary, item.authors)))
        rows.append(
            f'<li class="workshop-resource" data-type="{_h(item.type)}" data-topics="{_h(" ".join(item.topics))}" '
            f'data-audience="{_h(" ".join(item.audience))}" data-year="{item.year}" data-text="{_h(text)}">'
            f"<strong>{title}</strong> ({item.year}, {_h(item.type)}).{authors} "
            f"{_h(item.summary)} <span class=\"workshop-resource-meta\">Topics: {_h(', '.join(item.topics))}. "
            f"For: {_h(', '.join(item.audience))}.</span>{note}</li>"
        )
    topics = "\n".join(f"| {k} | {_md(v)} | {sum(k in r.topics for r in items)} |" for k, v in guide.TOPICS.items())
    return "\n".join([
        "# Resource guide", "",
        "A living guide to papers, tools, frameworks, guides, policies and projects about synthetic media. "
        "Search and filter it below; every entry lists its topics and who it is for. In a notebook, the same "
        "guide opens with `from workshop_utils.resources import explore; explore()`, and "
        "`workshop resources add` suggests a new entry.", "",
        "```{raw} html", *form, '<ul class="workshop-resource-list">', *rows, "</ul>",
        '<noscript><p>The filters need JavaScript; every resource is listed above.</p></noscript>', "```", "",
        "## Topics", "", "| Topic | What it covers | Resources |", "|---|---|---|", topics, "",
    ])


# -- landing page --------------------------------------------------------------------------------------------------


def landing_page(lessons: Iterable[Path], exercises: Iterable[Path], repository: Repository) -> str:
    """The landing page: what the workshop is, how to read or run it, and the map of the lessons.

    The map lists every lesson and exercise of the curriculum; those with a
    notebook in the repository link to their page, the others are "planned".
    Lessons found in the repository but missing from the curriculum still get a row.
    """
    lessons, exercises = list(lessons), list(exercises)
    lesson_pages = {p.stem: f"lessons/{p.name}" for p in lessons}
    exercise_pages = {p.stem: f"exercises/{p.name}" for p in exercises}
    rows = ["| # | Lesson | What you do | Graded exercise |", "|---|---|---|---|"]
    known = set()
    for lesson in curriculum.lessons():
        known.add(lesson.stem)
        page = lesson_pages.get(lesson.stem)
        name = f"[{_md(lesson.title)}]({page})" if page else f"{_md(lesson.title)} *(planned)*"
        exercise = ""
        if lesson.exercise:
            ex_page = exercise_pages.get(lesson.exercise)
            exercise = f"[`{lesson.exercise}`]({ex_page})" if ex_page else f"`{lesson.exercise}` *(planned)*"
        rows.append(f"| {lesson.number:02d} | {name} | {_md(lesson.summary)} | {exercise} |")
    for stem, page in lesson_pages.items():
        if stem not in known:
            title = _title(json.loads(Path(next(p for p in lessons if p.stem == stem)).read_text(encoding="utf-8")))
            rows.append(f"| {stem[:2]} | [{_md(title or stem)}]({page}) |  |  |")
    toc = [
        "```{toctree}", ":hidden:", ":caption: Lessons", "", *[f"lessons/{p.stem}" for p in lessons], "```", "",
        "```{toctree}", ":hidden:", ":caption: Graded exercises", "", *[f"exercises/{p.stem}" for p in exercises],
        "```", "",
        "```{toctree}", ":hidden:", ":caption: Library and guides", "", "cases/index", "resources",
        "facilitator_guide", "```", "",
    ]
    return "\n".join([
        "# Synthetic Media Workshop", "",
        "An open curriculum on synthetic media: how generative models make it, how coordinated groups use it "
        "and other manipulation tactics to mislead, how researchers and platforms detect it (classifiers, "
        "watermarks, provenance, labels), and how to use generative AI responsibly for art and activism.", "",
        "This site lets you read the whole workshop without running anything: every lesson with its figures "
        "and tables as computed when the site was built, the discussion prompts as questions with space for "
        "your answer, the graded exercises as students receive them, the case library and the resource guide.", "",
        *toc,
        "## Run it yourself", "",
        f"- **In your browser:** every lesson page links to [Binder]({repository.binder('lessons/00_start_here.ipynb')}) "
        "(about 1 CPU and 2 GB; it keeps nothing after the session).",
        f"- **On your computer:** clone [the repository]({repository.url}) and run `make lab`; everything runs "
        "offline on a CPU, each lesson in about a minute or less.", "",
        "## Map of the lessons", "", *rows, "",
        "## Also on this site", "",
        "- [Case library](cases/index.md): every case with its sources, content note and threads, by domain, "
        "year and technique.",
        "- [Resource guide](resources.md): papers, tools, frameworks and policies, with search and filters.",
        "- [Facilitator guide](facilitator_guide.md): agendas, breakout rooms, sensitive material and journals.", "",
    ])


# -- staging -------------------------------------------------------------------------------------------------------

#: The MIME type of a live widget: a static page cannot show one.
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_INTERACTIVE_NOTE = (
    '<p class="workshop-interactive-note"><em>An interactive control appears here when you run this lesson '
    "in JupyterLab.</em></p>"
)


def static_outputs(nb: dict) -> dict:
    """Make an executed notebook's outputs fit for a static page (in place; returns ``nb``).

    A widget's live view is dropped: its static HTML is shown where it has one
    (the prompts, explorers, timers and viewers of the workshop all do), and a
    one-line note where it has none, never a dead "Loading widget" box or the
    widget's Python repr. The saved widget state goes too.
    """
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                data = {k: v for k, v in data.items() if k != WIDGET_VIEW}
                if not any(k.startswith("image/") or k == "text/html" for k in data):
                    data = {"text/html": _INTERACTIVE_NOTE, "text/plain": "(interactive control)"}
                output = {**output, "data": data}
            outputs.append(output)
        cell["outputs"] = outputs
    nb.get("metadata", {}).pop("widgets", None)
    return nb


def _write(path: Path, text: str) -> None:
    """Write ``text`` unless the file already holds it (unchanged files keep their time: builds stay incremental)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _notebook_text(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def _stage_markdown_doc(source: Path, root: Path, staged: Mapping[str, str], repository: Repository) -> str:
    """A Markdown document with its relative links pointing at the site's pages, or else at GitHub."""
    text = source.read_text(encoding="utf-8")

    def relink(match: re.Match) -> str:
        label, target = match.group(1), match.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:|^#", target, re.I):
            return match.group(0)
        path, _, anchor = target.partition("#")
        try:
            relative = (source.parent / path).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return match.group(0)
        if relative in staged:
            return f"[{label}]({staged[relative]}{'#' + anchor.lower() if anchor else ''})"
        return f"[{label}]({repository.source(relative)})"

    return re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", relink, text)


Executor = Callable[[Mapping[str, dict]], Mapping[str, dict]]


def stage(
    root: str | Path,
    dest: str | Path,
    repository: Repository | None = None,
    *,
    execute: Executor | None = None,
) -> list[str]:
    """Write every source page of the site into ``dest`` and return the page names.

    Files that already hold the right text are left alone and files no page
    needs any more are removed (folders starting with a dot are kept), so that
    Sphinx rebuilds only what changed.

    Parameters
    ----------
    root : path-like
        The repository (holding ``lessons/`` and ``exercises/``).
    dest : path-like
        The staging folder (Sphinx's source folder).
    repository : Repository, optional
        Where Binder and source links point; by default read from the README's Binder badge.
    execute : callable, optional
        Given the lessons' notebooks (page name -> notebook), returns them
        executed; their outputs then go through :func:`static_outputs`.
        Without it, lessons are staged without outputs.
    """
    root, dest = Path(root), Path(dest)
    if not (root / "lessons").is_dir():
        raise FileNotFoundError(f"root {str(root)!r} has no lessons/ folder: it is not the workshop's repository")
    if repository is None:
        readme = root / "README.md"
        repository = Repository.from_readme(readme.read_text(encoding="utf-8")) if readme.is_file() else Repository()
    lessons, exercises = lesson_notebooks(root), exercise_notebooks(root)
    library = default_library()
    library_fingerprint = fingerprint(root)
    files: dict[str, str] = {}
    staged: dict[str, str] = {}
    lesson_nbs: dict[str, dict] = {}
    for kind, paths in (("lesson", lessons), ("exercise", exercises)):
        folder = "lessons" if kind == "lesson" else "exercises"
        for path in paths:
            repo_path = path.relative_to(root).as_posix()
            files[f"_notebooks/{repo_path}"] = path.read_text(encoding="utf-8")
            nb = staged_notebook(path, kind=kind, repo_path=repo_path, repository=repository,
                                 download=f"../_notebooks/{repo_path}",
                                 library_fingerprint=library_fingerprint if kind == "lesson" else None)
            name = f"{folder}/{path.stem}"
            if kind == "lesson":
                lesson_nbs[name] = nb
            else:
                files[f"{name}.ipynb"] = _notebook_text(nb)
            staged[repo_path] = f"{folder}/{path.name}"
    if execute is not None and lesson_nbs:
        lesson_nbs = {name: static_outputs(nb) for name, nb in execute(lesson_nbs).items()}
    files.update({f"{name}.ipynb": _notebook_text(nb) for name, nb in lesson_nbs.items()})
    featured = featured_cases(lessons, library)
    files["cases/index.md"] = case_index_page(library)
    for case in library:
        files[f"cases/{case.id}.md"] = case_page(case, library, featured.get(case.id, ()))
    files["resources.md"] = resources_page()
    staged.update({"docs/resources.md": "resources.md", "docs/facilitator_guide.md": "facilitator_guide.md",
                   "README.md": "index.md"})
    files["facilitator_guide.md"] = _stage_markdown_doc(root / "docs" / "facilitator_guide.md", root, staged,
                                                        repository)
    files["index.md"] = landing_page(lessons, exercises, repository)
    dest.mkdir(parents=True, exist_ok=True)
    for relative, text in files.items():
        _write(dest / relative, text)
    for path in sorted(dest.rglob("*"), reverse=True):
        relative = path.relative_to(dest)
        if relative.parts[0].startswith("."):
            continue
        if path.is_file() and relative.as_posix() not in files:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return sorted(name[: -len(Path(name).suffix)] for name in files if not name.startswith("_notebooks/"))
