"""A small denoising diffusion model (DDPM) for 8x8 digits.

A diffusion model learns to undo noise (Ho et al. 2020, arXiv:2006.11239).

* **Forward process** (fixed, no learning): :func:`q_sample` mixes a clean
  image ``x0`` with Gaussian noise. At step ``t`` of ``T``,
  ``x_t = sqrt(abar_t) * x0 + sqrt(1 - abar_t) * noise``, where the
  *signal level* ``abar_t`` (``alphas_cumprod[t]``) falls from almost 1 at
  ``t = 0`` to almost 0 at ``t = T - 1``. We use the cosine schedule of
  Nichol & Dhariwal (2021, arXiv:2102.09672).
* **Training**: a network sees ``x_t`` and ``t`` and predicts the noise that
  was added; :func:`denoising_loss` is the mean squared error of that
  prediction ("epsilon prediction").
* **Sampling**: start from pure noise and remove predicted noise step by
  step. :func:`ddim_sample` takes a few dozen deterministic steps (DDIM,
  Song et al. 2020, arXiv:2010.02502); :func:`ancestral_sample` adds fresh
  noise at every step, as the original DDPM does.

The network (:class:`Denoiser`) is a residual MLP with a sinusoidal
embedding of ``t``; we train it with Adam and keep an exponential moving
average of its weights (:class:`EMA`) for sampling. Images live in
``[-1, 1]`` inside the model (:func:`to_model_scale`, :func:`to_image_scale`).
On one CPU thread it reaches an FD-lite of about 10 in well under a minute.

Example
-------
>>> from workshop_utils import checkpoints, diffusion
>>> model = checkpoints.load_or_train("ddpm_digits", diffusion.Denoiser)   # doctest: +SKIP
>>> images = diffusion.to_image_scale(diffusion.ddim_sample(model, 64))    # doctest: +SKIP

Used in: solutions/02_diffusion, lessons/02_art.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .._validate import check_int, check_number
from ..datasets.digits import N_PIXELS, Digits, to_pixel_rows
from ..training import EvaluateEvery, History, train

__all__ = [
    "CHECKPOINT",
    "DDPMRun",
    "Denoiser",
    "EMA",
    "ancestral_sample",
    "cosine_alphas_cumprod",
    "ddim_sample",
    "ddim_step",
    "denoising_loss",
    "load_or_train_denoiser",
    "q_sample",
    "sampling_timesteps",
    "timestep_embedding",
    "to_image_scale",
    "to_model_scale",
    "train_ddpm",
]

#: Name of the shipped pretrained denoiser (see :mod:`workshop_utils.checkpoints`).
CHECKPOINT = "ddpm_digits"


def to_model_scale(images: torch.Tensor) -> torch.Tensor:
    """Map images from ``[0, 1]`` (paper to ink) to ``[-1, 1]``, the model's scale."""
    return images * 2 - 1


def to_image_scale(x: torch.Tensor) -> torch.Tensor:
    """Map model outputs from ``[-1, 1]`` back to images in ``[0, 1]`` (clipped)."""
    return ((x + 1) / 2).clamp(0, 1)


def cosine_alphas_cumprod(T: int = 1000, s: float = 0.008) -> torch.Tensor:
    """The cosine noise schedule: the signal level ``abar_t`` for ``t = 0 .. T-1``.

    Parameters
    ----------
    T : int
        Number of noise levels.
    s : float
        Small offset that keeps the first steps from being too small.

    Returns
    -------
    torch.Tensor
        ``float32`` tensor of shape ``(T,)``, decreasing from about 1 to about 0.
    """
    check_int("T", T, minimum=2)
    s = check_number("s", s, minimum=0.0)
    f = torch.cos((torch.arange(T + 1, dtype=torch.float64) / T + s) / (1 + s) * math.pi / 2) ** 2
    betas = (1 - f[1:] / f[:-1]).clamp(max=0.999)  # noise added at each step
    return torch.cumprod(1 - betas, dim=0).float()


