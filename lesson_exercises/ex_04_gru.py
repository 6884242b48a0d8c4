"""Lesson 04's checked exercises: one GRU step, sampling with a temperature, parameter counts,
the full Jacobian of a step (transfer), and converting weights between z conventions (transfer)."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import FunctionExercise

LESSON = "04_gru"


# --- 1. One GRU step (Keras layout, reset_after=True) ----------------------------------------


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _gru_step(x, h, W, U, b):
    x_z, x_r, x_h = np.split(x @ W + b[0], 3, axis=-1)  # Keras order: update, reset, candidate
    h_z, h_r, h_h = np.split(h @ U + b[1], 3, axis=-1)
    z = _sigmoid(x_z + h_z)
    r = _sigmoid(x_r + h_r)
    candidate = np.tanh(x_h + r * h_h)  # reset_after=True: the reset gate scales U_h h + b_h
    return z * h + (1.0 - z) * candidate


def _step_case(rng: np.random.Generator, n: int, d: int, units: int, scale: float = 0.7):
    x = rng.normal(size=(n, d))
    h = np.tanh(rng.normal(size=(n, units)))
    W = rng.normal(scale=scale, size=(d, 3 * units))
    U = rng.normal(scale=scale, size=(units, 3 * units))
    b = rng.normal(scale=scale, size=(2, 3 * units))
    return (x, h, W, U, b), {}


def _gate_case(update_bias: float):
    """Every weight zero; the update gate is forced open (+30: keep h) or shut (-30: take the
    candidate). With zero weights the candidate is tanh(b_x + r * b_h)."""
    units, d = 3, 2
    b = np.zeros((2, 3 * units))
    b[0, :units] = update_bias
    b[0, 2 * units :] = [0.5, -1.0, 2.0]  # input-side candidate bias
    b[1, 2 * units :] = [1.0, 1.0, -1.0]  # recurrent-side candidate bias (scaled by r = 0.5)
    x = np.ones((1, d))
    h = np.array([[0.3, -0.6, 0.9]])
    return (x, h, np.zeros((d, 3 * units)), np.zeros((units, 3 * units)), b), {}


def _random_step(rng: np.random.Generator):
    n, d, units = (int(v) for v in rng.integers(1, 6, size=3))
    return _step_case(rng, n, d, units)


gru_step = FunctionExercise(
    lesson=LESSON,
    name="gru_step",
    reference=_gru_step,
    cases=[
        _gate_case(30.0),  # update gate ~1: the state must pass through unchanged
        _gate_case(-30.0),  # update gate ~0: the state becomes the candidate
        _step_case(np.random.default_rng(1), 1, 1, 1),
        _step_case(np.random.default_rng(2), 4, 3, 2),
    ],
    random_cases=_random_step,
    hints=[
        "Compute the input side and the recurrent side separately, each with its own bias row "
        "(b[0] on the input side, b[1] on the recurrent side): both have 3*units columns. Cut "
        "each into three equal blocks along the last axis, in Keras' order: update z, reset r, "
        "candidate.",
        "z and r are sigmoids of the sums of their two sides. With reset_after=True the "
        "candidate is tanh(x_h + r * h_h): the reset gate multiplies the recurrent side AFTER "
        "the matrix product (bias included).",
        "Keras keeps the OLD state where z is 1 and takes the candidate where z is 0; in between "
        "it mixes the two, with weight z on the old state and 1 - z on the candidate. Some papers "
        "write it the other way round; the first check case tells you which you used.",
    ],
    solution=(
        "def gru_step(x, h, W, U, b):\n"
        "    sigmoid = lambda v: 1 / (1 + np.exp(-v))\n"
        "    x_z, x_r, x_h = np.split(x @ W + b[0], 3, axis=-1)\n"
        "    h_z, h_r, h_h = np.split(h @ U + b[1], 3, axis=-1)\n"
        "    z = sigmoid(x_z + h_z)\n"
        "    r = sigmoid(x_r + h_r)\n"
        "    candidate = np.tanh(x_h + r * h_h)\n"
        "    return z * h + (1 - z) * candidate"
    ),
)


# --- 2. Top-k sampling with a temperature (transfer) ----------------------------------------

#: How many draws each check case asks for: enough that a frequency is known to about +-1%.
SAMPLE_SIZE = 20_000
#: Largest allowed total-variation distance between your frequencies and the reference's.
TV_TOLERANCE = 0.04


def _temperature_probs(logits: np.ndarray, temperature: float) -> np.ndarray:
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    scaled -= scaled.max()
    p = np.exp(scaled)
    return p / p.sum()


def _sample_top_k(logits, k, temperature, size, rng):
    logits = np.asarray(logits, dtype=np.float64)
    keep = np.argsort(logits)[len(logits) - k :]  # ids of the k largest logits
    return keep[rng.choice(k, size=size, p=_temperature_probs(logits[keep], temperature))]


def _compare_samples(expected: np.ndarray, got) -> str | None:
    if not hasattr(got, "__array__") or isinstance(got, (list, tuple)):
        return f"return a NumPy array of ids, got a {type(got).__name__}"
    got = np.asarray(got)
    if got.shape != expected.shape:
        return f"wrong shape: expected {expected.shape} (one id per draw), got {got.shape}"
    if got.dtype.kind not in "iu":
        return f"the ids must be integers, got dtype {got.dtype}"
    if got.size and got.min() < 0:
        return f"ids must be 0 or more (they index the logits), got {got.min()}"
    k = int(max(expected.max(), got.max() if got.size else 0)) + 1
    want = np.bincount(expected, minlength=k) / expected.size
    have = np.bincount(got, minlength=k) / got.size
    tv = 0.5 * np.abs(want - have).sum()
    if tv <= TV_TOLERANCE:
        return None
    worst = int(np.argmax(np.abs(want - have)))
    return (
        f"your draws do not follow the top-k softmax(logits / temperature): id {worst} came up "
        f"in {100 * have[worst]:.1f}% of them, expected about {100 * want[worst]:.1f}% "
        f"(total-variation distance {tv:.3f} > {TV_TOLERANCE})"
    )


def _sample_case(logits, k, temperature, seed=0):
    rng = np.random.default_rng(seed)
    return (np.array(logits, dtype=np.float64), int(k), float(temperature), SAMPLE_SIZE, rng), {}


def _random_sample_case(rng: np.random.Generator):
    n = int(rng.integers(2, 8))
    logits = rng.normal(scale=2.0, size=n)  # distinct with probability 1: no ties at the cut
    temperature = float(rng.choice([0.3, 0.5, 0.8, 1.0, 1.5, 3.0]))
    k = int(rng.integers(1, n + 1))
    return _sample_case(logits, k, temperature, seed=int(rng.integers(1000)))


sample_top_k = FunctionExercise(
    lesson=LESSON,
    name="sample_top_k",
    reference=_sample_top_k,
    cases=[
        _sample_case([2.0, 1.0, 0.0], 3, 1.0),  # k = all: plain sampling at temperature 1
        _sample_case([2.0, 1.0, 0.0, -1.0], 2, 1.0),  # only ids 0 and 1 may come up
        _sample_case([0.5, 3.0, 1.0, 2.0], 2, 0.5),  # the top 2 are not the first ids
        _sample_case([3.0, 1.0, 2.0, 0.0, -1.0], 1, 2.0),  # k = 1: greedy at any temperature
        _sample_case([-1.0, 1000.0, 999.0, 0.0], 2, 0.5),  # big logits: exp overflows without care
    ],
    random_cases=_random_sample_case,
    compare=_compare_samples,
    hints=[
        "Only the k largest logits may ever be drawn. Find their ids first (np.argsort sorts "
        "from smallest to largest), then forget the others.",
        "Apply the temperature softmax to those k logits only (subtract their largest value "
        "before np.exp), draw positions 0..k-1 with rng.choice, and map each position back "
        "to the id it stands for.",
        "Predict the two ends before you check: with k = 1 every draw is the favourite, at any "
        "temperature; with k = len(logits) it is section 7's plain temperature sampling. If ids "
        "come back that are not among the top k, the positions were not mapped back to ids.",
    ],
    solution=(
        "def sample_top_k(logits, k, temperature, size, rng):\n"
        "    logits = np.asarray(logits, dtype=np.float64)\n"
        "    keep = np.argsort(logits)[len(logits) - k :]\n"
        "    scaled = logits[keep] / temperature\n"
        "    p = np.exp(scaled - scaled.max())\n"
        "    return keep[rng.choice(k, size=size, p=p / p.sum())]"
    ),
)


# --- 3. Parameter counts ---------------------------------------------------------------------


def _gru_param_count(units: int, d: int, reset_after: bool = True) -> int:
    biases = 2 if reset_after else 1
    return 3 * (units * (d + units) + biases * units)


def _random_count(rng: np.random.Generator):
    return (int(rng.integers(1, 513)), int(rng.integers(1, 300))), {
        "reset_after": bool(rng.integers(2))
    }


gru_param_count = FunctionExercise(
    lesson=LESSON,
    name="gru_param_count",
    reference=_gru_param_count,
    cases=[
        ((1, 1), {}),
        ((1, 1), {"reset_after": False}),
        ((32, 2), {}),
        ((32, 2), {"reset_after": False}),
        ((100, 1), {}),
        ((64, 64), {"reset_after": True}),
    ],
    random_cases=_random_count,
    hints=[
        "A GRU has three blocks (update gate, reset gate, candidate). Each has an input "
        "kernel (d x units), a recurrent kernel (units x units) and a bias (units).",
        "With reset_after=True (the Keras default) each block has TWO bias vectors of `units` "
        "numbers, one on the input side and one on the recurrent side; with reset_after=False "
        "it has one. Add kernels and biases per block, then count the blocks.",
    ],
    solution=(
        "def gru_param_count(units, d, reset_after=True):\n"
        "    biases = 2 if reset_after else 1\n"
        "    return 3 * (units * (d + units) + biases * units)"
    ),
)


# --- 4. The full Jacobian of one step (transfer) ----------------------------------------------


def _gru_jacobian(x, h, W, U, b):
    x, h = np.asarray(x, dtype=np.float64), np.asarray(h, dtype=np.float64)
    n = h.shape[-1]
    x_z, x_r, x_h = np.split(x @ W + b[0], 3, axis=-1)
    h_z, h_r, h_h = np.split(h @ U + b[1], 3, axis=-1)
    z, r = _sigmoid(x_z + h_z), _sigmoid(x_r + h_r)
    c = np.tanh(x_h + r * h_h)
    U_z, U_r, U_h = U[:, :n], U[:, n : 2 * n], U[:, 2 * n :]
    dz = (z * (1 - z))[:, None] * U_z.T  # dz_i / dh_j
    dr = (r * (1 - r))[:, None] * U_r.T
    dc = (1 - c**2)[:, None] * (dr * h_h[:, None] + r[:, None] * U_h.T)
    return np.diag(z) + (h - c)[:, None] * dz + (1 - z)[:, None] * dc


def _jacobian_case(rng: np.random.Generator, d: int, units: int, scale: float = 0.8):
    (x, h, W, U, b), _ = _step_case(rng, 1, d, units, scale)
    return (x[0], h[0], W, U, b), {}


def _holding_case():
    """Update gate pinned near 1 (bias +30): the Jacobian is then almost the identity."""
    (x, h, W, U, b), _ = _jacobian_case(np.random.default_rng(11), 2, 3)
    b = b.copy()
    b[0, :3] = 30.0
    return (x, h, W, U, b), {}


gru_jacobian = FunctionExercise(
    lesson=LESSON,
    name="gru_jacobian",
    reference=_gru_jacobian,
    cases=[
        _holding_case(),  # z ~ 1: J ~ identity
        _jacobian_case(np.random.default_rng(12), 1, 1),
        _jacobian_case(np.random.default_rng(13), 3, 2),
        _jacobian_case(np.random.default_rng(14), 2, 4, scale=1.5),
    ],
    random_cases=lambda rng: _jacobian_case(rng, int(rng.integers(1, 5)), int(rng.integers(1, 6))),
    hints=[
        "h_new = z * h + (1 - z) * c, and z, r and the candidate c all depend on h. By the "
        "product rule: J = diag(z) + diag(h - c) dz/dh + diag(1 - z) dc/dh, with "
        "J[i, j] = d h_new[i] / d h[j].",
        "For one example (x of shape (d,), h of shape (n,)): with a_z = x W_z + h U_z + biases, "
        "dz[i]/dh[j] = z[i] (1 - z[i]) U_z[j, i], where U_z is the first n columns of U. Mind the "
        "transpose: row i of this matrix belongs to z[i]. The reset gate is the same with the "
        "next n columns of U.",
        "With reset_after=True, c = tanh(x_h + r * h_h) where h_h = h U_h + b[1, 2n:]. Use the "
        "chain rule through tanh (its derivative is 1 - tanh^2, row by row) and the product rule "
        "for r * h_h, since both r and h_h depend on h. Check yourself with finite differences: "
        "(step(h + eps e_j) - step(h - eps e_j)) / (2 eps) is column j of J.",
    ],
    solution=(
        "def gru_jacobian(x, h, W, U, b):\n"
        "    sigmoid = lambda v: 1 / (1 + np.exp(-v))\n"
        "    n = h.shape[-1]\n"
        "    x_z, x_r, x_h = np.split(x @ W + b[0], 3, axis=-1)\n"
        "    h_z, h_r, h_h = np.split(h @ U + b[1], 3, axis=-1)\n"
        "    z, r = sigmoid(x_z + h_z), sigmoid(x_r + h_r)\n"
        "    c = np.tanh(x_h + r * h_h)\n"
        "    U_z, U_r, U_h = U[:, :n], U[:, n : 2 * n], U[:, 2 * n :]\n"
        "    dz = (z * (1 - z))[:, None] * U_z.T\n"
        "    dr = (r * (1 - r))[:, None] * U_r.T\n"
        "    dc = (1 - c**2)[:, None] * (dr * h_h[:, None] + r[:, None] * U_h.T)\n"
        "    return np.diag(z) + (h - c)[:, None] * dz + (1 - z)[:, None] * dc"
    ),
)


# --- 5. Weights from Keras' convention to Chung et al.'s (transfer) ---------------------------


def chung_step(x, h, W, U, b):
    """One reset_after=True GRU step in Chung et al.'s convention: (1 - z) * h + z * c."""
    x_z, x_r, x_h = np.split(x @ W + b[0], 3, axis=-1)
    h_z, h_r, h_h = np.split(h @ U + b[1], 3, axis=-1)
    z, r = _sigmoid(x_z + h_z), _sigmoid(x_r + h_r)
    return (1 - z) * h + z * np.tanh(x_h + r * h_h)


