import numpy as np

from lesson_exercises import ex_03_lstm as ex


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


# --- lstm_step -------------------------------------------------------------------------------


def test_lstm_step_reference_passes():
    def lstm_step(x, h, c, W, U, b):
        z = x @ W + h @ U + b
        i, f, g, o = np.split(z, 4, axis=-1)
        i, f, g, o = _sigmoid(i), _sigmoid(f), np.tanh(g), _sigmoid(o)
        c_new = f * c + i * g
        return o * np.tanh(c_new), c_new

    assert ex.lstm_step.check(lstm_step).status == "correct"


def test_lstm_step_textbook_gate_order_is_incorrect():
    def lstm_step(x, h, c, W, U, b):  # i, f, o, g: the order of many textbooks, not Keras'
        z = x @ W + h @ U + b
        i, f, o, g = np.split(z, 4, axis=-1)
        i, f, g, o = _sigmoid(i), _sigmoid(f), np.tanh(g), _sigmoid(o)
        c_new = f * c + i * g
        return o * np.tanh(c_new), c_new

    result = ex.lstm_step.check(lstm_step)
    assert result.status == "incorrect"
    assert "item 0" in result.message  # the hidden state of the first case is wrong


def test_lstm_step_missing_output_gate_is_incorrect():
    def lstm_step(x, h, c, W, U, b):
        z = x @ W + h @ U + b
        i, f, g, _ = np.split(z, 4, axis=-1)
        c_new = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        return np.tanh(c_new), c_new

    result = ex.lstm_step.check(lstm_step)
    assert result.status == "incorrect"
    assert "got 0.4621" in result.message  # h = tanh(c) instead of 0 when o is shut


def test_lstm_step_swapped_return_order_is_incorrect():
    def lstm_step(x, h, c, W, U, b):
        z = x @ W + h @ U + b
        i, f, g, o = np.split(z, 4, axis=-1)
        c_new = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        return c_new, _sigmoid(o) * np.tanh(c_new)

    result = ex.lstm_step.check(lstm_step)
    assert result.status == "incorrect"


def test_lstm_step_stub_is_not_attempted():
    def lstm_step(x, h, c, W, U, b):
        """One LSTM step."""
        ...  # your code here

    assert ex.lstm_step.check(lstm_step).status == "not attempted"


# --- lstm_param_count ------------------------------------------------------------------------


def test_param_count_reference_passes():
    def lstm_param_count(units, d):
        return 4 * (units * (units + d) + units)

    assert ex.lstm_param_count.check(lstm_param_count).status == "correct"


def test_param_count_without_bias_is_incorrect():
    def lstm_param_count(units, d):
        return 4 * units * (units + d)

    result = ex.lstm_param_count.check(lstm_param_count)
    assert result.status == "incorrect"
    assert "expected 12, got 8" in result.message  # units=1, d=1


def test_param_count_simple_rnn_formula_is_incorrect():
    def lstm_param_count(units, d):
        return units * (units + d) + units

    result = ex.lstm_param_count.check(lstm_param_count)
    assert result.status == "incorrect"
    assert "expected 12, got 3" in result.message


def test_param_count_stub_is_not_attempted():
    def lstm_param_count(units, d):
        raise NotImplementedError

    assert ex.lstm_param_count.check(lstm_param_count).status == "not attempted"


# --- gate_reading ----------------------------------------------------------------------------


def test_gate_trace_is_consistent():
    trace = ex.gate_trace()
    assert all(v.shape == (ex.GATE_STEPS,) for v in trace.values())
    c = np.zeros(ex.GATE_STEPS)
    previous = 0.0
    for t in range(ex.GATE_STEPS):
        previous = (
            trace["forget gate"][t] * previous + trace["input gate"][t] * trace["candidate"][t]
        )
        c[t] = previous
    np.testing.assert_allclose(trace["cell state"], c)
    np.testing.assert_allclose(trace["hidden state"], trace["output gate"] * np.tanh(c))
    # each event is where its gate leaves its resting level
    assert int(np.argmax(trace["input gate"])) == 6
    assert int(np.argmin(trace["forget gate"])) == 22
    assert int(np.argmax(trace["output gate"])) == 15


def test_gate_reading_right_answer_passes():
    assert ex.gate_reading.check({"write": 6, "erase": 22, "read": 15}).status == "correct"
    answer = {"write": np.int64(6), "erase": 22, "read": 15}
    assert ex.gate_reading.check(answer).status == "correct"


