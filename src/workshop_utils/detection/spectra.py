"""Frequency artefacts: the power spectrum of images, and features for a spectral detector.

A generator that doubles an image's size with a transposed convolution (kernel
4, stride 2) paints some output pixels with more kernel weights than their
neighbours, so a pattern that repeats every two pixels (a checkerboard) is easy
for it to make and hard to avoid (Odena et al. 2016). In the 2-D Fourier
transform that pattern sits at the highest frequencies, the *Nyquist*
frequencies: half a cycle per pixel. Generators that upsample smoothly
(nearest or bilinear, then a convolution) instead lose high frequencies: their
images are too smooth. Either way the spectrum differs from real images'
(Durall et al. 2020; Frank et al. 2020), and a simple classifier on the
spectrum can see it.

Conventions: :func:`power_spectrum` removes each image's mean per channel,
averages ``|FFT|^2`` over the colour channels and moves the zero frequency to
the centre (``fftshift``), so for an ``h x w`` image index ``[h // 2, w // 2]``
is the zero frequency and row 0 / column 0 are the Nyquist frequencies.

Used in: lessons/07_detecting_synthetic_media.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .._validate import check_choice
from .images import check_images

__all__ = [
    "checkerboard_share",
    "mean_log_spectrum",
    "nyquist_share",
    "plot_radial_profiles",
    "plot_spectra",
    "power_spectrum",
    "radial_profile",
    "spectral_features",
]

_FLOOR = 1e-8  # added before taking log10, so that a zero power gives -8 rather than -inf


def power_spectrum(images: Any) -> np.ndarray:
    """Power ``|FFT|^2`` of each image, channel means removed, colours averaged, zero frequency centred.

    Parameters
    ----------
    images : array-like
        ``(n, 3, h, w)`` or ``(n, h, w)`` in [0, 1].

    Returns
    -------
    numpy.ndarray
        Shape ``(n, h, w)``.
    """
    x = check_images(images).astype(np.float64)
    x = x - x.mean(axis=(2, 3), keepdims=True)
    power = (np.abs(np.fft.fft2(x)) ** 2).mean(axis=1)
    return np.fft.fftshift(power, axes=(-2, -1))


def mean_log_spectrum(images: Any) -> np.ndarray:
    """Average over the images of ``log10(power)``, shape ``(h, w)``: the picture in which a checkerboard shows."""
    return np.log10(power_spectrum(images) + _FLOOR).mean(axis=0)


def radial_profile(spectra: Any) -> np.ndarray:
    """Average power at each whole-number distance from the centre of centred spectra.

    Parameters
    ----------
    spectra : array-like
        ``(n, h, w)`` or ``(h, w)`` spectra from :func:`power_spectrum`.

    Returns
    -------
    numpy.ndarray
        ``(n, n_bins)``: column ``r`` averages the frequencies at distance ``r``
        (rounded) from the zero frequency. For 32x32 images, radius 16 is the
        Nyquist frequency along an axis and radius 23 the corner.
    """
    spectra = np.asarray(spectra, dtype=np.float64)
    if spectra.ndim == 2:
        spectra = spectra[None]
    if spectra.ndim != 3 or spectra.shape[0] == 0 or min(spectra.shape[1:]) < 2:
        raise ValueError(f"spectra must have shape (n, h, w) or (h, w), got {np.shape(spectra)}")
    h, w = spectra.shape[-2:]
    rows, cols = np.indices((h, w))
    radius = np.round(np.hypot(rows - h // 2, cols - w // 2)).astype(int).ravel()
    counts = np.bincount(radius)
    sums = np.stack([np.bincount(radius, weights=row) for row in spectra.reshape(len(spectra), -1)])
    return sums / counts


def nyquist_share(images: Any) -> np.ndarray:
    """Share of each image's power on the Nyquist row and column (where checkerboard-like patterns live)."""
    power = power_spectrum(images)
    nyquist = power[:, 0, :].sum(axis=1) + power[:, :, 0].sum(axis=1) - power[:, 0, 0]
    return nyquist / np.maximum(power.sum(axis=(1, 2)), 1e-12)


