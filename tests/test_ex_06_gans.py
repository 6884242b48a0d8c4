"""Lesson 06's exercises: each reference passes, a plausible mistake fails for the right
reason, and the untouched stub is "not attempted"."""

import numpy as np

from lesson_exercises import ex_06_gans as ex

# --- hinge_d_loss -----------------------------------------------------------------------------


def test_hinge_d_loss_reference_passes():
    def hinge_d_loss(real_logits, fake_logits):
        real_term = np.mean(np.maximum(0.0, 1.0 - real_logits))
        return float(real_term + np.mean(np.maximum(0.0, 1.0 + fake_logits)))

    assert ex.hinge_d_loss.check(hinge_d_loss).status == "correct"


def test_hinge_d_loss_without_the_margin_is_incorrect():
    def hinge_d_loss(real_logits, fake_logits):
        return float(np.mean(-real_logits) + np.mean(fake_logits))  # the WGAN critic's loss

    result = ex.hinge_d_loss.check(hinge_d_loss)
    assert result.status == "incorrect"
    assert "expected 2" in result.message and "got 0" in result.message


def test_hinge_d_loss_one_mean_over_both_batches_is_incorrect():
    def hinge_d_loss(real_logits, fake_logits):
        terms = np.concatenate([np.maximum(0, 1 - real_logits), np.maximum(0, 1 + fake_logits)])
        return float(np.mean(terms))  # half the loss when the batches have equal sizes

    assert ex.hinge_d_loss.check(hinge_d_loss).status == "incorrect"


def test_hinge_d_loss_stub_is_not_attempted():
    def hinge_d_loss(real_logits, fake_logits):
        """The hinge loss."""
        ...  # your code here

    assert ex.hinge_d_loss.check(hinge_d_loss).status == "not attempted"


# --- smoothed_d_loss --------------------------------------------------------------------------


def test_smoothed_d_loss_reference_passes():
    def smoothed_d_loss(real_logits, fake_logits, smooth=0.9):
        def bce(a, t):
            return np.maximum(a, 0) - a * t + np.log1p(np.exp(-np.abs(a)))

        return float(np.mean(bce(real_logits, smooth)) + np.mean(bce(fake_logits, 0.0)))

    assert ex.smoothed_d_loss.check(smoothed_d_loss).status == "correct"


def test_smoothed_d_loss_through_the_sigmoid_is_incorrect():
    def smoothed_d_loss(real_logits, fake_logits, smooth=0.9):
        p_real, p_fake = 1 / (1 + np.exp(-real_logits)), 1 / (1 + np.exp(-fake_logits))
        real = -smooth * np.log(p_real) - (1 - smooth) * np.log(1 - p_real)
        return float(np.mean(real) - np.mean(np.log(1 - p_fake)))  # inf at logits of +-200

    with np.errstate(all="ignore"):
        result = ex.smoothed_d_loss.check(smoothed_d_loss)
    assert result.status == "incorrect"


def test_smoothed_d_loss_smoothing_both_sides_is_incorrect():
    def smoothed_d_loss(real_logits, fake_logits, smooth=0.9):
        def bce(a, t):
            return np.maximum(a, 0) - a * t + np.log1p(np.exp(-np.abs(a)))

        fake_target = 1 - smooth  # two-sided: the fakes get 0.1
        return float(np.mean(bce(real_logits, smooth)) + np.mean(bce(fake_logits, fake_target)))

    assert ex.smoothed_d_loss.check(smoothed_d_loss).status == "incorrect"


def test_smoothed_d_loss_ignoring_smooth_is_incorrect():
    def smoothed_d_loss(real_logits, fake_logits, smooth=0.9):
        def bce(a, t):
            return np.maximum(a, 0) - a * t + np.log1p(np.exp(-np.abs(a)))

        return float(np.mean(bce(real_logits, 1.0)) + np.mean(bce(fake_logits, 0.0)))

    assert ex.smoothed_d_loss.check(smoothed_d_loss).status == "incorrect"


def test_smoothed_d_loss_stub_is_not_attempted():
    def smoothed_d_loss(real_logits, fake_logits, smooth=0.9):
        """The smoothed loss."""
        ...  # your code here

    assert ex.smoothed_d_loss.check(smoothed_d_loss).status == "not attempted"


# --- count_covered_modes ----------------------------------------------------------------------


def _reference_count(samples, centres, radius, min_share=0.01):
    samples = np.asarray(samples, dtype=float).reshape(-1, 2)
    if len(samples) == 0:
        return 0
    d = np.linalg.norm(samples[:, None, :] - np.asarray(centres)[None, :, :], axis=-1)
    return int(((d <= radius).mean(axis=0) >= min_share).sum())


def test_count_covered_modes_reference_passes():
    assert ex.count_covered_modes.check(_reference_count).status == "correct"


