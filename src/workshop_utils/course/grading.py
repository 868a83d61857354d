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

Two more tools for hidden tests:

- :func:`compare_training_steps` checks a training step against a reference,
  call after call, from identical copies of the networks and optimisers, so
  that a forgotten ``zero_grad``, a missing ``detach`` or a step on the wrong
  optimiser fails the part that contains it (a loss that only trends down
  would not show them);
- :func:`substituted` lets a part be checked on its own: while it runs, the
  names of earlier parts (e.g. the student's ``discriminator_loss``) can be
  bound to reference code, so a mistake there is not counted twice.

Used in: the hidden tests and training cells of every exercise in solutions/,
tests/test_nbgrader_pipeline.py and tests/test_no_answers_on_display.py.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager, nullcontext
from types import CodeType, FunctionType
from typing import Any

from .._validate import check_int, check_number
from .curriculum import exercises

__all__ = [
    "compare_training_steps",
    "graded_functions",
    "library_answers_off",
    "modules_blocked",
    "substituted",
    "switched_off",
]


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


class _Blocked:
    """Stands in for a blocked module, or anything from it, while graded checks run."""

    def __init__(self, name: str, message: str):
        self._name, self._message = name, message

    def __getattr__(self, attribute: str):
        raise AssertionError(self._message)

    def __call__(self, *args, **kwargs):
        raise AssertionError(self._message)

    def __repr__(self) -> str:
        return f"<blocked while grading: {self._name}>"


class _BlockImports:
    """A meta-path finder that refuses to import the blocked packages, with a clear message."""

    def __init__(self, packages: tuple[str, ...], message: str):
        self.packages, self.message = packages, message

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in self.packages:
            raise ImportError(self.message)
        return None


def _from_package(value, packages: tuple[str, ...]) -> bool:
    import types

    if isinstance(value, types.ModuleType):
        name = value.__name__
    else:
        name = getattr(value, "__module__", None) or type(value).__module__ or ""
        if not isinstance(name, str) or name == "builtins":
            name = type(value).__module__
    root = name.split(".")[0].lstrip("_")
    return root in packages


@contextmanager
def modules_blocked(*packages: str, namespace: dict | None = None, reason: str = "") -> Iterator[None]:
    """Make packages unusable while the block runs, then restore them.

    Importing them (or a submodule) raises ``ImportError``; in ``namespace``
    (a notebook's ``globals()``), every name bound to one of them, to
    something defined in it or to an object of one of its classes (such as a
    DuckDB connection made earlier) raises ``AssertionError`` when used.
    Exercise 05 grades pandas code this way, with ``duckdb`` blocked.

    Parameters
    ----------
    *packages : str
        Top-level package names, e.g. ``"duckdb"`` (``_duckdb`` counts too).
    namespace : dict, optional
        The names to guard, usually ``globals()``.
    reason : str
        Said in the error, e.g. "graded parts must use pandas".
    """
    import sys

    if not packages or not all(isinstance(p, str) and p.isidentifier() for p in packages):
        raise TypeError(f"packages must be top-level package names such as 'duckdb', got {packages!r}")
    if namespace is not None and not isinstance(namespace, dict):
        raise TypeError(f"namespace must be a dict such as globals(), got {type(namespace).__name__}")
    packages = tuple(p.lstrip("_") for p in packages)
    message = f"{', '.join(packages)} is switched off while this part is graded" + (f": {reason}" if reason else "")
    removed = {name: module for name, module in sys.modules.items() if name.split(".")[0].lstrip("_") in packages}
    guarded = {key: value for key, value in (namespace or {}).items()
               if not key.startswith("__") and _from_package(value, packages)}
    finder = _BlockImports(packages, message)
    try:
        for name in removed:
            del sys.modules[name]
        sys.meta_path.insert(0, finder)
        for key in guarded:
            namespace[key] = _Blocked(key, message)
        yield
    finally:
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)
        sys.modules.update(removed)
        for key, value in guarded.items():
            namespace[key] = value


@contextmanager
def substituted(namespace: MutableMapping[str, Any], **values: Any) -> Iterator[None]:
    """Bind names in ``namespace`` to other objects while the block runs, then restore them.

    In a notebook, ``namespace`` is ``globals()``: the student's functions look
    up the names of earlier parts there, so a hidden test can check one part
    with the reference versions of the others.

    Parameters
    ----------
    namespace : dict
        Usually ``globals()`` of the notebook.
    **values
        The names to bind and what to bind them to.

    Examples
    --------
    >>> ns = {"loss": "student's"}
    >>> with substituted(ns, loss="reference"):
    ...     ns["loss"]
    'reference'
    >>> ns["loss"]
    "student's"
    """
    if not isinstance(namespace, MutableMapping):
        raise TypeError(f"namespace must be a dict such as globals(), got {type(namespace).__name__}")
    absent = object()
    saved = {name: namespace.get(name, absent) for name in values}
    namespace.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is absent:
                namespace.pop(name, None)
            else:
                namespace[name] = value


