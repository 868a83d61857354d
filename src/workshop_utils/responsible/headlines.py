"""An in-session experiment: do warning labels change how accurate headlines seem?

Each learner rates eight invented headlines (from the workshop's
*small_town_text* corpus, so nobody's news is judged) for how accurate they
seem, from 1 (not at all) to 5 (very). Four of the eight carry a warning
label. Which four depends on the learner's *version*: version A labels
headlines 1, 3, 5 and 7, version B labels 2, 4, 6 and 8, and each learner
gets one at random, so over a group every headline is seen both with and
without a label (a counterbalanced, within-person design).

Each learner's *label effect* is the mean rating of their labelled headlines
minus the mean of their unlabelled ones. :func:`analyse` merges the journals
a group shares (:func:`workshop_utils.discussion.merge_journals`) and reports
the group's mean effect with a 95% confidence interval (t distribution) and
an exact sign-flip permutation test, and :meth:`GroupResult.power` says how
often a group of this size would detect an effect of a given size. That is
the honest word on a sample of ten: it can show a large effect, and it
cannot rule out a small one.

What this design cannot show at all: the *implied truth effect* (Pennycook,
Bear, Collins and Rand, *Management Science* 2020,
https://doi.org/10.1287/mnsc.2019.3478), which compares unlabelled headlines
in a feed where some are labelled with the same headlines in a feed with no
labels at all (a between-groups comparison), nor anything about people
outside the room.

:func:`simulate_group` writes journals of simulated participants with a
known effect, for a learner working alone (and for tests): the analysis runs
on them exactly as on real journals.

Used in: lessons/09_labels.
"""

from __future__ import annotations

import html
import itertools
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from .._validate import _describe, check_choice, check_int, check_number
from ..discussion.base import Prompt, check_strings, check_text
from ..discussion.journal import Journal, check_answer
from ..discussion.report import merge_journals

__all__ = [
    "DEFAULT_LABEL",
    "HEADLINES",
    "PROMPT_ID",
    "SCALE",
    "VERSIONS",
    "GroupResult",
    "HeadlineRating",
    "analyse",
    "labelled_in",
    "sign_flip_p",
    "simulate_group",
]

#: Eight invented headlines from the held-out split of the small_town_text corpus.
HEADLINES: tuple[str, ...] = (
    "Glimmerton Rail to close its bakery in Ostervale after 109 years",
    "Power cut leaves 495 homes in Marrowgate without electricity",
    "Volunteers plant 545 trees along the Tarnbury estuary",
    "Council tax in Thistlecombe set to rise by 19%",
    "Missing ferret found safe 43 miles from home in Emberlea",
    "Thornquill Bank announces 92 new jobs at Tarnbury site",
    "Quillmouth named the quietest place to live in the islands",
    "Dapplewick Energy fined $2,000 over a pollution leak",
)
#: The warning shown on labelled headlines (a fact-check warning like those Pennycook et al. studied).
DEFAULT_LABEL = "Disputed by independent fact-checkers"
#: The rating scale: 1 = not at all accurate ... 5 = very accurate.
SCALE = (1, 5)
#: Which headline positions (from 0) each version labels.
VERSIONS: dict[str, tuple[int, ...]] = {"A": (0, 2, 4, 6), "B": (1, 3, 5, 7)}
#: The journal prompt the ratings are saved under (lesson 09).
PROMPT_ID = "headline-ratings"
LESSON = "09"


def labelled_in(version: str, n_headlines: int = len(HEADLINES)) -> list[int]:
    """The positions (from 0) of the headlines that carry the label in ``version``."""
    check_choice("version", version, VERSIONS)
    check_int("n_headlines", n_headlines, minimum=2)
    start = 0 if version == "A" else 1
    return list(range(start, n_headlines, 2))


def _field(i: int) -> str:
    return f"h{i + 1}"


