"""Lesson 06's checked exercises: four transfer exercises (the hinge loss of the
discriminator, its loss from logits with one-sided label smoothing, scoring a generator on
the 5 x 5 grid of Gaussians by modes captured, share of high-quality samples and balance, a
zero-centred gradient penalty between real and fake samples as a train_step computes it with
a GradientTape) and one warm-up (counting the modes a generator covers)."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import FunctionExercise

LESSON = "06_gans"


# --- 1. the hinge loss of the discriminator (transfer) -----------------------------------------


def _hinge_d_loss(real_logits, fake_logits):
    real_logits = np.asarray(real_logits, dtype=np.float64)
    fake_logits = np.asarray(fake_logits, dtype=np.float64)
    real_term = np.mean(np.maximum(0.0, 1.0 - real_logits))
    fake_term = np.mean(np.maximum(0.0, 1.0 + fake_logits))
    return float(real_term + fake_term)


def _random_logit_case(rng: np.random.Generator):
    n_real, n_fake = int(rng.integers(1, 40)), int(rng.integers(1, 40))
    return (rng.normal(0, 3, size=n_real), rng.normal(0, 3, size=n_fake)), {}


hinge_d_loss = FunctionExercise(
    lesson=LESSON,
    name="hinge_d_loss",
    reference=_hinge_d_loss,
    cases=[
        ((np.array([0.0]), np.array([0.0])), {}),  # an undecided discriminator: 1 + 1 = 2
        ((np.array([3.0, 3.0]), np.array([-3.0, -3.0])), {}),  # past both margins: 0
        ((np.array([0.5, 2.0]), np.array([-0.5])), {}),  # 0.25 + 0.5
        ((np.array([-1.0, 1.0, 3.0]), np.array([2.0, -4.0])), {}),  # fooled by one fake
        ((np.array([0.2, 0.4, 0.6, 0.8]), np.array([0.1, -0.3, -2.0])), {}),  # unequal sizes
    ],
    random_cases=_random_logit_case,
    hints=[
        "Two terms, one per batch. A real sample costs nothing once its logit is at least 1; "
        "below that it costs the shortfall 1 - a. A fake costs nothing once its logit is at "
        "most -1; above that it costs 1 + a.",
        "'Costs nothing past the margin' is a maximum with 0, taken sample by sample. Average "
        "each batch separately (the batches can differ in size), then add the two averages.",
        "Predictions: logit 0 everywhere pays 1 + 1 = 2; real logits 3 and fake logits -3 pay "
        "0, because both are past their margin.",
    ],
    solution=(
        "def hinge_d_loss(real_logits, fake_logits):\n"
        "    real_term = np.mean(np.maximum(0.0, 1.0 - real_logits))  # real: logit >= 1 is free\n"
        "    fake_term = np.mean(np.maximum(0.0, 1.0 + fake_logits))  # fake: logit <= -1 is free\n"
        "    return float(real_term + fake_term)"
    ),
)


# --- 2. one-sided label smoothing, from logits (transfer) ---------------------------------------


def _bce_from_logits(logits: np.ndarray, target: float) -> np.ndarray:
    """-t log sigmoid(a) - (1 - t) log(1 - sigmoid(a)), computed without forming sigmoid(a)."""
    return np.maximum(logits, 0.0) - logits * target + np.log1p(np.exp(-np.abs(logits)))


def _smoothed_d_loss(real_logits, fake_logits, smooth=0.9):
    real_logits = np.asarray(real_logits, dtype=np.float64)
    fake_logits = np.asarray(fake_logits, dtype=np.float64)
    real_term = np.mean(_bce_from_logits(real_logits, float(smooth)))
    fake_term = np.mean(_bce_from_logits(fake_logits, 0.0))
    return float(real_term + fake_term)


def _random_smoothing_case(rng: np.random.Generator):
    (real, fake), _ = _random_logit_case(rng)
    return (real, fake), {"smooth": float(rng.choice([0.8, 0.9, 0.95, 1.0]))}


smoothed_d_loss = FunctionExercise(
    lesson=LESSON,
    name="smoothed_d_loss",
    reference=_smoothed_d_loss,
    cases=[
        ((np.array([0.0]), np.array([0.0])), {"smooth": 1.0}),  # the lesson's L_D: 2 ln 2
        ((np.array([0.0]), np.array([0.0])), {}),  # logit 0 is probability 1/2: still 2 ln 2
        ((np.array([2.0, 1.0]), np.array([-1.0, -3.0])), {}),  # smoothing: real term grows
        ((np.array([2.0, 1.0]), np.array([-1.0, -3.0])), {"smooth": 1.0}),
        ((np.array([200.0]), np.array([-200.0])), {}),  # very confident: 0.1 * 200 on real
        ((np.array([-200.0, 5.0]), np.array([200.0])), {"smooth": 1.0}),  # very wrong: ~300
        ((np.array([0.5, -0.5, 3.0]), np.array([0.7])), {"smooth": 0.8}),
    ],
    random_cases=_random_smoothing_case,
    atol=1e-6,
    hints=[
        "Binary cross-entropy with a target t in [0, 1] is -t log p - (1 - t) log(1 - p) "
        "with p = sigmoid(a). Real samples use t = smooth, fakes t = 0. Average each batch, "
        "then add the two averages.",
        "Write both logs in terms of the logit: log sigmoid(a) = -log(1 + e^-a) and "
        "log(1 - sigmoid(a)) = -log(1 + e^a). Then the loss for one sample is "
        "log(1 + e^a) - t a.",
        "log(1 + e^a) overflows for a = 200 and loses everything to rounding for a = -200. "
        "Split off the large part: log(1 + e^a) = max(a, 0) + log(1 + e^-|a|), and the second "
        "piece is what np.log1p is for.",
    ],
    solution=(
        "def smoothed_d_loss(real_logits, fake_logits, smooth=0.9):\n"
        "    def bce(a, t):  # -t log sigmoid(a) - (1 - t) log(1 - sigmoid(a)), stably\n"
        "        return np.maximum(a, 0) - a * t + np.log1p(np.exp(-np.abs(a)))\n"
        "\n"
        "    real_term = np.mean(bce(np.asarray(real_logits, float), smooth))\n"
        "    fake_term = np.mean(bce(np.asarray(fake_logits, float), 0.0))\n"
        "    return float(real_term + fake_term)"
    ),
)


# --- 3. counting covered modes (warm-up) -------------------------------------------------------


def _count_covered_modes(samples, centres, radius, min_share=0.01):
    samples = np.asarray(samples, dtype=np.float64).reshape(-1, 2)
    centres = np.asarray(centres, dtype=np.float64).reshape(-1, 2)
    if len(samples) == 0:
        return 0
    distances = np.linalg.norm(samples[:, None, :] - centres[None, :, :], axis=-1)
    shares = (distances <= radius).mean(axis=0)
    return int((shares >= min_share).sum())


def _ring(modes: int, radius: float = 2.0):
    angles = 2 * np.pi * np.arange(modes) / modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def _around(centres, counts, std, rng):
    parts = [c + rng.normal(0, std, size=(k, 2)) for c, k in zip(centres, counts, strict=True)]
    return np.concatenate(parts) if parts else np.zeros((0, 2))


def _random_modes_case(rng: np.random.Generator):
    modes = int(rng.integers(3, 10))
    centres = _ring(modes)
    counts = rng.integers(0, 40, size=modes) * (rng.random(modes) < 0.7)
    samples = _around(centres, counts, 0.03, rng)
    stray = rng.uniform(-3, 3, size=(int(rng.integers(0, 30)), 2))  # between the modes
    samples = np.concatenate([samples, stray]) if len(samples) else stray
    return (samples, centres, 0.1), {"min_share": float(rng.choice([0.01, 0.05, 0.1]))}


_rng = np.random.default_rng(6)
_eight = _ring(8)
count_covered_modes = FunctionExercise(
    lesson=LESSON,
    name="count_covered_modes",
    reference=_count_covered_modes,
    cases=[
        ((_around(_eight, [50] * 8, 0.02, _rng), _eight, 0.1), {}),  # every mode: 8
        ((_around(_eight, [400, 0, 0, 0, 0, 0, 0, 0], 0.02, _rng), _eight, 0.1), {}),  # collapse
        ((np.zeros((100, 2)), _eight, 0.1), {}),  # all samples at the centre of the ring: 0
        # three modes, one of them holding only 2 of 300 samples (0.7% < 1%): it does not count
        ((_around(_eight, [149, 149, 2, 0, 0, 0, 0, 0], 0.02, _rng), _eight, 0.1), {}),
        ((np.array([[2.0, 0.1], [2.0, -0.1]]), _eight, 0.1), {}),  # exactly on the edge: inside
        ((np.zeros((0, 2)), _eight, 0.1), {}),  # no samples: 0
        ((_around(_eight, [30] * 8, 0.02, _rng), _eight, 0.1), {"min_share": 0.2}),
    ],
    random_cases=_random_modes_case,
    hints=[
        "Compute the distance from every sample to every centre: an (n_samples, n_modes) array. "
        "Broadcasting does it without a loop: give the samples a new axis for the modes and the "
        "centres a new axis for the samples, subtract, and take the length of each difference "
        "over the last axis (np.linalg.norm takes an axis).",
        "A mode is covered when the share of ALL samples within `radius` of its centre "
        "(distance <= radius) is at least `min_share`. Averaging a boolean column over the "
        "samples gives that share directly.",
        "Return an int, and 0 when there are no samples at all (a mean over nothing is NaN).",
    ],
    solution=(
        "def count_covered_modes(samples, centres, radius, min_share=0.01):\n"
        "    samples = np.asarray(samples, dtype=float).reshape(-1, 2)\n"
        "    if len(samples) == 0:\n"
        "        return 0\n"
        "    d = np.linalg.norm(samples[:, None, :] - centres[None, :, :], axis=-1)\n"
        "    shares = (d <= radius).mean(axis=0)  # one share per mode\n"
        "    return int((shares >= min_share).sum())"
    ),
)


# --- 4. scoring a generator on the 5 x 5 grid (transfer) ---------------------------------------


def _grid_centres(spacing: float, size: int) -> np.ndarray:
    """The size * size centres, spacing apart, centred on the origin (row by row)."""
    offsets = spacing * (np.arange(size) - (size - 1) / 2)
    return np.stack(np.meshgrid(offsets, offsets, indexing="ij"), axis=-1).reshape(-1, 2)


def _grid_report(samples, std=0.05, spacing=2.0, size=5, min_count=20):
    samples = np.asarray(samples, dtype=np.float64).reshape(-1, 2)
    if len(samples) == 0:
        return 0, float("nan"), float("nan")
    centres = _grid_centres(spacing, size)
    distances = np.linalg.norm(samples[:, None, :] - centres[None, :, :], axis=-1)
    good = distances.min(axis=1) <= 3 * std  # within 3 standard deviations: high quality
    counts = np.bincount(distances.argmin(axis=1)[good], minlength=len(centres))
    captured = int((counts >= min_count).sum())
    share = float(good.mean())
    if counts.sum() == 0:
        return captured, share, float("nan")
    q = counts / counts.sum()
    q = q[q > 0]
    return captured, share, float((q * np.log(len(centres) * q)).sum())


def _uniform_square(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-5, 5, size=(n, 2))


def _random_grid_case(rng: np.random.Generator):
    size = int(rng.integers(2, 6))
    spacing, std = float(rng.choice([1.0, 2.0])), float(rng.choice([0.02, 0.05, 0.1]))
    centres = _grid_centres(spacing, size)
    counts = rng.integers(0, 40, size=len(centres)) * (rng.random(len(centres)) < 0.6)
    samples = _around(centres, counts, std, rng)  # about 1 % of them land beyond 3 std
    half = spacing * size / 2
    stray = rng.uniform(-half, half, size=(int(rng.integers(0, 200)), 2))
    samples = np.concatenate([samples, stray])
    kwargs = {"std": std, "spacing": spacing, "size": size}
    return (samples,), {**kwargs, "min_count": int(rng.choice([1, 10, 20]))}


_grid = _grid_centres(2.0, 5)
_rng = np.random.default_rng(7)
grid_report = FunctionExercise(
    lesson=LESSON,
    name="grid_report",
    reference=_grid_report,
    cases=[
        ((_around(_grid, [100] * 25, 0.05, _rng),), {}),  # data-like: 25 modes, share ~0.99
        ((np.repeat(_grid[:12], 100, axis=0),), {}),  # exactly on 12 centres: 12, 1, ln(25/12)
        ((_uniform_square(2500, 1),), {}),  # spread over the square: ~1.8 % good, 0 captured
        ((_uniform_square(100_000, 2),), {}),  # the same, 40 times more samples: 25 captured
        ((np.repeat(_grid[[12]], 500, axis=0),), {}),  # all on the centre: 1, 1, ln 25
        ((np.zeros((0, 2)),), {}),  # no samples: 0, nan, nan
        # 20 samples exactly 3 std (0.75) from (2, 0), 20 more midway between two centres
        ((np.array([[2.75, 0.0]] * 10 + [[2.0, -0.75]] * 10 + [[1.0, 0.0]] * 20),), {"std": 0.25}),
        ((np.array([[3.0, 0.0], [1.0, 1.0], [5.0, 5.0]]),), {}),  # none good: 0, 0, nan
        ((np.repeat(_grid[[0, 24]], [20, 19], axis=0),), {}),  # 19 samples are not 20
        ((np.repeat(_grid_centres(1.0, 3), 4, axis=0),), {"spacing": 1.0, "size": 3}),
    ],
    random_cases=_random_grid_case,
    hints=[
        "Build the size x size centres first (for the default grid, every pair of values in "
        "-4, -2, 0, 2, 4; spacing apart and centred on 0 in general). Then, as in exercise 3, "
        "the distance from every sample to every centre; for each sample keep the smallest "
        "one and which centre it belongs to (np.argmin).",
        "A sample is high quality when that smallest distance is at most 3 * std (3 standard "
        "deviations, not 3 units). The share is over ALL samples. Count the high-quality "
        "samples on each centre (np.bincount with minlength, so that empty centres stay in); a "
        "centre is captured when its count is at least min_count.",
        "The KL runs over all size**2 centres, with q the histogram of the high-quality samples "
        "only, divided by their number, against 1 / size**2; empty centres add 0. Predictions: "
        "exactly on 12 centres gives (12, 1.0, ln(25/12) = 0.734); no samples gives "
        "(0, nan, nan); samples but none of high quality gives a share of 0 and a KL of nan.",
    ],
    solution=(
        "def grid_report(samples, std=0.05, spacing=2.0, size=5, min_count=20):\n"
        "    samples = np.asarray(samples, dtype=float).reshape(-1, 2)\n"
        "    if len(samples) == 0:\n"
        "        return 0, float('nan'), float('nan')\n"
        "    axis = spacing * (np.arange(size) - (size - 1) / 2)  # -4, -2, 0, 2, 4\n"
        "    centres = np.array([(x, y) for x in axis for y in axis])\n"
        "    d = np.linalg.norm(samples[:, None, :] - centres[None, :, :], axis=-1)\n"
        "    good = d.min(axis=1) <= 3 * std  # within 3 standard deviations\n"
        "    counts = np.bincount(d.argmin(axis=1)[good], minlength=size * size)\n"
        "    captured = int((counts >= min_count).sum())\n"
        "    if counts.sum() == 0:\n"
        "        return captured, float(good.mean()), float('nan')\n"
        "    q = counts / counts.sum()\n"
        "    q = q[q > 0]  # 0 * ln 0 = 0\n"
        "    return captured, float(good.mean()), float((q * np.log(size * size * q)).sum())"
    ),
)


# --- 5. a zero-centred gradient penalty between real and fake (train_step, transfer) ---------


def _mixed_gradient_penalty(discriminator, real, fake, t, gamma):
    import tensorflow as tf

    real = tf.convert_to_tensor(real, tf.float32)
    fake = tf.convert_to_tensor(fake, tf.float32)
    t = tf.reshape(tf.convert_to_tensor(t, tf.float32), [-1] + [1] * (len(real.shape) - 1))
    between = t * real + (1 - t) * fake
    with tf.GradientTape() as tape:
        tape.watch(between)
        logits = discriminator(between)
    slope = tape.gradient(logits, between)
    per_sample = tf.reduce_sum(slope**2, axis=list(range(1, len(real.shape))))
    return float(0.5 * gamma * tf.reduce_mean(per_sample))


class _Critic:
    """A small fixed discriminator: flatten, tanh layer, one logit (weights from a seed)."""

    def __init__(self, shape: tuple[int, ...], seed: int, linear: bool = False):
        rng = np.random.default_rng(seed)
        self.shape, self.linear = shape, linear
        size = int(np.prod(shape))
        self.w1 = rng.normal(0, 1 / np.sqrt(size), size=(size, 6)).astype("float32")
        self.w2 = rng.normal(0, 1, size=(6, 1)).astype("float32")
        self.w = rng.normal(0, 1, size=(size, 1)).astype("float32")

    def __call__(self, x):
        import tensorflow as tf

        flat = tf.reshape(x, (-1, int(np.prod(self.shape))))
        if self.linear:
            return flat @ self.w
        return tf.tanh(flat @ self.w1) @ self.w2

    def __repr__(self) -> str:
        kind = "a linear" if self.linear else "a tanh"
        return f"<{kind} discriminator on inputs of shape {self.shape}>"


def _gp_case(shape: tuple[int, ...], n: int, seed: int, gamma: float, linear: bool = False):
    rng = np.random.default_rng(seed)
    real = rng.normal(size=(n, *shape)).astype("float32")
    fake = rng.normal(size=(n, *shape)).astype("float32")
    t = rng.uniform(size=n).astype("float32")
    return (_Critic(shape, seed, linear), real, fake, t, gamma), {}


def _random_gp_case(rng: np.random.Generator):
    shape = [(2,), (8, 8, 1), (3, 4)][int(rng.integers(3))]
    return _gp_case(
        shape, int(rng.integers(1, 9)), int(rng.integers(1000)), float(rng.uniform(0.1, 10))
    )


mixed_gradient_penalty = FunctionExercise(
    lesson=LESSON,
    name="mixed_gradient_penalty",
    reference=_mixed_gradient_penalty,
    cases=[
        _gp_case((2,), 4, 0, 2.0, linear=True),  # linear D: the slope is w everywhere
        _gp_case((2,), 5, 1, 1.0),  # the ring's shape
        _gp_case((8, 8, 1), 3, 2, 10.0),  # images: the norm runs over every pixel
        _gp_case((3, 4), 6, 3, 0.5),  # a rank-3 batch that is not an image
        (
            (
                _Critic((2,), 4),
                np.ones((2, 2), "float32"),
                -np.ones((2, 2), "float32"),
                np.array([0.0, 1.0], "float32"),
                1.0,
            ),
            {},
        ),  # t = 0 is the fake, t = 1 the real
    ],
    random_cases=_random_gp_case,
    atol=1e-5,
    rtol=1e-4,
    hints=[
        "The penalty lives at points between the two batches: sample i sits at the fraction "
        "t[i] of the way from fake[i] to real[i] (t[i] = 1 is the real sample). Build those "
        "points as a float32 tensor; each t must broadcast over all the axes of one sample.",
        "The points are a computed tensor, not a variable, so a GradientTape ignores them "
        "unless it is told to watch them. Differentiate the discriminator's logits with "
        "respect to the points, as the R1 step does at the real samples.",
        "Per sample, square the slope and sum it over every axis except the first (for an "
        "8x8x1 image that is 64 numbers, not 1); average over the batch and multiply by "
        "gamma / 2. Check: for a linear discriminator x -> x @ w the slope is w everywhere, "
        "so the answer is gamma / 2 times the squared length of w, whatever t is.",
    ],
    solution=(
        "def mixed_gradient_penalty(discriminator, real, fake, t, gamma):\n"
        "    real, fake = tf.constant(real, tf.float32), tf.constant(fake, tf.float32)\n"
        "    t = tf.reshape(tf.constant(t, tf.float32), [-1] + [1] * (len(real.shape) - 1))\n"
        "    between = t * real + (1 - t) * fake\n"
        "    with tf.GradientTape() as tape:\n"
        "        tape.watch(between)  # a tensor, not a variable: watch it\n"
        "        logits = discriminator(between)\n"
        "    slope = tape.gradient(logits, between)\n"
        "    per_sample = tf.reduce_sum(slope**2, axis=list(range(1, len(real.shape))))\n"
        "    return float(0.5 * gamma * tf.reduce_mean(per_sample))"
    ),
)

#: The exercises of this lesson, in the order it sets them (read by the progress dashboard).
EXERCISES = (
    hinge_d_loss,
    smoothed_d_loss,
    count_covered_modes,
    grid_report,
    mixed_gradient_penalty,
)
