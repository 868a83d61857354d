"""The workshop images that lesson 08 marks, signs and hashes (all made here, none of a real person).

invisible-watermark needs at least 256 x 256 pixels, but the workshop's face-swap
network draws 32 x 32 faces. So the watermark section marks a **contact sheet**
of 64 faces the shipped network drew (real model output, 256 x 256), which is
what a generator's "save grid" step writes. The fingerprint section uses faces
the cartoon renderer draws directly at 256 x 256, because there we need to know
which face is which.

Used in: lessons/08_watermarks_and_provenance.
"""

from __future__ import annotations

import numpy as np

from .._validate import check_choice, check_int
from ..datasets import faces

__all__ = ["grid", "model_face_grid", "procedural_faces"]


def grid(images: np.ndarray, columns: int):
    """Tile ``(n, 3, s, s)`` float images in [0, 1] into one PIL RGB image with ``columns`` columns."""
    from PIL import Image

    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4 or images.shape[1] != 3:
        raise ValueError(f"images must have shape (n, 3, size, size), got {images.shape}")
    check_int("columns", columns, minimum=1)
    n, _, height, width = images.shape
    rows = -(-n // columns)
    sheet = np.zeros((rows * height, columns * width, 3), dtype=np.float32)
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        sheet[r * height:(r + 1) * height, c * width:(c + 1) * width] = image.transpose(1, 2, 0)
    return Image.fromarray(np.round(np.clip(sheet, 0, 1) * 255).astype(np.uint8), "RGB")


def procedural_faces(n: int, identity: str = "A", seed: int = 0, size: int = 256) -> list:
    """``n`` cartoon faces of one identity drawn directly at ``size`` pixels (PIL images, about 0.1 s each)."""
    check_int("n", n, minimum=1)
    check_choice("identity", identity, faces.IDENTITIES)
    drawn = faces.render_faces(identity, faces.sample_params(n, seed), size)
    return [grid(face[None], 1) for face in drawn]


def model_face_grid(seed: int = 0, to: str = "B", columns: int = 8, model=None):
    """A contact sheet of ``columns**2`` faces drawn by the shipped face-swap network (256 x 256 for 8 columns).

    Parameters
    ----------
    seed : int
        Seed of the identity-A faces that the network swaps.
    to : str
        Whose decoder draws them.
    columns : int
        Faces per row and per column.
    model : FaceSwapModel, optional
        A loaded model (loaded from the shipped checkpoint when omitted).
    """
    import torch

    from ..models import faceswap

    check_int("columns", columns, minimum=1)
    model = model if model is not None else faceswap.load_model(verbose=False)
    source = faces.make_faces("A", columns * columns, seed=seed).images
    with torch.no_grad():
        drawn = faceswap.swap(model, torch.as_tensor(source), to).numpy()
    return grid(drawn, columns)
