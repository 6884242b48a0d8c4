"""Lesson 05's exercises: each reference passes, a plausible mistake fails for the right
reason, and the untouched stub is "not attempted"."""

import numpy as np

from lesson_exercises import ex_05_autoencoders as ex

# --- reconstruction_error ---------------------------------------------------------------------


def test_reconstruction_error_reference_passes():
    def reconstruction_error(x, x_hat):
        d = np.asarray(x, dtype=float) - np.asarray(x_hat, dtype=float)
        return np.mean(d.reshape(len(d), -1) ** 2, axis=1)

    assert ex.reconstruction_error.check(reconstruction_error).status == "correct"


def test_reconstruction_error_global_mean_is_incorrect():
    def reconstruction_error(x, x_hat):
        return float(np.mean((x - x_hat) ** 2))  # one number for the whole batch

    result = ex.reconstruction_error.check(reconstruction_error)
    assert result.status == "incorrect"
    assert "expected a NumPy array" in result.message


def test_reconstruction_error_last_axis_only_is_incorrect():
    def reconstruction_error(x, x_hat):
        return np.mean((x - x_hat) ** 2, axis=-1)  # fine for (N, 64), wrong for images

    result = ex.reconstruction_error.check(reconstruction_error)
    assert result.status == "incorrect"
    assert "wrong shape" in result.message and "(3,)" in result.message


def test_reconstruction_error_stub_is_not_attempted():
    def reconstruction_error(x, x_hat):
        """Mean squared error per sample: shape (N,)."""
        ...  # your code here

    assert ex.reconstruction_error.check(reconstruction_error).status == "not attempted"


# --- components_to_keep -----------------------------------------------------------------------


def _sklearn_keep(clean_train, noise_var):
    from sklearn.decomposition import PCA

    pca = PCA().fit(clean_train)
    return pca.explained_variance_ > pca.components_**2 @ noise_var


def test_components_to_keep_reference_agrees_with_scikit_learn():
    inputs = ex.components_to_keep.inputs()
    for args, _ in inputs:
        assert np.array_equal(ex._components_to_keep(*args), _sklearn_keep(*args))
    blocks = [np.flatnonzero(ex._components_to_keep(*args)) for args, _ in inputs]
    assert any(len(b) and b[-1] != len(b) - 1 for b in blocks), "no case keeps a set with gaps"


def _expected_error(clean_train, noise_var, kept):
    """Mean over the training images of E||denoised - clean||^2 for the projection onto the
    kept components, from traces (no per-component sums): tr((I-P) C (I-P)) + tr(P D P)."""
    mean = clean_train.mean(axis=0)
    _, _, directions = np.linalg.svd(clean_train - mean, full_matrices=False)
    P = directions[kept].T @ directions[kept]
    residual = (clean_train - mean) @ (np.eye(len(P)) - P)
    return np.mean(np.sum(residual**2, axis=1)) + np.trace(P @ np.diag(noise_var) @ P)


def test_the_kept_set_has_the_lowest_expected_error():
    """Changing the rule's choice for any one component, or keeping any block 0..k-1 instead,
    raises the expected error; and that error is what simulated noise gives."""
    (clean_train, noise_var), _ = ex._keep_case(np.where(ex._CENTRE, 1.0, 0.1**2), 0)
    kept = ex._components_to_keep(clean_train, noise_var)
    assert not np.array_equal(kept, np.arange(64) < kept.sum())  # the case is not a block
    best = _expected_error(clean_train, noise_var, kept)
    for j in range(64):
        flipped = kept.copy()
        flipped[j] = not flipped[j]
        assert _expected_error(clean_train, noise_var, flipped) > best, j
    for k in range(65):
        assert _expected_error(clean_train, noise_var, np.arange(64) < k) > best, k

    rng = np.random.default_rng(0)
    mean = clean_train.mean(axis=0)
    _, _, directions = np.linalg.svd(clean_train - mean, full_matrices=False)
    noisy = clean_train + rng.normal(size=(50, *clean_train.shape)) * np.sqrt(noise_var)
    basis = directions[kept]
    denoised = (noisy - mean) @ basis.T @ basis + mean
    simulated = np.mean(np.sum((denoised - clean_train) ** 2, axis=-1))
    assert abs(simulated - best) < 0.01 * best


def test_components_to_keep_with_scikit_learn_passes():
    assert ex.components_to_keep.check(_sklearn_keep).status == "correct"


def test_components_to_keep_as_if_the_noise_were_white_is_incorrect():
    def components_to_keep(clean_train, noise_var):  # the average pixel variance everywhere
        return _sklearn_keep(clean_train, np.full(64, np.mean(noise_var)))

    result = ex.components_to_keep.check(components_to_keep)
    assert result.status == "incorrect"
    assert "index" in result.message  # a mask of the right shape, wrong at some component


