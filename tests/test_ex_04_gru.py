import numpy as np

from lesson_exercises import ex_04_gru as ex


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


# --- gru_step --------------------------------------------------------------------------------


def test_gru_step_reference_passes():
    def gru_step(x, h, W, U, b):
        x_z, x_r, x_h = np.split(x @ W + b[0], 3, axis=-1)
        h_z, h_r, h_h = np.split(h @ U + b[1], 3, axis=-1)
        z, r = _sigmoid(x_z + h_z), _sigmoid(x_r + h_r)
        return z * h + (1 - z) * np.tanh(x_h + r * h_h)

    assert ex.gru_step.check(gru_step).status == "correct"


def test_gru_step_swapped_update_convention_is_incorrect():
    def gru_step(x, h, W, U, b):  # the (1 - z) * h + z * candidate convention of some papers
        x_z, x_r, x_h = np.split(x @ W + b[0], 3, axis=-1)
        h_z, h_r, h_h = np.split(h @ U + b[1], 3, axis=-1)
        z, r = _sigmoid(x_z + h_z), _sigmoid(x_r + h_r)
        return (1 - z) * h + z * np.tanh(x_h + r * h_h)

    result = ex.gru_step.check(gru_step)
    assert result.status == "incorrect"
    # the first case forces the update gate open, so the old state (0.3) must come back
    assert "expected 0.3" in result.message


def test_gru_step_reset_before_is_incorrect():
    def gru_step(x, h, W, U, b):  # reset_after=False maths on reset_after=True weights
        units = h.shape[-1]
        x_z, x_r, x_h = np.split(x @ W + b[0], 3, axis=-1)
        h_z, h_r, _ = np.split(h @ U + b[1], 3, axis=-1)
        z, r = _sigmoid(x_z + h_z), _sigmoid(x_r + h_r)
        candidate = np.tanh(x_h + (r * h) @ U[:, 2 * units :] + b[1, 2 * units :])
        return z * h + (1 - z) * candidate

    result = ex.gru_step.check(gru_step)
    assert result.status == "incorrect"
    assert "gru_step(" in result.message


def test_gru_step_textbook_gate_order_is_incorrect():
    def gru_step(x, h, W, U, b):  # r, z, h order instead of Keras' z, r, h
        x_r, x_z, x_h = np.split(x @ W + b[0], 3, axis=-1)
        h_r, h_z, h_h = np.split(h @ U + b[1], 3, axis=-1)
        z, r = _sigmoid(x_z + h_z), _sigmoid(x_r + h_r)
        return z * h + (1 - z) * np.tanh(x_h + r * h_h)

    assert ex.gru_step.check(gru_step).status == "incorrect"


def test_gru_step_stub_is_not_attempted():
    def gru_step(x, h, W, U, b):
        """One GRU step."""
        ...  # your code here

    assert ex.gru_step.check(gru_step).status == "not attempted"


# --- sample_top_k -----------------------------------------------------------------------------


def _top_k_reference(logits, k, temperature, size, rng):
    logits = np.asarray(logits, dtype=np.float64)
    keep = np.argsort(logits)[len(logits) - k :]
    scaled = logits[keep] / temperature
    p = np.exp(scaled - scaled.max())
    return keep[rng.choice(k, size=size, p=p / p.sum())]


def test_top_k_reference_passes():
    assert ex.sample_top_k.check(_top_k_reference).status == "correct"


def test_top_k_by_masking_and_inverse_cdf_also_passes():
    def sample_top_k(logits, k, temperature, size, rng):  # different draws, same law
        logits = np.asarray(logits, dtype=np.float64)
        cut = np.sort(logits)[-k]
        scaled = np.where(logits >= cut, logits / temperature, -np.inf)
        p = np.exp(scaled - scaled.max())
        cdf = np.cumsum(p / p.sum())
        return np.minimum(np.searchsorted(cdf, rng.random(size)), len(p) - 1)

    assert ex.sample_top_k.check(sample_top_k).status == "correct"


def test_top_k_ignoring_k_is_incorrect():
    def sample_top_k(logits, k, temperature, size, rng):
        scaled = np.asarray(logits, dtype=np.float64) / temperature
        p = np.exp(scaled - scaled.max())
        return rng.choice(len(p), size=size, p=p / p.sum())

    result = ex.sample_top_k.check(sample_top_k)
    assert result.status == "incorrect"
    assert "do not follow the top-k softmax" in result.message


def test_top_k_positions_not_mapped_back_is_incorrect():
    def sample_top_k(logits, k, temperature, size, rng):
        logits = np.asarray(logits, dtype=np.float64)
        keep = np.argsort(logits)[len(logits) - k :]
        scaled = logits[keep] / temperature
        p = np.exp(scaled - scaled.max())
        return rng.choice(k, size=size, p=p / p.sum())  # positions, not ids

    assert ex.sample_top_k.check(sample_top_k).status == "incorrect"


def test_top_k_ignoring_temperature_is_incorrect():
    def sample_top_k(logits, k, temperature, size, rng):
        return _top_k_reference(logits, k, 1.0, size, rng)

    assert ex.sample_top_k.check(sample_top_k).status == "incorrect"


def test_top_k_without_max_subtraction_is_incorrect():
    def sample_top_k(logits, k, temperature, size, rng):
        logits = np.asarray(logits, dtype=np.float64)
        keep = np.argsort(logits)[len(logits) - k :]
        p = np.exp(logits[keep] / temperature)
        return keep[rng.choice(k, size=size, p=p / p.sum())]

    with np.errstate(over="ignore", invalid="ignore"):
        result = ex.sample_top_k.check(sample_top_k)
    assert result.status == "incorrect"


