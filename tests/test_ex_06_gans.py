"""Lesson 06's exercises: each reference passes, a plausible mistake fails for the right
reason, and the untouched stub is "not attempted"."""

import numpy as np

from lesson_exercises import ex_06_gans as ex

# --- discriminator_loss -----------------------------------------------------------------------


def test_discriminator_loss_reference_passes():
    def discriminator_loss(d_real, d_fake):
        return float(-np.mean(np.log(d_real)) - np.mean(np.log(1 - d_fake)))

    assert ex.discriminator_loss.check(discriminator_loss).status == "correct"


def test_discriminator_loss_one_mean_over_both_batches_is_incorrect():
    def discriminator_loss(d_real, d_fake):
        terms = np.concatenate([np.log(d_real), np.log(1 - d_fake)])
        return float(-np.mean(terms))  # half the loss when the batches have equal sizes

    result = ex.discriminator_loss.check(discriminator_loss)
    assert result.status == "incorrect"
    assert "expected 1.386" in result.message and "got 0.693" in result.message


def test_discriminator_loss_swapped_labels_is_incorrect():
    def discriminator_loss(d_real, d_fake):
        return float(-np.mean(np.log(1 - d_real)) - np.mean(np.log(d_fake)))

    result = ex.discriminator_loss.check(discriminator_loss)
    assert result.status == "incorrect"
    assert "0.9, 0.8" in result.message  # the first case where the swap shows


def test_discriminator_loss_stub_is_not_attempted():
    def discriminator_loss(d_real, d_fake):
        """L_D for probabilities on a real and a fake batch."""
        ...  # your code here

    assert ex.discriminator_loss.check(discriminator_loss).status == "not attempted"


# --- generator_loss ---------------------------------------------------------------------------


def test_generator_loss_reference_passes():
    def generator_loss(d_fake):
        return float(-np.mean(np.log(d_fake)))

    assert ex.generator_loss.check(generator_loss).status == "correct"


def test_generator_loss_minimax_form_is_incorrect():
    def generator_loss(d_fake):
        return float(np.mean(np.log(1 - d_fake)))  # the saturating loss of the original game

    result = ex.generator_loss.check(generator_loss)
    assert result.status == "incorrect"
    assert "expected 0.693" in result.message and "got -0.693" in result.message


def test_generator_loss_stub_is_not_attempted():
    def generator_loss(d_fake):
        """The non-saturating generator loss."""
        ...  # your code here

    assert ex.generator_loss.check(generator_loss).status == "not attempted"


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
