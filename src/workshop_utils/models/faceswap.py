"""The 2017 "deepfakes" face swap, scaled down to 32x32 cartoon faces.

The idea fits in one sentence: train **one shared encoder** and **one decoder
per identity** to reconstruct faces of both identities; then encode a face of
A and decode it with B's decoder. Because the encoder is shared, its code has
to describe what A and B faces have in common (where the head is, how open
the mouth and eyes are); each decoder learns to draw that code as its own
identity. Swapping decoders therefore keeps the expression and changes who
it is.

Two details from the original code matter:

- the inputs are randomly *warped* (:func:`random_warp`) but the targets are
  not, so each decoder must learn to draw a clean face from a distorted one
  instead of copying pixels;
- the loss is the mean absolute error (L1), which gives sharper images than
  the squared error.

Sizes (``channels=8``, ``latent=64``): the encoder has about 120k parameters,
each decoder about 24k. Training from scratch takes a few minutes on one CPU
thread (3000 steps), so the package ships pretrained weights (``faceswap_ab``,
see :func:`load_model`); from the shipped encoder, two new decoders learn a
usable swap in about 150 steps.

Used in: solutions/03_autoencoder_faceswap, lessons/03_activism,
tools/train_faceswap_checkpoint.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from .._validate import check_choice, check_int, check_number

__all__ = [
    "CHECKPOINT",
    "Decoder",
    "Encoder",
    "FaceSwapModel",
    "faceswap_train_step",
    "load_model",
    "make_optimizer",
    "random_warp",
    "swap",
    "train_model",
]

#: Name of the shipped checkpoint (identities A and B, channels=8, latent=64).
CHECKPOINT = "faceswap_ab"


def _down(c_in: int, c_out: int) -> nn.Sequential:
    """Halve the resolution: 5x5 convolution with stride 2."""
    return nn.Sequential(nn.Conv2d(c_in, c_out, 5, stride=2, padding=2), nn.LeakyReLU(0.1))


def _up(c_in: int, c_out: int) -> nn.Sequential:
    """Double the resolution: a convolution makes 4x the channels, PixelShuffle rearranges them."""
    return nn.Sequential(nn.Conv2d(c_in, 4 * c_out, 3, padding=1), nn.LeakyReLU(0.1), nn.PixelShuffle(2))


class Encoder(nn.Module):
    """32x32 face -> 64 numbers (the bottleneck) -> an 8x8 feature map for the decoders."""

    def __init__(self, channels: int = 8, latent: int = 64):
        super().__init__()
        c = check_int("channels", channels, minimum=1)
        self.latent = check_int("latent", latent, minimum=1)
        self.down = nn.Sequential(_down(3, c), _down(c, 2 * c), _down(2 * c, 4 * c))  # 32 -> 4 pixels
        self.bottleneck = nn.Sequential(nn.Flatten(), nn.Linear(4 * c * 16, latent),
                                        nn.Linear(latent, 4 * c * 16), nn.Unflatten(1, (4 * c, 4, 4)))
        self.up = _up(4 * c, 4 * c)  # 4 -> 8 pixels; shared by both identities, as in the original

    def forward(self, faces: torch.Tensor) -> torch.Tensor:
        if faces.dim() != 4 or faces.shape[1:] != (3, 32, 32):
            raise ValueError(f"faces must have shape (n, 3, 32, 32); got {tuple(faces.shape)}")
        return self.up(self.bottleneck(self.down(faces)))


class Decoder(nn.Module):
    """8x8 feature map -> 32x32 face of one identity."""

    def __init__(self, channels: int = 8):
        super().__init__()
        c = check_int("channels", channels, minimum=1)
        self.net = nn.Sequential(_up(4 * c, 2 * c), _up(2 * c, c),  # 8 -> 16 -> 32 pixels
                                 nn.Conv2d(c, 3, 5, padding=2), nn.Sigmoid())

    def forward(self, code: torch.Tensor) -> torch.Tensor:
        return self.net(code)


class FaceSwapModel(nn.Module):
    """One shared encoder and one decoder per identity.

    Parameters
    ----------
    identities : sequence of str
        Names of the identities, one decoder each (at least two).
    channels : int
        Width of the networks.
    latent : int
        Size of the bottleneck code.

    Attributes
    ----------
    encoder : Encoder
        Shared by all identities.
    decoders : torch.nn.ModuleDict
        ``decoders["A"]`` draws faces of identity A.
    """

    def __init__(self, identities: Sequence[str] = ("A", "B"), channels: int = 8, latent: int = 64):
        super().__init__()
        names = list(identities) if not isinstance(identities, str) else [identities]
        if len(names) < 2 or len(set(names)) != len(names) or not all(isinstance(n, str) and n for n in names):
            raise ValueError(f"identities must be at least two different names, e.g. ('A', 'B'); got {identities!r}")
        self.encoder = Encoder(channels, latent)
        self.decoders = nn.ModuleDict({name: Decoder(channels) for name in names})

    def forward(self, faces: torch.Tensor, identity: str) -> torch.Tensor:
        """Encode ``faces`` and draw them as ``identity``."""
        check_choice("identity", identity, list(self.decoders))
        return self.decoders[identity](self.encoder(faces))


def random_warp(faces: torch.Tensor, strength: float = 1.0, generator: torch.Generator | None = None) -> torch.Tensor:
    """Distort faces a little: a random rotation and zoom plus a smooth random wobble.

    Parameters
    ----------
    faces : torch.Tensor
        Images of shape ``(n, 3, h, w)``.
    strength : float
        0 returns the faces unchanged; 1 is the training default.
    generator : torch.Generator, optional
        Source of randomness (default: torch's global generator).

    Returns
    -------
    torch.Tensor
        Warped images, same shape.
    """
    strength = check_number("strength", strength, minimum=0.0)
    if not isinstance(faces, torch.Tensor) or faces.dim() != 4:
        raise ValueError(f"faces must be a tensor of shape (n, 3, h, w); got {getattr(faces, 'shape', faces)!r}")
    n = faces.shape[0]
    angle = (torch.rand(n, generator=generator) * 2 - 1) * 0.12 * strength  # radians
    zoom = 1 + (torch.rand(n, generator=generator) * 2 - 1) * 0.05 * strength
    cos, sin = torch.cos(angle) * zoom, torch.sin(angle) * zoom
    zeros = torch.zeros(n)
    theta = torch.stack([torch.stack([cos, -sin, zeros], 1), torch.stack([sin, cos, zeros], 1)], 1)
    grid = F.affine_grid(theta, list(faces.shape), align_corners=False)
    wobble = torch.randn(n, 2, 5, 5, generator=generator) * 0.025 * strength
    grid = grid + F.interpolate(wobble, size=faces.shape[-2:], mode="bicubic", align_corners=True).permute(0, 2, 3, 1)
    return F.grid_sample(faces, grid, padding_mode="border", align_corners=False)


def make_optimizer(model: nn.Module, lr: float = 3e-3) -> torch.optim.Optimizer:
    """Adam with ``betas=(0.5, 0.999)`` over all of the model's parameters, as in the original.

    The original used a much smaller learning rate for a much larger model; for
    this small model 3e-3 learns the mouth about twice as fast as 1e-3.
    """
    lr = check_number("lr", lr, minimum=0.0, strict_minimum=True)
    return torch.optim.Adam(model.parameters(), lr=lr, betas=(0.5, 0.999))


def faceswap_train_step(
    model: FaceSwapModel,
    optimizer: torch.optim.Optimizer,
    faces_a: torch.Tensor,
    faces_b: torch.Tensor,
    warp: Callable[[torch.Tensor], torch.Tensor] = random_warp,
    identities: tuple[str, str] = ("A", "B"),
) -> dict[str, float]:
    """One optimisation step: reconstruct both identities through the shared encoder.

    Parameters
    ----------
    model : FaceSwapModel
        The encoder and decoders.
    optimizer : torch.optim.Optimizer
        Optimises all of the model's parameters.
    faces_a, faces_b : torch.Tensor
        Batches of faces of the two identities, shape ``(n, 3, 32, 32)``.
    warp : callable
        Distorts the inputs; the targets stay clean.
    identities : (str, str)
        The decoders that draw ``faces_a`` and ``faces_b``.

    Returns
    -------
    dict
        ``{"loss_a": ..., "loss_b": ...}``, the two L1 losses as floats.
    """
    name_a, name_b = identities
    loss_a = F.l1_loss(model.decoders[name_a](model.encoder(warp(faces_a))), faces_a)
    loss_b = F.l1_loss(model.decoders[name_b](model.encoder(warp(faces_b))), faces_b)
    optimizer.zero_grad()
    (loss_a + loss_b).backward()
    optimizer.step()
    return {"loss_a": loss_a.item(), "loss_b": loss_b.item()}


def train_model(
    model: FaceSwapModel,
    steps: int = 3000,
    *,
    n_faces: int = 3000,
    batch_size: int = 32,
    lr: float = 3e-3,
    time_budget_s: float | None = None,
    progress: bool = True,
):
    """Train an A/B model from scratch the way the shipped checkpoint was trained.

    Renders ``n_faces`` faces of A and of B (parameter seeds 1 and 2), then
    runs ``steps`` steps of :func:`faceswap_train_step` on random batches.
    Seed torch (e.g. with :func:`workshop_utils.reproducibility.setup`)
    before building the model for a reproducible result. The default takes
    about 2.5-5 minutes on one CPU thread.

    Parameters
    ----------
    model : FaceSwapModel
        A model with decoders ``"A"`` and ``"B"``; trained in place.
    steps : int
        Number of optimisation steps.
    n_faces : int
        Rendered training faces per identity.
    batch_size : int
        Faces per identity in each step.
    lr : float
        Adam's learning rate.
    time_budget_s : float, optional
        Stop earlier after this many seconds.
    progress : bool
        Show a progress bar.

    Returns
    -------
    workshop_utils.training.History
        The losses of the run.
    """
    from .. import training
    from ..datasets import faces

    for name in ("A", "B"):
        check_choice("the model's identities", name, list(model.decoders))
    check_int("n_faces", n_faces, minimum=1)
    check_int("batch_size", batch_size, minimum=1)
    data = {name: torch.from_numpy(faces.make_faces(name, n_faces, seed=seed).images)
            for name, seed in (("A", 1), ("B", 2))}
    optimizer = make_optimizer(model, lr)

    def step(i: int) -> dict[str, float]:
        batch_a = data["A"][torch.randint(0, n_faces, (batch_size,))]
        batch_b = data["B"][torch.randint(0, n_faces, (batch_size,))]
        return faceswap_train_step(model, optimizer, batch_a, batch_b)

    about = {"trainer": "workshop_utils.models.faceswap.train_model",
             "model": f"workshop_utils.models.faceswap.FaceSwapModel({tuple(model.decoders)!r}, "
                      f"latent={model.encoder.latent})",
             "parameters": sum(p.numel() for p in model.parameters()),
             "dataset": "cartoon_faces",
             "dataset_detail": f"{n_faces} procedural cartoon faces each of identities A (parameter seed 1) "
                               "and B (parameter seed 2), drawn by workshop_utils.datasets.faces.make_faces",
             "hyperparameters": {"batch_size": batch_size, "lr": lr, "optimiser": "Adam, betas (0.5, 0.999)",
                                 "loss": "L1 on clean targets from random_warp inputs"}}
    return training.train(step, max_steps=steps, time_budget_s=time_budget_s, progress=progress,
                          description="face swap", about=about)


@torch.no_grad()
def swap(model: FaceSwapModel, faces: torch.Tensor, to: str, batch_size: int = 256) -> torch.Tensor:
    """Encode ``faces`` with the shared encoder and draw them with the decoder of ``to``.

    Parameters
    ----------
    model : FaceSwapModel
        A trained model.
    faces : torch.Tensor
        Faces of shape ``(n, 3, 32, 32)`` (any identity).
    to : str
        Whose decoder draws the result; the face's own identity gives a reconstruction.
    batch_size : int
        Faces processed at a time (limits memory).

    Returns
    -------
    torch.Tensor
        The swapped faces, shape ``(n, 3, 32, 32)``, values in ``[0, 1]``.
    """
    check_choice("to", to, list(model.decoders))
    check_int("batch_size", batch_size, minimum=1)
    faces = torch.as_tensor(faces, dtype=torch.float32)
    return torch.cat([model(faces[i:i + batch_size], to) for i in range(0, len(faces), batch_size)])


def load_model(parts: str = "all", pretrained: bool = True,
               train: Callable[[FaceSwapModel], object] | None = None, verbose: bool = True) -> FaceSwapModel:
    """The face-swap model for identities A and B, with the shipped weights.

    Parameters
    ----------
    parts : str
        ``"all"`` loads the encoder and both decoders (ready to swap);
        ``"encoder"`` loads only the shared encoder and leaves both decoders
        untrained (the starting point of exercise 03).
    pretrained : bool
        ``False`` trains from scratch instead, with ``train(model)``; see
        :func:`workshop_utils.checkpoints.load_or_train`.
    train : callable, optional
        Trains a fresh model in place when ``pretrained`` is false; defaults
        to :func:`train_model` with its defaults (a few minutes).
    verbose : bool
        Print which path was taken.

    Returns
    -------
    FaceSwapModel
        In evaluation mode.
    """
    from .. import checkpoints

    check_choice("parts", parts, ("all", "encoder"))
    if parts == "all":
        if train is None:
            def train(model: FaceSwapModel) -> object:
                return train_model(model, progress=verbose)
        return checkpoints.load_or_train(CHECKPOINT, FaceSwapModel, train, pretrained=pretrained, verbose=verbose)
    model = FaceSwapModel()
    state = checkpoints.load_state_dict(CHECKPOINT)
    model.encoder.load_state_dict({k[len("encoder."):]: v for k, v in state.items() if k.startswith("encoder.")})
    if verbose:
        print(f"Loaded the shared encoder of the shipped checkpoint {CHECKPOINT!r}; both decoders start untrained.")
    return model.eval()
