"""Quiz keys that a learner computes or predicts, checked by computing them.

Each test works the question out from its own premises (Keras' parameter counts, the lesson's
GRU step, the course's bits-per-character code) and asks the bank's grader whether that value
is accepted, and whether the typical mistakes its feedback names fall in their own ranges.
So far: lesson 04 (GRU).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_utils import bpc, quiz
from course_utils.data import ADDING_BASELINE_MSE, adding_problem
from course_utils.paths import REPO_ROOT
from course_utils.quiz.questions import Numeric, Question, SingleChoice
from lesson_exercises import ex_04_gru as ex

GRU_BANK = quiz.load_bank(REPO_ROOT / "data" / "quizzes" / "04_gru.yaml")


def _question(qid: str) -> Question:
    return next(q for q in GRU_BANK.questions if q.id == qid)


def _accepted(qid: str, value: float) -> bool:
    question = _question(qid)
    assert isinstance(question, Numeric)
    return question.grade(repr(float(value))).correct


def _named_mistake(qid: str, value: float) -> bool:
    """Whether ``value`` is refused and lands in one of the question's feedback ranges."""
    question = _question(qid)
    assert isinstance(question, Numeric)
    return not _accepted(qid, value) and any(r.contains(value) for r in question.feedback)


def _right_option(qid: str) -> str:
    question = _question(qid)
    assert isinstance(question, SingleChoice)
    return next(o.text for o in question.options if o.correct)


def _sigmoid(v):
    return 1 / (1 + np.exp(-v))


# -- compute questions ----------------------------------------------------------------------


def _count(layer, d: int) -> int:
    layer.build((None, None, d))
    return layer.count_params()


def test_gru_param_count_key_is_keras_count() -> None:
    import keras

    units, d = 64, 10
    assert _accepted("gru-param-count", _count(keras.layers.GRU(units), d))
    assert _count(keras.layers.GRU(units), d) == 14592
    for mistake in (
        _count(keras.layers.GRU(units, reset_after=False), d),
        _count(keras.layers.LSTM(units), d),
        _count(keras.layers.GRU(units, use_bias=False), d),
        _count(keras.layers.GRU(units), d) - units * 3 * units,  # no recurrent kernel U
    ):
        assert _named_mistake("gru-param-count", mistake), mistake


def test_equal_parameters_key_is_the_smallest_gru_at_least_as_large() -> None:
    import keras

    d, lstm_units = 8, 64
    target = _count(keras.layers.LSTM(lstm_units), d)
    assert target == 18688  # the prompt's count
    sizes = {n: _count(keras.layers.GRU(n), d) for n in range(lstm_units, 90)}
    smallest = min(n for n, size in sizes.items() if size >= target)
    assert _accepted("equal-parameters-units", smallest)
    assert sizes[smallest - 1] == 18648 < target  # the near miss the feedback quotes
    for mistake in (lstm_units, smallest - 1, math.ceil(lstm_units * 4 / 3)):
        assert _named_mistake("equal-parameters-units", mistake), mistake


def test_half_life_key() -> None:
    z = 0.95
    steps = math.log(0.5) / math.log(z)
    assert z**steps == pytest.approx(0.5)
    assert _accepted("half-life", steps)
    for mistake in (1 / (1 - z), 0.5 / (1 - z), round(math.log(0.5) / math.log(0.9), 1)):
        assert _named_mistake("half-life", mistake), mistake


