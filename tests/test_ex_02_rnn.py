import numpy as np

from lesson_exercises import ex_02_rnn as ex

# --- rnn_step --------------------------------------------------------------------------------


def test_rnn_step_reference_passes():
    def rnn_step(x, h, W, U, b):
        return np.tanh(x @ W + h @ U + b)

    assert ex.rnn_step.check(rnn_step).status == "correct"


def test_rnn_step_without_tanh_is_incorrect():
    def rnn_step(x, h, W, U, b):
        return x @ W + h @ U + b

    result = ex.rnn_step.check(rnn_step)
    assert result.status == "incorrect"
    assert "expected -0.964" in result.message  # tanh(-2) in the bias-only case; got -2.0
    assert "got -2.0" in result.message


def test_rnn_step_forgetting_the_state_is_incorrect():
    def rnn_step(x, h, W, U, b):
        return np.tanh(x @ W + b)

    result = ex.rnn_step.check(rnn_step)
    assert result.status == "incorrect"
    assert "got 0.0" in result.message  # the memory-only case: tanh(2 * 0.1) expected


def test_rnn_step_column_vector_layout_raises_and_is_incorrect():
    def rnn_step(x, h, W, U, b):
        return np.tanh(W @ x + U @ h + b)  # the textbook layout, wrong for Keras' shapes

    result = ex.rnn_step.check(rnn_step)
    assert result.status == "incorrect"
    assert "raised ValueError" in result.message


def test_rnn_step_stub_is_not_attempted():
    def rnn_step(x, h, W, U, b):
        """One step of a simple RNN."""
        ...  # your code here

    assert ex.rnn_step.check(rnn_step).status == "not attempted"


# --- rnn_forward -----------------------------------------------------------------------------


def test_rnn_forward_reference_passes():
    def rnn_forward(xs, h0, W, U, b):
        h, states = h0, []
        for t in range(xs.shape[1]):
            h = np.tanh(xs[:, t] @ W + h @ U + b)
            states.append(h)
        return np.stack(states, axis=1)

    assert ex.rnn_forward.check(rnn_forward).status == "correct"


def test_rnn_forward_not_carrying_the_state_is_incorrect():
    def rnn_forward(xs, h0, W, U, b):
        states = [np.tanh(xs[:, t] @ W + h0 @ U + b) for t in range(xs.shape[1])]
        return np.stack(states, axis=1)

    result = ex.rnn_forward.check(rnn_forward)
    assert result.status == "incorrect"
    assert "index (0, 1, 0)" in result.message  # the second step is the first one wrong


def test_rnn_forward_returning_only_the_last_state_is_incorrect():
    def rnn_forward(xs, h0, W, U, b):
        h = h0
        for t in range(xs.shape[1]):
            h = np.tanh(xs[:, t] @ W + h @ U + b)
        return h

    result = ex.rnn_forward.check(rnn_forward)
    assert result.status == "incorrect"
    assert "wrong shape: expected (1, 4, 1), got (1, 1)" in result.message


def test_rnn_forward_time_major_output_is_incorrect():
    def rnn_forward(xs, h0, W, U, b):
        h, states = h0, []
        for t in range(xs.shape[1]):
            h = np.tanh(xs[:, t] @ W + h @ U + b)
            states.append(h)
        return np.stack(states)  # (T, batch, units)

    result = ex.rnn_forward.check(rnn_forward)
    assert result.status == "incorrect"
    assert "wrong shape: expected (1, 4, 1), got (4, 1, 1)" in result.message


def test_rnn_forward_stub_is_not_attempted():
    def rnn_forward(xs, h0, W, U, b):
        raise NotImplementedError

    assert ex.rnn_forward.check(rnn_forward).status == "not attempted"


# --- simple_rnn_param_count ------------------------------------------------------------------


def test_param_count_reference_passes():
    def simple_rnn_param_count(units, d):
        return units * (d + units + 1)

    assert ex.simple_rnn_param_count.check(simple_rnn_param_count).status == "correct"


def test_param_count_without_bias_is_incorrect():
    def simple_rnn_param_count(units, d):
        return units * (d + units)

    result = ex.simple_rnn_param_count.check(simple_rnn_param_count)
    assert result.status == "incorrect"
    assert "expected 3, got 2" in result.message  # units=1, d=1


