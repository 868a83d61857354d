"""Argument checks that produce clear, learner-friendly error messages.

Every public helper validates its arguments with these functions so that a
wrong call fails early with a message naming the argument and what was
expected, instead of a deep stack trace from torch or numpy.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = [
    "check_int",
    "check_number",
    "check_choice",
    "check_array_2d",
    "check_path",
    "check_plain_name",
]


def _describe(value: Any) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} (type {type(value).__name__})"


def check_int(name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` if it is an integer within the given bounds.

    Parameters
    ----------
    name : str
        The argument name, used in the error message.
    value : Any
        The value to check. ``bool`` is rejected even though it is an ``int``.
    minimum, maximum : int, optional
        Inclusive bounds.

    Returns
    -------
    int
        The value, unchanged.

    Raises
    ------
    TypeError
        If ``value`` is not an integer.
    ValueError
        If ``value`` is outside the bounds.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        # numpy integers are fine too
        try:
            import numpy as np

            if isinstance(value, np.integer):
                value = int(value)
            else:
                raise TypeError
        except TypeError:
            raise TypeError(f"{name} must be a whole number, got {_describe(value)}") from None
    _check_bounds(name, value, minimum, maximum)
    return value


def check_number(
    name: str,
    value: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    strict_minimum: bool = False,
) -> float:
    """Return ``value`` as a float if it is a finite real number within bounds.

    Parameters
    ----------
    name : str
        The argument name, used in the error message.
    value : Any
        The value to check.
    minimum, maximum : float, optional
        Bounds. ``minimum`` is exclusive when ``strict_minimum`` is true.
    strict_minimum : bool
        Require ``value > minimum`` instead of ``value >= minimum``.

    Returns
    -------
    float
        The value converted to ``float``.
    """
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number, got {_describe(value)}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number, got {_describe(value)}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if minimum is not None and strict_minimum and not number > minimum:
        raise ValueError(f"{name} must be greater than {minimum}, got {value!r}")
    _check_bounds(name, number, None if strict_minimum else minimum, maximum)
    return number


def _check_bounds(name: str, value: float, minimum: float | None, maximum: float | None) -> None:
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}, got {value!r}")


def check_choice(name: str, value: Any, choices: Iterable[Any]) -> Any:
    """Return ``value`` if it is one of ``choices``.

    Parameters
    ----------
    name : str
        The argument name, used in the error message.
    value : Any
        The value to check.
    choices : iterable
        The allowed values.
    """
    allowed = list(choices)
    if value not in allowed:
        options = ", ".join(repr(c) for c in allowed)
        raise ValueError(f"{name} must be one of {options}; got {value!r}")
    return value


def check_array_2d(name: str, value: Any, *, columns: int | None = None, min_rows: int = 1):
    """Return ``value`` as a float numpy array of shape ``(rows, columns)``.

    Accepts numpy arrays, nested lists and torch tensors (which are detached
    and moved to the CPU).

    Parameters
    ----------
    name : str
        The argument name, used in the error message.
    value : array-like
        The data to check.
    columns : int, optional
        The required number of columns.
    min_rows : int
        The minimum number of rows.

    Returns
    -------
    numpy.ndarray
        A ``float64`` array.
    """
    import numpy as np

    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers, got {_describe(value)}") from None
    if array.ndim != 2:
        want = f"(n, {columns})" if columns else "(n, d)"
        raise ValueError(f"{name} must be a 2-D array of shape {want}, got shape {array.shape}")
    if columns is not None and array.shape[1] != columns:
        raise ValueError(f"{name} must have {columns} columns (shape (n, {columns})), got shape {array.shape}")
    if array.shape[0] < min_rows:
        raise ValueError(f"{name} must have at least {min_rows} row(s), got {array.shape[0]}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def check_path(name: str, value: Any) -> Path:
    """Return ``value`` as a :class:`~pathlib.Path` if it is a file path (str or PathLike).

    Raises
    ------
    TypeError
        If ``value`` is not a str or PathLike (bytes paths are refused too), naming ``name``.
    ValueError
        If it is empty or contains a NUL character.
    """
    if isinstance(value, (bytes, bytearray)) or not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a file path (a str or pathlib.Path), got {_describe(value)}")
    text = os.fspath(value)
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a file path (a str or pathlib.Path), got {_describe(value)}")
    if not text.strip():
        raise ValueError(f"{name} must not be empty")
    if "\x00" in text:
        raise ValueError(f"{name} must not contain a NUL character, got {text!r}")
    return Path(text).expanduser()


def check_plain_name(name: str, value: Any) -> str:
    """Return ``value`` if it is the plain name of a shipped file: no folders, no ``..``.

    Raises
    ------
    TypeError
        If ``value`` is not a str.
    ValueError
        If it is empty, contains ``/``, ``\\``, ``..``, a NUL character, or starts with ``.``.
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a name (a str), got {_describe(value)}")
    separators = {"/", "\\", os.sep} | ({os.altsep} if os.altsep else set())
    if (
        not value.strip()
        or any(sep in value for sep in separators)
        or ".." in value
        or value.startswith(".")
        or "\x00" in value
        or ":" in value
    ):
        raise ValueError(f"{name} must be a plain name without folders or '..' (e.g. 'digits'), got {value!r}")
    return value
