"""Reading question banks in jupyterquiz's JSON format, graded as jupyterquiz grades them.

Read from jupyterquiz's sources (github.com/jmshea/jupyterquiz, main at 2a53da8, 2026-01-19:
``jupyterquiz/js/*.js``; ``match`` and ``drag_drop`` from its pull request #33, not merged
there yet). A bank is a list of questions with ``question``, ``type`` and:

- ``multiple_choice`` / ``many_choice``: ``answers`` (``answer`` and/or ``code``, ``correct``,
  ``feedback``), ``answer_cols``. As in jupyterquiz, one right answer makes it a
  single-choice question and several a tick-all-that-apply one, whatever the type says.
- ``numeric``: ``precision`` and ``answers`` of type ``value``, ``range`` [low, high) or
  ``default`` (:class:`~course_utils.quiz.questions.JupyterquizNumeric`).
- ``string``: ``answers`` with ``match_case``, ``fuzzy_threshold`` and a ``default``;
  ``input_width`` (:class:`~course_utils.quiz.questions.JupyterquizString`).
- ``match`` / ``drag_drop``: ``pairs`` of ``label`` and ``answer``, ``options``,
  ``shuffle_pairs``, ``shuffle_options`` and ``feedback`` (``correct``/``incorrect``).
- ``code`` on any question (and on a choice) is shown as code, escaped.

Like jupyterquiz, a bank is read leniently (:func:`gradeable`): a field it does not read (an
``id``, an answer's ``hint``) is ignored, ``"correct": "true"`` is read as true, a number
written as a string as the number, a right answer padded with spaces as the answer; a
question of an unknown type, or one that breaks the schema
(``data/schemas/jupyterquiz.schema.json``) or that no answer can satisfy, is skipped. Each
repair and skip is a :class:`BankWarning` naming the question and the field; a bank is refused
(ContentError) only when none of its questions can be graded. Question ids are ``q1``, ``q2``,
... by position in the file, skipped ones included, so saved progress stays attached.

One difference is deliberate: jupyterquiz grades a tick-all-that-apply question click by click
(a wrong click resets its count), the course grades the final set of ticks with partial
credit, like its own ``multiple`` questions.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any

from course_utils.content import ContentError, validate
from course_utils.quiz.questions import (
    JQNumericAnswer,
    JQStringAnswer,
    JupyterquizNumeric,
    JupyterquizString,
    Match,
    MultipleChoice,
    Option,
    Pair,
    Question,
    SingleChoice,
)

NO_EXPLANATION = "This bank gives no explanation for this question."
_CHOICE = {"question", "type", "code", "answer_cols", "answers"}
_MATCH = {"question", "type", "code", "feedback", "options", "pairs", "shuffle_options"}
#: The fields jupyterquiz reads, per question type (the schema's, tested to agree).
QUESTION_FIELDS = {
    "multiple_choice": _CHOICE,
    "many_choice": _CHOICE,
    "numeric": {"question", "type", "code", "precision", "answers"},
    "string": {"question", "type", "code", "input_width", "answers"},
    "match": _MATCH | {"shuffle_pairs"},
    "drag_drop": _MATCH | {"shuffle_pairs"},
}
_CHOICE_ANSWER = {"answer", "code", "correct", "feedback", "answer_cols"}
#: The fields jupyterquiz reads in one of a question's ``answers``.
ANSWER_FIELDS = {
    "multiple_choice": _CHOICE_ANSWER,
    "many_choice": _CHOICE_ANSWER,
    "numeric": {"type", "value", "range", "correct", "feedback"},
    "string": {"type", "answer", "correct", "feedback", "match_case", "fuzzy_threshold"},
}


class BankWarning(UserWarning):
    """Part of a jupyterquiz bank was repaired or skipped (the message says which)."""


def _name(number: int, raw: Any) -> str:
    """``question 3 ("What is ...")``: a question by its position and the start of its text."""
    text = raw.get("question") if isinstance(raw, dict) else None
    if isinstance(text, str) and text.strip():
        short = " ".join(text.split())
        return f'question {number} ("{short[:40]}{"…" if len(short) > 40 else ""}")'
    return f"question {number}"


def _as_number(value: Any) -> Any:
    """A number written as a string ("2.5") as the number; anything else unchanged."""
    if isinstance(value, str):
        try:
            return float(value) if any(c in value for c in ".eE") else int(value)
        except ValueError:
            return value
    return value


def _repair_answer(kind: str, index: int, answer: Any, notes: list[str]) -> Any:
    """One answer as jupyterquiz reads it; each repair is noted."""
    if not isinstance(answer, dict):
        return answer
    where = f"answers[{index}]"
    answer = dict(answer)
    for field in sorted(set(answer) - ANSWER_FIELDS[kind]):
        del answer[field]
        notes.append(f"{where}.{field} is not a field jupyterquiz reads: ignored")
    correct = answer.get("correct")
    if isinstance(correct, str) and correct.strip().lower() in ("true", "false"):
        answer["correct"] = correct.strip().lower() == "true"
        notes.append(f"{where}.correct is the text {correct!r}: read as {answer['correct']}")
    if kind == "numeric":
        for field in ("value", "range"):
            value = answer.get(field)
            read = [_as_number(v) for v in value] if isinstance(value, list) else _as_number(value)
            if read != value:
                answer[field] = read
                notes.append(f"{where}.{field} is written as text {value!r}: read as {read}")
    text = answer.get("answer")
    if kind == "string" and isinstance(text, str) and text.strip() and text != text.strip():
        answer["answer"] = text.strip()
        notes.append(f"{where}.answer {text!r} has spaces around it: read as {text.strip()!r}")
    return answer


def _repaired(raw: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """A question with what jupyterquiz ignores dropped and what it coerces coerced."""
    kind = raw["type"]
    question = dict(raw)
    for field in sorted(set(question) - QUESTION_FIELDS[kind]):
        del question[field]
        notes.append(f"{field} is not a field jupyterquiz reads for {kind}: ignored")
    if kind in ANSWER_FIELDS and isinstance(question.get("answers"), list):
        question["answers"] = [
            _repair_answer(kind, i, a, notes) for i, a in enumerate(question["answers"])
        ]
    return question


def gradeable(raw: Any, path: Path) -> list[tuple[int, dict[str, Any]]]:
    """The questions of a jupyterquiz bank that can be graded, each with its number (from 1).

    Repairs what jupyterquiz shrugs off and skips what cannot be graded, with one
    :class:`BankWarning` listing each (question and field). ContentError when nothing is left.
    """
    if not isinstance(raw, list) or not raw:
        raise ContentError(f"{path}: a jupyterquiz bank is a non-empty list of questions")
    kept, notes = [], []
    for number, question in enumerate(raw, start=1):
        name = _name(number, question)
        if not isinstance(question, dict) or question.get("type") not in QUESTION_FIELDS:
            kind = question.get("type") if isinstance(question, dict) else None
            notes.append(f"{name}: type {kind!r} is not one jupyterquiz shows: skipped")
            continue
        repairs: list[str] = []
        question = _repaired(question, repairs)
        notes += [f"{name}: {repair}" for repair in repairs]
        try:
            validate([question], "jupyterquiz", path, None, "question")
        except ContentError as err:
            reasons = [line.split(": ", 1)[-1] for line in str(err).splitlines()[1:]]
            notes.append(f"{name}: {'; '.join(reasons)}: skipped")
            continue
        problems = _problems(question)
        if problems:
            notes.append(f"{name}: {'; '.join(problems)}: skipped")
            continue
        kept.append((number, question))
    if not kept:
        raise ContentError(f"{path}: no question can be graded:\n" + "\n".join(notes))
    if notes:
        warnings.warn(f"{path}:\n" + "\n".join(f"  {note}" for note in notes), BankWarning, 2)
    return kept


def _explanation(answers: list[dict[str, Any]]) -> str:
    """jupyterquiz has no question explanation: use the feedback of the right answers."""
    texts = [a.get("feedback", "") for a in answers if a.get("correct")]
    return " ".join(t for t in texts if t) or NO_EXPLANATION


def _choice(raw: dict[str, Any], common: dict[str, Any]) -> Question:
    options = [
        Option(
            str(a.get("answer", "")),
            bool(a["correct"]),
            a.get("feedback", ""),
            code=a.get("code", ""),
        )
        for a in raw["answers"]
    ]
    n_right = sum(option.correct for option in options)
    cls = MultipleChoice if n_right > 1 else SingleChoice  # as jupyterquiz decides
    return cls(**common, options=options)


def _numeric(raw: dict[str, Any], common: dict[str, Any]) -> JupyterquizNumeric:
    answers, default = [], "Incorrect. Try again."
    for a in raw["answers"]:
        feedback = a.get("feedback")
        if "value" in a:
            answers.append(JQNumericAnswer(a["correct"], feedback, value=a["value"]))
        elif "range" in a:
            low, high = a["range"]
            answers.append(JQNumericAnswer(a["correct"], feedback, low=low, high=high))
        elif feedback is not None:
            default = feedback
    return JupyterquizNumeric(
        **common, answers=answers, precision=raw.get("precision"), default_feedback=default
    )


def _string(raw: dict[str, Any], common: dict[str, Any]) -> JupyterquizString:
    answers, default = [], "Incorrect. Try again."
    for a in raw["answers"]:
        if a.get("type") == "default":
            default = a.get("feedback", default)
            continue
        answers.append(
            JQStringAnswer(
                a["answer"],
                a["correct"],
                a.get("feedback"),
                bool(a.get("match_case", False)),
                a.get("fuzzy_threshold"),
            )
        )
    return JupyterquizString(
        **common, answers=answers, default_feedback=default, input_width=raw.get("input_width")
    )


def _match(raw: dict[str, Any], common: dict[str, Any]) -> Match:
    feedback = raw.get("feedback", {})
    return Match(
        **common,
        pairs=[Pair(p["label"], p["answer"]) for p in raw["pairs"]],
        options=list(raw["options"]),
        shuffle_pairs=raw.get("shuffle_pairs", True),
        shuffle_options=raw.get("shuffle_options", True),
        correct_feedback=feedback.get("correct", "Excellent! All matches are correct!"),
        incorrect_feedback=feedback.get("incorrect", ""),
    )


def _typeable(answer: dict[str, Any]) -> bool:
    """A learner can type something that matches (answers are trimmed, never empty).

    Fuzzy matching reaches a padded answer, but not an empty one: every character typed is
    then an edit, and the ratio is 0.
    """
    text = answer["answer"]
    if not text.strip():
        return False
    return bool(answer.get("fuzzy_threshold")) or text == text.strip()


def _problems(q: dict[str, Any]) -> list[str]:
    """Why no answer can satisfy this question (empty when it can be answered)."""
    kind = q["type"]
    if kind in ("match", "drag_drop"):
        problems = []
        labels = [p["label"] for p in q["pairs"]]
        if len(set(labels)) < len(labels):
            problems.append("pairs: two pairs have the same label")
        for p in q["pairs"]:
            if p["answer"] == "":
                problems.append("pairs: the answer '' is empty and cannot be chosen")
            elif p["answer"] not in q["options"]:
                problems.append(f"pairs: the answer {p['answer']!r} is not one of the options")
        return problems
    answers = q["answers"]
    if kind == "numeric":
        problems = []
        for i, a in enumerate(answers):
            numbers = [a["value"]] if "value" in a else a.get("range", [])
            if not all(math.isfinite(x) for x in numbers):
                problems.append(f"answers[{i}]: {numbers} is not a finite number")
            elif "value" not in a and len(numbers) == 2 and numbers[0] >= numbers[1]:
                problems.append(f"answers[{i}]: range [{numbers[0]}, {numbers[1]}) is empty")
        if not any(a.get("correct") and ("value" in a or "range" in a) for a in answers):
            problems.append("answers: no value or range is marked correct")
        return problems
    if kind == "string":
        right = [a for a in answers if a.get("correct")]
        if not right:
            return ["answers: no answer is marked correct (a default alone cannot be right)"]
        if not any(_typeable(a) for a in right):
            return ["answers: no right answer can be typed (empty or padded with spaces)"]
        return []
    if not any(a.get("correct") for a in answers):
        return ["answers: no answer is marked correct"]
    return []


def questions(raw: Any, path: Path) -> list[Question]:
    """The questions of a jupyterquiz bank that can be graded (see :func:`gradeable`)."""
    readers = {
        "multiple_choice": _choice,
        "many_choice": _choice,
        "numeric": _numeric,
        "string": _string,
        "match": _match,
        "drag_drop": _match,
    }
    result = []
    for number, q in gradeable(raw, path):
        common = {
            "id": f"q{number}",
            "prompt": q["question"],
            "explanation": _explanation(q.get("answers", [])),
            "code": q.get("code", ""),
        }
        question = readers[q["type"]](q, common)
        if isinstance(question, (SingleChoice, MultipleChoice)):
            question.columns = q.get("answer_cols")
        result.append(question)
    return result
