"""How good is a detector? Ranking (ROC AUC, average precision) and decisions (accuracy at a threshold).

A detector gives each image a score. Two different questions can be asked:

- **Does it rank fakes above real images?** The ROC AUC is the chance that a
  random fake scores higher than a random real image (0.5: no better than
  chance; below 0.5: the ranking is *inverted*). Average precision (AP)
  summarises precision over all thresholds. Neither depends on a threshold.
- **Are its decisions right?** Flagging needs a threshold. The balanced
  accuracy at that threshold is the mean of the share of fakes flagged (the
  *detection rate*) and the share of real images left alone (1 minus the
  *false-alarm rate*).

A detector can rank a new generator's fakes almost perfectly (AP 0.99) and
still flag few of them at its usual threshold: its scores have shifted. Wang et
al. (CVPR 2020) report exactly that (StyleGAN2: AP 98.0%, accuracy 68.4%), and
the winner of the Deepfake Detection Challenge fell from 82.56% average
precision on the public test set to 65.18% on the held-out black-box set.

Used in: lessons/07_detecting_synthetic_media.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validate import check_number
from .images import check_images, check_scores

__all__ = ["CrossTable", "DetectorReport", "balanced_accuracy", "choose_threshold", "cross_generator_table", "evaluate"]

_METRICS = {"accuracy": "accuracy", "auc": "ROC AUC", "ap": "AP", "detection_rate": "share of fakes flagged",
            "false_alarm_rate": "share of real flagged"}


@dataclass(frozen=True)
class DetectorReport:
    """A detector's results on one set of real and synthetic test images.

    Attributes
    ----------
    auc, ap : float
        ROC AUC and average precision of the scores (threshold-free).
    accuracy : float
        Balanced accuracy at ``threshold``.
    threshold : float
        Scores at or above it are flagged as synthetic.
    detection_rate, false_alarm_rate : float
        Share of synthetic images flagged, share of real images flagged.
    """

    auc: float
    ap: float
    accuracy: float
    threshold: float
    detection_rate: float
    false_alarm_rate: float

    def row(self) -> str:
        """One line, e.g. 'AUC 0.992  AP 0.993  accuracy 0.58 at 0.50 (flags 16% of fakes, 0% of real)'."""
        return (f"AUC {self.auc:.3f}  AP {self.ap:.3f}  accuracy {self.accuracy:.2f} at {self.threshold:.2f} "
                f"(flags {self.detection_rate:.0%} of fakes, {self.false_alarm_rate:.0%} of real)")

    def __str__(self) -> str:
        return self.row()


def balanced_accuracy(real_scores: Any, fake_scores: Any, threshold: float = 0.5) -> float:
    """Mean of the share of real images scored below ``threshold`` and the share of fakes at or above it."""
    real, fake = check_scores(real_scores, fake_scores)
    threshold = check_number("threshold", threshold)
    return float(0.5 * ((real < threshold).mean() + (fake >= threshold).mean()))


def choose_threshold(real_scores: Any, fake_scores: Any) -> float:
    """The threshold with the highest balanced accuracy on a validation set.

    Candidates are the midpoints between consecutive distinct scores, plus one
    below the lowest and one above the highest; the first best one is returned.
    """
    real, fake = check_scores(real_scores, fake_scores)
    values = np.unique(np.r_[real, fake])
    candidates = np.r_[values[0] - 1e-6, (values[:-1] + values[1:]) / 2, values[-1] + 1e-6]
    real, fake = np.sort(real), np.sort(fake)
    real_below = np.searchsorted(real, candidates, side="left") / len(real)
    fake_at_or_above = 1 - np.searchsorted(fake, candidates, side="left") / len(fake)
    return float(candidates[np.argmax(real_below + fake_at_or_above)])


def evaluate(real_scores: Any, fake_scores: Any, threshold: float = 0.5) -> DetectorReport:
    """ROC AUC and average precision (scikit-learn), and balanced accuracy at ``threshold``.

    Parameters
    ----------
    real_scores, fake_scores : array-like
        The detector's scores (probability of "synthetic") for real and synthetic test images.
    threshold : float
        Scores at or above it count as "flagged as synthetic".
    """
    from sklearn.metrics import average_precision_score, roc_auc_score

    real, fake = check_scores(real_scores, fake_scores)
    threshold = check_number("threshold", threshold)
    labels = np.r_[np.zeros(len(real)), np.ones(len(fake))]
    scores = np.r_[real, fake]
    return DetectorReport(
        auc=float(roc_auc_score(labels, scores)),
        ap=float(average_precision_score(labels, scores)),
        accuracy=balanced_accuracy(real, fake, threshold),
        threshold=float(threshold),
        detection_rate=float((fake >= threshold).mean()),
        false_alarm_rate=float((real >= threshold).mean()),
    )


@dataclass
class CrossTable:
    """Detectors trained on one generator each and tested on every generator.

    Attributes
    ----------
    names : list of str
        The generators, in row and column order.
    reports : dict of (str, str) to DetectorReport
        ``reports[trained_on, tested_on]``.
    detector : str
        What kind of detector (for titles and sentences).
    """

    names: list[str]
    reports: dict[tuple[str, str], DetectorReport] = field(repr=False)
    detector: str = "detector"

    def matrix(self, metric: str = "accuracy") -> np.ndarray:
        """``(len(names), len(names))`` values of one metric: rows trained on, columns tested on."""
        if metric not in _METRICS:
            raise ValueError(f"metric must be one of {list(_METRICS)}, got {metric!r}")
        return np.array([[getattr(self.reports[a, b], metric) for b in self.names] for a in self.names])

    def to_markdown(self, metrics: Sequence[str] = ("accuracy", "auc", "ap")) -> str:
        """A Markdown table; each cell lists the metrics, e.g. '0.58 / 0.992 / 0.993'."""
        for metric in metrics:
            self.matrix(metric)  # checks the name
        head = " / ".join(_METRICS[m] for m in metrics)
        lines = [f"| trained on \\ tested on ({head}) | " + " | ".join(self.names) + " |",
                 "|---" * (len(self.names) + 1) + "|"]
        for a in self.names:
            cells = [" / ".join(f"{getattr(self.reports[a, b], m):.{2 if m == 'accuracy' else 3}f}" for m in metrics)
                     for b in self.names]
            cells = [f"**{cell}**" if b == a else cell for b, cell in zip(self.names, cells)]  # own generator in bold
            lines.append(f"| {a} | " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def heatmap(self, metric: str = "accuracy", title: str | None = None):
        """An annotated heatmap of one metric (an :class:`~workshop_utils.plotting.AccessibleFigure`)."""
        from ..plotting import AccessibleFigure, new_figure

        values = self.matrix(metric)
        n = len(self.names)
        fig, (ax,) = new_figure(1, width=1.2 * n + 2.2, height=1.0 * n + 1.4)
        image = ax.imshow(values, cmap="cividis", vmin=0, vmax=1)
        for i in range(n):
            for j in range(n):
                ax.text(j, i, f"{values[i, j]:.2f}", ha="center", va="center",
                        color="black" if values[i, j] > 0.6 else "white", fontweight="bold" if i == j else None)
        ax.set_xticks(range(n), self.names, rotation=30, ha="right")
        ax.set_yticks(range(n), self.names)
        ax.set_xlabel("tested on")
        ax.set_ylabel("trained on")
        label = _METRICS[metric]
        ax.set_title(title or f"{self.detector}: {label}")
        fig.colorbar(image, ax=ax, shrink=0.8)
        rows = [f"trained on {a}: " + ", ".join(f"{b} {values[i, j]:.2f}" for j, b in enumerate(self.names))
                for i, a in enumerate(self.names)]
        alt = f"Heatmap of {label} for the {self.detector}, rows trained on, columns tested on. " + "; ".join(rows) + "."
        return AccessibleFigure(fig, alt)

    def findings(self) -> list[str]:
        """Sentences built from the measured numbers: own generator against the others, per training generator."""
        sentences = []
        for a in self.names:
            own = self.reports[a, a]
            others = [b for b in self.names if b != a]
            text = (f"Trained on {a}: accuracy {own.accuracy:.2f} on its own generator's test images "
                    f"(flags {own.detection_rate:.0%} of them and {own.false_alarm_rate:.0%} of real images)")
            if others:
                parts = []
                for b in others:
                    r = self.reports[a, b]
                    part = f"{b} {r.accuracy:.2f} (AUC {r.auc:.2f}, AP {r.ap:.2f}, flags {r.detection_rate:.0%})"
                    if r.auc >= 0.9 and r.accuracy <= 0.75:
                        part += ": ranked well, but the threshold misses most of them"
                    elif r.auc < 0.5:
                        part += ": inverted, these fakes look *more real* than real images to it"
                    parts.append(part)
                text += "; on the others: " + "; ".join(parts)
            sentences.append(text + ".")
        return sentences


def cross_generator_table(make_detector: Callable[[], Any], real_train: Any, real_test: Any,
                          fakes_train: Mapping[str, Any], fakes_test: Mapping[str, Any],
                          threshold: float = 0.5, name: str = "detector") -> CrossTable:
    """Train one detector per generator and test each on every generator.

    Parameters
    ----------
    make_detector : callable
        ``make_detector()`` returns a fresh detector with ``fit(real, fake)`` and ``score(images)``.
    real_train, real_test : images
        Real images to train on and to test on (shared by every generator).
    fakes_train, fakes_test : dict of str to images
        Each generator's training and test images (the same names in both).
    threshold : float
        The threshold for accuracy and the flagged shares.
    name : str
        What kind of detector (used in titles and sentences).
    """
    if not callable(make_detector):
        raise TypeError(f"make_detector must be a function returning a fresh detector, got {make_detector!r}")
    if not isinstance(fakes_train, Mapping) or not isinstance(fakes_test, Mapping) or not fakes_train:
        raise ValueError("fakes_train and fakes_test must be non-empty dicts of generator name to images")
    if list(fakes_train) != list(fakes_test):
        raise ValueError(f"fakes_train and fakes_test must name the same generators in the same order, got "
                         f"{list(fakes_train)} and {list(fakes_test)}")
    real_train, real_test = check_images(real_train, "real_train"), check_images(real_test, "real_test")
    names = list(fakes_train)
    test = {b: check_images(fakes_test[b], f"fakes_test[{b!r}]") for b in names}
    reports = {}
    for a in names:
        detector = make_detector().fit(real_train, check_images(fakes_train[a], f"fakes_train[{a!r}]"))
        real_scores = detector.score(real_test)
        for b in names:
            reports[a, b] = evaluate(real_scores, detector.score(test[b]), threshold)
    return CrossTable(names, reports, name)
