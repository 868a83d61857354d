"""An adversary who knows the detector: small pixel changes that make a fake look real to it.

Projected gradient descent (PGD; Madry et al., arXiv:1706.06083) asks the detector's own
gradients which direction of pixel change lowers its "synthetic" score, takes a
small step that way, and repeats, never moving any pixel more than ``eps``
(e.g. 4/255, four steps of the 256 brightness levels). With one step it is
FGSM, the fast gradient sign method. The result is rounded to 8-bit pixel values, as
saving the image would round it. (FGSM: Goodfellow, Shlens & Szegedy, arXiv:1412.6572.)

This needs *white-box* access: the detector's weights. A detector that is
kept secret cannot be attacked this way directly; the lesson measures how well
an attack on one detector transfers to another.

Used in: lessons/07_detecting_synthetic_media.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._validate import check_int, check_number
from .detectors import CNNDetector, SpectralDetector
from .images import check_images

__all__ = ["pgd", "spectral_logits_torch"]


def spectral_logits_torch(detector: SpectralDetector) -> Callable:
    """A fitted log-power :class:`SpectralDetector` as a differentiable torch function ``images -> logits``.

    It recomputes the same features (mean removed, ``|rfft2|^2`` averaged over
    colours, ``log10(power + 1e-8)``), the same standardisation and the same
    linear layer, so its logits equal scikit-learn's up to rounding.
    """
    import torch

    if not isinstance(detector, SpectralDetector) or detector.model is None:
        raise TypeError(f"detector must be a fitted SpectralDetector, got {detector!r}")
    if detector.kind != "log_power":
        raise ValueError("only the 'log_power' spectral detector can be differentiated here")
    scaler, linear = detector.model[0], detector.model[-1]
    mean, scale = torch.tensor(scaler.mean_), torch.tensor(scaler.scale_)
    weights, bias = torch.tensor(linear.coef_[0]), float(linear.intercept_[0])

    def logits(images):
        x = images.double()
        x = x - x.mean(dim=(2, 3), keepdim=True)
        features = torch.log10((torch.fft.rfft2(x).abs() ** 2).mean(dim=1) + 1e-8).reshape(len(x), -1)
        return ((features - mean) / scale) @ weights + bias

    return logits


def pgd(detector: Any, images: Any, eps: float, steps: int = 10, step_size: float | None = None, target: int = 0,
        quantize: bool = True) -> np.ndarray:
    """Perturb ``images`` by at most ``eps`` per pixel so that the detector calls them ``target``.

    Parameters
    ----------
    detector : CNNDetector, SpectralDetector or callable
        A fitted CNN, a fitted log-power spectral detector, or a torch function ``images -> logits``.
    images : images
        The images to perturb, in [0, 1].
    eps : float
        Largest change of any pixel (e.g. ``4 / 255``).
    steps : int
        Gradient steps; 1 gives FGSM.
    step_size : float, optional
        Size of each step; default ``eps`` for one step, else ``2.5 * eps / steps``.
    target : {0, 1}
        0 makes fakes look real to the detector; 1 makes real images look fake.
    quantize : bool
        Round the result to 8-bit values (k / 255).

    Returns
    -------
    numpy.ndarray
        The perturbed images, same shape, in [0, 1].
    """
    import torch
    import torch.nn.functional as F

    if isinstance(detector, CNNDetector):
        if detector.net is None:
            raise RuntimeError("the CNNDetector is not fitted yet: call .fit(real, fake) first")
        logits_of, parameters = detector.logits, list(detector.net.parameters())
    elif isinstance(detector, SpectralDetector):
        logits_of, parameters = spectral_logits_torch(detector), []
    elif callable(detector):
        logits_of, parameters = detector, []
    else:
        raise TypeError(f"detector must be a CNNDetector, a SpectralDetector or a function, got {type(detector).__name__}")
    eps = check_number("eps", eps, minimum=0.0, maximum=1.0)
    steps = check_int("steps", steps, minimum=1)
    if step_size is None:
        step_size = eps if steps == 1 else 2.5 * eps / steps
    step_size = check_number("step_size", step_size, minimum=0.0)
    if target not in (0, 1):
        raise ValueError(f"target must be 0 (look real) or 1 (look synthetic), got {target!r}")
    original = torch.from_numpy(check_images(images))
    x = original.clone()
    wanted = torch.full((len(x),), float(target))
    was_trainable = [p.requires_grad for p in parameters]
    for p in parameters:
        p.requires_grad_(False)
    try:
        for _ in range(steps):
            x.requires_grad_(True)
            loss = F.binary_cross_entropy_with_logits(logits_of(x).float(), wanted)
            (gradient,) = torch.autograd.grad(loss, x)
            with torch.no_grad():
                x = x - step_size * gradient.sign()                             # downhill for the detector's loss
                x = (original + (x - original).clamp(-eps, eps)).clamp(0, 1)    # stay within eps, and in [0, 1]
    finally:
        for p, flag in zip(parameters, was_trainable):
            p.requires_grad_(flag)
    out = x.detach().numpy()
    return (np.round(out * 255) / 255).astype(np.float32) if quantize else out
