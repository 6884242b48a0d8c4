"""Lesson 00's exercises: accuracy (the warm-up), then three transfers: cross-entropy from
logits, the path of a weight under Nesterov momentum, backpropagation through a tanh hidden
layer."""

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
        "NumPy counts True as 1 and False as 0, so the mean of that boolean array is the share of "
        "matches. Check: [0, 1, 1, 2] against [0, 1, 2, 2] gives 0.75, as a Python float.",
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
        "So log p = shifted - log(sum of exp(shifted)) row by row, with shifted = z minus "
        "its row maximum; the loss is the mean, over the rows, of minus the entry of log p "
        "at each row's true label.",
    ],
    solution=(
        "def cross_entropy_from_logits(z, y):\n"
        "    shifted = z - z.max(axis=1, keepdims=True)\n"
        "    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n"
        "    return float(-np.mean(log_p[np.arange(len(y)), y]))"
    ),
)


def _nesterov_path(grads: np.ndarray, lr: float, beta: float = 0.9) -> np.ndarray:
    w, v, path = 0.0, 0.0, []
    for g in np.asarray(grads, dtype=float):
        v = beta * v - lr * g
        w = w + beta * v - lr * g
        path.append(w)
    return np.array(path)


def _random_path_case(rng: np.random.Generator):
    grads = rng.normal(0, 1, size=int(rng.integers(1, 15)))
    return (grads, float(rng.choice([0.01, 0.1, 0.5])), float(rng.choice([0.0, 0.5, 0.9]))), {}


nesterov_path = FunctionExercise(
    lesson="00_welcome",
    name="nesterov_path",
    reference=_nesterov_path,
    cases=[
        ((np.array([1.0, 1.0, 1.0]), 0.1, 0.9), {}),  # a steady slope: -0.19, -0.461, -0.8049
        ((np.array([1.0, 1.0, 1.0]), 0.1, 0.0), {}),  # beta 0 is plain SGD
        ((np.array([1.0, -1.0, 1.0, -1.0]), 0.1, 0.9), {}),  # a zig-zag gradient
        ((np.array([2.0]), 0.5, 0.9), {}),  # a single step already looks ahead
        ((np.array([0.0, 0.0, 1.0, 0.0]), 0.1, 0.5), {}),  # the velocity outlives the gradient
    ],
    random_cases=_random_path_case,
    n_random=10,
    hints=[
        "Keep the weight w and the velocity v, both starting at 0, and record w after each "
        "step. The velocity is updated exactly as in section 6's momentum rule; only the move "
        "of the weight changes.",
        "Nesterov moves the weight by where the velocity is heading next - the new velocity, "
        "damped once more by beta - plus the plain SGD step for the current gradient. Check: "
        "with g = 1, lr = 0.1, beta = 0.9 the first step goes to -0.19 (momentum: -0.1), and "
        "after 3 steps the weight is at -0.8049.",
    ],
    solution=(
        "def nesterov_path(grads, lr, beta=0.9):\n"
        "    w, v, path = 0.0, 0.0, []\n"
        "    for g in grads:\n"
        "        v = beta * v - lr * g\n"
        "        w = w + beta * v - lr * g\n"
        "        path.append(w)\n"
        "    return np.array(path)"
    ),
)


def _tanh_mlp_grads(params: list, X: np.ndarray, y: np.ndarray) -> list:
    W1, b1, W2, b2 = (np.asarray(p, dtype=float) for p in params)
    X = np.asarray(X, dtype=float)
    H = np.tanh(X @ W1 + b1)
    Z = H @ W2 + b2
    P = np.exp(Z - Z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    dZ = P.copy()
    dZ[np.arange(len(y)), y] -= 1
    dZ /= len(y)
    dA = (dZ @ W2.T) * (1 - H**2)
    return [X.T @ dA, dA.sum(axis=0), H.T @ dZ, dZ.sum(axis=0)]


def _random_mlp_case(rng: np.random.Generator):
    n, d = int(rng.integers(1, 12)), int(rng.integers(1, 6))
    hidden, classes = int(rng.integers(1, 6)), int(rng.integers(2, 5))
    params = [
        rng.normal(0, 1, size=(d, hidden)),
        rng.normal(0, 0.5, size=hidden),
        rng.normal(0, 1, size=(hidden, classes)),
        rng.normal(0, 0.5, size=classes),
    ]
    return (params, rng.normal(0, 1, size=(n, d)), rng.integers(0, classes, size=n)), {}


_FIXED_PARAMS = [
    np.array([[1.0, -1.0], [0.5, 2.0]]),
    np.array([0.0, -3.0]),  # the second unit is strongly negative, where ReLU would be off
    np.array([[1.0, 0.0, -1.0], [0.5, 0.5, 0.5]]),
    np.zeros(3),
]

tanh_mlp_grads = FunctionExercise(
    lesson="00_welcome",
    name="tanh_mlp_grads",
    reference=_tanh_mlp_grads,
    cases=[
        ((_FIXED_PARAMS, np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0, 2])), {}),
        ((_FIXED_PARAMS, np.array([[0.2, -0.4]]), np.array([1])), {}),  # one example
        (
            (
                [np.zeros((2, 2)), np.zeros(2), np.zeros((2, 3)), np.zeros(3)],
                np.array([[1.0, 2.0]]),
                np.array([0]),
            ),
            {},
        ),  # all-zero weights: W1 gets nothing
    ],
    random_cases=_random_mlp_case,
    n_random=10,
    atol=1e-8,
    rtol=1e-6,
    hints=[
        "Walk the chain of section 4 backwards; every link is the same as with ReLU except "
        "the one through the activation.",
        "The derivative of tanh(a) is 1 - tanh(a)^2, and tanh(a) is H, which the forward "
        "pass already computed: the gradient at A is the gradient at H times (1 - H**2), "
        "element by element, where ReLU multiplied by [A > 0].",
        "Return the four gradients in the order W1, b1, W2, b2, each the shape of its "
        "weight; the biases' gradients are column sums, and the loss is a mean, so (P - Y) "
        "is divided by the number of rows.",
    ],
    solution=(
        "def tanh_mlp_grads(params, X, y):\n"
        "    W1, b1, W2, b2 = params\n"
        "    H = np.tanh(X @ W1 + b1)\n"
        "    Z = H @ W2 + b2\n"
        "    P = np.exp(Z - Z.max(axis=1, keepdims=True))\n"
        "    P /= P.sum(axis=1, keepdims=True)\n"
        "    dZ = P.copy()\n"
        "    dZ[np.arange(len(y)), y] -= 1\n"
        "    dZ /= len(y)\n"
        "    dA = (dZ @ W2.T) * (1 - H**2)\n"
        "    return [X.T @ dA, dA.sum(axis=0), H.T @ dZ, dZ.sum(axis=0)]"
    ),
)

#: The exercises of this lesson, in the order it sets them (read by the progress dashboard).
EXERCISES = (
    accuracy,
    cross_entropy_from_logits,
    nesterov_path,
    tanh_mlp_grads,
)
