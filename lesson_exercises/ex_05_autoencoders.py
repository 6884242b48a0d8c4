"""Lesson 05's checked exercises: reconstruction error, which principal components to keep when
some pixels are noisier than others (transfer), how many normal images pin a false-alarm rate
(transfer), the AUC from its definition (transfer), the KL divergence of two Gaussians
(transfer), reparameterised sampling, the gradient of a tied linear autoencoder (transfer)."""

from __future__ import annotations

import math

import numpy as np

from course_utils.exercises import FunctionExercise

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
        "Flatten each sample into one row first (reshape to (N, -1)); a mean over the row's "
        "axis then works for any number of axes in the input.",
    ],
    solution=(
        "def reconstruction_error(x, x_hat):\n"
        "    d = np.asarray(x, dtype=float) - np.asarray(x_hat, dtype=float)\n"
        "    return np.mean(d.reshape(len(d), -1) ** 2, axis=1)"
    ),
)


# --- 2. Which components to keep when some pixels are noisier (transfer) ---------------------


def _signal_and_noise_variances(clean_train, noise_var):
    """Per principal component of ``clean_train`` (largest variance first): the training
    images' variance along it (divisor n - 1, as scikit-learn's ``explained_variance_``) and
    the variance that independent pixel noise of variances ``noise_var`` has along it."""
    clean_train = np.asarray(clean_train, dtype=np.float64)
    noise_var = np.asarray(noise_var, dtype=np.float64)
    centred = clean_train - clean_train.mean(axis=0)
    _, singular, directions = np.linalg.svd(centred, full_matrices=False)
    return singular**2 / (len(centred) - 1), directions**2 @ noise_var


def _components_to_keep(clean_train, noise_var):
    signal, noise = _signal_and_noise_variances(clean_train, noise_var)
    return signal > noise


#: How far (in log) a component's signal and noise variances must lie apart in every checked
#: case: a divisor of n instead of n - 1 (at most 1% here) never decides a verdict.
TIE_MARGIN = 0.03


def _clear_of_ties(clean_train: np.ndarray, noise_var: np.ndarray) -> np.ndarray:
    """``noise_var`` times the factor nearest 1 (1, 1.07, 1/1.07, 1.07**2, ...) that puts every
    component's ratio of signal to noise variance at least ``TIE_MARGIN`` away from 1."""
    signal, noise = _signal_and_noise_variances(clean_train, noise_var)
    with np.errstate(divide="ignore"):
        log_ratio = np.log(signal) - np.log(noise)
    for step in range(40):
        power = (step + 1) // 2 * (1 if step % 2 else -1)
        if np.all(np.abs(log_ratio - power * np.log(1.07)) >= TIE_MARGIN):
            return noise_var * 1.07**power
    raise ValueError("no scale of noise_var clears every tie")  # never met by the cases below


def _digit_like_images(n: int, seed: int) -> np.ndarray:
    """Flat 64-pixel images in (0, 1) near an 8-dimensional curved surface, like small digits."""
    rng = np.random.default_rng(seed)
    basis = rng.normal(size=(8, 64)) * np.linspace(1.5, 0.3, 8)[:, None]
    return 1.0 / (1.0 + np.exp(-(rng.normal(size=(n, 8)) @ basis)))


_ROWS, _COLS = (a.ravel() for a in np.indices((8, 8)))
_CENTRE = (np.abs(_ROWS - 3.5) < 1) & (np.abs(_COLS - 3.5) < 1)  # the four central pixels


def _keep_case(noise_var, seed: int, n: int = 400):
    clean_train = _digit_like_images(n, seed)
    return (clean_train, _clear_of_ties(clean_train, np.asarray(noise_var, dtype=float))), {}


def _random_keep(rng: np.random.Generator):
    pattern = int(rng.integers(3))
    if pattern == 0:  # white noise
        noise_var = np.full(64, rng.uniform(0.05, 0.5) ** 2)
    elif pattern == 1:  # a few broken pixels
        noise_var = np.full(64, rng.uniform(0.05, 0.15) ** 2)
        noise_var[rng.choice(64, int(rng.integers(2, 7)), replace=False)] = rng.uniform(0.5, 1.5)
    else:  # every pixel its own level
        noise_var = (rng.uniform(0.05, 0.2) * np.exp(rng.normal(0.0, 0.8, 64))) ** 2
    return _keep_case(noise_var, int(rng.integers(1000)), int(rng.integers(150, 401)))


components_to_keep = FunctionExercise(
    lesson=LESSON,
    name="components_to_keep",
    reference=_components_to_keep,
    cases=[
        _keep_case(np.full(64, 0.3**2), 0),  # white noise: a block of the first components
        _keep_case(np.zeros(64), 0),  # no noise: keep every component
        _keep_case(np.full(64, 25.0), 0),  # noise far above every signal: keep none
        _keep_case(np.where(_CENTRE, 1.0, 0.1**2), 0),  # four broken pixels: not a block
        _keep_case((0.1 * np.exp(np.random.default_rng(7).normal(0, 0.8, 64))) ** 2, 3, n=250),
    ],
    random_cases=_random_keep,
    hints=[
        "Write the error of the denoised image as (the signal the projection throws away) + (the "
        "noise it lets through), and expand both along the principal directions u_j: each "
        "component adds its own term to one part or the other, whatever the others do.",
        "Keeping component j saves its signal variance (the training images' variance along "
        "u_j, which PCA calls explained variance) and costs the noise's variance along u_j. "
        "For independent pixel noise that is the sum over pixels of u_j[p] squared times "
        "noise_var[p] (for white noise: sigma squared in every direction).",
        "`PCA()` without a number of components keeps them all: `explained_variance_` holds the "
        "signal variances, the rows of `components_` the unit vectors u_j. Compare variance "
        "with variance (not with a standard deviation), one component at a time.",
    ],
    solution=(
        "from sklearn.decomposition import PCA\n"
        "\n"
        "\n"
        "def components_to_keep(clean_train, noise_var):\n"
        "    pca = PCA().fit(clean_train)\n"
        "    noise_along = pca.components_**2 @ noise_var\n"
        "    return pca.explained_variance_ > noise_along"
    ),
)


