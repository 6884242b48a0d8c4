"""The generated Hénon series: its recursion, its range, and a linear AR's failure on it."""

import numpy as np
import pytest

from course_utils.data import henon_series


def test_follows_the_map_exactly_without_noise():
    x = henon_series(500).astype(np.float64)
    assert x.shape == (500,) and henon_series(3).dtype == np.float32
    np.testing.assert_allclose(x[2:], 1 - 1.4 * x[1:-1] ** 2 + 0.3 * x[:-2], atol=1e-5)


def test_stays_on_the_attractor_and_is_reproducible():
    x = henon_series(2000, seed=3)
    assert -1.4 < x.min() < -1.0 and 1.0 < x.max() < 1.4
    np.testing.assert_array_equal(x, henon_series(2000, seed=3))
    assert not np.array_equal(x, henon_series(2000, seed=4))


def test_noise_is_added_to_the_measurements_only():
    clean, noisy = henon_series(2000, seed=1), henon_series(2000, noise=0.05, seed=1)
    assert 0.04 < float(np.std(noisy - clean)) < 0.06


def test_a_linear_autoregression_explains_little_of_it():
    x = henon_series(3000).astype(np.float64)
    lags = 10
    X = np.stack([x[k : len(x) - lags + k] for k in range(lags)], axis=1)
    X = np.c_[X, np.ones(len(X))]
    y = x[lags:]
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    explained = 1 - np.var(y - X @ coef) / np.var(y)
    assert explained < 0.4  # while the true (quadratic) map explains all of it


def test_rejects_an_empty_series():
    with pytest.raises(ValueError):
        henon_series(0)
