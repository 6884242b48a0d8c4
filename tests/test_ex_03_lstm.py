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