@dataclass
class HeadlineRating(Prompt):
    """Rate how accurate each headline seems; some carry a warning label (see the module docstring).

    Parameters
    ----------
    lesson, prompt_id, question
        See :class:`workshop_utils.discussion.base.Prompt`.
    headlines : list of str
        The headlines (an even number, 2 to 20).
    label : str
        The warning shown on labelled headlines.
    version : {"A", "B"}, optional
        Which half is labelled; by default the version saved in the journal,
        or a random one for a learner who has not rated yet.
    """

    headlines: tuple[str, ...] = HEADLINES
    label: str = field(default=DEFAULT_LABEL, kw_only=True)
    version: str | None = field(default=None, kw_only=True, compare=False)

    kind: ClassVar[str] = "canvas"
    title: ClassVar[str] = "Headline ratings"

    def _check(self) -> None:
        self.headlines = check_strings("headlines", self.headlines, minimum=2, maximum=20)
        if len(self.headlines) % 2:
            raise ValueError(f"headlines must be an even number (half are labelled), got {len(self.headlines)}")
        check_text("label", self.label, required=True, limit=100)
        if self.version is not None:
            check_choice("version", self.version, VERSIONS)

    def _new_form(self) -> Any:
        from ._headline_form import HeadlineRatingWidget  # ipywidgets loads only when the form is shown

        return HeadlineRatingWidget(self)

    def assigned_version(self) -> str:
        """This learner's version: given, saved earlier, or drawn at random now (and kept)."""
        if self.version is None:
            entry = self.saved_entry()
            saved = entry["answer"].get("version") if entry else None
            self.version = saved if saved in VERSIONS else secrets.choice(sorted(VERSIONS))
        return self.version

    def labelled(self) -> list[int]:
        """Positions (from 0) of the headlines this learner sees with the label."""
        return labelled_in(self.assigned_version(), len(self.headlines))

    def details(self) -> dict[str, Any]:
        """The headlines, the label, the scale and the versions, so an export reads on its own."""
        return {"fields": [[_field(i), headline] for i, headline in enumerate(self.headlines)],
                "label": self.label, "scale": list(SCALE),
                "versions": {v: labelled_in(v, len(self.headlines)) for v in VERSIONS}}

    def check_response(self, answer: Any) -> Any:
        """``{"version": "A" or "B", "h1": "1".."5" or "", ...}``."""
        answer = check_answer(self.kind, answer)
        allowed = {"version"} | {_field(i) for i in range(len(self.headlines))}
        unknown = sorted(set(answer) - allowed)
        if unknown:
            raise ValueError(f"answer has unknown field(s) {unknown}; fields: {sorted(allowed)}")
        check_choice("answer['version']", answer.get("version"), VERSIONS)
        for key, value in answer.items():
            if key != "version" and value != "" and value not in {str(v) for v in range(SCALE[0], SCALE[1] + 1)}:
                raise ValueError(f"answer[{key!r}] must be a rating from {SCALE[0]} to {SCALE[1]} (as text), "
                                 f"or '' for not rated; got {value!r}")
        return answer

    def rate(self, ratings: Sequence[int | None]) -> dict[str, Any]:
        """Save one rating per headline (None for not rated) and return the journal entry.

        The widget calls this; it is also how to enter ratings in code or from paper.
        """
        if isinstance(ratings, (str, bytes)) or not isinstance(ratings, Sequence):
            raise TypeError(f"ratings must be a list with one rating per headline, got {_describe(ratings)}")
        if len(ratings) != len(self.headlines):
            raise ValueError(f"ratings must have {len(self.headlines)} entries (one per headline), got {len(ratings)}")
        answer = {"version": self.assigned_version()}
        for i, rating in enumerate(ratings):
            if rating is not None:
                check_int(f"ratings[{i}]", rating, minimum=SCALE[0], maximum=SCALE[1])
            answer[_field(i)] = "" if rating is None else str(rating)
        return self.save(answer)

    # -- static rendering ----------------------------------------------------------------------------

    def _body_markdown(self) -> list[str]:
        shown = set(self.labelled())
        lines = [f"_Rate each headline from {SCALE[0]} (not at all accurate) to {SCALE[1]} (very accurate). "
                 f"Your version: {self.assigned_version()}._", ""]
        for i, headline in enumerate(self.headlines):
            warning = f"  \n   ⚠ _{self.label}_" if i in shown else ""
            lines.append(f"{i + 1}. **{headline}**{warning}  \n   ☐ 1 ☐ 2 ☐ 3 ☐ 4 ☐ 5")
        return lines + [""]

    def _body_html(self) -> str:
        shown = set(self.labelled())
        items = "".join(
            f"<li><strong>{html.escape(h)}</strong>"
            + (f'<br><span class="workshop-headline-label">⚠ {html.escape(self.label)}</span>' if i in shown else "")
            + "<br>☐ 1 ☐ 2 ☐ 3 ☐ 4 ☐ 5</li>"
            for i, h in enumerate(self.headlines))
        return f'<ol class="workshop-headlines">{items}</ol>'

    def _grading_instructions(self) -> str:
        return "Rate each headline from 1 to 5."


