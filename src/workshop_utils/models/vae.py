"""A small variational autoencoder (VAE) for 8x8 digits, fast enough for a lesson.

A VAE (Kingma & Welling 2013, arXiv:1312.6114) has two halves:

* the **encoder** maps an image to a small Gaussian cloud in a *latent*
  space (a mean ``mu`` and a log-variance ``logvar`` for each of
  ``latent_dim`` numbers);
* the **decoder** maps a latent point back to an image: 64 pixel
  probabilities (a Bernoulli likelihood on grey levels in ``[0, 1]``).

Training minimises the negative ELBO: how badly the decoder reconstructs
the image from a random point of its cloud (binary cross-entropy, summed
over pixels), plus how far the cloud is from a standard normal (a KL term).
To *generate*, decode random points drawn from the standard normal.

With the default size (64-256-128-8 and mirror, about 100k parameters) it
reaches an FD-lite of about 10 after 20-30 s on one CPU thread. Its samples
are smooth and a little blurry.

Example
-------
>>> from workshop_utils import digits, vae
>>> train, _ = digits.train_test_split()
>>> result = vae.train_and_sample(train.subset(classes=[3, 7]), time_budget_s=20)  # doctest: +SKIP
>>> result.figure()                                                                 # doctest: +SKIP

Used in: lessons/02_art.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .._validate import check_int, check_number
from ..datasets.digits import N_PIXELS, Digits, to_pixel_rows
from ..training import History, train

__all__ = ["VAE", "VAEResult", "train_and_sample", "train_vae", "vae_loss"]


def _mlp(sizes: Sequence[int]) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class VAE(nn.Module):
    """Encoder 64 -> 256 -> 128 -> (mu, logvar), decoder latent -> 128 -> 256 -> 64 logits.

    Parameters
    ----------
    latent_dim : int
        Size of the latent space (2 is handy for plotting it).
    hidden : sequence of int
        Widths of the encoder's hidden layers; the decoder mirrors them.
    """

    def __init__(self, latent_dim: int = 8, hidden: Sequence[int] = (256, 128)):
        super().__init__()
        self.latent_dim = check_int("latent_dim", latent_dim, minimum=1)
        widths = [check_int("hidden[i]", h, minimum=1) for h in hidden]
        self.encoder = _mlp([N_PIXELS, *widths, 2 * latent_dim])
        self.decoder = _mlp([latent_dim, *reversed(widths), N_PIXELS])

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean and log-variance of each image's latent Gaussian."""
        mu, logvar = self.encoder(x).chunk(2, dim=-1)
        return mu, logvar

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Pixel logits (apply ``sigmoid`` for probabilities) of latent points ``z``."""
        return self.decoder(z)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Encode, draw one latent point per image (reparameterised), decode.

        Returns
        -------
        (logits, mu, logvar)
        """
        mu, logvar = self.encode(x)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.decode(z), mu, logvar

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Generate ``n`` images: decode standard-normal latent points.

        Returns the pixel probabilities (the decoder's mean image), shape
        ``(n, 64)`` in ``[0, 1]``.
        """
        check_int("n", n, minimum=1)
        z = torch.randn(n, self.latent_dim, generator=generator)
        return torch.sigmoid(self.decode(z))


def vae_loss(x: torch.Tensor, logits: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor) -> dict[str, torch.Tensor]:
    """Negative ELBO per image, averaged over the batch, and its two parts.

    Parameters
    ----------
    x : torch.Tensor, shape (n, 64)
        Images in ``[0, 1]``.
    logits, mu, logvar : torch.Tensor
        The outputs of :meth:`VAE.forward`.

    Returns
    -------
    dict
        ``{"loss": reconstruction + kl, "reconstruction": ..., "kl": ...}``,
        each a 0-dimensional tensor in nats per image.
    """
    reconstruction = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / len(x)
    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp()) / len(x)
    return {"loss": reconstruction + kl, "reconstruction": reconstruction, "kl": kl}


def _images(data) -> torch.Tensor:
    if isinstance(data, Digits):
        return data.tensor()
    return torch.as_tensor(to_pixel_rows(data, name="images"), dtype=torch.float32)


def train_vae(
    images,
    model: VAE | None = None,
    *,
    time_budget_s: float | None = 20.0,
    max_steps: int | None = None,
    latent_dim: int = 8,
    batch_size: int = 64,
    lr: float = 1e-3,
    seed: int = 0,
    callbacks: Sequence = (),
    progress: bool = True,
) -> tuple[VAE, History]:
    """Train a VAE on digit images with :func:`workshop_utils.training.train`.

    Parameters
    ----------
    images : Digits or array-like
        Training images in ``[0, 1]``: a :class:`~workshop_utils.datasets.digits.Digits`
        set (e.g. a curated subset) or an array of shape ``(n, 64)``.
    model : VAE, optional
        A model to train in place; by default a new ``VAE(latent_dim)``.
    time_budget_s : float, optional
        Stop after this many seconds.
    max_steps : int, optional
        Stop after this many steps (give this for runs that repeat exactly).
    latent_dim : int
        Size of the latent space of a new model (ignored when ``model`` is given).
    batch_size : int
        Images per step (at most the number of images).
    lr : float
        Adam's learning rate.
    seed : int
        Seeds torch's global generator before the model is built and trained.
    callbacks : sequence
        Passed to :func:`~workshop_utils.training.train`, e.g. an
        ``EvaluateEvery`` that measures FD-lite.
    progress : bool
        Show a progress bar.

    Returns
    -------
    (VAE, History)
        The trained model (in evaluation mode) and the training record.
    """
    x = _images(images)
    check_int("batch_size", batch_size, minimum=1)
    lr = check_number("lr", lr, minimum=0.0, strict_minimum=True)
    torch.manual_seed(check_int("seed", seed, minimum=0))
    if model is None:
        model = VAE(latent_dim=latent_dim)
    elif not isinstance(model, VAE):
        raise TypeError(f"model must be a vae.VAE, got {type(model).__name__}")
    model.train()
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    size = min(batch_size, len(x))

    def step(i: int) -> dict[str, float]:
        batch = x[torch.randint(0, len(x), (size,))]
        losses = vae_loss(batch, *model(batch))
        optimiser.zero_grad()
        losses["loss"].backward()
        optimiser.step()
        return {name: value.item() for name, value in losses.items()}

    about = {"trainer": "workshop_utils.models.vae.train_vae",
             "model": f"workshop_utils.models.vae.VAE(latent_dim={model.latent_dim})",
             "parameters": sum(p.numel() for p in model.parameters()),
             "dataset": "digits" if isinstance(images, Digits) else None,
             "dataset_detail": images.describe() if isinstance(images, Digits) else f"{len(x)} images given as an array",
             "seed": seed, "hyperparameters": {"batch_size": size, "lr": lr, "optimiser": "Adam"}}
    history = train(step, max_steps=max_steps, time_budget_s=time_budget_s, callbacks=callbacks,
                    progress=progress, description="training the VAE", about=about)
    return model.eval(), history


@dataclass
class VAEResult:
    """What :func:`train_and_sample` made.

    Attributes
    ----------
    model : VAE
        The trained model.
    samples : numpy.ndarray
        Generated images, ``(n, 64)`` in ``[0, 1]``.
    history : History
        The training record.
    training_data : Digits or None
        What the model learned from, when given as a ``Digits`` set (for
        credits).
    """

    model: VAE
    samples: np.ndarray
    history: History
    training_data: Digits | None = None

    def figure(self, n: int = 32, title: str = "Samples from the VAE"):
        """A grid of the first ``n`` samples (an accessible figure)."""
        from ..plotting import image_grid

        check_int("n", n, minimum=1)
        shown = self.samples[:n].reshape(-1, 8, 8)
        return image_grid(shown, ncols=8, title=title, value_range=(0, 1))

    def credits(self) -> str:
        """Credits for the samples: the model, its training run and its data."""
        lines = [f"Generated by a small VAE (workshop_utils.models.vae) trained for {self.history.n_steps} steps "
                 f"({self.history.elapsed_s:.0f} s) on one CPU."]
        if self.training_data is not None:
            lines.append("Training data: " + self.training_data.credits())
        return "\n".join(lines)


def train_and_sample(
    images,
    n_samples: int = 64,
    *,
    time_budget_s: float | None = 20.0,
    max_steps: int | None = None,
    latent_dim: int = 8,
    seed: int = 0,
    progress: bool = True,
) -> VAEResult:
    """Train a VAE on your images and generate new ones, in one call.

    Parameters
    ----------
    images : Digits or array-like
        Training images in ``[0, 1]``, e.g. ``train.subset(classes=[3, 7])``
        or your hand-picked ``train.subset(indices=[...])``.
    n_samples : int
        How many images to generate.
    time_budget_s : float, optional
        Training time in seconds (20 s gives recognisable digits).
    max_steps : int, optional
        Training steps, for runs that repeat exactly.
    latent_dim : int
        Size of the latent space.
    seed : int
        Seed of training and sampling.
    progress : bool
        Show a progress bar.

    Returns
    -------
    VAEResult
        The model, the samples, the training record and (when ``images``
        was a ``Digits`` set) the training data, with ``figure()`` and
        ``credits()`` helpers.

    Examples
    --------
    >>> from workshop_utils import digits, vae
    >>> train, _ = digits.train_test_split()
    >>> result = vae.train_and_sample(train.subset(classes=[0, 1]), n_samples=8, max_steps=20, progress=False)
    >>> result.samples.shape
    (8, 64)
    """
    check_int("n_samples", n_samples, minimum=1)
    model, history = train_vae(images, time_budget_s=time_budget_s, max_steps=max_steps,
                               latent_dim=latent_dim, seed=seed, progress=progress)
    generator = torch.Generator().manual_seed(seed)
    samples = model.sample(n_samples, generator=generator).numpy()
    return VAEResult(model, samples, history, images if isinstance(images, Digits) else None)
