"""Generated tasks: the adding problem and the ring of Gaussians."""

import numpy as np

from course_utils.data import (
    adding_problem,
    count_modes,
    mode_shares,
    ring_centres,
    ring_of_gaussians,
)
from course_utils.data.tasks import ADDING_BASELINE_MSE


def test_adding_problem_structure():
    x, y = adding_problem(500, T=50, seed=1)
    assert x.shape == (500, 50, 2) and y.shape == (500,)
    assert x.dtype == y.dtype == np.float32
    values, marker = x[..., 0], x[..., 1]
    assert values.min() >= 0.0 and values.max() < 1.0
    assert set(np.unique(marker)) == {0.0, 1.0}
    assert (marker[:, :25].sum(axis=1) == 1).all() and (marker[:, 25:].sum(axis=1) == 1).all()
    np.testing.assert_allclose(y, (values * marker).sum(axis=1), rtol=1e-6)


def test_adding_problem_seeds_and_baseline():
    x, y = adding_problem(20000, T=100, seed=0)
    again, _ = adding_problem(20000, T=100, seed=0)
    other, _ = adding_problem(20000, T=100, seed=1)
    np.testing.assert_array_equal(x, again)
    assert not np.array_equal(x, other)
    assert abs(float(np.mean((y - 1.0) ** 2)) - 0.167) < 0.02
    assert abs(ADDING_BASELINE_MSE - 1 / 6) < 1e-12


def test_ring_centres_and_samples():
    centres = ring_centres(8, 2.0)
    assert centres.shape == (8, 2) and centres.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(centres, axis=1), 2.0, rtol=1e-6)
    samples = ring_of_gaussians(4000, seed=0)
    assert samples.shape == (4000, 2) and samples.dtype == np.float32
    np.testing.assert_array_equal(samples, ring_of_gaussians(4000, seed=0))
    assert not np.array_equal(samples, ring_of_gaussians(4000, seed=1))


def test_count_modes_on_true_and_collapsed_samples():
    true = ring_of_gaussians(4000, seed=0)
    assert count_modes(true) == 8 and count_modes(true, n_std=3.0) == 8
    assert mode_shares(true).sum() > 0.99
    collapsed = np.tile(ring_centres()[3], (4000, 1))
    assert count_modes(collapsed) == 1
    two = np.repeat(ring_centres()[[0, 4]], 1000, axis=0)
    assert count_modes(two) == 2
    assert count_modes(np.zeros((100, 2))) == 0
