"""The quiz widgets, driven like a learner would: set ``.value``, ``.click()``, read feedback."""

from __future__ import annotations

import html
import json
from pathlib import Path

import ipywidgets as w
import pytest

from course_utils import progress, quiz
from course_utils.quiz.widgets import QuizView

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def progress_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / "progress"))
    return tmp_path / "progress"


@pytest.fixture
def view() -> QuizView:
    return quiz.show(FIXTURES / "quiz_all_types.yaml")


def test_show_builds_one_view_per_question_with_core_widgets(view: QuizView) -> None:
    assert len(view.questions) == 6
    single, multiple, numeric = view.questions[0], view.questions[1], view.questions[2]
    assert isinstance(single.input, w.RadioButtons) and single.input.value is None
    assert all(isinstance(box, w.Checkbox) for box in multiple.checkboxes)
    assert [box.description for box in multiple.checkboxes][:2] == ["Forget gate", "Input gate"]
    assert isinstance(numeric.input, w.Text)
    assert single.check_button.description == "Check"
    assert single.explain_button.description == "Show explanation"
    assert view.reset_button.description == "Reset"
    assert view.score_label.value.startswith("Score: 0 / 6")


def test_show_by_lesson_id() -> None:
    view = quiz.show("00_welcome")
    assert view.bank.quiz_id == "00_welcome" and len(view.questions) >= 4


def test_check_single_in_words_retries_and_progress(view: QuizView, progress_dir: Path) -> None:
    question = view.questions[0]
    question.input.value = 1
    question.check_button.click()
    assert "✘ Not quite — That is average pooling." in question.feedback.value
    assert question.attempts_label.value == "Attempts: 1"
    assert question.explanation.value == ""  # not shown until right or asked for
    question.input.value = 0
    question.check_button.click()
    assert "✔ Correct — It keeps the strongest response" in question.feedback.value
    assert question.attempts_label.value == "Attempts: 2"
    assert "strongest activation" in question.explanation.value  # shown once right
    assert view.score_label.value.startswith("Score: 1 / 6")
    stored = json.loads((progress_dir / "progress.json").read_text())
    entry = stored["quizzes"]["99_fixture"]["pool"]
    assert (entry["attempts"], entry["best"], entry["last"]) == (2, 1.0, 1.0)
    assert entry["first_seen"] and entry["last_seen"]


def test_multiple_partial_credit_through_checkboxes(view: QuizView) -> None:
    question = view.questions[1]
    question.checkboxes[0].value = True
    question.checkboxes[1].value = True
    question.check_button.click()
    assert "◐ Partly right" in question.feedback.value and "score 0.67" in question.feedback.value
    question.checkboxes[2].value = True
    question.check_button.click()
    assert "✔ Correct" in question.feedback.value
    entry = progress.load()["quizzes"]["99_fixture"]["gates"]
    assert entry["best"] == 1.0 and entry["last"] == 1.0 and entry["attempts"] == 2


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("abc", "'abc' is not a number"), ("", "Type a number first"), ("  ", "Type a number first")],
)
def test_numeric_bad_input_is_a_message_and_not_an_attempt(
    view: QuizView, typed: str, shown: str
) -> None:
    question = view.questions[2]
    question.input.value = typed
    question.check_button.click()
    assert "✎ Not checked" in question.feedback.value
    assert html.escape(shown) in question.feedback.value
    assert question.attempts_label.value == "Attempts: 0"
    assert "99_fixture" not in progress.load()["quizzes"]


def test_numeric_decimal_comma_and_range_feedback(view: QuizView) -> None:
    question = view.questions[2]
    question.input.value = "28"
    question.check_button.click()
    assert "✘ Not quite — That is what same padding gives." in question.feedback.value
    question.input.value = " 26,0 "
    question.check_button.click()
    assert "✔ Correct" in question.feedback.value


def test_text_answer(view: QuizView) -> None:
    question = view.questions[5]
    question.input.value = "  FORGET  gate "
    question.check_button.click()
    assert "✔ Correct" in question.feedback.value


def test_show_explanation_on_request_and_hide(view: QuizView) -> None:
    question = view.questions[2]
    question.explain_button.click()
    assert "(28 - 3) / 1 + 1 = 26." in question.explanation.value
    assert question.explain_button.description == "Hide explanation"
    question.explain_button.click()
    assert question.explanation.value == ""
    assert question.explain_button.description == "Show explanation"


def test_reset_clears_the_view_but_keeps_saved_progress(view: QuizView) -> None:
    first, second = view.questions[0], view.questions[1]
    first.input.value = 0
    first.check_button.click()
    second.checkboxes[3].value = True
    second.check_button.click()
    view.reset_button.click()
    assert first.input.value is None and not any(b.value for b in second.checkboxes)
    assert first.feedback.value == "" and first.explanation.value == ""
    assert first.attempts_label.value == "Attempts: 0"
    assert view.score_label.value.startswith("Score: 0 / 6")
    assert progress.load()["quizzes"]["99_fixture"]["pool"]["best"] == 1.0


def test_mimebundle_has_widget_and_static_html_without_answers(view: QuizView) -> None:
    bundle = view._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.widget.model_id
    page = bundle["text/html"]
    for question in view.bank.questions:
        assert html.escape(question.prompt) in page
        assert html.escape(question.explanation) not in page
        for option in getattr(question, "options", []):
            assert html.escape(option.text) in page
            assert html.escape(option.explanation) not in page
    assert "correct" not in page.lower() and "✔" not in page
    assert "26" not in page.replace("28x28", "")  # the numeric answer is not given away


def test_ipython_display_uses_the_bundle(view: QuizView) -> None:
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(view)
    assert {"text/html", "text/plain", "application/vnd.jupyter.widget-view+json"} <= set(data)


def test_mimebundle_of_jupyterquiz_bank_hides_feedback() -> None:
    view = quiz.show(FIXTURES / "jupyterquiz_all_types.json")
    page = view._repr_mimebundle_()["text/html"]
    assert "Which of these are recurrent layers in Keras?" in page
    assert "Sigmoid maps to a probability" not in page and "Pi is positive" not in page


def test_jupyterquiz_bank_checks_in_widgets() -> None:
    view = quiz.show(FIXTURES / "jupyterquiz_all_types.json")
    numeric = view.questions[2]
    numeric.input.value = "3.14"
    numeric.check_button.click()
    assert "✔ Correct — Right, 3.14." in numeric.feedback.value
    assert progress.load()["quizzes"]["jupyterquiz_all_types"]["q3"]["best"] == 1.0
