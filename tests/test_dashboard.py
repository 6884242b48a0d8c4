"""The progress dashboard: a view beside the store, which imports no widget and no bank."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bleach
import pytest
from fsrs import Rating

from course_utils import dashboard, flashcards, progress, quiz
from course_utils.content import ContentError
from course_utils.exercises import FunctionExercise, ValueExercise
from course_utils.flashcards import schedule

EXERCISES = Path(__file__).resolve().parent.parent / "lesson_exercises"


def test_dashboard_rows_and_static_html() -> None:
    """Counts follow the lesson's bank, deck and declared exercises (whatever their sizes)."""
    bank, cards = quiz.load_bank("00_welcome"), flashcards.load_deck("00_welcome").cards
    names = dashboard.exercise_names("00_welcome")
    n_questions, n_exercises, n_cards = len(bank.questions), len(names), len(cards)
    assert n_questions >= 2 and n_exercises >= 1 and n_cards >= 2
    now = datetime.now(UTC)
    progress.record_quiz("00_welcome", bank.questions[0].id, 1.0)
    progress.record_quiz("00_welcome", bank.questions[1].id, 0.5)
    progress.record_exercise("00_welcome", names[0], "correct")
    learned = schedule.review(None, Rating.Easy, now - timedelta(days=30))
    learned = schedule.review(learned, Rating.Good, now - timedelta(days=22))  # due later
    due = schedule.review(None, Rating.Good, now - timedelta(days=5))
    progress.update_card(cards[0].key, lambda old: learned)
    progress.update_card(cards[1].key, lambda old: due)
    view = dashboard.show()
    row = next(r for r in view.rows if r.lesson == "00_welcome")
    assert (row.quiz_score, row.quiz_total) == (1.5, n_questions)
    assert (row.exercises_passed, row.exercises_total) == (1, n_exercises)
    counts = (row.cards_learned, row.cards_due, row.cards_new, row.cards_total)
    assert counts == (1, 1, n_cards - 2, n_cards)
    expected = (1.5 / n_questions + 1 / n_exercises + 1 / n_cards) / 3
    assert row.completion == pytest.approx(expected)
    page = view._repr_html_()
    assert "00_welcome" in page and f"quiz 1.5 / {n_questions}" in page
    assert f"1 of {n_exercises} passed" in page and "█" in page
    assert f"cards 1 of {n_cards} learned, 1 due now, {n_cards - 2} new" in page
    assert "00_welcome" in repr(view)
    sanitised = bleach.clean(page, tags=bleach.ALLOWED_TAGS, attributes=bleach.ALLOWED_ATTRIBUTES)
    assert sanitised == page  # survives a sanitised HTML export as it is


def test_exercises_count_all_declared_ones_not_only_those_tried() -> None:
    names = dashboard.exercise_names("01_cnn")
    assert len(names) >= 2
    progress.record_exercise("01_cnn", names[0], "correct")
    row = next(r for r in dashboard.show().rows if r.lesson == "01_cnn")
    assert (row.exercises_passed, row.exercises_total) == (1, len(names))
    progress.record_exercise("01_cnn", names[1], "incorrect")
    row = next(r for r in dashboard.show().rows if r.lesson == "01_cnn")
    assert (row.exercises_passed, row.exercises_total) == (1, len(names))
    assert row.completion > 0  # exercises count in the progress figure


def test_an_exercise_since_replaced_is_kept_but_not_counted() -> None:
    """A lesson's exercise replaced by a new one (05's best_denoising_k, 07's
    positional_encoding) stays in the learner's store, but the lesson shows only the
    exercises it has now: not "2 of 8" for a lesson of 7."""
    names = dashboard.exercise_names("05_autoencoders")
    progress.record_exercise("05_autoencoders", "best_denoising_k", "correct")
    progress.record_exercise("05_autoencoders", names[0], "correct")
    row = next(r for r in dashboard.show().rows if r.lesson == "05_autoencoders")
    assert (row.exercises_passed, row.exercises_total) == (1, len(names))
    assert "best_denoising_k" in progress.load()["exercises"]["05_autoencoders"]


@pytest.mark.parametrize("path", sorted(EXERCISES.glob("ex_*.py")), ids=lambda p: p.stem)
def test_each_module_declares_every_exercise_it_defines_in_order(path: Path) -> None:
    lesson = path.stem.removeprefix("ex_")
    module = importlib.import_module(f"lesson_exercises.{path.stem}")
    defined = [
        value.name
        for value in vars(module).values()
        if isinstance(value, (FunctionExercise, ValueExercise))
    ]
    assert defined, "an exercise module with no exercise"
    assert dashboard.exercise_names(lesson) == defined
    assert {exercise.lesson for exercise in module.EXERCISES} == {lesson}


