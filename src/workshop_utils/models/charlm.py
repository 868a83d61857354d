"""A character-level language model: predict the next character, then sample.

A language model gives a probability to every possible next character,
given the text so far. This one reads text one character at a time: an
embedding turns each character into a vector, a GRU (a recurrent network)
updates a memory of what it has read, and a linear layer turns that memory
into one score (*logit*) per character of the vocabulary.

- **Training** shows it windows of real text and lowers the cross-entropy
  between its predictions and the characters that really come next.
- **Sampling** writes new text: turn the logits into probabilities with a
  *temperature* ``T`` (``softmax(logits / T)``), draw a character, feed it
  back in, repeat. ``T < 1`` sharpens the distribution (safe, repetitive
  text; ``T -> 0`` always takes the most likely character), ``T > 1``
  flattens it (varied, error-prone text).
- **Perplexity** measures how surprised the model is by real text:
  ``exp(mean negative log-likelihood per character)``. Bits per character
  are the same number in base 2: ``mean NLL / ln 2``.

The default size (embedding 32, GRU 128: about 73k parameters) learns the
small_town_text corpus in tens of seconds on one CPU thread.

Used in: lessons/04_industry, solutions/04_text_generation, tools/train_charlm_checkpoint.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .._validate import check_int, check_number

__all__ = [
    "CHECKPOINT",
    "CharLM",
    "TextScore",
    "Vocabulary",
    "build_pretrained",
    "char_ranks",
    "evaluate_text",
    "generate",
    "generate_batch",
    "make_optimizer",
    "mean_nll",
    "plot_bits_per_char",
    "pretrained",
    "random_batch",
    "sample_next",
    "temperature_probs",
    "text_logits",
    "train_charlm",
    "train_step",
    "unigram_bpc",
    "uniform_bpc",
]

#: Name of the shipped pretrained checkpoint.
CHECKPOINT = "small_town_charlm"


class Vocabulary:
    """The characters a model knows, each with a whole-number id.

    Parameters
    ----------
    chars : iterable of str
        The characters; duplicates are dropped and the rest sorted, so the
        same characters always get the same ids.
    """

    def __init__(self, chars: Iterable[str]):
        chars = sorted(set(chars))
        if not chars or not all(isinstance(c, str) and len(c) == 1 for c in chars):
            raise ValueError("chars must be a non-empty collection of single characters")
        self.chars = chars
        self.index = {c: i for i, c in enumerate(chars)}

    @classmethod
    def from_text(cls, text: str) -> Vocabulary:
        """The vocabulary of every character that occurs in ``text``."""
        if not isinstance(text, str) or not text:
            raise ValueError("text must be a non-empty string")
        return cls(text)

    def __len__(self) -> int:
        return len(self.chars)

    def __contains__(self, char: object) -> bool:
        return char in self.index

    def __repr__(self) -> str:
        return f"Vocabulary({len(self)} characters: {''.join(self.chars)!r})"

    def encode(self, text: str) -> torch.Tensor:
        """Turn text into a 1-D tensor of character ids.

        Raises
        ------
        ValueError
            If the text contains characters outside the vocabulary (it names them).
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a string, got {type(text).__name__}")
        unknown = sorted(set(text) - set(self.index))
        if unknown:
            raise ValueError(f"text contains characters outside the vocabulary: {unknown}")
        return torch.tensor([self.index[c] for c in text], dtype=torch.long)

    def decode(self, ids: Iterable[int] | torch.Tensor) -> str:
        """Turn character ids back into text."""
        if isinstance(ids, torch.Tensor):
            ids = ids.flatten().tolist()
        ids = list(ids)
        bad = [i for i in ids if not isinstance(i, int) or not 0 <= i < len(self)]
        if bad:
            raise ValueError(f"ids must be whole numbers from 0 to {len(self) - 1}; got {bad[:5]}")
        return "".join(self.chars[i] for i in ids)


