"""Is a generator copying its training data? Nearest training images.

A generative model that reproduces its training images is not making
anything new, and it can leak whatever those images contain. A simple check:
for each generated image, find the closest training image, and compare that
distance with how close two *different* training images usually are. A
sample much closer to one training image than training images are to each
other is a near-copy.

Used in: lessons/02_art.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import check_int, check_number

__all__ = ["CopyingReport", "copying_check", "nearest_neighbours", "nearest_pairs_figure"]


def _rows(name: str, images) -> np.ndarray:
    if hasattr(images, "detach"):
        images = images.detach().cpu().numpy()
    if hasattr(images, "images") and not isinstance(images, np.ndarray):  # a workshop_utils.datasets.digits.Digits set
        images = images.images
    array = np.asarray(images, dtype=float)
    if array.ndim < 2 or len(array) == 0:
        raise ValueError(f"{name} must be a non-empty stack of images, shape (n, ...), got shape {array.shape}")
    rows = array.reshape(len(array), -1)
    if not np.all(np.isfinite(rows)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return rows


def nearest_neighbours(samples, references) -> tuple[np.ndarray, np.ndarray]:
    """For each sample, the closest reference image (Euclidean distance on pixels).

    Parameters
    ----------
    samples, references : array-like of shape (n, ...)
        Images (any shape per image, flattened), tensors, or a ``Digits`` set.

    Returns
    -------
    (indices, distances) : tuple of numpy.ndarray
        ``indices[i]`` is the position in ``references`` of sample ``i``'s
        nearest image and ``distances[i]`` the distance to it.
    """
    a, b = _rows("samples", samples), _rows("references", references)
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"samples have {a.shape[1]} pixels each but references have {b.shape[1]}")
    squared = (a**2).sum(1)[:, None] + (b**2).sum(1)[None, :] - 2 * a @ b.T
    nearest = squared.argmin(axis=1)
    return nearest, np.sqrt(np.maximum(squared[np.arange(len(a)), nearest], 0.0))


@dataclass(frozen=True)
class CopyingReport:
    """Result of :func:`copying_check`.

    Attributes
    ----------
    sample_to_train : float
        Median distance from a generated image to its nearest training image.
    train_to_train : float
        Median distance from a training image to its nearest *other* training image.
    near_copies : int
        Samples closer to a training image than ``threshold`` times ``train_to_train``.
    n_samples : int
        Number of samples checked.
    threshold : float
        The fraction used to call a sample a near-copy.
    """

    sample_to_train: float
    train_to_train: float
    near_copies: int
    n_samples: int
    threshold: float

    def __str__(self) -> str:
        return (
            f"Median distance from a generated image to its nearest training image: {self.sample_to_train:.2f}; "
            f"from a training image to its nearest other training image: {self.train_to_train:.2f}. "
            f"{self.near_copies} of {self.n_samples} samples are near-copies "
            f"(closer than {self.threshold:g} x the typical gap between training images)."
        )


def copying_check(samples, training, threshold: float = 0.5) -> CopyingReport:
    """Compare generated images with their nearest training images.

    Parameters
    ----------
    samples : array-like of shape (n, ...)
        Generated images.
    training : array-like of shape (m, ...)
        The training images (at least 2).
    threshold : float
        A sample is a near-copy when its nearest training image is closer
        than ``threshold`` times the median training-to-training gap.

    Returns
    -------
    CopyingReport
    """
    threshold = check_number("threshold", threshold, minimum=0.0, strict_minimum=True)
    train = _rows("training", training)
    if len(train) < 2:
        raise ValueError("training must hold at least 2 images to measure how far apart they usually are")
    _, sample_gap = nearest_neighbours(samples, train)
    squared = (train**2).sum(1)[:, None] + (train**2).sum(1)[None, :] - 2 * train @ train.T
    np.fill_diagonal(squared, np.inf)
    train_gap = np.sqrt(np.maximum(squared.min(axis=1), 0.0))
    typical = float(np.median(train_gap))
    return CopyingReport(
        sample_to_train=float(np.median(sample_gap)),
        train_to_train=typical,
        near_copies=int((sample_gap < threshold * typical).sum()),
        n_samples=len(sample_gap),
        threshold=threshold,
    )


def nearest_pairs_figure(samples, training, n: int = 8, image_shape: tuple[int, int] = (8, 8)):
    """Draw generated images (top row) above their nearest training images (bottom row).

    Parameters
    ----------
    samples, training : array-like
        Generated and training images (flattened or not).
    n : int
        How many pairs to draw.
    image_shape : (int, int)
        Height and width of one image.

    Returns
    -------
    workshop_utils.plotting.AccessibleFigure
    """
    from ..plotting import image_grid

    check_int("n", n, minimum=1)
    a, b = _rows("samples", samples)[:n], _rows("training", training)
    indices, distances = nearest_neighbours(a, b)
    stack = np.concatenate([a, b[indices]]).reshape(-1, *image_shape)
    alt = (f"Two rows of {len(a)} small images: generated images on top, each above its nearest training image. "
           f"Distances: {', '.join(f'{d:.1f}' for d in distances)}.")
    return image_grid(stack, ncols=len(a), title="Top: generated. Bottom: nearest training image", alt=alt)
