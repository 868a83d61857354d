"""Graded checks run with the library's own answers switched off."""

import pytest
import torch

from workshop_utils.course import curriculum, grading
from workshop_utils.models import gan2d


def test_every_graded_name_resolves_to_a_plain_function():
    for exercise in curriculum.exercises():
        functions = grading.graded_functions(exercise.id)
        assert len(functions) == len(exercise.graded)
        assert all(callable(f) and not f.__code__.co_freevars for f in functions), exercise.id
    assert grading.graded_functions("01_gan_basics")[0] is gan2d.discriminator_loss


def test_switched_off_functions_raise_wherever_they_are_called_from_and_come_back():
    alias = gan2d.discriminator_loss  # as after `from ... import discriminator_loss as alias`
    logits = torch.zeros(3)
    before = alias(logits, logits)

    def delegating_answer(real, fake):
        return alias(real, fake)

    with grading.library_answers_off("01_gan_basics"):
        with pytest.raises(AssertionError, match="workshop_utils.models.gan2d.discriminator_loss"):
            delegating_answer(logits, logits)
        with pytest.raises(AssertionError, match="written by you"):
            gan2d.generator_loss(logits)
        # what the student may use still works
        assert gan2d.make_gan2d() is not None
    assert torch.equal(alias(logits, logits), before), "the function works again after the block"


def test_the_functions_come_back_after_an_error_inside_the_block():
    with pytest.raises(ZeroDivisionError):
        with grading.switched_off(gan2d.generator_loss):
            1 / 0
    assert torch.isfinite(gan2d.generator_loss(torch.zeros(2)))


def test_bad_input():
    with pytest.raises(KeyError, match="no exercise '99_nothing'"):
        grading.graded_functions("99_nothing")
    with pytest.raises(TypeError, match="assignment must be an exercise id"):
        grading.graded_functions(1)
    with pytest.raises(TypeError, match="plain module-level functions"):
        with grading.switched_off(len):
            pass


def test_modules_blocked_stops_imports_and_names_bound_before_and_comes_back():
    import json as json_module

    con = json_module.JSONDecoder()  # an object of one of the package's classes
    namespace = {"js": json_module, "loads": json_module.loads, "con": con, "x": 1}

    def answer():
        import json

        return json.dumps([1])

    with grading.modules_blocked("json", namespace=namespace, reason="use pandas"):
        with pytest.raises(ImportError, match="json is switched off while this part is graded: use pandas"):
            answer()
        for name in ("js", "loads", "con"):
            with pytest.raises(AssertionError, match="switched off"):
                namespace[name].anything()
        assert namespace["x"] == 1
    assert answer() == "[1]" and namespace["js"] is json_module and namespace["con"] is con
    with pytest.raises(TypeError, match="packages must be top-level package names"):
        with grading.modules_blocked("not a name"):
            pass


def test_substituted_binds_names_and_restores_them_even_after_an_error():
    namespace = {"loss": "student's"}
    with pytest.raises(ZeroDivisionError):
        with grading.substituted(namespace, loss="reference", extra=1):
            assert namespace == {"loss": "reference", "extra": 1}
            1 / 0
    assert namespace == {"loss": "student's"}, "names are restored, and names that were not there are removed"
    with pytest.raises(TypeError, match="namespace must be a dict"):
        with grading.substituted(["loss"], loss=1):
            pass


def _sgd_gan(seed=0):
    torch.manual_seed(seed)
    g, d = gan2d.Generator(hidden=16), gan2d.Discriminator(hidden=16)
    return gan2d.GAN2D(g, d, torch.optim.SGD(g.parameters(), lr=0.1), torch.optim.SGD(d.parameters(), lr=0.1))


def _step(gan, real, *, reset_g=True, detach=True, extra_d_step=False):
    """A GAN step written out, with switches for the classic mistakes."""
    g, d = gan.generator, gan.discriminator
    z = torch.randn(real.shape[0], g.z_dim)
    fake = g(z)
    if not detach:
        gan.opt_g.zero_grad()
    d_loss = gan2d.discriminator_loss(d(real), d(fake.detach() if detach else fake))
    gan.opt_d.zero_grad()
    d_loss.backward()
    gan.opt_d.step()
    g_loss = gan2d.generator_loss(d(g(z)))
    if reset_g and detach:
        gan.opt_g.zero_grad()
    g_loss.backward()
    gan.opt_g.step()
    if extra_d_step:
        gan.opt_d.step()
    return {"d_loss": d_loss.item(), "g_loss": g_loss.item()}


REAL = torch.randn(32, 2)


def test_compare_training_steps_accepts_a_correct_step_written_differently():
    grading.compare_training_steps(lambda gan: _step(gan, REAL), lambda gan: gan2d.gan_train_step(gan, REAL),
                                   _sgd_gan(), calls=3)


@pytest.mark.parametrize("mistake, when", [
    ({"reset_g": False}, "after call 2"),      # gradients pile up: only a second call shows it
    ({"detach": False}, "after the first call"),  # the discriminator's loss reaches the generator
    ({"extra_d_step": True}, "after the first call"),  # a step on the wrong optimiser
])
def test_compare_training_steps_catches_each_classic_mistake_where_it_happens(mistake, when):
    with pytest.raises(AssertionError, match=when) as caught:
        grading.compare_training_steps(lambda gan: _step(gan, REAL, **mistake),
                                       lambda gan: gan2d.gan_train_step(gan, REAL), _sgd_gan(), calls=3)
    if when == "after call 2":
        assert "carries over from one call to the next" in str(caught.value)


def test_compare_training_steps_leaves_the_state_alone_and_checks_the_losses():
    gan = _sgd_gan()
    before = [p.detach().clone() for p in gan.generator.parameters()]
    grading.compare_training_steps(lambda s: gan2d.gan_train_step(s, REAL), lambda s: gan2d.gan_train_step(s, REAL),
                                   gan, calls=2)
    assert all(torch.equal(a, b) for a, b in zip(before, gan.generator.parameters()))

    def wrong_losses(s):
        out = gan2d.gan_train_step(s, REAL)
        return {"d_loss": out["d_loss"] * 2, "g_loss": out["g_loss"]}

    with pytest.raises(AssertionError, match="returned d_loss"):
        grading.compare_training_steps(wrong_losses, lambda s: gan2d.gan_train_step(s, REAL), gan, calls=2)


def test_compare_training_steps_runs_the_students_calls_with_the_library_switched_off():
    with pytest.raises(AssertionError, match="written by you"):
        grading.compare_training_steps(lambda s: gan2d.gan_train_step(s, REAL), lambda s: gan2d.gan_train_step(s, REAL),
                                       _sgd_gan(), calls=2, assignment="01_gan_basics")


def test_compare_training_steps_bad_input():
    with pytest.raises(ValueError, match="calls must be"):
        grading.compare_training_steps(_step, _step, _sgd_gan(), calls=1)
    with pytest.raises(ValueError, match="holds no parameters"):
        grading.compare_training_steps(lambda s: {}, lambda s: {}, {"nothing": 1}, calls=2)
    with pytest.raises(TypeError, match="must be functions"):
        grading.compare_training_steps(None, _step, _sgd_gan())
