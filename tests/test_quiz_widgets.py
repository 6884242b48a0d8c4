"""The quiz widgets, driven like a learner would: press option buttons, ``.click()``, read
feedback. Options are shown shuffled, so tests pick them by their text."""

from __future__ import annotations

import asyncio
import html
import json
import re
from pathlib import Path

import bleach
import ipywidgets as w
import pytest

from course_utils import progress, quiz
from course_utils.quiz.order import option_order, pair_order
from course_utils.quiz.widgets import COLOURS, INTRO, QuizView

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def progress_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / "progress"))
    return tmp_path / "progress"


@pytest.fixture
def view() -> QuizView:
    return quiz.show(FIXTURES / "quiz_all_types.yaml")


def _text(value: str) -> str:
    """What a reader sees of an HTML value: the text without tags."""
    return html.unescape(re.sub(r"<[^>]+>", "", value))


def _submit(text: w.Text) -> None:
    """What the front end sends when Enter is pressed in a Text (ipywidgets 7 and 8)."""
    text._handle_custom_msg({"event": "submit"}, [])


def test_show_builds_one_view_per_question_with_core_widgets(view: QuizView) -> None:
    assert len(view.questions) == 6
    single, multiple, numeric = view.questions[0], view.questions[1], view.questions[2]
    assert all(isinstance(b, w.ToggleButton) for b in single.option_buttons)
    assert [b.description for b in single.option_buttons] == ["○ A", "○ B", "○ C"]
    assert [b.description for b in multiple.option_buttons][:2] == ["☐ A", "☐ B"]
    assert sorted(o.text for o in multiple.shown_options)[:2] == ["Forget gate", "Input gate"]
    assert isinstance(numeric.input, w.Text)
    assert single.check_button.description == "Check"
    assert single.explain_button.description == "Show explanation"
    assert view.reset_button.description == "Reset"
    assert view.score_label.value.startswith("Score: 0 / 6")


def test_show_by_lesson_id() -> None:
    view = quiz.show("00_welcome")
    assert view.bank.quiz_id == "00_welcome" and len(view.questions) >= 4


def test_options_are_shown_in_the_learners_order_and_graded_by_option(view: QuizView) -> None:
    question = view.questions[0]
    order = option_order(question.question, "99_fixture")
    assert [o.text for o in question.shown_options] == [
        question.question.options[i].text for i in order
    ]
    question.choose("The largest value")
    assert question.response() == 0  # the bank's index, wherever the option is shown
    shown_at = [o.text for o in question.shown_options].index("The largest value")
    assert question.option_buttons[shown_at].description.startswith("●")


def test_single_choice_keeps_one_option_selected(view: QuizView) -> None:
    question = view.questions[0]
    first, second = question.option_buttons[:2]
    first.value = True
    second.value = True  # as a learner pressing another option
    assert (first.value, second.value) == (False, True)
    assert first.description.startswith("○") and second.description.startswith("●")


def test_check_single_in_words_retries_and_progress(view: QuizView, progress_dir: Path) -> None:
    question = view.questions[0]
    question.choose("The mean value")
    question.check_button.click()
    assert "✘ Not quite — That is average pooling." in _text(question.feedback.value)
    assert question.attempts_label.value == "Attempts: 1"
    assert question.explanation.value == ""  # not shown until right or asked for
    question.choose("The largest value")
    question.check_button.click()
    assert "✔ Correct — It keeps the strongest response" in _text(question.feedback.value)
    assert question.attempts_label.value == "Attempts: 2"
    assert "strongest activation" in question.explanation.value  # shown once right
    assert view.score_label.value.startswith("Score: 1 / 6")
    stored = json.loads((progress_dir / "progress.json").read_text())
    entry = stored["quizzes"]["99_fixture"]["pool"]
    assert (entry["attempts"], entry["best"], entry["last"]) == (2, 1.0, 1.0)


def test_multiple_feedback_one_line_per_option_with_its_mark(view: QuizView) -> None:
    question = view.questions[1]
    question.choose("Forget gate", "Input gate")
    question.check_button.click()
    feedback = question.feedback.value
    assert "◐ Partly right — score 0.67" in _text(feedback)
    assert feedback.count("<div style=") == 3  # the verdict, then one line per ticked option
    assert "✔ Forget gate — It decides what to erase" in _text(feedback)
    assert ".:" not in feedback
    question.choose("Output gate")
    question.check_button.click()
    assert "✔ Correct" in _text(question.feedback.value)
    entry = progress.load()["quizzes"]["99_fixture"]["gates"]
    assert entry["best"] == 1.0 and entry["last"] == 1.0 and entry["attempts"] == 2


