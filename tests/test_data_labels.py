"""Lesson 08's labelled tasks: module-of-origin windows and scrambled spans."""

import numpy as np
import pytest

from course_utils.data.labels import (
    TOPIC_MODULES,
    module_windows,
    per_class_subset,
    scramble_spans,
)
from course_utils.data.text import stdlib_source_path


def _bytes(text):
    return np.frombuffer(text.encode(), dtype=np.uint8).astype(np.int32)


def test_module_windows_cut_each_module_in_order():
    windows, labels = module_windows(_bytes, 50)
    assert windows.dtype == np.int32 and labels.dtype == np.int32
    assert windows.shape == (len(labels), 50)
    assert set(np.unique(labels)) == set(range(len(TOPIC_MODULES)))
    assert (np.diff(labels) >= 0).all()  # module after module
    first = stdlib_source_path(TOPIC_MODULES[0]).read_text(encoding="utf-8").encode()
    assert bytes(windows[0].astype(np.uint8)) == first[:50]
    n_first = len(first) // 50
    assert (labels == 0).sum() == n_first


def test_scramble_keeps_tokens_changes_order_in_half():
    rng = np.random.default_rng(0)
    windows = np.arange(40 * 30).reshape(40, 30)  # all tokens distinct
    scrambled, labels = scramble_spans(windows, 6, rng)
    assert labels.sum() == 20 and set(np.unique(labels)) == {0, 1}
    assert (scrambled[labels == 0] == windows[labels == 0]).all()
    for row in np.flatnonzero(labels):
        assert sorted(scrambled[row]) == sorted(windows[row])  # same bag of tokens
        changed = np.flatnonzero(scrambled[row] != windows[row])
        assert len(changed) >= 2 and changed.max() - changed.min() < 6  # inside one span
    assert (windows == np.arange(40 * 30).reshape(40, 30)).all()  # input untouched


def test_scramble_is_seeded_and_checks_span():
    windows = np.random.default_rng(1).integers(0, 5, size=(10, 20))
    a = scramble_spans(windows, 4, np.random.default_rng(3))
    b = scramble_spans(windows, 4, np.random.default_rng(3))
    assert all((x == y).all() for x, y in zip(a, b, strict=True))
    with pytest.raises(ValueError):
        scramble_spans(windows, 21, np.random.default_rng(0))
    with pytest.raises(ValueError):
        scramble_spans(windows, 1, np.random.default_rng(0))


def test_per_class_subset():
    labels = np.array([0] * 10 + [1] * 3 + [2] * 7)
    idx = per_class_subset(labels, 5, np.random.default_rng(0))
    assert (np.diff(idx) > 0).all()
    assert np.bincount(labels[idx]).tolist() == [5, 3, 5]
    other = per_class_subset(labels, 5, np.random.default_rng(1))
    assert not np.array_equal(idx, other)
