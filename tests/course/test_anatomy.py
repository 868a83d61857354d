import json

import nbformat
import pytest

from workshop_utils.course import anatomy, curriculum

LESSON_META = {
    "number": 1,
    "questions": ["Q?"],
    "objectives": ["Do X."],
    "keypoints": ["X matters."],
    "teaching_min": 5,
    "exercise_min": 5,
    "prerequisites": ["00_start_here"],
    "content_note": "None.",
    "further_reading": [{"title": "A paper", "url": "https://example.org", "note": "why"}],
}


def _write(path, meta, cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                   "workshop": meta}
    nb.cells = cells
    nbformat.write(nb, path)
    return path


def test_header_and_footer_render_the_metadata():
    header = anatomy.render_header(LESSON_META)
    assert header.startswith("# 01 · What is synthetic media?")
    assert "- Q?" in header and "- Do X." in header and "Content note.** None." in header
    assert "about 5 min of teaching" in header and "[00_start_here](00_start_here.ipynb)" in header
    footer = anatomy.render_footer(LESSON_META)
    assert "## Key points\n- X matters." in footer
    assert "[A paper](https://example.org): why" in footer


def test_sync_then_check_roundtrip(tmp_path):
    path = _write(tmp_path / "01_what_is_synthetic_media.ipynb", LESSON_META,
                  [nbformat.v4.new_markdown_cell("## Discussion\nTalk.")])
    problems = anatomy.check_notebook(path)
    assert any("header" in p for p in problems)
    assert anatomy.sync_notebook(path) is True
    assert anatomy.check_notebook(path) == []
    assert anatomy.sync_notebook(path) is False, "sync must be idempotent"
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].id == anatomy.HEADER_TAG


def test_stale_header_is_detected(tmp_path):
    path = _write(tmp_path / "01_what_is_synthetic_media.ipynb", LESSON_META,
                  [nbformat.v4.new_markdown_cell("## Discussion")])
    anatomy.sync_notebook(path)
    nb = nbformat.read(path, as_version=4)
    nb.metadata["workshop"]["objectives"] = ["Something new."]
    nbformat.write(nb, path)
    assert "header cell is out of date: run `workshop anatomy sync`" in anatomy.check_notebook(path)


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda m: m.pop("keypoints"), "lacks 'keypoints'"),
        (lambda m: m.update(objectives=[]), "'objectives'] is empty"),
        (lambda m: m.update(teaching_min="ten"), "should be a int"),
        (lambda m: m.update(number=99), "no lesson number 99"),
    ],
)
def test_metadata_problems(tmp_path, change, expected):
    meta = json.loads(json.dumps(LESSON_META))
    change(meta)
    path = _write(tmp_path / "01_what_is_synthetic_media.ipynb", meta, [])
    assert any(expected in p for p in anatomy.check_notebook(path))


def test_missing_discussion_and_bad_name(tmp_path):
    path = _write(tmp_path / "01_What.ipynb", LESSON_META, [nbformat.v4.new_markdown_cell("## Section")])
    anatomy.sync_notebook(path)
    problems = anatomy.check_notebook(path)
    assert any("NN_lowercase_words" in p for p in problems)
    assert any("Discussion" in p for p in problems)


def test_lesson_map_lists_every_lesson_and_links_only_available_ones():
    text = anatomy.render_lesson_map()
    for lesson in curriculum.lessons():
        assert lesson.title in text
        assert (f"]({lesson.stem}.ipynb)" in text) == lesson.available


def test_exercise_header_and_locked_cells(tmp_path):
    meta = {"assignment": "01_gan_basics", "objectives": ["a"], "exercise_min": 30, "content_note": "None.",
            "quality_bar": "8 modes.", "keypoints": ["k"], "train_budget_s": 30}
    path = _write(tmp_path / "01_gan_basics.ipynb", meta, [])
    anatomy.sync_notebook(path)
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].source.startswith("# Exercise 01 ·")
    assert nb.cells[0].metadata["nbgrader"]["locked"] is True
    assert anatomy.check_notebook(path) == []