def test_verdict_colours_come_from_the_theme_with_readable_fallbacks(view: QuizView) -> None:
    question = view.questions[0]
    question.choose("The mean value")
    question.check()
    assert f"color:{COLOURS['✘']}" in question.feedback.value
    assert all(colour.startswith("var(--jp-") for colour in COLOURS.values())


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("abc", "'abc' is not a number"),
        ("", "Type a number first"),
        ("  ", "Type a number first"),
        ("18,496", "could be 18496"),
    ],
)
def test_numeric_bad_input_is_a_message_and_not_an_attempt(
    view: QuizView, typed: str, shown: str
) -> None:
    question = view.questions[2]
    question.input.value = typed
    question.check_button.click()
    assert "✎ Not checked" in _text(question.feedback.value)
    assert shown in _text(question.feedback.value)
    assert question.attempts_label.value == "Attempts: 0"
    assert question.explain_button.disabled  # no explanation before a real attempt
    assert "99_fixture" not in progress.load()["quizzes"]


def test_enter_in_a_number_or_text_box_checks(view: QuizView) -> None:
    numeric, text = view.questions[2], view.questions[5]
    numeric.input.value = " 26,0 "
    _submit(numeric.input)
    assert "✔ Correct" in _text(numeric.feedback.value) and numeric.attempts == 1
    text.input.value = "  FORGET  gate "
    _submit(text.input)
    assert "✔ Correct" in _text(text.feedback.value)


def test_enter_before_the_typed_value_arrives_grades_the_typed_value(view: QuizView) -> None:
    """The front end sends Enter's submit before a held-back value update ("2" then "26")."""
    from course_utils.quiz.widgets import SUBMIT_SETTLE_S

    numeric = view.questions[2]

    async def learner() -> None:
        numeric.input.value = "2"  # the first key's update reaches the kernel
        _submit(numeric.input)  # Enter overtakes the rest of the typing
        await asyncio.sleep(SUBMIT_SETTLE_S / 3)
        numeric.input.value = "26"  # the held-back update arrives
        await asyncio.sleep(2 * SUBMIT_SETTLE_S)

    asyncio.run(learner())
    assert "✔ Correct" in _text(numeric.feedback.value)
    assert numeric.attempts == 1
    assert progress.load()["quizzes"]["99_fixture"]["out-width"]["attempts"] == 1


def test_no_full_width_widget_has_a_side_margin(view: QuizView) -> None:
    """100% plus ipywidgets' 2 px side margins overflows its box: a horizontal scrollbar."""
    widgets = [view.widget]
    for widget in widgets:
        widgets.extend(getattr(widget, "children", ()))
        layout = widget.layout
        if layout.width and "100%" in layout.width:  # also min(100%, 32em): a narrow window
            assert layout.margin and layout.margin.split()[1:2] in (["0"], ["0px"]), (
                f"{type(widget).__name__} {widget._dom_classes}: margin {layout.margin!r}"
            )
    assert len(widgets) > 20


def test_explanation_only_after_a_first_checked_answer(view: QuizView) -> None:
    question = view.questions[2]
    assert question.explain_button.disabled
    question.explain_button.click()  # a disabled button does nothing
    question.toggle_explanation()
    assert question.explanation.value == ""
    question.input.value = "28"
    question.check_button.click()
    assert not question.explain_button.disabled
    question.explain_button.click()
    assert "(28 - 3) / 1 + 1 = 26." in question.explanation.value
    assert question.explain_button.description == "Hide explanation"
    question.explain_button.click()
    assert question.explanation.value == ""
    assert question.explain_button.description == "Show explanation"
    assert "after your first checked answer" in INTRO


def test_reset_clears_the_view_but_keeps_saved_progress(view: QuizView) -> None:
    first, second = view.questions[0], view.questions[1]
    first.choose("The largest value")
    first.check_button.click()
    second.choose("Reset gate")
    second.check_button.click()
    view.reset_button.click()
    assert first.response() is None and second.response() == []
    assert first.feedback.value == "" and first.explanation.value == ""
    assert first.attempts_label.value == "Attempts: 0" and first.explain_button.disabled
    assert view.score_label.value.startswith("Score: 0 / 6")
    assert progress.load()["quizzes"]["99_fixture"]["pool"]["best"] == 1.0


def test_long_options_wrap_beside_a_small_button(view: QuizView) -> None:
    """No fixed-height rows: the option text is an HTML widget that may shrink and wrap."""
    question = view.questions[0]
    row = question.input.children[0]
    button, label = row.children
    assert isinstance(button, w.ToggleButton) and isinstance(label, w.HTML)
    assert label.layout.min_width == "0" and label.layout.flex == "1 1 auto"
    assert "white-space:normal" in label.value and row.layout.height is None
    assert button.layout.flex == "0 0 auto"


