"""A green-list text watermark (Kirchenbauer et al., 2023) for the workshop's character model.

Before each character the generator looks at the previous characters (the
*context*) and a secret *key*, and uses them to seed a random split of the
vocabulary: a share ``gamma`` of the characters is *green*, the rest red. It
adds ``delta`` to the logits of the green characters, so watermarked text uses
green characters more often than chance. A detector that knows the key, but
not the model, counts the green characters and computes the one-proportion
z-score

    z = (|s|_G - gamma * T) / sqrt(T * gamma * (1 - gamma))

where ``T`` is the number of characters scored and ``|s|_G`` the number that
were green. Text written without the key gives z near 0; the authors' default
threshold is z > 4.

The authors seed the list with the previous *token*. For a vocabulary of 72
characters that gives only 72 green lists per key, and a handful of frequent
character pairs decide the green share of any text, so real text's z-score
depends on the key. We seed with the previous ``width`` characters (4 by
default); lesson 08 measures both.

The seeding rule, exactly (exercise 07 follows the same rule)::

    seed = int.from_bytes(sha256(f"{key}:{context}".encode("utf-8")).digest()[:8], "big")
    perm = torch.randperm(V, generator=torch.Generator().manual_seed(seed))
    green ids = perm[: round(gamma * V)]

No usable library implements this for a character model without heavy
dependencies (transformers' implementation works only with transformers
models), so this module is ours.

Used in: lessons/08_watermarks_and_provenance, solutions/07_text_watermark (locked cells).
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch

from .._validate import check_int, check_number

__all__ = [
    "DEFAULT_KEY",
    "Detection",
    "GreenLists",
    "delete_every",
    "detect",
    "generate_batch",
    "green_list",
    "mean_logprob",
    "replace_every",
    "swap_words",
    "watermark_logits",
    "z_score",
]

#: The key of the lesson's demonstration: the authors' default ``hash_key``. A real provider keeps its key secret.
DEFAULT_KEY = 15485863


def _check_gamma(gamma: float) -> float:
    gamma = check_number("gamma", gamma)
    if not 0 < gamma < 1:
        raise ValueError(f"gamma (the green share of the vocabulary) must be between 0 and 1, got {gamma!r}")
    return gamma


def green_list(context: str, key: int, vocab_size: int, gamma: float = 0.5) -> torch.Tensor:
    """Boolean mask over the vocabulary: True for the ids that are green after ``context``.

    Parameters
    ----------
    context : str
        The text just before the next character (the previous ``width`` characters).
    key : int
        The secret key.
    vocab_size : int
        Number of characters in the vocabulary.
    gamma : float
        Share of the vocabulary that is green.

    Returns
    -------
    torch.Tensor
        ``bool`` tensor of shape ``(vocab_size,)`` with exactly ``round(gamma * vocab_size)`` True.
    """
    if not isinstance(context, str) or not context:
        raise ValueError(f"context must be a non-empty string (the previous character(s)), got {context!r}")
    check_int("key", key)
    check_int("vocab_size", vocab_size, minimum=2)
    gamma = _check_gamma(gamma)
    seed = int.from_bytes(hashlib.sha256(f"{key}:{context}".encode("utf-8")).digest()[:8], "big")
    perm = torch.randperm(vocab_size, generator=torch.Generator().manual_seed(seed))
    mask = torch.zeros(vocab_size, dtype=torch.bool)
    mask[perm[: round(gamma * vocab_size)]] = True
    return mask


def watermark_logits(logits: torch.Tensor, green: torch.Tensor, delta: float) -> torch.Tensor:
    """``logits`` with ``delta`` added where ``green`` is True (the last dimension runs over the vocabulary)."""
    check_number("delta", delta, minimum=0.0)
    return logits + delta * green.to(logits.dtype)


class GreenLists:
    """The green lists of one key, computed on demand and remembered.

    Parameters
    ----------
    vocab : workshop_utils.models.charlm.Vocabulary
        The model's vocabulary.
    key : int
        The secret key.
    gamma : float
        Share of the vocabulary that is green.
    width : int
        How many previous characters seed each list (1 = the previous character only).
    green_list_fn : callable, optional
        ``f(context, key, vocab_size, gamma) -> bool mask``; defaults to :func:`green_list`.
    """

    def __init__(self, vocab, key: int = DEFAULT_KEY, gamma: float = 0.5, width: int = 4,
                 green_list_fn: Callable | None = None):
        if not hasattr(vocab, "index") or not hasattr(vocab, "chars"):
            raise TypeError(f"vocab must be a charlm.Vocabulary, got {type(vocab).__name__}")
        self.vocab = vocab
        self.key = check_int("key", key)
        self.gamma = _check_gamma(gamma)
        self.width = check_int("width", width, minimum=1)
        self._green_list = green_list_fn or green_list
        self._cache: dict[str, tuple[torch.Tensor, list[bool]]] = {}

    def __repr__(self) -> str:
        return f"GreenLists(key={self.key}, gamma={self.gamma}, width={self.width}, {len(self._cache)} lists made)"

    def __call__(self, context: str) -> torch.Tensor:
        """The green mask after the last ``width`` characters of ``context``."""
        return self._entry(context[-self.width:])[0]

    def _entry(self, context: str) -> tuple[torch.Tensor, list[bool]]:
        entry = self._cache.get(context)
        if entry is None:
            mask = torch.as_tensor(self._green_list(context, self.key, len(self.vocab), self.gamma), dtype=torch.bool)
            entry = self._cache[context] = (mask, mask.tolist())
        return entry

    def count(self, text: str) -> tuple[int, int]:
        """(green, scored): every character after the first ``width`` is scored against the ``width`` before it.

        Characters outside the vocabulary are not scored.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a string, got {type(text).__name__}")
        index, width = self.vocab.index, self.width
        green = scored = 0
        for i in range(width, len(text)):
            nxt = index.get(text[i])
            if nxt is None:
                continue
            scored += 1
            green += self._entry(text[i - width:i])[1][nxt]
        return green, scored


