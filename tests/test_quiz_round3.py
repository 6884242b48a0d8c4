"""Issue 28, quizzes: right answers graded right, banks that cannot be answered refused.

Each test failed before the fix: right text answers with a Unicode hyphen, an invisible
character, quotes or spaces around ``=`` were graded wrong; ``2^`` and thousands of digits
escaped ``grade()``; jupyterquiz banks whose right answer is ``""`` loaded though nobody could
answer them; a JSON bank with a byte-order mark was refused while a YAML one was accepted.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course_utils.content import ContentError
from course_utils.paths import data_dir
from course_utils.quiz import lesson_ids, load_bank
from course_utils.quiz.questions import Numeric, NumericRange, Text, normalize


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


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["2^" + "9" * 5000, "2**" + "1" * 4400, "1.5x10^" + "7" * 4301, "10^-" + "3" * 5000]
)
def test_a_huge_exponent_is_a_clear_message_not_an_error(typed) -> None:
    question = Numeric(id="n", prompt="?", explanation="", accept=[NumericRange(1, 2)])
    grade = question.grade(typed)
    assert not grade.valid and "too large" in grade.feedback


# --- jupyterquiz banks -----------------------------------------------------------------------


def _bank(tmp_path: Path, questions: list[dict], *, bom: bool = False) -> Path:
    path = tmp_path / "bank.json"
    text = json.dumps(questions)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_a_json_bank_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    question = {
        "question": "2 + 2?",
        "type": "numeric",
        "answers": [{"type": "value", "value": 4, "correct": True}],
    }
    bank = load_bank(_bank(tmp_path, [question], bom=True))
    assert bank.questions[0].grade("4").correct


def test_a_string_answer_that_is_empty_cannot_be_reached_by_fuzzy_matching(tmp_path) -> None:
    question = {
        "question": "Name it",
        "type": "string",
        "answers": [{"answer": "", "correct": True, "fuzzy_threshold": 0.8}],
    }
    # the lenient loader skips such a question; a bank with nothing else to grade is refused
    with pytest.raises(
        ContentError, match=r'question 1 \("Name it"\): answers: no right answer can'
    ):
        load_bank(_bank(tmp_path, [question]))


def test_a_match_answer_that_is_empty_cannot_be_chosen(tmp_path: Path) -> None:
    question = {
        "question": "Match",
        "type": "match",
        "pairs": [{"label": "a", "answer": ""}, {"label": "b", "answer": "B"}],
        "options": ["", "B"],
    }
    with pytest.raises(
        ContentError, match=r"question 1 \(\"Match\"\): pairs: the answer '' is empty"
    ):
        load_bank(_bank(tmp_path, [question]))


def test_a_course_bank_with_a_byte_order_mark_is_read_as_yaml_is(tmp_path: Path) -> None:
    source = data_dir() / "quizzes" / "00_welcome.yaml"
    copy = tmp_path / "00_welcome.json"
    from course_utils.content import read_document

    copy.write_bytes(b"\xef\xbb\xbf" + json.dumps(read_document(source)).encode("utf-8"))
    assert len(load_bank(copy).questions) == len(load_bank(source).questions)
