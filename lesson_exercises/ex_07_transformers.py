"""Lesson 07's checked exercises: a warm-up (scaled dot-product attention) and four transfer
exercises: a decoder mask for targets of different lengths (causal and padding together), a
Keras layer that adds learned position vectors to token vectors for any length up to a
maximum, teacher-forcing arrays with start and end tokens, and beam search over a table of
next-token log-probabilities."""

from __future__ import annotations

import re
import warnings

import numpy as np

from course_utils.exercises import BuilderExercise, FunctionExercise
from course_utils.messages import type_name

LESSON = "07_transformers"


# --- 1. scaled dot-product attention ------------------------------------------------------


def _scaled_dot_product_attention(q, k, v, mask=None):
    q, k, v = (np.asarray(a, dtype=np.float64) for a in (q, k, v))
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -1e9)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ v, weights


def _qkv(rng: np.random.Generator, batch: tuple[int, ...], tq: int, tk: int, d: int, dv: int):
    q = rng.normal(size=(*batch, tq, d))
    k = rng.normal(size=(*batch, tk, d))
    v = rng.normal(size=(*batch, tk, dv))
    return q, k, v


def _random_attention(rng: np.random.Generator):
    batch = ((), (int(rng.integers(1, 4)),), (2, int(rng.integers(1, 4))))[int(rng.integers(3))]
    tq, tk = int(rng.integers(1, 7)), int(rng.integers(1, 7))
    q, k, v = _qkv(rng, batch, tq, tk, int(rng.integers(1, 9)), int(rng.integers(1, 6)))
    if rng.random() < 0.5:
        mask = rng.random((tq, tk)) < 0.7
        mask[:, 0] = True  # every query may attend to at least one key
        return (q, k, v), {"mask": mask}
    return (q, k, v), {}


_fixed = np.random.default_rng(7)
_big_d = _qkv(_fixed, (), 3, 4, 64, 2)  # large d: the 1/sqrt(d) scaling matters
_causal_qkv = _qkv(_fixed, (2,), 4, 4, 8, 3)
scaled_dot_product_attention = FunctionExercise(
    lesson=LESSON,
    name="scaled_dot_product_attention",
    reference=_scaled_dot_product_attention,
    cases=[
        # one query, two keys: the query matches the first key
        (
            (
                np.array([[1.0, 0.0]]),
                np.array([[1.0, 0.0], [0.0, 1.0]]),
                np.array([[10.0], [20.0]]),
            ),
            {},
        ),
        (_big_d, {}),
        (_causal_qkv, {"mask": np.tril(np.ones((4, 4), dtype=bool))}),
        # identical keys: attention is uniform, the output is the mean of the values
        ((np.ones((1, 3)), np.ones((5, 3)), np.arange(10.0).reshape(5, 2)), {}),
    ],
    random_cases=_random_attention,
    hints=[
        "Scores: q @ k.T divided by sqrt(d), where d = q.shape[-1]. But .T reverses every axis, "
        "batch axes included: swap only the last two axes of k (np.swapaxes) so that leading "
        "batch axes still work.",
        "Where mask is False, set the score to a very negative number (such as -1e9) before the "
        "softmax. The softmax runs over the last axis (the keys): subtract the row maximum, "
        "exponentiate, divide by the row sum. Return a pair: first the values mixed with those "
        "weights, then the weights themselves. Check: when all the scores of a row are equal, "
        "each of its weights is 1 / (number of keys).",
    ],
    solution=(
        "def scaled_dot_product_attention(q, k, v, mask=None):\n"
        "    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])\n"
        "    if mask is not None:\n"
        "        scores = np.where(mask, scores, -1e9)\n"
        "    scores = scores - scores.max(axis=-1, keepdims=True)\n"
        "    weights = np.exp(scores)\n"
        "    weights = weights / weights.sum(axis=-1, keepdims=True)\n"
        "    return weights @ v, weights"
    ),
)


# --- 2. a decoder mask for targets of different lengths (transfer) -------------------------------


def _decoder_mask(lengths, n):
    lengths = np.asarray(lengths, dtype=int).reshape(-1)
    causal = np.arange(n)[None, :] <= np.arange(n)[:, None]  # (n, n): key j <= query i
    real_key = np.arange(n)[None, :] < lengths[:, None]  # (batch, n): key j is not padding
    return causal[None, :, :] & real_key[:, None, :]


