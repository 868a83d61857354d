"""Detectors of synthetic images: a logistic regression on spectra or pixels, and a small CNN.

Each detector has the same two methods:

- ``fit(real, fake)`` learns from real images (label 0) and synthetic ones (label 1);
- ``score(images)`` returns, for each image, the detector's probability that it is synthetic.

A score is not yet a decision: flagging an image needs a threshold (0.5 by
default), and :mod:`workshop_utils.detection.evaluate` measures both the
ranking (ROC AUC, average precision) and the decisions (accuracy, detection
and false-alarm rates at a threshold).

Used in: lessons/07_detecting_synthetic_media.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validate import check_int, check_number
from .images import check_images, check_labels
from .spectra import spectral_features

__all__ = ["CNNDetector", "PixelDetector", "SpectralDetector", "fit_logistic", "make_cnn"]


def fit_logistic(features: Any, labels: Any, C: float = 1.0):
    """A fitted scikit-learn pipeline: standardise each feature, then logistic regression.

    Parameters
    ----------
    features : array-like
        ``(n, n_features)``.
    labels : array-like
        ``(n,)``: 0 for real, 1 for synthetic.
    C : float
        Inverse regularisation strength (smaller: simpler model).

    Returns
    -------
    sklearn.pipeline.Pipeline
        ``predict_proba(X)[:, 1]`` is the probability of "synthetic".
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X = np.asarray(features, dtype=np.float64)
    if X.ndim != 2 or len(X) == 0:
        raise ValueError(f"features must be a non-empty 2-D array (one row per image), got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("features contain NaN or infinite values")
    y = check_labels(labels, len(X))
    C = check_number("C", C, minimum=0.0, strict_minimum=True)
    return make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=2000)).fit(X, y)


def _labels(real: np.ndarray, fake: np.ndarray) -> np.ndarray:
    return np.r_[np.zeros(len(real), dtype=int), np.ones(len(fake), dtype=int)]


class _LinearDetector:
    """Shared code: features -> :func:`fit_logistic`."""

    def __init__(self, C: float):
        self.C = check_number("C", C, minimum=0.0, strict_minimum=True)
        self.model = None

    def features(self, images: Any, name: str = "images") -> np.ndarray:
        raise NotImplementedError

    def fit(self, real: Any, fake: Any):
        """Learn from real images (label 0) and synthetic ones (label 1); returns the detector."""
        real, fake = check_images(real, "real"), check_images(fake, "fake")
        if real.shape[1:] != fake.shape[1:]:
            raise ValueError(f"real and fake images must have the same shape, got {real.shape[1:]} and {fake.shape[1:]}")
        X = np.concatenate([self.features(real), self.features(fake)])
        self.model = fit_logistic(X, _labels(real, fake), self.C)
        return self

    def score(self, images: Any) -> np.ndarray:
        """The probability that each image is synthetic, shape ``(n,)``."""
        if self.model is None:
            raise RuntimeError(f"this {type(self).__name__} is not fitted yet: call .fit(real, fake) first")
        return self.model.predict_proba(self.features(images))[:, 1]


class SpectralDetector(_LinearDetector):
    """Logistic regression on spectral features (:func:`~workshop_utils.detection.spectra.spectral_features`).

    Parameters
    ----------
    kind : {"log_power", "radial"}
        Which spectral features.
    C : float
        Inverse regularisation strength of the logistic regression.
    """

    def __init__(self, kind: str = "log_power", C: float = 0.01):
        super().__init__(C)
        spectral_features(np.zeros((1, 8, 8)), kind)  # checks kind
        self.kind = kind

    def features(self, images: Any, name: str = "images") -> np.ndarray:
        return spectral_features(check_images(images, name), self.kind)

    def __repr__(self) -> str:
        return f"SpectralDetector(kind={self.kind!r}, C={self.C})"


