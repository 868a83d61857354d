import math

import pytest
import torch

from workshop_utils import metrics
from workshop_utils.datasets import ring
from workshop_utils.models import gan2d


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


def test_shapes():
    gan = gan2d.make_gan2d(z_dim=4, hidden=8)
    assert gan.generator(torch.randn(5, 4)).shape == (5, 2)
    assert gan.discriminator(torch.randn(5, 2)).shape == (5,)
    assert gan.generator.sample(7).shape == (7, 2)
    assert not gan.generator.sample(3).requires_grad


def test_losses_match_the_formulas():
    real, fake = torch.randn(32) * 3, torch.randn(16) * 3
    expected_d = -(torch.log(torch.sigmoid(real)).mean() + torch.log(1 - torch.sigmoid(fake)).mean())
    assert torch.isclose(gan2d.discriminator_loss(real, fake), expected_d, atol=1e-5)
    assert torch.isclose(gan2d.generator_loss(fake), torch.log(1 - torch.sigmoid(fake)).mean(), atol=1e-5)
    assert torch.isclose(gan2d.discriminator_loss(torch.zeros(1), torch.zeros(1)), torch.tensor(2 * math.log(2)))


def test_losses_are_finite_for_extreme_logits():
    big = torch.tensor([500.0])
    assert torch.isfinite(gan2d.discriminator_loss(-big, big))
    assert torch.isfinite(gan2d.generator_loss(big))


def test_train_step_is_deterministic_with_a_seed():
    batch = torch.from_numpy(ring.sample_ring(128, seed=0))
    torch.manual_seed(5)
    a = gan2d.make_gan2d()
    out_a = [gan2d.gan_train_step(a, batch) for _ in range(3)]
    torch.manual_seed(5)
    b = gan2d.make_gan2d()
    out_b = [gan2d.gan_train_step(b, batch) for _ in range(3)]
    assert out_a == out_b


def test_discriminator_steps_lower_its_loss_on_a_fixed_batch():
    gan = gan2d.make_gan2d()
    for group in gan.opt_g.param_groups:
        group["lr"] = 0.0
    batch = torch.from_numpy(ring.sample_ring(256, seed=1))
    fixed_fake = gan.generator.sample(256)

    def d_loss():
        with torch.no_grad():
            return gan2d.discriminator_loss(gan.discriminator(batch), gan.discriminator(fixed_fake)).item()

    before = d_loss()
    for _ in range(30):
        gan2d.gan_train_step(gan, batch)
    assert d_loss() < before - 0.1


def test_generator_steps_raise_the_discriminators_score():
    gan = gan2d.make_gan2d()
    for group in gan.opt_d.param_groups:
        group["lr"] = 0.0
    z = torch.randn(256, gan.generator.z_dim)
    batch = torch.from_numpy(ring.sample_ring(256, seed=1))
    with torch.no_grad():
        before = gan.discriminator(gan.generator(z)).mean().item()
    for _ in range(30):
        gan2d.gan_train_step(gan, batch)
    with torch.no_grad():
        assert gan.discriminator(gan.generator(z)).mean().item() > before


def test_short_training_spreads_samples_towards_the_ring():
    data = torch.from_numpy(ring.sample_ring(5000, seed=0))
    gan = gan2d.make_gan2d()
    start = metrics.mode_coverage(gan.generator.sample(2000))
    for _ in range(1500):
        gan2d.gan_train_step(gan, data[torch.randint(0, len(data), (128,))])
    radius = gan.generator.sample(2000).norm(dim=1).mean().item()
    assert start.covered == 0
    assert 1.5 < radius < 2.5, "after 1500 steps the samples should lie near the ring of radius 2"


@pytest.mark.parametrize(
    "kwargs, message",
    [({"z_dim": 0}, "z_dim must be at least 1"), ({"lr_d": 0}, "lr_d must be greater than 0"),
     ({"hidden": 2.5}, "hidden must be a whole number")],
)
def test_make_gan2d_errors(kwargs, message):
    with pytest.raises((TypeError, ValueError), match=message):
        gan2d.make_gan2d(**kwargs)
