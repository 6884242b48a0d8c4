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


# --- best_denoising_k -------------------------------------------------------------------------


def _pca_k_scores(clean_train, clean_val, noisy_val, ks, fit_on=None):
    from sklearn.decomposition import PCA

    scores = []
    for k in ks:
        pca = PCA(k).fit(clean_train if fit_on is None else fit_on)
        rebuilt = np.clip(pca.inverse_transform(pca.transform(noisy_val)), 0, 1)
        scores.append(np.mean(10 * np.log10(1 / np.mean((clean_val - rebuilt) ** 2, axis=1))))
    return np.array(scores)


def test_best_denoising_k_with_scikit_learn_passes():
    def best_denoising_k(clean_train, clean_val, noisy_val, ks):
        return ks[int(np.argmax(_pca_k_scores(clean_train, clean_val, noisy_val, ks)))]

    assert ex.best_denoising_k.check(best_denoising_k).status == "correct"


def test_best_denoising_k_shrinks_as_the_noise_grows():
    ks = [ex._best_denoising_k(*ex._denoising_case(s, 0)[0]) for s in (0.15, 0.3, 0.6)]
    assert ks[0] > ks[1] > ks[2], ks


def test_best_denoising_k_fitted_on_the_noisy_images_is_incorrect():
    def best_denoising_k(clean_train, clean_val, noisy_val, ks):
        scores = _pca_k_scores(clean_train, clean_val, noisy_val, ks, fit_on=noisy_val)
        return ks[int(np.argmax(scores))]

    assert ex.best_denoising_k.check(best_denoising_k).status == "incorrect"


def test_best_denoising_k_lowest_score_is_incorrect():
    def best_denoising_k(clean_train, clean_val, noisy_val, ks):
        return ks[int(np.argmin(_pca_k_scores(clean_train, clean_val, noisy_val, ks)))]

    assert ex.best_denoising_k.check(best_denoising_k).status == "incorrect"


def test_best_denoising_k_largest_k_is_incorrect():
    def best_denoising_k(clean_train, clean_val, noisy_val, ks):
        return max(ks)

    assert ex.best_denoising_k.check(best_denoising_k).status == "incorrect"


def test_best_denoising_k_stub_is_not_attempted():
    def best_denoising_k(clean_train, clean_val, noisy_val, ks):
        """PCA's k for this noise."""
        ...  # your code here

    assert ex.best_denoising_k.check(best_denoising_k).status == "not attempted"


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
