"""Figures describe what they show; the widgets update when their controls change."""

import html

from workshop_utils.provenance import attacks, robustness, views
from workshop_utils.provenance import image_watermark as iw


def test_watermark_figure_reports_change_and_psnr(face_sheet):
    figure = views.watermark_figure(face_sheet, iw.embed(face_sheet))
    assert "PSNR" in figure.alt and "difference amplified 20 times" in figure.alt
    assert figure.png_bytes()[:4] == b"\x89PNG"


def test_tradeoff_figure_alt_text_comes_from_the_numbers():
    figure = views.tradeoff_figure({2.0: {200: 0.0, 800: 0.25}, 4.0: {200: 0.5, 800: 1.0}}, {2.0: 1.3, 4.0: 1.8},
                                   reference=1.35)
    assert "delta 2: 25% of 800-character passages detected, perplexity 1.30" in figure.alt
    assert "delta 4: 100%" in figure.alt


def test_threshold_explorer_recomputes(procedural_face, face_sheet):
    sweep = robustness.hash_robustness([procedural_face], {"sheets": [face_sheet]},
                                       {"JPEG q50": lambda im: attacks.jpeg(im, 50)})
    widget = views.threshold_explorer(sweep, "dhash", 8)
    kinds, slider = widget.children[0].children
    table = widget.children[1]
    assert table.value == sweep.table("dhash", 8)._repr_html_() and "0% falsely matched" in table.value
    slider.value = 30
    kinds.value = "phash"
    assert table.value == sweep.table("phash", 30)._repr_html_() and "distance &lt;= 30" in table.value
    static = widget._repr_mimebundle_()["text/html"]  # for pages without a widget manager: what it shows now
    assert "phash" in static and "30" in static and table.value in static


def test_manifest_viewer_switches_cases(face_sheet, pki):
    outcomes, _ = robustness.credential_outcomes(face_sheet, pki, author="Ada Student")
    widget = views.manifest_viewer(outcomes)
    choice, table = widget.children
    assert "Trusted" in table.value
    choice.value = outcomes[-1].case
    assert "none found" in table.value
    bundle = widget._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert all(html.escape(o.case) in bundle["text/html"] for o in outcomes), "a static page shows every file's credentials"
