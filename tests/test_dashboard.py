"""The progress dashboard: a view beside the store, which imports no widget and no bank."""

from __future__ import annotations

import subprocess
import sys

from course_utils import dashboard, progress


def test_dashboard_rows_and_static_html() -> None:
    progress.record_quiz("00_welcome", "wrong-answer", 1.0)
    progress.record_quiz("00_welcome", "what-is-saved", 0.5)
    progress.record_exercise("00_welcome", "demo", "correct")
    progress.record_card("00_welcome/fast-mode", 5)
    progress.record_card("00_welcome/checkpoint", 4)
    progress.record_card("00_welcome/lesson-shape", 3)
    view = dashboard.show()
    row = next(r for r in view.rows if r.lesson == "00_welcome")
    assert (row.quiz_score, row.quiz_total) == (1.5, 5)
    assert (row.exercises_passed, row.exercises_tried) == (1, 1)
    assert (row.cards_mastered, row.cards_total) == (2, 6)
    page = view._repr_html_()
    assert "00_welcome" in page and "1.5 / 5" in page and "2 / 6" in page and "█" in page
    assert "00_welcome" in repr(view)


def test_the_store_imports_no_widget_and_no_bank() -> None:
    code = (
        "import sys, course_utils.progress as p; p.load(); "
        "print(sorted(m for m in sys.modules if m.startswith(('ipywidgets', "
        "'course_utils.quiz', 'course_utils.flashcards'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