def _named_parameters(state: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every parameter inside ``state``: modules, and dataclasses, tuples, lists or dicts of them."""
    from torch import nn

    if isinstance(state, nn.Module):
        for name, parameter in state.named_parameters():
            yield prefix + name, parameter
    elif dataclasses.is_dataclass(state) and not isinstance(state, type):
        for f in dataclasses.fields(state):
            yield from _named_parameters(getattr(state, f.name), f"{prefix}{f.name}.")
    elif isinstance(state, (tuple, list)):
        for i, item in enumerate(state):
            yield from _named_parameters(item, f"{prefix}[{i}].")
    elif isinstance(state, Mapping):
        for key, item in state.items():
            yield from _named_parameters(item, f"{prefix}{key}.")
    # optimisers and anything else hold no parameters of their own: their effect shows in the parameters


def compare_training_steps(
    student_step: Callable[[Any], Any],
    reference_step: Callable[[Any], Any],
    state: Any,
    *,
    calls: int = 3,
    seed: int = 0,
    assignment: str | None = None,
    atol: float = 1e-5,
    name: str = "train_step",
) -> None:
    """Check a training step against a reference, call after call, from identical states.

    Each step gets its own deep copy of ``state`` (networks and optimisers
    copied together, so that each optimiser still updates its own copy) and is
    called ``calls`` times, with the global torch seed set to the same value
    before each pair of calls. After every call, the returned losses and every
    parameter of the two copies must agree. Two or more calls catch what one
    cannot: gradients that pile up because they are never reset, or a stale
    gradient applied by the wrong optimiser.

    Parameters
    ----------
    student_step, reference_step : callable
        ``step(state) -> dict of losses``; each performs one training step on
        the state it is given.
    state : object
        The networks and optimisers: a module, or a dataclass, tuple, list or
        dict of modules and optimisers (e.g. a ``gan2d.GAN2D`` or ``(model,
        optimizer)``). It is not changed.
    calls : int
        Consecutive calls to compare (at least 2).
    seed : int
        Torch seed; call ``k`` of both steps runs after ``torch.manual_seed(seed + k)``.
    assignment : str, optional
        If given, the student's calls run inside :func:`library_answers_off`
        of this exercise (the reference's calls never do).
    atol : float
        Largest difference allowed in any parameter or loss.
    name : str
        The student's function, for the messages.

    Raises
    ------
    AssertionError
        Naming the first call, loss or parameter that differs, and what that
        usually means.
    """
    import torch

    if not callable(student_step) or not callable(reference_step):
        raise TypeError("student_step and reference_step must be functions step(state) -> dict of losses")
    check_int("calls", calls, minimum=2)
    check_int("seed", seed, minimum=0)
    atol = check_number("atol", atol, minimum=0.0)
    mine, theirs = copy.deepcopy(state), copy.deepcopy(state)
    if not dict(_named_parameters(theirs)):
        raise ValueError("state holds no parameters: pass the networks (and optimisers) the step trains")
    for k in range(1, calls + 1):
        torch.manual_seed(seed + k)
        expected = reference_step(theirs)
        torch.manual_seed(seed + k)
        with library_answers_off(assignment) if assignment else nullcontext():
            got = student_step(mine)
        where = "the first call" if k == 1 else f"call {k}"
        if isinstance(expected, Mapping):
            assert isinstance(got, Mapping) and set(got) == set(expected), (
                f"{name} must return a dict with the keys {sorted(expected)}, got {got!r}")
            for key, value in expected.items():
                assert abs(float(got[key]) - float(value)) <= atol + 1e-4 * abs(float(value)), (
                    f"on {where}, {name} returned {key} = {float(got[key]):.6g}, but a correct step on the same "
                    f"networks and batch gives {float(value):.6g}")
        reference = dict(_named_parameters(theirs))
        for parameter_name, actual in _named_parameters(mine):
            difference = (actual.detach() - reference[parameter_name].detach()).abs().max().item()
            if difference > atol:
                if k == 1:
                    advice = ("check which loss reaches which network (what is detached) and which optimiser "
                              "steps after which backward pass")
                else:
                    advice = ("the earlier calls matched, so something carries over from one call to the next, "
                              "for example gradients that are never reset before a backward pass")
                raise AssertionError(
                    f"after {where} of {name}, the parameter {parameter_name} differs from a correct step "
                    f"(largest difference {difference:.2g}): {advice}")
