"""Lesson 00's exercises: accuracy (warm-up), cross-entropy from logits, a momentum path."""

import numpy as np

from course_utils.exercises import FunctionExercise


def _accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))


def _random_labels(rng: np.random.Generator):
    n = int(rng.integers(1, 50))
    y_true = rng.integers(0, 10, size=n)
    y_pred = np.where(rng.random(n) < 0.7, y_true, rng.integers(0, 10, size=n))
    return (y_true, y_pred), {}


accuracy = FunctionExercise(
    lesson="00_welcome",
    name="accuracy",
    reference=_accuracy,
    cases=[
        ((np.array([1, 2, 3]), np.array([1, 2, 3])), {}),  # all right
        ((np.array([1, 2, 3]), np.array([0, 0, 0])), {}),  # all wrong
        ((np.array([7]), np.array([7])), {}),  # a single sample
        ((np.array([0, 1, 1, 0]), np.array([0, 1, 0, 0])), {}),
    ],
    random_cases=_random_labels,
    hints=[
        "Compare the two arrays element by element with `==`: you get an array of booleans.",
        "The mean of a boolean array is the share of True values: `np.mean(y_true == y_pred)`.",
    ],
    solution=(
        "def accuracy(y_true, y_pred):\n"
        "    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))"
    ),
)


def _cross_entropy_from_logits(z: np.ndarray, y: np.ndarray) -> float:
    z = np.asarray(z, dtype=float)
    y = np.asarray(y)
    shifted = z - z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-np.mean(log_p[np.arange(len(y)), y]))


def _random_logits(rng: np.random.Generator):
    n, k = int(rng.integers(1, 20)), int(rng.integers(2, 12))
    spread = float(rng.choice([1.0, 10.0, 500.0]))
    return (rng.normal(0, spread, size=(n, k)), rng.integers(0, k, size=n)), {}


cross_entropy_from_logits = FunctionExercise(
    lesson="00_welcome",
    name="cross_entropy_from_logits",
    reference=_cross_entropy_from_logits,
    cases=[
        ((np.zeros((2, 10)), np.array([3, 7])), {}),  # no knowledge: log 10
        ((np.array([[2.0, 1.0, 0.1]]), np.array([0])), {}),
        ((np.array([[1000.0, 0.0]]), np.array([1])), {}),  # sure and wrong: loss 1000
        ((np.array([[-1000.0, -1001.0, -1002.0]]), np.array([0])), {}),  # all very negative
        ((np.array([[5.0, 5.0], [0.0, 30.0]]), np.array([0, 1])), {}),
    ],
    random_cases=_random_logits,
    n_random=10,
    atol=1e-6,
    rtol=1e-6,
    hints=[
        "log softmax(z)_y = z_y - log(sum_j exp(z_j)). Work with logs all the way; never "
        "take the log of a probability that may have rounded to 0.",
        "Subtracting the row maximum m from every score changes nothing mathematically, "
        "and keeps every exp(z_j - m) between 0 and 1: log sum_j exp(z_j) = m + log sum_j "
        "exp(z_j - m).",
        "shifted = z - z.max(axis=1, keepdims=True); log_p = shifted - "
        "np.log(np.exp(shifted).sum(axis=1, keepdims=True)); then take the mean of "
        "-log_p[np.arange(len(y)), y].",
    ],
    solution=(
        "def cross_entropy_from_logits(z, y):\n"
        "    shifted = z - z.max(axis=1, keepdims=True)\n"
        "    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n"
        "    return float(-np.mean(log_p[np.arange(len(y)), y]))"
    ),
)


def _momentum_path(grads: np.ndarray, lr: float, beta: float = 0.9) -> np.ndarray:
    w, v, path = 0.0, 0.0, []
    for g in np.asarray(grads, dtype=float):
        v = beta * v - lr * g
        w = w + v
        path.append(w)
    return np.array(path)


def _random_path_case(rng: np.random.Generator):
    grads = rng.normal(0, 1, size=int(rng.integers(1, 15)))
    return (grads, float(rng.choice([0.01, 0.1, 0.5])), float(rng.choice([0.0, 0.5, 0.9]))), {}


momentum_path = FunctionExercise(
    lesson="00_welcome",
    name="momentum_path",
    reference=_momentum_path,
    cases=[
        ((np.array([1.0, 1.0, 1.0]), 0.1, 0.9), {}),  # a steady slope: the steps grow
        ((np.array([1.0, 1.0, 1.0]), 0.1, 0.0), {}),  # beta 0 is plain SGD
        ((np.array([1.0, -1.0, 1.0, -1.0]), 0.1, 0.9), {}),  # a zig-zag gradient
        ((np.array([2.0]), 0.5, 0.9), {}),  # a single step
        ((np.array([0.0, 0.0, 1.0, 0.0]), 0.1, 0.5), {}),  # the velocity outlives the gradient
    ],
    random_cases=_random_path_case,
    n_random=10,
    hints=[
        "Keep two numbers while you loop over the gradients: the weight w and the velocity "
        "v, both starting at 0. Record w after each step.",
        "Each step: first v = beta * v - lr * g, then w = w + v. The order matters: the new "
        "velocity moves the weight.",
        "With g = 1, lr = 0.1, beta = 0.9 the velocities are -0.1, -0.19, -0.271, so the "
        "weight goes -0.1, -0.29, -0.561: after 3 steps almost twice as far as SGD's -0.3.",
    ],
    solution=(
        "def momentum_path(grads, lr, beta=0.9):\n"
        "    w, v, path = 0.0, 0.0, []\n"
        "    for g in grads:\n"
        "        v = beta * v - lr * g\n"
        "        w = w + v\n"
        "        path.append(w)\n"
        "    return np.array(path)"
    ),
)
