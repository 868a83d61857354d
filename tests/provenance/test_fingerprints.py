"""Perceptual hashes: copies stay close, unrelated pictures stay far, and bad input is named."""

import numpy as np
import pytest
from PIL import Image

from workshop_utils.provenance import attacks, fingerprints


def test_a_recompressed_copy_is_close_and_an_unrelated_picture_is_far(procedural_face, face_sheet):
    original = fingerprints.hash_image(procedural_face, "dhash")
    assert fingerprints.distance(original, fingerprints.hash_image(attacks.jpeg(procedural_face, 90))) <= 2
    assert fingerprints.distance(original, fingerprints.hash_image(face_sheet)) >= 16
    assert fingerprints.distance(original, fingerprints.hash_image(procedural_face.convert("L"))) == 0


def test_fingerprint_and_best_match(procedural_face, face_sheet):
    hashes = fingerprints.fingerprint(procedural_face)
    assert set(hashes) == set(fingerprints.HASHES)
    assert hashes["phash"].hash.size == 64 and hashes["colorhash"].hash.size == 42
    known = {"face": hashes["dhash"], "sheet": fingerprints.hash_image(face_sheet)}
    match = fingerprints.best_match(fingerprints.hash_image(attacks.text_overlay(procedural_face)), known, threshold=8)
    assert match.name == "face" and match.matched and match.distance <= 8
    assert not fingerprints.best_match(known["face"], {"sheet": known["sheet"]}, threshold=8).matched


def test_bad_input(procedural_face):
    with pytest.raises(ValueError, match="kind must be one of"):
        fingerprints.hash_image(procedural_face, "md5")
    with pytest.raises(TypeError, match="PIL image"):
        fingerprints.hash_image(np.zeros((8, 8)))
    with pytest.raises(ValueError, match="different sizes"):
        fingerprints.distance(fingerprints.hash_image(procedural_face, "dhash"),
                              fingerprints.hash_image(procedural_face, "colorhash"))
    with pytest.raises(ValueError, match="at least one hash"):
        fingerprints.best_match(fingerprints.hash_image(procedural_face), {}, 8)
    with pytest.raises(ValueError, match="threshold must be at least 0"):
        fingerprints.best_match(fingerprints.hash_image(procedural_face), {"a": fingerprints.hash_image(Image.new("RGB", (8, 8)))}, -1)
