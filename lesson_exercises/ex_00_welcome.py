"""Lesson 00's warm-up exercise: classification accuracy."""

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
