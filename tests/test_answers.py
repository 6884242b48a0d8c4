"""course_utils.answers: a learner's answer compared with the expected one, in words."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.answers import compare


@pytest.mark.parametrize(
    ("expected", "got", "reason"),
    [
        (1.0, 1.0 + 1e-9, None),
        (3, 3.0, None),
        ([1, 2], (1, 2), None),
        ([1, 2], [1], "wrong length: expected 2 items, got 1"),
        ([1, [2, 3]], [1, [2, 4]], "item 1: item 1: expected 3, got 4"),
        ({"a": 1}, {"a": 1, "b": 2}, "wrong keys: missing [], extra ['b']"),
        ({"a": 1}, {"a": 2}, "key 'a': expected 1, got 2"),
        ("same", "valid", "expected 'same', got 'valid'"),
        (True, 1, "wrong type: expected True or False, got an int"),
        (np.array(2.0), np.array(2.5), "value: expected 2.0, got 2.5"),
        (np.array([np.nan, 1.0]), np.array([np.nan, 1.0]), None),
        (np.array(["a", "b"]), np.array(["a", "c"]), "value at index (1,): expected 'b', got 'c'"),
        (2.0, np.float32(2.0), None),
        (2.0, np.array(2.0), None),
        (None, 0, "wrong type: expected None, got an int"),
    ],
)
def test_compare(expected: object, got: object, reason: str | None) -> None:
    outcome = compare(expected, got)
    if reason is None:
        assert outcome is None
    else:
        assert outcome is not None and outcome.startswith(reason), outcome
