import numpy as np
import pytest
import torch

from workshop_utils.detection import attacks, detectors, evaluate


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)


def _sets(n=150, seed=0, amplitude=0.08):
    """Real: rendered faces; fake: other renders plus a faint checkerboard (a trace like transposed convolutions')."""
    from workshop_utils.datasets import faces

    real = faces.make_faces("B", n, seed=seed).images
    board = (np.indices((32, 32)).sum(0) % 2 - 0.5) * amplitude
    return real, np.clip(faces.make_faces("B", n, seed=seed + 1000).images + board, 0, 1).astype(np.float32)


def test_fit_logistic_orientation_and_errors():
    X = np.r_[np.zeros((20, 2)), np.ones((20, 2))] + np.random.default_rng(0).normal(0, 0.1, (40, 2))
    model = detectors.fit_logistic(X, [0] * 20 + [1] * 20)
    assert model.predict_proba([[1.0, 1.0]])[0, 1] > 0.9
    with pytest.raises(ValueError, match="both classes"):
        detectors.fit_logistic(X, [1] * 40)
    with pytest.raises(ValueError, match="features must be"):
        detectors.fit_logistic(np.zeros(3), [0, 1, 1])


@pytest.mark.parametrize("make", [lambda: detectors.SpectralDetector(), lambda: detectors.SpectralDetector("radial", C=1.0),
                                  lambda: detectors.PixelDetector(C=1.0)])
def test_linear_detectors_find_the_checkerboard(make):
    real, fake = _sets()
    test_real, test_fake = _sets(seed=1)
    detector = make()
    with pytest.raises(RuntimeError, match="not fitted"):
        detector.score(real)
    report = evaluate.evaluate(detector.fit(real, fake).score(test_real), detector.score(test_fake))
    assert report.auc > 0.8 and report.accuracy > 0.7, report


def test_detectors_reject_mismatched_sets():
    real, fake = _sets(10)
    with pytest.raises(ValueError, match="same shape"):
        detectors.SpectralDetector().fit(real, fake[:, :, :16, :16])
    with pytest.raises(ValueError, match="kind must be one of"):
        detectors.SpectralDetector("wavelet")


def test_cnn_detector_learns_and_is_attacked():
    real, fake = _sets(150)
    assert sum(p.numel() for p in detectors.make_cnn(8).parameters()) == 6065
    cnn = detectors.CNNDetector(epochs=10, lr=1e-2, seed=0).fit(real, fake)
    test_real, test_fake = _sets(60, seed=5)
    report = evaluate.evaluate(cnn.score(test_real), cnn.score(test_fake))
    assert report.auc > 0.95
    flagged = cnn.score(test_fake) >= 0.5
    adversarial = attacks.pgd(cnn, test_fake, eps=8 / 255, steps=10)
    assert np.abs(adversarial - test_fake).max() <= 8 / 255 + 0.5 / 255 + 1e-6
    assert np.allclose(adversarial * 255, np.round(adversarial * 255), atol=1e-4)
    assert (cnn.score(adversarial) >= 0.5).mean() < flagged.mean()
    assert cnn.logits(adversarial).mean() < cnn.logits(test_fake).mean()
    assert all(p.requires_grad for p in cnn.net.parameters()), "the attack must restore the network's gradients"


def test_spectral_logits_in_torch_match_scikit_learn_and_pgd_lowers_them():
    real, fake = _sets()
    spectral = detectors.SpectralDetector().fit(real, fake)
    logits = attacks.spectral_logits_torch(spectral)(torch.from_numpy(fake))
    expected = spectral.model.decision_function(spectral.features(fake))
    assert np.allclose(logits.numpy(), expected, atol=1e-8)
    adversarial = attacks.pgd(spectral, fake, eps=4 / 255, quantize=False)
    assert np.abs(adversarial - fake).max() <= 4 / 255 + 1e-6
    assert spectral.score(adversarial).mean() < spectral.score(fake).mean()
    with pytest.raises(ValueError, match="target must be"):
        attacks.pgd(spectral, fake, 0.01, target=2)
    with pytest.raises(TypeError, match="fitted SpectralDetector"):
        attacks.spectral_logits_torch(detectors.SpectralDetector())
    with pytest.raises(ValueError, match="only the 'log_power'"):
        attacks.spectral_logits_torch(detectors.SpectralDetector("radial", C=1.0).fit(real, fake))
