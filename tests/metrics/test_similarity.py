import numpy as np
import pytest
import torch

from workshop_utils.metrics import similarity


def test_nearest_neighbours_finds_exact_copies():
    rng = np.random.default_rng(0)
    training = rng.random((20, 8, 8))
    samples = training[[3, 7]] + 0.001
    indices, distances = similarity.nearest_neighbours(samples, training)
    assert indices.tolist() == [3, 7] and np.all(distances < 0.01)
    assert similarity.nearest_neighbours(torch.from_numpy(samples), training.reshape(20, 64))[0].tolist() == [3, 7]


def test_copying_check_flags_copies_but_not_new_images():
    rng = np.random.default_rng(1)
    training = rng.random((50, 64))
    copies = similarity.copying_check(training[:10] + rng.normal(0, 0.01, (10, 64)), training)
    fresh = similarity.copying_check(rng.random((10, 64)), training)
    assert copies.near_copies == 10 and fresh.near_copies == 0
    assert copies.sample_to_train < fresh.sample_to_train
    assert "10 of 10 samples are near-copies" in str(copies)


def test_errors_name_the_argument():
    with pytest.raises(ValueError, match="samples have 64 pixels each but references have 4"):
        similarity.nearest_neighbours(np.zeros((2, 64)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="training must hold at least 2 images"):
        similarity.copying_check(np.zeros((2, 4)), np.zeros((1, 4)))
    with pytest.raises(ValueError, match="samples must be a non-empty stack"):
        similarity.nearest_neighbours(np.zeros((0, 4)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="threshold must be greater than 0"):
        similarity.copying_check(np.zeros((2, 4)), np.zeros((3, 4)), threshold=0)


def test_pairs_figure():
    rng = np.random.default_rng(2)
    fig = similarity.nearest_pairs_figure(rng.random((5, 64)), rng.random((30, 64)), n=4)
    assert len(fig.figure.axes) == 8 and "generated images on top" in fig.alt
