"""jupyterquiz banks read as they are and graded as jupyterquiz grades them.

The rules are those of jupyterquiz's JavaScript (github.com/jmshea/jupyterquiz at 2a53da8:
numeric.js, string.js, multiple_choice.js; match.js and z_drag_drop.js of its PR #33).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course_utils.content import ContentError
from course_utils.paths import data_dir
from course_utils.quiz import load_bank
from course_utils.quiz.jupyterquiz import BankWarning
from course_utils.quiz.questions import (
    JupyterquizNumeric,
    Match,
    MultipleChoice,
    SingleChoice,
    levenshtein,
)

FIXTURES = Path(__file__).parent / "fixtures"
ALL_TYPES = FIXTURES / "jupyterquiz_all_types.json"
EXAMPLES = FIXTURES / "jupyterquiz_examples.json"


def _bank(tmp_path: Path, questions: list[dict]) -> Path:
    path = tmp_path / "jq.json"
    path.write_text(json.dumps(questions), encoding="utf-8")
    return path


def test_jupyterquizs_own_example_bank_loads_and_grades() -> None:
    bank = load_bank(EXAMPLES)
    kinds = [type(q) for q in bank.questions]
    assert kinds == [
        MultipleChoice,
        MultipleChoice,
        SingleChoice,
        JupyterquizNumeric,
        JupyterquizNumeric,
        SingleChoice,
        SingleChoice,
        SingleChoice,
    ]
    many, cols, single, plain, rounded, printed, snippets, pi = bank.questions
    assert cols.columns == 4 and many.columns is None
    assert many.grade([0, 1, 2, 3]).correct and not many.grade([0, 1, 2, 3, 4]).correct
    assert single.grade("Markdown").correct and not single.grade("SVG").correct
    # numeric without precision: exact value 3.14, or 22/7 in [3.142857, 3.142858)
    assert plain.grade("3.14").correct and plain.grade("22/7").correct
    assert plain.grade("22/7").feedback.startswith("✔ Correct — True to 2 decimal places")
    assert not plain.grade("3.141").correct
    assert plain.grade("-1").feedback.endswith("AREA of a circle of radius 1. Try again.")
    assert plain.grade("5").feedback.endswith("area of a circle of radius 1. Try again.")
    # precision 3: the learner's 3.141 rounds to 3.14
    assert rounded.grade("3.141").correct and not plain.grade("3.141").correct
    # `code` on the question and code-only answers
    assert printed.code == 'a="1"\nb="2"\nprint(a+b)'
    assert printed.grade("12").correct
    assert [o.code for o in snippets.options] == ["mylist+=3", "mylist+=[3]", "mylist+={3}"]
    assert snippets.grade("mylist+=[3]").correct and not snippets.grade("mylist+=3").correct
    assert pi.grade("$\\pi$").correct


def test_every_type_and_field() -> None:
    bank = load_bank(ALL_TYPES)
    q = bank.questions
    assert [x.id for x in q] == [f"q{i}" for i in range(1, 12)]
    assert q[0].grade("relu").feedback == "✘ Not quite — ReLU is unbounded."
    assert q[0].columns == 2
    assert q[1].grade([0, 1]).correct and q[1].grade([0]).score == pytest.approx(0.5)
    # numeric: precision 3, a range answer, the default
    assert q[2].grade("3.14").correct and q[2].grade("3,1416").correct
    assert q[2].grade("-2").feedback == "✘ Not quite — Pi is positive."
    assert q[2].grade("3.2").feedback == "✘ Not quite — Try 22/7 as a first guess."
    assert q[2].code == "import math"
    # string: case ignored, default feedback, match_case
    assert q[3].grade(" Keras ").correct
    assert q[3].grade("jax").feedback == "✘ Not quite — Think of the high-level API we use."
    assert q[4].grade("Dense").correct and not q[4].grade("dense").correct
    assert q[4].grade("dense").feedback == "✘ Not quite — Incorrect. Try again."
    # code on the question and on an option (escaped when shown: see the widget tests)
    assert "<b>not</b>" in q[5].code and q[5].options[2].code.startswith("TypeError")
    assert q[6].grade(["mylist += [3]", "mylist.append(3)"]).correct
    # numeric answers are tried in bank order; the first that holds the number decides
    assert q[7].grade("3.05").feedback == "✘ Not quite — Too small."
    assert q[7].grade("22/7").feedback == "✔ Correct — Yes, 3.14."
    assert q[7].grade("3.15").feedback == "✔ Correct."  # a right range with no feedback
    assert not q[7].grade("3.2").correct  # [3.1, 3.2) excludes 3.2
    # string: fuzzy threshold 0.8 (Levenshtein ratio), feedback marked "(Fuzzy)"
    assert q[8].input_width == 20
    assert q[8].grade(" JOHN F. KENNEDY ").feedback == "✔ Correct — Correct. JFK."
    assert q[8].grade("John F Kenedy").feedback == "✔ Correct — (Fuzzy) Correct. JFK."
    assert q[8].grade("kennedy").feedback == "✘ Not quite — Please also provide the first name."
    assert not q[8].grade("Jack Kerouac").correct


def test_match_and_drag_drop_graded_per_pair() -> None:
    match, drag = load_bank(ALL_TYPES).questions[9:]
    assert isinstance(match, Match) and isinstance(drag, Match)
    labels = [p.label for p in match.pairs]
    right = match.grade({labels[0]: "List", labels[1]: "Dictionary"})
    assert right.correct and right.feedback.startswith("✔ Correct — Perfect!")
    half = match.grade(["List", "Set"])
    assert half.score == 0.5 and not half.correct
    assert half.feedback.split("\n")[0] == "◐ Partly right — 1 of 2 right. Try again!"
    assert "✘ Key-value pairs for fast lookup → Set" in half.feedback
    missing = match.grade({labels[0]: "List"})
    assert not missing.valid and "1 of 2 left" in missing.feedback
    assert not match.grade(["List", "Banana"]).valid
    assert drag.grade(["slides a filter", "keeps the maximum"]).feedback.startswith(
        "✔ Correct — Excellent! All matches are correct!"
    )
    assert (drag.shuffle_pairs, drag.shuffle_options) == (False, False)


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("", "abc", 3), ("kitten", "sitting", 3), ("flaw", "lawn", 2), ("same", "same", 0)],
)
def test_levenshtein(a: str, b: str, distance: int) -> None:
    assert levenshtein(a, b) == distance == levenshtein(b, a)


def test_fuzzy_ratio_is_jupyterquizs() -> None:
    """ratio = 1 - distance / max(len): "john f kenedy" is 2 edits from 15 characters."""
    question = load_bank(ALL_TYPES).questions[8]
    answer = question.answers[0]
    assert answer.fuzzy_ratio("john f kenedy") == pytest.approx(1 - 2 / 15)
    huge = "x" * 1_000_000  # refused by length alone, without a million-row table
    assert answer.fuzzy_ratio(huge) == 0.0 and not question.grade(huge).correct


@pytest.mark.parametrize(
    ("question", "words"),
    [
        (
            {
                "question": "?",
                "type": "multiple_choice",
                "id": "q-7",
                "answers": [{"answer": "a", "correct": True}],
            },
            ["question 1", "id is not a field jupyterquiz reads", "ignored"],
        ),
        (
            {
                "question": "?",
                "type": "string",
                "points": 2,
                "answers": [{"answer": "a", "correct": True}],
            },
            ["question 1", "points is not a field", "ignored"],
        ),
        (
            {
                "question": "?",
                "type": "multiple_choice",
                "answers": [{"answer": "a", "correct": True, "hint": "x"}],
            },
            ["question 1", "answers[0].hint is not a field", "ignored"],
        ),
        (
            {
                "question": "?",
                "type": "numeric",
                "answers": [{"type": "value", "value": 1, "correct": True, "tolerance": 0.1}],
            },
            ["question 1", "answers[0].tolerance is not a field", "ignored"],
        ),
        (
            {
                "question": "?",
                "type": "match",
                "pairs": [{"label": "a", "answer": "b"}],
                "options": ["b"],
                "scoring": "all",
            },
            ["question 1", "scoring is not a field", "ignored"],
        ),
    ],
)
def test_fields_jupyterquiz_does_not_read_are_ignored_with_a_warning_naming_them(
    tmp_path: Path, question: dict, words: list[str]
) -> None:
    with pytest.warns(BankWarning) as caught:
        bank = load_bank(_bank(tmp_path, [question]))
    assert len(bank.questions) == 1
    message = str(caught[0].message)
    for word in words:
        assert word in message, message


@pytest.mark.parametrize(
    ("question", "words"),
    [
        (
            {
                "question": "?",
                "type": "multiple_choice",
                "answers": [{"answer": "a", "correct": False}],
            },
            "no answer is marked correct",
        ),
        (
            {"question": "?", "type": "string", "answers": [{"type": "default", "feedback": "no"}]},
            "a default alone cannot be right",
        ),
        (
            {
                "question": "?",
                "type": "string",
                "answers": [{"answer": "   ", "correct": True}],
            },
            "no right answer can be typed",
        ),
        (
            {
                "question": "?",
                "type": "numeric",
                "answers": [{"type": "range", "range": [2, 1], "correct": True}],
            },
            "range [2, 1) is empty",
        ),
        (
            {
                "question": "?",
                "type": "numeric",
                "answers": [{"type": "value", "value": float("nan"), "correct": True}],
            },
            "not a finite number",
        ),
        (
            {
                "question": "?",
                "type": "numeric",
                "answers": [{"type": "value", "value": 1, "correct": False}],
            },
            "no value or range is marked correct",
        ),
        (
            {
                "question": "?",
                "type": "match",
                "pairs": [{"label": "a", "answer": "z"}],
                "options": ["b"],
            },
            "'z' is not one of the options",
        ),
    ],
)
def test_a_question_no_answer_can_satisfy_is_skipped_and_the_rest_shown(
    tmp_path: Path, question: dict, words: str
) -> None:
    path = _bank(
        tmp_path,
        [
            {"question": "fine", "type": "string", "answers": [{"answer": "a", "correct": True}]},
            question,
        ],
    )
    with pytest.warns(BankWarning, match="question 2") as caught:
        bank = load_bank(path)
    assert [q.id for q in bank.questions] == ["q1"]
    assert words in str(caught[0].message) and "skipped" in str(caught[0].message)
    with pytest.raises(ContentError, match="no question can be graded") as info:
        load_bank(_bank(tmp_path, [question]))  # nothing left to grade: refused
    assert words in str(info.value)


def test_an_unknown_type_is_skipped_as_jupyterquiz_skips_it(tmp_path: Path) -> None:
    path = _bank(
        tmp_path,
        [
            {"question": "Write an essay", "type": "essay", "answers": []},
            {"question": "fine", "type": "string", "answers": [{"answer": "a", "correct": True}]},
        ],
    )
    with pytest.warns(BankWarning, match=r'question 1 \("Write an essay"\): type .essay.'):
        bank = load_bank(path)
    assert [q.id for q in bank.questions] == ["q2"]  # ids keep their place in the file
    assert bank.questions[0].grade("a").correct


def test_values_jupyterquiz_coerces_are_read_as_meant(tmp_path: Path) -> None:
    """``"correct": "true"``, a number as text, a right answer padded with spaces."""
    path = _bank(
        tmp_path,
        [
            {
                "question": "Pick",
                "type": "multiple_choice",
                "answers": [
                    {"answer": "yes", "correct": "true"},
                    {"answer": "no", "correct": "False"},
                ],
            },
            {
                "question": "ln 2?",
                "type": "numeric",
                "precision": 3,
                "answers": [
                    {"type": "value", "value": "0.693", "correct": True},
                    {"type": "range", "range": ["0", "0.5"], "correct": False},
                ],
            },
            {
                "question": "Capital?",
                "type": "string",
                "answers": [{"answer": " Paris ", "correct": True}],
            },
        ],
    )
    with pytest.warns(BankWarning) as caught:
        choice, numeric, text = load_bank(path).questions
    message = str(caught[0].message)
    assert "question 1 (\"Pick\"): answers[0].correct is the text 'true': read as True" in message
    assert "answers[1].value" not in message and "answers[0].value is written as text" in message
    assert "answers[0].answer ' Paris ' has spaces around it" in message
    yes = next(i for i, o in enumerate(choice.options) if o.text == "yes")
    assert isinstance(choice, SingleChoice) and choice.grade(yes).correct
    assert numeric.grade("0.693").correct and not numeric.grade("0.3").correct
    assert text.grade("paris").correct


def test_field_lists_agree_with_the_schema() -> None:
    from course_utils.quiz import jupyterquiz

    schema = json.loads(
        (FIXTURES.parent.parent / "data" / "schemas" / "jupyterquiz.schema.json").read_text()
    )
    for rule in schema["items"]["allOf"]:
        kinds = rule["if"]["properties"]["type"]
        for kind in kinds.get("enum", [kinds.get("const")]):
            assert set(rule["then"]["properties"]) == jupyterquiz.QUESTION_FIELDS[kind], kind
    defs = schema["$defs"]
    string_fields = set().union(*(set(d["properties"]) for d in defs["string_answer"]["oneOf"]))
    assert jupyterquiz.ANSWER_FIELDS["multiple_choice"] == set(defs["choice"]["properties"])
    assert jupyterquiz.ANSWER_FIELDS["numeric"] == set(defs["numeric_answer"]["properties"])
    assert jupyterquiz.ANSWER_FIELDS["string"] == string_fields


# --- Banks with a byte-order mark, answers nobody can give ---------------------------------------


def _json_bank(tmp_path: Path, questions: list[dict], *, bom: bool = False) -> Path:
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
    bank = load_bank(_json_bank(tmp_path, [question], bom=True))
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
        load_bank(_json_bank(tmp_path, [question]))


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
        load_bank(_json_bank(tmp_path, [question]))


def test_a_course_bank_with_a_byte_order_mark_is_read_as_yaml_is(tmp_path: Path) -> None:
    source = data_dir() / "quizzes" / "00_welcome.yaml"
    copy = tmp_path / "00_welcome.json"
    from course_utils.content import read_document

    copy.write_bytes(b"\xef\xbb\xbf" + json.dumps(read_document(source)).encode("utf-8"))
    assert len(load_bank(copy).questions) == len(load_bank(source).questions)
