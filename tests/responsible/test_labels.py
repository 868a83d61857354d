"""Disclosure labels: stamped into the pixels, written into the PNG, read back; and the label designer saves."""

import json
from datetime import datetime, timedelta

import numpy as np
import pytest

from workshop_utils.datasets import faces
from workshop_utils.discussion import Journal, export_markdown
from workshop_utils.responsible import STYLES, WORDINGS, read_disclosure, stamp_label
from workshop_utils.responsible.designer import LabelDesigner
from workshop_utils.responsible.labels import as_rgb

FACE = faces.make_faces("A", 1, seed=0).images[0]  # (3, 32, 32) in [0, 1]


class Clock:
    def __init__(self):
        self.now = datetime(2026, 3, 14, 14, 2, 30).astimezone()

    def __call__(self):
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def journal(tmp_path):
    return Journal(tmp_path / "workshop_journal.json", clock=Clock())


@pytest.mark.parametrize("image, shape", [
    (np.zeros(64), (8, 8, 3)),
    (np.ones((8, 8)), (8, 8, 3)),
    (FACE, (32, 32, 3)),
    (np.full((5, 7, 3), 200, dtype=np.uint8), (5, 7, 3)),
])
def test_images_of_every_workshop_shape_are_accepted(image, shape):
    rgb = as_rgb(image)
    assert rgb.shape == shape and rgb.dtype == np.uint8


@pytest.mark.parametrize("image, message", [
    (np.zeros((4, 4, 4)), "image must be 64 numbers"),
    (np.full((8, 8), np.nan), "NaN"),
    (np.full((8, 8), -1.0), r"values must lie in \[0, 1\] or 0..255"),
    (np.array([["a"]]), "image must hold numbers"),
])
def test_bad_images_are_refused_clearly(image, message):
    with pytest.raises((TypeError, ValueError), match=message):
        stamp_label(image)


@pytest.mark.parametrize("style", STYLES)
def test_the_label_is_in_the_pixels_and_in_the_file(tmp_path, style):
    labelled = stamp_label(FACE, "AI-generated image", style, model="faceswap_ab", alt="A cartoon face")
    assert labelled.original.shape[0] >= 256 and labelled.pixels.dtype == np.uint8
    if style == "caption":
        assert labelled.pixels.shape[0] > labelled.original.shape[0]
        assert np.array_equal(labelled.pixels[: labelled.original.shape[0]], labelled.original), \
            "a caption leaves the image itself untouched"
    else:
        assert labelled.pixels.shape == labelled.original.shape and labelled.label_changed_pixels() > 0.1
    path = labelled.save_png(tmp_path / f"{style}.png")
    assert read_disclosure(path) == {"Disclosure": "AI-generated image", "Label-Style": style,
                                     "Software": "Synthetic Media Workshop (workshop_utils.responsible.labels)",
                                     "Model": "faceswap_ab"}
    assert 'alt="A cartoon face"' in labelled._repr_html_()


def test_different_wordings_draw_different_pixels():
    a = stamp_label(np.zeros(64), "AI info", "overlay")
    b = stamp_label(np.zeros(64), "Made with AI", "overlay")
    assert not np.array_equal(a.pixels, b.pixels)


def test_a_stripped_file_has_no_disclosure(tmp_path):
    from PIL import Image

    path = stamp_label(FACE, "AI info").save_png(tmp_path / "labelled.png")
    Image.open(path).save(tmp_path / "stripped.png")  # re-saving drops the text chunks
    assert read_disclosure(tmp_path / "stripped.png") == {}


def test_the_signing_seam_runs_after_the_file_is_written(tmp_path):
    seen = []
    path = stamp_label(FACE).save_png(tmp_path / "out.png", sign=lambda p: seen.append(p.read_bytes()[:8]))
    assert seen == [b"\x89PNG\r\n\x1a\n"] and path.exists()


def test_content_credentials_are_attached_and_the_label_survives(tmp_path):
    pytest.importorskip("c2pa")
    from workshop_utils.provenance import credentials
    from workshop_utils.responsible.labels import content_credentials

    pki = credentials.make_test_pki()
    path = stamp_label(FACE, "AI-generated image", model="face_vae").save_png(
        tmp_path / "signed.png", sign=content_credentials(pki, author="A Learner"))
    report = credentials.read_credentials(path)
    assert report.state in ("Valid", "Trusted") and report.author == "A Learner"
    assert report.digital_source_type == credentials.AI_GENERATED and report.title == "signed.png"
    assert read_disclosure(path)["Disclosure"] == "AI-generated image"  # the text chunks are still there
    # editing the pixels after signing shows up as an invalid manifest
    tampered = credentials.tamper_pixels_keep_manifest(path.read_bytes(), box=(2, 2, 6, 6))
    assert credentials.read_credentials(tampered).state == "Invalid"
    # an unsigned file has none
    assert credentials.read_credentials(stamp_label(FACE).save_png(tmp_path / "plain.png")).state == "No manifest"


