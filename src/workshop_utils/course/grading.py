"""Grading that measures the student's work: the library's own answers are switched off.

Every autograded exercise imports a helper module that already solves its
parts (``gan2d.discriminator_loss`` solves part 1 of exercise 01, and so on),
because lessons use those functions. An answer that only calls them would pass
any test of its output. So the checks that earn points run inside
:func:`library_answers_off`: while the block runs, each solving function of
the exercise raises an ``AssertionError`` that says which part must be written
by the student, wherever it is called from (the function's code object is
swapped, so ``from gan2d import discriminator_loss as dl`` is caught too).

Which functions solve which exercise is data: the ``graded`` list of each
exercise in ``workshop_utils/data/curriculum.json``, e.g.
``"workshop_utils.models.gan2d:discriminator_loss"``. The same list lets a test
check that no lesson shows the code of a graded part.

Example (a hidden test cell)::

    from workshop_utils.course.grading import library_answers_off

    expected = reference_loss(real, fake)           # computed before the block
    with library_answers_off("01_gan_basics"):
        assert torch.isclose(discriminator_loss(real, fake), expected)

Used in: the hidden tests and training cells of every exercise in solutions/,
and tests/test_nbgrader_pipeline.py.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import CodeType, FunctionType

from .curriculum import exercises

__all__ = ["graded_functions", "library_answers_off", "switched_off"]


def graded_functions(assignment: str) -> list[FunctionType]:
    """The library functions that solve the autograded parts of an exercise (unwrapped from decorators).

    Parameters
    ----------
    assignment : str
        The exercise id, e.g. ``"01_gan_basics"``.

    Raises
    ------
    KeyError
        If there is no such exercise.
    """
    if not isinstance(assignment, str):
        raise TypeError(f"assignment must be an exercise id such as '01_gan_basics', got {type(assignment).__name__}")
    known = {e.id: e for e in exercises()}
    if assignment not in known:
        raise KeyError(f"no exercise {assignment!r}; the exercises are {sorted(known)}")
    found = []
    for name in known[assignment].graded:
        module_name, _, attribute = name.partition(":")
        target = importlib.import_module(module_name)
        for part in attribute.split("."):
            target = getattr(target, part)
        # a decorated function (e.g. @torch.no_grad()) calls the original: switch that one off
        found.append(inspect.unwrap(target))
    return found


def _stub_code(function: FunctionType) -> CodeType:
    name = f"{function.__module__}.{function.__qualname__}"
    message = (f"this part calls the library's own {name}: graded parts must be written by you, "
               "not delegated to the library (you may use torch, numpy and the helpers the exercise names)")
    # Only builtins are used, because the code runs with the library module's globals.
    source = f"def stub(*args, **kwargs):\n    raise AssertionError({message!r})\n"
    namespace: dict = {}
    exec(compile(source, f"<switched off: {name}>", "exec"), namespace)
    return namespace["stub"].__code__


@contextmanager
def switched_off(*functions: Callable) -> Iterator[None]:
    """Make each function raise an ``AssertionError`` while the block runs, then restore it.

    Parameters
    ----------
    *functions : function
        Plain Python functions (module-level, no closure).

    Raises
    ------
    TypeError
        If an argument is not such a function.
    """
    for function in functions:
        if not isinstance(function, FunctionType) or function.__code__.co_freevars:
            raise TypeError(f"functions must be plain module-level functions, got {function!r}")
    saved = [(function, function.__code__) for function in functions]
    try:
        for function, _ in saved:
            function.__code__ = _stub_code(function)
        yield
    finally:
        for function, code in saved:
            function.__code__ = code


@contextmanager
def library_answers_off(assignment: str) -> Iterator[None]:
    """Switch off the library functions that solve ``assignment``'s autograded parts.

    See :func:`switched_off`; the functions are :func:`graded_functions` of the exercise.
    """
    with switched_off(*graded_functions(assignment)):
        yield