def test_one_unit_jacobian_key() -> None:
    """The prompt's unit in Keras' layout: one input feature x = 1, reset gate pinned open."""
    h_prev, z, candidate, u_z, u_h = 0.6, 0.8, -0.2, 1.0, 2.0
    W = np.array(
        [[math.log(z / (1 - z)) - u_z * h_prev, 0.0, math.atanh(candidate) - u_h * h_prev]]
    )
    U = np.array([[u_z, 0.0, u_h]])
    b = np.array([[0.0, 30.0, 0.0], [0.0, 0.0, 0.0]])  # r = sigmoid(30) = 1
    x, h = np.array([1.0]), np.array([h_prev])
    new_h = ex._gru_step(x[None], h[None], W, U, b)[0, 0]
    assert new_h == pytest.approx(z * h_prev + (1 - z) * candidate)  # the stated z and candidate
    jacobian = ex._gru_jacobian(x, h, W, U, b)[0, 0]
    eps = 1e-6
    finite = (
        ex._gru_step(x[None], (h + eps)[None], W, U, b)
        - ex._gru_step(x[None], (h - eps)[None], W, U, b)
    )[0, 0] / (2 * eps)
    assert jacobian == pytest.approx(finite, abs=1e-6)
    assert _accepted("jacobian-one-unit", jacobian)
    second = (h_prev - candidate) * z * (1 - z) * u_z
    third = (1 - z) * (1 - candidate**2) * u_h
    for mistake in (z, z + second, z + third, z - second + third):
        assert _named_mistake("jacobian-one-unit", mistake), mistake


def test_bits_from_nats_key() -> None:
    nats = 1.94
    assert _accepted("bpc-from-nats", nats / math.log(2))
    for mistake in (nats * math.log(2), nats / math.log(10)):
        assert _named_mistake("bpc-from-nats", mistake), mistake


def test_unigram_entropy_key_is_the_course_unigram_score() -> None:
    text = "a" * 4000 + "b" * 2000 + "c" * 1000 + "d" * 1000  # frequencies 1/2, 1/4, 1/8, 1/8
    score = bpc.unigram_bpc(text, "a" + text, k=1e-9)  # the first character is context only
    assert score == pytest.approx(1.75, abs=1e-9)
    assert _accepted("unigram-entropy", score)
    assert _named_mistake("unigram-entropy", math.log2(4))


def test_evaluation_context_key_is_what_sequence_bits_gives() -> None:
    """A model that reveals how many inputs it saw at each position (as in test_bpc)."""

    def seen_inputs(ids: np.ndarray) -> np.ndarray:
        seen = np.arange(1, ids.shape[1] + 1, dtype=float)
        logits = np.zeros((*ids.shape, 2))
        logits[:, :, 0] = np.log(seen)  # P(token 0) = j / (j + 1) with j inputs seen
        return logits

    def least_context(context: int, stride: int) -> int:
        bits = bpc.sequence_bits(seen_inputs, np.zeros(2000, int), context=context, stride=stride)
        seen = np.rint(1 / (2.0**bits - 1)).astype(int)
        return int(seen[context:].min())

    assert least_context(50, 25) == 26  # the lesson's setting, as the prompt says
    assert _accepted("eval-context", least_context(100, 40))
    for mistake in (100 - 40, 40, 100):
        assert _named_mistake("eval-context", mistake), mistake


def test_compressor_saving_key() -> None:
    gru, unigram, chars = 2.840, 4.539, 221_103
    saving_kb = (unigram - gru) * chars / 8 / 1000
    assert _accepted("compressor-saving", saving_kb)
    for mistake in (saving_kb * 8, gru * chars / 8000, unigram * chars / 8000, unigram - gru):
        assert _named_mistake("compressor-saving", mistake), mistake


def test_temperature_odds_key_is_the_softmax_ratio() -> None:
    logits = np.log([3.0, 1.0])  # 'e' three times as likely as 'a' at temperature 1
    tau = 0.7
    p = np.exp(logits / tau) / np.exp(logits / tau).sum()
    assert _accepted("temperature-odds", p[0] / p[1])
    for mistake in (3 / tau, 3**tau, 3 * tau, 3**2):
        assert _named_mistake("temperature-odds", mistake), mistake


# -- predict questions: the keyed outcome, simulated --------------------------------------


def test_update_gate_role_key() -> None:
    kept = 0.999**300  # the share of the old value left after 300 steps at z = 0.999
    assert kept == pytest.approx(0.74, abs=0.005)
    assert "74%" in _right_option("update-gate-role")


