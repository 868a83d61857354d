import numpy as np
import pytest

from workshop_utils.detection import spectra


def _checkerboard(n=3, size=32):
    board = (np.indices((size, size)).sum(0) % 2).astype(np.float32)
    return np.repeat(np.stack([0.5 + 0.2 * (board - 0.5)] * 3)[None], n, 0)


def test_power_spectrum_centres_zero_frequency_and_removes_the_mean():
    flat = np.full((2, 3, 16, 16), 0.7, dtype=np.float32)
    assert np.allclose(spectra.power_spectrum(flat), 0)
    waves = np.cos(np.pi * np.arange(16) / 2)[None, :].repeat(16, 0) * 0.4 + 0.5  # 1/4 cycle per pixel across
    power = spectra.power_spectrum(np.stack([waves] * 3)[None])[0]
    peak = np.unravel_index(np.argmax(power), power.shape)
    assert peak[0] == 8 and abs(peak[1] - 8) == 4


def test_checkerboard_lives_at_the_nyquist_corner():
    board = _checkerboard()
    assert spectra.checkerboard_share(board) == pytest.approx(1.0)
    assert spectra.nyquist_share(board) == pytest.approx(1.0)
    smooth = np.linspace(0.2, 0.8, 32, dtype=np.float32)[None, None, None, :].repeat(32, 2).repeat(3, 1)
    assert spectra.checkerboard_share(smooth)[0] < 0.01
    assert spectra.mean_log_spectrum(board)[0, 0] == spectra.mean_log_spectrum(board).max()


def test_radial_profile_bins_by_distance():
    spectrum = np.zeros((9, 9))
    spectrum[4, 8] = 8.0  # distance 4 from the centre
    profile = spectra.radial_profile(spectrum)
    assert profile.shape[0] == 1 and profile[0, 4] > 0 and profile[0, :4].sum() == 0
    with pytest.raises(ValueError, match="spectra must have shape"):
        spectra.radial_profile(np.zeros(5))


def test_spectral_features_shapes_and_values():
    rng = np.random.default_rng(0)
    x = rng.random((4, 3, 32, 32)).astype(np.float32)
    features = spectra.spectral_features(x)
    assert features.shape == (4, 32 * 17)
    x64 = x.astype(np.float64)
    centred = x64 - x64.mean(axis=(2, 3), keepdims=True)
    expected = np.log10((np.abs(np.fft.rfft2(centred)) ** 2).mean(1) + 1e-8).reshape(4, -1)
    assert np.allclose(features, expected)
    assert np.allclose(spectra.spectral_features(np.full((1, 3, 8, 8), 0.3)), -8)
    assert spectra.spectral_features(x, "radial").shape == (4, 24)  # radii 0-23 (the corner is 22.6 from the centre)
    with pytest.raises(ValueError, match="kind must be one of"):
        spectra.spectral_features(x, "wavelet")


def test_plots_describe_what_they_show():
    rng = np.random.default_rng(1)
    real = rng.random((5, 3, 16, 16)) * 0.1 + 0.45
    sets = {"real": real, "board": np.clip(real + _checkerboard(5, 16) - 0.5, 0, 1)}
    figure = spectra.plot_spectra(sets)
    assert "board" in figure.alt and "corner" in figure.alt and figure.png_bytes()
    radial = spectra.plot_radial_profiles(sets)
    assert "board" in radial.alt and "relative to real" in radial.alt
    with pytest.raises(ValueError, match="'real' entry"):
        spectra.plot_spectra({"board": sets["board"]})
    with pytest.raises(ValueError, match="same shape"):
        spectra.plot_spectra({"real": sets["real"], "big": _checkerboard(2, 32)})