def z_score(n_green: int, n_scored: int, gamma: float = 0.5) -> float:
    """The one-proportion z statistic of ``n_green`` green characters among ``n_scored``."""
    check_int("n_scored", n_scored, minimum=1)
    check_int("n_green", n_green, minimum=0, maximum=n_scored)
    gamma = _check_gamma(gamma)
    return (n_green - gamma * n_scored) / math.sqrt(n_scored * gamma * (1 - gamma))


@dataclass(frozen=True)
class Detection:
    """The result of :func:`detect`.

    Attributes
    ----------
    n_scored, n_green : int
        Characters scored, and how many of them were green.
    z, p_value : float
        The z-score and its one-sided normal p-value.
    watermarked : bool
        Whether z is above the threshold.
    """

    n_scored: int
    n_green: int
    z: float
    p_value: float
    watermarked: bool

    def __str__(self) -> str:
        verdict = "watermark detected" if self.watermarked else "no watermark found"
        return (f"{self.n_green} of {self.n_scored} characters green ({self.n_green / self.n_scored:.0%}); "
                f"z = {self.z:.2f}, p = {self.p_value:.2g}: {verdict}")


def detect(text: str, lists: GreenLists, threshold: float = 4.0) -> Detection:
    """Count the green characters of ``text`` with the green lists of one key, and test.

    Parameters
    ----------
    text : str
        The text to test; it needs more characters than ``lists.width``.
    lists : GreenLists
        The key's green lists.
    threshold : float
        Detected when z > threshold.
    """
    if not isinstance(lists, GreenLists):
        raise TypeError(f"lists must be a GreenLists, got {type(lists).__name__}")
    check_number("threshold", threshold)
    green, scored = lists.count(text)
    if scored == 0:
        raise ValueError(f"text has no character to score: it needs more than {lists.width} characters "
                         "from the vocabulary")
    z = z_score(green, scored, lists.gamma)
    return Detection(scored, green, z, 0.5 * math.erfc(z / math.sqrt(2)), z > threshold)


