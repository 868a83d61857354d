import copy
import importlib.util
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from workshop_utils import checkpoints
from workshop_utils.datasets import faces
from workshop_utils.models import faceswap

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


@pytest.fixture(scope="module")
def batches():
    a = torch.from_numpy(faces.make_faces("A", 16, seed=1).images)
    b = torch.from_numpy(faces.make_faces("B", 16, seed=2).images)
    return a, b


def _flip(x):
    return x.flip(-1)


def test_shapes_and_sizes(batches):
    a, _ = batches
    model = faceswap.FaceSwapModel()
    assert model.encoder(a).shape == (16, 32, 8, 8)
    out = model(a, "B")
    assert out.shape == a.shape and 0 <= out.min() and out.max() <= 1
    n_encoder = sum(p.numel() for p in model.encoder.parameters())
    n_decoder = sum(p.numel() for p in model.decoders["A"].parameters())
    assert 100_000 < n_encoder < 140_000 and 20_000 < n_decoder < 30_000
    assert set(faceswap.FaceSwapModel(("A", "B", "C"), channels=4).decoders) == {"A", "B", "C"}


def test_random_warp(batches):
    a, _ = batches
    assert torch.allclose(faceswap.random_warp(a, strength=0.0), a, atol=1e-5)
    warped = faceswap.random_warp(a, generator=torch.Generator().manual_seed(3))
    assert warped.shape == a.shape and 0.005 < (warped - a).abs().mean() < 0.1
    again = faceswap.random_warp(a, generator=torch.Generator().manual_seed(3))
    assert torch.equal(warped, again)


def test_train_step_uses_clean_targets_and_one_step_on_the_sum(batches):
    a, b = batches
    model = faceswap.FaceSwapModel()
    reference = copy.deepcopy(model)
    out = faceswap.faceswap_train_step(model, torch.optim.SGD(model.parameters(), lr=0.1), a, b, warp=_flip)
    loss_a = F.l1_loss(reference.decoders["A"](reference.encoder(_flip(a))), a)
    loss_b = F.l1_loss(reference.decoders["B"](reference.encoder(_flip(b))), b)
    assert out == pytest.approx({"loss_a": loss_a.item(), "loss_b": loss_b.item()}, abs=1e-6)
    (loss_a + loss_b).backward()
    for (name, p), q in zip(reference.named_parameters(), model.parameters()):
        assert torch.allclose(p - 0.1 * p.grad, q, atol=1e-6), name


def test_train_step_is_deterministic_and_lowers_the_loss(batches):
    a, b = batches

    def run(steps):
        torch.manual_seed(5)
        model = faceswap.FaceSwapModel()
        opt = faceswap.make_optimizer(model)
        return [faceswap.faceswap_train_step(model, opt, a, b) for _ in range(steps)]

    first = run(25)
    assert first == run(25)
    start, end = first[0], first[-1]
    assert end["loss_a"] < 0.85 * start["loss_a"] and end["loss_b"] < 0.85 * start["loss_b"]


def test_swap_decodes_with_the_target_decoder_without_gradients(batches):
    a, _ = batches
    model = faceswap.FaceSwapModel()
    swapped = faceswap.swap(model, a, "B", batch_size=5)
    assert not swapped.requires_grad and swapped.shape == a.shape
    with torch.no_grad():
        assert torch.allclose(swapped, model.decoders["B"](model.encoder(a)), atol=1e-6)
        assert not torch.allclose(swapped, model.decoders["A"](model.encoder(a)))


def test_load_model_shipped_weights():
    state = checkpoints.load_state_dict(faceswap.CHECKPOINT)
    full = faceswap.load_model("all", verbose=False)
    assert not full.training
    assert all(torch.equal(full.state_dict()[k], v) for k, v in state.items())
    encoder_only = faceswap.load_model("encoder", verbose=False)
    assert torch.equal(encoder_only.encoder.down[0][0].weight, state["encoder.down.0.0.weight"])
    assert not torch.equal(encoder_only.decoders["B"].net[0][0].weight, state["decoders.B.net.0.0.weight"])
    trained = []

    def tiny_training(model):
        trained.append(faceswap.train_model(model, steps=2, n_faces=40, progress=False))

    fresh = faceswap.load_model(pretrained=False, train=tiny_training, verbose=False)
    assert trained[0].n_steps == 2 and not fresh.training
    assert not torch.equal(fresh.decoders["B"].net[0][0].weight, state["decoders.B.net.0.0.weight"])
    info = checkpoints.card(faceswap.CHECKPOINT)
    assert info["seed"] == 0 and "train_faceswap_checkpoint.py" in info["script"]


def test_training_script_is_seeded():
    spec = importlib.util.spec_from_file_location("tfc", REPO / "tools" / "train_faceswap_checkpoint.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    first = tool.train_checkpoint(steps=3, n_faces=64)
    second = tool.train_checkpoint(steps=3, n_faces=64)
    assert first.keys() == faceswap.FaceSwapModel().state_dict().keys()
    assert all(torch.equal(first[k], second[k]) for k in first)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: faceswap.FaceSwapModel(("A",)), "identities must be at least two different names"),
        (lambda: faceswap.FaceSwapModel(channels=0), "channels must be at least 1"),
        (lambda: faceswap.FaceSwapModel()(torch.zeros(2, 3, 16, 16), "A"), r"faces must have shape \(n, 3, 32, 32\)"),
        (lambda: faceswap.FaceSwapModel()(torch.zeros(2, 3, 32, 32), "Z"), "identity must be one of 'A', 'B'"),
        (lambda: faceswap.swap(faceswap.FaceSwapModel(), torch.zeros(2, 3, 32, 32), "C"), "to must be one of"),
        (lambda: faceswap.random_warp(torch.zeros(3, 32, 32)), r"faces must be a tensor of shape \(n, 3, h, w\)"),
        (lambda: faceswap.random_warp(torch.zeros(1, 3, 32, 32), strength=-1), "strength must be at least 0"),
        (lambda: faceswap.make_optimizer(faceswap.FaceSwapModel(), lr=0), "lr must be greater than 0"),
        (lambda: faceswap.load_model("decoders"), "parts must be one of 'all', 'encoder'"),
    ],
)
def test_errors_name_the_argument(call, message):
    with pytest.raises((TypeError, ValueError), match=message):
        call()
