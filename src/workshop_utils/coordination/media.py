"""Synthetic media for the planted accounts: model-written headlines and model-drawn profile photos.

- :func:`model_headlines` asks the workshop's pretrained character model
  (``models.charlm``, lesson 04) to continue a town name, one line per
  headline. The model is small and was trained on invented headlines and
  reviews, so some lines are garbled: they are what a tiny model writes, not
  examples of convincing fakes.
- :func:`profile_photos` gives every account a 32x32 picture. The push cells'
  "personal photos" are drawn by the workshop's face-swap model
  (``models.faceswap``, lesson 03): one model draws all of them. Other
  accounts' personal photos are cartoon faces rendered directly
  (``datasets.faces``); pages get a logo tile, some people a default avatar.
  No real person's face is used or imitated.

Both import torch; call them only where the lesson needs them.

Used in: lessons/06_coordination_lab.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._validate import check_int

__all__ = ["model_headlines", "profile_photos"]


def model_headlines(n: int, seed: int = 0, temperature: float = 0.8) -> list[str]:
    """``n`` headlines written by the workshop's pretrained character model.

    Each line starts with an invented town name (the prompt) that the model
    continues until it ends the line (at most 90 characters).

    Parameters
    ----------
    n : int
        How many lines (0 or more).
    seed : int
        Same seed, same lines.
    temperature : float
        Sampling temperature.

    Returns
    -------
    list of str
    """
    from ..datasets import text_corpus
    from ..models import charlm

    n = check_int("n", n, minimum=0)
    seed = check_int("seed", seed, minimum=0)
    if n == 0:
        return []
    model, vocab = charlm.pretrained()
    towns = text_corpus.TOWNS
    lines = []
    for k in range(n):
        town = towns[(seed + k) % len(towns)]
        text = charlm.generate(model, vocab, 90, temperature=temperature, prompt="\n" + town,
                               seed=seed * 1000 + k, stop_at_newline=True)
        lines.append((town + text).strip())
    return lines


def _tile(colour: Sequence[float], size: int, pattern: int) -> np.ndarray:
    """A logo: a coloured tile with a light square or disc in the middle."""
    image = np.ones((3, size, size), np.float32) * np.asarray(colour, np.float32)[:, None, None]
    yy, xx = np.mgrid[0:size, 0:size]
    c = (size - 1) / 2
    mark = (np.abs(yy - c) < size / 5) & (np.abs(xx - c) < size / 5) if pattern else (yy - c) ** 2 + (xx - c) ** 2 < (size / 4) ** 2
    image[:, mark] = 0.95
    return image


def _avatar(size: int) -> np.ndarray:
    """A default avatar: a grey head-and-shoulders silhouette."""
    image = np.full((3, size, size), 0.85, np.float32)
    yy, xx = np.mgrid[0:size, 0:size]
    head = (yy - size * 0.38) ** 2 + (xx - size / 2) ** 2 < (size * 0.18) ** 2
    body = ((yy - size * 1.0) ** 2 / (size * 0.4) ** 2 + (xx - size / 2) ** 2 / (size * 0.35) ** 2) < 1
    image[:, head | body] = 0.55
    return image


def profile_photos(log: Any, account_ids: Sequence[Any], size: int = 32) -> np.ndarray:
    """The profile pictures of some accounts of a generated log.

    Parameters
    ----------
    log : EventLog
        A log generated with ``metadata=True``.
    account_ids : sequence
        Accounts to draw, in order.
    size : int
        Must be 32 (the face-swap model's size).

    Returns
    -------
    numpy.ndarray
        Shape ``(n, 3, 32, 32)``, values in ``[0, 1]``.
    """
    import torch

    from ..datasets import faces
    from ..models import faceswap

    if getattr(log, "accounts", None) is None:
        raise ValueError("log has no account table: generate it with metadata=True")
    check_int("size", size, minimum=32, maximum=32)
    ids = list(account_ids)
    table = log.accounts.set_index("account_id")
    unknown = [a for a in ids if a not in table.index]
    if unknown:
        raise KeyError(f"account_ids: no such account(s) in this log: {unknown[:5]}")
    generated = set(log.truth.loc[log.truth["kind"] == "push", "account_id"])
    images = np.zeros((len(ids), 3, size, size), np.float32)
    to_swap: list[tuple[int, np.ndarray]] = []
    for k, account in enumerate(ids):
        rng = np.random.default_rng([int(log.params["seed"]), zlib.crc32(str(account).encode())])
        kind = table.at[account, "profile_photo"]
        if kind == "logo":
            images[k] = _tile(rng.uniform(0.15, 0.7, 3), size, int(rng.integers(2)))
        elif kind == "default avatar":
            images[k] = _avatar(size)
        elif account in generated:
            to_swap.append((k, rng.random(len(faces.PARAM_NAMES)).astype(np.float32)))
        else:
            identity = str(rng.choice(sorted(faces.IDENTITIES)))
            images[k] = faces.render_face(identity, rng.random(len(faces.PARAM_NAMES)), size)
    if to_swap:
        model = faceswap.load_model(verbose=False)
        sources = faces.render_faces("A", np.stack([params for _, params in to_swap]), size)
        with torch.no_grad():
            drawn = faceswap.swap(model, torch.as_tensor(sources), to="B").numpy()
        for (k, _), image in zip(to_swap, drawn):
            images[k] = image
    return np.clip(images, 0.0, 1.0)
