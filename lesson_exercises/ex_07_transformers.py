"""Lesson 07's checked exercises: two warm-ups (scaled dot-product attention, the sinusoidal
positional encoding) and three transfer exercises: a decoder mask for targets of different
lengths (causal and padding together), teacher-forcing arrays with start and end tokens, and
beam search over a table of next-token log-probabilities."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import FunctionExercise

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


# --- 3. sinusoidal positional encoding ----------------------------------------------------


def _positional_encoding(length, depth):
    position = np.arange(length)[:, None]
    i = np.arange(depth)[None, :]
    angle = position / np.power(10000.0, 2 * (i // 2) / depth)
    return np.where(i % 2 == 0, np.sin(angle), np.cos(angle))


positional_encoding = FunctionExercise(
    lesson=LESSON,
    name="positional_encoding",
    reference=_positional_encoding,
    cases=[((1, 2), {}), ((3, 2), {}), ((4, 8), {}), ((50, 16), {})],
    random_cases=lambda rng: ((int(rng.integers(1, 60)), 2 * int(rng.integers(1, 33))), {}),
    hints=[
        "Column pair (2i, 2i+1) shares one frequency: angle = position / 10000**(2i / depth). "
        "Even columns hold sin(angle), odd columns cos(angle).",
        "Column j belongs to pair j // 2, so columns 2i and 2i+1 share one exponent. Build "
        "positions as a column (length, 1) and column indices as a row (1, depth) and let "
        "broadcasting make the (length, depth) table of angles; then take the sine where the "
        "column index is even and the cosine where it is odd (np.where). Check: row 0 is 0, 1, 0, "
        "1, ...; with depth 4, entry (1, 2) is sin(1 / 100), about 0.0100.",
    ],
    solution=(
        "def positional_encoding_exercise(length, depth):\n"
        "    position = np.arange(length)[:, None]\n"
        "    i = np.arange(depth)[None, :]\n"
        "    angle = position / np.power(10000.0, 2 * (i // 2) / depth)\n"
        "    return np.where(i % 2 == 0, np.sin(angle), np.cos(angle))"
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
    positional_encoding,
    teacher_forcing,
    beam_search,
)
