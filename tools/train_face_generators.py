"""Reproduce the three shipped face generators of lesson 07 (``face_vae``, ``face_gan_resize``, ``face_gan_convt``).

Usage::

    python tools/train_face_generators.py                          # train (10-30 min on one core) and write all
    python tools/train_face_generators.py --check                  # retrain and compare with the shipped weights
    python tools/train_face_generators.py --scale 0.02 --folder /tmp/smoke   # smoke test: 2% of the steps

The recipe is ``workshop_utils.models.face_gans.RECIPE``: a small VAE with a
bilinear decoder learns 4000 faces of identity B (``face_vae``); its decoder,
with nearest-neighbour instead of bilinear upsampling, is fine-tuned as a GAN
(``face_gan_resize``); a second VAE with a transposed-convolution decoder is
fine-tuned the same way (``face_gan_convt``). Each checkpoint is written with
``workshop_utils.checkpoints.save`` beside a card that records how good its
samples are (a Fréchet distance in a PCA space of real faces). One torch
thread, fixed seeds and fixed step counts, so the weights repeat bit for bit
on the same CPU type and torch version.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from workshop_utils import checkpoints  # noqa: E402
from workshop_utils.datasets import faces  # noqa: E402
from workshop_utils.metrics.fid_lite import frechet_distance  # noqa: E402
from workshop_utils.models import face_gans  # noqa: E402
from workshop_utils.reproducibility import setup  # noqa: E402

FOLDER = REPO / "src" / "workshop_utils" / "data" / "checkpoints"
SCRIPT = "tools/train_face_generators.py"
QUALITY_SEEDS = {"pca": 31, "reference": 32, "samples": 33}  # parameter/latent seeds of the quality check
N_QUALITY = 1000

DESCRIPTIONS = {
    "face_vae": "Decoder of a small convolutional VAE that draws 32x32 cartoon faces of identity B "
                "(bilinear upsampling).",
    "face_gan_resize": "A small GAN generator of 32x32 cartoon faces of identity B with resize-convolution "
                       "(nearest-neighbour upsampling, then a 3x3 convolution).",
    "face_gan_convt": "A small GAN generator of 32x32 cartoon faces of identity B with transposed convolutions "
                      "(kernel 4, stride 2), the layer that leaves checkerboard artefacts.",
}


def procedure(name: str, steps: dict[str, int]) -> str:
    """How the checkpoint was trained, in words."""
    vae = ("ConvVAE (three stride-2 convolutions, 32-number code) trained with summed binary cross-entropy plus KL, "
           "Adam 1e-3, batch 64")
    gan = (f"then {steps['gan_steps']} steps of GAN fine-tuning (face_gans.train_gan): non-saturating loss against a "
           "fresh DCGAN-style Discriminator(16), Adam 1e-4 with betas (0.5, 0.999), batch 32, exponential moving "
           "average 0.99 of the generator's weights")
    if name == "face_vae":
        return f"{vae}, {steps['vae_steps']} steps; only the decoder is shipped."
    if name == "face_gan_resize":
        return (f"Initialised from face_vae's decoder ({vae}, {steps['vae_steps']} steps; same weight shapes, "
                f"nearest instead of bilinear upsampling), {gan}.")
    return f"{vae} with a transposed-convolution decoder, {steps['vae_convT_steps']} steps, {gan}."


def quality(model: face_gans.Generator) -> dict:
    """Fréchet distance between 1000 samples and 1000 held-out real faces in a 50-component PCA space."""
    from sklearn.decomposition import PCA

    def real(seed: int, n: int = N_QUALITY) -> np.ndarray:
        return faces.make_faces(face_gans.IDENTITY, n, seed=seed).images.reshape(n, -1)

    pca = PCA(50, random_state=0).fit(real(QUALITY_SEEDS["pca"], 2000))
    reference = pca.transform(real(QUALITY_SEEDS["reference"]))
    samples = model.sample(N_QUALITY, seed=QUALITY_SEEDS["samples"]).numpy().reshape(N_QUALITY, -1)
    return {
        "pca_fd": round(frechet_distance(pca.transform(samples), reference), 2),
        "pca_fd_real_vs_real": round(frechet_distance(pca.transform(real(QUALITY_SEEDS["samples"])), reference), 2),
        "note": (f"Fréchet distance between {N_QUALITY} samples (latent seed {QUALITY_SEEDS['samples']}) and "
                 f"{N_QUALITY} held-out real B faces (parameter seed {QUALITY_SEEDS['reference']}) in the space of the "
                 f"first 50 principal components of 2000 other real B faces (seed {QUALITY_SEEDS['pca']}); lower is "
                 "better. real_vs_real is the floor: another 1000 real faces against the same reference."),
    }


def card(name: str, model: face_gans.Generator, steps: dict[str, int], metrics: dict, seconds: float) -> dict:
    """The checkpoint's card (fields: workshop_utils.checkpoints.CARD_FIELDS)."""
    kind = face_gans.CHECKPOINTS[name]
    n_params = sum(p.numel() for p in model.parameters())
    return {
        "name": name,
        "description": DESCRIPTIONS[name],
        "architecture": (f"workshop_utils.models.face_gans.Generator('{kind}', channels=16, latent=32): a linear layer "
                         f"to a 64x4x4 map, three upsampling blocks ({kind}, BatchNorm, ReLU) to 32x32, a 3x3 "
                         f"convolution to RGB and a sigmoid; {n_params} parameters. Output: 32x32 RGB in [0, 1]."),
        "training_data": (f"{face_gans.RECIPE['train_faces']} procedural cartoon faces of identity B drawn by "
                          f"workshop_utils.datasets.faces.make_faces (parameter seed {face_gans.RECIPE['train_seed']}); "
                          "no photographs and no real person's face. Datasheet: "
                          "workshop_utils.datasets.datasheets.datasheet('cartoon_faces')."),
        "training_procedure": (f"{procedure(name, steps)} {seconds:.0f} s of training on a shared 2-core machine; "
                               f"torch {torch.__version__}, numpy {np.__version__}, Python "
                               f"{platform.python_version()}, 1 torch thread."),
        "script": SCRIPT,
        "seed": face_gans.RECIPE["seed"],
        "metrics": metrics,
        "intended_use": ("Teaching how detectors of synthetic images work and fail (lesson 07, exercise 06): a "
                         "source of synthetic cartoon faces whose upsampling layer is known."),
        "limitations": ("Only draws 32x32 cartoon faces of identity B of workshop_utils.datasets.faces. The samples "
                        "are visibly imperfect (noise, soft or broken eyes) and far easier to detect than a modern "
                        "generator's; results measured on them do not transfer to real deepfake detectors. Not for "
                        "drawing or imitating real faces."),
        "licence": ("The weights are released under the workshop's MIT licence; the training data is generated by "
                    "the workshop's code."),
    }


