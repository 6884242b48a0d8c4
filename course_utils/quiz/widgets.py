"""ipywidgets views of a quiz: one :class:`QuestionView` per question inside a :class:`QuizView`.

Only core widgets present in both ipywidgets 7.7 (Colab) and 8 (JupyterLab 4); no custom
JavaScript. Verdicts are written in words; colour is only a second cue.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from course_utils import progress
from course_utils.quiz.bank import Bank
from course_utils.quiz.questions import Grade, MultipleChoice, Question, SingleChoice
from course_utils.quiz.static import inline, static_html

_COLOURS = {"✔": "#1a7f37", "◐": "#9a6700", "✘": "#cf222e", "✎": "#57606a"}
_AUTO = w.Layout(width="auto")


def _input_for(question: Question) -> tuple[w.Widget, list[w.Checkbox]]:
    """The input widget for a question, and its checkboxes for a ``multiple`` question."""
    if isinstance(question, SingleChoice):
        labels = [(option.text, i) for i, option in enumerate(question.options)]
        return w.RadioButtons(options=labels, index=None, layout=w.Layout(width="100%")), []
    if isinstance(question, MultipleChoice):
        boxes = [
            w.Checkbox(value=False, description=option.text, indent=False, layout=_AUTO)
            for option in question.options
        ]
        return w.VBox(boxes), boxes
    placeholder = "a number, e.g. 0.5 or 1e-3" if question.kind == "numeric" else "your answer"
    return w.Text(value="", placeholder=placeholder), []


class QuestionView:
    """One question: ``input``, ``check_button``, ``feedback``, ``explain_button``, ``attempts``."""

    def __init__(
        self, number: int, question: Question, quiz_id: str, on_check: Callable[[], None]
    ) -> None:
        self.question = question
        self.quiz_id = quiz_id
        self.attempts = 0
        self.best = 0.0
        self.last_grade: Grade | None = None
        self._on_check = on_check
        self.input, self.checkboxes = _input_for(question)
        self.check_button = w.Button(description="Check", layout=_AUTO)
        self.explain_button = w.Button(description="Show explanation", layout=_AUTO)
        self.attempts_label = w.Label(value="Attempts: 0")
        self.feedback = w.HTML(value="")
        self.explanation = w.HTML(value="")
        self.check_button.on_click(lambda _: self.check())
        self.explain_button.on_click(lambda _: self.toggle_explanation())
        prompt = w.HTML(value=f"<p><b>Q{number}.</b> {inline(question.prompt)}</p>")
        buttons = w.HBox([self.check_button, self.explain_button, self.attempts_label])
        self.widget = w.VBox([prompt, self.input, buttons, self.feedback, self.explanation])

    def response(self) -> Any:
        """The learner's current answer, in the form ``question.grade`` takes."""
        if isinstance(self.question, MultipleChoice):
            return [i for i, box in enumerate(self.checkboxes) if box.value]
        return self.input.value

    def check(self) -> Grade:
        """Grade the current answer, show the verdict, count the attempt and save progress."""
        grade = self.question.grade(self.response())
        self.last_grade = grade
        colour = _COLOURS.get(grade.feedback[:1], "inherit")
        self.feedback.value = f"<div style='color:{colour}'>{inline(grade.feedback)}</div>"
        if grade.valid:
            self.attempts += 1
            self.best = max(self.best, grade.score)
            self.attempts_label.value = f"Attempts: {self.attempts}"
            progress.record_quiz(self.quiz_id, self.question.id, grade.score)
            if grade.correct:
                self.show_explanation(True)
        self._on_check()
        return grade

    def show_explanation(self, visible: bool) -> None:
        """Show or hide the question's explanation."""
        text = f"<div><b>Explanation:</b> {inline(self.question.explanation)}</div>"
        self.explanation.value = text if visible else ""
        self.explain_button.description = "Hide explanation" if visible else "Show explanation"

    def toggle_explanation(self) -> None:
        """Show the explanation if hidden, hide it if shown."""
        self.show_explanation(not self.explanation.value)

    def reset(self) -> None:
        """Clear the answer, feedback, explanation and attempt count (saved progress stays)."""
        if isinstance(self.input, w.RadioButtons):
            self.input.index = None
        elif isinstance(self.input, w.Text):
            self.input.value = ""
        for box in self.checkboxes:
            box.value = False
        self.attempts, self.best, self.last_grade = 0, 0.0, None
        self.attempts_label.value = "Attempts: 0"
        self.feedback.value = ""
        self.show_explanation(False)


class QuizView:
    """A whole quiz: ``questions`` (QuestionViews), ``score_label``, ``reset_button``.

    Displayed, it is the interactive widget, plus a plain-HTML copy of the questions (no
    answers) that static renderers show instead.
    """

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self.questions = [
            QuestionView(i + 1, q, bank.quiz_id, self._update_score)
            for i, q in enumerate(bank.questions)
        ]
        self.score_label = w.Label(value="")
        self.reset_button = w.Button(description="Reset", layout=_AUTO)
        self.reset_button.on_click(lambda _: self.reset())
        header = w.HTML(
            value=f"<h3>Quiz: {html.escape(bank.title)}</h3><p><i>Self-assessment: check each "
            "answer as often as you like; every attempt is counted.</i></p>"
        )
        footer = w.HBox([self.score_label, self.reset_button])
        self.widget = w.VBox([header, *(q.widget for q in self.questions), footer])
        self._update_score()

    @property
    def score(self) -> float:
        """Sum over questions of the best score this session."""
        return sum(q.best for q in self.questions)

    def _update_score(self) -> None:
        answered = sum(q.attempts > 0 for q in self.questions)
        self.score_label.value = (
            f"Score: {self.score:g} / {len(self.questions)} "
            f"(best per question; {answered} of {len(self.questions)} answered)"
        )

    def reset(self) -> None:
        """Start the quiz again in this notebook (saved progress is kept)."""
        for question in self.questions:
            question.reset()
        self._update_score()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {
            "text/plain": f"Quiz: {self.bank.title} ({len(self.questions)} questions)",
            "text/html": static_html(self.bank),
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2,
                "version_minor": 0,
                "model_id": self.widget.model_id,
            },
        }
