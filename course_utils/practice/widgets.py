"""ipywidgets views of practice rounds, warm-ups and the exam.

Built from the quiz's :class:`~course_utils.quiz.widgets.QuestionView` (same keyboard use,
same verdicts in words, same core widgets for ipywidgets 7.7 and 8). Each answer checked in
a round or submitted in the exam is also a quiz answer of its lesson (that is what the next
round's draw reads). The exam shows no verdict and no explanation until **Submit**.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from course_utils import progress
from course_utils import shared_widgets as shared
from course_utils.practice.draw import Item
from course_utils.practice.plans import EXAM_KEY, Plan
from course_utils.practice.static import round_html, source_html
from course_utils.progress import rounds
from course_utils.quiz.questions import Grade
from course_utils.quiz.widgets import _TEXT, QuestionView, feedback_html

_AUTO = {"width": "auto"}
PRACTICE_INTRO = (
    "Questions from several lessons, one per concept: first those you last answered wrong, "
    "then those you have never answered, then those you answered right longest ago. Check "
    "each answer as often as you like; every answer counts for the next round."
)
EXAM_INTRO = (
    "A fixed set from every lesson. Answer all you can, then press Submit: only then do you "
    "see your verdicts, the explanations, your score by lesson and what to review."
)
WARM_UP_INTRO = (
    "Three questions from earlier lessons, chosen by the practice rules (wrong first, then "
    "new, then oldest): retrieving what you learnt before is what makes it stay."
)


def _html(body: str) -> w.HTML:
    return w.HTML(
        style=shared.style(w.HTML),
        value=f"<div style='{_TEXT}'>{body}</div>",
        layout=shared.layout(width="100%"),
    )


def _header(title: str, intro: str, note: str = "") -> str:
    extra = f"<br>{html.escape(note)}" if note else ""
    return (
        f"<b style='font-size:1.2em'>{html.escape(title)}</b><br><i>{html.escape(intro)}</i>{extra}"
    )


class _StaticCopy:
    """Displays as the widget, with a plain-HTML copy (questions only) for static views."""

    widget: w.Widget
    title: str
    intro: str
    plan: Plan

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {
            "text/plain": f"{self.title} ({len(self.plan.items)} questions)",
            "text/html": round_html(self.title, self.plan.items, self.intro),
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2,
                "version_minor": 0,
                "model_id": self.widget.model_id,
            },
        }


class RoundView(_StaticCopy):
    """A practice round or a warm-up: ``questions`` (QuestionViews, in order), ``sources``,
    ``score_label`` and, for a stored round, ``new_round_button``."""

    def __init__(
        self,
        plan: Plan,
        title: str,
        intro: str = PRACTICE_INTRO,
        new_round: Callable[[], Plan] | None = None,
    ) -> None:
        self.title, self.intro = title, intro
        self._new_round = new_round
        self.header = _html("")
        self.body = w.VBox(layout=shared.layout(width="100%"))
        self.score_label = w.Label(style=shared.style(w.Label), value="")
        self.score_label.add_class("course-practice-score")
        footer: list[w.Widget] = [self.score_label]
        self.new_round_button = w.Button(
            style=shared.style(w.Button),
            description="New round",
            tooltip="Draw the next round from your current progress",
            layout=shared.layout(**_AUTO),
        )
        self.new_round_button.add_class("course-practice-new-round")
        self.new_round_button.on_click(lambda _: self.next_round())
        if new_round is not None:
            footer.append(self.new_round_button)
        self.widget = w.VBox(
            [self.header, self.body, w.HBox(footer, layout=shared.layout(flex_flow="row wrap"))],
            layout=shared.layout(width="100%", max_width="60em"),
        )
        self.widget.add_class("course-practice")
        self.show(plan)

    def show(self, plan: Plan) -> None:
        """Show the questions of ``plan`` (a fresh view of each)."""
        self.plan = plan
        title = f"{self.title} {plan.number}" if plan.key else self.title
        self.header.value = f"<div style='{_TEXT}'>{_header(title, self.intro, plan.note)}</div>"
        self.questions: list[QuestionView] = []
        self.sources: list[w.HTML] = []
        blocks = []
        for number, item in enumerate(plan.items, start=1):
            view = QuestionView(number, item.question, item.lesson, self._on_check(item))
            view.best = float(plan.scores.get(item.key, 0.0))
            source = _html(source_html(item, styled=True))
            self.questions.append(view)
            self.sources.append(source)
            blocks.append(w.VBox([source, view.widget], layout=shared.layout(width="100%")))
        self.body.children = blocks
        self._update_score()

    def _on_check(self, item: Item) -> Callable[[], None]:
        def checked() -> None:
            view = self.questions[self.plan.items.index(item)]
            grade = view.last_grade
            if self.plan.key and grade is not None and grade.valid:
                rounds.record_answer(self.plan.key, item.key, grade.score)
            self._update_score()

        return checked

    def _update_score(self) -> None:
        total = len(self.questions)
        answered = sum(
            q.attempts > 0 or item.key in self.plan.scores
            for q, item in zip(self.questions, self.plan.items, strict=True)
        )
        score = sum(q.best for q in self.questions)
        self.score_label.value = (
            f"Score: {score:g} / {total} (best per question; {answered} of {total} answered)"
        )

    def next_round(self) -> None:
        """Draw and show the next round."""
        if self._new_round is not None:
            self.show(self._new_round())


class ExamQuestionView(QuestionView):
    """A question of the exam: the prompt and the answer box only; Enter checks nothing."""

    def __init__(self, number: int, item: Item) -> None:
        super().__init__(number, item.question, item.lesson, lambda: None)
        prompt = self.widget.children[0]
        self.widget.children = (prompt, self.input, self.feedback, self.explanation)

    def _on_text_msg(self, _widget: Any, content: dict[str, Any], _buffers: Any) -> None:
        """Enter in an exam answer box does nothing: verdicts wait for Submit."""


def _first_line(prompt: str, limit: int = 90) -> str:
    """A prompt's first line, cut at ``limit`` characters with an ellipsis."""
    line = prompt.strip().splitlines()[0]
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _review_html(plan: Plan, grades: list[Grade]) -> str:
    total = sum(g.score for g in grades)
    by_lesson: dict[str, list[float]] = {}
    for item, grade in zip(plan.items, grades, strict=True):
        by_lesson.setdefault(item.lesson, []).append(grade.score)
    lessons = "".join(
        f"<li>{html.escape(lesson)}: {sum(s):g} / {len(s)}</li>"
        for lesson, s in sorted(by_lesson.items())
    )
    review = "".join(
        f"<li>Q{i}. {html.escape(_first_line(item.question.prompt))} — "
        f"{source_html(item, styled=True)}</li>"
        for i, (item, grade) in enumerate(zip(plan.items, grades, strict=True), start=1)
        if grade.score < 1
    )
    review_block = (
        f"<b>To review</b> (the section that teaches each):<ul>{review}</ul>"
        if review
        else "<b>Nothing to review: every answer was right.</b>"
    )
    return (
        f"<div class='course-exam-result' role='status' style='{_TEXT}'>"
        f"<b>Exam score: {total:g} / {len(grades)}</b><br>By lesson:<ul>{lessons}</ul>"
        f"{review_block}</div>"
    )