def test_mimebundle_has_widget_and_static_html_without_answers(view: QuizView) -> None:
    bundle = view._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.widget.model_id
    page = bundle["text/html"]
    for question in view.bank.questions:
        assert html.escape(question.prompt, quote=False) in page
        assert html.escape(question.explanation, quote=False) not in page
        for option in getattr(question, "options", []):
            assert html.escape(option.text, quote=False) in page
            assert html.escape(option.explanation, quote=False) not in page
    assert "correct" not in page.lower() and "✔" not in page
    assert "26" not in page.replace("28x28", "")  # the numeric answer is not given away


def test_static_copy_shows_options_in_the_widgets_order(view: QuizView) -> None:
    page = view._repr_mimebundle_()["text/html"]
    for question in view.questions:
        texts = [o.text for o in question.shown_options]
        positions = [page.index(f"{html.escape(t, quote=False)}</li>") for t in texts]
        assert positions == sorted(positions), texts


@pytest.mark.parametrize("bank", ["quiz_all_types.yaml", "jupyterquiz_all_types.json"])
def test_static_copy_survives_html_sanitising_unchanged(bank: str) -> None:
    """nbconvert's and JupyterLab's "Sanitize HTML" export keeps bleach's default tags and
    escapes the rest, which showed the old copy as literal tags."""
    page = quiz.show(FIXTURES / bank)._repr_mimebundle_()["text/html"]
    cleaned = bleach.clean(page, tags=bleach.ALLOWED_TAGS, attributes=bleach.ALLOWED_ATTRIBUTES)
    assert cleaned == page
    assert "&lt;" not in cleaned.replace("&lt;b&gt;not&lt;/b&gt;", "").replace("&lt;str&gt;", "")


def test_ipython_display_uses_the_bundle(view: QuizView) -> None:
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(view)
    assert {"text/html", "text/plain", "application/vnd.jupyter.widget-view+json"} <= set(data)


def test_jupyterquiz_code_is_shown_escaped_in_monospace() -> None:
    view = quiz.show(FIXTURES / "jupyterquiz_all_types.json")
    question = view.questions[5]
    prompt = question.widget.children[0].value
    assert "<pre style='font-family:var(--jp-code-font-family, monospace)" in prompt
    assert "print(a + b)  # &lt;b&gt;not&lt;/b&gt; bold" in prompt
    option_html = [row.children[1].value for row in question.input.children]
    assert any("TypeError: &lt;str&gt; + &lt;str&gt;" in h for h in option_html)
    page = view._repr_mimebundle_()["text/html"]
    assert (
        "<code>print(a\u00a0+\u00a0b)\u00a0\u00a0#\u00a0&lt;b&gt;not&lt;/b&gt;\u00a0bold</code>"
        in page
    )
    snippets = view.questions[6]
    snippets.choose("mylist += [3]", "mylist.append(3)")
    assert snippets.check().correct


def test_jupyterquiz_bank_checks_in_widgets() -> None:
    view = quiz.show(FIXTURES / "jupyterquiz_all_types.json")
    numeric = view.questions[2]
    numeric.input.value = "3.14"
    numeric.check_button.click()
    assert "✔ Correct — Right, 3.14." in _text(numeric.feedback.value)
    assert progress.load()["quizzes"]["jupyterquiz_all_types"]["q3"]["best"] == 1.0
    assert view.questions[8].input.layout.min_width == "20em"  # input_width
    assert isinstance(view.questions[0].input, w.GridBox)  # answer_cols: 2


def test_match_question_one_dropdown_per_label_graded_per_pair() -> None:
    view = quiz.show(FIXTURES / "jupyterquiz_all_types.json")
    question = view.questions[9]
    match = question.question
    assert len(question.dropdowns) == 2
    assert all(isinstance(d, w.Dropdown) and d.value is None for d in question.dropdowns)
    assert [p.label for p in question.shown_pairs] == [
        match.pairs[i].label for i in pair_order(match, "jupyterquiz_all_types")
    ]
    question.check_button.click()
    assert "✎ Not checked" in _text(question.feedback.value) and question.attempts == 0
    for dropdown, pair in zip(question.dropdowns, question.shown_pairs, strict=True):
        dropdown.value = "Set" if pair.answer == "Dictionary" else pair.answer
    question.check_button.click()
    assert "◐ Partly right — 1 of 2 right. Try again!" in _text(question.feedback.value)
    for dropdown, pair in zip(question.dropdowns, question.shown_pairs, strict=True):
        dropdown.value = pair.answer
    question.check_button.click()
    assert "✔ Correct — Perfect!" in _text(question.feedback.value)
    assert progress.load()["quizzes"]["jupyterquiz_all_types"]["q10"]["best"] == 1.0
    page = view._repr_mimebundle_()["text/html"]
    assert "Ordered, mutable, allows duplicates → ____" in page
