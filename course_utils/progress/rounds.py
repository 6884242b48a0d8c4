"""The ``practice`` section of the store: lessons opened, practice rounds and the exam.

Layout (see :data:`~course_utils.progress.entries.PRACTICE_RULES`)::

    "practice": {
      "opened": {lesson: {"first_seen", "last_seen"}},
      "rounds": {round_key: {"kind": "practice" | "exam", "number", "size", "scope",
                             "lessons", "questions",
                             "scores": {"lesson/question": best score}, "attempts",
                             "started", "last_seen", "submitted"}}}

``scope`` is what the learner asked for (``"met"``: the lessons met so far, or the lesson
ids joined by ``+``) and ``lessons`` what it meant when the round was drawn. ``questions``
are ``"lesson/question_id"`` keys in the order drawn, so a round is shown again exactly as it
was drawn. Every function is one read-modify-write under the store's lock.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from course_utils.progress.entries import ROUND_KINDS, Store, now
from course_utils.progress.store import checked_score, transaction


def _practice(store: Store) -> dict[str, Any]:
    return store.setdefault("practice", {})


def mark_opened(lesson: str) -> dict[str, Any]:
    """Record that the learner opened ``lesson`` (its warm-up ran); returns the entry."""

    def change(store: Store) -> dict[str, Any]:
        stamp = now()
        entry = _practice(store).setdefault("opened", {}).setdefault(str(lesson), {})
        entry.setdefault("first_seen", stamp)
        entry["last_seen"] = stamp
        return dict(entry)

    return transaction(change)


def save_round(
    key: str,
    kind: str,
    number: int,
    size: int,
    scope: str,
    lessons: Sequence[str],
    questions: Sequence[str],
) -> dict[str, Any]:
    """Store a freshly drawn round under ``key`` (replacing one of that key); returns it.

    ``size`` is the number of questions asked for, ``questions`` those drawn (maybe fewer).
    """
    if kind not in ROUND_KINDS:
        raise ValueError(f"kind must be one of {ROUND_KINDS}, not {kind!r}")
    if not questions:
        raise ValueError("a round needs at least one question")

    def change(store: Store) -> dict[str, Any]:
        stamp = now()
        entry = {
            "kind": kind,
            "number": int(number),
            "size": int(size),
            "scope": str(scope),
            "lessons": [str(lesson) for lesson in lessons],
            "questions": [str(q) for q in questions],
            "scores": {},
            "started": stamp,
            "last_seen": stamp,
        }
        _practice(store).setdefault("rounds", {})[str(key)] = entry
        return copy.deepcopy(entry)

    return transaction(change)


def _round(store: Store, key: str) -> dict[str, Any]:
    rounds = _practice(store).get("rounds", {})
    if key not in rounds:
        raise KeyError(f"no practice round {key!r} in the progress store")
    return rounds[key]


def record_answer(key: str, question: str, score: float) -> dict[str, Any]:
    """Record a checked answer in round ``key`` (the best score per question is kept)."""
    value = checked_score(score)

    def change(store: Store) -> dict[str, Any]:
        entry = _round(store, key)
        scores = entry.setdefault("scores", {})
        scores[question] = max(value, float(scores.get(question, 0.0)))
        entry["last_seen"] = now()
        return copy.deepcopy(entry)

    return transaction(change)


def submit(key: str, scores: dict[str, float]) -> dict[str, Any]:
    """Record a submitted exam: the scores of this attempt replace the last ones."""
    checked = {str(q): checked_score(s) for q, s in scores.items()}

    def change(store: Store) -> dict[str, Any]:
        entry = _round(store, key)
        stamp = now()
        entry["scores"] = checked
        entry["attempts"] = entry.get("attempts", 0) + 1
        entry["submitted"] = entry["last_seen"] = stamp
        return copy.deepcopy(entry)

    return transaction(change)
