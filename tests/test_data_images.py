"""Digits and photos: shapes, dtypes, ranges, fixed stratified splits."""

import numpy as np
import pytest

from course_utils.data import PHOTOS, Split, load_digits, load_photo, split_indices


@pytest.fixture(scope="module")
def digits() -> Split:
    return load_digits()


def test_digits_shapes_dtypes_ranges(digits):
    assert (len(digits.x_train), len(digits.x_val), len(digits.x_test)) == (1167, 270, 360)
    for x, y in (digits.train, digits.val, digits.test):
        assert x.shape[1:] == (8, 8, 1) and x.dtype == np.float32
        assert y.shape == (len(x),) and y.dtype == np.int64
        assert x.min() >= 0.0 and x.max() <= 1.0
        assert set(np.unique(y)) == set(range(10))
    assert digits.x_train.max() == 1.0


def test_digits_are_deterministic_and_seed_dependent(digits):
    again, other = load_digits(seed=0), load_digits(seed=1)
    np.testing.assert_array_equal(digits.x_test, again.x_test)
    np.testing.assert_array_equal(digits.y_train, again.y_train)
    assert digits.x_test.shape == other.x_test.shape
    assert not np.array_equal(digits.x_test, other.x_test)


def test_digit_parts_are_disjoint(digits):
    train, val, test = split_indices(np.repeat(np.arange(10), 20), 0.15, 0.2, seed=0)
    assert not (set(train) & set(val) or set(train) & set(test) or set(val) & set(test))
    assert len(train) + len(val) + len(test) == 200
    rows = {
        part: {x.tobytes() for x in getattr(digits, f"x_{part}")}
        for part in ("train", "val", "test")
    }
    assert not (rows["train"] & rows["val"] or rows["train"] & rows["test"])
    assert not rows["val"] & rows["test"]


def test_digit_split_is_stratified(digits):
    shares = [
        np.bincount(y, minlength=10) / len(y) for _, y in (digits.train, digits.val, digits.test)
    ]
    assert np.abs(shares[0] - shares[2]).max() < 0.01
    assert np.abs(shares[0] - shares[1]).max() < 0.01


def test_split_summary_and_repr(digits):
    text = digits.summary()
    assert "train" in text and "(1167, 8, 8, 1)" in text and "float32" in text
    assert repr(digits).startswith("Split(")


@pytest.mark.parametrize("name", PHOTOS)
def test_photos_rgb_and_gray(name):
    rgb = load_photo(name)
    assert rgb.ndim == 3 and rgb.shape[2] == 3 and rgb.dtype == np.float32
    assert rgb.min() >= 0.0 and rgb.max() <= 1.0 and rgb.std() > 0.05
    gray = load_photo(name, gray=True)
    assert gray.shape == rgb.shape[:2] and gray.dtype == np.float32
    np.testing.assert_allclose(gray, rgb @ np.float32([0.299, 0.587, 0.114]), atol=1e-6)


def test_photo_resize_keeps_range():
    small = load_photo("china", gray=True, size=(64, 96))
    assert small.shape == (64, 96) and small.dtype == np.float32
    assert small.min() >= 0.0 and small.max() <= 1.0
    assert load_photo("grace_hopper", size=(30, 20)).shape == (30, 20, 3)


def test_unknown_photo_names_the_choices():
    with pytest.raises(ValueError, match="grace_hopper"):
        load_photo("mona_lisa")
