"""A tiny GAN for 2-D points: small enough to read in one sitting.

A *generator* G turns random noise ``z`` into points; a *discriminator* D
scores points as real (high logit) or generated (low logit). They are
trained in turns: D learns to tell real from generated, then G learns to
fool D. This is the original minimax game of Goodfellow et al. (2014).

The default configuration (two hidden layers of 128 units, ``z_dim=16``,
Adam with learning rate 1e-3 and ``betas=(0.5, 0.999)``, batch 128) covers
all eight modes of the ring in roughly 10-25 s on one CPU thread.
Weakening the discriminator (``lr_d=1e-4``) reliably produces mode collapse.

:func:`train_gan2d` runs the game with :func:`workshop_utils.training.train`
and tells the training record what it trained on.

Used in: lessons/01_what_is_synthetic_media, solutions/01_gan_basics.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .._validate import check_int, check_number

__all__ = [
    "Discriminator",
    "GAN2D",
    "Generator",
    "discriminator_loss",
    "gan_train_step",
    "generator_loss",
    "make_gan2d",
    "train_gan2d",
]


def _mlp(n_in: int, hidden: int, n_out: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(n_in, hidden), nn.ReLU(),
        nn.Linear(hidden, hidden), nn.ReLU(),
        nn.Linear(hidden, n_out),
    )


class Generator(nn.Module):
    """Maps noise vectors of size ``z_dim`` to 2-D points."""

    def __init__(self, z_dim: int = 16, hidden: int = 128):
        super().__init__()
        self.z_dim = check_int("z_dim", z_dim, minimum=1)
        self.net = _mlp(z_dim, check_int("hidden", hidden, minimum=1), 2)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z)

    @torch.no_grad()
    def sample(self, n: int) -> torch.Tensor:
        """Generate ``n`` points (no gradients)."""
        check_int("n", n, minimum=1)
        return self(torch.randn(n, self.z_dim))


class Discriminator(nn.Module):
    """Maps 2-D points to one logit each: high means "looks real"."""

    def __init__(self, hidden: int = 128):
        super().__init__()
        self.net = _mlp(2, check_int("hidden", hidden, minimum=1), 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).squeeze(-1)


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy: real points should score 1, generated points 0.

    Equals ``-mean(log D(x)) - mean(log(1 - D(G(z))))`` with ``D = sigmoid(logit)``.
    """
    real_term = F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
    fake_term = F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    return real_term + fake_term


def generator_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    """The minimax generator loss ``mean(log(1 - D(G(z))))``.

    Minimising it pushes D's score for generated points up. Note
    ``log(1 - sigmoid(l)) = -softplus(l)``, which is numerically stable.
    """
    return -F.softplus(fake_logits).mean()


@dataclass
class GAN2D:
    """A generator, a discriminator and their optimisers."""

    generator: Generator
    discriminator: Discriminator
    opt_g: torch.optim.Optimizer
    opt_d: torch.optim.Optimizer


def make_gan2d(
    z_dim: int = 16,
    hidden: int = 128,
    lr_g: float = 1e-3,
    lr_d: float = 1e-3,
    betas: tuple[float, float] = (0.5, 0.999),
) -> GAN2D:
    """Build a 2-D GAN with Adam optimisers.

    Parameters
    ----------
    z_dim : int
        Size of the noise vector.
    hidden : int
        Width of the hidden layers of both networks.
    lr_g, lr_d : float
        Learning rates of the generator and discriminator. A much smaller
        ``lr_d`` weakens the discriminator and provokes mode collapse.
    betas : tuple of float
        Adam's momentum coefficients.

    Returns
    -------
    GAN2D
    """
    lr_g = check_number("lr_g", lr_g, minimum=0.0, strict_minimum=True)
    lr_d = check_number("lr_d", lr_d, minimum=0.0, strict_minimum=True)
    g, d = Generator(z_dim, hidden), Discriminator(hidden)
    return GAN2D(
        generator=g,
        discriminator=d,
        opt_g=torch.optim.Adam(g.parameters(), lr=lr_g, betas=betas),
        opt_d=torch.optim.Adam(d.parameters(), lr=lr_d, betas=betas),
    )


