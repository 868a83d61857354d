"""FD-lite: a small Fréchet distance for judging generated 8x8 digits.

How it works (the idea of FID, Heusel et al. 2017, arXiv:1706.08500, made small):

1. A small classifier (64 -> 256 -> 64 -> 10, trained on the real training
   digits) turns every image into the 64 numbers of its next-to-last layer:
   *features* that describe what the classifier sees.
2. Fit a Gaussian (mean and covariance) to the features of the generated
   images and another to the features of the 360 held-out real test digits.
3. The Fréchet distance between the two Gaussians is the score:
   ``|mu_a - mu_b|^2 + trace(S_a + S_b - 2 (S_a S_b)^(1/2))``. Lower is better.

A number alone means little, so :func:`evaluate` always reports it beside
reference points measured **at the same sample size** (each the mean of 5
draws; single draws of 1000 images vary by about 0.5-1):

* *real vs real*: real training digits against the test digits, the floor a
  perfect generator would reach (it is not 0, because two finite samples
  differ, and it grows as the sample shrinks);
* *20-component GMM*: a classical Gaussian mixture with full covariances,
  fitted with scikit-learn in about half a second. On 8x8 digits it scores
  close to the floor, better than every neural network the workshop trains
  in a minute. That is a lesson about what the metric measures, not a
  verdict on the models: FD-lite compares feature statistics, and matching
  statistics is easy in 64 dimensions. A model that memorised the training
  images would score at the floor too, and FD-lite says nothing about
  originality, credit or consent;
* *uniform noise*: random pixels, what a useless generator gets.

The classifier's weights ship with the package (``digit_classifier.pt``),
so scores are deterministic and need no training.

Example
-------
>>> from workshop_utils import digits, fid_lite
>>> train, test = digits.train_test_split()
>>> print(fid_lite.evaluate(train.images[:1000], name="real training digits"))
real training digits: FD-lite 2.4 (real vs real 2.6, 20-component GMM 3.5, noise 197; lower is better; n=1000)

Used in: solutions/02_diffusion, lessons/02_art, tools/train_digit_checkpoints.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch
from torch import nn

from .._validate import check_array_2d, check_int, check_number
from ..datasets.digits import N_PIXELS, Digits, to_pixel_rows, train_test_split

__all__ = [
    "CHECKPOINT",
    "DigitClassifier",
    "FDReport",
    "evaluate",
    "fd_lite",
    "features",
    "frechet_distance",
    "gmm_samples",
    "load_classifier",
    "noise_samples",
    "reference_points",
    "train_classifier",
]

#: Name of the shipped classifier checkpoint (see :mod:`workshop_utils.checkpoints`).
CHECKPOINT = "digit_classifier"
_REFERENCE_DRAWS = 5


class DigitClassifier(nn.Module):
    """An MLP 64 -> 256 -> 64 -> 10; its 64-unit layer gives the features."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(N_PIXELS, 256), nn.ReLU(), nn.Linear(256, 64), nn.ReLU())
        self.head = nn.Linear(64, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Class logits for images of shape ``(n, 64)`` in ``[0, 1]``."""
        return self.head(self.body(x))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """The 64 penultimate activations of each image."""
        return self.body(x)


def train_classifier(train: Digits, *, epochs: int = 60, batch_size: int = 64, lr: float = 1e-3,
                     noise: float = 0.1, seed: int = 0) -> DigitClassifier:
    """Train the feature classifier (how the shipped checkpoint was made).

    Each batch gets Gaussian pixel noise of standard deviation ``noise``
    (clipped to ``[0, 1]``), so that the features also behave sensibly on
    imperfect generated images.

    Parameters
    ----------
    train : Digits
        The training digits.
    epochs, batch_size : int
        Passes over the data and images per step.
    lr : float
        Adam's learning rate.
    noise : float
        Standard deviation of the augmentation noise.
    seed : int
        Seeds torch's generator; the same seed gives the same weights on
        the same machine.

    Returns
    -------
    DigitClassifier
        The trained classifier, in evaluation mode.
    """
    if not isinstance(train, Digits):
        raise TypeError(f"train must be a Digits set (from digits.train_test_split()), got {type(train).__name__}")
    check_int("epochs", epochs, minimum=1)
    check_int("batch_size", batch_size, minimum=1)
    lr = check_number("lr", lr, minimum=0.0, strict_minimum=True)
    noise = check_number("noise", noise, minimum=0.0)
    torch.manual_seed(check_int("seed", seed, minimum=0))
    model = DigitClassifier()
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    x, y = train.tensor(), torch.from_numpy(np.array(train.labels))
    for _ in range(epochs):
        order = torch.randperm(len(x))
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            batch = (x[rows] + noise * torch.randn_like(x[rows])).clamp(0, 1)
            loss = nn.functional.cross_entropy(model(batch), y[rows])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return model.eval()


@lru_cache(maxsize=1)
def load_classifier() -> DigitClassifier:
    """The shipped feature classifier (loaded once, safely, in evaluation mode)."""
    from ..checkpoints import load_state_dict

    model = DigitClassifier()
    model.load_state_dict(load_state_dict(CHECKPOINT))
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    return model.eval()


def features(samples) -> np.ndarray:
    """The classifier's 64 features for each image, as a ``float64`` array ``(n, 64)``."""
    rows = torch.as_tensor(to_pixel_rows(samples), dtype=torch.float32)
    with torch.no_grad():
        return load_classifier().features(rows).double().numpy()


def frechet_distance(features_a, features_b) -> float:
    """Fréchet distance between Gaussians fitted to two sets of feature vectors.

    Parameters
    ----------
    features_a, features_b : array-like of shape (n, d) and (m, d)
        Feature vectors, at least 2 of each.

    Returns
    -------
    float
        ``|mu_a - mu_b|^2 + trace(S_a + S_b - 2 (S_a S_b)^(1/2))``, never negative.
    """
    a = check_array_2d("features_a", features_a, min_rows=2)
    b = check_array_2d("features_b", features_b, columns=a.shape[1], min_rows=2)
    mean_gap = float(((a.mean(0) - b.mean(0)) ** 2).sum())
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    # trace((S_a S_b)^(1/2)) = sum of sqrt(eigenvalues of S_a^(1/2) S_b S_a^(1/2)), a symmetric matrix
    values, vectors = np.linalg.eigh(cov_a)
    root_a = (vectors * np.sqrt(values.clip(min=0))) @ vectors.T
    middle = root_a @ cov_b @ root_a
    trace_root = np.sqrt(np.linalg.eigvalsh((middle + middle.T) / 2).clip(min=0)).sum()
    return max(0.0, mean_gap + float(np.trace(cov_a) + np.trace(cov_b) - 2 * trace_root))


@lru_cache(maxsize=1)
def _test_features() -> np.ndarray:
    return features(train_test_split()[1].images)


def fd_lite(samples) -> float:
    """FD-lite of generated images against the 360 held-out test digits.

    Parameters
    ----------
    samples : array-like
        Images in ``[0, 1]`` of shape ``(n, 64)``, ``(n, 8, 8)`` or
        ``(n, 1, 8, 8)``. Use the same ``n`` when you compare models (1000
        is the workshop's standard), since the score depends on it.

    Returns
    -------
    float
        The Fréchet distance; lower is better. See :func:`evaluate` for the
        reference points that give it a meaning.
    """
    return frechet_distance(features(samples), _test_features())


@lru_cache(maxsize=1)
def _gmm():
    from sklearn.mixture import GaussianMixture
    from threadpoolctl import threadpool_limits

    train = train_test_split()[0]
    with threadpool_limits(1):  # many BLAS threads make this tiny fit 10-50x slower on a busy machine
        return GaussianMixture(n_components=20, covariance_type="full", random_state=0).fit(train.images)


def gmm_samples(n: int, seed: int = 0) -> np.ndarray:
    """Images from the classical baseline: a 20-component Gaussian mixture.

    The mixture (full covariances, fitted once per session on the 1437
    training digits in about half a second) is the "why deep models at all?"
    reference: on 8x8 digits it reaches an FD-lite close to the real-vs-real
    floor.

    Parameters
    ----------
    n : int
        Number of images.
    seed : int
        Seed of the sampling.

    Returns
    -------
    numpy.ndarray
        ``float32`` array ``(n, 64)``, clipped to ``[0, 1]``.
    """
    check_int("n", n, minimum=1)
    check_int("seed", seed, minimum=0)
    model = _gmm()
    rng = np.random.default_rng(seed)
    components = rng.choice(len(model.weights_), size=n, p=model.weights_)
    cholesky = np.linalg.cholesky(model.covariances_)
    draws = model.means_[components] + np.einsum("nij,nj->ni", cholesky[components], rng.standard_normal((n, N_PIXELS)))
    return np.clip(draws, 0, 1).astype(np.float32)


def noise_samples(n: int, seed: int = 0) -> np.ndarray:
    """``n`` images of uniform random pixels in ``[0, 1]``: a useless generator."""
    check_int("n", n, minimum=1)
    return np.random.default_rng(check_int("seed", seed, minimum=0)).random((n, N_PIXELS)).astype(np.float32)


@lru_cache(maxsize=16)
def reference_points(n: int = 1000) -> dict[str, float]:
    """FD-lite of the reference generators at sample size ``n`` (cached).

    Each value is the mean over 5 independent draws of ``n`` images, because
    a single draw is noisy: at ``n = 1000`` the real-vs-real value of one
    draw varies by about 0.5 (standard deviation) and the mixture's by about
    0.8, since the test set has only 360 images. Differences between models
    smaller than about 1 are therefore not meaningful.

    Parameters
    ----------
    n : int
        Sample size (at least 10). The real-vs-real floor uses ``n`` training
        digits, or all 1437 if ``n`` is larger.

    Returns
    -------
    dict
        ``{"real": ..., "gmm": ..., "noise": ...}``.
    """
    check_int("n", n, minimum=10)
    train = train_test_split()[0]
    draws = range(_REFERENCE_DRAWS)
    real = [fd_lite(train.images[np.random.default_rng(k).permutation(len(train))[: min(n, len(train))]])
            for k in draws]
    return {
        "real": float(np.mean(real)),
        "gmm": float(np.mean([fd_lite(gmm_samples(n, seed=100 + k)) for k in draws])),
        "noise": float(np.mean([fd_lite(noise_samples(n, seed=200 + k)) for k in draws])),
    }


@dataclass(frozen=True)
class FDReport:
    """An FD-lite score with the reference points that give it a meaning.

    Attributes
    ----------
    value : float
        FD-lite of the generated images (lower is better).
    n : int
        Number of generated images.
    real : float
        Real training digits vs test digits at the same ``n``: the floor.
    gmm : float
        A 20-component Gaussian mixture at the same ``n``.
    noise : float
        Uniform noise at the same ``n``.
    name : str
        What was measured, e.g. ``"your DDPM"``.
    """

    value: float
    n: int
    real: float
    gmm: float
    noise: float
    name: str = ""

    def __str__(self) -> str:
        prefix = f"{self.name}: " if self.name else ""
        return (f"{prefix}FD-lite {self.value:.1f} (real vs real {self.real:.1f}, 20-component GMM "
                f"{self.gmm:.1f}, noise {self.noise:.0f}; lower is better; n={self.n})")

    @property
    def floor(self) -> str:
        """The reference points as one short string (for benchmark records)."""
        return f"real vs real {self.real:.1f}, 20-component GMM {self.gmm:.1f}, noise {self.noise:.0f} (n={self.n})"


def evaluate(samples, name: str = "") -> FDReport:
    """Score generated images and put the score beside the reference points.

    Parameters
    ----------
    samples : array-like
        Images in ``[0, 1]``: ``(n, 64)``, ``(n, 8, 8)`` or ``(n, 1, 8, 8)``,
        with ``n >= 10``.
    name : str
        What produced them, shown in the report.

    Returns
    -------
    FDReport
        Prints as e.g. ``FD-lite 7.9 (real vs real 2.2, 20-component GMM 2.7,
        noise 203; lower is better; n=1000)``.
    """
    rows = to_pixel_rows(samples)
    if len(rows) < 10:
        raise ValueError(f"samples must hold at least 10 images for a meaningful score, got {len(rows)}")
    refs = reference_points(len(rows))
    return FDReport(value=fd_lite(rows), n=len(rows), name=str(name), **refs)