# -- analysis ------------------------------------------------------------------------------------------


def sign_flip_p(differences: Sequence[float], *, max_exact: int = 16, draws: int = 20_000, seed: int = 0) -> float:
    """Two-sided p-value of the sign-flip permutation test for a mean difference of zero.

    Under "labels make no difference", each person's difference is as likely
    to be positive as negative; the p-value is the share of the ``2**n``
    sign patterns whose mean is at least as far from zero as the observed
    one (exact up to ``max_exact`` people, else ``draws`` random patterns).
    """
    d = np.asarray(differences, dtype=float)
    if d.ndim != 1 or len(d) == 0 or not np.all(np.isfinite(d)):
        raise ValueError("differences must be a non-empty list of finite numbers")
    observed = abs(d.mean())
    if len(d) <= max_exact:
        signs = np.array(list(itertools.product((-1.0, 1.0), repeat=len(d))))
    else:
        signs = np.random.default_rng(seed).choice((-1.0, 1.0), size=(draws, len(d)))
    means = np.abs(signs @ d) / len(d)
    return float(np.mean(means >= observed - 1e-12))


def _t_quantile(level: float, dof: int) -> float:
    from scipy.stats import t

    return float(t.ppf(level, dof))


@dataclass
class GroupResult:
    """What a group's ratings show (see :func:`analyse`).

    Attributes
    ----------
    participants : list of str
        Who is counted (anonymised labels).
    labelled_means, unlabelled_means, differences : numpy.ndarray
        Per participant: mean rating with the label, without it, and the difference.
    per_headline : list of dict
        Per headline: its text, mean rating with and without the label, and how many rated it each way.
    label : str
        The warning used.
    simulated : int
        How many of the participants were simulated.
    """

    participants: list[str]
    labelled_means: np.ndarray
    unlabelled_means: np.ndarray
    differences: np.ndarray
    per_headline: list[dict[str, Any]]
    label: str
    simulated: int = 0

    @property
    def n(self) -> int:
        """Number of participants counted."""
        return len(self.differences)

    @property
    def mean_difference(self) -> float:
        """The group's mean label effect (labelled minus unlabelled), in rating points."""
        return float(self.differences.mean())

    def confidence_interval(self, level: float = 0.95) -> tuple[float, float]:
        """The t-interval of the mean difference (needs at least two participants)."""
        check_number("level", level, minimum=0.5, maximum=0.999)
        if self.n < 2:
            raise ValueError("a confidence interval needs at least two participants")
        half = _t_quantile(0.5 + level / 2, self.n - 1) * self.differences.std(ddof=1) / math.sqrt(self.n)
        return self.mean_difference - half, self.mean_difference + half

    def p_value(self) -> float:
        """Exact sign-flip permutation p-value for "labels make no difference"."""
        return sign_flip_p(self.differences)

    def power(self, effect: float, n: int | None = None, *, alpha: float = 0.05, sims: int = 4000,
              seed: int = 0) -> float:
        """How often a group of ``n`` people (default: this group's size) would find an effect this big.

        Simulates groups whose differences are normal with mean ``effect`` and
        this group's spread, and counts how often a two-sided t-test gives
        ``p < alpha``.
        """
        check_number("effect", effect)
        n = self.n if n is None else check_int("n", n, minimum=2)
        check_int("sims", sims, minimum=100)
        from scipy.stats import t

        spread = max(float(self.differences.std(ddof=1)) if self.n >= 2 else 1.0, 1e-6)
        draws = np.random.default_rng(seed).normal(effect, spread, size=(sims, n))
        stat = draws.mean(axis=1) / (draws.std(axis=1, ddof=1) / math.sqrt(n))
        return float(np.mean(2 * t.sf(np.abs(stat), n - 1) < alpha))

    def smallest_detectable(self, n: int | None = None, *, alpha: float = 0.05, power: float = 0.8) -> float:
        """The smallest effect (in rating points) a group of ``n`` detects with this ``power`` (t approximation)."""
        n = self.n if n is None else check_int("n", n, minimum=2)
        spread = float(self.differences.std(ddof=1)) if self.n >= 2 else 1.0
        return (_t_quantile(1 - alpha / 2, n - 1) + _t_quantile(power, n - 1)) * spread / math.sqrt(n)

    def text(self) -> str:
        """The result, and what a sample of this size can and cannot show, in words generated from the numbers."""
        if self.n < 2:
            return (f"Only {self.n} participant(s) rated both labelled and unlabelled headlines: "
                    "a group needs at least two for an interval, and many more to show anything.")
        low, high = self.confidence_interval()
        p = self.p_value()
        direction = "lower" if self.mean_difference < 0 else "higher"
        source = (f" ({self.simulated} of them simulated)" if self.simulated else "")
        lines = [
            f"{self.n} participants{source}. On average they rated labelled headlines "
            f"{abs(self.mean_difference):.2f} points {direction} than unlabelled ones "
            f"(95% confidence interval {low:+.2f} to {high:+.2f}; sign-flip permutation p = {p:.3f}).",
        ]
        if low <= 0 <= high:
            lines.append("The interval includes 0: this group cannot tell a real label effect from chance.")
        else:
            lines.append("The interval excludes 0: in this group, the label went with "
                         f"{direction} ratings, more than chance alone would usually give.")
        detectable = self.smallest_detectable()
        lines.append(
            f"With {self.n} people and this much disagreement between them, only an effect of about "
            f"{detectable:.2f} points or more would be found 4 times out of 5; a group of "
            f"{self.n} finds an effect of 0.3 points {self.power(-0.3):.0%} of the time, and a group of 100 "
            f"{self.power(-0.3, n=100):.0%} of the time.")
        lines.append(
            "What it cannot show: the implied truth effect (that needs a comparison group that sees no labels "
            "at all), anything about people outside this room (you were not sampled at random, and you know "
            "what the study is about), or anything about real news (these headlines are invented). "
            "Pennycook et al. studied the implied truth effect with 5,271 participants.")
        return "\n".join(lines)

    def figure(self, title: str = "Do warning labels change how accurate headlines seem?"):
        """Each participant's mean ratings with and without the label, and the mean difference with its interval."""
        from ..plotting import OKABE_ITO, AccessibleFigure, new_figure

        fig, (left, right) = new_figure(ncols=2, width=4.2, height=3.6)
        for i, (a, b) in enumerate(zip(self.unlabelled_means, self.labelled_means)):
            left.plot([0, 1], [a, b], color="#999999", linewidth=0.8, zorder=1)
        left.scatter(np.zeros(self.n), self.unlabelled_means, color=OKABE_ITO["blue"], marker="o",
                     label="without label", zorder=2)
        left.scatter(np.ones(self.n), self.labelled_means, color=OKABE_ITO["vermillion"], marker="s",
                     label="with label", zorder=2)
        left.set_xticks([0, 1], ["without label", "with label"])
        left.set_ylim(SCALE[0] - 0.2, SCALE[1] + 0.2)
        left.set_ylabel(f"mean rating ({SCALE[0]}-{SCALE[1]}, higher = more accurate)")
        left.set_title("Each participant")
        jitter = np.random.default_rng(0).uniform(-0.08, 0.08, self.n)
        right.scatter(jitter, self.differences, color=OKABE_ITO["orange"], marker="D", label="one participant")
        right.axhline(0, color="black", linewidth=0.8)
        alt_interval = ""
        if self.n >= 2:
            low, high = self.confidence_interval()
            right.errorbar([0.3], [self.mean_difference], yerr=[[self.mean_difference - low], [high - self.mean_difference]],
                           fmt="o", color=OKABE_ITO["black"], capsize=6, label="mean, 95% interval")
            alt_interval = f" Mean difference {self.mean_difference:+.2f}, 95% interval {low:+.2f} to {high:+.2f}."
        right.set_xlim(-0.3, 0.6)
        right.set_xticks([])
        right.set_ylabel("labelled minus unlabelled (points)")
        right.set_title("The label effect")
        right.legend(fontsize=8, loc="best")
        fig.suptitle(title)
        alt = (f"Two panels. Left: for each of {self.n} participants, mean rating without the label "
               f"(circles) and with it (squares), joined by a line. Right: each participant's difference "
               f"(diamonds) around a line at zero.{alt_interval}")
        return AccessibleFigure(fig, alt)


