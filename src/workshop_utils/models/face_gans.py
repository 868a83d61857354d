"""Small generators of 32x32 cartoon faces that differ in how they upsample.

A detector of synthetic images can learn the *fingerprint* of a generator's
upsampling layers rather than anything about faces: Odena, Dumoulin & Olah
("Deconvolution and Checkerboard Artifacts", Distill 2016) showed the
checkerboard that transposed convolutions leave, and Frank et al. (ICML 2020)
traced the frequency artefacts of GAN images to their upsampling. To measure that, lesson
07 needs several generators of the same faces that differ mainly in that one
layer. Every :class:`Generator` here maps a latent code ``z`` to a 4x4 map,
doubles the size three times and draws RGB with a 3x3 convolution; only the
doubling differs:

``"convT"``
    ``ConvTranspose2d(kernel 4, stride 2)``, the DCGAN layer (checkerboard-prone).
``"nearest"``
    Nearest-neighbour upsampling, then a 3x3 convolution ("resize-convolution").
``"bilinear"``
    Bilinear upsampling, then a 3x3 convolution.
``"shuffle"``
    A 3x3 convolution to four times the channels, then ``PixelShuffle`` (as the
    face swap in :mod:`workshop_utils.models.faceswap`).

GANs trained from scratch on one CPU core did not reach usable faces within
minutes, so the shipped checkpoints come from a chain: a small VAE
(:class:`ConvVAE`) learns the faces first, and its decoder is then fine-tuned
as a GAN generator (:func:`train_gan`). Three checkpoints are shipped, made by
``tools/train_face_generators.py``:

==================  ===========  ==============================================
checkpoint          upsampling   how it was made
==================  ===========  ==============================================
``face_vae``        bilinear     decoder of a VAE
``face_gan_resize`` nearest      ``face_vae``'s decoder fine-tuned as a GAN
``face_gan_convt``  convT        VAE with a convT decoder, fine-tuned as a GAN
==================  ===========  ==============================================

:func:`sample_sources` draws real faces of identity B and faces from every
generator, including face swaps of identity A to B.

Used in: lessons/07_detecting_synthetic_media, solutions/06_detector,
tools/train_face_generators.py.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .._validate import check_choice, check_int, check_number

__all__ = [
    "CHECKPOINTS",
    "IDENTITY",
    "RECIPE",
    "SOURCES",
    "SWAP_SEED_OFFSET",
    "UPSAMPLERS",
    "ConvVAE",
    "Discriminator",
    "Generator",
    "load",
    "sample",
    "sample_sources",
    "train_checkpoint",
    "train_gan",
    "train_vae",
    "training_faces",
    "up_block",
    "vae_loss",
]

UPSAMPLERS = ("convT", "nearest", "bilinear", "shuffle")

#: Shipped checkpoints and the upsampling of their generator.
CHECKPOINTS = {"face_gan_convt": "convT", "face_gan_resize": "nearest", "face_vae": "bilinear"}

#: The identity whose faces are "real" (and which every generator draws).
IDENTITY = "B"

#: Display names of the image sources, and where each comes from.
SOURCES = {
    "real": "rendered faces of identity B (workshop_utils.datasets.faces)",
    "GAN convT": "face_gan_convt",
    "GAN nearest": "face_gan_resize",
    "VAE bilinear": "face_vae",
    "face swap": "faceswap_ab: faces of identity A swapped to B",
}


def up_block(kind: str, c_in: int, c_out: int) -> nn.Sequential:
    """Double the height and width with one of :data:`UPSAMPLERS`, then BatchNorm and ReLU."""
    check_choice("kind", kind, UPSAMPLERS)
    if kind == "convT":
        layers = [nn.ConvTranspose2d(c_in, c_out, 4, stride=2, padding=1)]
    elif kind == "shuffle":
        layers = [nn.Conv2d(c_in, 4 * c_out, 3, padding=1), nn.PixelShuffle(2)]
    else:
        layers = [nn.Upsample(scale_factor=2, mode=kind), nn.Conv2d(c_in, c_out, 3, padding=1)]
    return nn.Sequential(*layers, nn.BatchNorm2d(c_out), nn.ReLU())


class Generator(nn.Module):
    """Latent code ``z`` -> 32x32 RGB image in [0, 1].

    Parameters
    ----------
    kind : str
        The upsampling, one of :data:`UPSAMPLERS`.
    channels : int
        Width of the last block (the first has four times as many).
    latent : int
        Length of ``z``.
    """

    def __init__(self, kind: str = "convT", channels: int = 16, latent: int = 32):
        super().__init__()
        self.kind = check_choice("kind", kind, UPSAMPLERS)
        c = check_int("channels", channels, minimum=1)
        self.latent = check_int("latent", latent, minimum=1)
        self.start = nn.Sequential(nn.Linear(self.latent, 4 * c * 16), nn.Unflatten(1, (4 * c, 4, 4)),
                                   nn.BatchNorm2d(4 * c), nn.ReLU())                      # 4x4
        self.up = nn.Sequential(up_block(kind, 4 * c, 2 * c), up_block(kind, 2 * c, c),  # 8x8, 16x16
                                up_block(kind, c, c))                                     # 32x32
        self.to_rgb = nn.Sequential(nn.Conv2d(c, 3, 3, padding=1), nn.Sigmoid())

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.to_rgb(self.up(self.start(z)))

    @torch.no_grad()
    def sample(self, n: int, seed: int = 0) -> torch.Tensor:
        """``n`` images of shape ``(n, 3, 32, 32)`` from latent codes drawn with ``seed``."""
        n = check_int("n", n, minimum=1)
        z = torch.randn(n, self.latent, generator=torch.Generator().manual_seed(check_int("seed", seed, minimum=0)))
        self.eval()
        return self(z)


class Discriminator(nn.Module):
    """32x32 RGB image -> one logit ("real" is positive); DCGAN style, strided 4x4 convolutions."""

    def __init__(self, channels: int = 16):
        super().__init__()
        c = check_int("channels", channels, minimum=1)
        self.net = nn.Sequential(
            nn.Conv2d(3, c, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(c, 2 * c, 4, 2, 1), nn.BatchNorm2d(2 * c), nn.LeakyReLU(0.2),
            nn.Conv2d(2 * c, 4 * c, 4, 2, 1), nn.BatchNorm2d(4 * c), nn.LeakyReLU(0.2),
            nn.Flatten(), nn.Linear(4 * c * 16, 1))

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.net(images * 2 - 1).squeeze(1)


class ConvVAE(nn.Module):
    """A VAE whose decoder is a :class:`Generator`: three strided convolutions -> Gaussian code -> image."""

    def __init__(self, channels: int = 16, latent: int = 32, kind: str = "bilinear"):
        super().__init__()
        c = check_int("channels", channels, minimum=1)
        self.latent = check_int("latent", latent, minimum=1)
        self.encoder = nn.Sequential(
            nn.Conv2d(3, c, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(c, 2 * c, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(2 * c, 4 * c, 4, 2, 1), nn.LeakyReLU(0.2), nn.Flatten())
        self.mu = nn.Linear(4 * c * 16, latent)
        self.logvar = nn.Linear(4 * c * 16, latent)
        self.decoder = Generator(kind, channels, latent)

    def forward(self, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Reconstruction, mean and log-variance of the code."""
        hidden = self.encoder(images * 2 - 1)
        mu, logvar = self.mu(hidden), self.logvar(hidden).clamp(-8, 8)
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
        return self.decoder(z), mu, logvar


