"""Which questions a practice round, a warm-up or the exam shows: pure Python, no widgets.

A practice round favours, in this order, questions whose last answer was wrong (or partly
right), questions never answered, and questions answered right longest ago; within each
group the order is a shuffle seeded by (learner, round), so a round drawn again from the
same progress is the same round, and another learner or round gets another order. A round
never holds two questions on the same concept (a question without a ``concept`` is a
concept of its own). The exam is a fixed mixed set: lessons take turns, each in a seeded
order, one question per concept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from course_utils.progress import parse_time
from course_utils.quiz.order import permutation
from course_utils.quiz.questions import Question

#: The groups a practice round draws from, first to last.
WRONG, UNSEEN, RIGHT = 0, 1, 2
GROUP_NAMES = {WRONG: "answered wrong", UNSEEN: "never answered", RIGHT: "answered right"}


@dataclass(frozen=True)
class Item:
    """One question of a lesson's bank, as a practice round sees it."""

    lesson: str
    question: Question

    @property
    def key(self) -> str:
        """``"lesson/question_id"``: the question's name in the store's practice section."""
        return f"{self.lesson}/{self.question.id}"

    @property
    def concept(self) -> str:
        """What the question asks about (its own key when the bank names no concept)."""
        return self.question.concept or self.key


def group(entry: Mapping[str, Any] | None) -> int:
    """:data:`WRONG`, :data:`UNSEEN` or :data:`RIGHT` for a question's quiz entry in the store."""
    if not entry or not entry.get("attempts", 1):
        return UNSEEN
    last = entry.get("last", entry.get("best", 0.0))
    return RIGHT if float(last) >= 1.0 else WRONG


def _seen_at(entry: Mapping[str, Any] | None) -> float:
    when = parse_time((entry or {}).get("last_seen"))
    return when.timestamp() if when else 0.0


def _shuffled(items: Sequence[Item], *seed: str) -> list[Item]:
    return [items[i] for i in permutation(len(items), *seed)]


def ranked(
    items: Iterable[Item], quizzes: Mapping[str, Any], learner: str, round_key: str
) -> list[Item]:
    """Every item, wrong first, then unseen, then right; oldest answer first within a group.

    ``quizzes`` is the store's ``quizzes`` section. Ties (and the whole unseen group) follow a
    shuffle seeded by ``learner`` and ``round_key``.
    """
    ordered = sorted(items, key=lambda item: item.key)
    shuffled = _shuffled(ordered, learner, round_key, "practice")
    position = {item.key: i for i, item in enumerate(shuffled)}

    def entry(item: Item) -> Mapping[str, Any] | None:
        return quizzes.get(item.lesson, {}).get(item.question.id)

    return sorted(
        shuffled,
        key=lambda item: (
            group(entry(item)),
            _seen_at(entry(item)) if group(entry(item)) != UNSEEN else 0.0,
            position[item.key],
        ),
    )


def one_per_concept(items: Iterable[Item], n: int) -> list[Item]:
    """The first ``n`` items whose concept has not been taken by an earlier one."""
    taken: set[str] = set()
    chosen: list[Item] = []
    for item in items:
        if len(chosen) == n:
            break
        if item.concept not in taken:
            taken.add(item.concept)
            chosen.append(item)
    return chosen


def draw_round(
    items: Iterable[Item], quizzes: Mapping[str, Any], learner: str, round_key: str, n: int
) -> list[Item]:
    """A practice round: ``n`` items (fewer if fewer concepts), ranked, one per concept."""
    return one_per_concept(ranked(items, quizzes, learner, round_key), n)


def draw_exam(items: Iterable[Item], learner: str, n: int = 20) -> list[Item]:
    """The exam: ``n`` items, lessons taking turns (in a seeded order), one per concept.

    It depends only on the banks and the learner, never on progress: the same set every time.
    """
    by_lesson: dict[str, list[Item]] = {}
    for item in sorted(items, key=lambda item: item.key):
        by_lesson.setdefault(item.lesson, []).append(item)
    lessons = sorted(by_lesson)
    queues = [_shuffled(by_lesson[lesson], learner, "exam", lesson) for lesson in lessons]
    queues = [queues[i] for i in permutation(len(queues), learner, "exam", "lessons")]
    taken: set[str] = set()
    chosen: list[Item] = []
    while len(chosen) < n and any(queues):
        for queue in queues:
            while queue and queue[0].concept in taken:
                queue.pop(0)
            if queue and len(chosen) < n:
                item = queue.pop(0)
                taken.add(item.concept)
                chosen.append(item)
    return chosen