def _ratings_of(answer: dict[str, Any], n_headlines: int) -> tuple[str, list[float]] | None:
    version = answer.get("version")
    if version not in VERSIONS:
        return None
    ratings = []
    for i in range(n_headlines):
        value = answer.get(_field(i), "")
        ratings.append(float(value) if value not in ("", None) else math.nan)
    return version, ratings


def analyse(journals: Sequence[Any], *, headlines: Sequence[str] = HEADLINES, label: str = DEFAULT_LABEL,
            lesson: str = LESSON, prompt_id: str = PROMPT_ID) -> GroupResult:
    """Merge a group's journals and measure the label effect (see the module docstring).

    Parameters
    ----------
    journals : list of path, Journal or dict
        The journals the group shared (files that do not exist are skipped).
    headlines : list of str
        The headlines that were rated.
    label : str
        The warning that was used.
    lesson, prompt_id : str
        Where the ratings are saved in the journals.

    Returns
    -------
    GroupResult
        Participants who rated at least one labelled and one unlabelled headline.

    Raises
    ------
    ValueError
        If no journal holds any ratings.
    """
    if isinstance(journals, (str, bytes, Path, dict, Journal)) or not isinstance(journals, Sequence):
        raise TypeError(f"journals must be a list of journal files, got {_describe(journals)}")
    present, seen = [], set()
    for journal in journals:  # files that do not exist yet are skipped, and a file listed twice counts once
        if isinstance(journal, (str, Path)):
            if not Path(journal).exists() or Path(journal).resolve() in seen:
                continue
            seen.add(Path(journal).resolve())
        present.append(journal)
    if not present:
        raise ValueError("none of the journals exists yet: rate the headlines first, or add the group's journals")
    merged = merge_journals(present, anonymise=True, seed=0)
    try:
        summary = merged.prompt(lesson, prompt_id)
    except KeyError:
        raise ValueError(f"no journal holds headline ratings ({lesson}/{prompt_id}) yet") from None
    names, lab, unlab, diffs = [], [], [], []
    sums = np.zeros((len(headlines), 2))
    counts = np.zeros((len(headlines), 2))
    for who, answer in summary.answers:
        parsed = _ratings_of(answer, len(headlines))
        if parsed is None:
            continue
        version, ratings = parsed
        labelled = set(labelled_in(version, len(headlines)))
        with_label = [r for i, r in enumerate(ratings) if i in labelled and not math.isnan(r)]
        without = [r for i, r in enumerate(ratings) if i not in labelled and not math.isnan(r)]
        if not with_label or not without:
            continue
        for i, r in enumerate(ratings):
            if not math.isnan(r):
                sums[i, int(i in labelled)] += r
                counts[i, int(i in labelled)] += 1
        names.append(who)
        lab.append(np.mean(with_label))
        unlab.append(np.mean(without))
        diffs.append(lab[-1] - unlab[-1])
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    per_headline = [{"headline": h, "mean_without_label": None if counts[i, 0] == 0 else float(means[i, 0]),
                     "mean_with_label": None if counts[i, 1] == 0 else float(means[i, 1]),
                     "n_without_label": int(counts[i, 0]), "n_with_label": int(counts[i, 1])}
                    for i, h in enumerate(headlines)]
    return GroupResult(names, np.array(lab), np.array(unlab), np.array(diffs), per_headline, label,
                       min(_simulated(present), len(names)))