def _random_decoder_case(rng: np.random.Generator):
    n = int(rng.integers(1, 12))
    return (rng.integers(0, n + 1, size=int(rng.integers(1, 5))), n), {}


decoder_mask = FunctionExercise(
    lesson=LESSON,
    name="decoder_mask",
    reference=_decoder_mask,
    cases=[
        ((np.array([4]), 4), {}),  # no padding: the plain causal mask, with a batch axis
        ((np.array([2]), 4), {}),  # two real positions, two of padding
        ((np.array([3, 1, 5]), 5), {}),  # a batch of three lengths
        ((np.array([0, 2]), 3), {}),  # an empty target: nothing to attend to
        ((np.array([1]), 1), {}),
    ],
    random_cases=_random_decoder_case,
    hints=[
        "Two rules must both hold for query i of sequence b to look at key j: the causal rule "
        "(j <= i) and the padding rule (j < lengths[b], so key j is a real token). Combine "
        "two boolean arrays with &.",
        "The causal part is the same (n, n) table for every sequence; the padding part is one "
        "row of n booleans per sequence, (batch, n). Give each an axis of length 1 where the "
        "other has a real one, so that broadcasting yields (batch, n, n): the padding row "
        "must vary along the key axis, the last one.",
        "Rows for padded queries (i >= lengths[b]) still allow the real keys up to i: their "
        "outputs are ignored later, because the loss gives those positions weight 0.",
    ],
    solution=(
        "def decoder_mask(lengths, n):\n"
        "    causal = np.arange(n)[None, :] <= np.arange(n)[:, None]  # (n, n)\n"
        "    real_key = np.arange(n)[None, :] < np.asarray(lengths)[:, None]  # (batch, n)\n"
        "    return causal[None, :, :] & real_key[:, None, :]  # (batch, n, n)"
    ),
)


# --- 3. a layer that embeds tokens and their positions (transfer) -----------------------

#: The sizes the check builds the learner's layer with: all different, so that each table is
#: recognised by its shape.
_VOCAB, _WIDTH, _MAX_LEN = 11, 6, 7
_SHORT = 3  # the length of the short input the check also feeds
_BUILD = f"PositionalEmbedding(vocab_size={_VOCAB}, d_model={_WIDTH}, max_length={_MAX_LEN})"


def _embedded(ids: np.ndarray, tokens: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The reference: the token's row plus the position's row, for ids of shape (batch, n)."""
    return tokens[ids] + positions[: ids.shape[1]][None]


def _first_line(err: BaseException) -> str:
    """``TypeName: the first telling line`` of an exception: without the terminal's colour
    codes, TensorFlow's node names or the line in which Keras says which layer failed."""
    text = re.sub(r"\x1b\[[0-9;]*m|\{\{function_node [^}]*\}\}|\s*\[Op:.*", "", str(err))
    lines = [line.strip() for line in text.splitlines()]
    told = (line for line in lines if line and not line.startswith("Exception encountered"))
    line = next(told, "")
    line = line if len(line) <= 160 else line[:157] + "..."
    return f"{type(err).__name__}: {line}" if line else type(err).__name__


def _run(layer, ids: np.ndarray) -> tuple[np.ndarray | None, str | None]:
    """The layer's output for ``ids`` as NumPy, or why there is none."""
    call = f"{_BUILD} on token ids of shape {ids.shape}"
    try:
        out = layer(ids)
    except Exception as err:
        return None, f"{call} raised {_first_line(err)}"
    if out is None:
        return None, f"{call} returned None: call must return the embedded sequence"
    out = np.asarray(out)
    expected = (*ids.shape, _WIDTH)
    if out.shape != expected:
        return (
            None,
            f"{call} gives shape {out.shape}, expected {expected}: one vector of d_model "
            "numbers per token",
        )
    return out, None


def _mismatch(
    got: np.ndarray, ids: np.ndarray, tokens: np.ndarray, positions: np.ndarray
) -> str | None:
    """Why ``got`` is not the token vectors plus the position vectors of ``ids`` (None when
    it is)."""
    expected = _embedded(ids, tokens, positions)
    if got.shape != expected.shape:
        shapes = f"the output has shape {got.shape}, expected {expected.shape}"
        return f"on token ids of shape {ids.shape} {shapes}"
    if np.allclose(got, expected, atol=1e-5):
        return None
    if np.allclose(got, tokens[ids] * np.sqrt(_WIDTH) + positions[: ids.shape[1]], atol=1e-5):
        return (
            "the token vectors are multiplied by sqrt(d_model): that scaling matched learned "
            "token vectors to fixed sinusoids of size 1; here both tables are learned, so "
            "add them as they are"
        )
    where = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape)
    return (
        f"on token ids of shape {ids.shape}, output {tuple(int(i) for i in where)} is "
        f"{got[where]:.4f}, expected {expected[where]:.4f} (the token's row of the token "
        "table plus the position's row of the position table)"
    )


