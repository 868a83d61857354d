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
