"""The 2-D "ring of Gaussians": the smallest data set on which a GAN can fail.

Eight tight clusters sit evenly on a circle. A generator that learns the
whole distribution puts samples in all eight; a generator that suffers
*mode collapse* puts them in one or a few. Because the true distribution is
known exactly, we can measure how much of it a model covers
(:func:`workshop_utils.metrics.mode_coverage`).

Used in: lessons/01_what_is_synthetic_media, solutions/01_gan_basics.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._validate import check_int, check_number

__all__ = ["ring_centers", "sample_ring"]


def ring_centers(n_modes: int = 8, radius: float = 2.0) -> np.ndarray:
    """Return the centres of the ring's clusters.

    Parameters
    ----------
    n_modes : int
        Number of clusters (at least 1).
    radius : float
        Radius of the circle (positive).

    Returns
    -------
    numpy.ndarray
        Array of shape ``(n_modes, 2)``; the first centre is at angle 0.
    """
    check_int("n_modes", n_modes, minimum=1)
    radius = check_number("radius", radius, minimum=0.0, strict_minimum=True)
    angles = 2 * np.pi * np.arange(n_modes) / n_modes
    return np.stack([radius * np.cos(angles), radius * np.sin(angles)], axis=1)


def sample_ring(
    n: int,
    n_modes: int = 8,
    radius: float = 2.0,
    std: float = 0.02,
    seed: int | np.random.Generator | None = None,
    modes: Sequence[int] | None = None,
) -> np.ndarray:
    """Draw points from the ring of Gaussians.

    Each point picks a cluster uniformly at random and adds isotropic
    Gaussian noise with standard deviation ``std``.

    Parameters
    ----------
    n : int
        Number of points (at least 1).
    n_modes : int
        Number of clusters.
    radius : float
        Radius of the circle.
    std : float
        Standard deviation of each cluster (positive).
    seed : int or numpy.random.Generator, optional
        Seed or generator, for reproducible samples.
    modes : sequence of int, optional
        Draw only from these clusters (indices ``0 .. n_modes-1``), e.g. to
        imitate a generator that covers part of the data.

    Returns
    -------
    numpy.ndarray
        ``float32`` array of shape ``(n, 2)``.
    """
    check_int("n", n, minimum=1)
    std = check_number("std", std, minimum=0.0, strict_minimum=True)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    centers = ring_centers(n_modes, radius)
    if modes is None:
        allowed = np.arange(n_modes)
    else:
        allowed = np.asarray([check_int("modes[i]", m, minimum=0, maximum=n_modes - 1) for m in modes])
        if allowed.size == 0:
            raise ValueError("modes must name at least one cluster, e.g. modes=[0, 3]")
    which = allowed[rng.integers(0, len(allowed), size=n)]
    points = centers[which] + rng.normal(scale=std, size=(n, 2))
    return points.astype(np.float32)
