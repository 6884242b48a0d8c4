"""Exercises under hostile answers: endless loops, exotic values, odd hint arguments.

Each test here failed before the fix it names: check() hung on a function that never returns,
raised on ``10**5000``, a Decimal, an object whose ``__array__`` raises, or an author's
comparison returning an array; ``hint("2")`` and ``hint(None)`` raised TypeError.
"""

from __future__ import annotations

import decimal
import fractions
import threading
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils.exercises import (
    CORRECT,
    INCORRECT,
    CaseTimeout,
    FunctionExercise,
    ValueExercise,
    call_with_time_limit,
)


def _double(x):
    return 2 * x


def _exercise(**kwargs) -> FunctionExercise:
    return FunctionExercise(
        lesson="test", name="double", reference=_double, cases=[((1,), {}), ((3,), {})], **kwargs
    )


def test_endless_function_is_stopped_and_the_case_named():
    def double(x):
        while x == 3:
            pass
        return 2 * x

    started = time.monotonic()
    result = _exercise(time_limit_s=0.3).check(double)
    assert time.monotonic() - started < 5
    assert result.status == INCORRECT
    assert "double(3) was still running after 0.3 s" in result.message


def test_sleeping_function_is_stopped():
    result = _exercise(time_limit_s=0.2).check(lambda x: time.sleep(60))
    assert result.status == INCORRECT and "still running" in result.message


def test_learner_except_exception_cannot_swallow_the_timeout():
    def double(x):
        try:
            while True:
                pass
        except Exception:
            return 2 * x

    assert "still running" in _exercise(time_limit_s=0.2).check(double).message


def test_time_limit_outside_the_main_thread():
    outcome = {}

    def worker():
        try:
            call_with_time_limit(time.sleep, (5,), {}, 0.2)
        except CaseTimeout:
            outcome["stopped"] = True
        outcome["value"] = call_with_time_limit(_double, (4,), {}, 1.0)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(10)
    assert outcome == {"stopped": True, "value": 8}


def test_fast_function_is_unaffected_and_the_timer_is_cleared():
    assert _exercise().check(_double).status == CORRECT
    time.sleep(0.05)  # no stray alarm fires afterwards


@pytest.mark.parametrize(
    "value",
    [
        10**5000,
        decimal.Decimal("0.5"),
        fractions.Fraction(1, 3),
        complex(1, 1),
        float("nan"),
        float("inf"),
        "0.5",
        [0.5],
        {"a": 1},
        object(),
    ],
    ids=lambda v: type(v).__name__,
)
def test_exotic_values_end_in_a_verdict(value):
    result = ValueExercise(lesson="test", name="half", answer=0.5).check(value)
    assert result.status in (CORRECT, INCORRECT)


def test_decimal_half_is_a_half():
    assert ValueExercise(lesson="t", name="h", answer=0.5).check(decimal.Decimal("0.5")).correct


def test_array_whose_conversion_raises():
    class Hostile:
        def __array__(self, *args, **kwargs):
            raise RuntimeError("no array for you")

    result = ValueExercise(lesson="t", name="a", answer=np.zeros(3)).check(Hostile())
    assert result.status == INCORRECT and "could not be read as an array" in result.message


def test_author_comparison_returning_an_array():
    exercise = _exercise(compare=lambda expected, got: np.isclose(expected, got))
    assert exercise.check(_double).status == CORRECT
    assert exercise.check(lambda x: 3 * x).status == INCORRECT


def test_object_whose_repr_and_eq_raise():
    class Nasty:
        def __repr__(self):
            raise RuntimeError("repr")

        def __eq__(self, other):
            raise RuntimeError("eq")

    result = ValueExercise(lesson="t", name="n", answer="x").check(Nasty())
    assert result.status == INCORRECT


@pytest.mark.parametrize(("argument", "shown"), [("2", "Hint 2 of 2"), (None, "hint number")])
def test_hint_with_odd_arguments(capsys, argument, shown):
    exercise = _exercise(hints=["first", "second"])
    exercise.hint(argument)
    assert shown in capsys.readouterr().out


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(
        st.none(),
        st.integers(),
        st.floats(allow_nan=True),
        st.decimals(allow_nan=False),
        st.fractions(),
        st.complex_numbers(),
        st.text(),
        st.lists(st.floats(), max_size=4),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=3),
    )
)
def test_any_value_gets_a_verdict(value):
    result = ValueExercise(lesson="t", name="v", answer=[1.0, 2.0]).check(value)
    assert result.status in ("not attempted", INCORRECT, CORRECT)
    assert result.message
