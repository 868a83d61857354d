"""Checks shared by every detector: images, scores and labels, with errors that say what was expected.

Detectors here take images as NumPy arrays (or torch tensors) of shape
``(n, 3, h, w)`` (colour) or ``(n, h, w)`` (greyscale), with values in
``[0, 1]``, and return one score per image: the detector's probability that the
image is synthetic. Every public function of :mod:`workshop_utils.detection`
checks its input with the helpers below, so a wrong shape, an empty set, NaNs or
0-255 pixel values fail at once with a message naming the argument.

Used in: every module of workshop_utils.detection.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["check_images", "check_labels", "check_scores"]


def check_images(images: Any, name: str = "images", *, min_size: int = 4) -> np.ndarray:
    """Return ``images`` as float32 ``(n, c, h, w)`` with values in [0, 1].

    Parameters
    ----------
    images : array-like or torch.Tensor
        Shape ``(n, 3, h, w)``, ``(n, 1, h, w)`` or ``(n, h, w)`` (greyscale).
    name : str
        The argument's name, used in error messages.
    min_size : int
        Smallest height and width accepted.

    Raises
    ------
    TypeError
        If ``images`` is not numeric.
    ValueError
        If the shape is wrong, the set is empty, or a value is NaN, infinite or
        outside [0, 1] (with a hint when the values look like 0-255 pixels).
    """
    if hasattr(images, "detach"):  # a torch tensor
        images = images.detach().cpu().numpy()
    try:
        array = np.asarray(images, dtype=np.float32)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers, got {type(images).__name__}") from None
    if array.ndim == 3:
        array = array[:, None]
    if array.ndim != 4 or array.shape[1] not in (1, 3):
        raise ValueError(f"{name} must have shape (n, 3, h, w), (n, 1, h, w) or (n, h, w); got {array.shape}")
    if array.shape[0] == 0:
        raise ValueError(f"{name} is empty: it needs at least one image")
    if min(array.shape[2:]) < min_size:
        raise ValueError(f"{name} must be at least {min_size}x{min_size} pixels, got {array.shape[2]}x{array.shape[3]}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    low, high = float(array.min()), float(array.max())
    if low < 0 or high > 1:
        hint = " (did you pass 0-255 pixel values? divide them by 255)" if high > 1.5 else ""
        raise ValueError(f"{name} must hold values in [0, 1], got values from {low:.3g} to {high:.3g}{hint}")
    return array


def check_scores(real_scores: Any, fake_scores: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return both score sets as 1-D float arrays; each must be non-empty and finite.

    Raises
    ------
    ValueError
        If a set is not 1-D, is empty, or holds NaN or infinite values.
    """
    out = []
    for name, scores in (("real_scores", real_scores), ("fake_scores", fake_scores)):
        if hasattr(scores, "detach"):
            scores = scores.detach().cpu().numpy()
        try:
            array = np.asarray(scores, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be numbers, one score per image, got {type(scores).__name__}") from None
        if array.ndim != 1:
            raise ValueError(f"{name} must be 1-D (one score per image), got shape {array.shape}")
        if len(array) == 0:
            raise ValueError(f"{name} is empty: it needs at least one score")
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name} contains NaN or infinite values")
        out.append(array)
    return out[0], out[1]


def check_labels(labels: Any, n: int, name: str = "labels") -> np.ndarray:
    """Return ``labels`` as an int array of 0 (real) and 1 (synthetic), one per item, both classes present.

    Raises
    ------
    ValueError
        If the length is not ``n``, a label is not 0 or 1, or one class is missing.
    """
    array = np.asarray(labels)
    if array.ndim != 1 or len(array) != n:
        raise ValueError(f"{name} must be a 1-D array with one label per item ({n}), got shape {array.shape}")
    if not np.isin(array, (0, 1)).all():
        raise ValueError(f"{name} must hold only 0 (real) and 1 (synthetic), got values {np.unique(array)[:5]}")
    if len(np.unique(array)) < 2:
        raise ValueError(f"{name} must contain both classes (0 = real and 1 = synthetic)")
    return array.astype(int)
