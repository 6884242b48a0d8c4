"""Practice rounds, the exam and warm-ups as widgets, their static copies and their records."""

from __future__ import annotations

import html

import bleach
import ipywidgets as w
import pytest

from course_utils import practice, progress
from course_utils.markup import flat
from course_utils.practice.static import section_link
from course_utils.practice.widgets import ExamView, RoundView
from course_utils.quiz.questions import Match, MultipleChoice, SingleChoice
from course_utils.quiz.widgets import QuestionView


def _answer_right(view: QuestionView) -> None:
    question = view.question
    if isinstance(question, (SingleChoice, MultipleChoice)):
        for button, option in zip(view.option_buttons, view.shown_options, strict=True):
            button.value = option.correct
    elif isinstance(question, Match):
        for dropdown, pair in zip(view.dropdowns, view.shown_pairs, strict=True):
            dropdown.value = pair.answer
    elif question.kind == "numeric":
        accept = question.accept[0]
        view.input.value = repr((accept.low + accept.high) / 2)
    else:
        view.input.value = question.answers[0]


def _submit_enter(text: w.Text) -> None:
    text._handle_custom_msg({"event": "submit"}, [])


def _all_html(widget: w.Widget) -> str:
    """Every HTML/Label value in a widget tree."""
    found = [getattr(widget, "value", "")] if isinstance(widget, (w.HTML, w.Label)) else []
    for child in getattr(widget, "children", ()):
        found.append(_all_html(child))
    return "\n".join(found)


def _explanations(view: RoundView | ExamView) -> list[str]:
    texts = []
    for item in view.plan.items:
        texts.append(item.question.explanation)
        texts += [o.explanation for o in getattr(item.question, "options", [])]
    return texts


def test_a_round_is_shown_again_until_a_new_round_is_asked_for() -> None:
    first = practice.show(n=8)
    assert isinstance(first, RoundView) and len(first.questions) == 8
    again = practice.show(n=8)
    assert [i.key for i in again.plan.items] == [i.key for i in first.plan.items]
    first.new_round_button.click()
    assert first.plan.number == 2
    assert [i.key for i in first.plan.items] != [i.key for i in again.plan.items]
    assert [i.key for i in practice.show(n=8).plan.items] == [i.key for i in first.plan.items]
    assert set(progress.load()["practice"]["rounds"]) == {"practice-1", "practice-2"}


def test_a_checked_answer_is_saved_in_the_round_and_the_lessons_quiz() -> None:
    view = practice.show(["01_cnn", "02_rnn"], n=5)
    assert {item.lesson for item in view.plan.items} <= {"01_cnn", "02_rnn"}
    question, item = view.questions[0], view.plan.items[0]
    _answer_right(question)
    question.check_button.click()
    assert question.last_grade is not None and question.last_grade.correct
    store = progress.load()
    assert store["practice"]["rounds"][view.plan.key]["scores"] == {item.key: 1.0}
    assert store["quizzes"][item.lesson][item.question.id]["best"] == 1.0
    shown_again = practice.show(["02_rnn", "01_cnn"], n=5)  # same lessons, any order
    assert shown_again.plan.key == view.plan.key
    assert "1 of 5 answered" in shown_again.score_label.value


def _answer_wrong(view: QuestionView) -> None:
    question = view.question
    if isinstance(question, (SingleChoice, MultipleChoice)):
        wrong = next(i for i, o in enumerate(view.shown_options) if not o.correct)
        view.option_buttons[wrong].value = True
    elif isinstance(question, Match):
        for dropdown in view.dropdowns:
            dropdown.index = 0
    else:
        view.input.value = "-123456" if question.kind == "numeric" else "zzz"


def test_next_round_puts_a_wrong_answer_first() -> None:
    view = practice.show(["03_lstm"], n=4)
    last = view.questions[-1]
    _answer_wrong(last)
    last.check()
    assert last.last_grade is not None and last.last_grade.valid and last.last_grade.score < 1
    view.next_round()
    assert view.plan.items[0].key == f"03_lstm/{last.question.id}"


def test_bad_arguments_are_clear_errors_and_save_nothing() -> None:
    with pytest.raises(ValueError, match="no quiz bank for '99_nothing'; lessons are: 00_welcome"):
        practice.show(["99_nothing"])
    with pytest.raises(ValueError, match="at least 1"):
        practice.show(n=0)
    with pytest.raises(ValueError, match="the exam covers every lesson"):
        practice.show(["01_cnn"], exam=True)
    with pytest.raises(ValueError, match="no quiz bank"):
        practice.warm_up("5_autoencoders")
    assert progress.load()["practice"] == {}


def test_default_round_covers_the_lessons_met() -> None:
    assert "covers them all" in practice.show(n=3).plan.note
    practice.warm_up("04_gru")
    progress.record_quiz("01_cnn", "iou-name", 1.0)
    view = practice.show(n=3)
    view.next_round()
    assert view.plan.lessons == ["01_cnn", "04_gru"]
    assert {item.lesson for item in view.plan.items} <= {"01_cnn", "04_gru"}


