import pytest
import torch

from workshop_utils.datasets import text_corpus
from workshop_utils.detection import human
from workshop_utils.discussion import QuizItem, RealOrSynthetic
from workshop_utils.models import charlm


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)  # as in the notebooks: tiny models are fastest on one thread


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: human.text_quiz_items(temperature=0), "temperature must be greater than 0"),
        (lambda: human.text_quiz_items(kind="poem"), "kind must be one of"),
        (lambda: human.text_quiz_items(0, 0), "at least one item"),
        (lambda: human.text_quiz_items(model=torch.nn.Linear(1, 1)), "give both model and vocab"),
    ],
)
def test_text_quiz_items_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_text_quiz_items_mix_heldout_and_new_model_lines():
    items = human.text_quiz_items(n_real=3, n_fake=4, temperature=0.8, seed=1)
    assert len(items) == 7 and all(isinstance(i, QuizItem) for i in items)
    real = [i for i in items if i.answer == "Real"]
    fake = [i for i in items if i.answer == "Synthetic"]
    assert len(real) == 3 and len(fake) == 4
    heldout, train = set(text_corpus.lines("heldout")), set(text_corpus.lines("train"))
    assert all(i.text in heldout and "held-out" in i.explanation for i in real)
    assert all(i.text not in train and len(i.text) >= 20 and "temperature 0.8" in i.explanation for i in fake)
    again = human.text_quiz_items(n_real=3, n_fake=4, temperature=0.8, seed=1)
    assert again == items, "the same seed must give the same quiz"
    reviews = human.text_quiz_items(n_real=2, n_fake=2, temperature=1.0, seed=2, kind="review")
    assert all(text_corpus.line_kind(i.text) == "review" for i in reviews)
    quiz = RealOrSynthetic("04", "corpus-or-model", "Real or synthetic?", items)
    truth = [i.answer for i in items]
    assert quiz.score(truth).correct == 7


def test_text_quiz_items_with_a_given_model_and_a_failing_temperature():
    model, vocab = charlm.pretrained()
    # at a tiny temperature the model writes the same line every time: it cannot supply 5 different ones
    with pytest.raises(RuntimeError, match="Try a higher temperature"):
        human.text_quiz_items(n_real=0, n_fake=5, temperature=0.01, model=model, vocab=vocab)


def test_template_tells_counts_what_the_templates_accept_and_names_the_tells():
    report = human.template_tells(n_lines=12, temperature=0.8, seed=0)
    assert len(report.model_checks) == 12 and report.corpus_total == len(text_corpus.lines("heldout"))
    assert report.corpus_passed == report.corpus_total  # the corpus's own lines always pass
    train = set(text_corpus.lines("train"))
    assert all(c.line not in train for c in report.model_checks), "copied training lines are not new lines"
    assert report.model_passed == sum(text_corpus.check_line(c.line).fits for c in report.model_checks)
    assert 0 < report.model_passed < 12, "at temperature 0.8 the shipped model writes both kinds of line"
    text = str(report)
    assert f"{report.model_passed} of 12" in text and f"{report.corpus_passed} of {report.corpus_total}" in text
    first_tell = next(c for c in report.model_checks if not c.fits)
    assert first_tell.problems[0] in text and "in 10" in text
    assert human.template_tells(n_lines=12, temperature=0.8, seed=0) == report, "the same seed gives the same report"


def test_template_tells_sentence_follows_the_numbers():
    fits = text_corpus.check_line("5/5 Great kettle. It is quiet. Five stars.")
    tell = text_corpus.check_line("5/5 Great kettle. It is quiet. Avoid.")
    assert "about as well as guessing" in str(human.TellReport(0.8, (fits, fits), 400, 400))
    assert "should beat guessing" in str(human.TellReport(0.8, (tell, tell), 400, 400))
    mixed = str(human.TellReport(0.8, (fits, tell), 400, 400))
    assert "about 5 in 10" in mixed and "'Avoid.' goes with 1/5 or 2/5" in mixed


def test_template_tells_errors():
    with pytest.raises(ValueError, match="n_lines"):
        human.template_tells(n_lines=0)
    with pytest.raises(ValueError, match="give both model and vocab"):
        human.template_tells(model=torch.nn.Linear(1, 1))


def test_face_quiz_items_mix_real_renders_and_unfiltered_generated_faces():
    items = human.face_quiz_items(n_real=3, n_fake_per_generator=2, generators=("face swap", "VAE bilinear"), seed=1)
    assert len(items) == 7 and [i.answer for i in items].count("Real") == 3
    assert all(i.image is not None and i.alt.startswith("A 32-pixel cartoon face") for i in items)
    assert all("Real" not in i.alt and "ynthetic" not in i.alt for i in items), "alt text must not give the answer away"
    assert sum("face swap" in i.explanation for i in items) == 2
    assert sum("VAE" in i.explanation for i in items) == 2
    again = human.face_quiz_items(n_real=3, n_fake_per_generator=2, generators=("face swap", "VAE bilinear"), seed=1)
    assert [i.image for i in again] == [i.image for i in items]
    quiz = RealOrSynthetic("07", "faces", "Real render or generated?", items)
    assert quiz.score([i.answer for i in items]).correct == 7


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"generators": ("StyleGAN",)}, "generators must be one of"),
        ({"generators": ("real",)}, "generators must be one of"),
        ({"generators": ("VAE bilinear", "VAE bilinear")}, "must not repeat"),
        ({"n_real": 0, "n_fake_per_generator": 0}, "at least one item"),
        ({"n_real": -1}, "n_real must be"),
    ],
)
def test_face_quiz_items_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        human.face_quiz_items(**kwargs)
