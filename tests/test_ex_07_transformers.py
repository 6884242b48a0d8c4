"""Lesson 07's exercises: each reference passes, a plausible mistake fails for the right
reason, and the untouched stub is "not attempted"."""

import numpy as np

from lesson_exercises import ex_07_transformers as ex

# --- scaled_dot_product_attention -------------------------------------------------------------


def test_attention_reference_passes():
    def scaled_dot_product_attention(q, k, v, mask=None):
        scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
        weights = weights / weights.sum(axis=-1, keepdims=True)
        return weights @ v, weights

    assert ex.scaled_dot_product_attention.check(scaled_dot_product_attention).status == "correct"


def test_attention_without_scaling_is_incorrect():
    def scaled_dot_product_attention(q, k, v, mask=None):
        scores = q @ np.swapaxes(k, -1, -2)  # forgot the 1/sqrt(d)
        if mask is not None:
            scores = np.where(mask, scores, -1e9)
        weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
        weights = weights / weights.sum(axis=-1, keepdims=True)
        return weights @ v, weights

    result = ex.scaled_dot_product_attention.check(scaled_dot_product_attention)
    assert result.status == "incorrect"
    assert "item 0" in result.message  # the first case already differs: 2 keys, d = 2


def test_attention_softmax_over_queries_is_incorrect():
    def scaled_dot_product_attention(q, k, v, mask=None):
        scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
        if mask is not None:
            scores = np.where(mask, scores, -1e9)
        weights = np.exp(scores)
        weights = weights / weights.sum(axis=-2, keepdims=True)  # normalised the wrong axis
        return weights @ v, weights

    result = ex.scaled_dot_product_attention.check(scaled_dot_product_attention)
    assert result.status == "incorrect"
    assert "expected" in result.message


def test_attention_ignoring_mask_is_incorrect():
    def scaled_dot_product_attention(q, k, v, mask=None):
        scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
        weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
        weights = weights / weights.sum(axis=-1, keepdims=True)
        return weights @ v, weights

    result = ex.scaled_dot_product_attention.check(scaled_dot_product_attention)
    assert result.status == "incorrect"
    assert "mask" in result.message  # the failing case is the one with a mask


def test_attention_weights_only_is_incorrect():
    def scaled_dot_product_attention(q, k, v, mask=None):
        scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
        weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
        return weights / weights.sum(axis=-1, keepdims=True) @ v  # forgot to return the weights

    result = ex.scaled_dot_product_attention.check(scaled_dot_product_attention)
    assert result.status == "incorrect"
    assert "tuple" in result.message


def test_attention_stub_is_not_attempted():
    def scaled_dot_product_attention(q, k, v, mask=None):
        """q (..., n, d), k (..., m, d), v (..., m, dv) -> (output, weights)."""
        ...  # your code here

    result = ex.scaled_dot_product_attention.check(scaled_dot_product_attention)
    assert result.status == "not attempted"


# --- decoder_mask -----------------------------------------------------------------------------


def test_decoder_mask_reference_passes():
    def decoder_mask(lengths, n):
        causal = np.tril(np.ones((n, n), dtype=bool))
        real_key = np.arange(n)[None, :] < np.asarray(lengths)[:, None]
        return causal[None] & real_key[:, None, :]

    assert ex.decoder_mask.check(decoder_mask).status == "correct"


def test_decoder_mask_causal_only_is_incorrect():
    def decoder_mask(lengths, n):
        return np.broadcast_to(np.tril(np.ones((n, n), dtype=bool)), (len(lengths), n, n))

    result = ex.decoder_mask.check(decoder_mask)
    assert result.status == "incorrect"


def test_decoder_mask_padding_along_the_query_axis_is_incorrect():
    def decoder_mask(lengths, n):
        causal = np.tril(np.ones((n, n), dtype=bool))
        real = np.arange(n)[None, :] < np.asarray(lengths)[:, None]
        return causal[None] & real[:, :, None]  # masks padded queries, not padded keys

    assert ex.decoder_mask.check(decoder_mask).status == "incorrect"


def test_decoder_mask_off_by_one_length_is_incorrect():
    def decoder_mask(lengths, n):
        causal = np.tril(np.ones((n, n), dtype=bool))
        real_key = np.arange(n)[None, :] <= np.asarray(lengths)[:, None]  # one key too many
        return causal[None] & real_key[:, None, :]

    assert ex.decoder_mask.check(decoder_mask).status == "incorrect"


def test_decoder_mask_stub_is_not_attempted():
    def decoder_mask(lengths, n):
        """(batch, n, n) booleans."""
        ...  # your code here

    assert ex.decoder_mask.check(decoder_mask).status == "not attempted"


# --- positional_encoding ----------------------------------------------------------------------


def test_positional_encoding_reference_passes():
    def positional_encoding(length, depth):
        pe = np.zeros((length, depth))
        for p in range(length):
            for i in range(0, depth, 2):
                pe[p, i] = np.sin(p / 10000 ** (i / depth))
                pe[p, i + 1] = np.cos(p / 10000 ** (i / depth))
        return pe

    assert ex.positional_encoding.check(positional_encoding).status == "correct"


