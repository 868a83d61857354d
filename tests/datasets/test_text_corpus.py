import string

import pytest

from workshop_utils.datasets import datasheets, text_corpus


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
    ],
)
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
