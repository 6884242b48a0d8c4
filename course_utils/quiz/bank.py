"""Loading quiz banks: the course's YAML/JSON format (docs/AUTHORING.md) and jupyterquiz JSON."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course_utils.content import ContentError, find, read_document, validate
from course_utils.quiz import jupyterquiz
from course_utils.quiz.questions import (
    Match,
    MultipleChoice,
    Numeric,
    NumericRange,
    Option,
    Pair,
    Question,
    SingleChoice,
    Text,
    normalize,
)

FOLDER = "quizzes"


@dataclass
class Bank:
    """A quiz: its id (the lesson id, or the file name), title, questions and source file."""

    quiz_id: str
    title: str
    questions: list[Question]
    source: Path

    def question(self, question_id: str) -> Question:
        """The question with this id."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(f"{self.source} has no question {question_id!r}")


def _options(raw: list[dict[str, Any]]) -> list[Option]:
    return [Option(o["text"], o["correct"], o["explanation"], o.get("code", "")) for o in raw]


def _numeric(raw: dict[str, Any], common: dict[str, str]) -> Numeric:
    accept = []
    if "range" in raw:
        accept.append(NumericRange(*raw["range"]))
    if "answer" in raw:
        answer = raw["answer"]
        slack = max(raw.get("tolerance", 0), abs(answer) * raw.get("rel_tolerance", 0))
        accept.append(NumericRange(answer - slack, answer + slack))
    feedback = [NumericRange(*r["range"], r["explanation"]) for r in raw.get("ranges", [])]
    return Numeric(**common, accept=accept, feedback=feedback)


def _match(raw: dict[str, Any], common: dict[str, Any]) -> Match:
    pairs = [Pair(p["label"], p["answer"], p["explanation"]) for p in raw["pairs"]]
    options = list(dict.fromkeys([p.answer for p in pairs] + list(raw.get("distractors", []))))
    shuffle = raw.get("shuffle", True)
    return Match(
        **common, pairs=pairs, options=options, shuffle_pairs=shuffle, shuffle_options=shuffle
    )


def _question(raw: dict[str, Any]) -> Question:
    common = {
        "id": raw["id"],
        "prompt": raw["prompt"],
        "explanation": raw["explanation"],
        "code": raw.get("code", ""),
        "concept": raw.get("concept", ""),
        "section": raw.get("section", ""),
    }
    kind = raw["type"]
    shuffle = raw.get("shuffle", True)
    if kind == "single":
        return SingleChoice(**common, options=_options(raw["options"]), shuffle=shuffle)
    if kind == "multiple":
        return MultipleChoice(**common, options=_options(raw["options"]), shuffle=shuffle)
    if kind == "numeric":
        return _numeric(raw, common)
    if kind == "match":
        return _match(raw, common)
    return Text(
        **common,
        answers=list(raw["answers"]),
        wrong_answers={w["answer"]: w["explanation"] for w in raw.get("wrong_answers", [])},
        case_sensitive=raw.get("case_sensitive", False),
    )


def _semantic_problems(raw: dict[str, Any]) -> list[str]:
    """Rules the schema cannot say: unique ids, how many options are right, numeric answers."""
    problems = []
    seen: set[str] = set()
    for i, q in enumerate(raw["questions"]):
        where = f"question {i + 1} (id {q['id']!r})"
        if q["id"] in seen:
            problems.append(f"{where}: id: the id is used by an earlier question")
        seen.add(q["id"])
        n_right = sum(o["correct"] for o in q.get("options", []))
        if q["type"] == "single" and n_right != 1:
            problems.append(f"{where}: options: a single question needs exactly 1 right option")
        if q["type"] == "multiple" and n_right < 1:
            problems.append(f"{where}: options: a multiple question needs a right option")
        if q["type"] == "numeric":
            problems += [f"{where}: {p}" for p in _numeric_problems(q)]
        if q["type"] == "text" and not any(normalize(a) for a in q["answers"]):
            problems.append(f"{where}: answers: no answer can be typed (each is empty)")
        if q["type"] == "match":
            labels = [normalize(p["label"]) for p in q["pairs"]]
            if len(set(labels)) < len(labels):
                problems.append(f"{where}: pairs: two pairs have the same label")
    return problems


def _numeric_problems(q: dict[str, Any]) -> list[str]:
    """A numeric question that no number can answer: NaN, infinity, a reversed range."""
    problems = []
    if "answer" not in q and "range" not in q:
        problems.append("answer: a numeric question needs answer or range")
    for key in ("answer", "tolerance", "rel_tolerance"):
        if key in q and not math.isfinite(q[key]):
            problems.append(f"{key}: {q[key]} is not a finite number")
    named = [("range", q.get("range"))]
    named += [(f"ranges[{i}].range", r["range"]) for i, r in enumerate(q.get("ranges", []))]
    for name, interval in named:
        if interval is None:
            continue
        low, high = interval
        if not (math.isfinite(low) and math.isfinite(high)):
            problems.append(f"{name}: [{low}, {high}] is not a pair of finite numbers")
        elif low > high:
            problems.append(f"{name}: [{low}, {high}] has low > high")
    return problems


def _course_bank(raw: Any, path: Path) -> Bank:
    validate(raw, "quiz", path, "questions", "question")
    problems = _semantic_problems(raw)
    if problems:
        raise ContentError(f"{path}:\n" + "\n".join(f"  {p}" for p in problems))
    questions = [_question(q) for q in raw["questions"]]
    return Bank(raw["lesson"], raw["title"], questions, path)


def load_bank(source: str | Path) -> Bank:
    """Load and check a bank: a lesson id (``"01_cnn"``) or a path to a YAML/JSON file.

    A top-level list is read as a jupyterquiz bank. Raises FileNotFoundError for an unknown
    lesson and ContentError (naming the file, question and field) for a malformed bank.
    """
    path = find(FOLDER, source)
    raw = read_document(path)
    if isinstance(raw, list):
        return Bank(path.stem, path.stem.replace("_", " "), jupyterquiz.questions(raw, path), path)
    return _course_bank(raw, path)
