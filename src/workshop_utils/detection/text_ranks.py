"""GLTR-style detection of generated text: how often is each character the model's top guess?

GLTR (Gehrmann, Strobelt & Rush, ACL 2019) runs a language model over a text
and colours each token by its *rank* among the model's predictions (top 10,
top 100, top 1,000, beyond). Text sampled with a low temperature or other
truncation is dominated by top-ranked tokens; people's text uses more
surprising ones. The same test here runs with the workshop's character model
(:mod:`workshop_utils.models.charlm`) on the text it generates, so it is a
*white-box* test: the detector uses the generator's own model. With 70-odd
characters in the vocabulary the buckets are ranks 1, 2-3, 4-10 and beyond 10.

Per passage, :func:`rank_features` measures three numbers: the share of
characters that were the model's top guess, the share within its top three,
and the mean log-probability. Each can be used directly as a detector score;
:func:`rank_auc` measures how well it separates real from generated passages.

Used in: lessons/07_detecting_synthetic_media.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .._validate import check_int
from .images import check_scores

__all__ = ["BUCKETS", "FEATURES", "plot_rank_buckets", "rank_auc", "rank_buckets", "rank_features", "real_passages"]

#: Columns of :func:`rank_features`.
FEATURES = ("top-1 share", "top-3 share", "mean log-probability")

#: Rank buckets of :func:`rank_buckets` (upper edges, inclusive) and their labels.
BUCKETS = ((1, "rank 1"), (3, "ranks 2-3"), (10, "ranks 4-10"), (None, "rank > 10"))


def real_passages(text: str, n: int, length: int) -> list[str]:
    """``n`` passages of ``length`` characters from ``text``, each starting at the start of a line.

    Whole lines are gathered until a passage is long enough, then it is cut to
    ``length``; the next passage starts at the next line, so passages never overlap.
    """
    if not isinstance(text, str) or not text:
        raise ValueError("text must be a non-empty string")
    check_int("n", n, minimum=1)
    check_int("length", length, minimum=1)
    passages, current = [], ""
    for line in text.splitlines(keepends=True):
        current += line
        if len(current) >= length:
            passages.append(current[:length])
            current = ""
            if len(passages) == n:
                return passages
    raise ValueError(f"the text holds only {len(passages)} passages of {length} characters; asked for {n}")


def _ranks_and_logp(model: Any, vocab: Any, passages: Sequence[str]):
    import torch

    if isinstance(passages, str) or not passages or not all(isinstance(p, str) and p for p in passages):
        raise ValueError("passages must be a non-empty list of non-empty strings")
    lengths = sorted({len(p) for p in passages})
    if len(lengths) != 1:
        raise ValueError(f"passages must all have the same length (they are scored in one batch), got {lengths[:5]}")
    ids = torch.stack([vocab.encode("\n" + p) for p in passages])
    model.eval()
    with torch.no_grad():
        logits, _ = model(ids[:, :-1])  # each passage is read after a line break
    targets = ids[:, 1:, None]
    ranks = (logits > logits.gather(-1, targets)).sum(-1) + 1
    logp = torch.log_softmax(logits, -1).gather(-1, targets)[..., 0]
    return ranks.numpy(), logp.numpy()


def rank_features(model: Any, vocab: Any, passages: Sequence[str]) -> np.ndarray:
    """Per passage: share of rank-1 characters, share of ranks 1-3, mean log-probability (nats).

    Parameters
    ----------
    model, vocab : CharLM, Vocabulary
        The scoring model (e.g. ``charlm.pretrained()``).
    passages : list of str
        Passages of one length, all in the model's vocabulary.

    Returns
    -------
    numpy.ndarray
        ``(len(passages), 3)``, columns as in :data:`FEATURES`.
    """
    ranks, logp = _ranks_and_logp(model, vocab, passages)
    return np.stack([(ranks == 1).mean(1), (ranks <= 3).mean(1), logp.mean(1)], axis=1)


def rank_buckets(model: Any, vocab: Any, passages: Sequence[str]) -> np.ndarray:
    """Share of each passage's characters in each rank bucket of :data:`BUCKETS`, shape ``(n, 4)``."""
    ranks, _ = _ranks_and_logp(model, vocab, passages)
    shares, low = [], 0
    for high, _label in BUCKETS:
        inside = ranks > low if high is None else (ranks > low) & (ranks <= high)
        shares.append(inside.mean(1))
        low = high if high is not None else low
    return np.stack(shares, axis=1)


def rank_auc(real_features: Any, fake_features: Any, column: int | str = 0) -> float:
    """ROC AUC of one feature used as the score "generated": 0.5 is chance, 1 perfect, below 0.5 inverted.

    Parameters
    ----------
    real_features, fake_features : array-like
        Outputs of :func:`rank_features` (or 1-D scores).
    column : int or str
        Which feature (index or a name in :data:`FEATURES`).
    """
    from sklearn.metrics import roc_auc_score

    if isinstance(column, str):
        if column not in FEATURES:
            raise ValueError(f"column must be one of {FEATURES} or an index, got {column!r}")
        column = FEATURES.index(column)
    real, fake = np.asarray(real_features, dtype=float), np.asarray(fake_features, dtype=float)
    if real.ndim == 2:
        real, fake = real[:, column], fake[:, column]
    real, fake = check_scores(real, fake)
    return float(roc_auc_score(np.r_[np.zeros(len(real)), np.ones(len(fake))], np.r_[real, fake]))


def plot_rank_buckets(buckets: Mapping[str, Any], title: str = "Where each character ranks among the model's guesses"):
    """Stacked bars: average share of characters per rank bucket, one bar per text source.

    Parameters
    ----------
    buckets : dict of str to array
        ``{source label: rank_buckets(...) result}``.

    Returns
    -------
    workshop_utils.plotting.AccessibleFigure
    """
    from ..plotting import OKABE_ITO, AccessibleFigure, new_figure

    if not isinstance(buckets, Mapping) or not buckets:
        raise ValueError("buckets must be a non-empty dict {source label: rank_buckets(...) result}")
    means = {}
    for label, shares in buckets.items():
        shares = np.asarray(shares, dtype=float)
        if shares.ndim != 2 or shares.shape[1] != len(BUCKETS) or len(shares) == 0:
            raise ValueError(f"buckets[{label!r}] must have shape (n, {len(BUCKETS)}), got {shares.shape}")
        means[label] = shares.mean(0)
    fig, (ax,) = new_figure(1, width=6.5, height=3.4)
    colours = [OKABE_ITO[c] for c in ("green", "yellow", "vermillion", "purple")]
    hatches = ["", "//", "..", "xx"]
    names = list(means)
    left = np.zeros(len(names))
    for k, (_, label) in enumerate(BUCKETS):
        values = np.array([means[n][k] for n in names])
        ax.barh(names, values, left=left, color=colours[k], hatch=hatches[k], edgecolor="white", label=label)
        left += values
    ax.set_xlim(0.8, 1.0)
    ax.set_xlabel("share of characters (axis starts at 0.8; the rest is rank 1)")
    ax.invert_yaxis()
    ax.legend(fontsize=8, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.25))
    ax.set_title(title, fontsize=10)
    alt = ("Stacked bars of the share of characters by rank among the model's guesses, per text source: " +
           "; ".join(f"{n}: " + ", ".join(f"{label} {means[n][k]:.3f}" for k, (_, label) in enumerate(BUCKETS))
                     for n in names) + ".")
    return AccessibleFigure(fig, alt)