def gan_train_step(gan: GAN2D, real: torch.Tensor) -> dict[str, float]:
    """One round of the game: update D once, then G once.

    Parameters
    ----------
    gan : GAN2D
        The networks and optimisers.
    real : torch.Tensor
        A batch of real points, shape ``(batch, 2)``.

    Returns
    -------
    dict
        ``{"d_loss": ..., "g_loss": ...}`` as floats.
    """
    g, d = gan.generator, gan.discriminator
    z = torch.randn(real.shape[0], g.z_dim)

    # 1. Discriminator: real -> 1, generated -> 0. detach() keeps G fixed.
    fake = g(z).detach()
    d_loss = discriminator_loss(d(real), d(fake))
    gan.opt_d.zero_grad()
    d_loss.backward()
    gan.opt_d.step()

    # 2. Generator: make D score generated points as real.
    g_loss = generator_loss(d(g(z)))
    gan.opt_g.zero_grad()
    g_loss.backward()
    gan.opt_g.step()
    return {"d_loss": d_loss.item(), "g_loss": g_loss.item()}


def train_gan2d(
    gan: GAN2D,
    real: torch.Tensor,
    *,
    batch_size: int = 128,
    max_steps: int | None = None,
    time_budget_s: float | None = 30.0,
    callbacks=(),
    progress: bool = True,
    dataset: str | None = "ring_of_gaussians",
):
    """Train ``gan`` with :func:`gan_train_step` on random batches of ``real`` points.

    Parameters
    ----------
    gan : GAN2D
        The networks and optimisers (see :func:`make_gan2d`), trained in place.
    real : torch.Tensor or array
        Real points, shape ``(n, 2)``, e.g. ``ring.sample_ring(20_000, seed=0)``.
    batch_size : int
        Points per step.
    max_steps, time_budget_s : optional
        When to stop (see :func:`workshop_utils.training.train`).
    callbacks : sequence
        Passed to :func:`~workshop_utils.training.train`.
    progress : bool
        Show a progress bar.
    dataset : str or None
        What ``real`` was sampled from, for the training record (a datasheet
        name; the workshop's 2-D points come from ``ring_of_gaussians``).

    Returns
    -------
    workshop_utils.training.History
        Losses, timing and the training record of the run.
    """
    from ..training import train

    if not isinstance(gan, GAN2D):
        raise TypeError(f"gan must be a gan2d.GAN2D (see make_gan2d), got {type(gan).__name__}")
    real = torch.as_tensor(real, dtype=torch.float32)
    if real.dim() != 2 or real.shape[1] != 2 or len(real) == 0:
        raise ValueError(f"real must be points of shape (n, 2), got shape {tuple(real.shape)}")
    size = min(check_int("batch_size", batch_size, minimum=1), len(real))
    if dataset is not None and not isinstance(dataset, str):
        raise TypeError(f"dataset must be a datasheet name such as 'ring_of_gaussians', or None; got {dataset!r}")

    def step(i: int) -> dict[str, float]:
        return gan_train_step(gan, real[torch.randint(0, len(real), (size,))])

    networks = (gan.generator, gan.discriminator)
    about = {"trainer": "workshop_utils.models.gan2d.train_gan2d",
             "model": f"workshop_utils.models.gan2d.GAN2D (generator z_dim={gan.generator.z_dim})",
             "parameters": sum(p.numel() for net in networks for p in net.parameters()),
             "dataset": dataset, "dataset_detail": f"{len(real):,} points",
             "hyperparameters": {"batch_size": size, "lr_g": gan.opt_g.param_groups[0]["lr"],
                                 "lr_d": gan.opt_d.param_groups[0]["lr"], "optimiser": "Adam"}}
    return train(step, max_steps=max_steps, time_budget_s=time_budget_s, callbacks=callbacks, progress=progress,
                 description="GAN", about=about)
