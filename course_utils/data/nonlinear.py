"""A generated non-linear series on which a linear autoregression fails (lesson 02)."""

from __future__ import annotations

import numpy as np


def henon_series(
    n: int, a: float = 1.4, b: float = 0.3, noise: float = 0.0, seed: int = 0
) -> np.ndarray:
    """The first coordinate of the Hénon map, ``x[t] = 1 - a x[t-1]^2 + b x[t-2]``.

    A deterministic, chaotic series: each value is a fixed *non-linear* function of the two
    before it, yet a linear autoregression on any number of past values explains only about
    a third of its variance (with the default ``a`` and ``b``). The map starts from two small
    random values drawn with ``seed`` and runs 100 steps before the values returned, so the
    series lies on the attractor (values in about ``[-1.3, 1.3]``). ``noise`` adds Gaussian
    *measurement* noise of that standard deviation to the returned values (the recursion
    itself stays noise-free). Returns float32 of shape ``(n,)``.
    """
    if n < 1:
        raise ValueError(f"n must be positive, got {n}")
    rng = np.random.default_rng(seed)
    burn = 100
    x = np.zeros(n + burn)
    x[0], x[1] = rng.uniform(-0.1, 0.1, size=2)
    for t in range(2, n + burn):
        x[t] = 1.0 - a * x[t - 1] ** 2 + b * x[t - 2]
    values = x[burn:] + noise * rng.standard_normal(n)
    return values.astype(np.float32)
