"""The site's sources: every lesson and exercise found, student versions only, cases, guide, landing page.

These check what :mod:`workshop_utils.course.site` writes, without Sphinx; tests/test_site.py
builds the real site and opens it in a browser.
"""

import json
import re
import shutil
from pathlib import Path

import pytest

from workshop_utils import cases
from workshop_utils.course import curriculum, site
from workshop_utils.resources import guide

REPO = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"(BEGIN|END) (SOLUTION|HIDDEN TESTS|MARK SCHEME)")
REPOSITORY = site.Repository("someone/workshop", "main")


def _markdown(cell_source: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": cell_source}


def _notebook(cells: list[dict]) -> dict:
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                        "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def _copy_of_repository(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for part in ("lessons", "exercises", "docs"):
        shutil.copytree(REPO / part, root / part)
    shutil.copytree(REPO / "src" / "workshop_utils", root / "src" / "workshop_utils",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "README.md", root / "README.md")
    return root


def test_every_lesson_and_exercise_is_found_in_the_repository_not_in_a_list():
    lessons = site.lesson_notebooks(REPO)
    assert [p.name for p in lessons] == sorted(p.name for p in (REPO / "lessons").glob("[0-9][0-9]_*.ipynb"))
    exercises = site.exercise_notebooks(REPO)
    assert [p.parent.name for p in exercises] == sorted(p.name for p in (REPO / "exercises").iterdir() if p.is_dir())
    assert all(p.parts[-3] == "exercises" for p in exercises), "student versions, never solutions/"


def test_the_repository_comes_from_the_readme_badge():
    found = site.Repository.from_readme((REPO / "README.md").read_text())
    assert found.binder("lessons/02_art.ipynb").startswith(f"https://mybinder.org/v2/gh/{found.slug}/{found.branch}?")
    assert found.binder("lessons/02_art.ipynb").endswith("urlpath=lab/tree/lessons/02_art.ipynb")
    assert found.source("lessons/02_art.ipynb") == f"https://github.com/{found.slug}/blob/{found.branch}/lessons/02_art.ipynb"
    with pytest.raises(ValueError, match="Binder badge"):
        site.Repository.from_readme("# A README without a badge")


def test_a_staged_lesson_has_a_run_box_under_its_title_and_no_instructor_cells(tmp_path):
    source = tmp_path / "03_x.ipynb"
    source.write_text(json.dumps(_notebook([
        _markdown("# 03 · A lesson\n\n*subtitle* [map](00_start_here.ipynb#Map-of-the-workshop)\n\n## Questions\n- Why?"),
        {"cell_type": "code", "metadata": {}, "execution_count": 3, "source": "x = 1",
         "outputs": [{"output_type": "stream", "name": "stdout", "text": "old"}]},
        {"cell_type": "markdown", "metadata": {"tags": ["instructor-notes"]}, "source": "Probe if the room stalls."},
        {"cell_type": "code", "metadata": {"tags": ["instructor"]}, "execution_count": None, "source": "secret()",
         "outputs": []},
    ])))
    nb = site.staged_notebook(source, kind="lesson", repo_path="lessons/03_x.ipynb", repository=REPOSITORY,
                              download="../_notebooks/lessons/03_x.ipynb", library_fingerprint="abc")
    sources = [c["source"] for c in nb["cells"]]
    assert sources[0] == "# Site build: workshop_utils fingerprint abc"
    assert nb["cells"][0]["metadata"]["tags"] == ["remove-cell", site.FINGERPRINT_TAG]
    assert sources[1].startswith("# 03 · A lesson") and "## Questions" not in sources[1]
    assert "00_start_here.ipynb#map-of-the-workshop" in sources[1], "MyST's heading anchors are lower case"
    box = sources[2]
    assert box.startswith(":::{admonition} Run this lesson")
    assert "https://mybinder.org/v2/gh/someone/workshop/main?urlpath=lab/tree/lessons/03_x.ipynb" in box
    assert "`make lab`" in box and "https://github.com/someone/workshop/blob/main/lessons/03_x.ipynb" in box
    assert "{download}`download it <../_notebooks/lessons/03_x.ipynb>`" in box
    assert sources[3].startswith("## Questions")
    assert not any("stalls" in s or "secret" in s for s in sources), "instructor cells never reach the site"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"][1]
    assert code["outputs"] == [] and code["execution_count"] is None


def test_static_outputs_drop_live_widgets_and_keep_their_static_html():
    nb = _notebook([{"cell_type": "code", "metadata": {}, "execution_count": 1, "source": "", "outputs": [
        {"output_type": "display_data", "metadata": {},
         "data": {site.WIDGET_VIEW: {"model_id": "1"}, "text/html": "<p>static</p>", "text/plain": "VBox()"}},
        {"output_type": "display_data", "metadata": {},
         "data": {site.WIDGET_VIEW: {"model_id": "2"}, "text/plain": "HBox(children=...)"}},
        {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBOR", "text/plain": "<Figure>"}},
    ]}])
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    outputs = site.static_outputs(nb)["cells"][0]["outputs"]
    assert outputs[0]["data"] == {"text/html": "<p>static</p>", "text/plain": "VBox()"}
    assert "interactive control" in outputs[1]["data"]["text/html"] and "HBox" not in json.dumps(outputs[1])
    assert outputs[2]["data"]["image/png"] == "iVBOR"
    assert "widgets" not in nb["metadata"]


def test_a_case_page_puts_the_content_note_first_and_lists_sources_and_threads():
    library = cases.default_library()
    harmful = next(c for c in library if c.content_warning)
    page = site.case_page(harmful, library, featured_in=[REPO / "lessons" / "05_manipulation_in_society.ipynb"])
    assert page.index("Content note") < page.index("## What happened")
    for source in harmful.sources:
        assert f"]({source.url})" in page
    assert "## Discussion questions" in page and "**Fact check:**" in page
    assert "](../lessons/05_manipulation_in_society.ipynb)" in page
    on_thread = next(c for c in library if any(c.id in t.case_ids for t in library.threads()))
    thread = next(t for t in library.threads() if on_thread.id in t.case_ids)
    page = site.case_page(on_thread, library)
    assert f"Thread: {thread.title}" in page.replace("\\", "")
    others = [c for c in thread.case_ids if c != on_thread.id]
    assert all(f"]({other}.md)" in page for other in others)
    assert "(this case)" in page


def test_dollar_signs_in_a_case_are_text_not_maths():
    case = next(c for c in cases.default_library() if "$" in c.summary + c.nuance)
    page = site.case_page(case)
    assert "$" not in page.replace(r"\$", "")


def test_the_case_index_lists_every_case_by_domain_year_and_technique():
    library = cases.default_library()
    page = site.case_index_page(library)
    by_domain = page[page.index("## By domain"):page.index("## By year")]
    by_year = page[page.index("## By year"):page.index("## By technique")]
    by_technique = page[page.index("## By technique"):page.index("## Threads")]
    for case in library:
        link = f"]({case.id}.md)"
        assert link in by_domain and link in by_year and link in by_technique
        assert f"**{case.year}:**" in by_year


def test_the_resource_page_lists_every_resource_with_working_filters():
    items = guide.load()
    page = site.resources_page(items)
    assert page.count('<li class="workshop-resource"') == len(items)
    for control in ("rf-search", "rf-type", "rf-topic", "rf-audience", "rf-from", "rf-to"):
        assert f'<label for="{control}">' in page and f'id="{control}"' in page
    assert 'role="status" aria-live="polite"' in page
    for topic in guide.TOPICS:
        assert f'<option value="{topic}">' in page


def test_the_landing_page_maps_every_lesson_linking_those_in_the_repository():
    lessons, exercises = site.lesson_notebooks(REPO), site.exercise_notebooks(REPO)
    page = site.landing_page(lessons, exercises, REPOSITORY)
    present = {p.stem for p in lessons}
    for lesson in curriculum.lessons():
        if lesson.stem in present:
            assert f"](lessons/{lesson.stem}.ipynb)" in page
        else:
            assert f"| {lesson.number:02d} | {lesson.title} *(planned)*" in page
    for path in exercises:
        assert f"exercises/{path.stem}" in page


def test_a_lesson_added_to_the_repository_appears_without_editing_any_list(tmp_path):
    root = _copy_of_repository(tmp_path)
    source = next(iter(site.lesson_notebooks(root)))
    nb = json.loads(source.read_text())
    nb["cells"][0]["source"] = "# 11 · A lesson nobody listed\n\nText."
    (root / "lessons" / "11_new_lesson.ipynb").write_text(json.dumps(nb))
    pages = site.stage(root, tmp_path / "src", REPOSITORY)
    assert "lessons/11_new_lesson" in pages
    landing = (tmp_path / "src" / "index.md").read_text()
    assert "](lessons/11_new_lesson.ipynb)" in landing and "lessons/11_new_lesson\n" in landing


def test_staging_writes_no_solution_and_keeps_unchanged_files(tmp_path):
    root = _copy_of_repository(tmp_path)
    dest = tmp_path / "src"
    pages = site.stage(root, dest, REPOSITORY)
    assert {"index", "resources", "facilitator_guide", "cases/index"} <= set(pages)
    assert len([p for p in pages if p.startswith("cases/")]) == len(cases.default_library()) + 1
    for path in dest.rglob("*"):
        if path.is_file():
            assert not MARKER.search(path.read_text(encoding="utf-8")), f"{path}: a solution or hidden-test marker"
    assert not (dest / "solutions").exists()
    (dest / "stale.md").write_text("left over from an earlier build")
    before = {p: p.stat().st_mtime_ns for p in dest.rglob("*") if p.is_file() and p.name != "stale.md"}
    site.stage(root, dest, REPOSITORY)
    assert not (dest / "stale.md").exists()
    assert {p: p.stat().st_mtime_ns for p in dest.rglob("*") if p.is_file()} == before, "unchanged files are not rewritten"


def test_lessons_are_executed_by_the_given_executor_and_their_widgets_made_static(tmp_path):
    root = _copy_of_repository(tmp_path)
    seen = {}

    def execute(notebooks):
        seen.update(notebooks)
        out = {}
        for name, nb in notebooks.items():
            nb = json.loads(json.dumps(nb))
            code = next(c for c in nb["cells"] if c["cell_type"] == "code")
            code["outputs"] = [{"output_type": "display_data", "metadata": {},
                                "data": {site.WIDGET_VIEW: {}, "text/plain": "VBox()"}}]
            out[name] = nb
        return out

    site.stage(root, tmp_path / "src", REPOSITORY, execute=execute)
    assert sorted(seen) == [f"lessons/{p.stem}" for p in site.lesson_notebooks(root)]
    staged = json.loads((tmp_path / "src" / "lessons" / "00_start_here.ipynb").read_text())
    text = json.dumps(staged)
    assert site.WIDGET_VIEW not in text and "interactive control" in text


def test_the_fingerprint_follows_the_library(tmp_path):
    root = _copy_of_repository(tmp_path)
    before = site.fingerprint(root)
    assert site.fingerprint(root) == before
    (root / "src" / "workshop_utils" / "plotting.py").write_text("# changed\n", encoding="utf-8")
    assert site.fingerprint(root) != before


def test_stage_refuses_a_folder_that_is_not_the_workshop(tmp_path):
    with pytest.raises(FileNotFoundError, match="root"):
        site.stage(tmp_path, tmp_path / "src")