def test_components_to_keep_as_a_block_of_the_first_k_is_incorrect():
    def components_to_keep(clean_train, noise_var):  # right count, assumed to be a block
        keep = _sklearn_keep(clean_train, noise_var)
        return np.arange(len(keep)) < keep.sum()

    assert ex.components_to_keep.check(components_to_keep).status == "incorrect"


def test_components_to_keep_with_unsquared_directions_is_incorrect():
    from sklearn.decomposition import PCA

    def components_to_keep(clean_train, noise_var):
        pca = PCA().fit(clean_train)
        return pca.explained_variance_ > np.abs(pca.components_) @ noise_var

    assert ex.components_to_keep.check(components_to_keep).status == "incorrect"


def test_components_to_keep_against_a_standard_deviation_is_incorrect():
    from sklearn.decomposition import PCA

    def components_to_keep(clean_train, noise_var):
        pca = PCA().fit(clean_train)
        return pca.explained_variance_ > np.sqrt(pca.components_**2 @ noise_var)

    assert ex.components_to_keep.check(components_to_keep).status == "incorrect"


def test_components_to_keep_without_centring_is_incorrect():
    def components_to_keep(clean_train, noise_var):
        _, singular, directions = np.linalg.svd(clean_train, full_matrices=False)
        return singular**2 / (len(clean_train) - 1) > directions**2 @ noise_var

    assert ex.components_to_keep.check(components_to_keep).status == "incorrect"


def test_components_to_keep_divisor_n_still_passes():
    """The cases keep every component clear of a tie, so n instead of n - 1 is not punished."""

    def components_to_keep(clean_train, noise_var):
        centred = clean_train - clean_train.mean(axis=0)
        _, singular, directions = np.linalg.svd(centred, full_matrices=False)
        return singular**2 / len(centred) > directions**2 @ noise_var

    assert ex.components_to_keep.check(components_to_keep).status == "correct"


def test_components_to_keep_stub_is_not_attempted():
    def components_to_keep(clean_train, noise_var):
        """One bool per principal component."""
        ...  # your code here

    assert ex.components_to_keep.check(components_to_keep).status == "not attempted"


def test_kept_on_digits_shows_a_block_for_white_noise_and_gaps_for_broken_pixels(capsys):
    ex.kept_on_digits(ex._components_to_keep)
    white, broken = capsys.readouterr().out.split("\n4 central pixels")
    assert "(a block 0..k-1)" in white and "(not a block 0..k-1)" in broken


# --- normals_needed ---------------------------------------------------------------------------


def test_normals_needed_reference_passes():
    import math

    def normals_needed(fpr, standard_error):
        return math.ceil(fpr * (1 - fpr) / standard_error**2)

    assert ex.normals_needed.check(normals_needed).status == "correct"


def test_normals_needed_rounding_down_is_incorrect():
    def normals_needed(fpr, standard_error):
        return int(fpr * (1 - fpr) / standard_error**2)

    assert ex.normals_needed.check(normals_needed).status == "incorrect"


def test_normals_needed_without_squaring_the_error_is_incorrect():
    import math

    def normals_needed(fpr, standard_error):
        return math.ceil(fpr * (1 - fpr) / standard_error)

    assert ex.normals_needed.check(normals_needed).status == "incorrect"


def test_normals_needed_forgetting_one_minus_p_is_incorrect():
    import math

    def normals_needed(fpr, standard_error):
        return math.ceil(fpr / standard_error**2)

    assert ex.normals_needed.check(normals_needed).status == "incorrect"


def test_normals_needed_stub_is_not_attempted():
    def normals_needed(fpr, standard_error):
        """How many normal images."""
        ...  # your code here

    assert ex.normals_needed.check(normals_needed).status == "not attempted"


# --- auc_from_scores --------------------------------------------------------------------------


def test_auc_reference_passes():
    def auc_from_scores(normal_scores, anomaly_scores):
        n = np.asarray(normal_scores, dtype=float)[None, :]
        a = np.asarray(anomaly_scores, dtype=float)[:, None]
        return float(np.mean((a > n) + 0.5 * (a == n)))

    assert ex.auc_from_scores.check(auc_from_scores).status == "correct"


def test_auc_agrees_with_scikit_learn():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    normal, anomaly = np.round(rng.random(40), 1), np.round(rng.random(30) + 0.3, 1)
    labels = np.r_[np.zeros(40), np.ones(30)]
    expected = roc_auc_score(labels, np.r_[normal, anomaly])
    assert abs(ex._auc_from_scores(normal, anomaly) - expected) < 1e-12


def test_auc_ignoring_ties_is_incorrect():
    def auc_from_scores(normal_scores, anomaly_scores):
        n = np.asarray(normal_scores)[None, :]
        a = np.asarray(anomaly_scores)[:, None]
        return float(np.mean(a > n))

    result = ex.auc_from_scores.check(auc_from_scores)
    assert result.status == "incorrect"
    assert "expected 0.5, got 0.0" in result.message