def test_param_count_without_recurrent_kernel_is_incorrect():
    def simple_rnn_param_count(units, d):
        return units * (d + 1)  # a Dense layer's count

    result = ex.simple_rnn_param_count.check(simple_rnn_param_count)
    assert result.status == "incorrect"
    assert "expected 3, got 2" in result.message


def test_param_count_matches_keras():
    import keras

    for units, d in [(1, 1), (16, 1), (32, 2), (5, 7)]:
        layer = keras.layers.SimpleRNN(units)
        layer.build((None, 10, d))
        assert layer.count_params() == ex._simple_rnn_param_count(units, d)


def test_param_count_stub_is_not_attempted():
    def simple_rnn_param_count(units, d): ...

    assert ex.simple_rnn_param_count.check(simple_rnn_param_count).status == "not attempted"


# --- lag_baseline_mae ------------------------------------------------------------------------


def test_lag_baseline_reference_passes():
    def lag_baseline_mae(series, lag):
        series = np.asarray(series, dtype=float)
        return float(np.mean(np.abs(series[lag:] - series[:-lag])))

    assert ex.lag_baseline_mae.check(lag_baseline_mae).status == "correct"


def test_lag_baseline_signed_errors_are_incorrect():
    def lag_baseline_mae(series, lag):
        return float(np.mean(series[lag:] - series[:-lag]))  # errors cancel out

    result = ex.lag_baseline_mae.check(lag_baseline_mae)
    assert result.status == "incorrect"
    assert "expected 1.0, got 0.0" in result.message  # the zig-zag case: +1 and -1 cancel


def test_lag_baseline_ignoring_the_lag_is_incorrect():
    def lag_baseline_mae(series, lag):
        return float(np.mean(np.abs(np.diff(series))))

    result = ex.lag_baseline_mae.check(lag_baseline_mae)
    assert result.status == "incorrect"
    assert "expected 0.0, got 1.0" in result.message  # the seasonal case with lag 2


def test_lag_baseline_stub_is_not_attempted():
    def lag_baseline_mae(series, lag):
        """MAE of predicting series[t] by series[t - lag]."""
        ...  # your code here

    assert ex.lag_baseline_mae.check(lag_baseline_mae).status == "not attempted"


def test_reference_solutions_run_cleanly():
    """The solution text of every exercise is valid code that passes its own check."""
    for exercise in (ex.rnn_step, ex.rnn_forward, ex.simple_rnn_param_count, ex.lag_baseline_mae):
        namespace = {"np": np}
        exec(exercise.solution_code, namespace)
        assert exercise.check(namespace[exercise.name]).status == "correct"


# --- make_pairs ------------------------------------------------------------------------------


def _pairs_reference(series, window, horizon=1):
    """An independent solution (NumPy's sliding windows), not a copy of the exercise's own."""
    series = np.asarray(series, dtype=float)
    if len(series) < window + horizon:
        return np.zeros((0, window)), np.zeros((0, horizon))
    windows = np.lib.stride_tricks.sliding_window_view(series, window + horizon)
    return windows[:, :window].copy(), windows[:, window:].copy()


def test_make_pairs_reference_passes():
    assert ex.make_pairs.check(_pairs_reference).status == "correct"


def test_make_pairs_one_pair_short_is_incorrect():
    def make_pairs(series, window, horizon=1):
        x, y = _pairs_reference(series, window, horizon)
        return x[:-1], y[:-1]  # off by one: the last pair is lost

    result = ex.make_pairs.check(make_pairs)
    assert result.status == "incorrect"
    assert "wrong shape" in result.message and "(7, 3)" in result.message


def test_make_pairs_ignoring_the_horizon_is_incorrect():
    def make_pairs(series, window, horizon=1):
        return _pairs_reference(series, window, 1)

    result = ex.make_pairs.check(make_pairs)
    assert result.status == "incorrect"
    assert "wrong shape" in result.message


def test_make_pairs_target_inside_the_window_is_incorrect():
    def make_pairs(series, window, horizon=1):
        series = np.asarray(series, dtype=float)
        n = len(series) - window - horizon + 1
        x = np.stack([series[s : s + window] for s in range(n)])
        y = np.stack([series[s + window - 1 : s + window - 1 + horizon] for s in range(n)])
        return x, y  # the target is the window's own last value

    result = ex.make_pairs.check(make_pairs)
    assert result.status == "incorrect"
    assert "expected 3.0, got 2.0" in result.message


def test_make_pairs_stub_is_not_attempted():
    def make_pairs(series, window, horizon=1): ...

    assert ex.make_pairs.check(make_pairs).status == "not attempted"


