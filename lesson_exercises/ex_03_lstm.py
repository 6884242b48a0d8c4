"""Lesson 03's checked exercises: one LSTM step, the parameter count, reading a gate plot,
and three transfer exercises: porting ONNX weights to Keras, the forget-gate bias that
keeps a memory for a given number of steps, and repairing a stacked model that returns the
wrong shape (Keras is imported only when that one is checked)."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import BuilderExercise, FunctionExercise, ValueExercise

LESSON = "03_lstm"


# --- 1. One LSTM step ---------------------------------------------------------------------


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _lstm_step(x, h, c, W, U, b):
    z = x @ W + h @ U + b
    i, f, g, o = np.split(z, 4, axis=-1)  # Keras order: input, forget, candidate, output
    i, f, g, o = _sigmoid(i), _sigmoid(f), np.tanh(g), _sigmoid(o)
    c_new = f * c + i * g
    h_new = o * np.tanh(c_new)
    return h_new, c_new


def _step_case(rng: np.random.Generator, n: int, d: int, units: int, scale: float = 0.6):
    x = rng.normal(size=(n, d))
    h = np.tanh(rng.normal(size=(n, units)))
    c = rng.normal(size=(n, units))
    W = rng.normal(scale=scale, size=(d, 4 * units))
    U = rng.normal(scale=scale, size=(units, 4 * units))
    b = rng.normal(scale=scale, size=(4 * units,))
    return (x, h, c, W, U, b), {}


def _forget_only_case():
    """Forget gate fully open, every other gate shut: the cell must be carried unchanged
    and h must be 0 (the output gate is shut)."""
    units, d = 3, 2
    b = np.concatenate(
        [np.full(units, -30.0), np.full(units, 30.0), np.zeros(units), np.full(units, -30.0)]
    )
    x = np.ones((1, d))
    h = np.zeros((1, units))
    c = np.array([[0.5, -1.0, 2.0]])
    return (x, h, c, np.zeros((d, 4 * units)), np.zeros((units, 4 * units)), b), {}


def _random_step(rng: np.random.Generator):
    n, d, units = (int(v) for v in rng.integers(1, 6, size=3))
    return _step_case(rng, n, d, units)


lstm_step = FunctionExercise(
    lesson=LESSON,
    name="lstm_step",
    reference=_lstm_step,
    cases=[
        _forget_only_case(),
        _step_case(np.random.default_rng(1), 1, 1, 1),
        _step_case(np.random.default_rng(2), 4, 3, 2),
    ],
    random_cases=_random_step,
    hints=[
        "Compute all four pre-activations at once: the input's part (through W), the state's part "
        "(through U) and the bias, added up, have 4*units columns. Cut them into four equal "
        "blocks along the last axis, in Keras' order: input, forget, candidate, output (i, f, g, "
        "o).",
        "Squash i, f and o with the sigmoid 1 / (1 + exp(-z)) and g with tanh. The new cell keeps "
        "the share f of the old cell and adds the candidate scaled by the input gate; the new "
        "hidden state is the output gate times the tanh of the new cell. Return (h_new, c_new) in "
        "that order. Check: with W, U and b all zero and c = 1, every gate is 0.5 and g = 0, so "
        "c_new = 0.5 and h_new = 0.5 * tanh(0.5), about 0.231.",
        "A common slip: taking the gates in the order i, f, o, g (the order of many textbooks). "
        "Keras stores the candidate third and the output gate last.",
    ],
    solution=(
        "def lstm_step(x, h, c, W, U, b):\n"
        "    z = x @ W + h @ U + b\n"
        "    i, f, g, o = np.split(z, 4, axis=-1)\n"
        "    sigmoid = lambda v: 1 / (1 + np.exp(-v))\n"
        "    i, f, g, o = sigmoid(i), sigmoid(f), np.tanh(g), sigmoid(o)\n"
        "    c_new = f * c + i * g\n"
        "    h_new = o * np.tanh(c_new)\n"
        "    return h_new, c_new"
    ),
)


# --- 2. The parameter count ---------------------------------------------------------------


def _lstm_param_count(units: int, d: int) -> int:
    return 4 * (units * (units + d) + units)


def _random_count(rng: np.random.Generator):
    return (int(rng.integers(1, 513)), int(rng.integers(1, 300))), {}


lstm_param_count = FunctionExercise(
    lesson=LESSON,
    name="lstm_param_count",
    reference=_lstm_param_count,
    cases=[((1, 1), {}), ((32, 2), {}), ((1, 100), {}), ((100, 1), {}), ((64, 64), {})],
    random_cases=_random_count,
    hints=[
        "Count one gate first: it has an input kernel (d x units), a recurrent kernel "
        "(units x units) and a bias (units).",
        "An LSTM has four such blocks (input, forget, candidate, output), each as large as the "
        "one gate you counted; the sequence length plays no part. Check: LSTM(4) on 3 features "
        "has 128 parameters.",
    ],
    solution=("def lstm_param_count(units, d):\n    return 4 * (units * (units + d) + units)"),
)


# --- 3. Reading a gate plot ----------------------------------------------------------------

GATE_STEPS = 30
_WRITE, _READ, _ERASE = 6, 15, 22


def gate_trace() -> dict[str, np.ndarray]:
    """A hand-made trace of one LSTM unit over 30 steps, for the gate-reading exercise.

    Returns a dict of float64 arrays of shape (30,): ``"input gate"``, ``"forget gate"``,
    ``"output gate"``, ``"candidate"``, ``"cell state"`` and ``"hidden state"``.
    The cell and hidden states follow the LSTM equations exactly from the gates.
    """
    rng = np.random.default_rng(3)
    steps = GATE_STEPS
    i = 0.03 + 0.04 * rng.random(steps)
    f = 0.95 + 0.04 * rng.random(steps)
    o = 0.05 + 0.08 * rng.random(steps)
    g = 0.2 * rng.standard_normal(steps)
    i[_WRITE], g[_WRITE] = 0.96, 0.85
    f[_ERASE] = 0.03
    o[_READ] = 0.93
    c = np.zeros(steps)
    previous = 0.0
    for t in range(steps):
        previous = f[t] * previous + i[t] * g[t]
        c[t] = previous
    h = o * np.tanh(c)
    return {
        "input gate": i,
        "forget gate": f,
        "output gate": o,
        "candidate": g,
        "cell state": c,
        "hidden state": h,
    }


def _check_gate_reading(value) -> bool | str | None:
    expected = {"write": _WRITE, "erase": _ERASE, "read": _READ}
    if not isinstance(value, dict):
        return (
            "give a dict with three keys, e.g. {'write': 3, 'erase': 4, 'read': 5}, "
            f"not a {type(value).__name__}"
        )
    if set(value) != set(expected):
        return f"the keys must be exactly 'write', 'erase' and 'read' (you gave {sorted(value)})"
    meaning = {
        _WRITE: "the input gate opens there (a write)",
        _ERASE: "the forget gate drops there (an erase)",
        _READ: "the output gate opens there (a read)",
    }
    for key in ("write", "erase", "read"):
        got = value[key]
        if not isinstance(got, (int, np.integer)) or isinstance(got, bool):
            return f"{key!r} must be a whole step number, got {got!r}"
        if got != expected[key]:
            if int(got) in meaning:
                return f"{key!r} = {got} is not right: {meaning[int(got)]}"
            return f"{key!r} = {got} is not right: look for the step where one gate jumps"
    return None


gate_reading = ValueExercise(
    lesson=LESSON,
    name="gate_reading",
    checker=_check_gate_reading,
    hints=[
        "A write needs the input gate open (near 1); an erase needs the forget gate shut "
        "(near 0); a read needs the output gate open. Look for the one step where each gate "
        "leaves its resting level.",
        "The cell state confirms it: it jumps at the write, falls to about zero at the erase, "
        "and the hidden state only shows the cell where the output gate is open.",
    ],
    solution=(
        "gate_reading_answer = {'write': 6, 'erase': 22, 'read': 15}\n"
        "# step 6: the input gate is about 0.96 and the cell jumps up;\n"
        "# step 15: the output gate is about 0.93, so h shows the stored value for once;\n"
        "# step 22: the forget gate is about 0.03 and the cell falls to about zero."
    ),
)


# --- 4. Porting ONNX weights to Keras (transfer) --------------------------------------------

_ONNX_TO_KERAS = (0, 2, 3, 1)  # ONNX blocks are i, o, f, c; Keras wants i, f, c, o


def _onnx_to_keras(W, R, B):
    units = R.shape[1]
    blocks = lambda m: np.split(m, 4, axis=0)  # noqa: E731 - the four (u, ...) row blocks
    kernel = np.concatenate([blocks(W)[k] for k in _ONNX_TO_KERAS], axis=0).T
    recurrent = np.concatenate([blocks(R)[k] for k in _ONNX_TO_KERAS], axis=0).T
    bias = B[: 4 * units] + B[4 * units :]
    bias = np.concatenate([np.split(bias, 4)[k] for k in _ONNX_TO_KERAS])
    return kernel, recurrent, bias


def _onnx_case(rng: np.random.Generator, d: int, units: int):
    W = rng.normal(size=(4 * units, d))
    R = rng.normal(size=(4 * units, units))
    B = rng.normal(size=(8 * units,))
    return (W, R, B), {}


def _labelled_onnx_case():
    """Every ONNX block filled with its own number (i=1, o=2, f=3, c=4), recurrence +10,
    biases 100 and 1000 per block: a wrong order or a missed bias shows up by value."""
    d, units = 2, 2
    labels = np.repeat([1.0, 2.0, 3.0, 4.0], units)[:, None]
    W = np.tile(labels, (1, d))
    R = np.tile(labels + 10, (1, units))
    B = np.concatenate([np.repeat([100.0, 200, 300, 400], units), np.full(4 * units, 0.5)])
    return (W, R, B), {}


def _random_onnx(rng: np.random.Generator):
    return _onnx_case(rng, int(rng.integers(1, 5)), int(rng.integers(1, 5)))


onnx_to_keras = FunctionExercise(
    lesson=LESSON,
    name="onnx_to_keras",
    reference=_onnx_to_keras,
    cases=[_labelled_onnx_case(), _onnx_case(np.random.default_rng(7), 3, 2)],
    random_cases=_random_onnx,
    hints=[
        "Shapes first. ONNX: W is (4u, d), R is (4u, u), B is (8u,). Keras: kernel (d, 4u), "
        "recurrent kernel (u, 4u), bias (4u,). So the kernels are transposed, and the bias "
        "must shrink from 8u to 4u.",
        "ONNX stacks its blocks along the rows in the order i, o, f, c; Keras along the columns "
        "in the order i, f, c, o. Cut the rows into four equal blocks, put them back together in "
        "Keras' order (ONNX's first, third, fourth, then second block), and only then transpose.",
        "B holds two biases, one for the input part and one for the recurrent part; both are "
        "added into every pre-activation, so Keras' single bias is their sum, "
        "B[:4u] + B[4u:], reordered like the kernels.",
    ],
    solution=(
        "def onnx_to_keras(W, R, B):\n"
        "    u = R.shape[1]\n"
        "    order = [0, 2, 3, 1]  # ONNX i, o, f, c -> Keras i, f, c, o\n"
        "    def reorder(m):\n"
        "        blocks = np.split(m, 4, axis=0)\n"
        "        return np.concatenate([blocks[k] for k in order], axis=0)\n"
        "    bias = B[: 4 * u] + B[4 * u :]\n"
        "    return reorder(W).T, reorder(R).T, reorder(bias)"
    ),
)


# --- 5. A forget-gate bias for a given memory span (prediction) ----------------------------


def _forget_bias_for_span(n_steps, keep=0.5):
    per_step = keep ** (1.0 / n_steps)
    return float(np.log(per_step / (1.0 - per_step)))


def _random_span(rng: np.random.Generator):
    return (int(rng.integers(1, 500)),), {"keep": float(rng.uniform(0.05, 0.95))}


forget_bias_for_span = FunctionExercise(
    lesson=LESSON,
    name="forget_bias_for_span",
    reference=_forget_bias_for_span,
    cases=[((1,), {}), ((10,), {}), ((100,), {}), ((100,), {"keep": 0.9}), ((5,), {"keep": 0.1})],
    random_cases=_random_span,
    rtol=1e-4,
    hints=[
        "With no input written (input gate shut) and a constant forget gate f, the cell after "
        "n steps is f**n times its start. You want f**n == keep.",
        "So the forget gate is the n_steps-th root of keep. With zero inputs and zero recurrent "
        "weights the gate is sigmoid(b_f): solve sigmoid(b_f) = f for b_f. Check: keeping half "
        "over a single step needs f = 0.5, so b_f = 0.",
        "The inverse of the sigmoid is the logit, log(p / (1 - p)). Check your prediction with "
        "it: how many steps does Keras' default b_f = 1 keep half a value for?",
    ],
    solution=(
        "def forget_bias_for_span(n_steps, keep=0.5):\n"
        "    f = keep ** (1 / n_steps)\n"
        "    return float(np.log(f / (1 - f)))"
    ),
)


# --- 6. Repair a stacked model that returns the wrong shape (transfer) -----------------------


def _repaired_stack():
    import keras

    return keras.Sequential(
        [
            keras.Input((None, 3)),
            keras.layers.LSTM(16, return_sequences=True),
            keras.layers.LSTM(8, return_sequences=True),
            keras.layers.Dense(1),
        ]
    )


def _check_repaired_stack(make_model) -> str | None:
    """None when ``make_model()`` is two stacked LSTMs (16, 8) + Dense(1) that maps
    (batch, T, 3) to one causal prediction per step, (batch, T, 1), for any T."""
    import keras

    try:
        model = make_model()
    except Exception as err:
        first_line = str(err).strip().splitlines()[0] if str(err).strip() else ""
        return f"repaired_stack() raised {type(err).__name__}: {first_line}"
    if not isinstance(model, keras.Model):
        return f"repaired_stack() must return a Keras model, not a {type(model).__name__}"
    layers = list(model.layers)
    if any(isinstance(layer, keras.layers.Bidirectional) for layer in layers):
        return (
            "a Bidirectional layer reads the later steps too; a prediction at step t may use "
            "only the steps up to t"
        )
    lstm_units = [layer.units for layer in layers if isinstance(layer, keras.layers.LSTM)]
    if lstm_units != [16, 8]:
        return f"keep the two stacked LSTMs with 16 then 8 units (found LSTM units {lstm_units})"
    try:  # Keras 3.13 (Colab's) builds some models only when they run: run it
        return _inspect_stack(model)
    except Exception as err:
        first_line = str(err).strip().splitlines()[0] if str(err).strip() else ""
        return f"repaired_stack() raised {type(err).__name__} when run: {first_line}"


def _inspect_stack(model) -> str | None:
    """The run-time checks of :func:`_check_repaired_stack`: shapes on two lengths, and no
    prediction that depends on later steps."""
    rng = np.random.default_rng(0)
    for steps in (7, 12):
        x = rng.normal(size=(2, steps, 3)).astype("float32")
        out = np.asarray(model(x))
        if out.shape != (2, steps, 1):
            if out.shape == (2, 1):
                return (
                    f"on 2 sequences of {steps} steps it returns shape {out.shape}: one "
                    f"prediction per sequence. A per-step model must return (2, {steps}, 1): "
                    "the last LSTM has to return its whole sequence as well"
                )
            return (
                f"on 2 sequences of {steps} steps it returns shape {out.shape}, expected "
                f"(2, {steps}, 1): one prediction per step"
            )
    shape = tuple(getattr(model, "input_shape", (None, None, 3)))
    if shape[1:] != (None, 3):
        return (
            f"the model reads inputs of shape {shape}; keep keras.Input((None, 3)) so that it "
            "takes sequences of any length"
        )
    later = x.copy()
    later[:, 6:] = rng.normal(size=later[:, 6:].shape)
    moved = np.abs(np.asarray(model(later))[:, :6] - out[:, :6]).max()
    if moved > 1e-5:
        return (
            "changing only steps 6 and later changed the predictions at steps 0-5 (by "
            f"{moved:.3g}): each prediction may use only the steps up to it (no go_backwards, "
            "no layer that mixes the time steps)"
        )
    earlier = x.copy()
    earlier[:, 0] += 1.0
    if np.abs(np.asarray(model(earlier))[:, -1] - out[:, -1]).max() < 1e-7:
        return "the last prediction ignores the first step: the LSTMs must carry the sequence"
    return None


repaired_stack = BuilderExercise(
    lesson=LESSON,
    name="repaired_stack",
    checker=_check_repaired_stack,
    hints=[
        "Read the shapes layer by layer. An LSTM returns (batch, units) - its last state only "
        "- unless it is built with return_sequences=True, and then it returns (batch, T, "
        "units). What does the second LSTM need as input, and what must the model return?",
        "The second LSTM needs a sequence: the first LSTM must return one "
        "(return_sequences=True). That makes the model build, but it still returns one "
        "prediction per sequence, shape (batch, 1).",
        "One prediction per step means the second LSTM must return its sequence too; "
        "Dense(1) then acts on every step, giving (batch, T, 1). Keep both LSTMs reading "
        "forwards: no Bidirectional, no go_backwards.",
    ],
    solution=(
        "def repaired_stack():\n"
        "    return keras.Sequential([\n"
        "        keras.Input((None, 3)),\n"
        "        keras.layers.LSTM(16, return_sequences=True),\n"
        "        keras.layers.LSTM(8, return_sequences=True),\n"
        "        keras.layers.Dense(1),\n"
        "    ])"
    ),
)

#: The exercises of this lesson, in the order it sets them (read by the progress dashboard).
EXERCISES = (
    lstm_step,
    lstm_param_count,
    gate_reading,
    onnx_to_keras,
    forget_bias_for_span,
    repaired_stack,
)
