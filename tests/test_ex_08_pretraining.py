"""Lesson 08's exercises: each reference passes, a plausible mistake fails for the right
reason, and the untouched stub is "not attempted"."""

import math
from collections import Counter

import numpy as np

from lesson_exercises import ex_08_pretraining as ex

# --- most_frequent_pair -----------------------------------------------------------------------


def test_pair_reference_passes():
    def most_frequent_pair(words):
        pairs = Counter()
        for symbols, count in words.items():
            for pair in zip(symbols, symbols[1:], strict=False):
                pairs[pair] += count
        return max(sorted(pairs), key=pairs.get) if pairs else None

    assert ex.most_frequent_pair.check(most_frequent_pair).status == "correct"


def test_pair_ignoring_word_counts_is_incorrect():
    def most_frequent_pair(words):
        pairs = Counter()
        for symbols in words:  # each word counted once, whatever its frequency
            for pair in zip(symbols, symbols[1:], strict=False):
                pairs[pair] += 1
        return max(sorted(pairs), key=pairs.get) if pairs else None

    result = ex.most_frequent_pair.check(most_frequent_pair)
    assert result.status == "incorrect"
    assert "expected" in result.message


def test_pair_stub_not_attempted():
    def most_frequent_pair(words): ...

    assert ex.most_frequent_pair.check(most_frequent_pair).status == "not attempted"


# --- mlm_corrupt ------------------------------------------------------------------------------


def test_mlm_reference_passes():
    def mlm_corrupt(ids, u_choose, u_action, random_ids, mask_id, rate=0.15):
        chosen = u_choose < rate
        inputs = np.where(chosen & (u_action < 0.8), mask_id, ids)
        inputs = np.where(chosen & (u_action >= 0.8) & (u_action < 0.9), random_ids, inputs)
        return inputs, chosen.astype(np.float32)

    assert ex.mlm_corrupt.check(mlm_corrupt).status == "correct"


def test_mlm_always_mask_is_incorrect():
    def mlm_corrupt(ids, u_choose, u_action, random_ids, mask_id, rate=0.15):
        chosen = u_choose < rate
        return np.where(chosen, mask_id, ids), chosen.astype(np.float32)  # no 10% / 10%

    result = ex.mlm_corrupt.check(mlm_corrupt)
    assert result.status == "incorrect"
    assert "mlm_corrupt(" in result.message


def test_mlm_weights_only_on_masks_is_incorrect():
    def mlm_corrupt(ids, u_choose, u_action, random_ids, mask_id, rate=0.15):
        chosen = u_choose < rate
        inputs = np.where(chosen & (u_action < 0.8), mask_id, ids)
        inputs = np.where(chosen & (u_action >= 0.8) & (u_action < 0.9), random_ids, inputs)
        return inputs, (inputs == mask_id).astype(np.float32)  # forgets random and unchanged

    assert ex.mlm_corrupt.check(mlm_corrupt).status == "incorrect"


def test_mlm_stub_not_attempted():
    def mlm_corrupt(ids, u_choose, u_action, random_ids, mask_id, rate=0.15): ...

    assert ex.mlm_corrupt.check(mlm_corrupt).status == "not attempted"


# --- sliding_window_step ----------------------------------------------------------------------


def test_window_reference_passes():
    def sliding_window_step(q, k_cache, v_cache, k_new, v_new, window):
        k_cache = np.concatenate([k_cache, k_new[None]])[-window:]
        v_cache = np.concatenate([v_cache, v_new[None]])[-window:]
        scores = k_cache @ q / np.sqrt(len(q))
        weights = np.exp(scores - scores.max())
        return weights / weights.sum() @ v_cache, k_cache, v_cache

    assert ex.sliding_window_step.check(sliding_window_step).status == "correct"


def test_window_cut_before_append_is_incorrect():
    def sliding_window_step(q, k_cache, v_cache, k_new, v_new, window):
        k_cache = np.concatenate([k_cache[-window:], k_new[None]])  # keeps window + 1
        v_cache = np.concatenate([v_cache[-window:], v_new[None]])
        scores = k_cache @ q / np.sqrt(len(q))
        weights = np.exp(scores - scores.max())
        return weights / weights.sum() @ v_cache, k_cache, v_cache

    result = ex.sliding_window_step.check(sliding_window_step)
    assert result.status == "incorrect"


def test_window_stub_not_attempted():
    def sliding_window_step(q, k_cache, v_cache, k_new, v_new, window):
        raise NotImplementedError

    assert ex.sliding_window_step.check(sliding_window_step).status == "not attempted"


# --- bits_per_char ----------------------------------------------------------------------------


def test_bits_per_char_right_and_typical_mistakes():
    assert ex.bits_per_char.check(1.8 * 12_000 / math.log(2) / 31_000).status == "correct"
    per_token = ex.bits_per_char.check(1.8 / math.log(2))
    assert per_token.status == "incorrect" and "per token" in per_token.message
    nats = ex.bits_per_char.check(1.8 * 12_000 / 31_000)
    assert nats.status == "incorrect" and "ln 2" in nats.message
    assert ex.bits_per_char.check(...).status == "not attempted"
