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


# --- backward_states -------------------------------------------------------------------------


def _backward_solution(xs, h0, W, U, b):
    """An independent solution: the forward loop on the reversed sequence, reversed back."""
    h, states = h0, []
    for x_t in xs[:, ::-1].transpose(1, 0, 2):
        h = np.tanh(x_t @ W + h @ U + b)
        states.append(h)
    return np.stack(states[::-1], axis=1)


def test_backward_states_reference_passes():
    assert ex.backward_states.check(_backward_solution).status == "correct"


def test_backward_states_matches_keras_bidirectional():
    import keras

    (xs, _, W, U, b), _ = ex._forward_case(np.random.default_rng(7), 2, 5, 3, 4)
    both = keras.layers.Bidirectional(
        keras.layers.SimpleRNN(4, return_sequences=True), merge_mode=None
    )
    both.build((None, 5, 3))
    both.backward_layer.set_weights([W, U, b])
    _, backward = both(xs.astype("float32"))
    want = ex._backward_states(xs, np.zeros((2, 4)), W, U, b)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(backward), want, atol=1e-5)


def test_backward_states_in_computation_order_is_incorrect():
    def backward_states(xs, h0, W, U, b):  # forgets to put the states back in input order
        return _backward_solution(xs, h0, W, U, b)[:, ::-1]

    result = ex.backward_states.check(backward_states)
    assert result.status == "incorrect"
    assert "value at index (0, 0, 0)" in result.message


def test_backward_states_running_forward_is_incorrect():
    def backward_states(xs, h0, W, U, b):  # the lesson's forward pass
        h, states = h0, []
        for t in range(xs.shape[1]):
            h = np.tanh(xs[:, t] @ W + h @ U + b)
            states.append(h)
        return np.stack(states, axis=1)

    assert ex.backward_states.check(backward_states).status == "incorrect"


def test_backward_states_stub_is_not_attempted():
    def backward_states(xs, h0, W, U, b):
        """All states, read from the end."""
        ...

    assert ex.backward_states.check(backward_states).status == "not attempted"


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


# --- seasonal_drift_mae ----------------------------------------------------------------------


def test_seasonal_drift_reference_passes():
    def seasonal_drift_mae(series, season):  # an independent solution, with a loop
        errors = [
            abs(series[t] - (series[t - season] + series[t - 1] - series[t - 1 - season]))
            for t in range(season + 1, len(series))
        ]
        return float(np.mean(errors))

    assert ex.seasonal_drift_mae.check(seasonal_drift_mae).status == "correct"


def test_seasonal_drift_is_exact_on_trend_plus_season():
    steps = np.arange(40.0)
    series = 0.5 * steps + np.tile([1.0, -2.0, 0.0, 4.0], 10)
    assert ex._seasonal_drift_mae(series, 4) < 1e-12
    assert np.mean(np.abs(series[4:] - series[:-4])) == 2.0  # the seasonal naive is 2 off


def test_seasonal_drift_without_the_trend_is_incorrect():
    def seasonal_drift_mae(series, season):  # the plain seasonal naive forecast
        return float(np.mean(np.abs(series[season + 1 :] - series[1:-season])))

    result = ex.seasonal_drift_mae.check(seasonal_drift_mae)
    assert result.status == "incorrect"
    assert "expected 0.0" in result.message


def test_seasonal_drift_starting_one_step_early_raises_or_is_incorrect():
    def seasonal_drift_mae(series, season):  # t = season wraps series[-1] round
        t = np.arange(season, len(series))
        forecast = series[t - season] + series[t - 1] - series[t - 1 - season]
        return float(np.mean(np.abs(series[t] - forecast)))

    assert ex.seasonal_drift_mae.check(seasonal_drift_mae).status == "incorrect"


def test_seasonal_drift_stub_is_not_attempted():
    def seasonal_drift_mae(series, season): ...

    assert ex.seasonal_drift_mae.check(seasonal_drift_mae).status == "not attempted"


def test_reference_solutions_run_cleanly():
    """The solution text of every exercise is valid code that passes its own check."""
    for exercise in (ex.rnn_step, ex.simple_rnn_param_count):
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
    for exercise in (
        ex.backward_states,
        ex.seasonal_drift_mae,
        ex.make_pairs,
        ex.masked_last_state,
    ):
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
