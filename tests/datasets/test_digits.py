import numpy as np
import pytest
from sklearn.datasets import load_digits

from workshop_utils.datasets import datasheets, digits
from workshop_utils.plotting import AccessibleFigure


def test_load_scales_sklearn_digits_to_unit_range():
    data = digits.load()
    raw = load_digits()
    assert data.images.shape == (1797, 64) and data.images.dtype == np.float32
    assert data.images.min() == 0.0 and data.images.max() == 1.0
    np.testing.assert_allclose(data.images * 16, raw.data, atol=1e-5)
    assert (data.labels == raw.target).all()
    assert (data.source_index == np.arange(1797)).all()


def test_split_is_fixed_disjoint_and_complete():
    train, test = digits.train_test_split()
    assert (len(train), len(test)) == (1437, 360)
    assert not set(train.source_index) & set(test.source_index)
    assert sorted([*train.source_index, *test.source_index]) == list(range(1797))
    again, _ = digits.train_test_split()
    assert (again.source_index == train.source_index).all()
    other, _ = digits.train_test_split(seed=1)
    assert not (other.source_index == train.source_index).all()
    # rows keep their labels
    assert (digits.load().labels[test.source_index] == test.labels).all()
    assert set(test.counts()) == set(range(10))


def test_split_errors():
    with pytest.raises(ValueError, match="n_test must be at most 1796"):
        digits.train_test_split(n_test=1797)
    with pytest.raises(TypeError, match="seed must be a whole number"):
        digits.train_test_split(seed=0.5)


def test_subset_by_class_and_by_hand():
    train, _ = digits.train_test_split()
    threes_sevens = train.subset(classes=[3, 7])
    assert set(threes_sevens.labels) == {3, 7}
    assert len(threes_sevens) == (train.labels == 3).sum() + (train.labels == 7).sum()
    picked = train.subset(indices=[9, 0, 4])
    assert (picked.source_index == train.source_index[[0, 4, 9]]).all()
    np.testing.assert_array_equal(picked.images, train.images[[0, 4, 9]])
    first_six = list(range(6))
    both = train.subset(classes=[int(train.labels[0])], indices=first_six)
    expected = [i for i in first_six if train.labels[i] == train.labels[0]]
    assert (both.source_index == train.source_index[expected]).all()
    assert picked.tensor().shape == (3, 64)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"classes": [10]}, ValueError, r"classes\[i\] must be at most 9"),
    ({"classes": []}, ValueError, "classes must name at least one digit"),
    ({"classes": "37"}, TypeError, "classes must be a list of whole numbers"),
    ({"indices": [5000]}, ValueError, r"indices\[i\] must be at most 1436"),
    ({"indices": []}, ValueError, "indices must list at least one image"),
    ({"indices": [0.5]}, TypeError, r"indices\[i\] must be a whole number"),
])
def test_subset_errors(kwargs, error, message):
    train, _ = digits.train_test_split()
    with pytest.raises(error, match=message):
        train.subset(**kwargs)


def test_subset_with_no_match_says_so():
    train, _ = digits.train_test_split()
    label = int(train.labels[0])
    with pytest.raises(ValueError, match="no image matches"):
        train.subset(classes=[(label + 1) % 10], indices=[0])


def test_credits_name_the_source_and_the_exact_rows():
    train, _ = digits.train_test_split()
    mine = train.subset(indices=[0, 1, 2])
    text = mine.credits()
    assert text.startswith("3 images from scikit-learn's copy of the UCI")
    assert "Rows of sklearn.datasets.load_digits():" in text
    for row in mine.source_index:
        assert str(row) in text
    assert digits._ranges([1, 2, 3, 7, 9, 10]) == "1-3, 7, 9-10"


def test_show_numbers_images_and_describes_them():
    train, _ = digits.train_test_split()
    figure = digits.show(train, start=5, n=12, ncols=6, title="pick")
    assert isinstance(figure, AccessibleFigure)
    assert "numbered #5 to #16" in figure.alt and "pick" in figure.alt
    assert len(figure.figure.axes) == 12
    assert figure.png_bytes()[:4] == b"\x89PNG"
    with pytest.raises(TypeError, match="data must be a Digits set"):
        digits.show(train.images)
    with pytest.raises(ValueError, match="start must be at most"):
        digits.show(train, start=len(train))


def test_datasheet_facts_come_from_the_bundled_description():
    sheet = datasheets.datasheet("digits").text
    description = load_digits().DESCR
    for fact in ["1797", "8x8", "0..16", "43", "30", "13", "Alpaydin", "NISTIR 5469", "4x4",
                 "https://archive.ics.uci.edu/ml/datasets/Optical+Recognition+of+Handwritten+Digits"]:
        assert fact in sheet and fact in description, fact
