"""One bits-per-character evaluation for the course's language models (lessons 02-04, 08).

Every model and baseline is scored on the same characters of the same text:

- :func:`evaluation_text` is the text: the whole ``valid`` part of
  :func:`~course_utils.data.load_stdlib_source` (ten whole modules, about 221,000
  characters with Python 3.11);
- its first character is context only; every later character is predicted once, from the
  characters before it, and the scores are ``-log2 P`` summed over those ``len(text) - 1``
  characters and divided by their number;
- :func:`unigram_bpc` and :func:`ngram_bpc` are the baselines, estimated on a training text;
- :func:`char_model_bpc` scores a Keras character model (ids ``(batch, n)`` -> one score per
  token ``(batch, n, V)``), :func:`token_model_bpc` a token model such as lesson 08's BPE
  GPT, both through :func:`sequence_bits`: overlapping windows of ``context`` inputs moved
  by ``stride``, each window scoring only the targets the previous one did not, so every
  character after the first ``context - stride + 1`` has at least that many before it;
- perplexity per token is ``2 ** bits_per_token``, and bits per character are
  ``bits_per_token * n_tokens / n_chars`` (:func:`perplexity`, :func:`bpc_from_token_bits`).

Importing this module imports neither TensorFlow nor Keras.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from course_utils.data.text import CharVocab, CodeCorpus, load_stdlib_source
from course_utils.ngram import KneserNeyChars


def evaluation_text(corpus: CodeCorpus | None = None) -> str:
    """The course's evaluation text: the whole ``valid`` part of the standard-library corpus.

    Whole modules, not a prefix: a prefix of 60,000 characters is mostly ``statistics.py``
    and ``fractions.py``. Scoring all of it on a busy 2-core CPU took 4 s for a 128-unit
    character LSTM and 11 s for lesson 08's GPT (windows of 128 moved by 64; see
    ``docs/AUTHORING.md``).
    Pass the lesson's ``corpus`` to skip reading the files again.
    """
    return (corpus if corpus is not None else load_stdlib_source()).valid


def unigram_bpc(train_text: str, eval_text: str, k: float = 1.0) -> float:
    """Bits per character of character frequencies alone (no context), add-``k`` smoothed.

    ``P(c) = (count(c) + k) / (len(train_text) + k * V)`` over the vocabulary of
    ``train_text`` plus ``<unk>`` (``V`` tokens), so no character gets probability 0; a
    character never seen in training is scored as ``<unk>``. Scores ``eval_text[1:]``.
    """
    if k <= 0:
        raise ValueError(f"k must be above 0 so that no character gets probability 0, got {k}")
    _check_eval_text(eval_text)
    vocab = CharVocab.from_text(train_text)
    counts = np.bincount(vocab.encode(train_text), minlength=len(vocab)) + float(k)
    probs = counts / counts.sum()
    return float(-np.mean(np.log2(probs[vocab.encode(eval_text[1:])])))


def ngram_bpc(train_text: str, eval_text: str, order: int) -> float:
    """Bits per character of an interpolated Kneser-Ney model with ``order`` context characters.

    Estimated on ``train_text`` (:class:`~course_utils.ngram.KneserNeyChars`) and scored on
    ``eval_text[1:]``, each character from the up to ``order`` characters before it.
    """
    _check_eval_text(eval_text)
    model = KneserNeyChars(train_text, order)
    return float(-np.mean(model.log2_probs(model.vocab.encode(eval_text))))


@dataclass(frozen=True)
class ModelScore:
    """A model's score on a text: total bits over ``n_chars`` characters in ``n_tokens`` tokens."""

    total_bits: float
    n_chars: int
    n_tokens: int
    context: int
    stride: int

    @property
    def bpc(self) -> float:
        """Bits per character."""
        return self.total_bits / self.n_chars

    @property
    def bits_per_token(self) -> float:
        """Bits per predicted token (equal to :attr:`bpc` for a character model)."""
        return self.total_bits / self.n_tokens

    @property
    def perplexity(self) -> float:
        """Per-token perplexity, ``2 ** bits_per_token``."""
        return perplexity(self.bits_per_token)

    def summary(self) -> str:
        """One line: bits per character, what was scored, and the context convention."""
        return (
            f"{self.bpc:.3f} bits per character over {self.n_chars:,} characters "
            f"({self.n_tokens:,} tokens; windows of {self.context} moved by {self.stride}: "
            f"each token after the first window sees at least {self.context - self.stride + 1} "
            "before it)"
        )


def perplexity(bits_per_token: float) -> float:
    """Per-token perplexity: ``2 ** bits_per_token`` (the effective number of choices)."""
    return float(2.0**bits_per_token)


def bpc_from_token_bits(bits_per_token: float, n_tokens: int, n_chars: int) -> float:
    """Bits per character from bits per token: ``bits_per_token * n_tokens / n_chars``."""
    return bits_per_token * n_tokens / n_chars


