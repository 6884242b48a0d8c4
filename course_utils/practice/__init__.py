"""Practice across lessons: mixed rounds, an exam, and a warm-up at each lesson's start.

In a notebook, as the last line of a cell::

    course_utils.practice.show()                 # a round from every lesson you have met
    course_utils.practice.show(["01_cnn", "02_rnn"], n=10)
    course_utils.practice.show(exam=True)        # 20 questions from all lessons, graded at the end
    course_utils.practice.warm_up("05_autoencoders")   # three questions from lessons 00-04

Rounds favour questions answered wrong, then never answered, then answered right longest
ago, one question per concept (:mod:`course_utils.practice.draw`); rounds and exam results
are kept in the progress store's ``practice`` section. ipywidgets is imported only when a
view is built.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from course_utils.practice.plans import EXAM_SIZE, exam_plan, practice_plan, warm_up_plan

if TYPE_CHECKING:
    from course_utils.practice.widgets import ExamView, RoundView

__all__ = ["EXAM_SIZE", "Note", "show", "warm_up"]


class Note:
    """A one-line message that displays as HTML and as text."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return f"<i>{html.escape(self.text)}</i>"


def show(
    lessons: Sequence[str] | None = None, n: int = 15, exam: bool = False
) -> RoundView | ExamView:
    """A practice round of ``n`` questions from ``lessons``, or the exam (``exam=True``).

    ``lessons=None``: every lesson you have opened or answered. The same round is shown
    again until you press **New round**. The exam is a fixed set of :data:`EXAM_SIZE`
    questions from every lesson (``lessons`` and ``n`` do not apply to it).
    ValueError for an unknown lesson or a size below 1.
    """
    from course_utils.practice.widgets import ExamView, RoundView

    if exam:
        if lessons is not None:
            raise ValueError("the exam covers every lesson; call show(exam=True) without lessons")
        return ExamView(exam_plan())
    plan = practice_plan(lessons, n)
    return RoundView(
        plan,
        "Practice round",
        new_round=lambda: practice_plan(lessons, n, new=True),
    )


def warm_up(lesson_id: str) -> RoundView | Note:
    """Three questions from the lessons before ``lesson_id``, at the start of a lesson.

    Also records that you opened the lesson (practice rounds draw from the lessons you met).
    """
    from course_utils.practice.widgets import WARM_UP_INTRO, RoundView

    plan = warm_up_plan(lesson_id)
    if not plan.items:
        return Note("No warm-up here: this is the first lesson.")
    return RoundView(plan, "Warm-up: three questions from earlier lessons", WARM_UP_INTRO)