def _keras_to_chung(W, U, b):
    n = U.shape[0]
    W, U, b = (np.array(a, dtype=np.float64) for a in (W, U, b))
    W[:, :n], U[:, :n], b[:, :n] = -W[:, :n], -U[:, :n], -b[:, :n]  # sigma(-a) = 1 - sigma(a)
    return W, U, b


def _compare_chung(expected, got) -> str | None:
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return "return the three arrays (W, U, b), in that order"
    W_e, U_e, b_e = expected
    try:
        W_g, U_g, b_g = (np.asarray(a, dtype=np.float64) for a in got)
    except (TypeError, ValueError):
        return "W, U and b must be NumPy arrays"
    for name, e, g in [("W", W_e, W_g), ("U", U_e, U_g), ("b", b_e, b_g)]:
        if e.shape != g.shape:
            return f"{name} has the wrong shape: expected {e.shape}, got {g.shape}"
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6, W_e.shape[0]))
    h = np.tanh(rng.normal(size=(6, U_e.shape[0])))
    want, have = chung_step(x, h, W_e, U_e, b_e), chung_step(x, h, W_g, U_g, b_g)
    worst = float(np.abs(want - have).max())
    if worst <= 1e-6:
        return None
    return (
        "chung_step with your weights does not compute what the Keras step computes with the "
        f"original ones (largest difference of the new states {worst:.3g})"
    )


