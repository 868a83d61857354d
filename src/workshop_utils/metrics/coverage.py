"""How much of the ring does a generator cover?

A generated point is *high quality* when it lies within ``n_sigma`` standard
deviations of some cluster centre. A cluster (mode) is *covered* when at
least ``min_fraction`` of all samples are high-quality points near it. A
perfect generator covers all modes with a high-quality fraction near 1; a
collapsed one covers one or two modes.

Used in: lessons/01_what_is_synthetic_media, solutions/01_gan_basics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import check_array_2d, check_number
from ..datasets.ring import ring_centers

__all__ = ["ModeCoverage", "mode_coverage"]


@dataclass(frozen=True)
class ModeCoverage:
    """Result of :func:`mode_coverage`.

    Attributes
    ----------
    covered : int
        Number of modes that received enough high-quality samples.
    n_modes : int
        Number of modes in the target distribution.
    hq_fraction : float
        Fraction of all samples that are high quality (near some mode).
    counts : tuple of int
        High-quality samples per mode.
    """

    covered: int
    n_modes: int
    hq_fraction: float
    counts: tuple[int, ...]

    def __str__(self) -> str:
        return (
            f"{self.covered} of {self.n_modes} modes covered; "
            f"{self.hq_fraction:.0%} of samples are high quality"
        )


def mode_coverage(
    samples,
    centers=None,
    std: float = 0.02,
    n_sigma: float = 3.0,
    min_fraction: float = 0.01,
) -> ModeCoverage:
    """Measure how many modes of a mixture a set of samples covers.

    Parameters
    ----------
    samples : array-like of shape (n, 2)
        Generated points (numpy array, list or torch tensor).
    centers : array-like of shape (k, 2), optional
        Mode centres. Defaults to the 8-mode ring of radius 2.
    std : float
        Standard deviation of each mode in the real data.
    n_sigma : float
        A sample within ``n_sigma * std`` of a centre is high quality.
    min_fraction : float
        A mode is covered when at least this fraction of *all* samples are
        high-quality samples near it.

    Returns
    -------
    ModeCoverage
        Covered modes, high-quality fraction and per-mode counts.
    """
    points = check_array_2d("samples", samples, columns=2)
    centres = ring_centers() if centers is None else check_array_2d("centers", centers, columns=2)
    std = check_number("std", std, minimum=0.0, strict_minimum=True)
    n_sigma = check_number("n_sigma", n_sigma, minimum=0.0, strict_minimum=True)
    min_fraction = check_number("min_fraction", min_fraction, minimum=0.0, maximum=1.0)

    distances = np.linalg.norm(points[:, None, :] - centres[None, :, :], axis=2)
    nearest = distances.argmin(axis=1)
    close = distances[np.arange(len(points)), nearest] <= n_sigma * std
    counts = np.bincount(nearest[close], minlength=len(centres))
    covered = int((counts >= max(1.0, min_fraction * len(points))).sum())
    return ModeCoverage(
        covered=covered,
        n_modes=len(centres),
        hq_fraction=float(close.mean()),
        counts=tuple(int(c) for c in counts),
    )
