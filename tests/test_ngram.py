"""course_utils.ngram: interpolated Kneser-Ney character models, checked by hand and by sums."""

import numpy as np
import pytest

from course_utils.data import load_stdlib_source
from course_utils.ngram import KneserNeyChars


@pytest.fixture(scope="module")
def code_slice():
    return load_stdlib_source().train[:60_000]


def test_a_tiny_text_computed_by_hand():
    # "abacab", one character of context; vocabulary <unk>, a, b, c (V = 4).
    # Bigrams ab x2, ba, ac, ca: n1 = 3, n2 = 1, so D1 = 3/5.
    # Continuation counts: a is preceded by b and c (2), b by a (1), c by a (1):
    # n1 = 2, n2 = 1, so D0 = 1/2; their total is 4 over 3 types.
    model = KneserNeyChars("abacab", order=1)
    assert model.vocab.tokens == ("<unk>", "a", "b", "c")
    d0, d1 = 1 / 2, 3 / 5
    uniform_share = d0 * 3 / 4  # D0 * types / V
    base = np.array([0, 2 - d0, 1 - d0, 1 - d0]) / 4 + uniform_share / 4
    np.testing.assert_allclose(model.distribution(""), base)
    np.testing.assert_allclose(model.distribution("z"), base)  # unseen context: level 0
    # After "a": n(a.) = 3 (ab twice, ac once) over 2 types.
    after_a = np.array([0.0, 0.0, 2 - d1, 1 - d1]) + d1 * 2 * base
    np.testing.assert_allclose(model.distribution("a"), after_a / 3)
    np.testing.assert_allclose(model.distribution("a"), [0.0375, 0.1875, 1.6625 / 3, 0.6625 / 3])
    after_b = np.array([0.0, 1 - d1, 0.0, 0.0]) + d1 * 1 * base  # n(b.) = 1: "ba" once
    np.testing.assert_allclose(model.distribution("cab"), after_b)  # only the last char counts
    # Scoring "abz": b after a, then z (unseen in training: <unk>) after b.
    expected = np.log2([after_a[2] / 3, after_b[0]])
    np.testing.assert_allclose(model.log2_probs(model.vocab.encode("abz")), expected)


@pytest.mark.parametrize("order", [1, 2, 3, 5])
def test_distributions_sum_to_one_and_are_never_zero(code_slice, order):
    model = KneserNeyChars(code_slice, order=order)
    rng = np.random.default_rng(order)
    chars = list(model.vocab.chars)
    contexts = ["", "d", "    def ", "self.", "zq\x00", "€€€€€€", "é(" * 4]
    contexts += ["".join(rng.choice(chars, size=order)) for _ in range(20)]
    starts = rng.integers(0, len(code_slice) - order, size=20)
    contexts += [code_slice[s : s + order] for s in starts]  # contexts seen in training
    for context in contexts:
        probs = model.distribution(context)
        assert probs.shape == (len(model.vocab),)
        assert abs(probs.sum() - 1.0) < 1e-12, context
        assert probs.min() > 0, context


def test_log2_probs_match_the_distributions(code_slice):
    model = KneserNeyChars(code_slice, order=3)
    text = "    return self._value  # ünïcode\n"
    ids = model.vocab.encode(text)
    direct = model.log2_probs(ids)
    assert direct.shape == (len(text) - 1,)
    one_by_one = [np.log2(model.distribution(text[:t])[ids[t]]) for t in range(1, len(text))]
    np.testing.assert_allclose(direct, one_by_one)


def test_more_context_predicts_code_better(code_slice):
    held_out = load_stdlib_source().train[60_000:70_000]
    bits = []
    for order in (1, 2, 4):
        model = KneserNeyChars(code_slice, order=order)
        bits.append(-model.log2_probs(model.vocab.encode(held_out)).mean())
    assert bits[0] > bits[1] > bits[2]


@pytest.mark.parametrize(
    ("text", "order", "message"),
    [
        ("abc", 0, "order is the number of context characters"),
        ("abc", 1.5, "order is the number of context characters"),
        ("ab", 2, "needs at least 3"),
    ],
)
def test_bad_arguments_are_refused(text, order, message):
    with pytest.raises(ValueError, match=message):
        KneserNeyChars(text, order=order)


def test_orders_that_overflow_64_bit_keys_are_refused():
    text = "".join(chr(0x4E00 + i) for i in range(3000))
    with pytest.raises(ValueError, match="overflow 64 bits"):
        KneserNeyChars(text, order=5)