class CharLM(nn.Module):
    """Embedding -> GRU -> linear: one logit per vocabulary character at every position.

    Parameters
    ----------
    vocab_size : int
        Number of characters in the vocabulary.
    embed_dim : int
        Size of each character's vector.
    hidden : int
        Size of the GRU's memory.
    """

    def __init__(self, vocab_size: int, embed_dim: int = 32, hidden: int = 128):
        super().__init__()
        self.vocab_size = check_int("vocab_size", vocab_size, minimum=2)
        self.embed = nn.Embedding(vocab_size, check_int("embed_dim", embed_dim, minimum=1))
        self.rnn = nn.GRU(embed_dim, check_int("hidden", hidden, minimum=1), batch_first=True)
        self.head = nn.Linear(hidden, vocab_size)

    def forward(self, ids: torch.Tensor, state: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Logits of shape ``(batch, length, vocab_size)`` for ids of shape ``(batch, length)``.

        Also returns the GRU's memory after the last character, to continue
        from there (pass it back as ``state``).
        """
        if ids.dim() != 2:
            raise ValueError(f"ids must have shape (batch, length), got {tuple(ids.shape)}")
        memory, state = self.rnn(self.embed(ids), state)
        return self.head(memory), state


def random_batch(
    data: torch.Tensor, batch_size: int, seq_len: int, generator: torch.Generator | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Cut ``batch_size`` random windows of ``seq_len + 1`` characters from ``data``.

    Returns
    -------
    (inputs, targets)
        Two ``(batch_size, seq_len)`` tensors; ``targets`` is ``inputs``
        shifted by one character: the character the model must predict.
    """
    check_int("batch_size", batch_size, minimum=1)
    check_int("seq_len", seq_len, minimum=1)
    if not isinstance(data, torch.Tensor) or data.dim() != 1 or len(data) <= seq_len + 1:
        raise ValueError(f"data must be a 1-D tensor of ids longer than seq_len + 1 = {seq_len + 1}")
    starts = torch.randint(0, len(data) - seq_len - 1, (batch_size,), generator=generator)
    windows = torch.stack([data[s:s + seq_len + 1] for s in starts.tolist()])
    return windows[:, :-1], windows[:, 1:]


def make_optimizer(model: CharLM, lr: float = 3e-3) -> torch.optim.Optimizer:
    """Adam with learning rate ``lr`` (3e-3 works well for this model)."""
    return torch.optim.Adam(model.parameters(), lr=check_number("lr", lr, minimum=0.0, strict_minimum=True))


def train_step(
    model: CharLM, optimizer: torch.optim.Optimizer, inputs: torch.Tensor, targets: torch.Tensor, clip: float = 1.0
) -> dict[str, float]:
    """One optimisation step on the cross-entropy of the next character.

    Gradients are clipped to norm ``clip``: recurrent networks occasionally
    produce a huge gradient that would undo training.

    Returns
    -------
    dict
        ``{"loss": mean NLL in nats per character}``.
    """
    model.train()
    logits, _ = model(inputs)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), clip)
    optimizer.step()
    return {"loss": loss.item()}


