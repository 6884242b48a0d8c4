"""Self-graded quizzes: question banks under ``data/quizzes`` shown as ipywidgets.

In a notebook, as the last line of a cell::

    course_utils.quiz.show("01_cnn")          # or a path to a YAML / jupyterquiz JSON bank

Grading is pure Python (:mod:`course_utils.quiz.questions`); ipywidgets is imported only by
:func:`show`. Answers are checked in the notebook: this is self-assessment. Options are shown
in an order shuffled per learner and question (:mod:`course_utils.quiz.order`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from course_utils.content import lesson_ids as _lesson_ids
from course_utils.quiz.bank import Bank, load_bank
from course_utils.quiz.questions import Grade, Question
from course_utils.quiz.static import static_html

if TYPE_CHECKING:
    from course_utils.quiz.widgets import QuizView

__all__ = [
    "Bank",
    "Grade",
    "Question",
    "lesson_ids",
    "load_bank",
    "show",
    "static_html",
]


def lesson_ids() -> list[str]:
    """The lessons that have a quiz bank in ``data/quizzes``, sorted."""
    return _lesson_ids("quizzes")


def show(source: str | Path) -> QuizView:
    """The quiz for a lesson id (``"01_cnn"``) or a bank file; displays as the cell's result.

    The returned view keeps its widgets reachable: ``view.questions[i].input``,
    ``.option_buttons`` (in the learner's shuffled order), ``.choose("option text")``,
    ``.dropdowns`` (match questions), ``.check_button``, ``.feedback``, ``.explain_button``;
    ``view.reset_button``. A bank of more than 20 questions is shown a page at a time.
    """
    from course_utils.quiz.widgets import QuizView

    return QuizView(load_bank(source))
