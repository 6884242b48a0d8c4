"""Reading question banks in jupyterquiz's JSON format into the course's question models.

jupyterquiz banks are a list of questions, each with ``question``, ``type``
(``multiple_choice``, ``many_choice``, ``numeric`` or ``string``) and ``answers``. The reader
is liberal: unknown keys are ignored. Question ids are ``q1``, ``q2``, ... in bank order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from course_utils.quiz.questions import (
    MultipleChoice,
    Numeric,
    NumericRange,
    Option,
    Question,
    SingleChoice,
    Text,
    round_significant,
)
from course_utils.quiz.schema import BankError


def _explanation(answers: list[dict[str, Any]]) -> str:
    """jupyterquiz has no question explanation: use the feedback of the right answers."""
    texts = [a.get("feedback", "") for a in answers if a.get("correct")]
    return " ".join(t for t in texts if t) or "This bank gives no explanation for this question."


def _choice(raw: dict[str, Any], common: dict[str, str]) -> Question:
    options = [
        Option(str(a["answer"]), bool(a["correct"]), a.get("feedback", "")) for a in raw["answers"]
    ]
    cls = MultipleChoice if raw["type"] == "many_choice" else SingleChoice
    return cls(**common, options=options)


def _numeric(raw: dict[str, Any], common: dict[str, str]) -> Numeric:
    precision = raw.get("precision")
    accept, feedback, default = [], [], ""
    for a in raw["answers"]:
        kind = a.get("type", "value")
        if kind == "default":
            default = a.get("feedback", "")
            continue
        if kind == "range":
            rng = NumericRange(*a["range"], a.get("feedback", ""))
        else:
            value = round_significant(a["value"], precision) if precision else a["value"]
            rng = NumericRange(value, value, a.get("feedback", ""))
        (accept if a.get("correct") else feedback).append(rng)
    return Numeric(
        **common, accept=accept, feedback=feedback, precision=precision, default_feedback=default
    )


def _string(raw: dict[str, Any], common: dict[str, str]) -> Text:
    answers, wrong, default = [], {}, ""
    for a in raw["answers"]:
        if a.get("type") == "default":
            default = a.get("feedback", "")
        elif a.get("correct"):
            answers.append(str(a["answer"]))
        else:
            wrong[str(a["answer"])] = a.get("feedback", "")
    case_sensitive = any(a.get("match_case") for a in raw["answers"])
    return Text(
        **common,
        answers=answers,
        wrong_answers=wrong,
        case_sensitive=case_sensitive,
        default_feedback=default,
    )


def questions(raw: list[dict[str, Any]], path: Path) -> list[Question]:
    """The questions of a jupyterquiz bank (already checked against its schema)."""
    readers = {"multiple_choice": _choice, "many_choice": _choice, "numeric": _numeric}
    result = []
    for i, q in enumerate(raw):
        if not any(a.get("correct") for a in q["answers"]):
            raise BankError(f"{path}: question {i + 1}: answers: no answer is marked correct")
        common = {
            "id": f"q{i + 1}",
            "prompt": q["question"],
            "explanation": _explanation(q["answers"]),
        }
        result.append(readers.get(q["type"], _string)(q, common))
    return result