def test_auc_stub_is_not_attempted():
    def auc_from_scores(normal_scores, anomaly_scores):
        """P(anomaly score > normal score) + 0.5 * P(equal)."""
        ...

    assert ex.auc_from_scores.check(auc_from_scores).status == "not attempted"


# --- gaussian_kl ------------------------------------------------------------------------------


def test_gaussian_kl_reference_matches_sampling():
    rng = np.random.default_rng(0)
    mq, lq, mp, lp = np.array([0.3]), np.array([-0.5]), np.array([-0.2]), np.array([0.4])
    z = mq + np.exp(0.5 * lq) * rng.standard_normal(400_000)

    def log_normal(x, m, lv):
        return -0.5 * (np.log(2 * np.pi) + lv + (x - m) ** 2 / np.exp(lv))

    monte_carlo = np.mean(log_normal(z, mq, lq) - log_normal(z, mp, lp))
    assert abs(monte_carlo - ex._gaussian_kl(mq, lq, mp, lp)) < 5e-3


def test_gaussian_kl_reference_passes():
    assert ex.gaussian_kl.check(ex._gaussian_kl).status == "correct"


def test_gaussian_kl_standard_prior_only_is_incorrect():
    def gaussian_kl(mean_q, log_var_q, mean_p, log_var_p):  # ignores the prior's parameters
        return 0.5 * np.sum(mean_q**2 + np.exp(log_var_q) - log_var_q - 1, axis=-1)

    result = ex.gaussian_kl.check(gaussian_kl)
    assert result.status == "incorrect"
    assert "gaussian_kl(" in result.message


def test_gaussian_kl_summed_over_everything_is_incorrect():
    def gaussian_kl(mean_q, log_var_q, mean_p, log_var_p):
        return float(np.sum(ex._gaussian_kl(mean_q, log_var_q, mean_p, log_var_p)))

    assert ex.gaussian_kl.check(gaussian_kl).status == "incorrect"


def test_gaussian_kl_stub_is_not_attempted():
    def gaussian_kl(mean_q, log_var_q, mean_p, log_var_p): ...  # your code here

    assert ex.gaussian_kl.check(gaussian_kl).status == "not attempted"


# --- reparameterise ---------------------------------------------------------------------------


def test_reparameterise_reference_passes():
    def reparameterise(mean, log_var, eps):
        return mean + np.exp(0.5 * log_var) * eps

    assert ex.reparameterise.check(reparameterise).status == "correct"


def test_reparameterise_with_variance_is_incorrect():
    def reparameterise(mean, log_var, eps):
        return mean + np.exp(log_var) * eps  # the variance instead of sigma

    result = ex.reparameterise.check(reparameterise)
    assert result.status == "incorrect"
    assert "reparameterise(" in result.message


def test_reparameterise_stub_is_not_attempted():
    def reparameterise(mean, log_var, eps): ...  # your code here

    assert ex.reparameterise.check(reparameterise).status == "not attempted"


# --- tied_linear_ae_gradient ------------------------------------------------------------------


def test_tied_gradient_reference_matches_finite_differences():
    rng = np.random.default_rng(1)
    (Xc, W), _ = ex._tied_case(rng, 7, 5, 2)

    def loss(w):
        return np.mean(np.sum((Xc @ w @ w.T - Xc) ** 2, axis=1))

    eps, numeric = 1e-6, np.zeros_like(W)
    for idx in np.ndindex(W.shape):
        step = np.zeros_like(W)
        step[idx] = eps
        numeric[idx] = (loss(W + step) - loss(W - step)) / (2 * eps)
    assert np.max(np.abs(numeric - ex._tied_linear_ae_gradient(Xc, W))) < 1e-6


def test_tied_gradient_reference_passes():
    assert ex.tied_linear_ae_gradient.check(ex._tied_linear_ae_gradient).status == "correct"


def test_tied_gradient_encoder_part_only_is_incorrect():
    def tied_linear_ae_gradient(Xc, W):  # treats the decoder copy of W as a constant
        R = Xc @ W @ W.T - Xc
        return 2 / len(Xc) * Xc.T @ R @ W

    result = ex.tied_linear_ae_gradient.check(tied_linear_ae_gradient)
    assert result.status == "incorrect"


def test_tied_gradient_doubled_encoder_part_is_incorrect():
    def tied_linear_ae_gradient(Xc, W):  # "both copies give the same term": they do not
        R = Xc @ W @ W.T - Xc
        return 2 / len(Xc) * 2 * Xc.T @ R @ W

    assert ex.tied_linear_ae_gradient.check(tied_linear_ae_gradient).status == "incorrect"


def test_tied_gradient_stub_is_not_attempted():
    def tied_linear_ae_gradient(Xc, W): ...  # your code here

    assert ex.tied_linear_ae_gradient.check(tied_linear_ae_gradient).status == "not attempted"
