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

Any other field or type is refused with a BankError naming it (the schema
``data/schemas/jupyterquiz.schema.json``), as is a question no answer can satisfy.
Question ids are ``q1``, ``q2``, ... in bank order.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

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
from course_utils.quiz.schema import BankError

NO_EXPLANATION = "This bank gives no explanation for this question."


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


def questions(raw: list[dict[str, Any]], path: Path) -> list[Question]:
    """The questions of a jupyterquiz bank (already checked against its schema)."""
    readers = {
        "multiple_choice": _choice,
        "many_choice": _choice,
        "numeric": _numeric,
        "string": _string,
        "match": _match,
        "drag_drop": _match,
    }
    problems = [
        f"  question {i + 1}: {problem}" for i, q in enumerate(raw) for problem in _problems(q)
    ]
    if problems:
        raise BankError(f"{path}:\n" + "\n".join(problems))
    result = []
    for i, q in enumerate(raw):
        common = {
            "id": f"q{i + 1}",
            "prompt": q["question"],
            "explanation": _explanation(q.get("answers", [])),
            "code": q.get("code", ""),
        }
        question = readers[q["type"]](q, common)
        if isinstance(question, (SingleChoice, MultipleChoice)):
            question.columns = q.get("answer_cols")
        result.append(question)
    return result
