import numpy as np
import pytest
import torch

from workshop_utils import checkpoints
from workshop_utils.datasets import digits
from workshop_utils.metrics import fid_lite
from workshop_utils.reproducibility import setup


@pytest.fixture(scope="module")
def split():
    setup(seed=0)  # one torch thread
    return digits.train_test_split()


def test_frechet_distance_of_known_gaussians():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((4000, 3))
    assert fid_lite.frechet_distance(a, a) == pytest.approx(0.0, abs=1e-6)
    # shifting the mean by (2, 0, 0) adds 4; scaling one axis by 3 adds (3 - 1)^2 = 4
    b = a + np.array([2.0, 0.0, 0.0])
    assert fid_lite.frechet_distance(a, b) == pytest.approx(4.0, abs=1e-6)
    c = a * np.array([1.0, 1.0, 3.0])
    assert fid_lite.frechet_distance(a, c) == pytest.approx(4.0, rel=0.02)
    assert fid_lite.frechet_distance(b, a) == pytest.approx(fid_lite.frechet_distance(a, b))


def test_frechet_distance_errors():
    with pytest.raises(ValueError, match="features_b must have 3 columns"):
        fid_lite.frechet_distance(np.zeros((5, 3)), np.zeros((5, 4)))
    with pytest.raises(ValueError, match="features_a must have at least 2 row"):
        fid_lite.frechet_distance(np.zeros((1, 3)), np.zeros((5, 3)))


def test_pixel_rows_accept_common_shapes_and_reject_wrong_scales(split):
    train, _ = split
    flat = train.images[:20]
    for shaped in (flat, flat.reshape(20, 8, 8), torch.from_numpy(flat).reshape(20, 1, 8, 8), flat.tolist()):
        np.testing.assert_allclose(fid_lite.to_pixel_rows(shaped), flat, atol=1e-6)
    np.testing.assert_array_equal(fid_lite.to_pixel_rows(flat * 1.2 - 0.1).clip(0, 1), fid_lite.to_pixel_rows(flat * 1.2 - 0.1))
    with pytest.raises(ValueError, match="raw pixel values"):
        fid_lite.to_pixel_rows(flat * 16)
    with pytest.raises(ValueError, match=r"scaled to \[-1, 1\]"):
        fid_lite.to_pixel_rows(flat * 2 - 1)
    with pytest.raises(ValueError, match="must have 64 columns"):
        fid_lite.to_pixel_rows(np.zeros((5, 28 * 28)))
    with pytest.raises(TypeError, match="samples must be an array of images"):
        fid_lite.to_pixel_rows([[0.0] * 64, [0.0] * 3])


def test_shipped_classifier_is_accurate_and_gives_64_features(split):
    _, test = split
    model = fid_lite.load_classifier()
    with torch.no_grad():
        accuracy = (model(test.tensor()).argmax(1).numpy() == test.labels).mean()
    assert accuracy >= 0.95
    assert accuracy == pytest.approx(checkpoints.card("digit_classifier")["metrics"]["test_accuracy"], abs=1e-4)
    feats = fid_lite.features(test.images[:7])
    assert feats.shape == (7, 64) and feats.dtype == np.float64
    np.testing.assert_array_equal(feats, fid_lite.features(test.images[:7]))


def test_metric_ranks_real_below_gmm_below_noise_and_matches_the_card():
    refs = fid_lite.reference_points(1000)
    assert 0 < refs["real"] < refs["gmm"] < 10 < 100 < refs["noise"]
    card = checkpoints.card("digit_classifier")["metrics"]["fd_lite_reference_points_n1000"]
    assert refs == pytest.approx(card, abs=0.02), "rerun tools/train_digit_checkpoints.py classifier"
    # the floor rises as the sample shrinks
    assert fid_lite.reference_points(360)["real"] > refs["real"]


def test_evaluate_reports_the_score_beside_the_references(split):
    train, _ = split
    report = fid_lite.evaluate(train.images[:1000], name="real training digits")
    assert report.value < report.gmm < report.noise and report.n == 1000
    text = str(report)
    assert text.startswith("real training digits: FD-lite ")
    for piece in ("real vs real", "20-component GMM", "noise", "lower is better", "n=1000"):
        assert piece in text
    assert "real vs real" in report.floor and "GMM" in report.floor
    noisy = fid_lite.evaluate(fid_lite.noise_samples(1000, seed=5))
    assert noisy.value > 100
    with pytest.raises(ValueError, match="at least 10 images"):
        fid_lite.evaluate(train.images[:5])


def test_baseline_samples_are_deterministic_images():
    a, b = fid_lite.gmm_samples(50, seed=3), fid_lite.gmm_samples(50, seed=3)
    assert a.shape == (50, 64) and a.min() >= 0 and a.max() <= 1
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, fid_lite.gmm_samples(50, seed=4))
    noise = fid_lite.noise_samples(30, seed=1)
    assert noise.shape == (30, 64) and 0 <= noise.min() and noise.max() <= 1
    with pytest.raises(ValueError, match="n must be at least 1"):
        fid_lite.gmm_samples(0)


def test_train_classifier_runs_and_checks_arguments(split):
    train, _ = split
    small = train.subset(indices=list(range(100)))
    model = fid_lite.train_classifier(small, epochs=1, seed=0)
    assert not model.training and model(small.tensor()).shape == (100, 10)
    again = fid_lite.train_classifier(small, epochs=1, seed=0)
    assert all(torch.equal(p, q) for p, q in zip(model.parameters(), again.parameters()))
    with pytest.raises(TypeError, match="train must be a Digits set"):
        fid_lite.train_classifier(small.images)
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        fid_lite.train_classifier(small, epochs=0)
