"""Lesson 05's checked exercises: reconstruction error, PSNR, an anomaly threshold, the AUC, the
KL divergence of two Gaussians (transfer), reparameterised sampling, the gradient of a tied linear
autoencoder (transfer)."""

from __future__ import annotations

import math

import numpy as np

from course_utils.exercises import FunctionExercise, compare, short

LESSON = "05_autoencoders"


# --- 1. reconstruction error per sample ------------------------------------------------------


def _reconstruction_error(x, x_hat):
    x, x_hat = np.asarray(x, dtype=np.float64), np.asarray(x_hat, dtype=np.float64)
    return np.mean((x - x_hat).reshape(len(x), -1) ** 2, axis=1)


def _pair(shape, rng: np.random.Generator):
    x = rng.random(shape).astype(np.float32)
    x_hat = np.clip(x + rng.normal(0, 0.2, shape), 0, 1).astype(np.float32)
    return x, x_hat


def _random_reconstruction(rng: np.random.Generator):
    shapes = [
        (int(rng.integers(1, 20)), 8, 8, 1),
        (int(rng.integers(1, 20)), 64),
        (int(rng.integers(1, 10)), 5, 3),
    ]
    return _pair(shapes[int(rng.integers(len(shapes)))], rng), {}


_fixed_rng = np.random.default_rng(5)
reconstruction_error = FunctionExercise(
    lesson=LESSON,
    name="reconstruction_error",
    reference=_reconstruction_error,
    cases=[
        ((np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[0.0, 0.0], [0.0, 0.0]])), {}),
        (_pair((3, 8, 8, 1), _fixed_rng), {}),  # images: average over 8 x 8 x 1 values
        ((np.ones((2, 4, 4, 1)), np.ones((2, 4, 4, 1))), {}),  # perfect: zeros
        (_pair((1, 64), _fixed_rng), {}),  # a single sample still gives shape (1,)
    ],
    random_cases=_random_reconstruction,
    hints=[
        "Square the difference, then average over every axis except axis 0, the batch axis.",
        "Flatten each sample first: `d = (x - x_hat).reshape(len(x), -1)`, then "
        "`np.mean(d ** 2, axis=1)` works for any number of axes.",
    ],
    solution=(
        "def reconstruction_error(x, x_hat):\n"
        "    d = np.asarray(x, dtype=float) - np.asarray(x_hat, dtype=float)\n"
        "    return np.mean(d.reshape(len(d), -1) ** 2, axis=1)"
    ),
)


# --- 2. PSNR ---------------------------------------------------------------------------------


def _psnr(clean, other, max_value=1.0):
    clean, other = np.asarray(clean, dtype=np.float64), np.asarray(other, dtype=np.float64)
    mse = float(np.mean((clean - other) ** 2))
    if mse == 0:
        return float("inf")
    return float(10 * np.log10(max_value**2 / mse))


def _compare_psnr(expected, got):
    """Like the default comparison, but +inf (identical arrays) must be exactly +inf."""
    if isinstance(got, np.ndarray) and got.size == 1:
        got = got.item()
    if math.isinf(expected):
        if isinstance(got, (int, float, np.floating)) and math.isinf(got) and got > 0:
            return None
        return f"identical arrays have a mean squared error of 0: expected inf, got {short(got)}"
    return compare(expected, got, atol=1e-4, rtol=1e-5)


def _random_psnr(rng: np.random.Generator):
    shape = (int(rng.integers(1, 6)), 8, 8, 1)
    clean, other = _pair(shape, rng)
    if rng.random() < 0.4:  # 8-bit images
        return (np.round(clean * 255), np.round(other * 255)), {"max_value": 255.0}
    return (clean, other), {}


