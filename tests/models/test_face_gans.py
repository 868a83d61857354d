import numpy as np
import pytest
import torch

from workshop_utils import checkpoints
from workshop_utils.detection import spectra
from workshop_utils.models import face_gans


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)


@pytest.mark.parametrize("kind", face_gans.UPSAMPLERS)
def test_generators_draw_32x32_images_in_the_unit_range(kind):
    torch.manual_seed(0)
    generator = face_gans.Generator(kind)
    images = generator.sample(6, seed=1)
    assert images.shape == (6, 3, 32, 32) and 0 <= images.min() and images.max() <= 1
    assert torch.equal(generator.sample(6, seed=1), images)
    assert face_gans.Discriminator()(images).shape == (6,)


def test_nearest_and_bilinear_generators_share_weight_shapes():
    nearest, bilinear = face_gans.Generator("nearest"), face_gans.Generator("bilinear")
    nearest.load_state_dict(bilinear.state_dict())  # how face_gan_resize starts from face_vae


def test_untrained_transposed_convolutions_leave_a_checkerboard():
    torch.manual_seed(0)
    convt = face_gans.Generator("convT").sample(50, seed=0).numpy()
    torch.manual_seed(0)
    nearest = face_gans.Generator("nearest").sample(50, seed=0).numpy()
    assert spectra.checkerboard_share(convt).mean() > 10 * spectra.checkerboard_share(nearest).mean()


def test_bad_arguments():
    with pytest.raises(ValueError, match="kind must be one of"):
        face_gans.Generator("bicubic")
    with pytest.raises(ValueError, match="name must be one of"):
        face_gans.load("face_gan_hd")
    with pytest.raises(ValueError, match="names must be one of"):
        face_gans.sample_sources(2, names=["real", "StyleGAN"])
    with pytest.raises(ValueError, match=r"shape \(n, 3, 32, 32\)"):
        face_gans.train_vae("bilinear", torch.zeros(4, 3, 16, 16), steps=1)


def test_training_chain_runs_and_learns_a_little():
    images = face_gans.training_faces(64, seed=5)
    decoder = face_gans.train_vae("bilinear", images, steps=3, batch_size=16)
    assert isinstance(decoder, face_gans.Generator) and not decoder.training
    tuned = face_gans.train_gan(face_gans.Generator("nearest"), images, steps=2, batch_size=8)
    assert tuned.sample(2).shape == (2, 3, 32, 32)
    small = face_gans.train_checkpoint("face_gan_resize", images, scale=0.001)
    assert small.kind == "nearest"


def test_shipped_generators_load_with_cards_under_one_megabyte():
    for name, kind in face_gans.CHECKPOINTS.items():
        assert checkpoints.checkpoint_path(name).stat().st_size < 1_000_000
        card = checkpoints.card(name)
        assert card["name"] == name and card["script"] == "tools/train_face_generators.py"
        assert card["metrics"]["pca_fd"] > card["metrics"]["pca_fd_real_vs_real"]
        generator = face_gans.load(name)
        assert generator.kind == kind and face_gans.load(name) is generator


def test_sample_sources_gives_every_source():
    sources = face_gans.sample_sources(3, seed=2)
    assert list(sources) == list(face_gans.SOURCES)
    for name, images in sources.items():
        assert images.shape == (3, 3, 32, 32) and images.dtype == np.float32, name
        assert 0 <= images.min() and images.max() <= 1
    again = face_gans.sample_sources(3, seed=2, names="face swap")
    assert np.array_equal(again["face swap"], sources["face swap"])
    assert not np.array_equal(face_gans.sample_sources(3, seed=3, names="real")["real"], sources["real"])