class ExamView(_StaticCopy):
    """The exam: ``questions`` (ExamQuestionViews), ``submit_button``, ``result`` (empty until
    Submit), ``retake_button``."""

    title = "Exam"
    intro = EXAM_INTRO

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.questions = [ExamQuestionView(i, item) for i, item in enumerate(plan.items, 1)]
        self.sources = [_html(f"<i>from {html.escape(item.lesson)}</i>") for item in plan.items]
        self.submitted = False
        self.submit_button = w.Button(
            style=shared.style(w.Button),
            description="Submit",
            button_style="",
            tooltip="Grade every answer now",
        )
        self.retake_button = w.Button(
            style=shared.style(w.Button),
            description="Take the exam again",
            disabled=True,
            layout=shared.layout(**_AUTO),
        )
        self.submit_button.add_class("course-exam-submit")
        self.retake_button.add_class("course-exam-retake")
        self.submit_button.on_click(lambda _: self.submit())
        self.retake_button.on_click(lambda _: self.retake())
        self.result = w.HTML(
            style=shared.style(w.HTML), value="", layout=shared.layout(width="100%")
        )
        blocks = [
            w.VBox([source, view.widget], layout=shared.layout(width="100%"))
            for source, view in zip(self.sources, self.questions, strict=True)
        ]
        title = f"Exam: {len(plan.items)} questions from {len(set(plan.lessons))} lessons"
        self.widget = w.VBox(
            [
                _html(_header(title, EXAM_INTRO)),
                *blocks,
                w.HBox([self.submit_button, self.retake_button]),
                self.result,
            ],
            layout=shared.layout(width="100%", max_width="60em"),
        )
        self.widget.add_class("course-exam")

    def submit(self) -> list[Grade]:
        """Grade every answer, show verdicts, explanations, the score by lesson and what to
        review, and save the results (an unanswered question scores 0)."""
        grades = []
        for view, item in zip(self.questions, self.plan.items, strict=True):
            grade = view.question.grade(view.response())
            if grade.valid:
                progress.record_quiz(item.lesson, item.question.id, grade.score)
            else:
                grade = Grade(False, 0.0, "✘ Not answered — it counts as 0.")
            view.last_grade = grade
            view.feedback.value = feedback_html(grade)
            view.attempts = 1
            view.show_explanation(True)
            grades.append(grade)
        rounds.submit(
            self.plan.key or EXAM_KEY,
            {item.key: g.score for item, g in zip(self.plan.items, grades, strict=True)},
        )
        self.result.value = _review_html(self.plan, grades)
        problem = progress.save_problem()
        if problem:
            self.result.value += f"<div style='{_TEXT}'>⚠ {html.escape(problem)}</div>"
        self.submitted = True
        self.submit_button.disabled = True
        self.retake_button.disabled = False
        return grades

    def retake(self) -> None:
        """Clear every answer and verdict to take the same exam again."""
        for view in self.questions:
            view.reset()
        self.result.value = ""
        self.submitted = False
        self.submit_button.disabled = False
        self.retake_button.disabled = True
