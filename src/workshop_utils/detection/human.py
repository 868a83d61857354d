"""Can people tell? Real-or-synthetic quiz items from the workshop's own data and models.

Detection starts with people: before any classifier, learners try to tell
real media from generated media themselves, and score their guesses against
chance with :class:`workshop_utils.discussion.RealOrSynthetic`.
:func:`text_quiz_items` mixes held-out lines of the *small_town_text* corpus
with lines written by the pretrained character language model.
:func:`template_tells` measures how often the model's lines could pass for
corpus lines at all: it reads them, and the held-out lines, against the
templates the corpus was written from (:func:`workshop_utils.datasets.text_corpus.check_line`).
:func:`face_quiz_items` mixes rendered cartoon faces with faces from the
workshop's generators (:mod:`workshop_utils.models.face_gans`).

Used in: lessons/04_industry, lessons/07_detecting_synthetic_media.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from .._validate import check_choice, check_int, check_number
from ..datasets import text_corpus
from ..discussion.quiz import QuizItem
from ..models import charlm

__all__ = ["FACE_QUIZ_SEED_OFFSET", "TellReport", "face_quiz_items", "template_tells", "text_quiz_items"]

_MAX_LINE = 220  # model lines that have not ended by then are dropped


def text_quiz_items(
    n_real: int = 4,
    n_fake: int = 4,
    temperature: float = 0.8,
    seed: int = 0,
    *,
    kind: str | None = None,
    model: Any = None,
    vocab: Any = None,
    min_chars: int = 20,
) -> list[QuizItem]:
    """Mix held-out corpus lines with model-written lines for a "real or synthetic?" quiz.

    Model lines are sampled from the shipped pretrained character model (or
    ``model``/``vocab`` if given), one line at a time from a line break.
    Lines are kept only if they end within 220 characters (corpus lines
    are shorter than 150), are at least ``min_chars`` long, have the
    requested ``kind``, are not copies of a training line (a copied line is
    memorised, not new) and are not repeated; nothing else is filtered, so
    the game is fair. Corpus lines come from the held-out split.

    Parameters
    ----------
    n_real, n_fake : int
        How many corpus lines and model lines.
    temperature : float
        Sampling temperature of the model (> 0). Low values give safe,
        repetitive lines; high values give more varied, more error-prone lines.
    seed : int
        Seed for choosing corpus lines, sampling and shuffling.
    kind : {"headline", "review"}, optional
        Only use lines of this kind; by default both.
    model, vocab : optional
        A :class:`workshop_utils.models.charlm.CharLM` and its
        :class:`~workshop_utils.models.charlm.Vocabulary`; default: the shipped model.
    min_chars : int
        Shortest model line kept.

    Returns
    -------
    list of workshop_utils.discussion.prompts.QuizItem
        ``n_real + n_fake`` items in random order, ready for
        :class:`workshop_utils.discussion.prompts.RealOrSynthetic`; ``item.answer`` is
        ``"Real"`` (a held-out corpus line) or ``"Synthetic"`` (written by the
        model), and ``item.explanation`` says where the line came from.

    Raises
    ------
    RuntimeError
        If the model cannot produce enough acceptable lines (e.g. at a
        temperature so low that it repeats one line).

    Examples
    --------
    >>> from workshop_utils.discussion.prompts import RealOrSynthetic                  # doctest: +SKIP
    >>> items = text_quiz_items(n_real=4, n_fake=4, temperature=0.8, seed=0)     # doctest: +SKIP
    >>> RealOrSynthetic("04", "reviews", "Corpus or model?", items).show()  # doctest: +SKIP

    Used in: lessons/04_industry.
    """
    check_int("n_real", n_real, minimum=0, maximum=len(text_corpus.lines("heldout")))
    check_int("n_fake", n_fake, minimum=0, maximum=100)
    temperature = check_number("temperature", temperature, minimum=0.0, strict_minimum=True)
    check_int("seed", seed, minimum=0)
    check_int("min_chars", min_chars, minimum=1)
    if kind is not None:
        check_choice("kind", kind, ["headline", "review"])
    if n_real + n_fake == 0:
        raise ValueError("ask for at least one item: n_real + n_fake must be positive")
    if (model is None) != (vocab is None):
        raise ValueError("give both model and vocab, or neither (to use the shipped model)")
    if model is None:
        model, vocab = charlm.pretrained()

    rng = random.Random(seed)
    pool = [l for l in text_corpus.lines("heldout") if kind is None or text_corpus.line_kind(l) == kind]
    real = [_text_item(l, None) for l in rng.sample(pool, n_real)]

    fake = [_text_item(line, temperature)
            for line in _new_model_lines(model, vocab, n_fake, temperature, seed, min_chars, kind)]
    items = real + fake
    rng.shuffle(items)
    return items


def _new_model_lines(model, vocab, n: int, temperature: float, seed: int, min_chars: int,
                     kind: str | None) -> list[str]:
    """``n`` different model lines that end within 220 characters and are not training lines."""
    training = set(text_corpus.lines("train"))
    found: list[str] = []
    seen: set[str] = set()
    attempts = 0
    while len(found) < n:
        attempts += 1
        if attempts > 10 * n + 20:
            raise RuntimeError(
                f"the model wrote only {len(found)} acceptable new line(s) of {n} at temperature "
                f"{temperature}: it probably repeats itself or copies its training lines. Try a higher temperature."
            )
        line = charlm.generate(model, vocab, _MAX_LINE, temperature=temperature, prompt="\n",
                               seed=seed * 100_003 + attempts, stop_at_newline=True).strip()
        if len(line) >= _MAX_LINE or len(line) < min_chars or line in training or line in seen:
            continue
        if kind is not None and text_corpus.line_kind(line) != kind:
            continue
        seen.add(line)
        found.append(line)
    return found


@dataclass(frozen=True)
class TellReport:
    """How often model lines, and held-out corpus lines, could have come from the corpus's templates.

    Attributes
    ----------
    temperature : float
        The sampling temperature of the model lines.
    model_checks : tuple of workshop_utils.datasets.text_corpus.LineCheck
        One check per model line.
    corpus_passed, corpus_total : int
        How many held-out corpus lines pass the same check, of how many.
    """

    temperature: float
    model_checks: tuple[text_corpus.LineCheck, ...]
    corpus_passed: int
    corpus_total: int

    @property
    def model_passed(self) -> int:
        """Model lines the corpus's templates could have written."""
        return sum(c.fits for c in self.model_checks)

    @property
    def pass_rate(self) -> float:
        """Share of model lines the templates could have written."""
        return self.model_passed / len(self.model_checks)

    def __str__(self) -> str:
        n, passed = len(self.model_checks), self.model_passed
        lines = [
            "Lines the corpus's own templates could have written:",
            f"  held-out corpus lines: {self.corpus_passed} of {self.corpus_total}",
            f"  lines the model wrote at temperature {self.temperature:g}: {passed} of {n} ({self.pass_rate:.0%})",
        ]
        tells = [c for c in self.model_checks if not c.fits]
        if tells:
            lines.append(f"Tells in the other {len(tells)}, for example:")
            for check in tells[:3]:
                lines.append(f"  - {check.problems[0]}")
                lines.append(f"    in: {check.line}")
        if passed == n:
            verdict = ("Every model line could have come from the templates: only a memory of the actual corpus "
                       "lines could tell them apart, so a group should score about as well as guessing.")
        elif passed == 0:
            verdict = ("Every model line carries a tell: a group that knows the corpus should beat guessing "
                       "on the model's lines.")
        else:
            verdict = (f"So about {round(10 * self.pass_rate)} in 10 of the model's lines could pass for corpus lines, "
                       "and the rest carry a tell that a reader who knows the corpus can learn to spot. Compare your "
                       "group's quiz score with what guessing would get.")
        return "\n".join(lines + [verdict])


