import numpy as np
import pytest
import torch

from workshop_utils import checkpoints
from workshop_utils.datasets import digits
from workshop_utils.metrics import fid_lite
from workshop_utils.models import diffusion
from workshop_utils.reproducibility import setup


@pytest.fixture(autouse=True)
def _seed():
    setup(seed=0)  # one torch thread, seeded


@pytest.fixture(scope="module")
def abar():
    return diffusion.cosine_alphas_cumprod()


def test_cosine_schedule(abar):
    assert abar.shape == (1000,) and abar.dtype == torch.float32
    assert (abar[1:] < abar[:-1]).all(), "the signal level must fall at every step"
    assert abar[0] > 0.9999 and abar[-1] < 1e-6 and 0.4 < abar[500] < 0.6
    with pytest.raises(ValueError, match="T must be at least 2"):
        diffusion.cosine_alphas_cumprod(T=1)


def test_q_sample_matches_the_formula_and_keeps_variance(abar):
    x0, noise = torch.randn(5, 64), torch.randn(5, 64)
    t = torch.tensor([0, 10, 500, 900, 999])
    a = abar[t][:, None]
    expected = a.sqrt() * x0 + (1 - a).sqrt() * noise
    assert torch.allclose(diffusion.q_sample(x0, t, noise, abar), expected)
    images = torch.randn(3, 1, 8, 8)
    assert diffusion.q_sample(images, t[:3], torch.randn_like(images), abar).shape == (3, 1, 8, 8)
    # variance preserving: unit-variance data stays unit variance at every level
    x0, noise = torch.randn(20_000, 64), torch.randn(20_000, 64)
    for level in (100, 600, 950):
        xt = diffusion.q_sample(x0, torch.full((20_000,), level), noise, abar)
        assert xt.var().item() == pytest.approx(1.0, abs=0.02)


def test_scales_round_trip():
    images = torch.rand(4, 64)
    assert torch.allclose(diffusion.to_image_scale(diffusion.to_model_scale(images)), images)
    assert diffusion.to_model_scale(torch.zeros(1)).item() == -1
    assert diffusion.to_image_scale(torch.tensor([3.0, -3.0])).tolist() == [1.0, 0.0]


def test_denoiser_shapes_and_size():
    model = diffusion.Denoiser()
    out = model(torch.randn(6, 64), torch.randint(0, 1000, (6,)))
    assert out.shape == (6, 64)
    assert sum(p.numel() for p in model.parameters()) < 200_000
    emb = diffusion.timestep_embedding(torch.tensor([0, 1, 999]))
    assert emb.shape == (3, 64) and not torch.allclose(emb[0], emb[1])
    with pytest.raises(ValueError, match="blocks must be at least 1"):
        diffusion.Denoiser(blocks=0)


def test_denoising_loss(abar):
    class Zero(torch.nn.Module):
        def forward(self, x, t):
            return torch.zeros_like(x)

    loss = diffusion.denoising_loss(Zero(), torch.rand(4096, 64) * 2 - 1, abar)
    assert loss.dim() == 0 and loss.item() == pytest.approx(1.0, abs=0.03)  # E[noise^2] = 1
    model = diffusion.Denoiser()
    diffusion.denoising_loss(model, torch.rand(8, 64) * 2 - 1, abar).backward()
    assert all(p.grad is not None for p in model.parameters())


def test_ema_moves_towards_the_model():
    model = torch.nn.Linear(2, 2)
    ema = diffusion.EMA(model, decay=0.9)
    assert not any(p.requires_grad for p in ema.model.parameters())
    with torch.no_grad():
        for p in model.parameters():
            p.add_(1.0)
    before = [p.clone() for p in ema.model.parameters()]
    ema.update(model)  # the first update uses decay (1 + 1) / (10 + 1)
    for b, a, m in zip(before, ema.model.parameters(), model.parameters()):
        assert torch.allclose(a, b + (m - b) * (1 - 2 / 11))
    with pytest.raises(ValueError, match="decay must be at most 1"):
        diffusion.EMA(model, decay=1.5)