def q_sample(x0: torch.Tensor, t: torch.Tensor, noise: torch.Tensor, alphas_cumprod: torch.Tensor) -> torch.Tensor:
    """Forward process: noise clean images ``x0`` to levels ``t`` in one jump.

    Parameters
    ----------
    x0 : torch.Tensor, shape (n, ...)
        Clean images in ``[-1, 1]``.
    t : torch.Tensor of int, shape (n,)
        The noise level of each image, ``0 <= t < T``.
    noise : torch.Tensor, same shape as ``x0``
        Standard normal noise.
    alphas_cumprod : torch.Tensor, shape (T,)
        The signal levels ``abar``.

    Returns
    -------
    torch.Tensor
        ``sqrt(abar_t) * x0 + sqrt(1 - abar_t) * noise``, same shape as ``x0``.
    """
    abar = alphas_cumprod[t].reshape(-1, *[1] * (x0.dim() - 1))
    return abar.sqrt() * x0 + (1 - abar).sqrt() * noise


def timestep_embedding(t: torch.Tensor, dim: int = 64) -> torch.Tensor:
    """Sinusoidal embedding of integer steps ``t``: shape ``(n, dim)``.

    Like the position encoding of a Transformer: sines and cosines of ``t``
    at ``dim / 2`` frequencies, from 1 down to 1/10000.
    """
    half = dim // 2
    frequencies = torch.exp(-math.log(10_000) * torch.arange(half, dtype=torch.float32) / half)
    angles = t.float()[:, None] * frequencies[None, :]
    return torch.cat([angles.sin(), angles.cos()], dim=1)


class _Block(nn.Module):
    """``h + MLP(h, time)``: a residual block that is told the noise level."""

    def __init__(self, width: int):
        super().__init__()
        self.norm = nn.LayerNorm(width)
        self.inner = nn.Linear(width, width)
        self.time = nn.Linear(width, width)
        self.outer = nn.Linear(width, width)

    def forward(self, h: torch.Tensor, time: torch.Tensor) -> torch.Tensor:
        return h + self.outer(F.silu(self.inner(F.silu(self.norm(h))) + self.time(time)))


class Denoiser(nn.Module):
    """A residual MLP that predicts the noise in ``x_t``, given ``x_t`` and ``t``.

    Parameters
    ----------
    width : int
        Width of the hidden layers.
    blocks : int
        Number of residual blocks.
    """

    def __init__(self, width: int = 128, blocks: int = 3):
        super().__init__()
        self.width = check_int("width", width, minimum=2)
        check_int("blocks", blocks, minimum=1)
        self.time_mlp = nn.Sequential(nn.Linear(64, width), nn.SiLU())
        self.inp = nn.Linear(N_PIXELS, width)
        self.blocks = nn.ModuleList(_Block(width) for _ in range(blocks))
        self.out = nn.Sequential(nn.LayerNorm(width), nn.SiLU(), nn.Linear(width, N_PIXELS))

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        """Predicted noise, shape ``(n, 64)``, for images ``x`` ``(n, 64)`` at steps ``t`` ``(n,)``."""
        time = self.time_mlp(timestep_embedding(t))
        h = self.inp(x)
        for block in self.blocks:
            h = block(h, time)
        return self.out(h)


def denoising_loss(model: nn.Module, x0: torch.Tensor, alphas_cumprod: torch.Tensor) -> torch.Tensor:
    """The DDPM training loss: how well ``model`` predicts the added noise.

    Draws one random level ``t`` and fresh noise per image, noises the
    images with :func:`q_sample`, and returns the mean squared error between
    ``model(x_t, t)`` and the noise.

    Parameters
    ----------
    model : nn.Module
        ``model(x_t, t) -> predicted noise``.
    x0 : torch.Tensor, shape (n, 64)
        Clean images in ``[-1, 1]``.
    alphas_cumprod : torch.Tensor, shape (T,)
        The signal levels.

    Returns
    -------
    torch.Tensor
        A 0-dimensional tensor.
    """
    t = torch.randint(0, len(alphas_cumprod), (len(x0),))
    noise = torch.randn_like(x0)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t), noise)