def test_count_covered_modes_nearest_centre_is_incorrect():
    def count_covered_modes(samples, centres, radius, min_share=0.01):
        samples = np.asarray(samples, dtype=float).reshape(-1, 2)
        if len(samples) == 0:
            return 0
        d = np.linalg.norm(samples[:, None, :] - centres[None, :, :], axis=-1)
        shares = np.bincount(d.argmin(axis=1), minlength=len(centres)) / len(samples)
        return int((shares >= min_share).sum())  # ignores the radius: far samples count

    result = ex.count_covered_modes.check(count_covered_modes)
    assert result.status == "incorrect"
    assert "expected 0, got 1" in result.message  # all samples at the centre of the ring


def test_count_covered_modes_strict_inequality_is_incorrect():
    def count_covered_modes(samples, centres, radius, min_share=0.01):
        samples = np.asarray(samples, dtype=float).reshape(-1, 2)
        if len(samples) == 0:
            return 0
        d = np.linalg.norm(samples[:, None, :] - centres[None, :, :], axis=-1)
        return int(((d < radius).mean(axis=0) >= min_share).sum())

    result = ex.count_covered_modes.check(count_covered_modes)
    assert result.status == "incorrect"
    assert "expected 1, got 0" in result.message  # two samples exactly on the radius


def test_count_covered_modes_stub_is_not_attempted():
    def count_covered_modes(samples, centres, radius, min_share=0.01):
        """How many modes hold at least min_share of the samples within radius."""
        ...  # your code here

    assert ex.count_covered_modes.check(count_covered_modes).status == "not attempted"


# --- balance_kl (transfer) --------------------------------------------------------------------


def test_balance_kl_reference_passes():
    def balance_kl(counts):
        counts = np.asarray(counts, dtype=float)
        if counts.sum() == 0:
            return float("nan")
        q = counts / counts.sum()
        q = q[q > 0]
        return float((q * np.log(len(counts) * q)).sum())

    assert ex.balance_kl.check(balance_kl).status == "correct"


def test_balance_kl_uniform_over_nonzero_modes_is_incorrect():
    def balance_kl(counts):
        counts = np.asarray(counts, dtype=float)
        if counts.sum() == 0:
            return float("nan")
        q = counts[counts > 0] / counts.sum()
        return float((q * np.log(len(q) * q)).sum())  # compares with 1/(modes hit), not 1/k

    result = ex.balance_kl.check(balance_kl)
    assert result.status == "incorrect"
    assert "expected 0.693" in result.message and "got 0" in result.message


def test_balance_kl_without_dropping_zeros_is_incorrect():
    def balance_kl(counts):
        counts = np.asarray(counts, dtype=float)
        q = counts / counts.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            return float((q * np.log(len(counts) * q)).sum())  # 0 * log 0 = nan

    result = ex.balance_kl.check(balance_kl)
    assert result.status == "incorrect"
    assert "expected 0.693" in result.message and "nan" in result.message


def test_balance_kl_stub_is_not_attempted():
    def balance_kl(counts):
        """KL from uniform."""
        ...  # your code here

    assert ex.balance_kl.check(balance_kl).status == "not attempted"


# --- frechet_from_stats (transfer) ------------------------------------------------------------


def test_frechet_from_stats_reference_passes():
    def frechet_from_stats(mu_a, cov_a, mu_b, cov_b):
        root = np.sqrt(np.linalg.eigvals(cov_a @ cov_b).real.clip(min=0)).sum()
        return float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a + cov_b) - 2 * root)

    assert ex.frechet_from_stats.check(frechet_from_stats).status == "correct"


def test_frechet_from_stats_elementwise_sqrt_is_incorrect():
    def frechet_from_stats(mu_a, cov_a, mu_b, cov_b):
        root = np.sqrt(np.abs(cov_a * cov_b))  # element-wise, not the matrix square root
        return float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a + cov_b - 2 * root))

    result = ex.frechet_from_stats.check(frechet_from_stats)
    assert result.status == "incorrect"


def test_frechet_from_stats_without_mean_term_is_incorrect():
    def frechet_from_stats(mu_a, cov_a, mu_b, cov_b):
        root = np.sqrt(np.linalg.eigvals(cov_a @ cov_b).real.clip(min=0)).sum()
        return float(np.trace(cov_a + cov_b) - 2 * root)

    result = ex.frechet_from_stats.check(frechet_from_stats)
    assert result.status == "incorrect"
    assert "expected 5" in result.message and "got 0" in result.message


def test_frechet_from_stats_stub_is_not_attempted():
    def frechet_from_stats(mu_a, cov_a, mu_b, cov_b):
        """Fréchet distance."""
        ...  # your code here

    assert ex.frechet_from_stats.check(frechet_from_stats).status == "not attempted"
