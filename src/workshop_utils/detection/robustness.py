"""What everyday edits do to a detector: JPEG re-encoding, resizing and noise.

Images are rarely posted as they were generated: platforms re-encode them as
JPEG, people resize and crop them, cameras and screenshots add noise. The same
edits happen to *real* images. A detector that keys on fine detail can
therefore fail two ways, and both matter:

- it stops flagging fakes (the detection rate falls), or
- it starts flagging real images (the false-alarm rate rises): real people's
  photos labelled as fake.

:func:`sweep` applies one edit at several strengths to real and synthetic test
images alike and reports both rates at every level; :func:`plot_sweeps` draws
them.

Used in: lessons/07_detecting_synthetic_media.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from .._validate import check_int, check_number
from .evaluate import DetectorReport, evaluate
from .images import check_images

__all__ = ["TRANSFORMS", "add_noise", "jpeg", "plot_sweeps", "resize", "sweep"]


def _to_pil(image: np.ndarray):
    from PIL import Image

    array = np.round(image.transpose(1, 2, 0) * 255).astype(np.uint8)
    return Image.fromarray(array[..., 0] if array.shape[2] == 1 else array)


def _from_pil(image, channels: int) -> np.ndarray:
    array = np.asarray(image.convert("L" if channels == 1 else "RGB"), dtype=np.float32) / 255
    return array[None] if channels == 1 else array.transpose(2, 0, 1)


def jpeg(images: Any, quality: int) -> np.ndarray:
    """Save each image as a JPEG of this ``quality`` (1-95, Pillow's defaults otherwise) and read it back.

    Pixels are rounded to 8 bits first (``np.round(x * 255)``), as any saved image would be.
    Returns float32 images of the same shape, in [0, 1].
    """
    x = check_images(images)
    quality = check_int("quality", quality, minimum=1, maximum=95)
    from PIL import Image

    out = np.empty_like(x)
    for i, image in enumerate(x):
        buffer = io.BytesIO()
        _to_pil(image).save(buffer, format="JPEG", quality=quality)
        buffer.seek(0)
        out[i] = _from_pil(Image.open(buffer), x.shape[1])
    return out


def resize(images: Any, factor: float) -> np.ndarray:
    """Shrink each image by ``factor`` (0 < factor <= 1) with bilinear filtering, then enlarge it back."""
    from PIL import Image

    x = check_images(images)
    factor = check_number("factor", factor, minimum=0.0, maximum=1.0, strict_minimum=True)
    h, w = x.shape[2:]
    small = (max(1, round(w * factor)), max(1, round(h * factor)))
    out = np.empty_like(x)
    for i, image in enumerate(x):
        out[i] = _from_pil(_to_pil(image).resize(small, Image.BILINEAR).resize((w, h), Image.BILINEAR), x.shape[1])
    return out


def add_noise(images: Any, sigma: float, seed: int = 0) -> np.ndarray:
    """Add Gaussian noise of standard deviation ``sigma`` to every pixel, then clip to [0, 1]."""
    x = check_images(images)
    sigma = check_number("sigma", sigma, minimum=0.0)
    noise = np.random.default_rng(check_int("seed", seed, minimum=0)).normal(0, sigma, x.shape)
    return np.clip(x + noise.astype(np.float32), 0, 1)


#: The edits :func:`sweep` knows by name, with a label for each level.
TRANSFORMS: dict[str, tuple[Callable[..., np.ndarray], str]] = {
    "jpeg": (jpeg, "JPEG quality"),
    "resize": (resize, "resize factor (down, then back up)"),
    "noise": (add_noise, "noise standard deviation"),
}


def sweep(detector: Any, real: Any, fake: Any, transform: str | Callable[[np.ndarray, Any], np.ndarray],
          levels: Sequence[Any], threshold: float = 0.5) -> dict:
    """Apply ``transform`` at each level to the real and the synthetic test images, and evaluate the detector.

    Parameters
    ----------
    detector : object or dict
        A fitted detector with ``score(images)``, or a dict ``{label: detector}``
        to evaluate several detectors on the same edited images (each edit is
        then computed once).
    real, fake : images
        Test images.
    transform : str or callable
        A name in :data:`TRANSFORMS` or a function ``transform(images, level)``.
    levels : sequence
        The strengths to try, e.g. JPEG qualities ``(95, 75, 50, 30)``.
    threshold : float
        The detectors' decision threshold.

    Returns
    -------
    dict
        ``{level: DetectorReport}`` with the key ``None`` for the unedited
        images; for a dict of detectors, ``{label: {level: DetectorReport}}``.
    """
    if isinstance(transform, str):
        if transform not in TRANSFORMS:
            raise ValueError(f"transform must be one of {list(TRANSFORMS)} or a function, got {transform!r}")
        transform = TRANSFORMS[transform][0]
    if not callable(transform):
        raise TypeError(f"transform must be a name or a function (images, level) -> images, got {transform!r}")
    several = isinstance(detector, Mapping)
    named = dict(detector) if several else {"detector": detector}
    if not named:
        raise ValueError("detector must be a detector or a non-empty dict of them")
    for label, each in named.items():
        if not hasattr(each, "score"):
            raise TypeError(f"detector {label!r} must have a score(images) method, got {type(each).__name__}")
    levels = list(levels)
    if not levels:
        raise ValueError("levels must name at least one strength")
    real, fake = check_images(real, "real"), check_images(fake, "fake")
    results: dict[str, dict[Any, DetectorReport]] = {label: {} for label in named}
    for level in [None, *levels]:
        edited_real, edited_fake = (real, fake) if level is None else (transform(real, level), transform(fake, level))
        for label, each in named.items():
            results[label][level] = evaluate(each.score(edited_real), each.score(edited_fake), threshold)
    return results if several else results["detector"]


def plot_sweeps(sweeps: Mapping[str, Mapping[str, Mapping[Any, DetectorReport]]], title: str = ""):
    """Detection rate and false-alarm rate against the strength of each edit.

    Parameters
    ----------
    sweeps : dict
        ``{transform name: {detector name: sweep(...) result}}``, transform names from :data:`TRANSFORMS`.
    title : str
        Figure title.

    Returns
    -------
    workshop_utils.plotting.AccessibleFigure
        One panel per edit; solid lines: share of fakes flagged, dashed: share of
        real images flagged. The alt text lists both rates at the strongest level.
    """
    from ..plotting import OKABE_ITO, AccessibleFigure, new_figure

    if not isinstance(sweeps, Mapping) or not sweeps:
        raise ValueError("sweeps must be a non-empty dict {transform: {detector: sweep result}}")
    fig, axes = new_figure(len(sweeps), width=3.6, height=3.3)
    markers = "os^D"
    colours = [OKABE_ITO[c] for c in ("blue", "vermillion", "green", "purple")]
    lines = []
    for ax, (transform, by_detector) in zip(axes, sweeps.items()):
        label = TRANSFORMS[transform][1] if transform in TRANSFORMS else transform
        for k, (detector, results) in enumerate(by_detector.items()):
            levels = [level for level in results if level is not None]
            positions = range(len(levels) + 1)
            detected = [results[None].detection_rate] + [results[v].detection_rate for v in levels]
            alarms = [results[None].false_alarm_rate] + [results[v].false_alarm_rate for v in levels]
            colour = colours[k % len(colours)]
            ax.plot(positions, detected, marker=markers[k % 4], color=colour, label=f"{detector}: fakes flagged")
            ax.plot(positions, alarms, marker=markers[k % 4], color=colour, linestyle="--", fillstyle="none",
                    label=f"{detector}: real flagged")
            ax.set_xticks(list(positions), ["none"] + [f"{v:g}" for v in levels], fontsize=8)
            strongest = levels[-1]
            lines.append(f"{transform} {strongest:g}, {detector}: flags {results[strongest].detection_rate:.0%} of "
                         f"fakes (unedited {results[None].detection_rate:.0%}) and {results[strongest].false_alarm_rate:.0%}"
                         f" of real images (unedited {results[None].false_alarm_rate:.0%})")
        ax.set_ylim(-0.03, 1.03)
        ax.set_xlabel(f"{label} (stronger to the right)", fontsize=8)
        ax.set_ylabel("share flagged as synthetic")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7, loc="best")
    if title:
        fig.suptitle(title)
    alt = ("Robustness curves: share of fakes flagged (solid lines) and share of real images flagged (dashed lines) "
           "as each edit gets stronger. At the strongest level: " + "; ".join(lines) + ".")
    return AccessibleFigure(fig, alt)