class EMA:
    """An exponential moving average of a model's weights, used for sampling.

    After each optimiser step, :meth:`update` moves the average a little
    towards the current weights. Averaging smooths out the jitter of the
    last steps, which makes samples noticeably better for diffusion models.
    The decay ramps up as ``(1 + k) / (10 + k)`` over the first updates, so
    the average is useful early on.

    Attributes
    ----------
    model : nn.Module
        A copy of the model holding the averaged weights (evaluation mode).
    """

    def __init__(self, model: nn.Module, decay: float = 0.999):
        self.decay = check_number("decay", decay, minimum=0.0, maximum=1.0)
        self.model = copy.deepcopy(model).eval().requires_grad_(False)
        self.updates = 0

    @torch.no_grad()
    def update(self, model: nn.Module) -> None:
        """Move the averaged weights towards ``model``'s current weights."""
        self.updates += 1
        decay = min(self.decay, (1 + self.updates) / (10 + self.updates))
        for average, current in zip(self.model.parameters(), model.parameters()):
            average.lerp_(current, 1 - decay)


def sampling_timesteps(T: int, steps: int) -> torch.Tensor:
    """The levels a sampler visits: ``steps`` evenly spaced levels, from high to 0.

    For ``T = 1000`` and ``steps = 20`` these are 950, 900, ..., 50, 0. With
    few steps the last levels of the cosine schedule (almost no signal left)
    are skipped: a step from there divides by ``sqrt(abar_t)``, a number
    close to zero. With ``steps = T`` they are visited; sample with
    ``clip=True`` then.
    """
    check_int("T", T, minimum=2)
    check_int("steps", steps, minimum=1, maximum=T)
    return torch.arange(0, T, T // steps)[:steps].flip(0)


def ddim_step(x_t: torch.Tensor, eps: torch.Tensor, abar_t, abar_prev, eta: float = 0.0,
              noise: torch.Tensor | None = None, clip: bool = False) -> torch.Tensor:
    """One sampling step from signal level ``abar_t`` to a higher one, ``abar_prev``.

    First estimate the clean image from the predicted noise (invert
    :func:`q_sample`), then noise that estimate to the earlier level:
    with ``eta = 0`` reusing the predicted noise (DDIM, deterministic), with
    ``eta = 1`` partly with fresh ``noise`` (the DDPM's ancestral sampler).

    Parameters
    ----------
    x_t : torch.Tensor
        Current images.
    eps : torch.Tensor
        The model's noise prediction for ``x_t``.
    abar_t, abar_prev : float or 0-d torch.Tensor
        Signal levels now and after the step (``abar_prev > abar_t``; use 1
        for the final step to the clean image).
    eta : float
        0 for DDIM, 1 for ancestral sampling.
    noise : torch.Tensor, optional
        Fresh standard normal noise, needed when ``eta > 0``.
    clip : bool
        Clamp the clean-image estimate to the pixel range ``[-1, 1]`` (and
        recompute the noise from it). Needed when sampling starts at the very
        last levels, where ``abar_t`` is nearly 0 and dividing by
        ``sqrt(abar_t)`` magnifies every error of the prediction.

    Returns
    -------
    torch.Tensor
        The images at the earlier level.
    """
    abar_t, abar_prev = torch.as_tensor(abar_t), torch.as_tensor(abar_prev)
    x0_estimate = (x_t - (1 - abar_t).sqrt() * eps) / abar_t.sqrt()
    if clip:
        x0_estimate = x0_estimate.clamp(-1, 1)
        eps = (x_t - abar_t.sqrt() * x0_estimate) / (1 - abar_t).sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).clamp(min=0).sqrt()
    x_prev = abar_prev.sqrt() * x0_estimate + (1 - abar_prev - sigma**2).clamp(min=0).sqrt() * eps
    if eta > 0:
        if noise is None:
            raise ValueError("ddim_step with eta > 0 needs noise, a tensor of fresh standard normal noise")
        x_prev = x_prev + sigma * noise
    return x_prev