def _hand_made_unit(keep: float, write: float, values: np.ndarray, marker: np.ndarray):
    """Section 1's unit: z = sigmoid(keep - write * marker), candidate = the input value."""
    h, held = 0.0, []
    for v, m in zip(values, marker, strict=True):
        z = _sigmoid(keep - write * m)
        h = z * h + (1 - z) * v
        held.append(h)
    return np.array(held)


def test_leaky_latch_key() -> None:
    """How much of the value written at the marker (step 8) is left 20 steps later."""
    values = np.random.default_rng(0).random(60)
    marker = np.zeros(60)
    marker[[8, 35]] = 1.0

    def share_left(keep: float, write: float) -> float:
        nudged = values.copy()
        nudged[8] += 1e-6
        diff = _hand_made_unit(keep, write, nudged, marker) - _hand_made_unit(
            keep, write, values, marker
        )
        return diff[28] / 1e-6

    assert share_left(6, 12) > 0.9  # the lesson's unit holds
    assert share_left(2, 4) < 0.1  # the softened one has forgotten
    assert "forgets" in _right_option("leaky-latch")


def test_reset_shut_latch_key() -> None:
    """A GRU unit (Keras layout, inputs: value, marker) with r pinned at 0 still latches."""
    W = np.array([[0.0, 0.0, 1.0], [-12.0, 0.0, 0.0]])  # columns: update, reset, candidate
    U = np.array([[0.0, 0.0, 3.0]])  # a recurrent weight into the candidate that r blocks
    b = np.array([[6.0, -30.0, 0.0], [0.0, 0.0, 0.5]])
    values = np.random.default_rng(0).random(60)
    marker = np.zeros(60)
    marker[[8, 35]] = 1.0
    h, held = np.zeros((1, 1)), []
    for v, m in zip(values, marker, strict=True):
        h = ex._gru_step(np.array([[v, m]]), h, W, U, b)
        held.append(h[0, 0])
    between = np.array(held[9:30])
    assert np.abs(between - np.tanh(values[8])).max() < 0.05  # holds what the marker wrote
    assert np.abs(between - np.tanh(values[9:30])).max() > 0.3  # and does not follow the input
    assert "holds" in _right_option("reset-shut-latch")


def test_update_gate_pinned_open_keeps_the_zero_state() -> None:
    """z pinned at 1 as the lesson pins gates: the state never leaves 0, so the head can only
    learn a constant, and the best constant on the adding problem scores about the baseline."""
    rng = np.random.default_rng(1)
    units = 40
    W = rng.normal(size=(2, 3 * units))
    U = rng.normal(size=(units, 3 * units))
    b = rng.normal(size=(2, 3 * units))
    W[:, :units], U[:, :units], b[:, :units] = 0.0, 0.0, 0.0
    b[0, :units] = 30.0
    x, y = adding_problem(64, 100, seed=3)
    h = np.zeros((64, units))
    for t in range(x.shape[1]):
        h = ex._gru_step(x[:, t].astype(np.float64), h, W, U, b)
    assert np.abs(h).max() < 1e-10
    _, y_val = adding_problem(2000, 100, seed=4)
    assert np.mean((y_val - y.mean()) ** 2) == pytest.approx(ADDING_BASELINE_MSE, abs=0.02)
    assert "0.167" in _right_option("ablation-update-gate-open")


def test_swapped_latch_key() -> None:
    """A Keras latch unit (z = 0.999) run in Chung et al.'s convention takes the candidate."""
    rng = np.random.default_rng(2)
    (x, h, W, U, b), _ = ex._step_case(rng, 1, 3, 1)
    W[:, 0], U[:, 0], b[:, 0] = 0.0, 0.0, [math.log(0.999 / 0.001), 0.0]  # z = 0.999
    keras_h = ex._gru_step(x, h, W, U, b)
    chung_h = ex.chung_step(x, h, W, U, b)
    candidate = (keras_h - 0.999 * h) / 0.001
    assert np.abs(keras_h - h).max() < 0.01
    assert np.abs(chung_h - candidate).max() < 0.01
    assert "0.1 %" in _right_option("swapped-latch")