psnr = FunctionExercise(
    lesson=LESSON,
    name="psnr",
    reference=_psnr,
    cases=[
        ((np.zeros((2, 2)), np.full((2, 2), 0.1)), {}),  # MSE 0.01 -> 20 dB
        ((np.zeros((4,)), np.array([0.0, 0.0, 0.0, 0.2])), {}),  # MSE 0.01 again
        ((np.zeros((3, 3)), np.zeros((3, 3))), {}),  # identical -> inf
        ((np.zeros((2, 2)), np.full((2, 2), 25.5)), {"max_value": 255.0}),  # MAX is squared
        (_pair((2, 8, 8, 1), np.random.default_rng(6)), {}),
    ],
    random_cases=_random_psnr,
    compare=_compare_psnr,
    hints=[
        "First the mean squared error over all values: `mse = np.mean((clean - other) ** 2)`.",
        "Then `10 * np.log10(max_value ** 2 / mse)` - it is MAX squared over the MSE, with "
        "log base 10 and a factor 10 (or 20 * log10(MAX / sqrt(mse))). Handle mse == 0 first.",
    ],
    solution=(
        "def psnr(clean, other, max_value=1.0):\n"
        "    mse = float(np.mean((np.asarray(clean, float) - np.asarray(other, float)) ** 2))\n"
        "    if mse == 0:\n"
        "        return float('inf')\n"
        "    return float(10 * np.log10(max_value ** 2 / mse))"
    ),
)


# --- 3. the threshold at a given false-positive rate -----------------------------------------


def _threshold_at_fpr(normal_scores, fpr):
    s = np.sort(np.asarray(normal_scores, dtype=np.float64))
    k = int(np.floor(fpr * len(s) + 1e-9))
    return float(s[len(s) - 1 - k])


