"""course_utils.messages: the words shown to the learner for values."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import call_repr
from course_utils.messages import short


def test_short_reprs_carry_no_memory_address():
    assert short(np.random.default_rng(0)) == "Generator(PCG64)"
    assert " at 0x" not in call_repr("f", [object()], {"rng": np.random.default_rng(1)})