def _check_positional_embedding(layer_class) -> str | None:
    """None when ``layer_class`` is a Keras layer that adds a learned vector per position to
    each token's learned vector, for any input length up to ``max_length``; else the reason.
    Keras' own warnings are silenced: their advice (write a build method) would mislead."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _positional_embedding_problem(layer_class)


def _positional_embedding_problem(layer_class) -> str | None:
    """The checks in order: a layer class; shapes; two tables; order sensitivity; the
    reference on a full and a shorter input; a model built for any length."""
    import keras

    if isinstance(layer_class, type) and not issubclass(layer_class, keras.layers.Layer):
        return f"{layer_class.__name__} must be a subclass of keras.layers.Layer"
    if not isinstance(layer_class, type):
        return (
            f"expected a subclass of keras.layers.Layer, got {type_name(layer_class)}: pass "
            "the class itself, check(PositionalEmbedding)"
        )
    try:
        layer = layer_class(vocab_size=_VOCAB, d_model=_WIDTH, max_length=_MAX_LEN)
    except Exception as err:
        return f"{_BUILD} raised {_first_line(err)}"
    same_token = np.full((1, _MAX_LEN), 4, dtype="int32")
    _, problem = _run(layer, same_token)
    if problem:
        return problem
    shapes = sorted(tuple(int(n) for n in w.shape) for w in layer.trainable_weights)
    wanted = sorted([(_VOCAB, _WIDTH), (_MAX_LEN, _WIDTH)])
    if shapes != wanted:
        return (
            f"{_BUILD} holds trainable weights of shapes {shapes}; expected exactly two "
            f"tables: {(_VOCAB, _WIDTH)} for the tokens and {(_MAX_LEN, _WIDTH)} for the "
            "positions"
        )
    rng = np.random.default_rng(0)
    tables = {}
    for w in layer.trainable_weights:  # known values, whatever the initialisers drew
        tables[tuple(w.shape)] = rng.normal(size=tuple(w.shape)).astype("float32")
        w.assign(tables[tuple(w.shape)])
    tokens, positions = tables[_VOCAB, _WIDTH], tables[_MAX_LEN, _WIDTH]
    rows, problem = _run(layer, same_token)
    if problem:
        return problem
    if np.allclose(rows, rows[:, :1], atol=1e-6):
        return (
            f"the same token at all {_MAX_LEN} positions gets the same vector at every "
            "position: the layer adds no position signal (or picks it by the token, not by "
            "where the token stands)"
        )
    full = rng.integers(0, _VOCAB, size=(2, _MAX_LEN)).astype("int32")
    got, problem = _run(layer, full)
    if problem or (problem := _mismatch(got, full, tokens, positions)):
        return problem
    got, problem = _run(layer, full[:, :_SHORT])
    if problem:
        return problem + f" (shorter than max_length={_MAX_LEN}: that must work too)"
    if problem := _mismatch(got, full[:, :_SHORT], tokens, positions):
        return (
            f"right on {_MAX_LEN} tokens, wrong on the first {_SHORT} of them alone: token t "
            "of a shorter input must get row t of the position table, the same vector as "
            f"token t of a full-length input ({problem})"
        )
    ids = keras.Input((None,), dtype="int32")
    try:
        model = keras.Model(ids, layer(ids))
        got = np.asarray(model(full[:, :5]))
    except Exception as err:
        return (
            "inside a model built for inputs of any length, keras.Model(ids, layer(ids)) with "
            f"ids = keras.Input((None,), dtype='int32'), it raised {type(err).__name__}. While "
            "such a model is built, ids.shape[1] is None: the length is known only when the "
            "layer runs"
        )
    return _mismatch(got, full[:, :5], tokens, positions)


positional_embedding = BuilderExercise(
    lesson=LESSON,
    name="positional_embedding",
    checker=_check_positional_embedding,
    hints=[
        "The layer owns two learned tables of d_model-wide rows: one row per token of the "
        "vocabulary and one row per position, max_length of them. A keras.layers.Embedding "
        "is such a table: create both in __init__, once the parent class has run its own. "
        "In call, the token table is looked up with the ids, and the position table with the "
        "positions 0, 1, ..., n - 1, whatever tokens stand there.",
        "n is the input's length. In a model built for any length, ids.shape[1] is None while "
        "the model is built, so ask keras.ops.shape for it when call runs; keras.ops.arange "
        "makes the positions. The token vectors have shape (batch, n, d_model) and the "
        "position vectors (n, d_model): adding them broadcasts over the batch. Scale neither.",
        "Check by hand: with the same token at every position the rows of the output differ, "
        "and the first 3 rows for 7 tokens equal the output for those 3 tokens alone.",
    ],
    solution=(
        "import keras\n\n\n"
        "class PositionalEmbedding(keras.layers.Layer):\n"
        "    def __init__(self, vocab_size, d_model, max_length, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
        "        self.tokens = keras.layers.Embedding(vocab_size, d_model)\n"
        "        self.positions = keras.layers.Embedding(max_length, d_model)\n\n"
        "    def call(self, ids):\n"
        "        n = keras.ops.shape(ids)[1]\n"
        "        return self.tokens(ids) + self.positions(keras.ops.arange(n))"
    ),
)


# --- 4. teacher forcing, by hand (transfer) ---------------------------------------------------


def _teacher_forcing(target_ids, start_id, end_id):
    targets = np.asarray(target_ids)
    n = len(targets)
    start = np.full((n, 1), start_id, dtype=targets.dtype)
    end = np.full((n, 1), end_id, dtype=targets.dtype)
    return np.concatenate([start, targets], axis=1), np.concatenate([targets, end], axis=1)


def _random_targets_case(rng: np.random.Generator):
    n, length = int(rng.integers(1, 6)), int(rng.integers(1, 12))
    return (rng.integers(3, 15, size=(n, length)), 1, 2), {}


teacher_forcing = FunctionExercise(
    lesson=LESSON,
    name="teacher_forcing",
    reference=_teacher_forcing,
    cases=[
        ((np.array([[6, 14]]), 1, 2), {}),
        ((np.array([[6, 14, 14, 14, 4, 5, 8, 4, 5, 8]]), 1, 2), {}),  # 1999-03-03
        ((np.array([[7], [9]]), 1, 2), {}),  # one token each
        ((np.array([[3, 4, 5], [6, 7, 8]]), 0, 9), {}),  # other special ids
    ],
    random_cases=_random_targets_case,
    hints=[
        "Both arrays have one more column than the targets. The decoder INPUT is what it reads: "
        "it must start with <start>, so the model has something to read before the first "
        "character. The TARGET is what it must write: the characters, then <end>.",
        "Make a column of n start ids (shape (n, 1); np.full builds it) and join it in front of "
        "the targets along the column axis; do the same with a column of end ids behind them. "
        "Keep the targets' dtype.",
        "For [[6, 14]], start 1, end 2: input [[1, 6, 14]], target [[6, 14, 2]] - the input is "
        "the target shifted right by one step. np.roll would wrap the last token around and "
        "keep the old width: not what we want.",
    ],
    solution=(
        "def teacher_forcing(target_ids, start_id, end_id):\n"
        "    n = len(target_ids)\n"
        "    start = np.full((n, 1), start_id, dtype=target_ids.dtype)\n"
        "    end = np.full((n, 1), end_id, dtype=target_ids.dtype)\n"
        "    decoder_input = np.concatenate([start, target_ids], axis=1)\n"
        "    decoder_target = np.concatenate([target_ids, end], axis=1)\n"
        "    return decoder_input, decoder_target"
    ),
)


# --- 5. beam search on a table (transfer) -----------------------------------------------------


class TableModel:
    """A toy next-token model: log-probabilities for a prefix, from a table or a seeded draw."""

    def __init__(self, name: str, vocab: int, table: dict | None = None, seed: int = 0) -> None:
        self.name, self.vocab, self.table, self.seed = name, vocab, dict(table or {}), seed

    def __repr__(self) -> str:
        return f"TableModel({self.name!r})"

    def __call__(self, prefix) -> np.ndarray:
        prefix = tuple(int(t) for t in prefix)
        if prefix in self.table:
            p = np.asarray(self.table[prefix], dtype=np.float64)
        else:  # a fixed, seeded distribution for every other prefix
            code = self.seed
            for t in prefix:
                code = code * 31 + t + 1
            p = np.random.default_rng(code).dirichlet(np.full(self.vocab, 0.7))
        return np.log(p)


def _beam_search(log_probs, steps, k):
    beams = [((), 0.0)]
    for _ in range(steps):
        candidates = [
            (prefix + (token,), score + float(lp))
            for prefix, score in beams
            for token, lp in enumerate(np.asarray(log_probs(prefix), dtype=np.float64))
        ]
        candidates.sort(key=lambda c: (-c[1], c[0]))
        beams = candidates[:k]
    return beams[0][0]


_TRAP = TableModel(
    "greedy trap",
    3,
    {(): [0.5, 0.4, 0.1], (0,): [0.34, 0.33, 0.33], (1,): [0.9, 0.05, 0.05]},
)
_DEEP_TRAP = TableModel(
    "trap two steps deep",
    2,
    {
        (): [0.6, 0.4],
        (0,): [0.5, 0.5],
        (1,): [0.55, 0.45],
        (0, 0): [0.5, 0.5],
        (0, 1): [0.5, 0.5],
        (1, 0): [0.99, 0.01],
        (1, 1): [0.5, 0.5],
    },
)


def _random_beam_case(rng: np.random.Generator):
    model = TableModel(f"seed {int(rng.integers(1000))}", int(rng.integers(2, 6)))
    model.seed = int(model.name.split()[1])
    return (model, int(rng.integers(1, 5)), int(rng.integers(1, 4))), {}


beam_search = FunctionExercise(
    lesson=LESSON,
    name="beam_search",
    reference=_beam_search,
    cases=[
        ((_TRAP, 2, 1), {}),  # k = 1 is greedy: (0, 0), probability 0.17
        ((_TRAP, 2, 2), {}),  # the beam keeps 1 alive and finds (1, 0), probability 0.36
        ((_DEEP_TRAP, 3, 1), {}),
        ((_DEEP_TRAP, 3, 2), {}),  # k = 2 still drops (1, 0) at step 2
        ((_DEEP_TRAP, 3, 3), {}),  # k = 3 keeps it: (1, 0, 0), probability 0.218
        ((TableModel("seed 5", 4, seed=5), 4, 3), {}),
    ],
    random_cases=_random_beam_case,
    hints=[
        "Keep a list of (prefix, total log-probability) pairs, starting with [((), 0.0)]. At "
        "each of the `steps` steps, extend EVERY kept prefix by EVERY token, adding that "
        "token's log-probability to the prefix's total.",
        "After extending, sort all candidates by total log-probability, best first, and keep only "
        "the first k; on a tie, the prefix that comes first in sorted order wins (a sort key can "
        "be a pair: minus the total, then the prefix). Do not multiply probabilities: add "
        "log-probabilities.",
        "After the last step, return the prefix of the best candidate, as a tuple of ints. "
        "With k = 1 the result must equal greedy decoding; on the 'greedy trap' with k = 2 "
        "it must be (1, 0).",
    ],
    solution=(
        "def beam_search(log_probs, steps, k):\n"
        "    beams = [((), 0.0)]\n"
        "    for _ in range(steps):\n"
        "        candidates = [\n"
        "            (prefix + (token,), score + float(lp))\n"
        "            for prefix, score in beams\n"
        "            for token, lp in enumerate(log_probs(prefix))\n"
        "        ]\n"
        "        candidates.sort(key=lambda c: (-c[1], c[0]))\n"
        "        beams = candidates[:k]\n"
        "    return beams[0][0]"
    ),
)

#: The exercises of this lesson, in the order it sets them (read by the progress dashboard).
EXERCISES = (
    scaled_dot_product_attention,
    decoder_mask,
    positional_embedding,
    teacher_forcing,
    beam_search,
)