class PixelDetector(_LinearDetector):
    """Logistic regression on the raw pixels: memorises what one generator's images look like."""

    def __init__(self, C: float = 0.01):
        super().__init__(C)

    def features(self, images: Any, name: str = "images") -> np.ndarray:
        x = check_images(images, name)
        return x.reshape(len(x), -1)

    def __repr__(self) -> str:
        return f"PixelDetector(C={self.C})"


def make_cnn(width: int = 8):
    """A small CNN: three blocks of (3x3 convolution, ReLU), the first two followed by 2x2 max-pooling;
    a global average over positions, then one linear layer to a logit (6,065 parameters at width 8)."""
    from torch import nn

    c = check_int("width", width, minimum=1)
    return nn.Sequential(
        nn.Conv2d(3, c, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(c, 2 * c, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(2 * c, 4 * c, 3, padding=1), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4 * c, 1))


class CNNDetector:
    """A small convolutional network trained to tell real (0) from synthetic (1) colour images.

    Parameters
    ----------
    width : int
        Channels of the first convolution (see :func:`make_cnn`).
    epochs : int
        Passes over the training images.
    lr : float
        Adam's learning rate.
    batch_size : int
        Images per step.
    seed : int
        Fixes the initial weights and the order of the batches.
    """

    def __init__(self, width: int = 8, epochs: int = 12, lr: float = 3e-3, batch_size: int = 64, seed: int = 0):
        self.width = check_int("width", width, minimum=1)
        self.epochs = check_int("epochs", epochs, minimum=1)
        self.lr = check_number("lr", lr, minimum=0.0, strict_minimum=True)
        self.batch_size = check_int("batch_size", batch_size, minimum=1)
        self.seed = check_int("seed", seed, minimum=0)
        self.net = None

    def __repr__(self) -> str:
        return f"CNNDetector(width={self.width}, epochs={self.epochs}, lr={self.lr}, seed={self.seed})"

    def fit(self, real: Any, fake: Any):
        """Train on real images (label 0) and synthetic ones (label 1); returns the detector."""
        import torch
        import torch.nn.functional as F

        real, fake = check_images(real, "real"), check_images(fake, "fake")
        if real.shape[1] != 3 or real.shape[1:] != fake.shape[1:]:
            raise ValueError(f"real and fake must be colour images of one shape (n, 3, h, w), got {real.shape[1:]} "
                             f"and {fake.shape[1:]}")
        torch.manual_seed(self.seed)
        x = torch.from_numpy(np.concatenate([real, fake]))
        y = torch.from_numpy(_labels(real, fake).astype(np.float32))
        self.net = make_cnn(self.width)
        optimizer = torch.optim.Adam(self.net.parameters(), self.lr)
        order_generator = torch.Generator().manual_seed(self.seed)
        self.net.train()
        for _ in range(self.epochs):
            order = torch.randperm(len(x), generator=order_generator)
            for start in range(0, len(x), self.batch_size):
                batch = order[start:start + self.batch_size]
                loss = F.binary_cross_entropy_with_logits(self.net(x[batch]).squeeze(1), y[batch])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        self.net.eval()
        return self

    def logits(self, images):
        """The network's logits for a torch batch ``(n, 3, h, w)`` (differentiable; used by attacks)."""
        import torch

        if self.net is None:
            raise RuntimeError("this CNNDetector is not fitted yet: call .fit(real, fake) first")
        if not isinstance(images, torch.Tensor):
            images = torch.from_numpy(check_images(images))
        return self.net(images).squeeze(1)

    def score(self, images: Any) -> np.ndarray:
        """The probability that each image is synthetic, shape ``(n,)``."""
        import torch

        x = check_images(images)
        if self.net is None:
            raise RuntimeError("this CNNDetector is not fitted yet: call .fit(real, fake) first")
        with torch.no_grad():
            return np.concatenate([torch.sigmoid(self.logits(torch.from_numpy(x[i:i + 512]))).numpy()
                                   for i in range(0, len(x), 512)])