def train_all(scale: float = 1.0) -> dict[str, tuple[face_gans.Generator, float]]:
    """Train the three generators in one chain; returns ``{name: (model, seconds)}``."""
    setup(seed=face_gans.RECIPE["seed"], threads=1)
    images = face_gans.training_faces()
    out = {}
    start = time.perf_counter()
    vae = face_gans.train_checkpoint("face_vae", images, scale=scale)
    out["face_vae"] = (vae, time.perf_counter() - start)
    start = time.perf_counter()
    resize = face_gans.train_checkpoint("face_gan_resize", images, scale=scale, vae_decoder=vae)
    out["face_gan_resize"] = (resize, time.perf_counter() - start + out["face_vae"][1])
    start = time.perf_counter()
    out["face_gan_convt"] = (face_gans.train_checkpoint("face_gan_convt", images, scale=scale),
                             time.perf_counter() - start)
    return out


def main(argv: list[str] | None = None) -> int:
    """Train the checkpoints and write them, or compare them with the shipped ones (``--check``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="retrain and compare with the shipped weights")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every step count (smoke tests)")
    parser.add_argument("--folder", type=Path, default=FOLDER, help="where to write (default: the package)")
    args = parser.parse_args(argv)
    if args.scale != 1.0 and args.folder == FOLDER and not args.check:
        parser.error("--scale other than 1 would overwrite the shipped checkpoints; give --folder")
    trained = train_all(args.scale)
    if args.check:
        different = []
        for name, (model, _) in trained.items():
            shipped = checkpoints.load_state_dict(name)
            state = model.state_dict()
            if shipped.keys() != state.keys() or not all(torch.equal(shipped[k], state[k]) for k in state):
                different.append(name)
        print(f"DIFFERENT from the shipped weights: {different}" if different else "identical to the shipped weights")
        return 1 if different else 0
    steps = {key: max(1, round(face_gans.RECIPE[key] * args.scale))
             for key in ("vae_steps", "vae_convT_steps", "gan_steps")}
    for name, (model, seconds) in trained.items():
        metrics = quality(model)
        path = checkpoints.save(name, model.state_dict(), card(name, model, steps, metrics, seconds), folder=args.folder)
        print(f"wrote {path.name} ({path.stat().st_size / 1024:.0f} KiB) after {seconds:.0f} s of training; "
              f"PCA-FD {metrics['pca_fd']} (real vs real {metrics['pca_fd_real_vs_real']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
