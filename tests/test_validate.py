import numpy as np
import pytest
import torch

from workshop_utils._validate import check_array_2d, check_choice, check_int, check_number


def test_check_int_accepts_ints_and_numpy_ints():
    assert check_int("n", 3, minimum=1) == 3
    assert check_int("n", np.int64(4)) == 4


@pytest.mark.parametrize("bad", [1.5, "3", True, None])
def test_check_int_rejects_non_integers_naming_the_argument(bad):
    with pytest.raises(TypeError, match="n_steps must be a whole number"):
        check_int("n_steps", bad)


def test_check_int_bounds():
    with pytest.raises(ValueError, match="seed must be at least 0, got -1"):
        check_int("seed", -1, minimum=0)
    with pytest.raises(ValueError, match="at most 5"):
        check_int("k", 6, maximum=5)


def test_check_number():
    assert check_number("lr", 1e-3, minimum=0, strict_minimum=True) == pytest.approx(1e-3)
    with pytest.raises(ValueError, match="lr must be greater than 0"):
        check_number("lr", 0, minimum=0, strict_minimum=True)
    with pytest.raises(ValueError, match="finite"):
        check_number("lr", float("nan"))
    with pytest.raises(TypeError, match="lr must be a number"):
        check_number("lr", "fast")


def test_check_choice():
    assert check_choice("mode", "a", ["a", "b"]) == "a"
    with pytest.raises(ValueError, match="mode must be one of 'a', 'b'; got 'c'"):
        check_choice("mode", "c", ["a", "b"])


def test_check_array_2d_accepts_tensors_and_lists():
    assert check_array_2d("x", torch.zeros(3, 2), columns=2).shape == (3, 2)
    assert check_array_2d("x", [[1, 2]], columns=2).dtype == float


@pytest.mark.parametrize(
    "value, message",
    [
        (np.zeros(3), r"x must be a 2-D array of shape \(n, 2\)"),
        (np.zeros((3, 3)), "x must have 2 columns"),
        (np.zeros((0, 2)), "at least 1 row"),
        (np.array([[np.nan, 0.0]]), "NaN"),
        ([["a", "b"]], "x must be an array of numbers"),
    ],
)
def test_check_array_2d_errors(value, message):
    with pytest.raises((TypeError, ValueError), match=message):
        check_array_2d("x", value, columns=2)