def test_exercise_names_of_a_lesson_without_a_module(tmp_path: Path) -> None:
    assert dashboard.exercise_names("99_none", folder=tmp_path) == []


@pytest.mark.parametrize(
    "source",
    ["x = (", "raise RuntimeError('half edited')", "ok = 1  # no EXERCISES", "EXERCISES = (1,)"],
)
def test_an_unreadable_exercise_module_is_a_named_problem(tmp_path: Path, source: str) -> None:
    (tmp_path / "ex_98_broken.py").write_text(source, encoding="utf-8")
    with pytest.raises(ContentError, match="ex_98_broken.py"):
        dashboard.exercise_names("98_broken", folder=tmp_path)


def test_a_broken_exercise_module_hides_only_its_lesson(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(lesson: str, folder: Path | None = None) -> list[str]:
        if lesson == "02_rnn":
            raise ContentError("cannot read the exercises of ex_02_rnn.py: SyntaxError")
        return []

    monkeypatch.setattr(dashboard, "exercise_names", broken)
    view = dashboard.show()
    assert "02_rnn" not in [row.lesson for row in view.rows] and len(view.rows) >= 8
    assert any("ex_02_rnn.py" in problem for problem in view.problems)


def _modules_imported_by(statement: str, prefixes: tuple[str, ...]) -> list[str]:
    """The modules starting with ``prefixes`` that a fresh interpreter has after ``statement``."""
    listing = f"sorted(m for m in sys.modules if m.startswith({prefixes!r}))"
    code = f"import sys; {statement}; print({listing})"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return ast.literal_eval(out.stdout)


def test_the_store_imports_no_widget_and_no_bank() -> None:
    prefixes = ("ipywidgets", "course_utils.quiz", "course_utils.flashcards", "fsrs", "tensorflow")
    assert _modules_imported_by("import course_utils.progress as p; p.load()", prefixes) == []


def test_the_dashboard_imports_no_tensorflow() -> None:
    prefixes = ("tensorflow", "keras")
    assert (
        _modules_imported_by("import course_utils; course_utils.dashboard.show()", prefixes) == []
    )


def test_dashboard_shows_the_latest_practice_round_and_the_last_exam() -> None:
    from course_utils.progress import rounds

    assert dashboard.show().practice == ["practice: no round and no exam yet"]
    rounds.save_round("practice-1", "practice", 1, 3, "met", ["01_cnn"], ["01_cnn/a"])
    questions = ["01_cnn/a", "01_cnn/b", "02_rnn/c"]
    rounds.save_round("practice-2", "practice", 2, 3, "met", ["01_cnn", "02_rnn"], questions)
    rounds.record_answer("practice-2", "01_cnn/a", 1.0)
    rounds.record_answer("practice-2", "02_rnn/c", 0.5)
    rounds.save_round("exam", "exam", 1, 3, "all", ["01_cnn", "02_rnn"], questions)
    view = dashboard.show()
    assert view.practice[0].startswith("practice rounds: 2; the latest (round 2, ")
    assert view.practice[0].endswith("): 1.5 / 3, 2 answered")
    assert len(view.practice) == 1  # an exam not yet submitted is not a result
    rounds.submit("exam", {"01_cnn/a": 1.0, "01_cnn/b": 0.5, "02_rnn/c": 0.0})
    view = dashboard.show()
    assert "exam: 1.5 / 3 on " in view.practice[1]
    assert view.practice[1].endswith("(attempt 1); by lesson: 01_cnn 1.5/2, 02_rnn 0/1")
    page = view._repr_html_()
    assert "Practice across lessons" in page and "exam: 1.5 / 3" in page
    assert "exam: 1.5 / 3" in repr(view)
    sanitised = bleach.clean(page, tags=bleach.ALLOWED_TAGS, attributes=bleach.ALLOWED_ATTRIBUTES)
    assert sanitised == page


# --- A broken file hides only its lesson ---------------------------------------------------------


def test_one_broken_bank_does_not_hide_every_lesson(data_copy: Path) -> None:
    rows = len(dashboard.show().rows)
    (data_copy / "quizzes" / "02_rnn.yaml").write_text("questions: [unclosed", encoding="utf-8")
    view = dashboard.show()
    assert len(view.rows) == rows - 1
    assert "Not shown: 02_rnn" in repr(view) and "cannot be parsed" in repr(view)
    assert "Not shown: 02_rnn" in view._repr_html_()