@torch.no_grad()
def ddim_sample(model: nn.Module, n: int, alphas_cumprod: torch.Tensor | None = None, *, steps: int = 50,
                eta: float = 0.0, seed: int | None = None, clip: bool = True) -> torch.Tensor:
    """Generate ``n`` images by denoising pure noise in ``steps`` steps.

    Parameters
    ----------
    model : nn.Module
        A trained denoiser (use the EMA copy).
    n : int
        Number of images.
    alphas_cumprod : torch.Tensor, optional
        The signal levels the model was trained with; default: the cosine
        schedule with ``T = 1000``.
    steps : int
        Number of denoising steps (20-50 is plenty here).
    eta : float
        0 (deterministic DDIM) to 1 (ancestral).
    seed : int, optional
        Seed of the starting noise (and of the fresh noise when ``eta > 0``).
    clip : bool
        Keep each clean-image estimate in ``[-1, 1]`` (see :func:`ddim_step`);
        makes no visible difference at 20-50 steps and keeps 1000 steps stable.

    Returns
    -------
    torch.Tensor
        Images of shape ``(n, 64)`` on the model scale ``[-1, 1]``; convert
        with :func:`to_image_scale`.
    """
    check_int("n", n, minimum=1)
    eta = check_number("eta", eta, minimum=0.0, maximum=1.0)
    abar = cosine_alphas_cumprod() if alphas_cumprod is None else alphas_cumprod
    generator = torch.Generator().manual_seed(seed) if seed is not None else None
    levels = sampling_timesteps(len(abar), steps)
    x = torch.randn(n, N_PIXELS, generator=generator)
    for i, t in enumerate(levels):
        abar_prev = abar[levels[i + 1]] if i + 1 < len(levels) else torch.tensor(1.0)
        eps = model(x, t.repeat(n))
        noise = torch.randn(n, N_PIXELS, generator=generator) if eta > 0 else None
        x = ddim_step(x, eps, abar[t], abar_prev, eta=eta, noise=noise, clip=clip)
    return x


def ancestral_sample(model: nn.Module, n: int, alphas_cumprod: torch.Tensor | None = None, *,
                     steps: int = 100, seed: int | None = None, clip: bool = True) -> torch.Tensor:
    """Generate ``n`` images with the DDPM's stochastic (ancestral) sampler.

    The same as :func:`ddim_sample` with ``eta = 1``: every step adds some
    fresh noise. With ``steps = T`` (every level) this is the original
    DDPM sampler.
    """
    return ddim_sample(model, n, alphas_cumprod, steps=steps, eta=1.0, seed=seed, clip=clip)


@dataclass
class DDPMRun:
    """What :func:`train_ddpm` returns.

    Attributes
    ----------
    model : Denoiser
        The averaged (EMA) weights: use these for sampling.
    history : History
        The training record.
    """

    model: Denoiser
    history: History


