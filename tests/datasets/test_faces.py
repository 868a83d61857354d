import numpy as np
import pytest

from workshop_utils.datasets import faces

MID = np.full(7, 0.5, dtype=np.float32)


def _with(**changes) -> np.ndarray:
    params = MID.copy()
    for name, value in changes.items():
        params[faces.param_index(name)] = value
    return params


def test_render_face_shape_range_and_determinism():
    image = faces.render_face("A", MID)
    assert image.shape == (3, 32, 32) and image.dtype == np.float32
    assert 0.0 <= image.min() and image.max() <= 1.0
    assert np.array_equal(image, faces.render_face("A", MID))
    assert faces.render_face("B", MID, size=48).shape == (3, 48, 48)


def test_identities_look_different():
    images = {name: faces.render_face(name, MID) for name in faces.IDENTITIES}
    assert len(images) >= 3 and all(style.description for style in faces.IDENTITIES.values())
    names = list(images)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert np.abs(images[a] - images[b]).mean() > 0.05, f"{a} and {b} look alike"


def test_mouth_opening_darkens_the_mouth():
    closed = faces.render_face("A", _with(mouth_open=0.0))
    opened = faces.render_face("A", _with(mouth_open=1.0))
    mouth = (slice(None), slice(20, 28), slice(12, 20))
    assert opened[mouth].mean() < closed[mouth].mean() - 0.05
    # elsewhere (the hair) nothing changes
    assert np.allclose(opened[:, :6], closed[:, :6])


def test_head_shift_moves_the_face():
    def centre_x(image):
        mask = np.abs(image - image[:, :1, :1]).sum(axis=0) > 0.1  # differs from the background
        return np.nonzero(mask)[1].mean()

    left, right = (faces.render_face("B", _with(shift_x=v)) for v in (0.0, 1.0))
    assert centre_x(right) - centre_x(left) > 3


def test_eyes_and_background():
    shut, wide = (faces.render_face("A", _with(eye_open=v)) for v in (0.0, 1.0))
    assert np.abs(wide - shut).sum() > 5
    dark, light = (faces.render_face("C", _with(background=v)) for v in (0.0, 1.0))
    assert dark[:, 0, 0].mean() < 0.2 and light[:, 0, 0].mean() > 0.8


def test_sample_params_and_make_faces_share_parameters_across_identities():
    params = faces.sample_params(20, seed=3)
    assert params.shape == (20, 7) and params.dtype == np.float32
    assert params.min() >= 0 and params.max() <= 1
    assert np.array_equal(params, faces.sample_params(20, seed=3))
    a, b = faces.make_faces("A", 5, seed=9), faces.make_faces("B", 5, seed=9)
    assert len(a) == 5 and a.images.shape == (5, 3, 32, 32) and a.identity == "A"
    assert np.array_equal(a.params, b.params), "the same seed gives the ground-truth swap"
    assert np.array_equal(b.images[2], faces.render_face("B", a.params[2]))


def test_interview_talks_and_moves():
    clip = faces.render_interview("A", n_frames=40, seed=1)
    assert clip.images.shape == (40, 3, 32, 32) and clip.params.shape == (40, 7)
    mouth = clip.params[:, faces.param_index("mouth_open")]
    assert mouth.min() < 0.2 and mouth.max() > 0.6, "the witness should open and close the mouth"
    assert np.abs(np.diff(clip.params[:, faces.param_index("shift_x")])).max() < 0.15, "head moves smoothly"
    assert np.ptp(clip.params[:, faces.param_index("background")]) == 0
    assert (clip.params[:, faces.param_index("eye_open")] < 0.1).any(), "the witness blinks"
    assert np.array_equal(clip.params, faces.interview_params(40, seed=1))
    assert np.array_equal(faces.render_interview("B", 40, seed=1).params, clip.params)
    assert "mouth" in faces.params_summary(clip.params[0])


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: faces.render_face("Z", MID), "identity must be one of 'A', 'B', 'C'"),
        (lambda: faces.render_face("A", MID[:5]), r"params must have shape \(7,\)"),
        (lambda: faces.render_face("A", MID + 1), r"params must be finite numbers in \[0, 1\]"),
        (lambda: faces.render_face("A", MID, size=8), "size must be at least 16"),
        (lambda: faces.render_faces("A", MID), r"params must have shape \(n, 7\)"),
        (lambda: faces.render_faces("A", np.zeros((0, 7))), "params must have at least one row"),
        (lambda: faces.render_face("A", "smile"), "params must be an array of numbers"),
        (lambda: faces.sample_params(0), "n must be at least 1"),
        (lambda: faces.interview_params(1), "n_frames must be at least 2"),
        (lambda: faces.param_index("smile"), "name must be one of"),
    ],
)
def test_errors_name_the_argument(call, message):
    with pytest.raises((TypeError, ValueError), match=message):
        call()
