import numpy as np
import pytest

from workshop_utils.detection import robustness


def _faces(n=4, seed=0):
    from workshop_utils.datasets import faces

    return faces.make_faces("B", n, seed=seed).images


def test_jpeg_changes_pixels_more_at_low_quality():
    x = _faces()
    high, low = robustness.jpeg(x, 95), robustness.jpeg(x, 20)
    assert high.shape == x.shape and high.dtype == np.float32 and 0 <= low.min() and low.max() <= 1
    assert np.abs(high - x).mean() < np.abs(low - x).mean()
    assert robustness.jpeg(x[:, :1], 50).shape == (4, 1, 32, 32)
    with pytest.raises(ValueError, match="quality must be"):
        robustness.jpeg(x, 0)


def test_resize_blurs_and_noise_is_seeded():
    x = _faces()
    assert np.allclose(robustness.resize(x, 1.0), np.round(x * 255) / 255, atol=1e-6)
    blurred = robustness.resize(x, 0.5)
    assert np.abs(np.diff(blurred, axis=3)).mean() < np.abs(np.diff(x, axis=3)).mean()
    assert np.array_equal(robustness.add_noise(x, 0.05, seed=1), robustness.add_noise(x, 0.05, seed=1))
    assert not np.array_equal(robustness.add_noise(x, 0.05, seed=1), robustness.add_noise(x, 0.05, seed=2))
    with pytest.raises(ValueError, match="factor must be"):
        robustness.resize(x, 0)


def test_sweep_reports_both_rates_and_plots_them():
    class Sharpness:
        """Flags images with a lot of pixel-to-pixel change."""

        def score(self, images):
            return (np.abs(np.diff(images, axis=3)).mean(axis=(1, 2, 3)) > 0.03).astype(float)

    real = _faces(20, seed=1)
    fake = robustness.add_noise(real, 0.1, seed=3)
    result = robustness.sweep(Sharpness(), real, fake, "resize", [0.9, 0.5])
    assert set(result) == {None, 0.9, 0.5}
    assert result[None].detection_rate == 1.0
    assert result[0.5].detection_rate < result[None].detection_rate
    figure = robustness.plot_sweeps({"resize": {"sharpness": result}})
    assert "resize 0.5" in figure.alt and "of real images" in figure.alt and figure.png_bytes()
    with pytest.raises(ValueError, match="transform must be one of"):
        robustness.sweep(Sharpness(), real, fake, "rotate", [10])
    with pytest.raises(ValueError, match="at least one"):
        robustness.sweep(Sharpness(), real, fake, "jpeg", [])


def test_sweep_of_several_detectors_edits_each_image_once():
    calls = []

    def counted_noise(images, level):
        calls.append(level)
        return robustness.add_noise(images, level)

    class Constant:
        def __init__(self, value):
            self.value = value

        def score(self, images):
            return np.full(len(images), self.value)

    real = _faces(6)
    result = robustness.sweep({"always": Constant(0.9), "never": Constant(0.1)}, real, real, counted_noise, [0.01, 0.1])
    assert calls == [0.01, 0.01, 0.1, 0.1], "each level edits the real and the fake images once, for every detector"
    assert result["always"][0.1].false_alarm_rate == 1.0 and result["never"][None].detection_rate == 0.0
    with pytest.raises(TypeError, match="'broken' must have a score"):
        robustness.sweep({"broken": object()}, real, real, "noise", [0.1])
