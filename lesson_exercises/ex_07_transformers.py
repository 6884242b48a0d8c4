"""Lesson 07's checked exercises: scaled dot-product attention, a causal mask, and the
sinusoidal positional encoding."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import FunctionExercise

LESSON = "07_transformers"


# --- 1. scaled dot-product attention ------------------------------------------------------


def _scaled_dot_product_attention(q, k, v, mask=None):
    q, k, v = (np.asarray(a, dtype=np.float64) for a in (q, k, v))
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -1e9)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ v, weights


def _qkv(rng: np.random.Generator, batch: tuple[int, ...], tq: int, tk: int, d: int, dv: int):
    q = rng.normal(size=(*batch, tq, d))
    k = rng.normal(size=(*batch, tk, d))
    v = rng.normal(size=(*batch, tk, dv))
    return q, k, v


def _random_attention(rng: np.random.Generator):
    batch = ((), (int(rng.integers(1, 4)),), (2, int(rng.integers(1, 4))))[int(rng.integers(3))]
    tq, tk = int(rng.integers(1, 7)), int(rng.integers(1, 7))
    q, k, v = _qkv(rng, batch, tq, tk, int(rng.integers(1, 9)), int(rng.integers(1, 6)))
    if rng.random() < 0.5:
        mask = rng.random((tq, tk)) < 0.7
        mask[:, 0] = True  # every query may attend to at least one key
        return (q, k, v), {"mask": mask}
    return (q, k, v), {}


_fixed = np.random.default_rng(7)
_big_d = _qkv(_fixed, (), 3, 4, 64, 2)  # large d: the 1/sqrt(d) scaling matters
_causal_qkv = _qkv(_fixed, (2,), 4, 4, 8, 3)
scaled_dot_product_attention = FunctionExercise(
    lesson=LESSON,
    name="scaled_dot_product_attention",
    reference=_scaled_dot_product_attention,
    cases=[
        # one query, two keys: the query matches the first key
        (
            (
                np.array([[1.0, 0.0]]),
                np.array([[1.0, 0.0], [0.0, 1.0]]),
                np.array([[10.0], [20.0]]),
            ),
            {},
        ),
        (_big_d, {}),
        (_causal_qkv, {"mask": np.tril(np.ones((4, 4), dtype=bool))}),
        # identical keys: attention is uniform, the output is the mean of the values
        ((np.ones((1, 3)), np.ones((5, 3)), np.arange(10.0).reshape(5, 2)), {}),
    ],
    random_cases=_random_attention,
    hints=[
        "Scores: q @ k.T divided by sqrt(d), where d = q.shape[-1]. Use "
        "np.swapaxes(k, -1, -2) instead of k.T so that leading batch axes still work.",
        "Where mask is False, set the score to a very negative number (np.where(mask, s, -1e9)) "
        "before the softmax. The softmax runs over the last axis (the keys): subtract the row "
        "maximum, exponentiate, divide by the row sum. Return (weights @ v, weights).",
    ],
    solution=(
        "def scaled_dot_product_attention(q, k, v, mask=None):\n"
        "    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])\n"
        "    if mask is not None:\n"
        "        scores = np.where(mask, scores, -1e9)\n"
        "    scores = scores - scores.max(axis=-1, keepdims=True)\n"
        "    weights = np.exp(scores)\n"
        "    weights = weights / weights.sum(axis=-1, keepdims=True)\n"
        "    return weights @ v, weights"
    ),
)


# --- 2. causal mask -----------------------------------------------------------------------


def _causal_mask(n):
    return np.tril(np.ones((n, n), dtype=bool))


causal_mask = FunctionExercise(
    lesson=LESSON,
    name="causal_mask",
    reference=_causal_mask,
    cases=[((1,), {}), ((2,), {}), ((4,), {}), ((0,), {})],
    random_cases=lambda rng: ((int(rng.integers(3, 30)),), {}),
    hints=[
        "Position i may look at positions 0..i (itself and the past), never at j > i: "
        "mask[i, j] is True exactly when j <= i.",
        "np.tril keeps the lower triangle, diagonal included; start from "
        "np.ones((n, n), dtype=bool) so the result holds booleans, not numbers.",
    ],
    solution=(
        "def causal_mask(n):\n"
        "    return np.tril(np.ones((n, n), dtype=bool))\n"
        "\n"
        "# or, without tril: np.arange(n)[None, :] <= np.arange(n)[:, None]"
    ),
)


# --- 3. sinusoidal positional encoding ----------------------------------------------------


def _positional_encoding(length, depth):
    position = np.arange(length)[:, None]
    i = np.arange(depth)[None, :]
    angle = position / np.power(10000.0, 2 * (i // 2) / depth)
    return np.where(i % 2 == 0, np.sin(angle), np.cos(angle))


positional_encoding = FunctionExercise(
    lesson=LESSON,
    name="positional_encoding",
    reference=_positional_encoding,
    cases=[((1, 2), {}), ((3, 2), {}), ((4, 8), {}), ((50, 16), {})],
    random_cases=lambda rng: ((int(rng.integers(1, 60)), 2 * int(rng.integers(1, 33))), {}),
    hints=[
        "Column pair (2i, 2i+1) shares one frequency: angle = position / 10000**(2i / depth). "
        "Even columns hold sin(angle), odd columns cos(angle).",
        "With i = np.arange(depth), the pair index is i // 2, so the exponent is "
        "2 * (i // 2) / depth. Build positions as a column (length, 1) and columns as a row "
        "(1, depth) and let broadcasting make the (length, depth) table; then "
        "np.where(i % 2 == 0, np.sin(angle), np.cos(angle)).",
    ],
    solution=(
        "def positional_encoding(length, depth):\n"
        "    position = np.arange(length)[:, None]\n"
        "    i = np.arange(depth)[None, :]\n"
        "    angle = position / np.power(10000.0, 2 * (i // 2) / depth)\n"
        "    return np.where(i % 2 == 0, np.sin(angle), np.cos(angle))"
    ),
)
