import math

import pytest
import torch
import torch.nn.functional as F

from workshop_utils import checkpoints, plotting
from workshop_utils.datasets import text_corpus
from workshop_utils.models import charlm
from workshop_utils.training import EvaluateEvery, train


@pytest.fixture(autouse=True)
def _seed():
    torch.set_num_threads(1)  # as in the notebooks: tiny models are fastest on one thread
    torch.manual_seed(0)


@pytest.fixture(scope="module")
def corpus():
    train_text = text_corpus.load("train")
    vocab = charlm.Vocabulary.from_text(train_text)
    return vocab, vocab.encode(train_text), text_corpus.load("heldout")


@pytest.fixture(scope="module")
def shipped():
    return charlm.pretrained()


def test_vocabulary_round_trip_and_errors():
    vocab = charlm.Vocabulary.from_text("banana\n")
    assert vocab.chars == ["\n", "a", "b", "n"] and len(vocab) == 4 and "a" in vocab
    ids = vocab.encode("nab\n")
    assert ids.dtype == torch.long and ids.tolist() == [3, 1, 2, 0]
    assert vocab.decode(ids) == "nab\n" and vocab.decode([1, 1]) == "aa"
    with pytest.raises(ValueError, match=r"outside the vocabulary: \['x', 'z'\]"):
        vocab.encode("zax")
    with pytest.raises(ValueError, match="ids must be whole numbers from 0 to 3"):
        vocab.decode([0, 4])
    with pytest.raises(ValueError, match="non-empty string"):
        charlm.Vocabulary.from_text("")
    with pytest.raises(TypeError, match="text must be a string"):
        vocab.encode(["a"])


def test_model_shapes_and_state():
    model = charlm.CharLM(10, embed_dim=4, hidden=8)
    logits, state = model(torch.randint(0, 10, (3, 7)))
    assert logits.shape == (3, 7, 10) and state.shape == (1, 3, 8)
    more, _ = model(torch.randint(0, 10, (3, 2)), state)
    assert more.shape == (3, 2, 10)
    assert sum(p.numel() for p in charlm.CharLM(72).parameters()) == 73_800
    with pytest.raises(ValueError, match=r"ids must have shape \(batch, length\)"):
        model(torch.zeros(5, dtype=torch.long))
    with pytest.raises(ValueError, match="vocab_size must be at least 2"):
        charlm.CharLM(1)


def test_random_batch_shifts_targets_by_one(corpus):
    _, data, _ = corpus
    g = torch.Generator().manual_seed(3)
    inputs, targets = charlm.random_batch(data, 5, 16, g)
    assert inputs.shape == targets.shape == (5, 16)
    assert torch.equal(inputs[:, 1:], targets[:, :-1])
    again = charlm.random_batch(data, 5, 16, torch.Generator().manual_seed(3))
    assert torch.equal(again[0], inputs)
    with pytest.raises(ValueError, match="longer than seq_len"):
        charlm.random_batch(data[:10], 2, 16)
    with pytest.raises(ValueError, match="seq_len must be at least 1"):
        charlm.random_batch(data, 2, 0)


def test_training_steps_are_deterministic_and_lower_the_loss(corpus):
    vocab, data, heldout = corpus
    runs = []
    for _ in range(2):
        torch.manual_seed(1)
        model = charlm.CharLM(len(vocab))
        history = charlm.train_charlm(model, data, 60, seq_len=32, lr=5e-3, seed=2)
        runs.append((history.losses["loss"], model))
    assert runs[0][0] == runs[1][0], "same seeds must give the same losses"
    losses = runs[0][0]
    assert losses[0] > math.log(len(vocab)) - 0.3, "an untrained model should be close to uniform"
    assert sum(losses[-10:]) / 10 < losses[0] - 1.0
    assert charlm.evaluate_text(runs[0][1], vocab, heldout[:3000]).bits_per_char < charlm.uniform_bpc(len(vocab)) - 1