def vae_loss(recon: torch.Tensor, images: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy summed over pixels plus the KL divergence, both averaged over the batch."""
    rec = F.binary_cross_entropy(recon, images, reduction="sum")
    kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum()
    return (rec + kl) / len(images)


def _check_faces(images: torch.Tensor) -> torch.Tensor:
    if not isinstance(images, torch.Tensor) or images.dim() != 4 or images.shape[1:] != (3, 32, 32):
        raise ValueError(f"images must be a tensor of shape (n, 3, 32, 32); got {getattr(images, 'shape', images)!r}")
    return images


def train_vae(kind: str, images: torch.Tensor, steps: int, *, channels: int = 16, latent: int = 32,
              batch_size: int = 64, lr: float = 1e-3, seed: int = 0) -> Generator:
    """Train a :class:`ConvVAE` on ``images`` and return its decoder (in evaluation mode).

    Adam with learning rate ``lr``; ``seed`` fixes the initial weights and the batches.
    """
    images = _check_faces(images)
    torch.manual_seed(check_int("seed", seed, minimum=0))
    model = ConvVAE(channels, latent, kind)
    optimizer = torch.optim.Adam(model.parameters(), check_number("lr", lr, minimum=0.0, strict_minimum=True))
    batches = torch.Generator().manual_seed(seed)
    for _ in range(check_int("steps", steps, minimum=1)):
        batch = images[torch.randint(0, len(images), (batch_size,), generator=batches)]
        recon, mu, logvar = model(batch)
        loss = vae_loss(recon, batch, mu, logvar)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.decoder.eval()


def train_gan(generator: Generator, images: torch.Tensor, steps: int, *, batch_size: int = 32, lr: float = 1e-4,
              ema_decay: float = 0.99, seed: int = 0) -> Generator:
    """Fine-tune ``generator`` as a GAN against a fresh :class:`Discriminator`; return the averaged generator.

    Non-saturating loss (Goodfellow et al., arXiv:1406.2661), Adam with ``betas=(0.5, 0.999)``
    as in DCGAN (Radford et al., arXiv:1511.06434), and an exponential moving average of the generator's weights
    (``ema_decay``), which gives steadier samples than the last step.
    """
    images = _check_faces(images)
    check_number("ema_decay", ema_decay, minimum=0.0, maximum=1.0)
    torch.manual_seed(check_int("seed", seed, minimum=0))
    critic = Discriminator(16)
    average = copy.deepcopy(generator)
    opt_g = torch.optim.Adam(generator.parameters(), lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(critic.parameters(), lr, betas=(0.5, 0.999))
    batches = torch.Generator().manual_seed(seed)
    generator.train()
    for _ in range(check_int("steps", steps, minimum=1)):
        real = images[torch.randint(0, len(images), (batch_size,), generator=batches)]
        fake = generator(torch.randn(batch_size, generator.latent, generator=batches))
        loss_d = F.softplus(-critic(real)).mean() + F.softplus(critic(fake.detach())).mean()
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        loss_g = F.softplus(-critic(fake)).mean()  # the generator wants its fakes called real
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
        with torch.no_grad():
            for p_avg, p in zip(average.parameters(), generator.parameters()):
                p_avg.lerp_(p, 1 - ema_decay)
            for b_avg, b in zip(average.buffers(), generator.buffers()):
                b_avg.copy_(b)
    return average.eval()


#: The recipe of the shipped checkpoints (tools/train_face_generators.py).
RECIPE = {"train_faces": 4000, "train_seed": 101, "vae_steps": 2000, "vae_convT_steps": 1000, "gan_steps": 1500,
          "seed": 0}


def training_faces(n: int = RECIPE["train_faces"], seed: int = RECIPE["train_seed"]) -> torch.Tensor:
    """The real faces of identity B the generators learn from, as a tensor ``(n, 3, 32, 32)``."""
    from ..datasets import faces

    return torch.from_numpy(faces.make_faces(IDENTITY, n, seed=seed).images)


def train_checkpoint(name: str, images: torch.Tensor | None = None, *, scale: float = 1.0,
                     vae_decoder: Generator | None = None) -> Generator:
    """Train one shipped generator from scratch with the recipe in :data:`RECIPE` (minutes on one core).

    Parameters
    ----------
    name : str
        One of :data:`CHECKPOINTS`.
    images : torch.Tensor, optional
        Training faces (default: :func:`training_faces`).
    scale : float
        Multiplies every step count (e.g. 0.02 for a quick smoke test).
    vae_decoder : Generator, optional
        For ``"face_gan_resize"``: an already trained ``"face_vae"`` to start from.
    """
    check_choice("name", name, CHECKPOINTS)
    scale = check_number("scale", scale, minimum=0.0, strict_minimum=True)
    images = training_faces() if images is None else _check_faces(images)
    steps = {key: max(1, round(RECIPE[key] * scale)) for key in ("vae_steps", "vae_convT_steps", "gan_steps")}
    seed = RECIPE["seed"]
    if name == "face_gan_convt":
        start = train_vae("convT", images, steps["vae_convT_steps"], seed=seed)
        return train_gan(start, images, steps["gan_steps"], seed=seed)
    vae = vae_decoder if vae_decoder is not None else train_vae("bilinear", images, steps["vae_steps"], seed=seed)
    if name == "face_vae":
        return vae
    start = Generator("nearest", 16, vae.latent)
    start.load_state_dict(vae.state_dict())  # same weight shapes: only the upsampling mode differs
    return train_gan(start, images, steps["gan_steps"], seed=seed)


_LOADED: dict[str, nn.Module] = {}  # shipped models, loaded once per session


def load(name: str, pretrained: bool = True, verbose: bool = False) -> Generator:
    """A shipped generator (see :data:`CHECKPOINTS`), or the same recipe trained from scratch.

    Shipped weights are loaded once per session and reused.
    """
    from .. import checkpoints

    check_choice("name", name, CHECKPOINTS)
    if pretrained and name in _LOADED:
        return _LOADED[name]
    model = checkpoints.load_or_train(name, lambda: Generator(CHECKPOINTS[name]),
                                      lambda model: model.load_state_dict(train_checkpoint(name).state_dict()),
                                      pretrained=pretrained, verbose=verbose)
    if pretrained:
        _LOADED[name] = model
    return model


def sample(name: str, n: int, seed: int = 0) -> np.ndarray:
    """``n`` faces from a shipped generator, as float32 ``(n, 3, 32, 32)`` in [0, 1]."""
    return load(name).sample(n, seed).numpy()


#: Offset between the seed of real B faces and that of the A faces that are swapped to B.
SWAP_SEED_OFFSET = 50_000


def sample_sources(n: int, seed: int = 0, names: Sequence[str] = tuple(SOURCES)) -> dict[str, np.ndarray]:
    """``n`` images from each named source in :data:`SOURCES`, float32 ``(n, 3, 32, 32)`` in [0, 1].

    ``"real"`` renders faces of identity B with parameter seed ``seed``;
    ``"face swap"`` renders faces of identity A (seed ``seed + 50000``) and
    swaps them to B with the shipped face swap; the generators draw their
    latent codes with ``seed``. Use different seeds for training and test sets.
    """
    from ..datasets import faces
    from . import faceswap

    n = check_int("n", n, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    if isinstance(names, str):
        names = [names]
    for name in names:
        check_choice("names", name, SOURCES)
    out = {}
    for name in names:
        if name == "real":
            out[name] = faces.make_faces(IDENTITY, n, seed=seed).images
        elif name == "face swap":
            if "faceswap_ab" not in _LOADED:
                _LOADED["faceswap_ab"] = faceswap.load_model(verbose=False)
            performers = torch.from_numpy(faces.make_faces("A", n, seed=seed + SWAP_SEED_OFFSET).images)
            out[name] = faceswap.swap(_LOADED["faceswap_ab"], performers, IDENTITY).numpy()
        else:
            out[name] = sample(SOURCES[name], n, seed)
    return out