def test_ddim_step_inverts_q_sample_with_the_true_noise(abar):
    x0, noise = torch.rand(4, 64) * 2 - 1, torch.randn(4, 64)
    t, s = 700, 300
    xt = diffusion.q_sample(x0, torch.full((4,), t), noise, abar)
    xs = diffusion.ddim_step(xt, noise, abar[t], abar[s])
    assert torch.allclose(xs, diffusion.q_sample(x0, torch.full((4,), s), noise, abar), atol=1e-5)
    assert torch.allclose(diffusion.ddim_step(xt, noise, abar[t], 1.0), x0, atol=1e-5)
    fresh = torch.randn(4, 64)
    stochastic = diffusion.ddim_step(xt, noise, abar[t], abar[s], eta=1.0, noise=fresh)
    assert not torch.allclose(stochastic, xs)
    with pytest.raises(ValueError, match="needs noise"):
        diffusion.ddim_step(xt, noise, abar[t], abar[s], eta=1.0)
    # clipping keeps the clean-image estimate in the pixel range, even from the last level
    wild = diffusion.ddim_step(torch.randn(4, 64), torch.randn(4, 64), abar[999], 1.0, clip=True)
    assert wild.abs().max() <= 1.0 + 1e-5
    assert torch.allclose(diffusion.ddim_step(xt, noise, abar[t], abar[s], clip=True), xs, atol=1e-4)


def test_sampling_timesteps():
    assert diffusion.sampling_timesteps(1000, 20).tolist() == list(range(950, -1, -50))
    assert diffusion.sampling_timesteps(10, 10).tolist() == list(range(9, -1, -1))
    with pytest.raises(ValueError, match="steps must be at most 1000"):
        diffusion.sampling_timesteps(1000, 1001)


def test_samplers_are_deterministic_with_a_seed():
    model = diffusion.Denoiser()
    a = diffusion.ddim_sample(model, 5, steps=10, seed=1)
    assert a.shape == (5, 64)
    assert torch.equal(a, diffusion.ddim_sample(model, 5, steps=10, seed=1))
    assert not torch.equal(a, diffusion.ddim_sample(model, 5, steps=10, seed=2))
    b = diffusion.ancestral_sample(model, 5, steps=10, seed=1)
    assert b.shape == (5, 64) and torch.equal(b, diffusion.ancestral_sample(model, 5, steps=10, seed=1))
    with pytest.raises(ValueError, match="eta must be at most 1"):
        diffusion.ddim_sample(model, 2, eta=2)


def test_training_lowers_the_loss_and_repeats_exactly():
    train, _ = digits.train_test_split()
    run = diffusion.train_ddpm(train, max_steps=300, time_budget_s=None, seed=0, progress=False)
    losses = run.history.losses["loss"]
    assert np.mean(losses[-50:]) < 0.7 * np.mean(losses[:10])
    again = diffusion.train_ddpm(train.subset(indices=range(200)), max_steps=5, time_budget_s=None, seed=1,
                                 progress=False)
    twice = diffusion.train_ddpm(train.subset(indices=range(200)), max_steps=5, time_budget_s=None, seed=1,
                                 progress=False)
    assert all(torch.equal(p, q) for p, q in zip(again.model.parameters(), twice.model.parameters()))


def test_train_ddpm_fills_a_given_model_and_can_stop_at_a_goal():
    train, _ = digits.train_test_split()
    model = diffusion.Denoiser()
    abar = diffusion.cosine_alphas_cumprod()

    def fd_of_samples(averaged: diffusion.Denoiser) -> float:
        return fid_lite.fd_lite(diffusion.to_image_scale(diffusion.ddim_sample(averaged, 1000, abar, steps=20, seed=0)))

    run = diffusion.train_ddpm(train, model, max_steps=4, time_budget_s=None, evaluate=fd_of_samples,
                               evaluate_every=2, goal=1e6, progress=False)
    assert run.model is model and not model.training
    assert run.history.stopped_because == "callback" and run.history.n_steps == 2
    assert len(run.history.metrics["score"]) == 1
    with pytest.raises(ValueError, match="evaluate_every"):
        diffusion.train_ddpm(train, evaluate=fd_of_samples, max_steps=1)
    with pytest.raises(TypeError, match="model must be a diffusion.Denoiser"):
        diffusion.train_ddpm(train, torch.nn.Linear(64, 64), max_steps=1)
    with pytest.raises(ValueError, match="raw pixel values"):
        diffusion.train_ddpm(train.images * 16, max_steps=1)


def test_pretrained_checkpoint_makes_good_digits():
    model = diffusion.load_or_train_denoiser(verbose=False)
    assert not model.training
    images = diffusion.to_image_scale(diffusion.ddim_sample(model, 1000, steps=50, seed=0))
    report = fid_lite.evaluate(images)
    assert report.value == pytest.approx(checkpoints.card("ddpm_digits")["metrics"]["fd_lite"], abs=0.05)
    assert report.value < 8 and report.value < report.noise / 20
