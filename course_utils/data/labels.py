"""Labelled tasks made from the standard-library source, for lesson 08's fine-tuning.

The labels are derived from the source itself, so they are on every machine:

- **module of origin** (:func:`module_windows`): token windows of a few modules, each
  labelled with the module it was cut from (a topic task: the words give it away);
- **scrambled span** (:func:`scramble_spans`): windows of which half had a span of
  consecutive tokens put in a random order (an acceptability task: the same words, only
  their order says which is which).

Tokenisation is passed in (``encode``), so the same windows serve any tokenizer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from course_utils.data.text import stdlib_source_path

TOPIC_MODULES = ("argparse", "datetime", "tarfile", "typing")
"""The four classes of the module-of-origin task (standard-library modules, train part)."""


def module_windows(
    encode: Callable[[str], np.ndarray],
    length: int,
    modules: Sequence[str] = TOPIC_MODULES,
) -> tuple[np.ndarray, np.ndarray]:
    """Non-overlapping windows of ``length`` token ids from each module, and their labels.

    Returns ``(windows, labels)``: int32 arrays of shapes ``(n, length)`` and ``(n,)``;
    label ``k`` means ``modules[k]``. Windows follow the order of each file, module after
    module, so a split by position keeps neighbouring windows together.
    """
    windows, labels = [], []
    for label, module in enumerate(modules):
        ids = np.asarray(encode(stdlib_source_path(module).read_text(encoding="utf-8")))
        n = len(ids) // length
        windows.append(ids[: n * length].reshape(n, length))
        labels.append(np.full(n, label))
    return np.concatenate(windows).astype(np.int32), np.concatenate(labels).astype(np.int32)


def scramble_spans(
    windows: np.ndarray, span: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Scramble a random span of ``span`` tokens in a random half of the windows.

    Returns ``(windows, labels)``: a copy where each window with label 1 had ``span``
    consecutive tokens, at a random offset, put in a random order different from the
    original one (a span of identical tokens is moved elsewhere until one differs), and
    label 0 windows are unchanged. The bag of tokens of every window is kept, so a model
    that ignores order cannot tell the labels apart.
    """
    windows = np.array(windows, copy=True)
    n, length = windows.shape
    if not 2 <= span <= length:
        raise ValueError(f"span must be between 2 and the window length {length}")
    labels = rng.permutation(np.arange(n) % 2).astype(np.int32)
    for row in np.flatnonzero(labels):
        for _ in range(100):
            start = int(rng.integers(0, length - span + 1))
            piece = windows[row, start : start + span]
            shuffled = rng.permutation(piece)
            if not np.array_equal(shuffled, piece):
                windows[row, start : start + span] = shuffled
                break
    return windows, labels


def per_class_subset(labels: np.ndarray, per_class: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of ``per_class`` random examples of each label (all of them if fewer)."""
    picked = [
        rng.permutation(np.flatnonzero(labels == label))[:per_class] for label in np.unique(labels)
    ]
    return np.sort(np.concatenate(picked))
