"""Lesson 08's checked exercises: BPE's most frequent pair, BERT's masking rule, a
sliding-window key-value cache, and bits per character from a token loss."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from course_utils.exercises import FunctionExercise, ValueExercise

LESSON = "08_pretraining"


# --- 1. warm-up: BPE's next merge -------------------------------------------------------------


def _most_frequent_pair(words):
    pairs = Counter()
    for symbols, count in words.items():
        for pair in zip(symbols, symbols[1:], strict=False):
            pairs[pair] += count
    if not pairs:
        return None
    return max(sorted(pairs), key=lambda p: pairs[p])  # ties: the smallest pair wins


def _random_words(rng: np.random.Generator):
    alphabet = "abcde"
    words = {}
    for _ in range(int(rng.integers(1, 6))):
        length = int(rng.integers(1, 6))
        word = tuple(alphabet[int(i)] for i in rng.integers(0, len(alphabet), size=length))
        words[word] = int(rng.integers(1, 10))
    return (words,), {}


most_frequent_pair = FunctionExercise(
    lesson=LESSON,
    name="most_frequent_pair",
    reference=_most_frequent_pair,
    cases=[
        (({("l", "o", "w"): 5, ("l", "o", "w", "e", "r"): 2, ("n", "e", "w"): 6},), {}),
        # a pair inside one frequent word beats a pair in many rare words
        (({("a", "b"): 10, ("c", "d"): 1, ("c", "d", "c", "d"): 2},), {}),
        # a word may hold the same pair twice
        (({("x", "y", "x", "y"): 3, ("y", "z"): 5},), {}),
        # a tie: the alphabetically smallest pair
        (({("b", "c"): 4, ("a", "b"): 4},), {}),
        (({("a",): 7},), {}),  # no pair at all
    ],
    random_cases=_random_words,
    compare=lambda expected, got: (
        expected == (tuple(got) if got is not None else None) or f"expected {expected}, got {got}"
    ),
    hints=[
        "Count every pair of neighbours inside each word, and weight the count by how often the "
        "word occurs: a word seen 5 times contributes each of its pairs 5 times.",
        "Zipping a word's symbols with the same symbols shifted by one walks over its neighbour "
        "pairs; a `collections.Counter` adds the counts up. Check: {('l', 'o', 'w'): 5, ('l', "
        "'o', 't'): 2} counts the pair ('l', 'o') 7 times.",
        "Return None when no word has two symbols. For ties, take the maximum by count over the "
        "pairs in sorted order: max keeps the first of equal keys, so the pair that sorts first "
        "wins.",
    ],
    solution="""def most_frequent_pair(words):
    pairs = Counter()
    for symbols, count in words.items():
        for pair in zip(symbols, symbols[1:], strict=False):
            pairs[pair] += count
    if not pairs:
        return None
    return max(sorted(pairs), key=lambda p: pairs[p])""",
)


# --- 2. transfer: BERT's masking rule, written yourself ---------------------------------------


def _mlm_corrupt(ids, u_choose, u_action, random_ids, mask_id, rate=0.15):
    ids = np.asarray(ids)
    chosen = np.asarray(u_choose) < rate
    inputs = ids.copy()
    inputs = np.where(chosen & (np.asarray(u_action) < 0.8), mask_id, inputs)
    swap = chosen & (np.asarray(u_action) >= 0.8) & (np.asarray(u_action) < 0.9)
    inputs = np.where(swap, np.asarray(random_ids), inputs)
    return inputs, chosen.astype(np.float32)


def _mlm_case(rng: np.random.Generator):
    shape = ((int(rng.integers(1, 30)),), (int(rng.integers(1, 4)), int(rng.integers(1, 12))))[
        int(rng.integers(2))
    ]
    ids = rng.integers(1, 50, size=shape)
    rate = float(rng.choice([0.15, 0.15, 0.3, 0.5]))
    args = (ids, rng.random(shape), rng.random(shape), rng.integers(1, 50, size=shape), 0)
    return args, {"rate": rate}


_u = np.array([0.01, 0.5, 0.10, 0.149, 0.2, 0.0])
mlm_corrupt = FunctionExercise(
    lesson=LESSON,
    name="mlm_corrupt",
    reference=_mlm_corrupt,
    cases=[
        # every position chosen; actions 0.5 -> mask, 0.85 -> random, 0.95 -> unchanged
        (
            (
                np.array([7, 8, 9]),
                np.array([0.0, 0.0, 0.0]),
                np.array([0.5, 0.85, 0.95]),
                np.array([1, 2, 3]),
                0,
            ),
            {},
        ),
        # the boundaries: 0.15 is not chosen, 0.8 is random, 0.9 is unchanged
        (
            (
                np.array([5, 6, 7, 8]),
                np.array([0.15, 0.1, 0.1, 0.1]),
                np.array([0.0, 0.8, 0.9, 0.79]),
                np.array([40, 41, 42, 43]),
                99,
            ),
            {},
        ),
        ((np.arange(6) + 10, _u, _u[::-1], np.arange(6) + 30, 1), {"rate": 0.3}),
    ],
    random_cases=_mlm_case,
    hints=[
        "Three boolean arrays do all the work: a position is chosen when its u_choose is below "
        "rate; among the chosen ones, a u_action below 0.8 means mask, from 0.8 up to (not "
        "including) 0.9 a random token, and the rest stays unchanged.",
        "Start from `ids` and replace in two rounds, each with `np.where`: first the masked "
        "positions by `mask_id`, then the random-token positions by the id that `random_ids` "
        "holds at the same position. Combine boolean arrays with `&`. Check: with rate 0.15, a "
        "position with u_choose 0.1 and u_action 0.85 gets its random id.",
        "Return `(inputs, weights)` where `weights` is `chosen` as float32: 1.0 at every chosen "
        "position, including those left unchanged (the loss still counts them).",
    ],
    solution="""def mlm_corrupt(ids, u_choose, u_action, random_ids, mask_id, rate=0.15):
    chosen = u_choose < rate
    inputs = np.where(chosen & (u_action < 0.8), mask_id, ids)
    swap = chosen & (u_action >= 0.8) & (u_action < 0.9)
    inputs = np.where(swap, random_ids, inputs)
    return inputs, chosen.astype(np.float32)""",
)


# --- 3. transfer: a sliding-window key-value cache ---------------------------------------------


def _sliding_window_step(q, k_cache, v_cache, k_new, v_new, window):
    k_cache = np.concatenate([np.asarray(k_cache), np.asarray(k_new)[None]])[-window:]
    v_cache = np.concatenate([np.asarray(v_cache), np.asarray(v_new)[None]])[-window:]
    scores = k_cache @ np.asarray(q) / math.sqrt(len(q))
    weights = np.exp(scores - scores.max())
    weights /= weights.sum()
    return weights @ v_cache, k_cache, v_cache


def _window_case(rng: np.random.Generator):
    d, dv = int(rng.integers(1, 6)), int(rng.integers(1, 5))
    n = int(rng.integers(0, 7))
    return (
        rng.normal(size=d),
        rng.normal(size=(n, d)),
        rng.normal(size=(n, dv)),
        rng.normal(size=d),
        rng.normal(size=dv),
        int(rng.integers(1, 6)),
    ), {}


_w = np.random.default_rng(3)
sliding_window_step = FunctionExercise(
    lesson=LESSON,
    name="sliding_window_step",
    reference=_sliding_window_step,
    cases=[
        # empty cache: the new token attends to itself only, output = v_new
        ((np.ones(2), np.zeros((0, 2)), np.zeros((0, 1)), np.ones(2), np.array([5.0]), 3), {}),
        # cache of 3, window 3: the oldest key and value must be dropped
        (
            (
                np.array([1.0, 0.0]),
                np.array([[9.0, 0.0], [0.0, 1.0], [0.0, 2.0]]),
                np.array([[100.0], [1.0], [2.0]]),
                np.array([0.0, 3.0]),
                np.array([3.0]),
                3,
            ),
            {},
        ),
        (
            (
                _w.normal(size=4),
                _w.normal(size=(5, 4)),
                _w.normal(size=(5, 2)),
                _w.normal(size=4),
                _w.normal(size=2),
                8,
            ),
            {},
        ),
    ],
    random_cases=_window_case,
    hints=[
        "Append first, then cut: the new key and value join the cache, and only the last "
        "`window` rows are kept (`array[-window:]`). The new token always sees itself.",
        "To append one row, give k_new a leading axis of length 1 and concatenate it under the "
        "cache (the same for v). Then one query against the n kept keys: scaled dot-product "
        "scores (divided by the square root of q's length), a softmax over the n scores, and the "
        "softmax-weighted sum of the value rows.",
        "Return `(output, k_cache, v_cache)` with the trimmed caches, so that the next step can "
        "reuse them. Subtract the max score before `np.exp` to avoid overflow.",
    ],
    solution="""def sliding_window_step(q, k_cache, v_cache, k_new, v_new, window):
    k_cache = np.concatenate([k_cache, k_new[None]])[-window:]
    v_cache = np.concatenate([v_cache, v_new[None]])[-window:]
    scores = k_cache @ q / np.sqrt(len(q))
    weights = np.exp(scores - scores.max())
    weights /= weights.sum()
    return weights @ v_cache, k_cache, v_cache""",
)


# --- 4. compute: from nats per token to bits per character -------------------------------------

BPC_LOSS_NATS, BPC_TOKENS, BPC_CHARS = 1.8, 12_000, 31_000


def _check_bits_per_char(value):
    right = BPC_LOSS_NATS * BPC_TOKENS / math.log(2) / BPC_CHARS
    value = float(value)
    if math.isclose(value, right, rel_tol=0.01):
        return None
    if math.isclose(value, BPC_LOSS_NATS / math.log(2), rel_tol=0.01):
        return "that is bits per token; divide the total by the characters, not the tokens"
    if math.isclose(value, BPC_LOSS_NATS * BPC_TOKENS / BPC_CHARS, rel_tol=0.01):
        return "that is nats per character; divide by ln 2 to get bits"
    return f"{value:.3f} is not it: total nats, then bits, then per character"


bits_per_char = ValueExercise(
    lesson=LESSON,
    name="bits_per_char",
    checker=_check_bits_per_char,
    hints=[
        "The model's loss is a mean over tokens, in nats (natural logarithm). The total for "
        "the text is the mean times the number of tokens.",
        "One nat is 1 / ln 2 = 1.4427 bits.",
        "Chain the three steps: total nats for the text, converted to bits, shared out over "
        "the characters (not the tokens). A token holds about 2.6 characters, so expect a "
        "number well below the 1.8 nats per token.",
    ],
    solution="bits_per_char = 1.8 * 12_000 / math.log(2) / 31_000  # about 1.005",
)

#: The exercises of this lesson, in the order it sets them (read by the progress dashboard).
EXERCISES = (
    most_frequent_pair,
    mlm_corrupt,
    sliding_window_step,
    bits_per_char,
)