def _projection_mse(noisy: np.ndarray, clean: np.ndarray, mean: np.ndarray, basis: np.ndarray):
    """Mean squared error of ``mean + (noisy - mean) B^T B`` against ``clean``, for the rows B."""
    return float(np.mean(((noisy - mean) @ basis.T @ basis + mean - clean) ** 2))


def kept_on_digits(components_to_keep, draws: int = 10) -> None:
    """Print what ``components_to_keep`` keeps for the lesson's digits (PCA of the training
    split) under white noise and under four broken central pixels, with the validation MSE of
    that set and of the best block of the first k components found by trying every k on the
    noisy validation digits (noise drawn ``draws`` times with a fixed seed, no clipping)."""
    from course_utils.data import load_digits

    digits = load_digits(seed=0)
    train = digits.x_train.reshape(len(digits.x_train), -1).astype(np.float64)
    val = digits.x_val.reshape(len(digits.x_val), -1).astype(np.float64)
    mean = train.mean(axis=0)
    _, _, directions = np.linalg.svd(train - mean, full_matrices=False)
    rng = np.random.default_rng(0)
    noises = {
        "white noise, σ = 0.3": np.full(64, 0.3**2),
        "4 central pixels σ = 1, the rest σ = 0.1": np.where(_CENTRE, 1.0, 0.1**2),
    }
    for name, noise_var in noises.items():
        keep = np.asarray(components_to_keep(train, noise_var), dtype=bool)
        noisy = val + rng.normal(size=(draws, *val.shape)) * np.sqrt(noise_var)
        block_mse = [
            _projection_mse(noisy, val, mean, directions[:k]) for k in range(len(directions) + 1)
        ]
        best_k = int(np.argmin(block_mse))
        kept = np.flatnonzero(keep)
        is_block = bool(np.all(kept == np.arange(len(kept))))
        print(
            f"{name}: your rule keeps {len(kept)} components {kept.tolist()} "
            f"({'a' if is_block else 'not a'} block 0..k-1)\n"
            f"    validation MSE: noisy {np.mean((noisy - val) ** 2):.4f} | your set "
            f"{_projection_mse(noisy, val, mean, directions[keep]):.4f} | best block, k = "
            f"{best_k} found on validation: {block_mse[best_k]:.4f}"
        )


# --- 3. How many normal images pin a false-alarm rate (transfer) -----------------------------


def _normals_needed(fpr, standard_error):
    bound = fpr * (1.0 - fpr) / standard_error**2
    return int(math.ceil(bound - 1e-9))


def _random_normals(rng: np.random.Generator):
    fpr = float(rng.uniform(0.005, 0.3))
    return (fpr, float(rng.uniform(0.1, 0.5) * fpr)), {}


normals_needed = FunctionExercise(
    lesson=LESSON,
    name="normals_needed",
    reference=_normals_needed,
    cases=[
        ((0.05, 0.008), {}),  # 742.2 -> 743
        ((0.05, 0.02), {}),  # 118.75 -> 119
        ((0.2, 0.03), {}),  # 177.8 -> 178
        ((0.5, 0.03), {}),  # the largest p(1 - p)
        ((0.001, 0.0004), {}),  # rare alarms need many images
    ],
    random_cases=_random_normals,
    atol=0,
    rtol=0,
    hints=[
        "The share of n normal images above a fixed threshold is a binomial proportion: its "
        "standard error is sqrt(p (1 - p) / n) for a true false-alarm rate p. Solve "
        "'standard error <= the one asked for' for n.",
        "n counts images, so it is a whole number, and it must be at least the bound you "
        "found: round up, never to the nearest.",
    ],
    solution=(
        "import math\n"
        "\n"
        "\n"
        "def normals_needed(fpr, standard_error):\n"
        "    return math.ceil(fpr * (1 - fpr) / standard_error**2)"
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
        "Each pair counts 1 if the anomaly scores higher, 1/2 on a tie, 0 otherwise; the AUC is "
        "the average count over all pairs. Forgetting the ties gives a value that is too low "
        "whenever scores repeat.",
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
        "With log-variances lq and lp: log(s2 / s1) = (lp - lq) / 2, s1^2 = exp(lq) and s2^2 = "
        "exp(lp). Put these into hint 1's formula: every term then shares a factor 1/2. Check one "
        "dimension: mq = 1 and lq = mp = lp = 0 give 0.5.",
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

#: The exercises of this lesson, in the order it sets them (read by the progress dashboard).
EXERCISES = (
    reconstruction_error,
    components_to_keep,
    normals_needed,
    auc_from_scores,
    gaussian_kl,
    reparameterise,
    tied_linear_ae_gradient,
)