def test_gate_reading_swapped_steps_says_why():
    result = ex.gate_reading.check({"write": 6, "erase": 15, "read": 22})
    assert result.status == "incorrect"
    assert "output gate" in result.message


def test_gate_reading_wrong_shape_of_answer():
    assert ex.gate_reading.check(6).status == "incorrect"
    result = ex.gate_reading.check({"write": 6, "forget": 22, "read": 15})
    assert result.status == "incorrect" and "keys" in result.message


def test_gate_reading_not_attempted():
    assert ex.gate_reading.check(...).status == "not attempted"
    assert ex.gate_reading.check(None).status == "not attempted"


# --- onnx_to_keras ---------------------------------------------------------------------------


def _onnx_lstm_last_h(x, W, R, B):
    """One ONNX-convention LSTM over x (T, d): z = W x + R h + Wb + Rb, blocks i, o, f, c."""
    units = R.shape[1]
    h, c = np.zeros(units), np.zeros(units)
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    for x_t in x:
        z = W @ x_t + R @ h + B[: 4 * units] + B[4 * units :]
        i, o, f, g = np.split(z, 4)
        c = sig(f) * c + sig(i) * np.tanh(g)
        h = sig(o) * np.tanh(c)
    return h


def test_onnx_to_keras_reference_passes_and_matches_keras():
    import keras

    assert ex.onnx_to_keras.check(ex._onnx_to_keras).status == "correct"
    rng = np.random.default_rng(0)
    (W, R, B), _ = ex._onnx_case(rng, 3, 4)
    W, R, B = W * 0.5, R * 0.5, B * 0.5
    x = rng.normal(size=(6, 3))
    layer = keras.layers.LSTM(4)
    layer.build((None, 6, 3))
    layer.set_weights([w.astype("float32") for w in ex._onnx_to_keras(W, R, B)])
    got = keras.ops.convert_to_numpy(layer(x[None].astype("float32")))[0]
    np.testing.assert_allclose(got, _onnx_lstm_last_h(x, W, R, B), atol=1e-5)


def test_onnx_to_keras_without_reordering_is_incorrect():
    def onnx_to_keras(W, R, B):
        u = R.shape[1]
        return W.T, R.T, B[: 4 * u] + B[4 * u :]  # transposed, but still i, o, f, c

    result = ex.onnx_to_keras.check(onnx_to_keras)
    assert result.status == "incorrect"
    assert "expected 3.0, got 2.0" in result.message  # Keras' second block is f, not o


def test_onnx_to_keras_dropping_the_recurrent_bias_is_incorrect():
    def onnx_to_keras(W, R, B):
        k, r, _ = ex._onnx_to_keras(W, R, B)
        u = R.shape[1]
        order = [0, 2, 3, 1]
        return k, r, np.concatenate([np.split(B[: 4 * u], 4)[j] for j in order])

    result = ex.onnx_to_keras.check(onnx_to_keras)
    assert result.status == "incorrect"
    assert "expected 100.5, got 100.0" in result.message


def test_onnx_to_keras_without_transposing_is_incorrect():
    def onnx_to_keras(W, R, B):
        k, r, b = ex._onnx_to_keras(W, R, B)
        return k.T, r.T, b

    result = ex.onnx_to_keras.check(onnx_to_keras)
    assert result.status == "incorrect"
    assert "wrong shape" in result.message


def test_onnx_to_keras_stub_is_not_attempted():
    def onnx_to_keras(W, R, B): ...

    assert ex.onnx_to_keras.check(onnx_to_keras).status == "not attempted"


# --- forget_bias_for_span --------------------------------------------------------------------


def test_forget_bias_reference_passes_and_keeps_the_span():
    assert ex.forget_bias_for_span.check(ex._forget_bias_for_span).status == "correct"
    b = ex._forget_bias_for_span(100)
    assert abs((1 / (1 + np.exp(-b))) ** 100 - 0.5) < 1e-9


def test_forget_bias_forgetting_the_logit_is_incorrect():
    def forget_bias_for_span(n_steps, keep=0.5):
        return keep ** (1 / n_steps)  # the gate value, not the bias that produces it

    result = ex.forget_bias_for_span.check(forget_bias_for_span)
    assert result.status == "incorrect"
    assert "expected 0.0, got 0.5" in result.message  # one step: sigmoid(0) = 0.5


