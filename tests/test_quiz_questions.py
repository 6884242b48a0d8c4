"""Grading of every question type, partial credit, and unreadable input (pure Python)."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.quiz.questions import (
    MultipleChoice,
    Numeric,
    NumericRange,
    Option,
    SingleChoice,
    Text,
    normalize,
    parse_number,
)


@pytest.fixture
def single() -> SingleChoice:
    options = [
        Option("The largest value", True, "It keeps the strongest response."),
        Option("The mean value", False, "That is average pooling."),
    ]
    return SingleChoice("pool", "What does max pooling keep?", "Max explained.", options=options)


@pytest.fixture
def multiple() -> MultipleChoice:
    options = [
        Option("Forget", True, "erases"),
        Option("Input", True, "writes"),
        Option("Output", True, "exposes"),
        Option("Reset", False, "GRU only"),
    ]
    return MultipleChoice("gates", "LSTM gates?", "Three gates.", options=options)


@pytest.fixture
def numeric() -> Numeric:
    return Numeric(
        "width",
        "Output width?",
        "26 explained.",
        accept=[NumericRange(26, 26)],
        feedback=[NumericRange(28, 28, "That is same padding.")],
    )


@pytest.fixture
def text() -> Text:
    return Text(
        "gate",
        "Which gate erases?",
        "Forget explained.",
        answers=["forget gate", "forget"],
        wrong_answers={"input gate": "The input gate writes."},
    )


def test_single_right_and_wrong_with_option_explanations(single: SingleChoice) -> None:
    right = single.grade(0)
    assert (right.correct, right.score, right.valid) == (True, 1.0, True)
    assert right.feedback == "✔ Correct — It keeps the strongest response."
    wrong = single.grade(1)
    assert (wrong.correct, wrong.score) == (False, 0.0)
    assert wrong.feedback == "✘ Not quite — That is average pooling."
    assert single.grade("the largest VALUE ").correct  # by option text, normalised


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (None, "Choose an option first"),
        ("", "Choose an option first"),
        (5, "There is no option 5"),
        (-1, "There is no option -1"),
        (True, "not a bool"),
        ([0], "exactly one option"),
        (1.5, "not a float"),
        ("the median", "is not one of the options"),
    ],
)
def test_single_bad_input_is_a_message(
    single: SingleChoice, response: object, message: str
) -> None:
    grade = single.grade(response)
    assert not grade.valid and not grade.correct and grade.score == 0.0
    assert grade.feedback.startswith("✎ Not checked — ")
    assert message in grade.feedback


@pytest.mark.parametrize(
    ("ticked", "score", "correct", "verdict"),
    [
        ([0, 1, 2], 1.0, True, "✔ Correct"),
        ([0, 1], 2 / 3, False, "◐ Partly right"),
        ([0], 1 / 3, False, "◐ Partly right"),
        ([0, 1, 3], 1 / 3, False, "◐ Partly right"),  # (2 - 1) / 3
        ([0, 1, 2, 3], 2 / 3, False, "◐ Partly right"),  # (3 - 1) / 3
        ([0, 3], 0.0, False, "✘ Not quite"),  # (1 - 1) / 3
        ([3], 0.0, False, "✘ Not quite"),  # floored at 0
        ((2, 1, 0, 0), 1.0, True, "✔ Correct"),  # duplicates and order do not matter
        ({"Forget", "input", "Output"}, 1.0, True, "✔ Correct"),  # by text
        (np.array([0, 1, 2]), 1.0, True, "✔ Correct"),
    ],
)
def test_multiple_partial_credit(
    multiple: MultipleChoice, ticked: object, score: float, correct: bool, verdict: str
) -> None:
    grade = multiple.grade(ticked)
    assert grade.score == pytest.approx(score)
    assert grade.correct is correct
    assert grade.feedback.startswith(verdict)


def test_multiple_feedback_explains_each_ticked_option(multiple: MultipleChoice) -> None:
    feedback = multiple.grade([0, 3]).feedback
    assert "1 of 3 right options ticked, 1 wrong option ticked" in feedback
    assert "Forget: erases" in feedback and "Reset: GRU only" in feedback
    assert "writes" not in feedback  # an unticked option is not explained


@pytest.mark.parametrize(
    ("response", "message"),
    [([], "at least one"), (None, "Tick the options"), ([7], "no option 7"), ({"a": 1}, "dict")],
)
def test_multiple_bad_input(multiple: MultipleChoice, response: object, message: str) -> None:
    grade = multiple.grade(response)
    assert not grade.valid and message in grade.feedback


@pytest.mark.parametrize("response", [26, 26.0, "26", " 26 ", "26,0", "2.6e1", np.int64(26)])
def test_numeric_right(numeric: Numeric, response: object) -> None:
    assert numeric.grade(response).correct


def test_numeric_wrong_with_range_feedback(numeric: Numeric) -> None:
    assert numeric.grade("28").feedback == "✘ Not quite — That is same padding."
    plain = numeric.grade(27)
    assert plain.valid and not plain.correct
    assert plain.feedback == "✘ Not quite — 27 is not the expected value. Try again."


def test_numeric_tolerances() -> None:
    absolute = Numeric("a", "?", ".", accept=[NumericRange(0.5 - 0.01, 0.5 + 0.01)])
    assert absolute.grade("0.505").correct and not absolute.grade("0.52").correct
    rng = Numeric("r", "?", ".", accept=[NumericRange(1e-4, 1e-2)])
    assert rng.grade("1e-3").correct and rng.grade("1E-2").correct
    assert not rng.grade("0.02").correct


@pytest.mark.parametrize(
    ("text_in", "value"),
    [
        ("1,5", 1.5),
        ("1e-3", 0.001),
        ("  -2.5 ", -2.5),
        ("+3", 3.0),
        ("−4", -4.0),  # a Unicode minus sign
        ("1 000", 1000.0),
        ("1_000", 1000.0),
        (7, 7.0),
        (np.float32(0.5), 0.5),
    ],
)
def test_parse_number_reads_what_learners_type(text_in: object, value: float) -> None:
    assert parse_number(text_in) == pytest.approx(value)


@pytest.mark.parametrize(
    ("response", "message"),
    [
        ("", "Type a number first"),
        ("   ", "Type a number first"),
        (None, "Type a number first"),
        ("abc", "'abc' is not a number"),
        ("1,000,000", "is not a number"),
        ("nan", "finite number"),
        ("inf", "finite number"),
        ([26], "got a list"),
        ({"x": 1}, "got a dict"),
        (True, "got True"),
        ("12 apples", "is not a number"),
    ],
)
def test_numeric_bad_input_is_a_message(numeric: Numeric, response: object, message: str) -> None:
    grade = numeric.grade(response)
    assert not grade.valid and not grade.correct and grade.score == 0.0
    assert grade.feedback.startswith("✎ Not checked — ")
    assert message in grade.feedback
    assert "e.g." in grade.feedback or "such as" in grade.feedback  # says what to type


@pytest.mark.parametrize(
    "response",
    ["forget gate", "Forget Gate", "  forget   gate ", "FORGET", "forget-gate", "forget."],
)
def test_text_normalised_and_synonyms(text: Text, response: str) -> None:
    assert text.grade(response).correct


def test_text_wrong_with_and_without_feedback(text: Text) -> None:
    assert text.grade("Input  Gate").feedback == "✘ Not quite — The input gate writes."
    other = text.grade("output gate")
    assert other.valid and not other.correct and "'output gate' is not the answer" in other.feedback


@pytest.mark.parametrize(
    ("response", "message"),
    [("", "Type an answer first"), ("  ", "Type an answer first"), (None, "first"), (3, "int")],
)
def test_text_bad_input(text: Text, response: object, message: str) -> None:
    grade = text.grade(response)
    assert not grade.valid and message in grade.feedback


def test_text_case_sensitive() -> None:
    question = Text("c", "?", ".", answers=["Dense"], case_sensitive=True)
    assert question.grade(" Dense ").correct and not question.grade("dense").correct


def test_normalize() -> None:
    assert normalize("  Max\tPooling. ") == "max pooling"
    assert normalize("Max", case_sensitive=True) == "Max"
