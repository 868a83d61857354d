"""Procedural cartoon faces: face-swap material without any real person's face.

Every face is drawn by this module from a handful of numbers, so no photo of
anyone is ever used. An *identity* fixes what a face looks like (face shape,
skin, hair, eyes, glasses, beard); seven *parameters* in ``[0, 1]`` fix what
it is doing and where: gaze, mouth and eye openness, head position and the
grey of the background. The skin colours are deliberately not human (yellow,
lavender, mint), so that identity is never coded by skin tone.

Because the faces are procedural, the perfect answer to a face swap exists:
``render_face("B", params_of_an_A_face)`` is exactly what swapping that A face
to B should give. :mod:`workshop_utils.metrics.swap_quality` uses this to measure swaps.

Faces are drawn with PIL at four times their size and downsampled with a
Lanczos filter, which smooths the edges. Images are ``float32`` arrays in
``[0, 1]`` in torch's channel-first layout: ``(3, size, size)`` for one face,
``(n, 3, size, size)`` for many.

Used in: solutions/03_autoencoder_faceswap, lessons/03_activism,
tools/train_faceswap_checkpoint.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .._validate import check_choice, check_int

__all__ = [
    "IDENTITIES",
    "PARAM_NAMES",
    "FaceSet",
    "FaceStyle",
    "interview_params",
    "make_faces",
    "param_index",
    "params_summary",
    "render_face",
    "render_faces",
    "render_interview",
    "sample_params",
]

#: The seven parameters of a face, in the order of the columns of a ``params`` array.
PARAM_NAMES = ("gaze_x", "gaze_y", "mouth_open", "eye_open", "shift_x", "shift_y", "background")
_INDEX = {name: i for i, name in enumerate(PARAM_NAMES)}
_SUPERSAMPLE = 4  # draw at 4x the final size, then downsample


@dataclass(frozen=True)
class FaceStyle:
    """What one cartoon identity looks like.

    Attributes
    ----------
    description : str
        The identity in words (also used as alt text).
    face_width, face_height : float
        Half-width and half-height of the face, as fractions of the image.
    skin, hair, iris, lips : tuple of int
        RGB colours.
    hair_style : str
        ``"bob"``, ``"flat_top"`` or ``"curls"``.
    glasses, beard, freckles : bool
        Accessories.
    """

    description: str
    face_width: float
    face_height: float
    skin: tuple[int, int, int]
    hair: tuple[int, int, int]
    iris: tuple[int, int, int]
    lips: tuple[int, int, int]
    hair_style: str
    glasses: bool = False
    beard: bool = False
    freckles: bool = False


#: The cartoon identities. "A" and "B" are the pair used for face swapping.
IDENTITIES: dict[str, FaceStyle] = {
    "A": FaceStyle("round yellow face, brown bob, blue eyes, pink lips",
                   0.27, 0.29, (242, 208, 74), (120, 72, 36), (40, 100, 220), (235, 110, 160), "bob"),
    "B": FaceStyle("narrow lavender face, black flat-top, glasses, beard, green eyes",
                   0.21, 0.31, (185, 166, 224), (25, 25, 30), (30, 160, 70), (150, 60, 90), "flat_top",
                   glasses=True, beard=True),
    "C": FaceStyle("oval mint face, orange curls, freckles, brown eyes, red lips",
                   0.24, 0.30, (150, 220, 180), (230, 120, 30), (110, 60, 20), (200, 40, 40), "curls",
                   freckles=True),
}


@dataclass
class FaceSet:
    """Rendered faces of one identity with the parameters that drew them.

    Attributes
    ----------
    identity : str
        The identity's name, a key of :data:`IDENTITIES`.
    images : numpy.ndarray
        ``float32`` array of shape ``(n, 3, size, size)`` in ``[0, 1]``.
    params : numpy.ndarray
        ``float32`` array of shape ``(n, 7)``; columns follow :data:`PARAM_NAMES`.
    """

    identity: str
    images: np.ndarray
    params: np.ndarray

    def __len__(self) -> int:
        return len(self.images)


def _check_identity(identity: str) -> FaceStyle:
    return IDENTITIES[check_choice("identity", identity, IDENTITIES)]


def _check_params(params, *, single: bool) -> np.ndarray:
    try:
        array = np.asarray(params, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"params must be an array of numbers, got {type(params).__name__}") from None
    if array.ndim != (1 if single else 2) or array.shape[-1] != len(PARAM_NAMES):
        shape = "(7,)" if single else "(n, 7)"
        raise ValueError(f"params must have shape {shape} with columns {PARAM_NAMES}; got shape {array.shape}")
    if array.size and (not np.all(np.isfinite(array)) or array.min() < 0 or array.max() > 1):
        raise ValueError("params must be finite numbers in [0, 1]")
    return array


def sample_params(n: int, seed: int | np.random.Generator | None = None) -> np.ndarray:
    """Draw ``n`` random face parameters, each uniform in ``[0, 1]``.

    Parameters
    ----------
    n : int
        Number of faces (at least 1).
    seed : int or numpy.random.Generator, optional
        Seed for reproducible parameters.

    Returns
    -------
    numpy.ndarray
        ``float32`` array of shape ``(n, 7)``; columns follow :data:`PARAM_NAMES`.
    """
    check_int("n", n, minimum=1)
    rng = np.random.default_rng(seed)
    return rng.random((n, len(PARAM_NAMES))).astype(np.float32)


def _ellipse(draw, cx: float, cy: float, rx: float, ry: float, fill=None, outline=None, width: int = 1) -> None:
    draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=fill, outline=outline, width=width)


def render_face(identity: str, params, size: int = 32) -> np.ndarray:
    """Draw one cartoon face.

    Parameters
    ----------
    identity : str
        A key of :data:`IDENTITIES`, e.g. ``"A"``.
    params : array-like of shape (7,)
        Numbers in ``[0, 1]`` in the order of :data:`PARAM_NAMES`: gaze
        left-right and up-down, mouth openness (0 closed), eye openness (0
        shut), head shift left-right and up-down (0.5 is centred) and the grey
        level of the background.
    size : int
        Width and height in pixels (at least 16).

    Returns
    -------
    numpy.ndarray
        ``float32`` array of shape ``(3, size, size)`` in ``[0, 1]``.
    """
    from PIL import Image, ImageDraw

    style = _check_identity(identity)
    p = dict(zip(PARAM_NAMES, _check_params(params, single=True)))
    check_int("size", size, minimum=16)
    s = size * _SUPERSAMPLE
    grey = int(round(255 * (0.15 + 0.7 * p["background"])))
    image = Image.new("RGB", (s, s), (grey, grey, grey))
    draw = ImageDraw.Draw(image)
    line = max(1, s // 64)

    cx = s * (0.5 + 0.16 * (p["shift_x"] - 0.5))
    cy = s * (0.53 + 0.16 * (p["shift_y"] - 0.5))
    fw, fh = s * style.face_width, s * style.face_height
    chin = fh * (1 + 0.18 * p["mouth_open"])  # the jaw drops as the mouth opens

    # Hair behind the face.
    if style.hair_style == "bob":
        _ellipse(draw, cx, cy - 0.06 * s, fw * 1.22, fh * 1.05, fill=style.hair)
        draw.rectangle([cx - fw * 1.22, cy - 0.06 * s, cx + fw * 1.22, cy + 0.55 * fh], fill=style.hair)
    elif style.hair_style == "curls":
        for k in range(11):
            angle = np.pi * (1.05 + 0.9 * k / 10)
            _ellipse(draw, cx + 1.02 * fw * np.cos(angle), cy - 0.05 * s + 1.0 * fh * np.sin(angle),
                     0.3 * fw, 0.3 * fw, fill=style.hair)

    # The face, and a beard over its lower part.
    draw.chord([cx - fw, cy - fh, cx + fw, cy + fh], 180, 360, fill=style.skin)
    draw.chord([cx - fw, cy - chin, cx + fw, cy + chin], 0, 180, fill=style.skin)
    mouth_y = cy + 0.5 * fh + 0.4 * (chin - fh)
    if style.beard:
        draw.chord([cx - fw, cy - chin, cx + fw, cy + chin], 22, 158, fill=style.hair)
        _ellipse(draw, cx, mouth_y, 0.62 * fw, 0.3 * fh, fill=style.skin)

    # Hair in front: a fringe, a flat-top or curls on the forehead.
    if style.hair_style == "bob":
        draw.chord([cx - fw * 1.05, cy - fh * 1.08, cx + fw * 1.05, cy + fh * 0.5], 180, 360, fill=style.hair)
    elif style.hair_style == "flat_top":
        draw.rectangle([cx - fw * 0.95, cy - fh * 1.25, cx + fw * 0.95, cy - fh * 0.62], fill=style.hair)
    else:
        for k in range(5):
            _ellipse(draw, cx + fw * (-0.6 + 0.3 * k), cy - 0.88 * fh, 0.22 * fw, 0.2 * fw, fill=style.hair)

    # Eyes: white, iris moved by the gaze, lids closing with eye_open.
    eye_dx, eye_y = 0.45 * fw, cy - 0.18 * fh
    eye_rx, eye_ry = 0.11 * s, (0.012 + 0.068 * p["eye_open"]) * s
    for side in (-1, 1):
        ex = cx + side * eye_dx
        _ellipse(draw, ex, eye_y, eye_rx, eye_ry, fill=(255, 255, 255))
        ix = ex + (p["gaze_x"] - 0.5) * 1.1 * eye_rx
        iy = eye_y + (p["gaze_y"] - 0.5) * 1.1 * eye_ry
        iris_r = min(0.055 * s, eye_ry)
        _ellipse(draw, ix, iy, iris_r, iris_r, fill=style.iris)
        _ellipse(draw, ix, iy, 0.45 * iris_r, 0.45 * iris_r, fill=(10, 10, 10))
        _ellipse(draw, ex, eye_y, eye_rx, eye_ry, outline=(40, 30, 30), width=line)
        if style.glasses:
            _ellipse(draw, ex, eye_y, eye_rx * 1.35, 0.1 * s, outline=(20, 20, 20), width=2 * line)
    if style.glasses:
        draw.line([cx - eye_dx + eye_rx * 1.35, eye_y, cx + eye_dx - eye_rx * 1.35, eye_y],
                  fill=(20, 20, 20), width=2 * line)
    if style.freckles:
        for side in (-1, 1):
            for k in range(3):
                _ellipse(draw, cx + side * (0.45 + 0.1 * k) * fw, cy + (0.12 + 0.06 * (k % 2)) * fh,
                         line, line, fill=style.hair)

    # Nose and mouth: the mouth opens from a closed line to a dark oval.
    draw.line([cx, cy + 0.02 * fh, cx - 0.06 * s * 0.3, cy + 0.2 * fh], fill=(60, 40, 40), width=line)
    mouth_rx = 0.09 * s
    mouth_ry = (0.015 + 0.09 * p["mouth_open"]) * s
    _ellipse(draw, cx, mouth_y, mouth_rx, mouth_ry, fill=(60, 5, 20), outline=style.lips, width=2 * line)

    small = image.resize((size, size), Image.LANCZOS)
    return (np.asarray(small, dtype=np.float32) / 255.0).transpose(2, 0, 1).copy()


def render_faces(identity: str, params, size: int = 32) -> np.ndarray:
    """Draw one face per row of ``params``.

    Parameters
    ----------
    identity : str
        A key of :data:`IDENTITIES`.
    params : array-like of shape (n, 7)
        One row of parameters per face (see :func:`render_face`).
    size : int
        Width and height in pixels.

    Returns
    -------
    numpy.ndarray
        ``float32`` array of shape ``(n, 3, size, size)``.
    """
    _check_identity(identity)
    rows = _check_params(params, single=False)
    check_int("size", size, minimum=16)
    if len(rows) == 0:
        raise ValueError("params must have at least one row")
    return np.stack([render_face(identity, row, size) for row in rows])


def make_faces(identity: str, n: int, seed: int | np.random.Generator | None = None, size: int = 32) -> FaceSet:
    """Render ``n`` faces of one identity with random parameters.

    Parameters
    ----------
    identity : str
        A key of :data:`IDENTITIES`.
    n : int
        Number of faces.
    seed : int or numpy.random.Generator, optional
        Seed of the parameters; the same seed gives the same parameters for
        every identity, so ``make_faces("B", n, seed)`` is the ground-truth
        swap of ``make_faces("A", n, seed)``.
    size : int
        Width and height in pixels.

    Returns
    -------
    FaceSet
        The images and the parameters that drew them.
    """
    params = sample_params(n, seed)
    return FaceSet(identity, render_faces(identity, params, size), params)


def interview_params(n_frames: int = 48, seed: int | None = 0) -> np.ndarray:
    """Parameters of a short "interview": a witness talking to the camera.

    The mouth opens and closes in syllables, the head sways slowly, the eyes
    blink now and then and wander a little, and the background stays fixed.

    Parameters
    ----------
    n_frames : int
        Number of frames (at least 2).
    seed : int, optional
        Seed of the random rhythm of speech and movement.

    Returns
    -------
    numpy.ndarray
        ``float32`` array of shape ``(n_frames, 7)``; columns follow :data:`PARAM_NAMES`.
    """
    check_int("n_frames", n_frames, minimum=2)
    rng = np.random.default_rng(seed)
    t = np.arange(n_frames, dtype=float)
    params = np.empty((n_frames, len(PARAM_NAMES)))
    syllable = 2 * np.pi / rng.uniform(3.0, 5.0)
    loudness = 0.5 + 0.5 * np.sin(2 * np.pi * t / rng.uniform(14, 22) + rng.uniform(0, 6.3))
    params[:, _INDEX["mouth_open"]] = loudness * (0.5 + 0.5 * np.sin(syllable * t + rng.uniform(0, 6.3)))
    for name, period, amplitude in [("shift_x", 30, 0.35), ("shift_y", 41, 0.2),
                                    ("gaze_x", 23, 0.25), ("gaze_y", 37, 0.2)]:
        params[:, _INDEX[name]] = 0.5 + amplitude * np.sin(2 * np.pi * t / period + rng.uniform(0, 6.3))
    eyes = np.full(n_frames, 0.8)
    for blink in rng.choice(n_frames, size=max(1, n_frames // 16), replace=False):
        eyes[blink] = 0.05
    params[:, _INDEX["eye_open"]] = eyes
    params[:, _INDEX["background"]] = rng.uniform(0.3, 0.7)
    return np.clip(params, 0.0, 1.0).astype(np.float32)


def render_interview(identity: str, n_frames: int = 48, seed: int | None = 0, size: int = 32) -> FaceSet:
    """Render the frames of a short interview (see :func:`interview_params`).

    Parameters
    ----------
    identity : str
        Who is talking, a key of :data:`IDENTITIES`.
    n_frames : int
        Number of frames.
    seed : int, optional
        Seed of the movement; the same seed gives the same performance for
        every identity.
    size : int
        Width and height in pixels.

    Returns
    -------
    FaceSet
        The frames in order and their parameters.
    """
    params = interview_params(n_frames, seed)
    return FaceSet(identity, render_faces(identity, params, size), params)


def param_index(name: str) -> int:
    """Column of a parameter in a ``params`` array, e.g. ``param_index("mouth_open") == 2``."""
    return _INDEX[check_choice("name", name, PARAM_NAMES)]


def params_summary(params: Sequence[float]) -> str:
    """Describe one row of parameters in words, e.g. for alt text."""
    p = dict(zip(PARAM_NAMES, _check_params(params, single=True)))
    mouth = "open" if p["mouth_open"] > 0.5 else "closed"
    eyes = "open" if p["eye_open"] > 0.3 else "nearly shut"
    return f"mouth {mouth} ({p['mouth_open']:.2f}), eyes {eyes} ({p['eye_open']:.2f})"