def test_train_step_returns_a_float_loss_and_clips(corpus):
    vocab, data, _ = corpus
    model = charlm.CharLM(len(vocab), hidden=16)
    opt = charlm.make_optimizer(model)
    out = charlm.train_step(model, opt, *charlm.random_batch(data, 4, 8))
    assert set(out) == {"loss"} and isinstance(out["loss"], float)
    with pytest.raises(ValueError, match="lr must be greater than 0"):
        charlm.make_optimizer(model, lr=0)


def test_temperature_probs():
    logits = torch.tensor([[2.0, 1.0, 0.0, -1.0], [0.0, 0.0, 3.0, 0.0]])
    assert torch.allclose(charlm.temperature_probs(logits, 1.0), torch.softmax(logits, -1))
    assert torch.allclose(charlm.temperature_probs(logits, 0.5), torch.softmax(2 * logits, -1))
    cold, hot = charlm.temperature_probs(logits, 0.3), charlm.temperature_probs(logits, 3.0)
    assert torch.allclose(cold.sum(-1), torch.ones(2)) and torch.allclose(hot.sum(-1), torch.ones(2))
    assert (cold.max(-1).values > hot.max(-1).values).all()
    frozen = charlm.temperature_probs(torch.tensor([50.0, 49.0, -50.0]), 1e-3)
    assert torch.isfinite(frozen).all() and frozen.argmax() == 0 and frozen[0] > 0.999
    for bad in (0, -1.0):
        with pytest.raises(ValueError, match="temperature must be greater than 0"):
            charlm.temperature_probs(logits, bad)


def test_sample_next_follows_the_distribution():
    logits = torch.tensor([1.0, 0.0, -1.0, 0.5])
    g = torch.Generator().manual_seed(0)
    draws = torch.tensor([charlm.sample_next(logits, 1.0, g) for _ in range(4000)])
    freq = torch.bincount(draws, minlength=4).float() / len(draws)
    assert torch.allclose(freq, torch.softmax(logits, -1), atol=0.03)
    assert all(charlm.sample_next(logits, 0.01) == 0 for _ in range(20)), "T -> 0 is greedy"
    a = [charlm.sample_next(logits, 1.0, torch.Generator().manual_seed(7)) for _ in range(3)]
    assert len(set(a)) == 1
    with pytest.raises(ValueError, match="1-D tensor"):
        charlm.sample_next(logits[None], 1.0)


def test_generate(shipped):
    model, vocab = shipped
    text = charlm.generate(model, vocab, 120, temperature=0.8, seed=5)
    assert len(text) == 120 and set(text) <= set(vocab.chars)
    assert text == charlm.generate(model, vocab, 120, temperature=0.8, seed=5)
    line = charlm.generate(model, vocab, 300, temperature=0.8, seed=5, stop_at_newline=True)
    assert "\n" not in line and text.startswith(line)
    always_a = charlm.generate(model, vocab, 5, sampler=lambda logits, t, g: vocab.index["a"])
    assert always_a == "aaaaa"
    with pytest.raises(ValueError, match="outside the vocabulary"):
        charlm.generate(model, vocab, 5, prompt="\u00e9")
    with pytest.raises(ValueError, match="temperature must be greater than 0"):
        charlm.generate(model, vocab, 5, temperature=0)


def test_mean_nll_and_baselines():
    logits = torch.zeros(2, 5, 8)
    targets = torch.randint(0, 8, (2, 5))
    assert math.isclose(charlm.mean_nll(logits, targets).item(), math.log(8), rel_tol=1e-6)
    rand = torch.randn(3, 4, 8)
    manual = -F.log_softmax(rand, -1).gather(-1, targets[:1].repeat(3, 1)[:, :4, None]).mean()
    assert torch.isclose(charlm.mean_nll(rand, targets[:1].repeat(3, 1)[:, :4]), manual)
    with pytest.raises(ValueError, match=r"logits must be \(batch, length, vocab\)"):
        charlm.mean_nll(logits, targets[:, :3])
    assert charlm.uniform_bpc(8) == 3.0
    assert math.isclose(charlm.unigram_bpc("aab", "ab"), -(math.log2(3 / 5) + math.log2(2 / 5)) / 2)
    with pytest.raises(ValueError, match="non-empty strings"):
        charlm.unigram_bpc("", "a")


