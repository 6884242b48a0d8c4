"""course_utils.bpc: one evaluation text, n-gram baselines and model scores on the same chars."""

import math
import subprocess
import sys

import numpy as np
import pytest
from scipy.stats import entropy

from course_utils import bpc
from course_utils.data import CharVocab, load_stdlib_source
from course_utils.ngram import KneserNeyChars


def test_evaluation_text_is_the_whole_valid_split():
    corpus = load_stdlib_source()
    text = bpc.evaluation_text(corpus)
    assert text == corpus.valid == bpc.evaluation_text()
    assert text.startswith('"""\nBasic statistics module.')  # statistics.py, first module


def test_unigram_by_hand_with_an_unseen_character():
    # vocabulary <unk>, a, b; add-one counts 1, 3, 2 of 6; "x" is unseen, scored as <unk>.
    assert bpc.unigram_bpc("aab", "?ab") == pytest.approx((1 + math.log2(3)) / 2)
    assert bpc.unigram_bpc("aab", "?ax") == pytest.approx((1 + math.log2(6)) / 2)
    assert bpc.unigram_bpc("aab", "?ax", k=0.5) == pytest.approx(
        -(math.log2(2.5 / 4.5) + math.log2(0.5 / 4.5)) / 2
    )


def test_unigram_is_the_cross_entropy_scipy_computes():
    corpus = load_stdlib_source()
    train, text = corpus.train[:200_000], corpus.valid[:30_000] + "€±"
    vocab = CharVocab.from_text(train)
    p = np.bincount(vocab.encode(train), minlength=len(vocab)) + 1.0
    q = np.bincount(vocab.encode(text[1:]), minlength=len(vocab)).astype(float)
    cross_entropy = entropy(q, base=2) + entropy(q, p, base=2)  # H(q) + KL(q || p)
    assert bpc.unigram_bpc(train, text) == pytest.approx(cross_entropy, rel=1e-12)


def test_ngram_bpc_is_the_mean_of_the_models_bits():
    train = load_stdlib_source().train[:50_000]
    text = "def f(x):\n    return x\n"
    model = KneserNeyChars(train, order=3)
    expected = -np.mean(model.log2_probs(model.vocab.encode(text)))
    assert bpc.ngram_bpc(train, text, 3) == pytest.approx(expected)
    assert bpc.ngram_bpc(train, text, 3) < bpc.unigram_bpc(train, text)


@pytest.mark.parametrize("scorer", [bpc.unigram_bpc, lambda a, b: bpc.ngram_bpc(a, b, 2)])
def test_an_evaluation_text_under_two_characters_is_refused(scorer):
    with pytest.raises(ValueError, match="at least 2 characters"):
        scorer("some training text", "x")


def uniform(vocab_size):
    """A model that gives every token the same logit: log2(V) bits for everything."""
    return lambda ids: np.zeros((*ids.shape, vocab_size), dtype="float32")


def visible_inputs(vocab_size=5):
    """A model whose P(token 0) = (j + 1) / (j + 2) at window position j (j + 1 inputs seen)."""

    def predict(ids):
        seen = np.arange(1, ids.shape[1] + 1, dtype=float)
        logits = np.zeros((*ids.shape, vocab_size))
        logits[:, :, 0] = np.log(seen * (vocab_size - 1))
        return logits

    return predict


