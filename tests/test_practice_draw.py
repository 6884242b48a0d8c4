"""The practice draw: wrong -> unseen -> oldest, seeded per learner and round, one concept each."""

from __future__ import annotations

from collections import Counter

import pytest

from course_utils.practice import draw
from course_utils.practice.draw import Item, draw_exam, draw_round, ranked
from course_utils.practice.plans import items_of
from course_utils.quiz import lesson_ids
from course_utils.quiz.questions import Option, SingleChoice

LEARNER = "0123456789abcdef0123456789abcdef"
OTHER = "fedcba9876543210fedcba9876543210"


def _item(lesson: str, qid: str, concept: str = "") -> Item:
    options = [Option("yes", True, "right"), Option("no", False, "wrong")]
    question = SingleChoice(qid, f"prompt {qid}?", "because", options=options, concept=concept)
    return Item(lesson, question)


def _entry(last: float, when: str) -> dict:
    stamp = f"2026-0{when}T12:00:00+00:00"
    return {"attempts": 1, "best": last, "last": last, "first_seen": stamp, "last_seen": stamp}


def test_wrong_first_then_unseen_then_right_oldest_first() -> None:
    items = [_item("01_a", name) for name in ("w-new", "w-old", "r-new", "r-old", "u1", "u2")]
    quizzes = {
        "01_a": {
            "w-new": _entry(0.0, "5-01"),
            "w-old": _entry(0.5, "3-01"),  # partly right counts as wrong
            "r-new": _entry(1.0, "6-01"),
            # an older right answer in another time zone: compared as a time, not as text
            "r-old": dict(_entry(1.0, "4-01"), last_seen="2026-04-01T23:00:00+05:00"),
        }
    }
    order = [item.question.id for item in ranked(items, quizzes, LEARNER, "practice-1")]
    assert order[:2] == ["w-old", "w-new"]
    assert set(order[2:4]) == {"u1", "u2"}
    assert order[4:] == ["r-old", "r-new"]


def test_last_answer_decides_not_the_best_one() -> None:
    """Right once, wrong last time: the question is due again as a wrong one."""
    assert draw.group(dict(_entry(0.0, "1-01"), best=1.0)) == draw.WRONG
    assert draw.group(_entry(1.0, "1-01")) == draw.RIGHT
    assert draw.group(None) == draw.UNSEEN


def test_draw_is_fixed_per_learner_and_round() -> None:
    items = [_item("01_a", f"q{i}", f"c{i}") for i in range(30)]
    first = [i.key for i in draw_round(items, {}, LEARNER, "practice-1", 10)]
    backwards = draw_round(list(reversed(items)), {}, LEARNER, "practice-1", 10)
    assert first == [i.key for i in backwards]
    assert first != [i.key for i in draw_round(items, {}, LEARNER, "practice-2", 10)]
    assert first != [i.key for i in draw_round(items, {}, OTHER, "practice-1", 10)]


def test_one_question_per_concept_in_a_round() -> None:
    items = [_item("01_a", f"q{i}", f"c{i % 4}") for i in range(12)]
    items += [_item("02_b", "lonely")]  # no concept: a concept of its own
    chosen = draw_round(items, {}, LEARNER, "practice-1", 10)
    assert len(chosen) == 5
    assert sorted(i.concept for i in chosen) == ["02_b/lonely", "c0", "c1", "c2", "c3"]


def test_a_wrong_answer_takes_its_concepts_place_before_unseen_ones() -> None:
    items = [_item("01_a", "seen", "shared"), _item("01_a", "unseen", "shared")]
    quizzes = {"01_a": {"seen": _entry(0.0, "1-01")}}
    for round_key in ("practice-1", "practice-2", "practice-3"):
        (only,) = draw_round(items, quizzes, LEARNER, round_key, 5)
        assert only.question.id == "seen"


@pytest.mark.parametrize("round_key", ["practice-1", "practice-2", "warm-up/05_autoencoders"])
def test_rounds_from_the_course_banks_hold_distinct_concepts(round_key: str) -> None:
    chosen = draw_round(items_of(lesson_ids()), {}, LEARNER, round_key, 15)
    assert len(chosen) == 15
    assert len({item.concept for item in chosen}) == 15
    assert len({item.lesson for item in chosen}) >= 5  # mixed across lessons


def test_exam_is_fixed_mixed_and_one_per_concept() -> None:
    items = items_of(lesson_ids())
    exam = draw_exam(items, LEARNER, 20)
    assert len(exam) == 20 and len({item.concept for item in exam}) == 20
    per_lesson = Counter(item.lesson for item in exam)
    assert set(per_lesson) == set(lesson_ids())
    assert max(per_lesson.values()) - min(per_lesson.values()) <= 1
    assert [i.key for i in draw_exam(items, LEARNER, 20)] == [i.key for i in exam]
    assert [i.key for i in draw_exam(items, OTHER, 20)] != [i.key for i in exam]