def _chung_case(rng: np.random.Generator, d: int, units: int):
    (_, _, W, U, b), _ = _step_case(rng, 1, d, units)
    return (W, U, b), {}


keras_to_chung = FunctionExercise(
    lesson=LESSON,
    name="keras_to_chung",
    reference=_keras_to_chung,
    cases=[
        _chung_case(np.random.default_rng(21), 1, 1),
        _chung_case(np.random.default_rng(22), 3, 2),
        _chung_case(np.random.default_rng(23), 2, 5),
    ],
    random_cases=lambda rng: _chung_case(rng, int(rng.integers(1, 5)), int(rng.integers(1, 6))),
    compare=_compare_chung,
    hints=[
        "Chung et al.'s gate z' plays the role of Keras' 1 - z. You need weights that make "
        "z' = 1 - z for every input; the reset gate and the candidate do not change.",
        "The logistic sigmoid is odd around 1/2: sigma(-a) = 1 - sigma(a). So flip the sign "
        "of everything that goes into the update gate's pre-activation a_z.",
        "The update block is the first n columns of W, of U and of BOTH bias rows (n, the number "
        "of units, is the side of the square matrix U). What happens to a_z, and so to z, when "
        "every weight and bias feeding it changes sign? Work on copies of the arrays.",
    ],
    solution=(
        "def keras_to_chung(W, U, b):\n"
        "    n = U.shape[0]\n"
        "    W, U, b = (np.array(a, dtype=float) for a in (W, U, b))\n"
        "    W[:, :n], U[:, :n], b[:, :n] = -W[:, :n], -U[:, :n], -b[:, :n]\n"
        "    return W, U, b"
    ),
)

#: The exercises of this lesson, in the order it sets them (read by the progress dashboard).
EXERCISES = (
    gru_step,
    sample_top_k,
    gru_param_count,
    gru_jacobian,
    keras_to_chung,
)
