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


def _nesterov_solution(grads, lr, beta=0.9):
    w, v, path = 0.0, 0.0, []
    for g in grads:
        v = beta * v - lr * g
        w = w + beta * v - lr * g
        path.append(w)
    return np.array(path)


def test_nesterov_reference_passes_and_matches_hint():
    assert ex.nesterov_path.check(_nesterov_solution).status == "correct"
    assert np.allclose(ex._nesterov_path(np.ones(3), 0.1, 0.9), [-0.19, -0.461, -0.8049])


def test_nesterov_reference_matches_keras_sgd():
    import keras

    grads = np.array([1.0, -0.5, 2.0, 0.0, -1.5])
    weight = keras.Variable(np.zeros(1, dtype="float32"))
    opt = keras.optimizers.SGD(0.1, momentum=0.8, nesterov=True)
    path = []
    for g in grads:
        opt.apply_gradients([(np.array([g], dtype="float32"), weight)])
        path.append(float(keras.ops.convert_to_numpy(weight)[0]))
    np.testing.assert_allclose(path, ex._nesterov_path(grads, 0.1, 0.8), atol=1e-6)


def test_nesterov_with_the_lessons_momentum_is_incorrect():
    def nesterov_path(grads, lr, beta=0.9):  # classical momentum: w moves by v
        w, v, path = 0.0, 0.0, []
        for g in grads:
            v = beta * v - lr * g
            w = w + v
            path.append(w)
        return np.array(path)

    result = ex.nesterov_path.check(nesterov_path)
    assert result.status == "incorrect"
    assert "value at index (0,): expected -0.19, got -0.1" in result.message


def test_nesterov_plain_sgd_is_incorrect():
    def nesterov_path(grads, lr, beta=0.9):
        return -lr * np.cumsum(grads)

    result = ex.nesterov_path.check(nesterov_path)
    assert result.status == "incorrect"
    assert "value at index (0,)" in result.message


def test_nesterov_stub_is_not_attempted():
    def nesterov_path(grads, lr, beta=0.9):
        raise NotImplementedError

    assert ex.nesterov_path.check(nesterov_path).status == "not attempted"


def test_tanh_grads_reference_passes_and_matches_finite_differences():
    assert ex.tanh_mlp_grads.check(ex._tanh_mlp_grads).status == "correct"
    rng = np.random.default_rng(0)
    (params, X, y), _ = ex._random_mlp_case(rng)
    grads = ex._tanh_mlp_grads(params, X, y)

    def loss(ps):
        Z = np.tanh(X @ ps[0] + ps[1]) @ ps[2] + ps[3]
        Z = Z - Z.max(axis=1, keepdims=True)
        log_p = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
        return -np.mean(log_p[np.arange(len(y)), y])

    eps = 1e-6
    for k in range(len(params)):
        bumped = [q.copy() for q in params]
        bumped[k].flat[0] += eps
        numeric = (loss(bumped) - loss(params)) / eps
        assert abs(numeric - grads[k].flat[0]) < 1e-4


def test_tanh_grads_with_relu_derivative_is_incorrect():
    def tanh_mlp_grads(params, X, y):  # the lesson's ReLU factor left in place
        W1, b1, W2, b2 = params
        A = X @ W1 + b1
        H = np.tanh(A)
        Z = H @ W2 + b2
        P = np.exp(Z - Z.max(axis=1, keepdims=True))
        P /= P.sum(axis=1, keepdims=True)
        dZ = P.copy()
        dZ[np.arange(len(y)), y] -= 1
        dZ /= len(y)
        dA = (dZ @ W2.T) * (A > 0)
        return [X.T @ dA, dA.sum(axis=0), H.T @ dZ, dZ.sum(axis=0)]

    assert ex.tanh_mlp_grads.check(tanh_mlp_grads).status == "incorrect"


def test_tanh_grads_without_mean_is_incorrect():
    def tanh_mlp_grads(params, X, y):  # sums the loss over the rows
        grads = ex._tanh_mlp_grads(params, X, y)
        return [g * len(y) for g in grads]

    result = ex.tanh_mlp_grads.check(tanh_mlp_grads)
    assert result.status == "incorrect"


def test_tanh_grads_stub_is_not_attempted():
    def tanh_mlp_grads(params, X, y): ...

    assert ex.tanh_mlp_grads.check(tanh_mlp_grads).status == "not attempted"


def test_cross_entropy_hints_show_no_code():
    for hint in ex.cross_entropy_from_logits.hints + ex.tanh_mlp_grads.hints:
        assert "np." not in hint and "keepdims" not in hint  # words and maths, not code