@pytest.mark.parametrize(("n", "context", "stride"), [(1000, 64, 64), (1000, 64, 16), (50, 64, 8)])
def test_every_target_is_scored_once_with_the_stated_context(n, context, stride):
    bits = bpc.sequence_bits(
        visible_inputs(), np.zeros(n, dtype=int), context=context, stride=stride
    )
    assert bits.shape == (n - 1,)
    seen = np.rint(1 / (2.0**bits - 1)).astype(int)  # inverts P = (j + 1) / (j + 2)
    t = np.arange(1, n)
    first = min(context, n - 1)
    assert (seen[:first] == t[:first]).all()  # the first window: everything before it
    assert (seen[first:] >= context - stride + 1).all() and (seen <= context).all()
    if stride == context:  # non-overlapping windows, like lm.tiled_windows
        tiled = np.tile(np.arange(1, context + 1), (n - 1) // context)
        assert (seen[: len(tiled)] == tiled).all()


def test_each_target_is_aligned_with_its_own_history():
    """A bigram 'model' that reads only the last input must score exactly the bigram bits."""
    rng = np.random.default_rng(0)
    table = np.log(rng.dirichlet(np.ones(6), size=6))  # log P(next | previous)
    ids = rng.integers(0, 6, size=777)
    expected = -table[ids[:-1], ids[1:]] / math.log(2)
    for context, stride in [(10, 10), (32, 7), (100, 1), (800, 800)]:
        bits = bpc.sequence_bits(lambda x: table[x], ids, context=context, stride=stride)
        np.testing.assert_allclose(bits, expected)
    probs = np.exp(table)
    bits = bpc.sequence_bits(lambda x: probs[x], ids, context=32, stride=7, from_logits=False)
    np.testing.assert_allclose(bits, expected)


def test_a_uniform_character_model_scores_log2_of_the_vocabulary():
    vocab = CharVocab.from_text("abcdefg")
    score = bpc.char_model_bpc(uniform(len(vocab)), vocab, "abcabczzz" * 30, context=16)
    assert score.bpc == pytest.approx(math.log2(len(vocab)))
    assert score.n_chars == score.n_tokens == 9 * 30 - 1
    assert score.perplexity == pytest.approx(len(vocab))  # perplexity = 2 ** bits = V
    assert "over 269 characters" in score.summary() and "at least 9 before it" in score.summary()


def test_a_keras_character_model_is_scored_through_predict_on_batch():
    import keras

    vocab = CharVocab.from_text("def return self")
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            keras.layers.Embedding(len(vocab), 4),
            keras.layers.LSTM(8, return_sequences=True),
            keras.layers.Dense(len(vocab), kernel_initializer="zeros"),  # uniform output
        ]
    )
    score = bpc.char_model_bpc(model, vocab, "def f(self):\n    return self\n" * 5, context=20)
    assert score.bpc == pytest.approx(math.log2(len(vocab)), rel=1e-6)
    last_only = keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            keras.layers.Embedding(len(vocab), 4),
            keras.layers.LSTM(8),  # return_sequences=False: one output per window
            keras.layers.Dense(len(vocab)),
        ]
    )
    with pytest.raises(ValueError, match="one score per token at every position"):
        bpc.char_model_bpc(last_only, vocab, "def self" * 10, context=8, stride=8)


@pytest.fixture(scope="module")
def tokenizer():
    from course_utils.lm import train_bpe

    return train_bpe([load_stdlib_source().train[:30_000]], vocab_size=1 + 256 + 40)


@pytest.mark.parametrize("text", ["def f(self):\n    return self.x\n" * 4, "é = 'ünïcode'\n" * 3])
def test_a_token_model_scores_exactly_the_same_characters(tokenizer, text):
    size = tokenizer.get_vocab_size()
    score = bpc.token_model_bpc(uniform(size), tokenizer, text, context=16, stride=8)
    scored_tokens = tokenizer.encode(text[1:]).ids
    assert score.n_chars == len(text) - 1
    assert score.n_tokens == len(scored_tokens)
    assert tokenizer.decode(scored_tokens) == text[1:]
    assert score.bits_per_token == pytest.approx(math.log2(size))
    assert score.perplexity == pytest.approx(size)
    assert score.bpc == pytest.approx(
        bpc.bpc_from_token_bits(score.bits_per_token, score.n_tokens, score.n_chars)
    )
    assert score.bpc == pytest.approx(math.log2(size) * len(scored_tokens) / (len(text) - 1))


def test_perplexity_and_the_bits_relation():
    assert bpc.perplexity(0.0) == 1.0
    assert bpc.perplexity(1.0) == 2.0
    assert bpc.perplexity(math.log2(1024)) == pytest.approx(1024)
    assert bpc.bpc_from_token_bits(3.0, n_tokens=100, n_chars=250) == pytest.approx(1.2)


@pytest.mark.parametrize(
    ("context", "stride", "batch_size"), [(0, 1, 8), (8, 0, 8), (8, 9, 8), (8, 8, 0)]
)
def test_bad_windows_are_refused(context, stride, batch_size):
    with pytest.raises(ValueError, match="1 <= stride <= context"):
        bpc.sequence_bits(
            uniform(3), np.zeros(50, int), context=context, stride=stride, batch_size=batch_size
        )


def test_a_model_that_is_not_callable_is_refused():
    with pytest.raises(TypeError, match="Keras model or a function"):
        bpc.sequence_bits("model", np.zeros(50, int), context=8, stride=8)


def test_the_new_modules_load_lazily_without_tensorflow_or_keras():
    code = (
        "import sys, course_utils\n"
        "assert course_utils.bpc.char_model_bpc and course_utils.ngram.KneserNeyChars\n"
        "assert course_utils.tuning.choose_learning_rate\n"
        "print(','.join(m for m in ('tensorflow', 'keras') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
