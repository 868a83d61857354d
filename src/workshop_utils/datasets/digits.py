"""Handwritten digits, 8x8 pixels: the workshop's small real image data set.

The images come with scikit-learn (``sklearn.datasets.load_digits``), so
nothing is downloaded. There are 1797 greyscale images of the digits 0-9,
each 8x8 pixels with integer values 0..16; here they are scaled to floats in
``[0, 1]`` (0 = white paper, 1 = full ink) and flattened to 64 numbers. Read
where they come from with ``workshop_utils.datasets.datasheets.datasheet("digits")``.

Every image keeps its row number in scikit-learn's data set
(``source_index``), so that whatever you train on can be credited precisely.

Example
-------
>>> from workshop_utils import digits
>>> train, test = digits.train_test_split()      # 1437 / 360 images, fixed seed
>>> len(train), len(test)
(1437, 360)
>>> threes_and_sevens = train.subset(classes=[3, 7])
>>> mine = train.subset(indices=[0, 4, 9])        # hand-picked by position in `train`
>>> print(mine.credits())                         # doctest: +ELLIPSIS
3 images from scikit-learn's copy of the UCI "Optical Recognition of Handwritten Digits" data...

Used in: lessons/02_art, solutions/02_diffusion, :mod:`workshop_utils.metrics.fid_lite`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._validate import check_array_2d, check_int

__all__ = ["Digits", "N_PIXELS", "SIDE", "load", "show", "to_pixel_rows", "train_test_split"]

SIDE = 8
N_PIXELS = SIDE * SIDE
SOURCE = 'scikit-learn\'s copy of the UCI "Optical Recognition of Handwritten Digits" data set (E. Alpaydin, 1998)'


@lru_cache(maxsize=1)
def _raw() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    bunch = load_digits()
    images = (bunch.data / 16.0).astype(np.float32)
    images.flags.writeable = False
    labels = bunch.target.astype(np.int64)
    labels.flags.writeable = False
    return images, labels


@dataclass(frozen=True, eq=False)
class Digits:
    """A set of digit images with their labels and where each came from.

    Attributes
    ----------
    images : numpy.ndarray
        ``float32`` array of shape ``(n, 64)`` with values in ``[0, 1]``;
        reshape a row to ``(8, 8)`` to see it as an image.
    labels : numpy.ndarray
        ``int64`` array of shape ``(n,)``: the digit each image shows.
    source_index : numpy.ndarray
        ``int64`` array of shape ``(n,)``: the row of each image in
        ``sklearn.datasets.load_digits()``, for credits.
    """

    images: np.ndarray
    labels: np.ndarray
    source_index: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    def tensor(self):
        """The images as a ``float32`` torch tensor of shape ``(n, 64)`` in ``[0, 1]``."""
        import torch

        return torch.from_numpy(np.array(self.images, dtype=np.float32))

    def subset(self, classes: Sequence[int] | None = None, indices: Sequence[int] | None = None) -> Digits:
        """Pick some of the images: whole classes, hand-picked ones, or both.

        Parameters
        ----------
        classes : sequence of int, optional
            Keep only images of these digits, e.g. ``[3, 7]``.
        indices : sequence of int, optional
            Keep only the images at these positions in this set (the
            numbers :func:`show` prints above each image). With ``classes``
            too, an image must satisfy both.

        Returns
        -------
        Digits
            The chosen images, in their original order, with their labels
            and source rows.

        Examples
        --------
        >>> train, _ = train_test_split()
        >>> len(train.subset(classes=[0]))
        149
        >>> train.subset(indices=[5, 2]).source_index.tolist() == train.source_index[[2, 5]].tolist()
        True
        """
        keep = np.ones(len(self), dtype=bool)
        if classes is not None:
            wanted = [check_int("classes[i]", c, minimum=0, maximum=9) for c in _as_list("classes", classes)]
            if not wanted:
                raise ValueError("classes must name at least one digit 0-9, e.g. classes=[3, 7]")
            keep &= np.isin(self.labels, wanted)
        if indices is not None:
            chosen = [check_int("indices[i]", i, minimum=0, maximum=len(self) - 1) for i in _as_list("indices", indices)]
            if not chosen:
                raise ValueError("indices must list at least one image position, e.g. indices=[0, 4, 9]")
            picked = np.zeros(len(self), dtype=bool)
            picked[chosen] = True
            keep &= picked
        if not keep.any():
            raise ValueError(
                f"no image matches classes={classes!r} and indices={indices!r}; "
                "check that the positions you picked show the digits you asked for")
        return Digits(self.images[keep], self.labels[keep], self.source_index[keep])

    def counts(self) -> dict[int, int]:
        """How many images of each digit the set holds (digits with none are left out)."""
        values, numbers = np.unique(self.labels, return_counts=True)
        return {int(v): int(n) for v, n in zip(values, numbers)}

    def describe(self) -> str:
        """A short description for training records: how many images of which digits.

        Examples
        --------
        >>> train, _ = train_test_split()
        >>> train.subset(classes=[0, 1]).describe()
        '293 images: 149 of digit 0, 144 of digit 1'
        """
        per_digit = ", ".join(f"{n} of digit {d}" for d, n in self.counts().items())
        return f"{len(self)} images: {per_digit}"

    def credits(self) -> str:
        """A plain-text credit line naming the source and the exact images used.

        Returns
        -------
        str
            Which data set, how many images of which digits, and their row
            numbers in ``sklearn.datasets.load_digits()``.
        """
        per_digit = ", ".join(f"{n} of digit {d}" for d, n in self.counts().items())
        rows = _ranges(sorted(int(i) for i in self.source_index))
        return (
            f"{len(self)} images from {SOURCE}, handwritten on preprinted forms ({per_digit}). "
            f"Rows of sklearn.datasets.load_digits(): {rows}."
        )


def _as_list(name: str, values) -> list:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a list of whole numbers, got {values!r}")
    return list(values)


def _ranges(numbers: list[int]) -> str:
    """Compress sorted numbers: [1, 2, 3, 7] -> '1-3, 7'."""
    parts, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(str(start) if start == n else f"{start}-{n}")
            start = None
    return ", ".join(parts)


def load() -> Digits:
    """All 1797 images, in scikit-learn's order.

    Returns
    -------
    Digits
        Images scaled to ``[0, 1]``, labels 0-9, and source rows 0..1796.
    """
    images, labels = _raw()
    return Digits(images.copy(), labels.copy(), np.arange(len(labels), dtype=np.int64))


def train_test_split(n_test: int = 360, seed: int = 0) -> tuple[Digits, Digits]:
    """Split the digits into a training set and a held-out test set.

    The split is a fixed random permutation, so the same ``seed`` always
    gives the same two sets on every machine. The default (1437 training
    and 360 test images, seed 0) is the one the workshop's metrics and
    checkpoints use: :mod:`workshop_utils.metrics.fid_lite` compares samples with
    the 360 test images, which no model has trained on.

    Parameters
    ----------
    n_test : int
        Number of test images (1 to 1796).
    seed : int
        Seed of the permutation.

    Returns
    -------
    (Digits, Digits)
        The training set and the test set, each in source order.
    """
    everything = load()
    check_int("n_test", n_test, minimum=1, maximum=len(everything) - 1)
    check_int("seed", seed, minimum=0)
    order = np.random.default_rng(seed).permutation(len(everything))
    test_rows, train_rows = np.sort(order[:n_test]), np.sort(order[n_test:])

    def part(rows: np.ndarray) -> Digits:
        return Digits(everything.images[rows], everything.labels[rows], everything.source_index[rows])

    return part(train_rows), part(test_rows)


def show(data: Digits, *, start: int = 0, n: int = 40, ncols: int = 10, title: str = ""):
    """Draw images of a :class:`Digits` set, each numbered by its position.

    The numbers are the positions to pass to :meth:`Digits.subset` when you
    hand-pick images.

    Parameters
    ----------
    data : Digits
        The images to draw.
    start : int
        Position of the first image to draw.
    n : int
        How many images to draw (fewer if the set ends first).
    ncols : int
        Images per row.
    title : str
        Figure title.

    Returns
    -------
    workshop_utils.plotting.AccessibleFigure
    """
    from matplotlib.figure import Figure

    from ..plotting import AccessibleFigure

    if not isinstance(data, Digits):
        raise TypeError(f"data must be a Digits set (e.g. from digits.train_test_split()), got {type(data).__name__}")
    check_int("start", start, minimum=0, maximum=len(data) - 1)
    check_int("n", n, minimum=1)
    check_int("ncols", ncols, minimum=1)
    stop = min(start + n, len(data))
    count = stop - start
    cols = min(ncols, count)
    rows = -(-count // cols)
    fig = Figure(figsize=(0.8 * cols, 0.9 * rows + (0.4 if title else 0)), layout="constrained")
    for k, i in enumerate(range(start, stop)):
        ax = fig.add_subplot(rows, cols, k + 1)
        ax.imshow(data.images[i].reshape(SIDE, SIDE), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"#{i}: {data.labels[i]}", fontsize=7)
        ax.axis("off")
    if title:
        fig.suptitle(title)
    shown = ", ".join(str(int(d)) for d in data.labels[start:stop][:20])
    more = " ..." if count > 20 else ""
    alt = (f"Grid of {count} handwritten digit images, 8x8 pixels each, numbered #{start} to #{stop - 1}"
           f"{': ' + title if title else ''}. Their labels in order: {shown}{more}.")
    return AccessibleFigure(fig, alt)


def to_pixel_rows(samples, name: str = "samples") -> np.ndarray:
    """Return images as a ``float64`` array of shape ``(n, 64)``, clipped to ``[0, 1]``.

    Accepts shapes ``(n, 64)``, ``(n, 8, 8)`` and ``(n, 1, 8, 8)``, as numpy
    arrays, lists or torch tensors.

    Raises
    ------
    ValueError
        If the images have another size, or are clearly on another scale:
        pixel values 0..16 (divide by 16) or ``[-1, 1]`` (use
        ``diffusion.to_image_scale``).
    """
    if hasattr(samples, "detach"):
        samples = samples.detach().cpu().numpy()
    try:
        array = np.asarray(samples, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of images, e.g. shape (n, 64), got {type(samples).__name__}") from None
    if array.ndim in (3, 4) and array.shape[-2:] == (8, 8) and (array.ndim == 3 or array.shape[1] == 1):
        array = array.reshape(len(array), N_PIXELS)
    rows = check_array_2d(name, array, columns=N_PIXELS, min_rows=2)
    if rows.max() > 2.0:
        raise ValueError(f"{name} look like raw pixel values (up to {rows.max():.0f}); scale them to [0, 1] first")
    if (rows < -0.5).mean() > 0.25:
        raise ValueError(f"{name} look like images scaled to [-1, 1]; convert them to [0, 1] first "
                         "(e.g. with diffusion.to_image_scale)")
    return np.clip(rows, 0.0, 1.0)
