"""The progress dashboard: a view beside the store, which imports no widget and no bank."""

from __future__ import annotations

import importlib
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bleach
import pytest
from fsrs import Rating

from course_utils import dashboard, progress
from course_utils.exercises import FunctionExercise, ValueExercise
from course_utils.flashcards import schedule

EXERCISES = Path(__file__).resolve().parent.parent / "lesson_exercises"


def test_dashboard_rows_and_static_html() -> None:
    now = datetime.now(UTC)
    progress.record_quiz("00_welcome", "wrong-answer", 1.0)
    progress.record_quiz("00_welcome", "what-is-saved", 0.5)
    progress.record_exercise("00_welcome", "accuracy", "correct")
    learned = schedule.review(None, Rating.Easy, now - timedelta(days=30))
    learned = schedule.review(learned, Rating.Good, now - timedelta(days=22))  # due later
    due = schedule.review(None, Rating.Good, now - timedelta(days=5))
    progress.update_card("00_welcome/fast-mode", lambda old: learned)
    progress.update_card("00_welcome/checkpoint", lambda old: due)
    view = dashboard.show()
    row = next(r for r in view.rows if r.lesson == "00_welcome")
    assert (row.quiz_score, row.quiz_total) == (1.5, 5)
    assert (row.exercises_passed, row.exercises_total) == (1, 1)
    assert (row.cards_learned, row.cards_due, row.cards_new, row.cards_total) == (1, 1, 4, 6)
    assert row.completion == pytest.approx((1.5 / 5 + 1 + 1 / 6) / 3)
    page = view._repr_html_()
    assert "00_welcome" in page and "quiz 1.5 / 5" in page and "1 of 1 passed" in page
    assert "cards 1 of 6 learned, 1 due now, 4 new" in page and "█" in page
    assert "00_welcome" in repr(view)
    sanitised = bleach.clean(page, tags=bleach.ALLOWED_TAGS, attributes=bleach.ALLOWED_ATTRIBUTES)
    assert sanitised == page  # survives a sanitised HTML export as it is


def test_exercises_count_all_declared_ones_not_only_those_tried() -> None:
    progress.record_exercise("01_cnn", "conv_output_size", "correct")
    row = next(r for r in dashboard.show().rows if r.lesson == "01_cnn")
    assert (row.exercises_passed, row.exercises_total) == (1, 3)
    progress.record_exercise("01_cnn", "conv2d_valid", "incorrect")
    progress.record_exercise("01_cnn", "notebook_extra", "correct")  # recorded, not declared
    row = next(r for r in dashboard.show().rows if r.lesson == "01_cnn")
    assert (row.exercises_passed, row.exercises_total) == (2, 4)
    assert row.completion > 0  # exercises count in the progress figure


@pytest.mark.parametrize("path", sorted(EXERCISES.glob("ex_*.py")), ids=lambda p: p.stem)
def test_exercise_names_read_without_import_match_the_module(path: Path) -> None:
    lesson = path.stem.removeprefix("ex_")
    module = importlib.import_module(f"lesson_exercises.{path.stem}")
    declared = [
        value.name
        for value in vars(module).values()
        if isinstance(value, (FunctionExercise, ValueExercise))
    ]
    assert dashboard.exercise_names(lesson) == declared
    assert declared


def test_exercise_names_of_a_lesson_without_a_module(tmp_path: Path) -> None:
    assert dashboard.exercise_names("99_none", folder=tmp_path) == []
    (tmp_path / "ex_98_broken.py").write_text("x = (", encoding="utf-8")
    assert dashboard.exercise_names("98_broken", folder=tmp_path) == []


def test_the_store_imports_no_widget_and_no_bank() -> None:
    code = (
        "import sys, course_utils.progress as p; p.load(); "
        "print(sorted(m for m in sys.modules if m.startswith(('ipywidgets', "
        "'course_utils.quiz', 'course_utils.flashcards', 'fsrs', 'tensorflow'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_dashboard_imports_no_tensorflow() -> None:
    code = (
        "import sys, course_utils; course_utils.dashboard.show(); "
        "print(sorted(m for m in sys.modules if m.startswith(('tensorflow', 'keras', "
        "'lesson_exercises'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