def checkerboard_share(images: Any) -> np.ndarray:
    """Share of each image's power at the three pure checkerboard frequencies.

    Those are (half a cycle per pixel down, 0 across), (0, half across) and
    (half, half): stripes every two rows, every two columns, and a true
    checkerboard. Real images have a tiny share there.
    """
    power = power_spectrum(images)
    # after fftshift the Nyquist frequencies are row 0 and column 0; the zero frequency is (h//2, w//2)
    h, w = power.shape[-2:]
    peaks = power[:, 0, w // 2] + power[:, h // 2, 0] + power[:, 0, 0]
    return peaks / np.maximum(power.sum(axis=(1, 2)), 1e-12)


def spectral_features(images: Any, kind: str = "log_power") -> np.ndarray:
    """Features of a spectral detector, one row per image.

    Parameters
    ----------
    images : array-like
        ``(n, 3, h, w)`` or ``(n, h, w)`` in [0, 1].
    kind : {"log_power", "radial"}
        ``"log_power"``: ``log10`` of the power of every frequency of one half of
        the (symmetric) spectrum, ``h * (w // 2 + 1)`` numbers;
        ``"radial"``: ``log10`` of :func:`radial_profile`, about ``0.7 * h`` numbers.

    Returns
    -------
    numpy.ndarray
        ``(n, n_features)``.
    """
    check_choice("kind", kind, ("log_power", "radial"))
    if kind == "radial":
        return np.log10(radial_profile(power_spectrum(images)) + _FLOOR)
    x = check_images(images).astype(np.float64)
    x = x - x.mean(axis=(2, 3), keepdims=True)
    power = (np.abs(np.fft.rfft2(x)) ** 2).mean(axis=1)
    return np.log10(power + _FLOOR).reshape(len(x), -1)


def _check_sets(sets: Mapping[str, Any]) -> dict[str, np.ndarray]:
    if not isinstance(sets, Mapping) or "real" not in sets or len(sets) < 2:
        found = list(sets) if isinstance(sets, Mapping) else type(sets).__name__
        raise ValueError(f"sets must be a dict of image sets with a 'real' entry and at least one other, "
                         f"e.g. {{'real': ..., 'GAN convT': ...}}; got {found}")
    checked = {name: check_images(images, f"sets[{name!r}]") for name, images in sets.items()}
    shapes = {x.shape[1:] for x in checked.values()}
    if len(shapes) != 1:
        raise ValueError(f"every set must hold images of the same shape, got {sorted(shapes)}")
    return checked


def plot_spectra(sets: Mapping[str, Any]):
    """The real images' mean log spectrum, and each generator's difference from it.

    Parameters
    ----------
    sets : dict of str to images
        ``{"real": ..., "<generator>": ..., ...}``.

    Returns
    -------
    workshop_utils.plotting.AccessibleFigure
        One panel per set; the alt text names, for each generator, where its
        spectrum differs most from the real one.
    """
    from ..plotting import AccessibleFigure, new_figure

    checked = _check_sets(sets)
    logs = {name: mean_log_spectrum(x) for name, x in checked.items()}
    fig, axes = new_figure(len(logs), width=2.6, height=2.9)
    h, w = logs["real"].shape
    extent = (-0.5, 0.5, 0.5, -0.5)  # cycles per pixel
    limit = max(float(np.abs(logs[name] - logs["real"]).max()) for name in logs if name != "real")
    descriptions = []
    for ax, (name, spectrum) in zip(axes, logs.items()):
        if name == "real":
            image = ax.imshow(spectrum, cmap="viridis", extent=extent)
            ax.set_title("real: log10 power", fontsize=9)
        else:
            difference = spectrum - logs["real"]
            image = ax.imshow(difference, cmap="PuOr_r", vmin=-limit, vmax=limit, extent=extent)
            ax.set_title(f"{name} minus real", fontsize=9)
            row, col = np.unravel_index(np.argmax(np.abs(difference)), difference.shape)
            where = _describe_frequency(row - h // 2, col - w // 2, h, w)
            sign = "more" if difference[row, col] > 0 else "less"
            outer = _outer_band(difference)
            descriptions.append(f"{name}: largest difference {abs(difference[row, col]):.1f} (log10 units, {sign} "
                                f"power than real) {where}; on average {outer:+.2f} in the outer, high-frequency band")
        ax.set_xlabel("cycles per pixel (across)", fontsize=8)
        ax.tick_params(labelsize=7)
        fig.colorbar(image, ax=ax, shrink=0.7)
    axes[0].set_ylabel("cycles per pixel (down)", fontsize=8)
    alt = ("Mean log power spectra, zero frequency in the centre, highest frequencies at the edges. First panel: real "
           "images. Other panels: each generator's mean log spectrum minus the real one (orange: more power than "
           "real, purple: less). " + "; ".join(descriptions) + ".")
    return AccessibleFigure(fig, alt)


def _describe_frequency(dy: int, dx: int, h: int, w: int) -> str:
    """Words for a frequency offset from the centre of a centred spectrum."""
    at_nyquist_y, at_nyquist_x = abs(dy) >= h // 2, abs(dx) >= w // 2
    if at_nyquist_y and at_nyquist_x:
        return "at the corner (the checkerboard frequency)"
    if at_nyquist_y or at_nyquist_x:
        return "on the outer edge (the Nyquist frequencies)"
    radius = np.hypot(dy / h, dx / w)
    return f"at {radius:.2f} cycles per pixel from the centre"


def _outer_band(difference: np.ndarray) -> float:
    h, w = difference.shape
    rows, cols = np.indices((h, w))
    radius = np.hypot((rows - h // 2) / h, (cols - w // 2) / w)
    return float(difference[radius >= 0.35].mean())


def plot_radial_profiles(sets: Mapping[str, Any]):
    """Average power against distance from the zero frequency, one line per set (log scale).

    Radius 0 (the removed mean) is left out. Returns an
    :class:`~workshop_utils.plotting.AccessibleFigure` whose alt text gives each
    generator's power relative to real at the highest radii.
    """
    from ..plotting import AccessibleFigure, new_figure

    checked = _check_sets(sets)
    profiles = {name: radial_profile(power_spectrum(x)).mean(axis=0) for name, x in checked.items()}
    fig, (ax,) = new_figure(1, width=6, height=3.6)
    markers = "os^vDP*X"
    for i, (name, profile) in enumerate(profiles.items()):
        ax.semilogy(np.arange(1, len(profile)), profile[1:], marker=markers[i % len(markers)], markersize=3,
                    label=name, linewidth=2.5 if name == "real" else 1.2)
    h = next(iter(checked.values())).shape[2]
    ax.axvline(h // 2, color="grey", linestyle=":", linewidth=1)
    ax.set_xlabel(f"distance from the zero frequency (radius {h // 2} = Nyquist along an axis)")
    ax.set_ylabel("mean power (log scale)")
    ax.legend(fontsize=8)
    real = profiles["real"]
    top = slice(h // 2, None)
    ratios = [f"{name} {float(p[top].mean() / real[top].mean()):.2f}x" for name, p in profiles.items() if name != "real"]
    alt = (f"Radial power profiles on a log scale, from radius 1 to {len(real) - 1}; power falls with frequency for "
           f"every set. Average power at radius {h // 2} and beyond, relative to real images: " + ", ".join(ratios) +
           " (above 1: more high-frequency power than real; below 1: smoother than real).")
    return AccessibleFigure(fig, alt)