def template_tells(
    n_lines: int = 60,
    temperature: float = 0.8,
    seed: int = 0,
    *,
    model: Any = None,
    vocab: Any = None,
    min_chars: int = 20,
) -> TellReport:
    """Check new model lines, and every held-out corpus line, against the corpus's templates.

    The model lines are sampled exactly as for :func:`text_quiz_items` (new,
    different, ending within 220 characters); each is read by
    :func:`workshop_utils.datasets.text_corpus.check_line`, which names what
    gives a line away.

    Parameters
    ----------
    n_lines : int
        How many model lines to write and check.
    temperature : float
        Sampling temperature (> 0).
    seed : int
        Seed of the sampling.
    model, vocab : optional
        A model and its vocabulary; default: the shipped pretrained model.
    min_chars : int
        Shortest model line kept.

    Returns
    -------
    TellReport
        Printing it gives the counts, a few tells and a sentence written
        from the measured numbers.

    Used in: lessons/04_industry.
    """
    check_int("n_lines", n_lines, minimum=1, maximum=1000)
    temperature = check_number("temperature", temperature, minimum=0.0, strict_minimum=True)
    check_int("seed", seed, minimum=0)
    check_int("min_chars", min_chars, minimum=1)
    if (model is None) != (vocab is None):
        raise ValueError("give both model and vocab, or neither (to use the shipped model)")
    if model is None:
        model, vocab = charlm.pretrained()
    lines = _new_model_lines(model, vocab, n_lines, temperature, seed, min_chars, None)
    heldout = text_corpus.lines("heldout")
    return TellReport(
        temperature=temperature,
        model_checks=tuple(text_corpus.check_line(line) for line in lines),
        corpus_passed=sum(text_corpus.check_line(line).fits for line in heldout),
        corpus_total=len(heldout),
    )