def test_exam_hides_every_verdict_and_explanation_until_submit() -> None:
    exam = practice.show(exam=True)
    assert isinstance(exam, ExamView) and len(exam.questions) == practice.EXAM_SIZE
    for view in exam.questions[:-1]:
        _answer_right(view)
        if isinstance(view.input, w.Text):
            _submit_enter(view.input)  # Enter grades nothing in the exam
    texts = _explanations(exam)
    tree = _all_html(exam.widget)
    assert all(v.feedback.value == "" and v.explanation.value == "" for v in exam.questions)
    assert not any(html.escape(t, quote=False) in tree or t in tree for t in texts)
    assert "✔" not in tree and "✘" not in tree and exam.result.value == ""
    assert progress.load()["quizzes"] == {}  # nothing graded, nothing recorded

    grades = exam.submit()
    assert [g.score for g in grades[:-1]] == [1.0] * (len(grades) - 1)
    assert grades[-1].score == 0 and "Not answered" in exam.questions[-1].feedback.value
    assert all("Explanation" in view.explanation.value for view in exam.questions)
    result = exam.result.value
    assert f"Exam score: {len(grades) - 1:g} / {len(grades)}" in result
    last = exam.plan.items[-1]
    assert html.escape(section_link(last.lesson, last.question.section)) in result
    first_line = last.question.prompt.strip().splitlines()[0]
    shown = first_line if len(first_line) <= 90 else first_line[:89].rstrip() + "…"
    assert f"Q{len(grades)}. {html.escape(shown)} — " in result
    lessons = sorted({item.lesson for item in exam.plan.items})
    positions = [result.index(f"<li>{lesson}: ") for lesson in lessons]
    assert positions == sorted(positions)  # the score by lesson, in course order
    stored = progress.load()["practice"]["rounds"]["exam"]
    assert stored["attempts"] == 1 and stored["scores"][last.key] == 0.0
    assert exam.submit_button.disabled and not exam.retake_button.disabled

    exam.retake_button.click()
    assert all(view.feedback.value == "" for view in exam.questions) and exam.result.value == ""
    again = practice.show(exam=True)
    assert [i.key for i in again.plan.items] == [i.key for i in exam.plan.items]


def test_warm_up_draws_three_from_earlier_lessons_and_none_in_lesson_00() -> None:
    view = practice.warm_up("05_autoencoders")
    assert isinstance(view, RoundView) and len(view.questions) == 3
    assert all(item.lesson < "05_autoencoders" for item in view.plan.items)
    assert len({item.concept for item in view.plan.items}) == 3
    assert "05_autoencoders" in progress.load()["practice"]["opened"]
    assert "rounds" not in progress.load()["practice"]  # warm-ups are not stored rounds
    first = practice.warm_up("00_welcome")
    assert isinstance(first, practice.Note) and "first lesson" in repr(first)


@pytest.mark.parametrize("kind", ["round", "exam", "warm-up"])
def test_static_copy_shows_questions_and_sources_never_answers(kind: str) -> None:
    view = {
        "round": lambda: practice.show(n=15),
        "exam": lambda: practice.show(exam=True),
        "warm-up": lambda: practice.warm_up("08_pretraining"),
    }[kind]()
    bundle = view._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.widget.model_id
    page = bundle["text/html"]
    for item in view.plan.items:
        assert flat(item.question.prompt) in page
        assert html.escape(section_link(item.lesson, item.question.section)) in page
    for text in _explanations(view):
        assert flat(text) not in page
    assert "correct" not in page.lower() and "✔" not in page
    cleaned = bleach.clean(page, tags=bleach.ALLOWED_TAGS, attributes=bleach.ALLOWED_ATTRIBUTES)
    assert cleaned == page  # survives a sanitised export unchanged


def test_section_links_are_jupyterlab_heading_anchors() -> None:
    assert section_link("02_rnn", "7. Practical layers: direction, depth, dropout, masking") == (
        "02_rnn.ipynb#7.-Practical-layers:-direction,-depth,-dropout,-masking"
    )
    assert section_link("00_welcome", "") == "00_welcome.ipynb"


def test_a_stored_round_whose_questions_left_the_banks_is_drawn_again() -> None:
    from course_utils.progress import rounds

    rounds.save_round("practice-1", "practice", 1, 4, "01_cnn", ["01_cnn"], ["01_cnn/gone"])
    view = practice.show(["01_cnn"], n=4)
    assert view.plan.number == 2 and len(view.questions) == 4
    rounds.save_round("exam", "exam", 1, 20, "all", ["01_cnn"], ["01_cnn/gone"])
    assert len(practice.show(exam=True).questions) == practice.EXAM_SIZE


def _open_models() -> set[str]:
    """Ids of the widget models alive in this kernel (ipywidgets 8, or 7.7 on Colab)."""
    from ipywidgets.widgets import widget as widget_module

    instances = getattr(widget_module, "_instances", None)
    return set(instances if instances is not None else w.Widget.widgets)


@pytest.mark.parametrize("size", [20, 15])
def test_a_full_view_opens_few_enough_models_to_reach_the_browser(size: int) -> None:
    """Each widget model is one message in a burst; past about 1,000 the kernel's channel
    dropped some and a 20-question exam never appeared (CI, 2026-12-07). Layouts and
    styles are shared (course_utils.shared_widgets): about 19 models per question, not 50."""
    from course_utils.practice.plans import Plan, items_of, lesson_ids

    items = items_of(lesson_ids())[::7][:size]
    before = _open_models()
    if size == 20:
        ExamView(Plan("exam", 1, [], items))
    else:
        RoundView(Plan("practice-1", 1, [], items), "Practice round")
    opened = len(_open_models() - before)
    assert opened <= 25 * size, f"{opened} models for {size} questions"
