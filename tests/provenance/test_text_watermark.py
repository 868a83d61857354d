"""The green-list text watermark on the shipped character model.

Reference vectors and floors come from the measurements behind lesson 08: with a context of
four characters no real passage scored z > 4 over 40 keys; with one character, real text's
z-score depends on the key and some real 800-character passages are flagged.
"""

import math

import pytest
import torch

from workshop_utils.datasets import text_corpus
from workshop_utils.provenance import robustness
from workshop_utils.provenance import text_watermark as tw


@pytest.fixture(scope="module")
def heldout():
    return text_corpus.load("heldout")


def test_green_list_reference_vectors():
    mask = tw.green_list("the ", 2024, 72)
    assert mask.dtype == torch.bool and mask.shape == (72,) and int(mask.sum()) == 36
    assert mask.nonzero().flatten()[:10].tolist() == [0, 4, 5, 6, 7, 8, 10, 13, 16, 17]
    quarter = tw.green_list("e", 2024, 72, 0.25)
    assert int(quarter.sum()) == 18
    assert quarter.nonzero().flatten()[:10].tolist() == [1, 6, 7, 21, 22, 27, 29, 30, 37, 40]
    assert torch.equal(tw.green_list("the ", 2024, 72), mask)
    assert not torch.equal(tw.green_list("the ", 2025, 72), mask)
    assert not torch.equal(tw.green_list("tha ", 2024, 72), mask)
    assert int(tw.green_list("x", 1, 101, 0.5).sum()) == round(0.5 * 101)


def test_z_score_formula():
    assert tw.z_score(50, 100) == 0
    assert tw.z_score(60, 100) == pytest.approx(2.0)
    assert tw.z_score(30, 100, 0.25) == pytest.approx(5 / math.sqrt(100 * 0.25 * 0.75))


def test_watermark_logits_adds_delta_on_green_only():
    logits, green = torch.zeros(2, 5), torch.tensor([True, False, True, False, False])
    assert torch.equal(tw.watermark_logits(logits, green, 2.0)[0], torch.tensor([2.0, 0, 2.0, 0, 0]))


def test_strong_watermark_is_detected_and_plain_text_is_not(charlm_and_vocab):
    model, vocab = charlm_and_vocab
    lists = tw.GreenLists(vocab, key=7)
    marked = tw.generate_batch(model, vocab, 4, 400, delta=8.0, lists=lists, seed=1)
    plain = tw.generate_batch(model, vocab, 4, 400, seed=1)
    assert all(tw.detect(t, lists).watermarked for t in marked)
    assert not any(tw.detect(t, lists).watermarked for t in plain)
    result = tw.detect(marked[0], lists)
    assert result.n_scored == 396 and result.p_value < 1e-4 and "watermark detected" in str(result)


def test_generation_is_repeatable_and_bias_matches_delta(charlm_and_vocab):
    model, vocab = charlm_and_vocab
    lists = tw.GreenLists(vocab, key=3)
    one = tw.generate_batch(model, vocab, 3, 60, delta=2.0, lists=lists, seed=5)
    assert one == tw.generate_batch(model, vocab, 3, 60, delta=2.0, lists=lists, seed=5)
    assert one != tw.generate_batch(model, vocab, 3, 60, delta=2.0, lists=lists, seed=6)
    by_bias = tw.generate_batch(model, vocab, 3, 60, seed=5,
                                bias=lambda logits, text: tw.watermark_logits(logits, lists(text), 2.0))
    assert by_bias == one
    continued = tw.generate_batch(model, vocab, 2, 10, prompt=["abc", "xyz"], seed=0)
    assert [len(t) for t in continued] == [10, 10]


def test_four_characters_of_context_keep_real_text_near_zero(heldout, charlm_and_vocab):
    _, vocab = charlm_and_vocab
    real = [heldout[i:i + 200] for i in range(0, len(heldout) - 199, 200)]
    scores = robustness.real_text_scores(real, vocab, keys=[1, 2, 3, 4, 5], width=4)
    assert scores.z.shape == (5, len(real))
    assert scores.flagged_share(4.0) == 0
    assert abs(scores.z.mean()) < 0.3


def test_one_character_of_context_flags_real_text_for_some_keys(heldout, charlm_and_vocab):
    _, vocab = charlm_and_vocab
    real = [heldout[i:i + 800] for i in range(0, len(heldout) - 799, 800)]
    scores = robustness.real_text_scores(real, vocab, keys=list(range(1, 11)), width=1)
    assert scores.flagged_share(4.0) >= 0.05, "measured 20% over keys 1-10"
    assert scores.key_means.max() - scores.key_means.min() > 3, "real text's mean z depends on the key"


def test_edits_lower_the_z_score(charlm_and_vocab):
    model, vocab = charlm_and_vocab
    lists = tw.GreenLists(vocab, key=11)
    marked = tw.generate_batch(model, vocab, 6, 800, delta=4.0, lists=lists, seed=2)
    sweep = robustness.text_edit_sweep(marked, lists, {
        "every 3rd character replaced": lambda t, i: tw.replace_every(t, 3, vocab, seed=i)})
    before, after = sweep.z["unedited"], sweep.z["every 3rd character replaced"]
    assert min(before) > 4 and max(after) < 4
    assert "mean z" in str(sweep.table())
    assert tw.delete_every("abcdef", 2) == "ace"
    assert sorted(tw.swap_words("a b c d", 1.0).split()) == ["a", "b", "c", "d"]


def test_bad_input(charlm_and_vocab):
    model, vocab = charlm_and_vocab
    with pytest.raises(ValueError, match="context must be a non-empty string"):
        tw.green_list("", 1, 72)
    with pytest.raises(ValueError, match="gamma .* between 0 and 1"):
        tw.green_list("a", 1, 72, gamma=1.5)
    with pytest.raises(TypeError, match="key must be a whole number"):
        tw.green_list("a", "secret", 72)
    with pytest.raises(ValueError, match="n_scored must be at least 1"):
        tw.z_score(0, 0)
    with pytest.raises(ValueError, match="needs more than 4 characters"):
        tw.detect("abc", tw.GreenLists(vocab))
    with pytest.raises(ValueError, match="needs lists"):
        tw.generate_batch(model, vocab, 1, 5, delta=2.0)
    with pytest.raises(ValueError, match="width must be at least 1"):
        tw.GreenLists(vocab, width=0)
    with pytest.raises(TypeError, match="vocab must be a charlm.Vocabulary"):
        tw.GreenLists("abc")
