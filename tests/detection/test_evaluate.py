import numpy as np
import pytest

from workshop_utils.detection import evaluate
from workshop_utils.detection.evaluate import balanced_accuracy, choose_threshold


def test_evaluate_separates_ranking_from_decisions():
    real = np.linspace(0.0, 0.2, 50)
    fake = np.linspace(0.3, 0.45, 50)  # perfectly ranked, but all below 0.5
    report = evaluate.evaluate(real, fake)
    assert report.auc == pytest.approx(1.0) and report.ap == pytest.approx(1.0)
    assert report.accuracy == pytest.approx(0.5) and report.detection_rate == 0 and report.false_alarm_rate == 0
    assert "AUC 1.000" in report.row() and "flags 0% of fakes" in str(report)
    tuned = evaluate.evaluate(real, fake, threshold=choose_threshold(real, fake))
    assert tuned.accuracy == pytest.approx(1.0)


def test_balanced_accuracy_weights_classes_equally():
    assert balanced_accuracy([0.1, 0.2], [0.8, 0.9], 0.5) == 1.0
    assert balanced_accuracy([0.1, 0.6], [0.8, 0.9], 0.5) == 0.75
    assert balanced_accuracy([0.1] * 900 + [0.9] * 0, [0.1] * 100, 0.5) == 0.5  # plain accuracy would be 0.9
    with pytest.raises(ValueError, match="threshold must be"):
        balanced_accuracy([0.1], [0.9], float("nan"))


def test_choose_threshold_finds_the_best_cut_far_from_one_half():
    rng = np.random.default_rng(0)
    real, fake = rng.beta(2, 30, 400), rng.beta(2, 12, 300)
    t = choose_threshold(real, fake)
    grid = np.unique(np.r_[real, fake])
    best = max(balanced_accuracy(real, fake, g) for g in np.r_[grid, grid + 1e-9])
    assert balanced_accuracy(real, fake, t) == pytest.approx(best)
    assert t < 0.3
    assert choose_threshold([0.2], [0.2]) <= 0.2 + 1e-6


def test_cross_generator_table_and_its_sentences():
    class ByMean:
        """Scores images by how bright they are, in the direction seen in training."""

        def fit(self, real, fake):
            self.sign = np.sign(fake.mean() - real.mean())
            self.centre = (fake.mean() + real.mean()) / 2
            return self

        def score(self, images):
            return 1 / (1 + np.exp(-50 * self.sign * (images.mean(axis=(1, 2, 3)) - self.centre)))

    rng = np.random.default_rng(0)
    real = rng.random((40, 3, 8, 8)) * 0.2 + 0.4
    bright, dark = real + 0.3, real - 0.3
    table = evaluate.cross_generator_table(ByMean, real, real, {"bright": bright, "dark": dark},
                                           {"bright": bright, "dark": dark}, name="brightness")
    assert table.matrix("accuracy").diagonal().tolist() == [1.0, 1.0]
    assert table.matrix("auc")[0, 1] == 0.0  # trained on bright fakes, dark ones look more real than real
    assert "| bright |" in table.to_markdown() and "**1.00 / 1.000 / 1.000**" in table.to_markdown()
    findings = table.findings()
    assert len(findings) == 2 and "inverted" in findings[0] and "Trained on bright" in findings[0]
    assert "brightness" in table.heatmap().alt
    with pytest.raises(ValueError, match="metric must be one of"):
        table.matrix("f1")
    with pytest.raises(ValueError, match="same generators"):
        evaluate.cross_generator_table(ByMean, real, real, {"bright": bright}, {"dark": dark})