def test_forget_bias_linear_in_the_span_is_incorrect():
    def forget_bias_for_span(n_steps, keep=0.5):
        f = 1 - (1 - keep) / n_steps  # a linear guess
        return float(np.log(f / (1 - f)))

    result = ex.forget_bias_for_span.check(forget_bias_for_span)
    assert result.status == "incorrect"


def test_forget_bias_stub_is_not_attempted():
    def forget_bias_for_span(n_steps, keep=0.5): ...

    assert ex.forget_bias_for_span.check(forget_bias_for_span).status == "not attempted"


def test_new_solutions_run_cleanly():
    for exercise in (ex.onnx_to_keras, ex.forget_bias_for_span):
        namespace = {"np": np}
        exec(exercise.solution_code, namespace)
        assert exercise.check(namespace[exercise.name]).status == "correct"


# --- repaired_stack ---------------------------------------------------------------------------


def _stack(*recurrent, head=None):
    import keras

    return keras.Sequential(
        [keras.Input((None, 3)), *recurrent, head if head is not None else keras.layers.Dense(1)]
    )


def test_repaired_stack_reference_passes():
    assert ex.repaired_stack.check(ex._repaired_stack).status == "correct"


def test_repaired_stack_still_broken_is_incorrect():
    import keras

    def repaired_stack():  # the broken model: the second LSTM gets (batch, 16), not a sequence
        return _stack(keras.layers.LSTM(16), keras.layers.LSTM(8))

    result = ex.repaired_stack.check(repaired_stack)
    assert result.status == "incorrect"
    assert "repaired_stack() raised" in result.message


def test_repaired_stack_only_first_layer_fixed_is_incorrect():
    import keras

    def repaired_stack():  # builds, but gives one prediction per sequence
        return _stack(keras.layers.LSTM(16, return_sequences=True), keras.layers.LSTM(8))

    result = ex.repaired_stack.check(repaired_stack)
    assert result.status == "incorrect"
    assert "returns shape (2, 1)" in result.message
    assert "the last LSTM has to return its whole sequence" in result.message


def test_repaired_stack_one_layer_is_incorrect():
    import keras

    def repaired_stack():  # the right shape, but the stack is gone
        return _stack(keras.layers.LSTM(16, return_sequences=True))

    result = ex.repaired_stack.check(repaired_stack)
    assert result.status == "incorrect"
    assert "found LSTM units [16]" in result.message


def test_repaired_stack_bidirectional_is_incorrect():
    import keras

    def repaired_stack():
        return _stack(
            keras.layers.Bidirectional(keras.layers.LSTM(16, return_sequences=True)),
            keras.layers.LSTM(8, return_sequences=True),
        )

    result = ex.repaired_stack.check(repaired_stack)
    assert result.status == "incorrect"
    assert "Bidirectional" in result.message


def test_repaired_stack_reading_backwards_is_incorrect():
    import keras

    def repaired_stack():  # right shape, but step t now sees every later step
        return _stack(
            keras.layers.LSTM(16, return_sequences=True, go_backwards=True),
            keras.layers.LSTM(8, return_sequences=True),
        )

    result = ex.repaired_stack.check(repaired_stack)
    assert result.status == "incorrect"
    assert "changing only steps 6 and later changed the predictions" in result.message


def test_repaired_stack_fixed_length_is_incorrect():
    import keras

    def repaired_stack():  # only sequences of 20 steps
        return keras.Sequential(
            [
                keras.Input((20, 3)),
                keras.layers.LSTM(16, return_sequences=True),
                keras.layers.LSTM(8, return_sequences=True),
                keras.layers.Dense(1),
            ]
        )

    result = ex.repaired_stack.check(repaired_stack)
    assert result.status == "incorrect"
    assert "keep keras.Input((None, 3))" in result.message


def test_repaired_stack_solution_runs_cleanly():
    import keras

    namespace = {"keras": keras}
    exec(ex.repaired_stack.solution_code, namespace)
    assert ex.repaired_stack.check(namespace["repaired_stack"]).status == "correct"


def test_repaired_stack_not_a_model_is_incorrect():
    result = ex.repaired_stack.check(lambda: "a model")
    assert result.status == "incorrect"
    assert "must return a Keras model" in result.message


def test_repaired_stack_stub_is_not_attempted():
    def repaired_stack(): ...

    assert ex.repaired_stack.check(repaired_stack).status == "not attempted"
    assert ex.repaired_stack.check(...).status == "not attempted"
