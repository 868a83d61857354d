import numpy as np
import pytest
import torch

from workshop_utils import metrics, toy2d


def test_ring_centers_lie_on_the_circle():
    centers = toy2d.ring_centers(8, radius=2.0)
    assert centers.shape == (8, 2)
    assert np.allclose(np.linalg.norm(centers, axis=1), 2.0)
    assert np.allclose(centers[0], [2.0, 0.0])


def test_sample_ring_shape_dtype_and_seed():
    a = toy2d.sample_ring(500, seed=1)
    assert a.shape == (500, 2) and a.dtype == np.float32
    assert np.array_equal(a, toy2d.sample_ring(500, seed=1))
    assert not np.array_equal(a, toy2d.sample_ring(500, seed=2))


def test_sample_ring_only_some_modes():
    pts = toy2d.sample_ring(1000, seed=0, modes=[0, 3])
    result = metrics.mode_coverage(pts)
    assert result.covered == 2
    assert result.counts[1] == 0 and result.counts[0] > 0 and result.counts[3] > 0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n": 0}, "n must be at least 1"),
        ({"n": 10, "std": 0}, "std must be greater than 0"),
        ({"n": 10, "modes": [8]}, r"modes\[i\] must be at most 7"),
        ({"n": 10, "modes": []}, "modes must name at least one cluster"),
    ],
)
def test_sample_ring_errors(kwargs, message):
    with pytest.raises((TypeError, ValueError), match=message):
        toy2d.sample_ring(**kwargs)


def test_real_data_covers_all_modes_with_high_quality():
    result = metrics.mode_coverage(toy2d.sample_ring(4000, seed=0))
    assert result.covered == 8 and result.n_modes == 8
    assert result.hq_fraction > 0.95
    assert "8 of 8 modes covered" in str(result)


def test_collapsed_and_noise_samples_score_badly():
    one_mode = np.tile(toy2d.ring_centers()[2], (1000, 1))
    assert metrics.mode_coverage(one_mode).covered == 1
    noise = np.random.default_rng(0).uniform(-3, 3, size=(2000, 2))
    result = metrics.mode_coverage(noise)
    assert result.hq_fraction < 0.05
    assert result.covered < 8


def test_metric_ranks_real_above_blurry_above_noise():
    rng = np.random.default_rng(0)
    real = toy2d.sample_ring(2000, seed=0)
    blurry = toy2d.sample_ring(2000, seed=0, std=0.2)
    noise = rng.uniform(-3, 3, size=(2000, 2))
    scores = [metrics.mode_coverage(x).hq_fraction for x in (real, blurry, noise)]
    assert scores[0] > scores[1] > scores[2]


def test_mode_coverage_accepts_tensors_and_custom_centers():
    centers = np.array([[0.0, 0.0], [5.0, 5.0]])
    pts = torch.zeros(100, 2)
    result = metrics.mode_coverage(pts, centers=centers, std=0.1)
    assert (result.covered, result.counts) == (1, (100, 0))


def test_mode_coverage_errors():
    with pytest.raises(ValueError, match="samples must have 2 columns"):
        metrics.mode_coverage(np.zeros((10, 3)))
    with pytest.raises(ValueError, match="min_fraction must be at most 1"):
        metrics.mode_coverage(np.zeros((10, 2)), min_fraction=2)
