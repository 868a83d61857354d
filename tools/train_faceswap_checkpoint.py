"""Reproduce the shipped face-swap checkpoint ``faceswap_ab`` and its card.

Usage::

    python tools/train_faceswap_checkpoint.py           # train (about 3-5 min on one core) and write both files
    python tools/train_faceswap_checkpoint.py --check   # retrain and compare with the shipped weights

Writes ``src/workshop_utils/data/checkpoints/faceswap_ab.pt`` (a state dict,
loadable with ``torch.load(..., weights_only=True)``) and
``faceswap_ab.card.json``. Training runs on one torch thread with fixed seeds
and a fixed number of steps, so the weights repeat bit for bit on the same CPU
type and torch version (other CPUs can differ in the last bits of sums).
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

from workshop_utils import checkpoints
from workshop_utils.datasets import faces
from workshop_utils.metrics import swap_quality
from workshop_utils.models import faceswap# noqa: E402
from workshop_utils.reproducibility import setup  # noqa: E402

FOLDER = REPO / "src" / "workshop_utils" / "data" / "checkpoints"
SCRIPT = "tools/train_faceswap_checkpoint.py"
STEPS = 3000
SEED = 0
N_FACES = 3000          # rendered faces per identity
DATA_SEEDS = {"A": 1, "B": 2}  # fixed in faceswap.train_model
EVAL_SEED, N_EVAL = 3, 500
BATCH = 32
LR = 3e-3


def train_checkpoint(steps: int = STEPS, seed: int = SEED, n_faces: int = N_FACES) -> dict[str, torch.Tensor]:
    """Train the face-swap model from scratch (faceswap.train_model) and return its state dict."""
    setup(seed=seed, threads=1)
    model = faceswap.FaceSwapModel()
    history = faceswap.train_model(model, steps, n_faces=n_faces, batch_size=BATCH, lr=LR, time_budget_s=None,
                                   progress=False)
    if history.n_steps != steps:
        raise RuntimeError(f"training stopped after {history.n_steps} of {steps} steps "
                           "(is WORKSHOP_MAX_TRAIN_SECONDS set?); the checkpoint would not be reproducible")
    return {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}


def evaluate(state: dict[str, torch.Tensor]) -> dict:
    """Swap held-out A faces to B and score them (see workshop_utils.metrics.swap_quality)."""
    model = faceswap.FaceSwapModel()
    model.load_state_dict(state)
    held_out = faces.make_faces("A", N_EVAL, seed=EVAL_SEED)
    scores = swap_quality.SwapJudge("B").score(faceswap.swap(model, torch.from_numpy(held_out.images), "B"),
                                               held_out.params)
    return {
        "held_out": f"{N_EVAL} A faces (parameter seed {EVAL_SEED}) swapped to B",
        "target_prob_B": round(scores.target_prob, 3),
        "expression_r": {k: round(v, 3) for k, v in scores.expression_r.items()},
        "gt_mae": round(scores.gt_mae, 4),
        "mean_face_mae": round(scores.mean_face_mae, 4),
        "note": ("workshop_utils.metrics.swap_quality.SwapJudge('B'): P(B) from a pixel classifier; Pearson r between the A "
                 "faces' parameters and those read off the swaps by a regression trained on B renders; pixel error "
                 "against the ground-truth swaps, beside the mean B face on the same backgrounds."),
    }


def card(metrics: dict, seconds: float) -> dict:
    """The checkpoint's card (fields: workshop_utils.checkpoints.CARD_FIELDS)."""
    n_enc = sum(p.numel() for p in faceswap.FaceSwapModel().encoder.parameters())
    n_dec = sum(p.numel() for p in faceswap.FaceSwapModel().decoders["A"].parameters())
    return {
        "name": faceswap.CHECKPOINT,
        "description": ("A 2017-style face swap for two cartoon identities: a shared encoder and one decoder each for "
                        "identity A (round yellow face, brown bob) and B (narrow lavender face, flat-top, glasses, beard)."),
        "architecture": (f"workshop_utils.models.faceswap.FaceSwapModel(('A', 'B'), channels=8, latent=64): encoder of three "
                         f"5x5 stride-2 convolutions, a 64-number bottleneck and a PixelShuffle upscale ({n_enc} "
                         f"parameters); two decoders of two PixelShuffle upscales and a 5x5 convolution with a sigmoid "
                         f"({n_dec} parameters each). Input and output: 32x32 RGB in [0, 1]."),
        "training_data": (f"{N_FACES} procedural cartoon faces per identity drawn by workshop_utils.datasets.faces.make_faces "
                          f"(parameter seeds A={DATA_SEEDS['A']}, B={DATA_SEEDS['B']}); no photographs and no real "
                          "person's face. Datasheet: workshop_utils.datasets.datasheets.datasheet('cartoon_faces')."),
        "training_procedure": (f"workshop_utils.models.faceswap.train_model (faceswap_train_step): inputs distorted by random_warp, clean "
                               f"targets, L1 loss summed over both identities; Adam, learning rate {LR}, betas "
                               f"(0.5, 0.999), batch {BATCH} per identity, {STEPS} steps. {seconds:.0f} s of training; "
                               f"torch {torch.__version__}, numpy {np.__version__}, Python "
                               f"{platform.python_version()}, 1 torch thread."),
        "script": SCRIPT,
        "seed": SEED,
        "metrics": metrics,
        "intended_use": ("Teaching how a face swap works and how to measure one, on the workshop's cartoon faces "
                         "(lesson 03 anonymises a cartoon witness; exercise 03 starts from the shared encoder)."),
        "limitations": ("Only works on 32x32 cartoon faces drawn by workshop_utils.datasets.faces, identities A and B. Swaps "
                        "are blurry; they keep head position and mouth openness but lose gaze and mostly eye "
                        "openness. Not a tool for swapping or disguising real faces, and must not be adapted to "
                        "impersonate anyone."),
        "licence": "The weights are released under the workshop's MIT licence; the training data is generated by the workshop's code.",
    }


def main(argv: list[str] | None = None) -> int:
    """Train the checkpoint and write it, or compare it with the shipped one (``--check``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="retrain and compare with the shipped weights")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    state = train_checkpoint()
    seconds = time.perf_counter() - start
    path = FOLDER / f"{faceswap.CHECKPOINT}.pt"
    if args.check:
        shipped = torch.load(path, map_location="cpu", weights_only=True)
        same = shipped.keys() == state.keys() and all(torch.equal(shipped[k], state[k]) for k in state)
        print("identical to the shipped weights" if same else "DIFFERENT from the shipped weights")
        return 0 if same else 1
    metrics = evaluate(state)
    checkpoints.save(faceswap.CHECKPOINT, state, card(metrics, seconds), folder=FOLDER)
    print(f"wrote {path.name} ({path.stat().st_size / 1024:.0f} KiB) after {seconds:.0f} s; {metrics}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