def _simulated(journals: Sequence[Any]) -> int:
    """How many of the journals belong to simulated participants (by their display name)."""
    count = 0
    for journal in journals:
        try:
            name = Journal(journal).display_name if isinstance(journal, (str, Path)) else ""
        except (OSError, ValueError, TypeError):
            name = ""
        count += name.startswith("Simulated participant")
    return count


def simulate_group(folder: str | Path, n: int = 9, *, effect: float = -0.5, seed: int = 0,
                   headlines: Sequence[str] = HEADLINES, label: str = DEFAULT_LABEL) -> list[Path]:
    """Write the journals of ``n`` simulated participants who rated the headlines.

    Each simulated rating is ``3 + how plausible the headline is + the
    person's own tendency + effect (if labelled) + noise``, rounded and kept
    within 1-5. The true effect is known, so learners can see whether a group
    of this size finds it.

    Parameters
    ----------
    folder : str or Path
        An existing folder; the journals are ``simulated_<k>.json`` in it.
    n : int
        Number of participants (versions alternate A, B, A, ...).
    effect : float
        The true label effect, in rating points (negative: labels lower ratings).
    seed : int
        Seed of the simulation.

    Returns
    -------
    list of Path
        The journal files written.
    """
    target = Path(folder)
    if not target.is_dir():
        raise FileNotFoundError(f"folder: {target} is not an existing folder")
    check_int("n", n, minimum=1, maximum=500)
    effect = check_number("effect", effect, minimum=-4, maximum=4)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    plausibility = np.random.default_rng(1234).normal(0.0, 0.6, len(headlines))
    prompt = HeadlineRating(LESSON, PROMPT_ID, "How accurate does each headline seem?",
                            tuple(headlines), label=label)
    paths = []
    for k in range(n):
        path = target / f"simulated_{k + 1}.json"
        path.unlink(missing_ok=True)
        journal = Journal(path)
        journal.set_display_name(f"Simulated participant {k + 1}")
        version = "A" if k % 2 == 0 else "B"
        labelled = set(labelled_in(version, len(headlines)))
        tendency = rng.normal(0.0, 0.5)
        raw = [3 + plausibility[i] + tendency + (effect if i in labelled else 0.0) + rng.normal(0.0, 0.8)
               for i in range(len(headlines))]
        ratings = [int(min(SCALE[1], max(SCALE[0], round(r)))) for r in raw]
        HeadlineRating(LESSON, PROMPT_ID, prompt.question, prompt.headlines, label=label, version=version,
                       journal=journal).rate(ratings)
        paths.append(path)
    return paths
