import numpy as np

from lesson_exercises import ex_00_welcome as ex


def test_reference_passes():
    def accuracy(y_true, y_pred):
        return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))

    assert ex.accuracy.check(accuracy).status == "correct"


def test_counting_instead_of_share_is_incorrect():
    def accuracy(y_true, y_pred):
        return float(np.sum(np.asarray(y_true) == np.asarray(y_pred)))

    result = ex.accuracy.check(accuracy)
    assert result.status == "incorrect"
    assert "3" in result.message  # the first case: expected 1.0, got 3.0


def test_stub_is_not_attempted():
    def accuracy(y_true, y_pred):
        """Share of positions where y_true and y_pred agree."""
        ...  # your code here

    assert ex.accuracy.check(accuracy).status == "not attempted"


def test_cross_entropy_reference_passes():
    def cross_entropy_from_logits(z, y):
        shifted = z - z.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return float(-np.mean(log_p[np.arange(len(y)), y]))

    assert ex.cross_entropy_from_logits.check(cross_entropy_from_logits).status == "correct"


def test_cross_entropy_softmax_then_log_fails_on_huge_scores():
    def cross_entropy_from_logits(z, y):  # right on small scores, inf for large ones
        e = np.exp(z - z.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        with np.errstate(divide="ignore"):
            return float(-np.mean(np.log(p[np.arange(len(y)), y])))

    result = ex.cross_entropy_from_logits.check(cross_entropy_from_logits)
    assert result.status == "incorrect"
    assert "expected 1000.0, got inf" in result.message


def test_cross_entropy_summing_instead_of_mean_is_incorrect():
    def cross_entropy_from_logits(z, y):
        shifted = z - z.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return float(-np.sum(log_p[np.arange(len(y)), y]))

    result = ex.cross_entropy_from_logits.check(cross_entropy_from_logits)
    assert result.status == "incorrect"
    assert "cross_entropy_from_logits(" in result.message


def test_cross_entropy_stub_is_not_attempted():
    def cross_entropy_from_logits(z, y): ...

    assert ex.cross_entropy_from_logits.check(cross_entropy_from_logits).status == "not attempted"


def test_momentum_reference_passes_and_matches_hint():
    def momentum_path(grads, lr, beta=0.9):
        w, v, path = 0.0, 0.0, []
        for g in grads:
            v = beta * v - lr * g
            w = w + v
            path.append(w)
        return np.array(path)

    assert ex.momentum_path.check(momentum_path).status == "correct"
    assert np.allclose(ex._momentum_path(np.ones(3), 0.1, 0.9), [-0.1, -0.29, -0.561])


def test_momentum_updating_weight_before_velocity_is_incorrect():
    def momentum_path(grads, lr, beta=0.9):  # moves w with the old velocity
        w, v, path = 0.0, 0.0, []
        for g in grads:
            w = w + v
            v = beta * v - lr * g
            path.append(w)
        return np.array(path)

    result = ex.momentum_path.check(momentum_path)
    assert result.status == "incorrect"
    assert "value at index (0,): expected -0.1, got 0.0" in result.message


def test_momentum_plain_sgd_is_incorrect():
    def momentum_path(grads, lr, beta=0.9):
        return -lr * np.cumsum(grads)

    result = ex.momentum_path.check(momentum_path)
    assert result.status == "incorrect"
    assert "value at index (1,)" in result.message


def test_momentum_stub_is_not_attempted():
    def momentum_path(grads, lr, beta=0.9):
        raise NotImplementedError

    assert ex.momentum_path.check(momentum_path).status == "not attempted"