def _random_threshold(rng: np.random.Generator):
    n = int(rng.integers(5, 200))
    scores = rng.gamma(2.0, 0.01, n)
    k = int(rng.integers(0, n // 2))
    return (scores, (k + 0.5) / n), {}  # halfway between two allowed counts: no rounding trap


threshold_at_fpr = FunctionExercise(
    lesson=LESSON,
    name="threshold_at_fpr",
    reference=_threshold_at_fpr,
    cases=[
        ((np.array([0.1, 0.4, 0.2, 0.3]), 0.0), {}),  # no false alarm allowed: the largest
        ((np.array([5.0, 1.0, 4.0, 2.0, 3.0, 9.0, 8.0, 7.0, 6.0, 10.0]), 0.2), {}),  # 8.0
        ((np.arange(1.0, 21.0)[::-1], 0.05), {}),  # one false alarm in 20: 19.0
        ((np.array([0.3, 0.3, 0.3, 0.1]), 0.5), {}),  # ties
        ((np.array([0.7]), 0.5), {}),  # one score: floor(0.5) = 0 false alarms
    ],
    random_cases=_random_threshold,
    hints=[
        "Sort the normal scores in increasing order. With k = floor(fpr * n) false alarms "
        "allowed, the threshold is the score with exactly k scores after it.",
        "`s = np.sort(scores); k = int(np.floor(fpr * len(s))); return float(s[len(s) - 1 - k])`"
        " - a percentile with interpolation gives a value between two scores, which is not "
        "what is asked.",
    ],
    solution=(
        "def threshold_at_fpr(normal_scores, fpr):\n"
        "    s = np.sort(np.asarray(normal_scores, dtype=float))\n"
        "    k = int(np.floor(fpr * len(s)))\n"
        "    return float(s[len(s) - 1 - k])"
    ),
)


# --- 4. the AUC from its definition ----------------------------------------------------------


def _auc_from_scores(normal_scores, anomaly_scores):
    n = np.asarray(normal_scores, dtype=np.float64)[None, :]
    a = np.asarray(anomaly_scores, dtype=np.float64)[:, None]
    return float(np.mean((a > n) + 0.5 * (a == n)))


def _random_auc(rng: np.random.Generator):
    normal = np.round(rng.gamma(2.0, 1.0, int(rng.integers(1, 60))), 1)  # rounding makes ties
    anomaly = np.round(rng.gamma(3.0, 1.0, int(rng.integers(1, 60))), 1)
    return (normal, anomaly), {}


auc_from_scores = FunctionExercise(
    lesson=LESSON,
    name="auc_from_scores",
    reference=_auc_from_scores,
    cases=[
        ((np.array([0.1, 0.2]), np.array([0.5, 0.9])), {}),  # perfect: 1.0
        ((np.array([0.5, 0.9]), np.array([0.1, 0.2])), {}),  # reversed: 0.0
        ((np.array([0.3, 0.3]), np.array([0.3])), {}),  # all ties: 0.5
        ((np.array([0.1, 0.4, 0.35, 0.8]), np.array([0.3, 0.4, 0.9])), {}),
    ],
    random_cases=_random_auc,
    hints=[
        "Compare every anomaly score with every normal score; broadcasting does it at once: "
        "`a[:, None] > n[None, :]` is a (len(a), len(n)) table of booleans.",
        "Average `(a > n) + 0.5 * (a == n)` over that table. Forgetting the ties gives a value "
        "that is too low whenever scores repeat.",
    ],
    solution=(
        "def auc_from_scores(normal_scores, anomaly_scores):\n"
        "    n = np.asarray(normal_scores, dtype=float)[None, :]\n"
        "    a = np.asarray(anomaly_scores, dtype=float)[:, None]\n"
        "    return float(np.mean((a > n) + 0.5 * (a == n)))"
    ),
)


# --- 5. KL divergence between two diagonal Gaussians (transfer) -------------------------------


def _gaussian_kl(mean_q, log_var_q, mean_p, log_var_p):
    mq, lq, mp, lp = (
        np.asarray(a, dtype=np.float64) for a in (mean_q, log_var_q, mean_p, log_var_p)
    )
    per_dim = 0.5 * (lp - lq + (np.exp(lq) + (mq - mp) ** 2) / np.exp(lp) - 1.0)
    return per_dim.sum(axis=-1)


def _kl_case(rng: np.random.Generator, n: int, d: int, standard_prior: bool = False):
    mq, lq = rng.normal(size=(n, d)), rng.normal(scale=0.8, size=(n, d))
    if standard_prior:
        return (mq, lq, np.zeros((n, d)), np.zeros((n, d))), {}
    return (mq, lq, rng.normal(size=(n, d)), rng.normal(scale=0.8, size=(n, d))), {}


gaussian_kl = FunctionExercise(
    lesson=LESSON,
    name="gaussian_kl",
    reference=_gaussian_kl,
    cases=[
        ((np.zeros((1, 2)), np.zeros((1, 2)), np.zeros((1, 2)), np.zeros((1, 2))), {}),  # q = p
        ((np.array([[1.0]]), np.array([[0.0]]), np.array([[0.0]]), np.array([[0.0]])), {}),  # 0.5
        _kl_case(np.random.default_rng(31), 3, 2, standard_prior=True),  # the lesson's formula
        ((np.zeros((1, 1)), np.zeros((1, 1)), np.zeros((1, 1)), np.array([[np.log(4.0)]])), {}),
        _kl_case(np.random.default_rng(32), 4, 3),
    ],
    random_cases=lambda rng: _kl_case(rng, int(rng.integers(1, 6)), int(rng.integers(1, 9))),
    hints=[
        "In one dimension, KL(N(m1, s1^2) || N(m2, s2^2)) = log(s2 / s1) + (s1^2 + (m1 - m2)^2)"
        " / (2 s2^2) - 1/2. Diagonal Gaussians: compute it per dimension, then sum.",
        "With log-variances lq and lp: log(s2 / s1) = (lp - lq) / 2, s1^2 = exp(lq), "
        "s2^2 = exp(lp). So per dimension: 0.5 * (lp - lq + (exp(lq) + (mq - mp)**2) / exp(lp)"
        " - 1).",
        "Sum over the LAST axis only (`.sum(axis=-1)`): a batch of shape (n, d) gives n numbers. "
        "Check: with mp = lp = 0 you get the lesson's 0.5 * sum(mq**2 + exp(lq) - lq - 1).",
    ],
    solution=(
        "def gaussian_kl(mean_q, log_var_q, mean_p, log_var_p):\n"
        "    per_dim = 0.5 * (\n"
        "        log_var_p - log_var_q\n"
        "        + (np.exp(log_var_q) + (mean_q - mean_p) ** 2) / np.exp(log_var_p)\n"
        "        - 1.0\n"
        "    )\n"
        "    return per_dim.sum(axis=-1)"
    ),
)


# --- 6. Reparameterised sampling ---------------------------------------------------------------


def _reparameterise(mean, log_var, eps):
    mean, log_var, eps = (np.asarray(a, dtype=np.float64) for a in (mean, log_var, eps))
    return mean + np.exp(0.5 * log_var) * eps


def _rep_case(rng: np.random.Generator, n: int, d: int):
    return (rng.normal(size=(n, d)), rng.normal(size=(n, d)), rng.standard_normal((n, d))), {}


reparameterise = FunctionExercise(
    lesson=LESSON,
    name="reparameterise",
    reference=_reparameterise,
    cases=[
        ((np.zeros((1, 2)), np.zeros((1, 2)), np.array([[1.0, -2.0]])), {}),  # sigma 1: z = eps
        ((np.array([[3.0]]), np.array([[np.log(4.0)]]), np.array([[0.5]])), {}),  # 3 + 2 * 0.5
        _rep_case(np.random.default_rng(41), 3, 4),
    ],
    random_cases=lambda rng: _rep_case(rng, int(rng.integers(1, 6)), int(rng.integers(1, 9))),
    hints=[
        "z = mean + sigma * eps, element by element. The encoder gives the LOG-variance, not "
        "sigma.",
        "sigma = sqrt(exp(log_var)) = exp(0.5 * log_var). Using exp(log_var) gives the "
        "variance, too large a spread.",
    ],
    solution=(
        "def reparameterise(mean, log_var, eps):\n    return mean + np.exp(0.5 * log_var) * eps"
    ),
)


# --- 7. Gradient of a tied linear autoencoder (transfer) --------------------------------------


def _tied_linear_ae_gradient(Xc, W):
    Xc, W = np.asarray(Xc, dtype=np.float64), np.asarray(W, dtype=np.float64)
    R = Xc @ W @ W.T - Xc
    return 2.0 / len(Xc) * (Xc.T @ R @ W + R.T @ Xc @ W)


def _tied_case(rng: np.random.Generator, n: int, D: int, d: int):
    return (rng.normal(size=(n, D)), rng.normal(scale=0.5, size=(D, d))), {}


tied_linear_ae_gradient = FunctionExercise(
    lesson=LESSON,
    name="tied_linear_ae_gradient",
    reference=_tied_linear_ae_gradient,
    cases=[
        _tied_case(np.random.default_rng(51), 1, 1, 1),
        _tied_case(np.random.default_rng(52), 5, 3, 1),
        _tied_case(np.random.default_rng(53), 8, 6, 2),
    ],
    random_cases=lambda rng: _tied_case(
        rng, int(rng.integers(1, 20)), int(rng.integers(2, 10)), int(rng.integers(1, 3))
    ),
    hints=[
        "W appears twice: in the encoder (Z = Xc W) and in the decoder (W^T). The gradient is "
        "the sum of two parts, each computed as if the other copy of W were a constant.",
        "Call the decoder matrix V = W^T. From section 2.2, with R = Z V - Xc: dL/dV = "
        "(2/N) Z^T R, and the encoder part is dL/dW_e = (2/N) Xc^T R V^T.",
        "The decoder part is a gradient with respect to V = W^T, so transpose it before adding:"
        " dL/dW = (2/N) (Xc^T R W + R^T Xc W). Check it with finite differences.",
    ],
    solution=(
        "def tied_linear_ae_gradient(Xc, W):\n"
        "    R = Xc @ W @ W.T - Xc\n"
        "    return 2 / len(Xc) * (Xc.T @ R @ W + R.T @ Xc @ W)"
    ),
)
