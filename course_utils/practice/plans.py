"""Rounds as the learner meets them: which lessons, which round, drawn or shown again.

Reads the banks and the progress store, draws with :mod:`course_utils.practice.draw`, and
keeps each drawn practice round and the exam in the store's ``practice`` section
(:mod:`course_utils.progress.rounds`), so showing a round again shows the same questions.
No widgets here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from course_utils import progress
from course_utils.practice.draw import Item, draw_exam, draw_round
from course_utils.progress import rounds
from course_utils.quiz import lesson_ids, load_bank
from course_utils.quiz.order import learner_id

#: Questions in the exam, drawn from every lesson.
EXAM_SIZE = 20
EXAM_KEY = "exam"
WARM_UP_SIZE = 3
#: The scope of a round drawn from the lessons met so far (``show()`` without lessons).
MET = "met"


@dataclass
class Plan:
    """A round to show: its store key (None for a warm-up, which is not stored), number,
    lessons, the items in order and the best scores already recorded in it."""

    key: str | None
    number: int
    lessons: list[str]
    items: list[Item]
    scores: dict[str, float] = field(default_factory=dict)
    note: str = ""


def items_of(lessons: Sequence[str]) -> list[Item]:
    """Every question of these lessons' banks."""
    return [Item(lesson, q) for lesson in lessons for q in load_bank(lesson).questions]


def checked_lessons(lessons: Sequence[str]) -> list[str]:
    """``lessons`` in course order; ValueError naming any that has no quiz bank."""
    if isinstance(lessons, str):
        lessons = [lessons]
    known = lesson_ids()
    unknown = [lesson for lesson in lessons if lesson not in known]
    if unknown:
        raise ValueError(
            f"no quiz bank for {', '.join(map(repr, unknown))}; lessons are: {', '.join(known)}"
        )
    if not lessons:
        raise ValueError(f"name at least one lesson; lessons are: {', '.join(known)}")
    return [lesson for lesson in known if lesson in lessons]


def lessons_met(store: progress.Store) -> list[str]:
    """The lessons the learner has opened (their warm-up ran) or answered anything in."""
    met = set(store["practice"].get("opened", {}))
    met |= {q for q, entries in store["quizzes"].items() if entries}
    met |= {e for e, entries in store["exercises"].items() if entries}
    met |= {card.split("/", 1)[0] for card in store["flashcards"]}
    return [lesson for lesson in lesson_ids() if lesson in met]


def _latest(store: progress.Store, kind: str) -> tuple[str, dict] | None:
    found = [
        (key, entry)
        for key, entry in store["practice"].get("rounds", {}).items()
        if entry.get("kind") == kind
    ]
    return max(found, key=lambda pair: pair[1].get("number", 0)) if found else None


def _stored_plan(key: str, entry: dict, note: str = "") -> Plan:
    lessons = list(entry.get("lessons", []))
    by_key = {item.key: item for item in items_of(lessons)}
    shown = [by_key[k] for k in entry.get("questions", []) if k in by_key]
    return Plan(
        key, entry.get("number", 1), lessons, shown, dict(entry.get("scores", {})), note=note
    )


def practice_plan(lessons: Sequence[str] | None, n: int, *, new: bool = False) -> Plan:
    """The latest practice round for these lessons and size, or a new one drawn and stored.

    ``lessons=None``: every lesson met (:func:`lessons_met`) when the round is drawn, or all
    lessons when none is; that round is shown again until ``new`` asks for the next one.
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be a whole number of questions, at least 1, not {n!r}")
    store = progress.load()
    note = ""
    if lessons is None:
        scope, chosen = MET, lessons_met(store)
        if not chosen:
            chosen = lesson_ids()
            note = "You have not opened or answered a lesson yet, so this round covers them all."
    else:
        chosen = checked_lessons(lessons)
        scope = "+".join(chosen)
    latest = _latest(store, "practice")
    if latest and not new:
        key, entry = latest
        if entry.get("scope") == scope and entry.get("size") == n:
            stored = _stored_plan(key, entry)
            if stored.items:  # else its questions left the banks: draw the next round
                return stored
    number = (latest[1].get("number", 0) if latest else 0) + 1
    key = f"practice-{number}"
    drawn = draw_round(items_of(chosen), store["quizzes"], learner_id(), key, n)
    rounds.save_round(key, "practice", number, n, scope, chosen, [item.key for item in drawn])
    return Plan(key, number, chosen, drawn, note=note)


def exam_plan() -> Plan:
    """The exam: its stored set, or the fixed set drawn and stored on first use."""
    store = progress.load()
    entry = store["practice"].get("rounds", {}).get(EXAM_KEY)
    stored = _stored_plan(EXAM_KEY, entry) if entry else None
    if stored and stored.items:
        return stored
    lessons = lesson_ids()
    drawn = draw_exam(items_of(lessons), learner_id(), EXAM_SIZE)
    keys = [item.key for item in drawn]
    rounds.save_round(EXAM_KEY, "exam", 1, EXAM_SIZE, "+".join(lessons), lessons, keys)
    return Plan(EXAM_KEY, 1, lessons, drawn)


def warm_up_plan(lesson: str, n: int = WARM_UP_SIZE) -> Plan:
    """``n`` questions from the lessons before ``lesson``, by the practice rules (not stored).

    Records ``lesson`` as opened. The plan has no items for the first lesson.
    """
    (lesson,) = checked_lessons([lesson])
    rounds.mark_opened(lesson)
    earlier = [other for other in lesson_ids() if other < lesson]
    if not earlier:
        return Plan(None, 0, [], [])
    quizzes = progress.load()["quizzes"]
    drawn = draw_round(items_of(earlier), quizzes, learner_id(), f"warm-up/{lesson}", n)
    return Plan(None, 0, earlier, drawn)
