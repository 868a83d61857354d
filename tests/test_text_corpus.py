import string

import pytest
import torch


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)  # as in the notebooks: tiny models are fastest on one thread

from workshop_utils import charlm, datasheets, text_corpus


def test_shipped_files_are_exactly_what_the_generator_writes(tmp_path):
    made = text_corpus.make_corpus()
    for split in text_corpus.SPLITS:
        assert text_corpus.load(split) == made[split], (
            f"small_town_text.{split}.txt is stale: run text_corpus.write_corpus() and retrain the checkpoint")
    paths = text_corpus.write_corpus(tmp_path)
    for split, path in paths.items():
        shipped = text_corpus._folder() / path.name
        assert path.read_bytes() == shipped.read_bytes()


def test_generation_is_deterministic_and_depends_on_the_seed():
    assert text_corpus.generate_lines(60, seed=1) == text_corpus.generate_lines(60, seed=1)
    assert text_corpus.generate_lines(60, seed=1) != text_corpus.generate_lines(60, seed=2)
    only_reviews = text_corpus.generate_lines(30, seed=3, review_share=1.0)
    assert all(text_corpus.line_kind(l) == "review" for l in only_reviews)


def test_split_sizes_no_overlap_no_repeats():
    train, heldout = text_corpus.lines("train"), text_corpus.lines("heldout")
    assert (len(train), len(heldout)) == (text_corpus.SPLITS["train"], text_corpus.SPLITS["heldout"])
    assert len(set(train) | set(heldout)) == len(train) + len(heldout)
    assert all(text_corpus.load(s).endswith("\n") for s in text_corpus.SPLITS)
    size = sum(len(text_corpus.load(s).encode()) for s in text_corpus.SPLITS)
    assert size < 300_000, "keep the shipped corpus small"


def test_corpus_is_varied_ascii_with_both_kinds():
    train = text_corpus.lines("train")
    kinds = [text_corpus.line_kind(l) for l in train]
    assert 0.3 < kinds.count("review") / len(kinds) < 0.6
    assert len({l.split()[0] for l in train if text_corpus.line_kind(l) == "headline"}) > 25
    assert set(text_corpus.load("train")) <= set(string.ascii_letters + string.digits + " \n$%&',-./:")
    reviews = [l for l in train if text_corpus.line_kind(l) == "review"]
    assert {l[:4] for l in reviews} == {f"{r}/5 " for r in range(1, 6)}
    assert all(l == l.strip() and (l[0].isupper() or l[0].isdigit()) for l in train)
    assert max(map(len, train)) < 150, "quiz_items assumes corpus lines are shorter than 150 characters"


def test_line_kind():
    assert text_corpus.line_kind("4/5 Great kettle.") == "review"
    assert text_corpus.line_kind("Roadworks on Mill Lane to last until June") == "headline"
    assert text_corpus.line_kind("45/5 odd") == "headline"
    with pytest.raises(TypeError, match="line must be a string"):
        text_corpus.line_kind(3)


def test_datasheet_matches_the_corpus():
    sheet = str(datasheets.datasheet(text_corpus.CORPUS_NAME))
    assert "3,400 distinct lines" in sheet and f"{len(set(text_corpus.load('train')))} characters" in sheet


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: text_corpus.generate_lines(0), ValueError, "n must be at least 1"),
        (lambda: text_corpus.generate_lines(5, review_share=2), ValueError, "review_share must be at most 1"),
        (lambda: text_corpus.load("test"), ValueError, "split must be one of"),
        (lambda: text_corpus.quiz_items(temperature=0), ValueError, "temperature must be greater than 0"),
        (lambda: text_corpus.quiz_items(kind="poem"), ValueError, "kind must be one of"),
        (lambda: text_corpus.quiz_items(0, 0), ValueError, "at least one item"),
        (lambda: text_corpus.quiz_items(model=torch.nn.Linear(1, 1)), ValueError, "give both model and vocab"),
    ],
)
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_quiz_items_mix_heldout_and_new_model_lines():
    from workshop_utils.prompts import QuizItem, RealOrSynthetic

    items = text_corpus.quiz_items(n_real=3, n_fake=4, temperature=0.8, seed=1)
    assert len(items) == 7 and all(isinstance(i, QuizItem) for i in items)
    real = [i for i in items if i.answer == "Real"]
    fake = [i for i in items if i.answer == "Synthetic"]
    assert len(real) == 3 and len(fake) == 4
    heldout, train = set(text_corpus.lines("heldout")), set(text_corpus.lines("train"))
    assert all(i.text in heldout and "held-out" in i.explanation for i in real)
    assert all(i.text not in train and len(i.text) >= 20 and "temperature 0.8" in i.explanation for i in fake)
    again = text_corpus.quiz_items(n_real=3, n_fake=4, temperature=0.8, seed=1)
    assert again == items, "the same seed must give the same quiz"
    reviews = text_corpus.quiz_items(n_real=2, n_fake=2, temperature=1.0, seed=2, kind="review")
    assert all(text_corpus.line_kind(i.text) == "review" for i in reviews)
    quiz = RealOrSynthetic("04", "corpus-or-model", "Real or synthetic?", items)
    truth = [i.answer for i in items]
    assert quiz.score(truth).correct == 7


def test_quiz_items_with_a_given_model_and_a_failing_temperature():
    model, vocab = charlm.pretrained()
    # at a tiny temperature the model writes the same line every time: it cannot supply 5 different ones
    with pytest.raises(RuntimeError, match="Try a higher temperature"):
        text_corpus.quiz_items(n_real=0, n_fake=5, temperature=0.01, model=model, vocab=vocab)
