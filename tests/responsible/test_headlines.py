"""The headline experiment: ratings saved per learner, merged across journals, analysed honestly."""

import json
from datetime import datetime, timedelta

import numpy as np
import pytest
from scipy import stats

from workshop_utils.datasets import text_corpus
from workshop_utils.discussion import Journal
from workshop_utils.responsible import headlines
from workshop_utils.responsible.checklist import RELEASE_CHECKLIST, release_checklist
from workshop_utils.responsible.headlines import HEADLINES, HeadlineRating, analyse, labelled_in, simulate_group


class Clock:
    def __init__(self):
        self.now = datetime(2026, 3, 14, 14, 2, 30).astimezone()

    def __call__(self):
        self.now += timedelta(seconds=1)
        return self.now


def prompt(journal, **kwargs):
    return HeadlineRating("09", "headline-ratings", "How accurate does each headline seem?", journal=journal, **kwargs)


def test_the_headlines_come_from_the_invented_corpus():
    held_out = set(text_corpus.load("heldout").splitlines())
    assert set(HEADLINES) <= held_out and len(HEADLINES) == 8


def test_versions_label_complementary_halves():
    assert labelled_in("A") == [0, 2, 4, 6] and labelled_in("B") == [1, 3, 5, 7]
    with pytest.raises(ValueError, match="version must be one of 'A', 'B'"):
        labelled_in("C")


def test_the_form_saves_each_rating_and_keeps_the_version(tmp_path):
    journal = Journal(tmp_path / "j.json", clock=Clock())
    form = prompt(journal).widget()
    version = form.prompt.assigned_version()
    labelled_rows = [i for i, row in enumerate(form.children[2:-1]) if "workshop-headline-labelled" in row._dom_classes]
    assert labelled_rows == labelled_in(version)
    form.ratings[0].value = "4"
    form.ratings[5].value = "2"
    answer = json.loads(journal.path.read_text())["entries"]["09"]["headline-ratings"]["answer"]
    assert answer["version"] == version and answer["h1"] == "4" and answer["h6"] == "2" and answer["h2"] == ""
    again = prompt(journal).widget()
    assert again.prompt.assigned_version() == version and again.ratings[5].value == "2"


def test_rate_in_code_and_bad_ratings(tmp_path):
    p = prompt(Journal(tmp_path / "j.json"), version="B")
    entry = p.rate([5, 4, 3, 2, 1, None, 1, 2])
    assert entry["answer"]["h1"] == "5" and entry["answer"]["h6"] == "" and entry["answer"]["version"] == "B"
    with pytest.raises(ValueError, match="ratings must have 8 entries"):
        p.rate([1, 2])
    with pytest.raises(ValueError, match=r"ratings\[0\] must be at most 5"):
        p.rate([6] * 8)
    with pytest.raises(ValueError, match="must be a rating from 1 to 5"):
        p.save({"version": "A", "h1": "9"})
    with pytest.raises(ValueError, match="an even number"):
        HeadlineRating("09", "x", "q", ("one", "two", "three"))


def test_sign_flip_p_is_exact():
    assert headlines.sign_flip_p([1.0, 1.0, 1.0]) == pytest.approx(2 / 8)
    assert headlines.sign_flip_p([0.5, -0.5]) == 1.0
    with pytest.raises(ValueError, match="non-empty list of finite numbers"):
        headlines.sign_flip_p([])


def test_analysis_of_a_merged_group(tmp_path):
    paths = simulate_group(tmp_path, n=9, effect=-1.0, seed=1)
    own = tmp_path / "mine.json"
    prompt(Journal(own), version="A").rate([1, 5, 1, 5, 1, 5, 1, 5])  # a learner who trusts unlabelled headlines
    result = analyse([*paths, own, tmp_path / "absent.json", own])
    assert result.n == 10 and result.simulated == 9
    assert result.differences.min() == pytest.approx(-4.0)  # the learner: 1 with label, 5 without
    low, high = result.confidence_interval()
    t_low, t_high = stats.t.interval(0.95, 9, loc=result.differences.mean(), scale=stats.sem(result.differences))
    assert (low, high) == (pytest.approx(t_low), pytest.approx(t_high))
    assert 0 < result.p_value() <= 1
    assert sum(h["n_with_label"] + h["n_without_label"] for h in result.per_headline) == 80
    text = result.text()
    assert f"{result.n} participants (9 of them simulated)" in text and "implied truth effect" in text
    assert f"{abs(result.mean_difference):.2f} points lower" in text
    figure = result.figure()
    assert "10 participants" in figure.alt and figure.png_bytes().startswith(b"\x89PNG")


def test_power_grows_with_the_group():
    rng = np.random.default_rng(0)
    result = headlines.GroupResult([f"P{i}" for i in range(10)], np.zeros(10), np.zeros(10),
                                   rng.normal(-0.3, 1.0, 10), [], "label")
    assert result.power(-0.3, n=10) < result.power(-0.3, n=100) < result.power(-0.3, n=1000)
    assert result.power(0.0, n=10) < 0.1, "with no effect, a test at 5% finds one about 5% of the time"
    assert result.smallest_detectable(10) > result.smallest_detectable(100)


def test_analysis_needs_ratings(tmp_path):
    with pytest.raises(ValueError, match="none of the journals exists yet"):
        analyse([tmp_path / "absent.json"])
    Journal(tmp_path / "other.json").record("01", "x", "reflection", "hello")
    with pytest.raises(ValueError, match="no journal holds headline ratings"):
        analyse([tmp_path / "other.json"])
    with pytest.raises(TypeError, match="journals must be a list"):
        analyse(str(tmp_path / "other.json"))


def test_release_checklist_saves_every_item(tmp_path):
    checklist = release_checklist(journal=Journal(tmp_path / "j.json"))
    form = checklist.widget()
    assert [box.description for box in form.boxes.values()] == [label for _, label, _ in RELEASE_CHECKLIST]
    form.boxes["licence"].value = "MIT for the code, CC BY for the samples"
    saved = json.loads((tmp_path / "j.json").read_text())["entries"]["10"]["release-checklist"]["answer"]
    assert saved["licence"] == "MIT for the code, CC BY for the samples"