def _text_item(line: str, temperature: float | None) -> QuizItem:
    """A quiz item for one line: real (``temperature`` None) or written by the model."""
    if temperature is None:
        return QuizItem("Real", text=line, explanation=f"Real: a held-out {text_corpus.line_kind(line)} from the corpus.")
    return QuizItem("Synthetic", text=line,
                    explanation=f"Synthetic: written by the character model at temperature {temperature:g}.")


#: Added to ``seed`` when drawing quiz faces, so that quiz faces differ from the lesson's detection sets.
FACE_QUIZ_SEED_OFFSET = 70_000

_FACE_ORIGINS = {
    "real": "Real: drawn by the workshop's face renderer (workshop_utils.datasets.faces), identity B.",
    "GAN convT": "Synthetic: drawn by a small GAN whose generator upsamples with transposed convolutions.",
    "GAN nearest": "Synthetic: drawn by a small GAN whose generator upsamples with nearest-neighbour resizing.",
    "VAE bilinear": "Synthetic: drawn by the decoder of a small VAE (bilinear upsampling).",
    "face swap": "Synthetic: a face of identity A swapped to identity B by the workshop's face swap (lesson 03).",
}


def face_quiz_items(
    n_real: int = 4,
    n_fake_per_generator: int = 4,
    generators: tuple[str, ...] = ("face swap", "VAE bilinear"),
    seed: int = 0,
) -> list[QuizItem]:
    """Mix rendered cartoon faces with generated ones for a "real or synthetic?" quiz.

    Every face shows identity B (lavender skin, black flat-top, glasses, beard).
    Generated faces are unfiltered samples, not the best-looking ones, so the
    game is fair; the default generators are the two whose samples look most
    like the real renders (the GANs' noise gives them away at a glance).

    Parameters
    ----------
    n_real : int
        How many real renders.
    n_fake_per_generator : int
        How many faces from each generator.
    generators : tuple of str
        Names from :data:`workshop_utils.models.face_gans.SOURCES` (not ``"real"``).
    seed : int
        Seed for the faces and the order.

    Returns
    -------
    list of workshop_utils.discussion.quiz.QuizItem
        Items in random order; ``answer`` is ``"Real"`` or ``"Synthetic"``, ``alt``
        describes the face without giving the answer away (the same features for
        every face, plus its background), ``explanation`` says where it came from.

    Used in: lessons/07_detecting_synthetic_media.
    """
    from ..models import face_gans

    check_int("n_real", n_real, minimum=0, maximum=200)
    check_int("n_fake_per_generator", n_fake_per_generator, minimum=0, maximum=200)
    check_int("seed", seed, minimum=0)
    if isinstance(generators, str):
        generators = (generators,)
    for name in generators:
        check_choice("generators", name, [s for s in face_gans.SOURCES if s != "real"])
    if len(set(generators)) != len(generators):
        raise ValueError(f"generators must not repeat a name, got {generators!r}")
    if n_real + n_fake_per_generator * len(generators) == 0:
        raise ValueError("ask for at least one item: n_real or n_fake_per_generator must be positive")
    n = max(n_real, n_fake_per_generator, 1)
    faces = face_gans.sample_sources(n, seed=seed + FACE_QUIZ_SEED_OFFSET, names=("real", *generators))
    pool = [("real", image) for image in faces["real"][:n_real]]
    pool += [(name, image) for name in generators for image in faces[name][:n_fake_per_generator]]
    random.Random(seed).shuffle(pool)
    return [QuizItem("Real" if source == "real" else "Synthetic", image=image.transpose(1, 2, 0),
                     alt=_face_alt(image), explanation=_FACE_ORIGINS[source]) for source, image in pool]


def _face_alt(image: Any) -> str:
    """Alt text that describes a quiz face without saying whether it is real: the identity and the background."""
    import numpy as np

    from ..datasets.faces import IDENTITIES

    corners = np.concatenate([image[:, :3, :3].ravel(), image[:, :3, -3:].ravel()])
    shade = float(np.mean(corners))
    background = "light grey" if shade > 0.6 else "mid grey" if shade > 0.35 else "dark grey"
    return f"A 32-pixel cartoon face, enlarged: {IDENTITIES['B'].description}, on a {background} background."
