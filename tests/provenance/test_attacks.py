"""The everyday edits keep or change sizes as documented, and reject bad arguments."""

import numpy as np
import pytest
from PIL import Image

from workshop_utils.provenance import attacks


@pytest.fixture
def image():
    rng = np.random.default_rng(0)
    return Image.fromarray(rng.integers(0, 255, (256, 256, 3), dtype=np.uint8))


def test_sizes(image):
    assert attacks.crop(image, 0.1).size == (230, 230)
    for restore in ("pad", "resize"):
        assert attacks.crop(image, 0.1, "centre", restore).size == (256, 256)
    assert attacks.screenshot(image).size == (320, 320)
    assert attacks.screenshot(image, fmt="JPEG", back_to_original_size=True).size == (256, 256)
    for name, edit in {**attacks.ATTACKS, **attacks.COPY_EDITS}.items():
        out = edit(image)
        assert isinstance(out, Image.Image), name


def test_what_changes(image):
    assert np.array_equal(np.asarray(attacks.png_roundtrip(image)), np.asarray(image))
    padded = np.asarray(attacks.crop(image, 0.1, "top-left", "pad"))
    assert np.array_equal(padded[:230, :230], np.asarray(image)[:230, :230]) and padded[240:, 240:].max() == 0
    assert np.array_equal(np.asarray(attacks.gaussian_noise(image, 5, seed=3)), np.asarray(attacks.gaussian_noise(image, 5, seed=3)))
    assert not np.array_equal(np.asarray(attacks.jpeg(image, 50)), np.asarray(image))
    banner = np.asarray(attacks.text_overlay(image))
    assert tuple(banner[-2, -2]) == (200, 30, 30)


def test_bad_input(image):
    with pytest.raises(ValueError, match="quality must be at most 95"):
        attacks.jpeg(image, 100)
    with pytest.raises(ValueError, match="subsampling must be one of"):
        attacks.jpeg(image, 90, "4:1:1")
    with pytest.raises(ValueError, match="where must be one of"):
        attacks.crop(image, 0.1, "left")
    with pytest.raises(ValueError, match="fraction must be at most"):
        attacks.crop(image, 1.0)
    with pytest.raises(TypeError, match="image must be a PIL image"):
        attacks.rotate(np.zeros((4, 4)), 1)
    with pytest.raises(ValueError, match="scale must be greater than 0"):
        attacks.resize_and_back(image, 0)