def test_perplexity_ranks_real_text_below_baselines_and_noise(shipped):
    model, vocab = shipped
    train_text, heldout = text_corpus.load("train"), text_corpus.load("heldout")[:6000]
    real = charlm.evaluate_text(model, vocab, heldout)
    assert math.isclose(real.perplexity, math.exp(real.nll)) and math.isclose(real.bits_per_char, real.nll / math.log(2))
    g = torch.Generator().manual_seed(0)
    noise = vocab.decode(torch.randint(0, len(vocab), (2000,), generator=g))
    noise_bpc = charlm.evaluate_text(model, vocab, noise).bits_per_char
    unigram, uniform = charlm.unigram_bpc(train_text, heldout), charlm.uniform_bpc(len(vocab))
    assert real.bits_per_char < 0.8 < unigram < uniform < noise_bpc
    untrained = charlm.evaluate_text(charlm.CharLM(len(vocab)), vocab, heldout).bits_per_char
    assert abs(untrained - uniform) < 0.3, "an untrained model is about as good as uniform guessing"


def test_shipped_checkpoint_matches_its_card(shipped):
    model, vocab = shipped
    card = checkpoints.card(charlm.CHECKPOINT)
    assert not model.training and card["config"]["vocab_size"] == len(vocab)
    score = charlm.evaluate_text(model, vocab, text_corpus.load("heldout"))
    assert abs(score.bits_per_char - card["metrics"]["heldout_bits_per_char"]) < 1e-3
    assert checkpoints.checkpoint_path(charlm.CHECKPOINT).stat().st_size < 2 * 1024 * 1024


def test_char_ranks_show_that_greedy_text_is_all_top_guesses(shipped):
    model, vocab = shipped
    greedy = charlm.generate(model, vocab, 150, temperature=1e-4, seed=0)
    ranks = charlm.char_ranks(model, vocab, greedy)
    assert ranks.shape == (150,) and (ranks == 1).float().mean() > 0.99
    real = charlm.char_ranks(model, vocab, text_corpus.load("heldout")[:3000])
    assert real.min() >= 1 and real.max() <= len(vocab) and (real == 1).float().mean() < 0.95


def test_plot_bits_per_char():
    history = train(lambda i: {"loss": 1.0}, max_steps=4, progress=False,
                    callbacks=[EvaluateEvery(2, lambda: 2.0, "bpc")])
    figure = charlm.plot_bits_per_char(history, bar=0.9, references={"unigram": 4.7})
    assert isinstance(figure, plotting.AccessibleFigure)
    assert "quality bar at 0.9" in figure.alt and "unigram baseline at 4.70" in figure.alt
    with pytest.raises(ValueError, match="no values of the metric 'nope'"):
        charlm.plot_bits_per_char(history, "nope")


def test_generate_batch_writes_repeatable_passages_of_the_exact_length():
    torch.set_num_threads(1)
    model, vocab = charlm.pretrained()
    first = charlm.generate_batch(model, vocab, 5, 40, temperature=0.8, seed=3)
    assert len(first) == 5 and all(len(p) == 40 for p in first)
    assert charlm.generate_batch(model, vocab, 5, 40, temperature=0.8, seed=3) == first
    assert charlm.generate_batch(model, vocab, 5, 40, temperature=0.8, seed=4) != first
    assert len(set(first)) == 5, "the passages are sampled independently"
    greedy = charlm.generate_batch(model, vocab, 3, 30, temperature=1e-4, prompt="\nOpinion", seed=0)
    assert greedy[0] == greedy[1] == greedy[2] == charlm.generate(model, vocab, 30, 1e-4, prompt="\nOpinion", seed=0)
    with pytest.raises(ValueError, match="temperature must be greater than 0"):
        charlm.generate_batch(model, vocab, 2, 10, temperature=0)
    with pytest.raises(ValueError, match="n must be"):
        charlm.generate_batch(model, vocab, 0, 10)
