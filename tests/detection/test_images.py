import numpy as np
import pytest
import torch

from workshop_utils.detection.images import check_images, check_labels, check_scores


def test_check_images_accepts_colour_grey_and_tensors():
    x = np.random.default_rng(0).random((2, 3, 8, 8))
    out = check_images(x)
    assert out.dtype == np.float32 and out.shape == (2, 3, 8, 8)
    assert check_images(x[:, 0]).shape == (2, 1, 8, 8)
    assert np.array_equal(check_images(torch.from_numpy(x)), out)


@pytest.mark.parametrize(
    "images, message",
    [
        (np.zeros((0, 3, 8, 8)), "empty"),
        (np.zeros((2, 4, 8, 8)), r"shape \(n, 3, h, w\)"),
        (np.zeros((8, 8)), r"shape \(n, 3, h, w\)"),
        (np.zeros((1, 3, 2, 2)), "at least 4x4"),
        (np.full((1, 3, 8, 8), np.nan), "NaN"),
        (np.full((1, 3, 8, 8), 255.0), "divide them by 255"),
        (np.full((1, 3, 8, 8), -0.1), r"values in \[0, 1\]"),
    ],
)
def test_check_images_errors_name_the_argument(images, message):
    with pytest.raises(ValueError, match=message) as error:
        check_images(images, "fakes")
    assert "fakes" in str(error.value)


def test_check_images_rejects_text():
    with pytest.raises(TypeError, match="array of numbers"):
        check_images("not images")


def test_check_scores_and_labels():
    real, fake = check_scores([0.1, 0.2], torch.tensor([0.9]))
    assert real.dtype == np.float64 and fake.tolist() == [pytest.approx(0.9)]
    with pytest.raises(ValueError, match="real_scores is empty"):
        check_scores([], [0.5])
    with pytest.raises(ValueError, match="fake_scores must be 1-D"):
        check_scores([0.5], [[0.5]])
    with pytest.raises(ValueError, match="NaN"):
        check_scores([np.nan], [0.5])
    assert check_labels([0, 1, 1], 3).tolist() == [0, 1, 1]
    with pytest.raises(ValueError, match="one label per item"):
        check_labels([0, 1], 3)
    with pytest.raises(ValueError, match="only 0"):
        check_labels([0, 2], 2)
    with pytest.raises(ValueError, match="both classes"):
        check_labels([1, 1], 2)