def test_positional_encoding_sin_cos_swapped_is_incorrect():
    def positional_encoding(length, depth):
        position = np.arange(length)[:, None]
        i = np.arange(depth)[None, :]
        angle = position / np.power(10000.0, 2 * (i // 2) / depth)
        return np.where(i % 2 == 0, np.cos(angle), np.sin(angle))

    result = ex.positional_encoding.check(positional_encoding)
    assert result.status == "incorrect"
    assert "index (0, 0)" in result.message  # cos(0) = 1 where sin(0) = 0 was expected


def test_positional_encoding_exponent_without_pairs_is_incorrect():
    def positional_encoding(length, depth):
        position = np.arange(length)[:, None]
        i = np.arange(depth)[None, :]
        angle = position / np.power(10000.0, 2 * i / depth)  # forgot i // 2
        return np.where(i % 2 == 0, np.sin(angle), np.cos(angle))

    result = ex.positional_encoding.check(positional_encoding)
    assert result.status == "incorrect"
    assert "expected" in result.message


def test_positional_encoding_transposed_is_incorrect():
    def positional_encoding(length, depth):
        position = np.arange(length)[None, :]
        i = np.arange(depth)[:, None]
        angle = position / np.power(10000.0, 2 * (i // 2) / depth)
        return np.where(i % 2 == 0, np.sin(angle), np.cos(angle))  # (depth, length)

    result = ex.positional_encoding.check(positional_encoding)
    assert result.status == "incorrect"
    assert "wrong shape" in result.message


def test_positional_encoding_stub_is_not_attempted():
    def positional_encoding(length, depth):
        """(length, depth) table: sin in even columns, cos in odd columns."""
        ...  # your code here

    assert ex.positional_encoding.check(positional_encoding).status == "not attempted"


# --- teacher_forcing (transfer) ---------------------------------------------------------------


def test_teacher_forcing_reference_passes():
    def teacher_forcing(target_ids, start_id, end_id):
        n = len(target_ids)
        start = np.full((n, 1), start_id, dtype=target_ids.dtype)
        end = np.full((n, 1), end_id, dtype=target_ids.dtype)
        return (
            np.concatenate([start, target_ids], axis=1),
            np.concatenate([target_ids, end], axis=1),
        )

    assert ex.teacher_forcing.check(teacher_forcing).status == "correct"


def test_teacher_forcing_with_roll_is_incorrect():
    def teacher_forcing(target_ids, start_id, end_id):
        shifted = np.roll(target_ids, 1, axis=1)
        shifted[:, 0] = start_id
        return shifted, target_ids  # keeps the old width and loses the last token

    result = ex.teacher_forcing.check(teacher_forcing)
    assert result.status == "incorrect"
    assert "expected (1, 3), got (1, 2)" in result.message


def test_teacher_forcing_swapped_is_incorrect():
    def teacher_forcing(target_ids, start_id, end_id):
        n = len(target_ids)
        start = np.full((n, 1), start_id, dtype=target_ids.dtype)
        end = np.full((n, 1), end_id, dtype=target_ids.dtype)
        return (
            np.concatenate([target_ids, end], axis=1),
            np.concatenate([start, target_ids], axis=1),
        )

    result = ex.teacher_forcing.check(teacher_forcing)
    assert result.status == "incorrect"
    assert "item 0" in result.message


def test_teacher_forcing_stub_is_not_attempted():
    def teacher_forcing(target_ids, start_id, end_id):
        """(n, T) ids -> (decoder_input, decoder_target)."""
        ...  # your code here

    assert ex.teacher_forcing.check(teacher_forcing).status == "not attempted"


# --- beam_search (transfer) -------------------------------------------------------------------


def _beam(log_probs, steps, k):
    beams = [((), 0.0)]
    for _ in range(steps):
        candidates = [
            (prefix + (token,), score + float(lp))
            for prefix, score in beams
            for token, lp in enumerate(log_probs(prefix))
        ]
        candidates.sort(key=lambda c: (-c[1], c[0]))
        beams = candidates[:k]
    return beams[0][0]


def test_beam_search_reference_passes():
    assert ex.beam_search.check(_beam).status == "correct"


def test_beam_search_greedy_is_incorrect():
    def beam_search(log_probs, steps, k):
        prefix = ()
        for _ in range(steps):
            prefix += (int(np.argmax(log_probs(prefix))),)
        return prefix

    result = ex.beam_search.check(beam_search)
    assert result.status == "incorrect"
    assert "greedy trap" in result.message and "expected 1, got 0" in result.message


def test_beam_search_keeping_only_the_last_step_score_is_incorrect():
    def beam_search(log_probs, steps, k):
        beams = [()]
        for _ in range(steps):
            scored = [(p + (t,), float(lp)) for p in beams for t, lp in enumerate(log_probs(p))]
            scored.sort(key=lambda c: (-c[1], c[0]))  # forgets the prefix's own score
            beams = [p for p, _ in scored[:k]]
        return beams[0]

    assert ex.beam_search.check(beam_search).status == "incorrect"


def test_beam_search_table_model_is_deterministic_and_normalised():
    model = ex.TableModel("seed 3", 4, seed=3)
    first, again = model((1, 2)), model((1, 2))
    assert np.array_equal(first, again)
    assert np.isclose(np.exp(first).sum(), 1.0)
    assert repr(model) == "TableModel('seed 3')"


def test_beam_search_stub_is_not_attempted():
    def beam_search(log_probs, steps, k):
        """Beam search."""
        ...  # your code here

    assert ex.beam_search.check(beam_search).status == "not attempted"