# --- masked_last_state -----------------------------------------------------------------------


def test_masked_last_state_reference_passes():
    def masked_last_state(xs, lengths, W, U, b):
        h = np.zeros((xs.shape[0], U.shape[0]))
        for t in range(xs.shape[1]):
            new = np.tanh(xs[:, t] @ W + h @ U + b)
            h = np.where((t < np.asarray(lengths))[:, None], new, h)
        return h

    assert ex.masked_last_state.check(masked_last_state).status == "correct"


def test_masked_last_state_ignoring_the_mask_is_incorrect():
    def masked_last_state(xs, lengths, W, U, b):
        h = np.zeros((xs.shape[0], U.shape[0]))
        for t in range(xs.shape[1]):
            h = np.tanh(xs[:, t] @ W + h @ U + b)  # runs through the zero padding
        return h

    result = ex.masked_last_state.check(masked_last_state)
    assert result.status == "incorrect"
    assert "index (0, " in result.message  # the padded first row is wrong


def test_masked_last_state_zeroing_padded_steps_is_incorrect():
    def masked_last_state(xs, lengths, W, U, b):
        h = np.zeros((xs.shape[0], U.shape[0]))
        for t in range(xs.shape[1]):
            real = (t < np.asarray(lengths))[:, None]
            h = np.where(real, np.tanh(xs[:, t] @ W + h @ U + b), 0.0)  # resets, not carries
        return h

    result = ex.masked_last_state.check(masked_last_state)
    assert result.status == "incorrect"


def test_masked_last_state_matches_keras_masking():
    import keras

    (xs, lengths, W, U, b), _ = ex._masked_case(np.random.default_rng(5), [2, 5, 3], 5, 2, 3)
    layer = keras.layers.SimpleRNN(3)
    net = keras.Sequential([keras.Input((None, 2)), keras.layers.Masking(), layer])
    layer.set_weights([W.astype("float32"), U.astype("float32"), b.astype("float32")])
    got = keras.ops.convert_to_numpy(net(xs.astype("float32")))
    np.testing.assert_allclose(got, ex._masked_last_state(xs, lengths, W, U, b), atol=1e-5)


def test_masked_last_state_stub_is_not_attempted():
    def masked_last_state(xs, lengths, W, U, b):
        raise NotImplementedError

    assert ex.masked_last_state.check(masked_last_state).status == "not attempted"


def test_new_solutions_run_cleanly():
    for exercise in (ex.make_pairs, ex.masked_last_state):
        namespace = {"np": np}
        exec(exercise.solution_code, namespace)
        assert exercise.check(namespace[exercise.name]).status == "correct"


# --- global_clip -----------------------------------------------------------------------------


def test_global_clip_reference_passes_and_matches_tensorflow():
    import tensorflow as tf

    def global_clip(grads, max_norm):
        norm = np.sqrt(sum(np.sum(np.square(g)) for g in grads))
        scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
        return [np.asarray(g) * scale for g in grads]

    assert ex.global_clip.check(global_clip).status == "correct"
    rng = np.random.default_rng(3)
    for _ in range(5):
        (grads, max_norm), _ = ex._random_grads(rng)
        theirs, _ = tf.clip_by_global_norm([tf.constant(g) for g in grads], max_norm)
        for ours, tf_clipped in zip(ex._global_clip(grads, max_norm), theirs, strict=True):
            np.testing.assert_allclose(ours, tf_clipped.numpy(), rtol=1e-6)


def test_global_clip_per_tensor_clipnorm_is_incorrect():
    def global_clip(grads, max_norm):  # clipnorm: each tensor on its own
        out = []
        for g in grads:
            norm = np.linalg.norm(g)
            out.append(g * min(1.0, max_norm / norm) if norm > 0 else g)
        return out

    assert ex.global_clip.check(global_clip).status == "incorrect"


def test_global_clip_always_rescaling_is_incorrect():
    def global_clip(grads, max_norm):  # rescales to max_norm even when below it
        norm = np.sqrt(sum(np.sum(np.square(g)) for g in grads))
        return [g * (max_norm / norm) if norm > 0 else g for g in grads]

    assert ex.global_clip.check(global_clip).status == "incorrect"


def test_global_clip_stub_is_not_attempted():
    def global_clip(grads, max_norm): ...

    assert ex.global_clip.check(global_clip).status == "not attempted"
