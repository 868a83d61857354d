import numpy as np
import pytest
import torch

from workshop_utils.datasets import faces
from workshop_utils.metrics import swap_quality
from workshop_utils.models import faceswap


@pytest.fixture(scope="module")
def judge():
    return swap_quality.SwapJudge("B", n_train=600)


@pytest.fixture(scope="module")
def source():
    return faces.make_faces("A", 200, seed=77)


@pytest.fixture(scope="module")
def ranked(judge, source):
    """Scores of the perfect swap, the shipped model, a barely trained model, the baseline and noise."""
    x = torch.from_numpy(source.images)
    torch.manual_seed(0)
    barely = faceswap.FaceSwapModel()
    optimizer = faceswap.make_optimizer(barely)
    b = torch.from_numpy(faces.make_faces("B", 64, seed=5).images)
    for _ in range(5):
        faceswap.faceswap_train_step(barely, optimizer, x[:32], b[:32])
    candidates = {
        "truth": faces.render_faces("B", source.params),
        "shipped": faceswap.swap(faceswap.load_model(verbose=False), x, "B"),
        "barely": faceswap.swap(barely, x, "B"),
        "mean face": judge.mean_faces(source.params),
        "noise": np.random.default_rng(0).random((200, 3, 32, 32), dtype=np.float32),
    }
    return {name: judge.score(images, source.params) for name, images in candidates.items()}


def test_pearson_r():
    assert swap_quality.pearson_r([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert swap_quality.pearson_r([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert swap_quality.pearson_r([1, 2, 3], [5, 5, 5]) == 0.0
    with pytest.raises(ValueError, match="same length of at least 2"):
        swap_quality.pearson_r([1, 2], [1, 2, 3])


def test_expression_is_ranked_truth_then_shipped_model_then_trivial(ranked):
    for name in swap_quality.MAIN_PARAMS:
        truth, shipped = ranked["truth"].expression_r[name], ranked["shipped"].expression_r[name]
        assert truth > 0.95 and truth >= shipped > 0.8, (name, truth, shipped)
        for trivial in ("barely", "mean face", "noise"):
            assert abs(ranked[trivial].expression_r[name]) < 0.5 < shipped, (trivial, name)


def test_identity_and_pixel_error_rank_truth_then_model_then_noise(ranked):
    assert ranked["truth"].target_prob > 0.95 and ranked["shipped"].target_prob > 0.9
    assert ranked["noise"].target_prob < 0.1
    errors = {name: scores.gt_mae for name, scores in ranked.items()}
    assert errors["truth"] < 1e-6 < errors["shipped"] < errors["mean face"] < errors["barely"] < errors["noise"]
    assert ranked["shipped"].mean_face_mae == pytest.approx(errors["mean face"])


def test_bar_and_summary(ranked):
    assert ranked["truth"].meets_bar() and ranked["shipped"].meets_bar()
    assert not ranked["mean face"].meets_bar() and not ranked["noise"].meets_bar()
    assert not ranked["shipped"].meets_bar(min_r=0.8, params=("gaze_y",))
    text = str(ranked["shipped"])
    assert text.startswith("P(B) ") and "mouth_open" in text and "mean B face" in text


def test_unswapped_faces_are_not_the_target(judge, source):
    assert judge.identity_probability(source.images).mean() < 0.1
    assert judge.identity_probability(source.images, "A").mean() > 0.9
    assert judge.read_expression(source.images[:3]).shape == (3, len(swap_quality.EXPRESSION_PARAMS))


def test_judge_is_deterministic(judge, source):
    again = swap_quality.SwapJudge("B", n_train=600)
    images = faces.render_faces("B", source.params[:20])
    assert judge.score(images, source.params[:20]) == again.score(images, source.params[:20])


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda j, s: j.score(s.images[:, :, :16], s.params), r"swapped must have shape \(n, 3, 32, 32\)"),
        (lambda j, s: j.score(s.images, s.params[:5]), r"source_params must have shape \(200, 7\)"),
        (lambda j, s: j.score(s.images[:1], s.params[:1]), "at least 2 swapped faces"),
        (lambda j, s: j.score(np.full((2, 3, 32, 32), np.nan), s.params[:2]), "swapped contains NaN"),
        (lambda j, s: j.identity_probability(s.images, "Z"), "identity must be one of"),
        (lambda j, s: swap_quality.SwapJudge("Q"), "target must be one of"),
        (lambda j, s: swap_quality.SwapJudge(n_train=3), "n_train must be at least 50"),
    ],
)
def test_errors_name_the_argument(judge, source, call, message):
    with pytest.raises((TypeError, ValueError), match=message):
        call(judge, source)


def test_pixel_error_splits_into_face_and_background(ranked):
    for name, scores in ranked.items():
        share = scores.background_share
        assert 0.2 < share < 0.9, name
        for total, on_face, on_background in [
            (scores.gt_mae, scores.gt_mae_face, scores.gt_mae_background),
            (scores.mean_face_mae, scores.mean_face_mae_face, scores.mean_face_mae_background),
        ]:
            assert total == pytest.approx(share * on_background + (1 - share) * on_face, rel=1e-4), name
    # the baseline is handed each frame's background, so it is almost exact there
    assert ranked["shipped"].mean_face_mae_background < 0.02 < ranked["shipped"].mean_face_mae_face


def _scores(swap, base, swap_face, base_face, swap_bg=0.05, base_bg=0.006):
    return swap_quality.SwapScores("B", 0.97, {n: 0.9 for n in swap_quality.EXPRESSION_PARAMS}, swap, base,
                                   swap_face, swap_bg, base_face, base_bg, 0.57)


def test_pixel_error_note_follows_the_numbers(ranked):
    assert "is closer to the perfect swap than the mean B face" in ranked["shipped"].pixel_error_note()
    background_only = _scores(0.074, 0.067, swap_face=0.108, base_face=0.148).pixel_error_note()
    assert "further from the perfect swap" in background_only and "wins only on the background" in background_only
    assert "0.108 against 0.148" in background_only and "57% of the pixels" in background_only
    everywhere = _scores(0.09, 0.067, swap_face=0.16, base_face=0.148).pixel_error_note()
    assert "on the face itself too" in everywhere and "background" not in everywhere
