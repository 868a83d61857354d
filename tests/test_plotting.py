import base64

import numpy as np
import pytest
import torch

from workshop_utils import plotting, training
from workshop_utils.datasets import ring


def test_okabe_ito_palette_is_used_for_real_and_generated():
    fig = plotting.scatter_2d(ring.sample_ring(100, seed=0), torch.zeros(50, 2))
    ax = fig.figure.axes[0]
    colours = [tuple(np.round(c.get_facecolor()[0][:3], 3)) for c in ax.collections]
    from matplotlib.colors import to_rgb

    assert tuple(np.round(to_rgb(plotting.OKABE_ITO["blue"]), 3)) in colours
    assert tuple(np.round(to_rgb(plotting.OKABE_ITO["orange"]), 3)) in colours


def test_scatter_alt_text_describes_content():
    fig = plotting.scatter_2d(ring.sample_ring(100, seed=0), np.zeros((30, 2)), centers=ring.ring_centers(),
                              title="demo")
    assert "100 real points as blue dots" in fig.alt
    assert "30 generated points as orange crosses" in fig.alt
    assert "8 mode centres" in fig.alt and "demo" in fig.alt


def test_mimebundle_carries_alt_text_in_html_and_metadata():
    fig = plotting.scatter_2d(np.zeros((3, 2)), alt='Three points "at" the origin')
    data, meta = fig._repr_mimebundle_()
    assert data["image/png"] and base64.b64decode(data["image/png"])[:4] == b"\x89PNG"
    assert 'alt="Three points &quot;at&quot; the origin"' in data["text/html"]
    assert meta["image/png"]["alt"] == 'Three points "at" the origin'
    assert data["text/plain"].startswith("[Figure]")


def test_save_writes_image_and_alt_text(tmp_path):
    fig = plotting.scatter_2d(np.zeros((3, 2)))
    path = fig.save(tmp_path / "plot.png")
    assert path.exists() and path.with_suffix(".txt").read_text().startswith("Scatter plot")


def test_scatter_needs_data():
    with pytest.raises(ValueError, match="needs real or generated points"):
        plotting.scatter_2d()


def test_loss_curves():
    history = training.train(lambda i: {"d_loss": 1.0, "g_loss": -float(i)}, max_steps=40, progress=False)
    fig = plotting.loss_curves(history)
    assert "d_loss" in fig.alt and "40 steps" in fig.alt
    with pytest.raises(TypeError, match="history must be a training History"):
        plotting.loss_curves({"loss": [1, 2]})


@pytest.mark.parametrize(
    "shape, kind",
    [((5, 8, 8), "greyscale"), ((5, 1, 8, 8), "greyscale"), ((5, 8, 8, 3), "colour"), ((5, 3, 8, 8), "colour")],
)
def test_image_grid_layouts(shape, kind):
    fig = plotting.image_grid(np.random.default_rng(0).random(shape), ncols=3)
    assert f"5 {kind} images, 8x8 pixels" in fig.alt and "2 row(s)" in fig.alt
    assert len(fig.figure.axes) == 6


def test_image_grid_errors():
    with pytest.raises(ValueError, match="images must have shape"):
        plotting.image_grid(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="images must have shape"):
        plotting.image_grid(np.zeros((0, 4, 4)))


def test_snapshots_2d():
    fig = plotting.snapshots_2d([("a", np.zeros((4, 2))), ("b", np.ones((4, 2)))], real=np.zeros((5, 2)))
    assert len(fig.figure.axes) == 2 and "Panels: a; b" in fig.alt
    with pytest.raises(ValueError, match="non-empty list"):
        plotting.snapshots_2d([])
    with pytest.raises(ValueError, match=r"\(title, points\) pair"):
        plotting.snapshots_2d([np.zeros((4, 2))])
