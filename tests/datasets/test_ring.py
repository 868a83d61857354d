import numpy as np
import pytest

from workshop_utils import metrics
from workshop_utils.datasets import ring


def test_ring_centers_lie_on_the_circle():
    centers = ring.ring_centers(8, radius=2.0)
    assert centers.shape == (8, 2)
    assert np.allclose(np.linalg.norm(centers, axis=1), 2.0)
    assert np.allclose(centers[0], [2.0, 0.0])


def test_sample_ring_shape_dtype_and_seed():
    a = ring.sample_ring(500, seed=1)
    assert a.shape == (500, 2) and a.dtype == np.float32
    assert np.array_equal(a, ring.sample_ring(500, seed=1))
    assert not np.array_equal(a, ring.sample_ring(500, seed=2))


def test_sample_ring_only_some_modes():
    pts = ring.sample_ring(1000, seed=0, modes=[0, 3])
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
        ring.sample_ring(**kwargs)
