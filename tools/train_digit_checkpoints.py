"""Reproduce the two shipped digit checkpoints and their cards.

Usage::

    python tools/train_digit_checkpoints.py              # both (about 1.5 min on one core)
    python tools/train_digit_checkpoints.py classifier   # just the FD-lite feature classifier (~5 s)
    python tools/train_digit_checkpoints.py ddpm         # just the pretrained denoiser (~1.5 min)
    python tools/train_digit_checkpoints.py --check      # retrain both and compare with the shipped weights

Writes ``src/workshop_utils/data/checkpoints/<name>.pt`` (a state dict, loadable
with ``torch.load(..., weights_only=True)``) and ``<name>.card.json``. Everything
runs on one torch thread with fixed seeds and a fixed number of steps, so the
weights repeat bit for bit on the same CPU type and torch version (other CPUs
can differ in the last bits of floating-point sums).

The denoiser's FD-lite is measured with the classifier written by the same run,
so train the classifier first (the default order).
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
from workshop_utils.datasets import digits
from workshop_utils.metrics import fid_lite
from workshop_utils.models import diffusion# noqa: E402
from workshop_utils.reproducibility import setup  # noqa: E402

FOLDER = REPO / "src" / "workshop_utils" / "data" / "checkpoints"
SCRIPT = "tools/train_digit_checkpoints.py"
DDPM_STEPS = 15_000
SEED = 0
DATA = ("scikit-learn's bundled copy of the UCI 'Optical Recognition of Handwritten Digits' data set "
        "(sklearn.datasets.load_digits; datasheet: workshop_utils.datasets.datasheets.datasheet('digits')), scaled to "
        "[0, 1]; the 1437 training images of workshop_utils.datasets.digits.train_test_split() (n_test=360, seed=0). "
        "The 360 test images were never used for training.")
LICENCE = ("The weights are released under the workshop's MIT licence. They were trained on the digits data "
           "shipped with scikit-learn (BSD-3-Clause package); see the digits datasheet for the data's origin.")


def _environment() -> str:
    return f"torch {torch.__version__}, numpy {np.__version__}, Python {platform.python_version()}, 1 torch thread"


def _write(name: str, state: dict, card: dict) -> None:
    size = checkpoints.save(name, state, card, folder=FOLDER).stat().st_size
    print(f"wrote {name}.pt ({size / 1024:.0f} KiB) and its card")


def train_classifier_checkpoint() -> tuple[dict, dict]:
    """Train the FD-lite feature classifier and describe it."""
    setup(seed=SEED, threads=1)
    train, test = digits.train_test_split()
    start = time.perf_counter()
    model = fid_lite.train_classifier(train, seed=SEED)
    seconds = time.perf_counter() - start
    with torch.no_grad():
        accuracy = float((model(test.tensor()).argmax(1).numpy() == test.labels).mean())
    # Reference points with this classifier (it must be the one fid_lite loads).
    fid_lite.load_classifier.cache_clear()
    fid_lite._test_features.cache_clear()
    fid_lite.reference_points.cache_clear()
    fid_lite.load_classifier = lambda: model  # type: ignore[assignment]
    refs = {n: fid_lite.reference_points(n) for n in (1000, 360)}
    card = {
        "name": fid_lite.CHECKPOINT,
        "description": "The feature network of FD-lite: an MLP digit classifier whose 64-unit layer describes an 8x8 digit.",
        "architecture": "workshop_utils.metrics.fid_lite.DigitClassifier: Linear 64-256, ReLU, Linear 256-64, ReLU (features), Linear 64-10.",
        "training_data": DATA,
        "training_procedure": (f"Adam, learning rate 1e-3, batch 64, 60 epochs, cross-entropy; each batch gets Gaussian pixel "
                               f"noise (standard deviation 0.1, clipped to [0, 1]). {seconds:.1f} s of training; {_environment()}."),
        "script": SCRIPT,
        "seed": SEED,
        "metrics": {
            "test_accuracy": round(accuracy, 4),
            "fd_lite_reference_points_n1000": {k: round(v, 2) for k, v in refs[1000].items()},
            "fd_lite_reference_points_n360": {k: round(v, 2) for k, v in refs[360].items()},
            "note": ("real = real training digits vs the 360 test digits; gmm = 20-component full-covariance Gaussian "
                     "mixture; noise = uniform random pixels. Measured against the 360 test digits."),
        },
        "intended_use": "Computing FD-lite (workshop_utils.metrics.fid_lite) to compare generators of 8x8 digits in the workshop.",
        "limitations": ("Trained on 1437 images handwritten by at most 43 people (per the data set's description); its "
                        "features only describe 8x8 digits like these. FD-lite compares feature statistics: a model that copies training images, or a Gaussian "
                        "mixture, scores near the floor. It says nothing about originality, credit or consent, and is "
                        "not comparable with published FID numbers."),
        "licence": LICENCE,
    }
    print(f"classifier: test accuracy {accuracy:.3f}; references n=1000 {refs[1000]}")
    return model.state_dict(), card


def train_ddpm_checkpoint() -> tuple[dict, dict]:
    """Train the pretrained denoiser for a fixed number of steps and describe it."""
    setup(seed=SEED, threads=1)
    train, _ = digits.train_test_split()
    model = diffusion.Denoiser()
    run = diffusion.train_ddpm(train, model, max_steps=DDPM_STEPS, time_budget_s=None, seed=SEED, progress=False)
    samples = diffusion.to_image_scale(diffusion.ddim_sample(run.model, 1000, steps=50, seed=0))
    report = fid_lite.evaluate(samples, name="pretrained DDPM, DDIM 50 steps")
    n_params = sum(p.numel() for p in model.parameters())
    card = {
        "name": diffusion.CHECKPOINT,
        "description": "A small diffusion model (DDPM, epsilon prediction) that generates 8x8 handwritten digits.",
        "architecture": (f"workshop_utils.models.diffusion.Denoiser(width=128, blocks=3): a residual MLP with a sinusoidal time "
                         f"embedding, {n_params} parameters. Cosine noise schedule with T=1000. The weights are the "
                         "exponential moving average (decay 0.999) of the trained weights."),
        "training_data": DATA,
        "training_procedure": (f"workshop_utils.models.diffusion.train_ddpm: Adam, learning rate 2e-3, batch 128, {DDPM_STEPS} steps "
                               f"({run.history.elapsed_s:.0f} s), images scaled to [-1, 1]; {_environment()}."),
        "script": SCRIPT,
        "seed": SEED,
        "metrics": {
            "fd_lite": round(report.value, 2),
            "reference_points": {"real": round(report.real, 2), "gmm": round(report.gmm, 2), "noise": round(report.noise, 1)},
            "n_samples": report.n,
            "sampler": "diffusion.ddim_sample(model, 1000, steps=50, seed=0) (clip=True)",
            "final_training_loss_mean_last_500": round(float(np.mean(run.history.losses["loss"][-500:])), 4),
        },
        "intended_use": ("Showing good diffusion samples instantly in the workshop's lessons "
                         "(checkpoints.load_or_train('ddpm_digits', diffusion.Denoiser)), and as a fake-image source "
                         "for detection exercises."),
        "limitations": ("Unconditional: it cannot be asked for a particular digit. Trained on 1437 images handwritten "
                        "by at most 43 people (per the data set's description), so it can only make digits in their styles, and some samples are ambiguous or "
                        "malformed. A 20-component Gaussian mixture scores better on FD-lite (see metrics)."),
        "licence": LICENCE,
    }
    print(f"ddpm: {report}")
    return run.model.state_dict(), card


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("which", nargs="?", choices=["classifier", "ddpm", "both"], default="both")
    parser.add_argument("--check", action="store_true", help="retrain and compare with the shipped weights; write nothing")
    args = parser.parse_args(argv)
    jobs = [("classifier", fid_lite.CHECKPOINT, train_classifier_checkpoint),
            ("ddpm", diffusion.CHECKPOINT, train_ddpm_checkpoint)]
    ok = True
    for key, name, job in jobs:
        if args.which not in (key, "both"):
            continue
        state, card = job()
        if args.check:
            shipped = torch.load(FOLDER / f"{name}.pt", map_location="cpu", weights_only=True)
            same = shipped.keys() == state.keys() and all(torch.equal(shipped[k], state[k]) for k in state)
            print(f"{name}: {'identical to' if same else 'DIFFERENT from'} the shipped weights")
            ok &= same
        else:
            _write(name, state, card)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
