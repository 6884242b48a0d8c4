"""Character n-gram language models with interpolated Kneser-Ney smoothing, in NumPy.

:class:`KneserNeyChars` is the baseline that the course's bits per character are read
against (:mod:`course_utils.bpc`): it is estimated on a training text and never gives an
evaluation character probability 0. The estimate is interpolated Kneser-Ney (Chen &
Goodman 1999, section 3.5) with one absolute discount per level,
``D = n1 / (n1 + 2 n2)`` from that level's count-of-counts (Ney, Essen & Kneser 1994;
0.5 when a level has no count of 1):

- the top level (``order`` characters of context) uses the raw counts, each lower level the
  *continuation* counts (how many distinct characters precede the n-gram);
- ``P_k(c | h) = (max(n(hc) - D, 0) + D * N1+(h.) * P_{k-1}(c | h')) / n(h.)``, where ``h'``
  is ``h`` without its oldest character; a context never seen at level ``k`` falls back to
  ``P_{k-1}`` unchanged;
- level 0 interpolates the continuation unigram with the uniform distribution over the
  vocabulary, so a character never seen in training still gets a probability above 0.

The vocabulary is a :class:`~course_utils.data.text.CharVocab` (by default every character
of the training text, plus ``<unk>``): an evaluation character outside it is scored as
``<unk>``, as the course's character models score it. Counting is vectorised (n-grams as
base-V integers, ``np.unique``), so order 5 on the 2.7 M-character training split takes a
few seconds. NLTK's ``KneserNeyInterpolated`` does the same in pure Python, orders of
magnitude slower, and would be a new dependency.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_utils.data.text import CharVocab

MISSING = -1
"""Marks a context position before the start of the text."""


@dataclass(frozen=True)
class _Level:
    """The counts of one level: n-gram keys (sorted) and their counts, grouped by context."""

    keys: np.ndarray  # int64, sorted: context * V + character
    counts: np.ndarray  # raw (top level) or continuation counts, float64
    contexts: np.ndarray  # int64, sorted unique contexts
    totals: np.ndarray  # n(h.): sum of the counts of each context
    types: np.ndarray  # N1+(h.): distinct characters seen after each context
    discount: float


class KneserNeyChars:
    """An interpolated Kneser-Ney character model with ``order`` characters of context.

    >>> model = KneserNeyChars("abracadabra", order=2)
    >>> round(float(model.distribution("ab").sum()), 12)
    1.0
    """

    def __init__(self, train_text: str, order: int, vocab: CharVocab | None = None) -> None:
        if not isinstance(order, int) or order < 1:
            raise ValueError(
                f"order is the number of context characters and must be a whole number >= 1, "
                f"got {order!r} (for no context at all use course_utils.bpc.unigram_bpc)"
            )
        if len(train_text) < order + 1:
            raise ValueError(
                f"the training text has {len(train_text)} characters; an order-{order} model "
                f"needs at least {order + 1}"
            )
        self.order = order
        self.vocab = vocab if vocab is not None else CharVocab.from_text(train_text)
        self.size = len(self.vocab)
        if float(self.size) ** (order + 1) >= 2.0**62:
            raise ValueError(
                f"{self.size} tokens and order {order}: n-gram keys would overflow 64 bits; "
                "use a smaller order or a smaller vocabulary"
            )
        ids = self.vocab.encode(train_text).astype(np.int64)
        grams = self._unique_grams(ids)
        self.levels = [self._level(grams, k) for k in range(order + 1)]
        base = np.bincount(self.levels[0].keys, self.levels[0].counts, minlength=self.size)
        low = self.levels[0]
        total, types, discount = low.totals[0], low.types[0], low.discount
        self.base = (np.maximum(base - discount, 0.0) + discount * types / self.size) / total

    def log2_probs(self, ids: np.ndarray) -> np.ndarray:
        """``log2 P(ids[t] | ids[t-order:t])`` for ``t = 1 .. len(ids) - 1``.

        Each character is predicted from the up to ``order`` characters before it (fewer at
        the start of ``ids``); ``ids[0]`` is context only. Shape ``(len(ids) - 1,)``.
        """
        ids = np.asarray(ids, dtype=np.int64)
        padded = np.concatenate([np.full(self.order, MISSING, dtype=np.int64), ids[:-1]])
        history = np.lib.stride_tricks.sliding_window_view(padded, self.order)[1:]
        return np.log2(self._probs(history, ids[1:]))

    def distribution(self, context: str) -> np.ndarray:
        """``P(c | context)`` for every token ``c`` of :attr:`vocab`, shape ``(len(vocab),)``.

        Only the last ``order`` characters of ``context`` matter; ``""`` gives level 0.
        """
        ids = self.vocab.encode(context[-self.order :] if context else "").astype(np.int64)
        row = np.concatenate([np.full(self.order - len(ids), MISSING, dtype=np.int64), ids])
        history = np.repeat(row[None, :], self.size, axis=0)
        return self._probs(history, np.arange(self.size, dtype=np.int64))

    def _probs(self, history: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """``P(target | history row)``; ``history`` is ``(n, order)``, oldest first."""
        probs = self.base[targets]
        context = np.zeros(len(targets), dtype=np.int64)
        known = np.ones(len(targets), dtype=bool)
        for k in range(1, self.order + 1):
            oldest = history[:, self.order - k]
            known &= oldest != MISSING
            context = context + np.where(known, oldest, 0) * self.size ** (k - 1)
            level = self.levels[k]
            slot = np.searchsorted(level.contexts, context)
            slot = np.minimum(slot, len(level.contexts) - 1)
            seen = known & (level.contexts[slot] == context)
            key = context * self.size + targets
            where = np.minimum(np.searchsorted(level.keys, key), len(level.keys) - 1)
            count = np.where(level.keys[where] == key, level.counts[where], 0.0)
            total, types = level.totals[slot], level.types[slot]
            mixed = (np.maximum(count - level.discount, 0.0) + level.discount * types * probs) / (
                np.where(seen, total, 1.0)
            )
            probs = np.where(seen, mixed, probs)
        return probs

    def _unique_grams(self, ids: np.ndarray) -> dict[int, np.ndarray]:
        """Sorted unique n-gram keys of every length 1 .. order + 1, with raw counts."""
        grams = {}
        keys = ids.copy()
        for length in range(1, self.order + 2):
            if length > 1:
                keys = keys[:-1] * self.size + ids[length - 1 :]
            grams[length] = np.unique(keys, return_counts=True)
        return grams

    def _level(self, grams: dict[int, tuple[np.ndarray, np.ndarray]], k: int) -> _Level:
        """Level ``k`` (context of ``k`` characters): raw counts on top, continuation below."""
        if k == self.order:
            keys, counts = grams[k + 1]
        else:  # N1+(. w): distinct characters seen before the (k+1)-gram w
            longer, _ = grams[k + 2]
            keys, counts = np.unique(longer % self.size ** (k + 1), return_counts=True)
        counts = counts.astype(np.float64)
        contexts, first, types = np.unique(keys // self.size, return_index=True, return_counts=True)
        n1, n2 = np.sum(counts == 1), np.sum(counts == 2)
        discount = float(n1 / (n1 + 2 * n2)) if n1 > 0 else 0.5
        return _Level(
            keys=keys,
            counts=counts,
            contexts=contexts,
            totals=np.add.reduceat(counts, first),
            types=types.astype(np.float64),
            discount=discount,
        )
