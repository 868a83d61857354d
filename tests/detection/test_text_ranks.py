import numpy as np
import pytest
import torch

from workshop_utils.datasets import text_corpus
from workshop_utils.detection import text_ranks
from workshop_utils.models import charlm


@pytest.fixture(scope="module")
def lm():
    torch.set_num_threads(1)
    return charlm.pretrained()


def test_real_passages_start_at_lines_and_do_not_overlap():
    text = "one\ntwo two\nthree three three\nfour\n"
    assert text_ranks.real_passages(text, 2, 6) == ["one\ntw", "three "]
    with pytest.raises(ValueError, match="only 2 passages"):
        text_ranks.real_passages(text, 3, 6)


def test_rank_features_agree_with_char_ranks(lm):
    model, vocab = lm
    passages = text_ranks.real_passages(text_corpus.load("heldout"), 3, 80)
    features = text_ranks.rank_features(model, vocab, passages)
    ranks = charlm.char_ranks(model, vocab, passages[1])
    assert features.shape == (3, 3)
    assert features[1, 0] == pytest.approx((ranks == 1).float().mean().item())
    assert features[1, 1] == pytest.approx((ranks <= 3).float().mean().item())
    buckets = text_ranks.rank_buckets(model, vocab, passages)
    assert buckets.shape == (3, 4) and np.allclose(buckets.sum(1), 1)
    assert buckets[1, 0] == pytest.approx(features[1, 0])
    with pytest.raises(ValueError, match="same length"):
        text_ranks.rank_features(model, vocab, ["abc", "ab"])


def test_low_temperature_text_is_easy_to_spot(lm):
    model, vocab = lm
    real = text_ranks.rank_features(model, vocab, text_ranks.real_passages(text_corpus.load("heldout"), 30, 150))
    cold = text_ranks.rank_features(model, vocab, charlm.generate_batch(model, vocab, 30, 150, 0.4, seed=0))
    assert text_ranks.rank_auc(real, cold, "top-1 share") > 0.9
    assert cold[:, 0].mean() > real[:, 0].mean()
    figure = text_ranks.plot_rank_buckets({"real": real[:, :1].repeat(4, 1) / 4})
    assert "real: rank 1" in figure.alt
    with pytest.raises(ValueError, match="column must be one of"):
        text_ranks.rank_auc(real, cold, "entropy")