def train_ddpm(
    images,
    model: Denoiser | None = None,
    *,
    time_budget_s: float | None = 60.0,
    max_steps: int | None = None,
    batch_size: int = 128,
    lr: float = 2e-3,
    ema_decay: float = 0.999,
    seed: int = 0,
    evaluate: Callable[[Denoiser], float] | None = None,
    evaluate_every: int | None = None,
    goal: float | None = None,
    callbacks: Sequence = (),
    progress: bool = True,
) -> DDPMRun:
    """Train a denoiser on digit images with :func:`workshop_utils.training.train`.

    Parameters
    ----------
    images : Digits or torch.Tensor
        Training images in ``[0, 1]``, ``(n, 64)``.
    model : Denoiser, optional
        A model to train; when given, it receives the averaged weights at
        the end (so it works with ``checkpoints.load_or_train``).
    time_budget_s, max_steps : optional
        When to stop (give ``max_steps`` for runs that repeat exactly).
    batch_size : int
        Images per step.
    lr : float
        Adam's learning rate.
    ema_decay : float
        Decay of the weight average.
    seed : int
        Seeds torch's global generator before training (and before building
        the model, when none is given).
    evaluate : callable, optional
        A score of the averaged model, lower is better, e.g. FD-lite of its
        samples (``lambda m: fid_lite.fd_lite(to_image_scale(ddim_sample(m, 1000, steps=20)))``);
        measured every ``evaluate_every`` steps and stored in
        ``history.metrics["score"]``.
    evaluate_every : int, optional
        How often to call ``evaluate`` (required with it).
    goal : float, optional
        With ``evaluate``: stop as soon as the score is at most this.
    callbacks : sequence
        More callbacks for :func:`~workshop_utils.training.train`.
    progress : bool
        Show a progress bar.

    Returns
    -------
    DDPMRun
        The averaged model (evaluation mode) and the training record.
    """
    x = images.tensor() if isinstance(images, Digits) else torch.as_tensor(to_pixel_rows(images, "images"),
                                                                           dtype=torch.float32)
    x = to_model_scale(x)
    check_int("batch_size", batch_size, minimum=1)
    lr = check_number("lr", lr, minimum=0.0, strict_minimum=True)
    torch.manual_seed(check_int("seed", seed, minimum=0))
    target = model
    if target is not None and not isinstance(target, Denoiser):
        raise TypeError(f"model must be a diffusion.Denoiser, got {type(target).__name__}")
    net = Denoiser() if target is None else target
    net.train()
    ema = EMA(net, ema_decay)
    optimiser = torch.optim.Adam(net.parameters(), lr=lr)
    abar = cosine_alphas_cumprod()
    size = min(batch_size, len(x))

    def step(i: int) -> dict[str, float]:
        loss = denoising_loss(net, x[torch.randint(0, len(x), (size,))], abar)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        ema.update(net)
        return {"loss": loss.item()}

    callbacks = list(callbacks)
    if evaluate is not None:
        if evaluate_every is None:
            raise ValueError("give evaluate_every (how often to call evaluate) together with evaluate")
        reached = None if goal is None else (lambda value: value <= goal)
        callbacks.append(EvaluateEvery(evaluate_every, lambda: evaluate(ema.model), "score", goal=reached))
    about = {"trainer": "workshop_utils.models.diffusion.train_ddpm",
             "model": f"workshop_utils.models.diffusion.Denoiser(width={net.width}, blocks={len(net.blocks)}), "
                      f"weights averaged with decay {ema_decay}",
             "parameters": sum(p.numel() for p in net.parameters()),
             "dataset": "digits" if isinstance(images, Digits) else None,
             "dataset_detail": images.describe() if isinstance(images, Digits) else f"{len(x)} images given as an array",
             "seed": seed, "hyperparameters": {"batch_size": size, "lr": lr, "ema_decay": ema_decay,
                                               "optimiser": "Adam", "noise_schedule": "cosine, T=1000"}}
    history = train(step, max_steps=max_steps, time_budget_s=time_budget_s, callbacks=callbacks,
                    progress=progress, description="training the diffusion model", about=about)
    if target is not None:
        target.load_state_dict(ema.model.state_dict())
        return DDPMRun(target.eval(), history)
    return DDPMRun(ema.model, history)


def load_or_train_denoiser(pretrained: bool = True, time_budget_s: float = 60.0, verbose: bool = True) -> Denoiser:
    """The shipped pretrained denoiser, or one trained now on the training digits.

    Parameters
    ----------
    pretrained : bool
        Load the shipped weights (instant) instead of training.
    time_budget_s : float
        Training time when ``pretrained`` is false.
    verbose : bool
        Say which path was taken.

    Returns
    -------
    Denoiser
        In evaluation mode; sample with :func:`ddim_sample`.
    """
    from ..checkpoints import load_or_train
    from ..datasets.digits import train_test_split

    def fit(model: Denoiser) -> None:
        train_ddpm(train_test_split()[0], model, time_budget_s=time_budget_s)

    return load_or_train(CHECKPOINT, Denoiser, fit, pretrained=pretrained, verbose=verbose)
