import numpy as np
import pytest
import torch

from workshop_utils.datasets import digits
from workshop_utils.metrics import fid_lite
from workshop_utils.models import vae
from workshop_utils.reproducibility import setup


@pytest.fixture(scope="module")
def train():
    setup(seed=0)  # one torch thread: tiny models train fastest that way
    return digits.train_test_split()[0]


def test_shapes():
    torch.manual_seed(0)
    model = vae.VAE(latent_dim=3, hidden=(32, 16))
    logits, mu, logvar = model(torch.rand(5, 64))
    assert logits.shape == (5, 64) and mu.shape == (5, 3) and logvar.shape == (5, 3)
    samples = model.sample(7)
    assert samples.shape == (7, 64) and 0 <= samples.min() and samples.max() <= 1
    assert not samples.requires_grad


def test_loss_is_reconstruction_plus_kl():
    x = torch.rand(4, 64)
    logits, mu, logvar = torch.zeros(4, 64), torch.zeros(4, 2), torch.zeros(4, 2)
    losses = vae.vae_loss(x, logits, mu, logvar)
    assert losses["kl"].item() == pytest.approx(0.0, abs=1e-7)  # a standard-normal cloud costs nothing
    expected = torch.nn.functional.binary_cross_entropy(torch.full_like(x, 0.5), x, reduction="sum") / 4
    assert losses["reconstruction"].item() == pytest.approx(expected.item(), rel=1e-5)
    shifted = vae.vae_loss(x, logits, torch.ones(4, 2), logvar)
    assert shifted["kl"].item() == pytest.approx(1.0)  # 0.5 * |mu|^2 per image with mu = (1, 1)
    assert torch.isclose(shifted["loss"], shifted["reconstruction"] + shifted["kl"])


def test_training_is_deterministic_with_a_seed(train):
    a, _ = vae.train_vae(train, max_steps=15, time_budget_s=None, seed=3, progress=False)
    b, _ = vae.train_vae(train, max_steps=15, time_budget_s=None, seed=3, progress=False)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    c, _ = vae.train_vae(train, max_steps=15, time_budget_s=None, seed=4, progress=False)
    assert not all(torch.equal(p, q) for p, q in zip(a.parameters(), c.parameters()))


def test_a_thousand_steps_lower_the_loss_and_beat_noise(train):
    model, history = vae.train_vae(train, max_steps=1000, time_budget_s=None, seed=0, progress=False)
    losses = history.losses["loss"]
    assert np.mean(losses[-50:]) < 0.8 * np.mean(losses[:10])
    assert set(history.losses) == {"loss", "reconstruction", "kl"}
    score = fid_lite.fd_lite(model.sample(1000, generator=torch.Generator().manual_seed(0)))
    refs = fid_lite.reference_points(1000)
    assert refs["real"] < refs["gmm"] < score < refs["noise"] / 4  # a briefly trained VAE sits between


def test_train_and_sample_on_a_curated_subset(train):
    mine = train.subset(classes=[3, 7])
    result = vae.train_and_sample(mine, n_samples=12, max_steps=30, time_budget_s=None, latent_dim=2, progress=False)
    assert result.samples.shape == (12, 64) and result.model.latent_dim == 2
    again = vae.train_and_sample(mine, n_samples=12, max_steps=30, time_budget_s=None, latent_dim=2, progress=False)
    np.testing.assert_array_equal(result.samples, again.samples)
    credits = result.credits()
    assert "30 steps" in credits and "of digit 3" in credits and "of digit 7" in credits
    figure = result.figure(n=8)
    assert "Grid of 8 greyscale images" in figure.alt
    plain = vae.train_and_sample(mine.images[:40], n_samples=3, max_steps=2, time_budget_s=None, progress=False)
    assert plain.training_data is None and "Training data" not in plain.credits()


def test_bad_arguments_are_named(train):
    with pytest.raises(ValueError, match="latent_dim must be at least 1"):
        vae.VAE(latent_dim=0)
    with pytest.raises(ValueError, match="raw pixel values"):
        vae.train_vae(train.images * 16, max_steps=1, progress=False)
    with pytest.raises(ValueError, match="images must have 64 columns"):
        vae.train_vae(np.zeros((10, 28)), max_steps=1, progress=False)
    with pytest.raises(TypeError, match="model must be a vae.VAE"):
        vae.train_vae(train, torch.nn.Linear(2, 2), max_steps=1, progress=False)
    with pytest.raises(ValueError, match="lr must be greater than 0"):
        vae.train_vae(train, lr=0, max_steps=1, progress=False)
    with pytest.raises(ValueError, match="n_samples must be at least 1"):
        vae.train_and_sample(train, n_samples=0, max_steps=1, progress=False)