def test_top_k_stub_is_not_attempted():
    def sample_top_k(logits, k, temperature, size, rng):
        """Top-k sampling."""
        ...  # your code here

    assert ex.sample_top_k.check(sample_top_k).status == "not attempted"


# --- gru_param_count -------------------------------------------------------------------------


def test_param_count_reference_passes():
    def gru_param_count(units, d, reset_after=True):
        return 3 * (units * (d + units) + (2 if reset_after else 1) * units)

    assert ex.gru_param_count.check(gru_param_count).status == "correct"


def test_param_count_single_bias_is_incorrect():
    def gru_param_count(units, d, reset_after=True):
        return 3 * (units * (d + units) + units)

    result = ex.gru_param_count.check(gru_param_count)
    assert result.status == "incorrect"
    assert "expected 12, got 9" in result.message  # units=1, d=1, reset_after=True


def test_param_count_lstm_formula_is_incorrect():
    def gru_param_count(units, d, reset_after=True):
        return 4 * (units * (d + units) + units)

    assert ex.gru_param_count.check(gru_param_count).status == "incorrect"


def test_param_count_stub_is_not_attempted():
    def gru_param_count(units, d, reset_after=True):
        raise NotImplementedError

    assert ex.gru_param_count.check(gru_param_count).status == "not attempted"


def test_param_count_matches_keras():
    import keras

    for reset_after in (True, False):
        layer = keras.layers.GRU(7, reset_after=reset_after)
        layer.build((None, 5, 3))
        assert layer.count_params() == ex._gru_param_count(7, 3, reset_after)


def test_reference_gru_step_matches_keras():
    import keras

    rng = np.random.default_rng(0)
    (x, h, W, U, b), _ = ex._step_case(rng, 2, 3, 4)
    layer = keras.layers.GRU(4, return_state=True)
    layer.build((None, 1, 3))
    layer.set_weights([W.astype("float32"), U.astype("float32"), b.astype("float32")])
    out, _ = layer(x[:, None, :].astype("float32"), initial_state=h.astype("float32"))
    assert np.max(np.abs(np.asarray(out) - ex._gru_step(x, h, W, U, b))) < 1e-5


# --- gru_jacobian ----------------------------------------------------------------------------


def test_reference_jacobian_matches_finite_differences():
    rng = np.random.default_rng(3)
    (x, h, W, U, b), _ = ex._jacobian_case(rng, 3, 4, scale=1.2)
    eps = 1e-6
    numeric = np.stack(
        [
            (
                ex._gru_step(x[None], (h + eps * e)[None], W, U, b)
                - ex._gru_step(x[None], (h - eps * e)[None], W, U, b)
            )[0]
            / (2 * eps)
            for e in np.eye(len(h))
        ],
        axis=1,
    )
    assert np.max(np.abs(numeric - ex._gru_jacobian(x, h, W, U, b))) < 1e-7


def test_jacobian_reference_passes():
    assert ex.gru_jacobian.check(ex._gru_jacobian).status == "correct"


def test_jacobian_diag_z_only_is_incorrect():
    def gru_jacobian(x, h, W, U, b):  # the "gates held fixed" shortcut
        n = h.shape[-1]
        z = _sigmoid(x @ W[:, :n] + b[0, :n] + h @ U[:, :n] + b[1, :n])
        return np.diag(z)

    result = ex.gru_jacobian.check(gru_jacobian)
    assert result.status == "incorrect"
    assert "gru_jacobian(" in result.message


def test_jacobian_transposed_is_incorrect():
    def gru_jacobian(x, h, W, U, b):
        return ex._gru_jacobian(x, h, W, U, b).T  # J[j, i] instead of J[i, j]

    assert ex.gru_jacobian.check(gru_jacobian).status == "incorrect"


def test_jacobian_stub_is_not_attempted():
    def gru_jacobian(x, h, W, U, b): ...  # your code here

    assert ex.gru_jacobian.check(gru_jacobian).status == "not attempted"


# --- keras_to_chung --------------------------------------------------------------------------


def test_reference_conversion_reproduces_the_keras_step():
    rng = np.random.default_rng(4)
    (x, h, W, U, b), _ = ex._step_case(rng, 3, 2, 4)
    converted = ex._keras_to_chung(W, U, b)
    assert np.max(np.abs(ex.chung_step(x, h, *converted) - ex._gru_step(x, h, W, U, b))) < 1e-12


def test_conversion_reference_passes():
    assert ex.keras_to_chung.check(ex._keras_to_chung).status == "correct"


def test_conversion_with_shifted_bias_rows_also_passes():
    def keras_to_chung(W, U, b):  # z and r biases only count as a sum: moving them is fine
        W2, U2, b2 = ex._keras_to_chung(W, U, b)
        n = U.shape[0]
        b2 = b2.copy()
        b2[0, :n] += b2[1, :n]
        b2[1, :n] = 0.0
        return W2, U2, b2

    assert ex.keras_to_chung.check(keras_to_chung).status == "correct"


def test_conversion_negating_only_kernels_is_incorrect():
    def keras_to_chung(W, U, b):
        n = U.shape[0]
        W, U = W.copy(), U.copy()
        W[:, :n], U[:, :n] = -W[:, :n], -U[:, :n]  # forgot the biases
        return W, U, b

    result = ex.keras_to_chung.check(keras_to_chung)
    assert result.status == "incorrect"
    assert "does not compute" in result.message


def test_conversion_returning_inputs_is_incorrect():
    def keras_to_chung(W, U, b):
        return W, U, b

    assert ex.keras_to_chung.check(keras_to_chung).status == "incorrect"


def test_conversion_stub_is_not_attempted():
    def keras_to_chung(W, U, b): ...  # your code here

    assert ex.keras_to_chung.check(keras_to_chung).status == "not attempted"
