"""Lesson 02's checked exercises: two warm-ups (one RNN step, the parameter count of
``SimpleRNN``) and five transfers: the backward half of a bidirectional RNN, a seasonal
forecast with a trend correction, windowing several steps ahead, the last state of padded,
masked sequences, and clipping by the global norm (``global_clipnorm``)."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import FunctionExercise

LESSON = "02_rnn"


# --- 1. One RNN step ----------------------------------------------------------------------


def _rnn_step(x, h, W, U, b):
    return np.tanh(x @ W + h @ U + b)


def _step_case(rng: np.random.Generator, n: int, d: int, units: int, scale: float = 0.7):
    x = rng.normal(size=(n, d))
    h = np.tanh(rng.normal(size=(n, units)))
    W = rng.normal(scale=scale, size=(d, units))
    U = rng.normal(scale=scale, size=(units, units))
    b = rng.normal(scale=scale, size=(units,))
    return (x, h, W, U, b), {}


def _bias_only_case():
    """No weights: the new state must be tanh(b) for every sequence in the batch."""
    n, d, units = 2, 3, 4
    b = np.array([-2.0, -0.5, 0.5, 2.0])
    return (
        np.ones((n, d)),
        np.ones((n, units)),
        np.zeros((d, units)),
        np.zeros((units, units)),
        b,
    ), {}


def _memory_only_case():
    """No input weights, U = 2 * identity: the state is tanh(2 h), whatever x is."""
    units = 3
    h = np.array([[0.1, -0.4, 0.9]])
    return (np.full((1, 2), 5.0), h, np.zeros((2, units)), 2.0 * np.eye(units), np.zeros(units)), {}


def _random_step(rng: np.random.Generator):
    n, d, units = (int(v) for v in rng.integers(1, 6, size=3))
    return _step_case(rng, n, d, units)


rnn_step = FunctionExercise(
    lesson=LESSON,
    name="rnn_step",
    reference=_rnn_step,
    cases=[
        _bias_only_case(),
        _memory_only_case(),
        _step_case(np.random.default_rng(1), 1, 1, 1),
        _step_case(np.random.default_rng(2), 4, 3, 2),
        _step_case(np.random.default_rng(3), 2, 2, 5),
    ],
    random_cases=_random_step,
    hints=[
        "Shapes, in Keras' layout: x is (batch, d), h is (batch, units), W is (d, units), "
        "U is (units, units), b is (units,). Rows are sequences, so the weights multiply "
        "from the right: x @ W, not W @ x.",
        "Add the input's contribution x @ W, the memory's contribution h @ U and the bias b, "
        "then squash the sum with np.tanh.",
    ],
    solution="def rnn_step(x, h, W, U, b):\n    return np.tanh(x @ W + h @ U + b)",
)


# --- 2. The backward direction (transfer: the other half of a bidirectional RNN) ----------


def _backward_states(xs, h0, W, U, b):
    h = h0
    states = [None] * xs.shape[1]
    for t in reversed(range(xs.shape[1])):
        h = np.tanh(xs[:, t] @ W + h @ U + b)
        states[t] = h
    return np.stack(states, axis=1)


def _forward_case(rng: np.random.Generator, n: int, steps: int, d: int, units: int):
    xs = rng.normal(size=(n, steps, d))
    h0 = np.tanh(rng.normal(size=(n, units)))
    W = rng.normal(scale=0.6, size=(d, units))
    U = rng.normal(scale=0.6, size=(units, units))
    b = rng.normal(scale=0.3, size=(units,))
    return (xs, h0, W, U, b), {}


def _pure_memory_case():
    """Input weights zero, U = identity and h0 = 0.5: the state is tanh applied once at the
    last position and T times at the first, so states in the forward order are wrong."""
    xs = np.ones((1, 4, 1))
    h0 = np.full((1, 1), 0.5)
    return (xs, h0, np.zeros((1, 1)), np.eye(1), np.zeros(1)), {}


def _first_step_only_case():
    """Only the first step's input is non-zero, and U = 0: the state at position 0 is
    tanh(x_0 W + b), every other state tanh(b), whichever direction the loop runs."""
    xs = np.zeros((2, 3, 2))
    xs[:, 0] = [[1.0, -1.0], [0.5, 2.0]]
    W = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0]])
    return (xs, np.zeros((2, 3)), W, np.zeros((3, 3)), np.full(3, 0.1)), {}


def _random_forward(rng: np.random.Generator):
    n, steps, d, units = (int(v) for v in rng.integers(1, 7, size=4))
    return _forward_case(rng, n, steps, d, units)


backward_states = FunctionExercise(
    lesson=LESSON,
    name="backward_states",
    reference=_backward_states,
    cases=[
        _pure_memory_case(),
        _first_step_only_case(),
        _forward_case(np.random.default_rng(4), 1, 1, 1, 1),  # a one-step sequence
        _forward_case(np.random.default_rng(5), 2, 6, 3, 4),
        _forward_case(np.random.default_rng(6), 3, 10, 1, 2),
    ],
    random_cases=_random_forward,
    hints=[
        "The recurrence is the lesson's step; only the order changes. Start from h0 and visit "
        "the positions from the last one, T - 1, down to 0, so that the state at position t "
        "has read x_t and everything after it.",
        "Store each new state at the position of the input it just read, not in the order you "
        "computed it: fill a list of T slots by index (or reverse the list at the end), then "
        "stack so that time is axis 1, giving (batch, T, units). Check: with zero input "
        "weights, U = 1 and h0 = 0.5, the state at the last position is tanh(0.5) = 0.462 and "
        "the one at the first position has had tanh applied T times.",
    ],
    solution=(
        "def backward_states(xs, h0, W, U, b):\n"
        "    h = h0\n"
        "    states = [None] * xs.shape[1]\n"
        "    for t in reversed(range(xs.shape[1])):\n"
        "        h = np.tanh(xs[:, t] @ W + h @ U + b)\n"
        "        states[t] = h\n"
        "    return np.stack(states, axis=1)"
    ),
)


# --- 3. The parameter count of SimpleRNN(units) on d input features ------------------------


def _simple_rnn_param_count(units: int, d: int) -> int:
    return units * (d + units + 1)


def _random_count(rng: np.random.Generator):
    return (int(rng.integers(1, 513)), int(rng.integers(1, 300))), {}


simple_rnn_param_count = FunctionExercise(
    lesson=LESSON,
    name="simple_rnn_param_count",
    reference=_simple_rnn_param_count,
    cases=[((1, 1), {}), ((16, 1), {}), ((32, 2), {}), ((1, 100), {}), ((100, 1), {})],
    random_cases=_random_count,
    hints=[
        "Three weight tensors: the input kernel W (d x units), the recurrent kernel U "
        "(units x units) and the bias b (units).",
        "Add the sizes of the three tensors up. The count does not depend on the sequence length "
        "- the same weights are reused at every step. Check: SimpleRNN(4) on 3 features has 32 "
        "parameters.",
    ],
    solution="def simple_rnn_param_count(units, d):\n    return units * (d + units + 1)",
)


# --- 4. A seasonal forecast with a trend correction (transfer) ---------------------------


def _seasonal_drift_mae(series, season):
    series = np.asarray(series, dtype=np.float64)
    t = np.arange(season + 1, len(series))
    forecast = series[t - season] + series[t - 1] - series[t - 1 - season]
    return float(np.mean(np.abs(series[t] - forecast)))


def _random_drift(rng: np.random.Generator):
    season = int(rng.integers(1, 13))
    n = int(rng.integers(season + 2, season + 60))
    steps = np.arange(n)
    series = 0.2 * steps + np.sin(2 * np.pi * steps / season) + np.cumsum(rng.normal(size=n))
    return (series, season), {}


_steps = np.arange(12.0)
seasonal_drift_mae = FunctionExercise(
    lesson=LESSON,
    name="seasonal_drift_mae",
    reference=_seasonal_drift_mae,
    cases=[
        ((2.0 * _steps + np.tile([0.0, 3.0, 1.0], 4), 3), {}),  # trend + season: exact, 0.0
        ((_steps**2, 1), {}),  # season 1 repeats the last change: errors of 2
        ((np.array([1.0, 2.0, 4.0, 7.0]), 2), {}),  # just one forecast: 7 vs 2 + 4 - 1
        ((np.array([0.0, 5.0, 0.0, 5.0, 1.0, 6.0, 0.0]), 2), {}),
        ((np.array([3.0, 1.0, 2.0, 0.5, 4.0, 2.0]), 1), {}),
    ],
    random_cases=_random_drift,
    hints=[
        "Write the forecast for one time t first: the value one season before t, plus how much "
        "the series rose over the season that ended one step before t - that is, the value at "
        "t - 1 minus the value one season before t - 1. Which is the first t for which all "
        "three values exist?",
        "The first usable t is season + 1. Build an array of every usable t, index the series "
        "with it (and with it shifted back by 1, by season and by season + 1), and average the "
        "absolute errors; return a float. Check: [1, 2, 4, 7] with season 2 has one forecast, "
        "2 + 4 - 1 = 5, so an MAE of 2.0.",
    ],
    solution=(
        "def seasonal_drift_mae(series, season):\n"
        "    series = np.asarray(series, dtype=float)\n"
        "    t = np.arange(season + 1, len(series))\n"
        "    forecast = series[t - season] + series[t - 1] - series[t - 1 - season]\n"
        "    return float(np.mean(np.abs(series[t] - forecast)))"
    ),
)


# --- 5. Windowing (transfer: several steps ahead) -----------------------------------------


def _make_pairs(series, window, horizon=1):
    series = np.asarray(series, dtype=np.float64)
    n = len(series) - window - horizon + 1
    if n < 1:
        return np.zeros((0, window)), np.zeros((0, horizon))
    x = np.stack([series[s : s + window] for s in range(n)])
    y = np.stack([series[s + window : s + window + horizon] for s in range(n)])
    return x, y


def _random_pairs(rng: np.random.Generator):
    n = int(rng.integers(6, 40))
    window = int(rng.integers(1, n // 2 + 1))
    horizon = int(rng.integers(1, n - window + 1))
    return (rng.normal(size=n), window, horizon), {}


make_pairs = FunctionExercise(
    lesson=LESSON,
    name="make_pairs",
    reference=_make_pairs,
    cases=[
        ((np.arange(10.0), 3), {}),  # the lesson's toy: (0, 1, 2) -> 3 ... (6, 7, 8) -> 9
        ((np.arange(10.0), 3, 2), {}),  # two steps ahead: (0, 1, 2) -> (3, 4)
        ((np.array([5.0, 1.0, 4.0, 2.0]), 1, 3), {}),  # one window only
        ((np.array([2.0, 7.0, 1.0, 8.0, 2.0, 8.0]), 2, 1), {}),
        ((np.arange(5.0), 4, 2), {}),  # too short for even one pair: empty arrays
    ],
    random_cases=_random_pairs,
    hints=[
        "A pair starts at position s: its input is the window values from position s on, and its "
        "target the horizon values that come right after them.",
        "The last usable start leaves room after it for the whole window and then the whole "
        "target, all inside the series. Count the starts that allow this (the count can be 0 or "
        "less). Check: 10 values, window 3 and horizon 2 give 6 pairs.",
        "Collect the inputs and the targets over every start and stack each into a 2-D array: x "
        "of shape (n, window), y of shape (n, horizon) - y is 2-D even when horizon is 1. With no "
        "pair at all, return two empty arrays with 0 rows and those same numbers of columns.",
    ],
    solution=(
        "def make_pairs(series, window, horizon=1):\n"
        "    series = np.asarray(series, dtype=float)\n"
        "    n = len(series) - window - horizon + 1\n"
        "    if n < 1:\n"
        "        return np.zeros((0, window)), np.zeros((0, horizon))\n"
        "    x = np.stack([series[s : s + window] for s in range(n)])\n"
        "    y = np.stack([series[s + window : s + window + horizon] for s in range(n)])\n"
        "    return x, y"
    ),
)


# --- 6. Masking (transfer: what a mask does inside the recurrence) -------------------------


def _masked_last_state(xs, lengths, W, U, b):
    h = np.zeros((xs.shape[0], U.shape[0]))
    for t in range(xs.shape[1]):
        new = np.tanh(xs[:, t] @ W + h @ U + b)
        real = (t < np.asarray(lengths))[:, None]
        h = np.where(real, new, h)  # a padded step carries the state unchanged
    return h


def _masked_case(rng: np.random.Generator, lengths: list[int], steps: int, d: int, units: int):
    xs = rng.normal(size=(len(lengths), steps, d))
    for row, length in enumerate(lengths):
        xs[row, length:] = 0.0  # zero padding at the end
    W = rng.normal(scale=0.6, size=(d, units))
    U = rng.normal(scale=0.6, size=(units, units))
    b = rng.normal(scale=0.6, size=(units,))
    return (xs, np.array(lengths), W, U, b), {}


def _random_masked(rng: np.random.Generator):
    batch, steps = int(rng.integers(1, 5)), int(rng.integers(1, 8))
    lengths = [int(v) for v in rng.integers(1, steps + 1, size=batch)]
    return _masked_case(rng, lengths, steps, int(rng.integers(1, 4)), int(rng.integers(1, 5)))


masked_last_state = FunctionExercise(
    lesson=LESSON,
    name="masked_last_state",
    reference=_masked_last_state,
    cases=[
        _masked_case(np.random.default_rng(11), [2, 4], 4, 1, 2),  # the first row is padded
        _masked_case(np.random.default_rng(12), [3, 3], 3, 2, 3),  # no padding at all
        _masked_case(np.random.default_rng(13), [1, 5, 2], 5, 2, 2),
    ],
    random_cases=_random_masked,
    hints=[
        "Start from h = 0 of shape (batch, units) and loop over every step t, as in rnn_forward. "
        "Sequence i is real at step t only while t < lengths[i].",
        "At a padded step the state must not change: compute the new state for the whole batch, "
        "then keep it only in the rows that are real and keep the old state in the others. "
        "np.where chooses between the two; give the (batch,) mask a second axis so that it lines "
        "up with (batch, units).",
        "Return the state after the loop: for each row it is the state after its last real "
        "step, which is what SimpleRNN returns after a Masking layer.",
    ],
    solution=(
        "def masked_last_state(xs, lengths, W, U, b):\n"
        "    h = np.zeros((xs.shape[0], U.shape[0]))\n"
        "    for t in range(xs.shape[1]):\n"
        "        new = np.tanh(xs[:, t] @ W + h @ U + b)\n"
        "        real = (t < np.asarray(lengths))[:, None]\n"
        "        h = np.where(real, new, h)\n"
        "    return h"
    ),
)


# --- 7. Clipping by the global norm ---------------------------------------------------------


def _global_clip(grads, max_norm):
    grads = [np.asarray(g, dtype=float) for g in grads]
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads)))
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return [g * scale for g in grads]


def _random_grads(rng: np.random.Generator):
    shapes = [(int(rng.integers(1, 4)), int(rng.integers(1, 4))) for _ in range(3)]
    size = float(rng.choice([0.01, 1.0, 100.0]))
    grads = [rng.normal(0, size, size=shape) for shape in shapes]
    return (grads, float(rng.choice([0.5, 1.0, 5.0]))), {}


global_clip = FunctionExercise(
    lesson=LESSON,
    name="global_clip",
    reference=_global_clip,
    cases=[
        (([np.array([3.0]), np.array([4.0])], 1.0), {}),  # norm 5: every tensor shrinks 5x
        (([np.array([3.0]), np.array([4.0])], 10.0), {}),  # within the limit: unchanged
        (([np.array([[6.0, 0.0]]), np.array([0.0, 0.0, 8.0])], 5.0), {}),  # shapes differ
        (([np.zeros(3), np.zeros((2, 2))], 1.0), {}),  # a zero gradient stays zero
    ],
    random_cases=_random_grads,
    n_random=10,
    atol=1e-9,
    rtol=1e-7,
    hints=[
        "One norm for all the tensors together: the square root of the sum of the squares of "
        "every entry of every tensor. clipnorm, by contrast, takes each tensor's norm alone.",
        "If that global norm is above max_norm, every tensor is multiplied by the same factor, "
        "max_norm / global norm, so the direction of the whole update is kept; otherwise "
        "nothing changes.",
        "Guard the all-zero case (norm 0), and return a list of arrays with the shapes you "
        "were given, in the same order.",
    ],
    solution=(
        "def global_clip(grads, max_norm):\n"
        "    norm = np.sqrt(sum(np.sum(np.square(g)) for g in grads))\n"
        "    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0\n"
        "    return [np.asarray(g) * scale for g in grads]"
    ),
)

#: The exercises of this lesson, in the order it sets them (read by the progress dashboard).
EXERCISES = (
    rnn_step,
    backward_states,
    simple_rnn_param_count,
    seasonal_drift_mae,
    make_pairs,
    masked_last_state,
    global_clip,
)