def test_content_credentials_refuse_bad_arguments_before_writing(tmp_path):
    from workshop_utils.responsible.labels import content_credentials

    with pytest.raises(ValueError, match="author must be a non-empty name"):
        content_credentials(object(), author=" ")
    with pytest.raises(TypeError, match="pki must be signing material"):
        content_credentials("key.pem", author="me")


@pytest.mark.parametrize("call, message", [
    (lambda tmp: stamp_label(FACE, ""), "text must not be empty"),
    (lambda tmp: stamp_label(FACE, "x" * 121), "at most 120 characters"),
    (lambda tmp: stamp_label(FACE, 3), "text must be the label's words"),
    (lambda tmp: stamp_label(FACE, "AI info", "sticker"), "style must be one of 'overlay', 'caption', 'interstitial'"),
    (lambda tmp: stamp_label(FACE).save_png(tmp / "out.jpg"), "must end in .png"),
    (lambda tmp: stamp_label(FACE).save_png(tmp / "no" / "out.png"), "does not exist"),
    (lambda tmp: stamp_label(FACE).save_png(tmp / "out.png", sign="c2pa"), "sign must be a function"),
    (lambda tmp: read_disclosure(tmp / "missing.png"), "no file at"),
    (lambda tmp: read_disclosure(b"not a png"), "not an image file"),
])
def test_bad_label_arguments_are_named(tmp_path, call, message):
    with pytest.raises((TypeError, ValueError, FileNotFoundError), match=message):
        call(tmp_path)


# -- the label designer ----------------------------------------------------------------------------------


def on_disk(journal, prompt_id="my-label"):
    return json.loads(journal.path.read_text())["entries"]["09"][prompt_id]


def test_the_designer_saves_style_wording_and_reasoning(journal):
    prompt = LabelDesigner("09", "my-label", "Which label, and why?", image=FACE, alt="A swapped cartoon face",
                           journal=journal)
    form = prompt.widget()
    assert "Not saved yet" in form.status_text and not journal.path.exists()
    assert bytes(form.preview.value).startswith(b"\x89PNG")
    first_preview = bytes(form.preview.value)
    form.style_buttons.value = "interstitial"
    assert bytes(form.preview.value) != first_preview, "the preview follows the style"
    entry = on_disk(journal)
    assert entry["kind"] == "canvas" and entry["answer"] == {"style": "interstitial", "wording": WORDINGS[0][1],
                                                             "reasoning": ""}
    assert form.status_text == "✓ Saved at 14:02:31 in workshop_journal.json."
    form.wording_menu.value = "Write my own…"
    assert form.status_text == "Nothing to save yet: write your wording first."
    form.own_wording.value = "Made by a model, not a camera"
    form.reasoning.value = "People scroll fast; a caption is cropped off."
    assert on_disk(journal)["answer"] == {"style": "interstitial", "wording": "Made by a model, not a camera",
                                          "reasoning": "People scroll fast; a caption is cropped off."}
    # the answer comes back when the cell runs again, without writing again
    before = journal.path.read_bytes()
    again = LabelDesigner("09", "my-label", "Which label, and why?", image=FACE, journal=journal).widget()
    assert (again.style_buttons.value, again.wording_menu.value, again.own_wording.value) == (
        "interstitial", "Write my own…", "Made by a model, not a camera")
    assert journal.path.read_bytes() == before
    chosen = prompt.chosen()
    assert chosen.style == "interstitial" and chosen.text == "Made by a model, not a camera"
    assert "Made by a model, not a camera" in export_markdown(journal)


def test_the_designer_refuses_bad_answers_and_arguments(journal):
    prompt = LabelDesigner("09", "my-label", "Which label?", image=FACE, journal=journal)
    with pytest.raises(ValueError, match="answer\\['style'\\] must be one of"):
        prompt.save({"style": "sticker", "wording": "AI info"})
    with pytest.raises(ValueError, match="must not be empty"):
        prompt.save({"style": "overlay", "wording": " "})
    with pytest.raises(ValueError, match=r"unknown field\(s\) \['colour'\]"):
        prompt.save({"style": "overlay", "wording": "AI info", "colour": "red"})
    with pytest.raises(TypeError, match="image is required"):
        LabelDesigner("09", "my-label", "Which label?")
    with pytest.raises(ValueError, match="image must be 64 numbers"):
        LabelDesigner("09", "my-label", "Which label?", image=np.zeros((2, 2, 2, 2)))
    assert prompt.chosen() is None


def test_the_designer_renders_statically_with_every_style():
    prompt = LabelDesigner("09", "my-label", "Which label?", image=FACE, alt="A face")
    markdown, page = prompt.to_markdown(), prompt.to_html()
    assert markdown.count("data:image/png;base64,") == 3 and page.count("<img") == 3
    assert all(style.capitalize() in markdown for style in STYLES)
    assert "“AI info”" in markdown
