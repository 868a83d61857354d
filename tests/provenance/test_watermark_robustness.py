"""The sweeps loop and count correctly, include the unmarked row, and print readable tables."""

import numpy as np
import pytest
from PIL import Image

from workshop_utils.provenance import attacks, robustness


def test_watermark_sweep_has_the_unmarked_row_and_too_small_cells(face_sheet):
    edits = {"none (PNG)": attacks.png_roundtrip, "JPEG q90, 4:2:0": lambda im: attacks.jpeg(im, 90),
             "crop 10% (as is)": lambda im: attacks.crop(im, 0.1)}
    sweep = robustness.watermark_robustness({"sheet": face_sheet}, edits)
    assert sweep.edits == list(edits) + [robustness.UNMARKED]
    assert sweep.mean("none (PNG)", "dwtDct") == 1.0 and sweep.found("none (PNG)", "dwtDct") == 1
    assert sweep.mean("JPEG q90, 4:2:0", "dwtDct") < 0.6 and sweep.found("JPEG q90, 4:2:0", "dwtDct") == 0
    assert sweep.mean("crop 10% (as is)", "dwtDctSvd") is None
    assert sweep.found(robustness.UNMARKED, "dwtDct") == 0
    text = str(sweep.table())
    assert "too small to read" in text and "unmarked image" in text and "1.00 (1/1)" in text
    assert "<caption>" in sweep.table()._repr_html_() and sweep.table().to_markdown().count("\n|") >= 4
    assert sweep.marked[("sheet", "dwtDctSvd")].size == (256, 256)
    with pytest.raises(ValueError, match="reserved"):
        robustness.watermark_robustness({"sheet": face_sheet}, {robustness.UNMARKED: attacks.png_roundtrip})


def test_hash_sweep_counts_matches_and_false_matches(procedural_face, face_sheet):
    known = [procedural_face]
    photo = Image.fromarray(np.random.default_rng(0).integers(0, 255, (256, 256, 3), dtype=np.uint8))
    sweep = robustness.hash_robustness(known, {"sheets": [face_sheet], "noise": [photo]},
                                       {"JPEG q50": lambda im: attacks.jpeg(im, 50), "mirror": lambda im: im.transpose(0)})
    assert sweep.matched("dhash", 8)["JPEG q50"] == 1.0
    assert sweep.false_matches("dhash", 8) == {"sheets": 0.0, "noise": 0.0}
    assert sweep.false_matches("dhash", 64) == {"sheets": 1.0, "noise": 1.0}
    table = str(sweep.table("phash", 10))
    assert "copy: JPEG q50" in table and "unrelated: sheets" in table
    with pytest.raises(ValueError, match="kind must be one of"):
        sweep.table("colorhash", 2)


def test_detection_rates_by_length(charlm_and_vocab):
    from workshop_utils.provenance import text_watermark as tw

    model, vocab = charlm_and_vocab
    lists = tw.GreenLists(vocab, key=5)
    texts = tw.generate_batch(model, vocab, 3, 400, delta=8.0, lists=lists, seed=0)
    rates = robustness.detection_rates(texts, lists, lengths=(10, 400))
    assert rates[400] == 1.0 and rates[10] == 0.0


def test_credential_outcomes_are_the_four_cases(face_sheet, pki):
    outcomes, table = robustness.credential_outcomes(face_sheet, pki, author="Ada Student")
    assert [o.report.state for o in outcomes] == ["Trusted", "Valid", "Invalid", "No manifest"]
    assert "assertion.dataHash.mismatch" in str(table) and "signingCredential.untrusted" in str(table)