def temperature_probs(logits: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
    """Probabilities ``softmax(logits / temperature)`` over the last dimension.

    Raises
    ------
    ValueError
        If ``temperature`` is not greater than 0.
    """
    temperature = check_number("temperature", temperature, minimum=0.0, strict_minimum=True)
    return torch.softmax(logits / temperature, dim=-1)


def sample_next(logits: torch.Tensor, temperature: float = 1.0, generator: torch.Generator | None = None) -> int:
    """Draw one character id from 1-D ``logits`` at a temperature."""
    if not isinstance(logits, torch.Tensor) or logits.dim() != 1:
        raise ValueError("logits must be a 1-D tensor with one score per vocabulary character")
    probs = temperature_probs(logits, temperature)
    return int(torch.multinomial(probs, 1, generator=generator))


@torch.no_grad()
def generate(
    model: CharLM,
    vocab: Vocabulary,
    n_chars: int,
    temperature: float = 1.0,
    prompt: str = "\n",
    seed: int | None = None,
    stop_at_newline: bool = False,
    sampler: Callable[[torch.Tensor, float, torch.Generator], int] | None = None,
) -> str:
    """Continue ``prompt`` with up to ``n_chars`` sampled characters.

    Parameters
    ----------
    model, vocab : CharLM, Vocabulary
        The model and its vocabulary.
    n_chars : int
        Characters to write.
    temperature : float
        Sampling temperature (> 0).
    prompt : str
        Text to continue; ``"\\n"`` starts a fresh line.
    seed : int, optional
        Seed for a private random generator, for repeatable samples.
    stop_at_newline : bool
        Stop at the end of the first line.
    sampler : callable, optional
        ``sampler(logits, temperature, generator) -> id`` replaces
        :func:`sample_next` (e.g. your own implementation).

    Returns
    -------
    str
        The new characters only (without the prompt).
    """
    check_int("n_chars", n_chars, minimum=1)
    check_number("temperature", temperature, minimum=0.0, strict_minimum=True)
    if not isinstance(prompt, str) or not prompt:
        raise ValueError("prompt must be a non-empty string (use '\\n' to start a new line)")
    sampler = sampler or sample_next
    generator = torch.Generator().manual_seed(seed) if seed is not None else None
    model.eval()
    logits, state = model(vocab.encode(prompt)[None])
    out = []
    for _ in range(n_chars):
        nxt = int(sampler(logits[0, -1], temperature, generator))
        char = vocab.decode([nxt])
        if stop_at_newline and char == "\n":
            break
        out.append(char)
        logits, state = model(torch.tensor([[nxt]]), state)
    return "".join(out)


@torch.no_grad()
def generate_batch(
    model: CharLM,
    vocab: Vocabulary,
    n: int,
    n_chars: int,
    temperature: float = 1.0,
    prompt: str = "\n",
    seed: int | None = None,
) -> list[str]:
    """Write ``n`` passages of exactly ``n_chars`` characters at once, each continuing ``prompt``.

    The same sampling rule as :func:`generate` (``softmax(logits / T)``, one
    character at a time), but all passages advance together, so a few hundred
    passages take about as long as one. Passages run across line breaks. The
    random stream differs from :func:`generate`'s, so the texts differ too.

    Parameters
    ----------
    model, vocab : CharLM, Vocabulary
        The model and its vocabulary.
    n : int
        How many passages.
    n_chars : int
        Characters per passage.
    temperature : float
        Sampling temperature (> 0).
    prompt : str
        Text every passage continues; ``"\n"`` starts at a fresh line.
    seed : int, optional
        Seed for a private random generator, for repeatable samples.

    Returns
    -------
    list of str
        The new characters of each passage (without the prompt).

    Used in: workshop_utils.detection.text_ranks, lessons/07_detecting_synthetic_media.
    """
    check_int("n", n, minimum=1)
    check_int("n_chars", n_chars, minimum=1)
    check_number("temperature", temperature, minimum=0.0, strict_minimum=True)
    if not isinstance(prompt, str) or not prompt:
        raise ValueError("prompt must be a non-empty string (use '\\n' to start a new line)")
    generator = torch.Generator().manual_seed(seed) if seed is not None else None
    model.eval()
    logits, state = model(vocab.encode(prompt).repeat(n, 1))
    out = torch.empty(n, n_chars, dtype=torch.long)
    for i in range(n_chars):
        nxt = torch.multinomial(temperature_probs(logits[:, -1], temperature), 1, generator=generator)
        out[:, i] = nxt[:, 0]
        logits, state = model(nxt, state)
    return [vocab.decode(row) for row in out]


def mean_nll(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean negative log-likelihood (nats per character) of ``targets`` under ``logits``.

    ``logits`` has shape ``(batch, length, vocab)`` and ``targets``
    ``(batch, length)``; the mean is over every character.
    """
    if logits.dim() != 3 or targets.shape != logits.shape[:2]:
        raise ValueError(
            f"logits must be (batch, length, vocab) and targets (batch, length); "
            f"got {tuple(logits.shape)} and {tuple(targets.shape)}"
        )
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


@torch.no_grad()
def text_logits(model: CharLM, vocab: Vocabulary, text: str) -> tuple[torch.Tensor, torch.Tensor]:
    """The model's logits for every character of ``text``, read as one stream.

    The model first reads a line break, so it predicts the first character
    of ``text`` as the start of a line.

    Returns
    -------
    (logits, targets)
        Shapes ``(1, len(text), vocab)`` and ``(1, len(text))``.
    """
    if not isinstance(text, str) or not text:
        raise ValueError("text must be a non-empty string")
    ids = vocab.encode("\n" + text)
    model.eval()
    logits, _ = model(ids[None, :-1])
    return logits, ids[None, 1:]


@dataclass(frozen=True)
class TextScore:
    """How well a model predicts a text.

    Attributes
    ----------
    nll : float
        Mean negative log-likelihood, nats per character.
    perplexity : float
        ``exp(nll)``: as uncertain as a fair choice among this many characters.
    bits_per_char : float
        ``nll / ln 2``.
    n_chars : int
        Characters scored.
    """

    nll: float
    perplexity: float
    bits_per_char: float
    n_chars: int

    def __str__(self) -> str:
        return f"perplexity {self.perplexity:.2f}, {self.bits_per_char:.3f} bits per character ({self.n_chars} characters)"


def evaluate_text(model: CharLM, vocab: Vocabulary, text: str) -> TextScore:
    """Perplexity and bits per character of ``text`` under ``model``.

    Used in: lessons/04_industry, tests/test_charlm.
    """
    logits, targets = text_logits(model, vocab, text)
    nll = mean_nll(logits, targets).item()
    return TextScore(nll, math.exp(nll), nll / math.log(2), targets.numel())


def uniform_bpc(vocab_size: int) -> float:
    """Bits per character of a model that finds every character equally likely: ``log2(V)``."""
    return math.log2(check_int("vocab_size", vocab_size, minimum=1))


def unigram_bpc(train_text: str, eval_text: str) -> float:
    """Bits per character of a model that only knows character frequencies.

    Frequencies come from ``train_text`` (add-one smoothed over the
    characters of both texts) and ignore all context. A language model worth
    its name must beat this.
    """
    if not isinstance(train_text, str) or not isinstance(eval_text, str) or not train_text or not eval_text:
        raise ValueError("train_text and eval_text must be non-empty strings")
    chars = set(train_text) | set(eval_text)
    counts = {c: 1 for c in chars}
    for c in train_text:
        counts[c] += 1
    total = sum(counts.values())
    return -sum(math.log2(counts[c] / total) for c in eval_text) / len(eval_text)


@torch.no_grad()
def char_ranks(model: CharLM, vocab: Vocabulary, text: str) -> torch.Tensor:
    """GLTR-style ranks: for each character of ``text``, its rank among the model's guesses.

    Rank 1 means the model's most likely next character. Text sampled at a
    low temperature is dominated by rank-1 characters.

    Returns
    -------
    torch.Tensor
        One whole-number rank (1 = top guess) per character.
    """
    logits, targets = text_logits(model, vocab, text)
    target_logit = logits.gather(-1, targets[..., None])
    return (logits > target_logit).sum(-1).flatten() + 1


def plot_bits_per_char(
    history,
    metric: str = "bpc",
    *,
    bar: float | None = None,
    references: dict[str, float] | None = None,
    title: str = "Held-out bits per character during training",
):
    """Line chart of a bits-per-character metric over training time, with reference lines.

    Parameters
    ----------
    history : workshop_utils.training.History
        A history whose ``metrics[metric]`` was filled by ``EvaluateEvery``.
    metric : str
        Name of the metric.
    bar : float, optional
        The quality bar, drawn as a dashed black line.
    references : dict of str to float, optional
        Baselines such as ``{"unigram": 4.69, "uniform": 6.17}``, drawn dotted.
    title : str
        Axes title.

    Returns
    -------
    workshop_utils.plotting.AccessibleFigure

    Used in: solutions/04_text_generation.
    """
    from ..plotting import OKABE_ITO, AccessibleFigure, new_figure

    if not hasattr(history, "metrics") or not history.metrics.get(metric):
        raise ValueError(f"history has no values of the metric {metric!r}; evaluate it with EvaluateEvery first")
    seconds = [s for _, s, _ in history.metrics[metric]]
    values = [float(v) for _, _, v in history.metrics[metric]]
    fig, (ax,) = new_figure(width=6, height=3.5)
    ax.plot(seconds, values, marker="o", color=OKABE_ITO["blue"], label="held-out bits per character")
    described = [f"from {values[0]:.2f} to {values[-1]:.2f} bits per character over {seconds[-1]:.0f} s"]
    if bar is not None:
        ax.axhline(bar, color=OKABE_ITO["black"], linestyle="--", label=f"quality bar {bar:g}")
        described.append(f"the quality bar at {bar:g} is a dashed line")
    colours = [OKABE_ITO[c] for c in ("orange", "vermillion", "green", "purple")]
    for (name, value), colour in zip((references or {}).items(), colours):
        ax.axhline(value, color=colour, linestyle=":", label=f"{name} {value:.2f}")
        described.append(f"{name} baseline at {value:.2f} dotted")
    ax.set_xlabel("training time (s)")
    ax.set_ylabel("bits per character")
    ax.set_ylim(bottom=0)
    ax.set_title(title)
    ax.legend(fontsize=8)
    return AccessibleFigure(fig, f"Line chart '{title}': " + "; ".join(described) + ".")


def train_charlm(
    model: CharLM,
    data: torch.Tensor,
    steps: int,
    *,
    batch_size: int = 32,
    seq_len: int = 64,
    lr: float = 3e-3,
    seed: int = 0,
    progress: bool = False,
    dataset: str | None = "small_town_text",
):
    """Train ``model`` for a fixed number of steps on random windows of ``data``.

    Deterministic for a given seed on one thread (the windows come from a
    private generator seeded with ``seed``).

    Parameters
    ----------
    dataset : str or None
        The data set ``data`` was encoded from, for the training record (its
        datasheet name; the workshop trains only on ``small_town_text``).

    Returns
    -------
    workshop_utils.training.History

    Used in: tools/train_charlm_checkpoint.py, tests/test_charlm.
    """
    from ..training import train

    check_int("steps", steps, minimum=1)
    if dataset is not None and not isinstance(dataset, str):
        raise TypeError(f"dataset must be a datasheet name such as 'small_town_text', or None; got {dataset!r}")
    optimizer = make_optimizer(model, lr)
    generator = torch.Generator().manual_seed(check_int("seed", seed, minimum=0))

    def step(i: int) -> dict[str, float]:
        return train_step(model, optimizer, *random_batch(data, batch_size, seq_len, generator))

    about = {"trainer": "workshop_utils.models.charlm.train_charlm",
             "model": f"workshop_utils.models.charlm.CharLM(vocab_size={model.vocab_size}, "
                      f"embed_dim={model.embed.embedding_dim}, hidden={model.rnn.hidden_size})",
             "parameters": sum(p.numel() for p in model.parameters()),
             "dataset": dataset, "dataset_detail": f"{len(data):,} characters",
             "seed": seed, "hyperparameters": {"batch_size": batch_size, "seq_len": seq_len, "lr": lr,
                                               "optimiser": "Adam, gradient norm clipped to 1"}}
    return train(step, max_steps=steps, time_budget_s=None, progress=progress, description="char LM", about=about)


def build_pretrained() -> tuple[CharLM, Vocabulary]:
    """An untrained model of the shipped checkpoint's size, with its vocabulary.

    The vocabulary is that of the shipped training text.
    """
    from .. import checkpoints
    from ..datasets import text_corpus

    vocab = Vocabulary.from_text(text_corpus.load("train"))
    config = checkpoints.card(CHECKPOINT)["config"]
    return CharLM(len(vocab), config["embed_dim"], config["hidden"]), vocab


def pretrained(verbose: bool = False) -> tuple[CharLM, Vocabulary]:
    """The shipped character model trained on small_town_text, and its vocabulary.

    Loads in well under a second; see ``checkpoints.card("small_town_charlm")``
    for how it was trained and how good it is.

    Used in: lessons/04_industry, :func:`workshop_utils.detection.human.text_quiz_items`.
    """
    from .. import checkpoints

    model, vocab = build_pretrained()
    model = checkpoints.load_or_train(CHECKPOINT, lambda: model, verbose=verbose)
    return model, vocab
