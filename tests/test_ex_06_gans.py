"""Lesson 06's exercises: each reference passes, a plausible mistake fails for the right
reason, and the untouched stub is "not attempted"."""

import numpy as np
import tensorflow as tf
from scipy.spatial import cKDTree
from sklearn.neighbors import NearestNeighbors

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


# --- grid_report (transfer) -------------------------------------------------------------------


def _grid(spacing, size):
    axis = spacing * (np.arange(size) - (size - 1) / 2)
    return np.array([(x, y) for x in axis for y in axis])


def _make_grid_report(radius=None, strict=False, kl_support="good", share_of="samples"):
    """A grid_report with the nearest centre from scipy's k-d tree (not the reference's
    distance matrix); each keyword plants one plausible mistake."""

    def grid_report(samples, std=0.05, spacing=2.0, size=5, min_count=20):
        samples = np.asarray(samples, dtype=float).reshape(-1, 2)
        if len(samples) == 0:
            return 0, float("nan"), float("nan")
        distance, nearest = cKDTree(_grid(spacing, size)).query(samples)
        limit = 3 * std if radius is None else radius
        good = distance < limit if strict else distance <= limit
        counts = np.bincount(nearest[good], minlength=size * size)
        captured = int((counts >= min_count).sum())
        share = float(good.mean()) if share_of == "samples" else captured / size**2
        if kl_support == "all samples":  # nearest-centre histogram of every sample
            counts = np.bincount(nearest, minlength=size * size)
        if counts.sum() == 0:
            return captured, share, float("nan")
        k = size * size
        if kl_support == "captured":  # only the captured modes, against 1 / captured
            counts, k = counts[counts >= min_count], max(captured, 1)
        q = counts / counts.sum()
        q = q[q > 0]
        return captured, share, float((q * np.log(k * q)).sum())

    return grid_report


def test_grid_report_with_a_kd_tree_passes():
    assert ex.grid_report.check(_make_grid_report()).status == "correct"


def test_grid_report_matches_scikit_learn_nearest_neighbours():
    """The reference's nearest centres and distances, against scikit-learn's."""
    samples = np.random.default_rng(0).uniform(-5, 5, size=(3000, 2))
    centres = _grid(2.0, 5)
    distance, nearest = NearestNeighbors(n_neighbors=1).fit(centres).kneighbors(samples)
    good = distance[:, 0] <= 0.15
    counts = np.bincount(nearest[good, 0], minlength=25)
    captured, share, _ = ex._grid_report(samples, min_count=2)
    assert (captured, share) == (int((counts >= 2).sum()), float(good.mean()))
    assert good.sum() > 25  # enough high-quality samples for the comparison to mean something


def test_grid_report_radius_3_instead_of_3_std_is_incorrect():
    result = ex.grid_report.check(_make_grid_report(radius=3.0))
    assert result.status == "incorrect"
    assert "item 1" in result.message  # the share: every sample is within 3 of some centre


def test_grid_report_share_of_modes_instead_of_samples_is_incorrect():
    result = ex.grid_report.check(_make_grid_report(share_of="modes"))
    assert result.status == "incorrect"
    assert "item 1" in result.message


def test_grid_report_kl_over_the_captured_modes_only_is_incorrect():
    result = ex.grid_report.check(_make_grid_report(kl_support="captured"))
    assert result.status == "incorrect"
    assert "item 2: expected 0.7339" in result.message and "got 0.0" in result.message  # 12 modes


def test_grid_report_kl_over_all_samples_is_incorrect():
    result = ex.grid_report.check(_make_grid_report(kl_support="all samples"))
    assert result.status == "incorrect"
    assert "item 2" in result.message


def test_grid_report_strictly_inside_3_std_is_incorrect():
    result = ex.grid_report.check(_make_grid_report(strict=True))
    assert result.status == "incorrect"
    assert "item 0: expected 1, got 0" in result.message  # 20 samples exactly on 3 std


def test_grid_report_stub_is_not_attempted():
    def grid_report(samples, std=0.05, spacing=2.0, size=5, min_count=20):
        """Modes captured, share of high-quality samples, balance KL."""
        ...  # your code here

    assert ex.grid_report.check(grid_report).status == "not attempted"


# --- mixed_gradient_penalty (transfer, a train_step piece) -------------------------------------


def _mixed_points(real, fake, t):
    t = tf.reshape(tf.constant(t, tf.float32), [-1] + [1] * (len(real.shape) - 1))
    return t * tf.constant(real, tf.float32) + (1 - t) * tf.constant(fake, tf.float32)


def _slope_at(discriminator, points):
    """The discriminator's gradient with respect to its input, at ``points``."""
    with tf.GradientTape() as tape:
        tape.watch(points)
        logits = discriminator(points)
    return tape.gradient(logits, points)


def _mean_squared_length(slope):
    """The mean over samples of the slope's squared length, summed over every input axis."""
    return tf.reduce_mean(tf.reduce_sum(tf.reshape(slope**2, (slope.shape[0], -1)), axis=1))


def test_mixed_gradient_penalty_reference_passes():
    def mixed_gradient_penalty(discriminator, real, fake, t, gamma):
        slope = _slope_at(discriminator, _mixed_points(real, fake, t))
        return float(gamma / 2 * _mean_squared_length(slope))

    assert ex.mixed_gradient_penalty.check(mixed_gradient_penalty).status == "correct"


def test_mixed_gradient_penalty_summed_over_the_last_axis_only_is_incorrect():
    def mixed_gradient_penalty(discriminator, real, fake, t, gamma):
        slope = _slope_at(discriminator, _mixed_points(real, fake, t))
        # right on the ring, an average over pixels on images
        return float(gamma / 2 * tf.reduce_mean(tf.reduce_sum(slope**2, axis=-1)))

    result = ex.mixed_gradient_penalty.check(mixed_gradient_penalty)
    assert result.status == "incorrect"
    assert "(8, 8, 1)" in result.message


def test_mixed_gradient_penalty_at_the_real_samples_is_incorrect():
    def mixed_gradient_penalty(discriminator, real, fake, t, gamma):
        slope = _slope_at(discriminator, tf.constant(real, tf.float32))  # R1: t ignored
        return float(gamma / 2 * _mean_squared_length(slope))

    assert ex.mixed_gradient_penalty.check(mixed_gradient_penalty).status == "incorrect"


def test_mixed_gradient_penalty_stub_is_not_attempted():
    def mixed_gradient_penalty(discriminator, real, fake, t, gamma):
        """The penalty."""
        ...  # your code here

    assert ex.mixed_gradient_penalty.check(mixed_gradient_penalty).status == "not attempted"