def sequence_bits(
    predict: Callable[[np.ndarray], Any] | Any,
    ids: np.ndarray,
    *,
    context: int,
    stride: int,
    batch_size: int = 64,
    from_logits: bool = True,
) -> np.ndarray:
    """``-log2 P(ids[t] | ids before t)`` for ``t = 1 .. len(ids) - 1``, shape ``(len(ids)-1,)``.

    ``predict`` is a Keras model (its ``predict_on_batch`` is used) or a function from int32
    ids ``(batch, n)`` to one score per token ``(batch, n, V)``: logits, or probabilities
    with ``from_logits=False``. Windows of ``context`` inputs start every ``stride`` ids (the
    last one ends at the text's end); the first window scores all its targets, every later
    one only those the previous windows did not, so each target is scored exactly once, with
    at least ``context - stride + 1`` ids before it once past the first window.
    ``stride == context`` gives non-overlapping windows (cheapest, least context).
    """
    ids = np.asarray(ids, dtype=np.int32)
    _check_windows(len(ids), context, stride, batch_size)
    call = getattr(predict, "predict_on_batch", predict)
    if not callable(call):
        raise TypeError(f"predict must be a Keras model or a function, got {type(predict)}")
    n_targets = len(ids) - 1
    width = min(context, n_targets)
    starts = list(range(0, n_targets - width + 1, stride))
    if starts[-1] != n_targets - width:
        starts.append(n_targets - width)
    starts = np.asarray(starts)
    first_new = np.concatenate([[0], starts[:-1] + width - starts[1:]])  # offsets to keep
    windows = np.lib.stride_tricks.sliding_window_view(ids, width + 1)[starts]
    bits = np.empty(n_targets)
    for begin in range(0, len(windows), batch_size):
        batch = windows[begin : begin + batch_size]
        window_bits = _target_bits(call(batch[:, :-1]), batch[:, 1:], from_logits)
        chunk = slice(begin, begin + batch_size)
        for row, start, keep in zip(window_bits, starts[chunk], first_new[chunk], strict=True):
            bits[start + keep : start + width] = row[keep:]
    return bits


def char_model_bpc(
    model: Any,
    vocab: CharVocab,
    text: str,
    *,
    context: int,
    stride: int | None = None,
    batch_size: int = 256,
    from_logits: bool = True,
) -> ModelScore:
    """Bits per character of a character model on ``text[1:]`` (see :func:`sequence_bits`).

    ``model`` maps ``vocab`` ids ``(batch, n)`` to one score per token ``(batch, n,
    len(vocab))`` (lessons 02-04: Embedding -> recurrent layer with ``return_sequences`` ->
    Dense). Give ``context`` the length of the windows the model was trained on (lessons
    02-03: 64, 04: 50): a recurrent model starts every window from a zero state and has
    never run longer. ``stride=None`` is half the context: with ``context=64`` every
    character after the first 64 is predicted from 33 to 64 characters before it.
    """
    _check_eval_text(text)
    stride = _half(context) if stride is None else stride
    bits = sequence_bits(
        model,
        vocab.encode(text),
        context=context,
        stride=stride,
        batch_size=batch_size,
        from_logits=from_logits,
    )
    return ModelScore(float(bits.sum()), len(text) - 1, len(bits), context, stride)


def token_model_bpc(
    model: Any,
    tokenizer: Any,
    text: str,
    *,
    context: int,
    stride: int | None = None,
    batch_size: int = 64,
    from_logits: bool = True,
) -> ModelScore:
    """Bits per character of a token model (lesson 08's BPE GPT) on the same ``text[1:]``.

    ``tokenizer`` is a Hugging Face ``tokenizers.Tokenizer`` whose decoding is lossless.
    ``text[0]`` and ``text[1:]`` are encoded separately, so the scored tokens spell exactly
    ``text[1:]``, the characters every other model is scored on; bits per character are the
    scored tokens' bits over ``len(text) - 1``. ``context`` must not exceed the model's;
    ``stride=None`` is half of it.
    """
    _check_eval_text(text)
    stride = _half(context) if stride is None else stride
    head = tokenizer.encode(text[0]).ids
    ids = np.asarray(head + tokenizer.encode(text[1:]).ids, dtype=np.int32)
    bits = sequence_bits(
        model, ids, context=context, stride=stride, batch_size=batch_size, from_logits=from_logits
    )[len(head) - 1 :]
    return ModelScore(float(bits.sum()), len(text) - 1, len(bits), context, stride)


def _target_bits(scores: Any, targets: np.ndarray, from_logits: bool) -> np.ndarray:
    """``-log2`` of each target's probability, from logits or probabilities ``(b, n, V)``."""
    scores = np.asarray(scores, dtype=np.float64)
    if scores.shape[:2] != targets.shape:
        raise ValueError(
            f"the model returned shape {scores.shape} for inputs of shape {targets.shape}; "
            "it must return one score per token at every position (batch, n, vocabulary), "
            "e.g. a recurrent layer with return_sequences=True"
        )
    picked = np.take_along_axis(scores, targets[..., None].astype(np.int64), -1)[..., 0]
    if not from_logits:
        return -np.log2(picked)
    top = scores.max(-1)
    log_z = top + np.log(np.exp(scores - top[..., None]).sum(-1))
    return (log_z - picked) / math.log(2)


def _half(context: int) -> int:
    return max(1, context // 2)


def _check_eval_text(text: str) -> None:
    if len(text) < 2:
        raise ValueError(
            f"the evaluation text needs at least 2 characters (the first is context only), "
            f"got {len(text)}"
        )


def _check_windows(n_ids: int, context: int, stride: int, batch_size: int) -> None:
    if n_ids < 2:
        raise ValueError(f"need at least 2 ids (the first is context only), got {n_ids}")
    if context < 1 or not 1 <= stride <= context or batch_size < 1:
        raise ValueError(
            f"need context >= 1, 1 <= stride <= context and batch_size >= 1; got context="
            f"{context}, stride={stride}, batch_size={batch_size}"
        )
