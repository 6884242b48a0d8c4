"""Grading of every question type, partial credit, and unreadable input (pure Python)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils.quiz import lesson_ids, load_bank
from course_utils.quiz.questions import (
    Grade,
    JQNumericAnswer,
    JQStringAnswer,
    JupyterquizNumeric,
    JupyterquizString,
    MultipleChoice,
    Numeric,
    NumericRange,
    Option,
    SingleChoice,
    Text,
    normalize,
    parse_number,
    round_significant,
    shorten,
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


def test_multiple_feedback_one_line_per_ticked_option_with_its_mark(
    multiple: MultipleChoice,
) -> None:
    lines = multiple.grade([0, 3]).feedback.split("\n")
    assert (
        lines[0] == "✘ Not quite — score 0.00 (1 of 3 right options ticked, 1 wrong option ticked)"
    )
    assert lines[1:] == ["✔ Forget — erases", "✘ Reset — GRU only"]
    assert "writes" not in "\n".join(lines)  # an unticked option is not explained


def test_multiple_feedback_has_no_doubled_punctuation() -> None:
    options = [Option("It forgets.", True, "Yes."), Option("It writes.", False, "No.")]
    feedback = MultipleChoice("m", "?", ".", options=options).grade([0, 1]).feedback
    assert ".:" not in feedback and ".." not in feedback
    assert feedback.split("\n")[1:] == ["✔ It forgets. — Yes.", "✘ It writes. — No."]


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
        ("1,000,000", 1e6),  # several groups of three: thousands separators
        ("1,234.5", 1234.5),
        ("1.234,5", 1234.5),
        ("18,4961", 18.4961),  # not three digits after the comma: a decimal comma
        ("18,49", 18.49),
        ("22/7", 22 / 7),
        ("-1 / 4", -0.25),
        ("10³", 1000.0),  # superscripts are powers, not "103"
        ("2⁶", 64.0),
        ("10⁻³", 0.001),
        ("1.5×10⁻³", 0.0015),
        ("3 x 10^2", 300.0),
        ("2^10", 1024.0),
        ("2**6", 64.0),
        ("½", 0.5),
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
        ("1,000,00", "is not a number"),
        ("1/0", "divides by zero"),
        ("10^999", "too large"),
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


@pytest.mark.parametrize("typed", ["18,496", " 18,496 ", "-1,024"])
def test_a_comma_before_three_digits_asks_which_was_meant(numeric: Numeric, typed: str) -> None:
    grade = numeric.grade(typed)
    assert not grade.valid  # not an attempt
    whole, rest = typed.strip().split(",")
    assert f"could be {whole}{rest}" in grade.feedback and f"or {whole}.{rest}" in grade.feedback


def test_parameter_count_answer_with_thousands_comma_is_not_marked_wrong() -> None:
    question = Numeric("params", "?", ".", accept=[NumericRange(18496, 18496)])
    assert not question.grade("18,496").valid  # asked, not graded wrong
    assert question.grade("18496").correct and question.grade("18 496").correct


def test_superscripts_are_not_read_as_other_numbers() -> None:
    assert parse_number("10³") == 1000 and parse_number("10³") != 103
    assert parse_number("2⁶") == 64 and parse_number("2⁶") != 26


def test_a_huge_answer_is_shortened_in_the_feedback(numeric: Numeric, text: Text) -> None:
    huge = "x" * 1_000_000
    for grade in (numeric.grade(huge), text.grade(huge)):
        assert len(grade.feedback) < 300
        assert "1,000,000 characters" in grade.feedback


def test_shorten() -> None:
    assert shorten("  short ") == "'short'"
    assert shorten("a" * 100, limit=10) == "'aaaaaaaaaa'… (100 characters)"


@pytest.mark.parametrize(
    ("x", "digits", "rounded"),
    [
        (3.14159, 3, 3.14),
        (2.5, 1, 3.0),  # JavaScript's toPrecision: ties away from zero (Python's 'g' gives 2)
        (-2.5, 1, -3.0),
        (0.125, 2, 0.13),  # 0.125 is exact in binary: a true tie
        (0.15, 1, 0.1),  # 0.15 is 0.1499999... in binary: rounds down, as in JavaScript
        (123456, 2, 120000.0),
        (9.996, 3, 10.0),
        (0.0, 3, 0.0),
    ],
)
def test_round_significant_is_javascripts_to_precision(
    x: float, digits: int, rounded: float
) -> None:
    assert round_significant(x, digits) == rounded


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_answer_gives_a_grade_or_a_message(typed: str) -> None:
    """Property: whatever a learner types, every question type answers with a Grade."""
    questions = [
        Numeric("n", "?", ".", accept=[NumericRange(26, 26)]),
        Text("t", "?", ".", answers=["forget"]),
        SingleChoice("s", "?", ".", options=[Option("a", True), Option("b", False)]),
        MultipleChoice("m", "?", ".", options=[Option("a", True), Option("b", False)]),
        JupyterquizString(
            "j", "?", ".", answers=[JQStringAnswer("Kennedy", True, None, False, 0.8)]
        ),
        JupyterquizNumeric(
            "k", "?", ".", answers=[JQNumericAnswer(True, value=3.14159)], precision=3
        ),
    ]
    for question in questions:
        grade = question.grade(typed)
        assert isinstance(grade, Grade)
        assert 0.0 <= grade.score <= 1.0
        assert grade.valid or grade.feedback.startswith("✎ Not checked — ")
        assert len(grade.feedback) < 600


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_typed_numbers_read_back(x: float) -> None:
    """Property: a number typed as Python prints it is read back exactly."""
    assert parse_number(repr(x)) == x


# --- Right answers however they are written ------------------------------------------------------


def _text(*answers: str) -> Text:
    return Text(id="t", prompt="?", explanation="", answers=list(answers))


@pytest.mark.parametrize(
    ("answer", "typed"),
    [
        ("feed-forward", "feed\u2010forward"),  # hyphen
        ("feed-forward", "feed\u2011forward"),  # non-breaking hyphen
        ("feed-forward", "feed\u2013forward"),  # en dash
        ("feed-forward", "feed\u2212forward"),  # minus sign
        ("dropout", "drop\u200bout"),  # zero-width space
        ("dropout", "\u200fdropout"),  # right-to-left mark
        ("dropout", "drop\u00adout"),  # soft hyphen
        ("dropout", "\ufeffdropout"),  # byte-order mark pasted with the text
        ("es", "'es'"),
        ("es", '"es"'),
        ("es", "`es`"),
        ("es", "\u2018es\u2019"),  # typographic quotes
        ("es", "\u201ces\u201d."),
        ("COURSE_FAST=1", "COURSE_FAST = 1"),
        ("return_sequences=True", "return_sequences = True"),
        ("(e, s)", "(e,s)"),
        ("(e, s)", "( e , s )"),
    ],
)
def test_what_a_person_would_not_call_different_is_graded_the_same(answer, typed) -> None:
    assert _text(answer).grade(typed).correct


@pytest.mark.parametrize(("answer", "typed"), [("es", "e s s"), ("lo", "'es'"), ("a=1", "a=2")])
def test_normalising_does_not_make_wrong_answers_right(answer, typed) -> None:
    assert not _text(answer).grade(typed).correct


def _course_text_questions() -> list[tuple[str, Text]]:
    found = []
    for lesson in lesson_ids():
        for question in load_bank(lesson).questions:
            if isinstance(question, Text):
                found.append((lesson, question))
    return found


@pytest.mark.parametrize(
    "variant",
    [
        lambda a: f"'{a}'",
        lambda a: f"`{a}`",
        lambda a: f" {a}. ",
        lambda a: a.replace("-", "\u2011").replace("=", " = "),
        lambda a: "\u200b" + a.upper() + "\u200f",
    ],
    ids=[
        "quoted",
        "back-quoted",
        "spaced with a full stop",
        "unicode hyphen, spaced =",
        "invisible",
    ],
)
def test_every_bank_answer_is_right_however_it_is_written(variant) -> None:
    questions = _course_text_questions()
    assert len(questions) >= 10
    for lesson, question in questions:
        for answer in question.answers:
            typed = variant(answer)
            assert question.grade(typed).correct, (lesson, question.id, typed)


def test_the_08_prompt_example_format_is_accepted() -> None:
    question = load_bank("08_pretraining").question(
        next(q.id for _, q in _course_text_questions() if "e.g. 'lo'" in q.prompt)
    )
    assert question.grade("'es'").correct
    assert not question.grade("'lo'").correct  # and the example itself is still wrong


def test_normalize_keeps_case_when_asked() -> None:
    assert normalize("\u200b'Conv2D'", case_sensitive=True) == "Conv2D"


@pytest.mark.parametrize(
    "typed", ["2^" + "9" * 5000, "2**" + "1" * 4400, "1.5x10^" + "7" * 4301, "10^-" + "3" * 5000]
)
def test_a_huge_exponent_is_a_clear_message_not_an_error(typed) -> None:
    question = Numeric(id="n", prompt="?", explanation="", accept=[NumericRange(1, 2)])
    grade = question.grade(typed)
    assert not grade.valid and "too large" in grade.feedback
