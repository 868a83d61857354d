import numpy as np
import pytest
import torch

from workshop_utils import metrics
from workshop_utils.datasets import ring


def test_real_data_covers_all_modes_with_high_quality():
    result = metrics.mode_coverage(ring.sample_ring(4000, seed=0))
    assert result.covered == 8 and result.n_modes == 8
    assert result.hq_fraction > 0.95
    assert "8 of 8 modes covered" in str(result)


def test_collapsed_and_noise_samples_score_badly():
    one_mode = np.tile(ring.ring_centers()[2], (1000, 1))
    assert metrics.mode_coverage(one_mode).covered == 1
    noise = np.random.default_rng(0).uniform(-3, 3, size=(2000, 2))
    result = metrics.mode_coverage(noise)
    assert result.hq_fraction < 0.05
    assert result.covered < 8


def test_metric_ranks_real_above_blurry_above_noise():
    rng = np.random.default_rng(0)
    real = ring.sample_ring(2000, seed=0)
    blurry = ring.sample_ring(2000, seed=0, std=0.2)
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