@torch.no_grad()
def generate_batch(model, vocab, n: int, n_chars: int, *, delta: float = 0.0, lists: GreenLists | None = None,
                   bias: Callable[[torch.Tensor, str], torch.Tensor] | None = None, temperature: float = 1.0,
                   prompt: str | Sequence[str] = "\n", seed: int = 0) -> list[str]:
    """Sample ``n`` passages of ``n_chars`` characters together, optionally watermarked.

    Parameters
    ----------
    model, vocab : CharLM, Vocabulary
        The model and its vocabulary.
    n, n_chars : int
        How many passages, and how long.
    delta : float
        Added to the green logits (with ``lists``); 0 gives plain samples.
    lists : GreenLists, optional
        The key's green lists; needed when ``delta > 0``.
    bias : callable, optional
        ``bias(logits, text_so_far) -> logits`` for one passage's next character,
        instead of ``delta`` and ``lists`` (exercise 07 passes the student's function).
    temperature : float
        Sampling temperature.
    prompt : str or sequence of str
        One prompt for all, or ``n`` prompts of equal length (to continue given texts).
    seed : int
        Seed of the sampling, for repeatable passages.

    Returns
    -------
    list of str
        The new characters of each passage (without the prompt).
    """
    check_int("n", n, minimum=1)
    check_int("n_chars", n_chars, minimum=1)
    check_number("delta", delta, minimum=0.0)
    check_number("temperature", temperature, minimum=0.0, strict_minimum=True)
    if delta > 0 and lists is None:
        raise ValueError("a watermark (delta > 0) needs lists, the GreenLists of your key")
    if bias is not None and delta > 0:
        raise ValueError("give either bias or delta with lists, not both")
    prompts = [prompt] * n if isinstance(prompt, str) else list(prompt)
    if len(prompts) != n or not prompts[0] or len({len(p) for p in prompts}) != 1:
        raise ValueError("prompt must be one non-empty string, or n strings of equal length")
    generator = torch.Generator().manual_seed(seed)
    model.eval()
    logits, state = model(torch.stack([vocab.encode(p) for p in prompts]))
    texts = list(prompts)
    for _ in range(n_chars):
        scores = logits[:, -1]
        if bias is not None:
            scores = torch.stack([bias(row, text) for row, text in zip(scores, texts)])
        elif delta > 0:
            scores = watermark_logits(scores, torch.stack([lists(t) for t in texts]), delta)
        nxt = torch.multinomial(torch.softmax(scores / temperature, -1), 1, generator=generator)[:, 0]
        texts = [t + vocab.chars[i] for t, i in zip(texts, nxt.tolist())]
        logits, state = model(nxt[:, None], state)
    return [t[len(p):] for t, p in zip(texts, prompts)]


@torch.no_grad()
def mean_logprob(model, vocab, texts: Sequence[str]) -> float:
    """Mean log-probability per character (nats) of ``texts`` under ``model``, each read after a line break.

    ``exp(-mean_logprob)`` is the perplexity. Texts of equal length are scored in one batch.
    """
    import torch.nn.functional as F

    if isinstance(texts, str) or not texts:
        raise ValueError("texts must be a non-empty list of strings")
    model.eval()
    by_length: dict[int, list[str]] = {}
    for text in texts:
        by_length.setdefault(len(text), []).append(text)
    total, count = 0.0, 0
    for group in by_length.values():
        ids = torch.stack([vocab.encode("\n" + t) for t in group])
        logits, _ = model(ids[:, :-1])
        total -= F.cross_entropy(logits.reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1), reduction="sum").item()
        count += ids[:, 1:].numel()
    return total / count


# --- edits that an evader (or an honest editor) makes -------------------------------------

def replace_every(text: str, k: int, vocab, seed: int = 0) -> str:
    """Replace every ``k``-th character by a random other letter of the vocabulary (a crude typo attack)."""
    check_int("k", k, minimum=1)
    rng = random.Random(seed)
    letters = [c for c in vocab.chars if c.isalpha()]
    chars = list(text)
    for i in range(k - 1, len(chars), k):
        chars[i] = rng.choice([c for c in letters if c != chars[i]])
    return "".join(chars)


def delete_every(text: str, k: int) -> str:
    """Delete every ``k``-th character."""
    check_int("k", k, minimum=2)
    return "".join(c for i, c in enumerate(text, 1) if i % k)


def swap_words(text: str, share: float, seed: int = 0) -> str:
    """Swap ``share`` of the neighbouring word pairs on each line (the order changes, the words do not)."""
    check_number("share", share, minimum=0.0, maximum=1.0)
    rng = random.Random(seed)
    lines = []
    for line in text.split("\n"):
        words = line.split(" ")
        for i in range(0, len(words) - 1, 2):
            if rng.random() < share:
                words[i], words[i + 1] = words[i + 1], words[i]
        lines.append(" ".join(words))
    return "\n".join(lines)
