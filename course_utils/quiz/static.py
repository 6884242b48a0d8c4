"""The quiz as plain HTML, for static views (GitHub, nbviewer, an executed notebook).

Shows the questions and their options only: never which option is right, never an
explanation, so a saved notebook does not give the answers away.
"""

from __future__ import annotations

import html
import re

from course_utils.quiz.bank import Bank
from course_utils.quiz.questions import MultipleChoice, Question, SingleChoice

_HOW_TO_ANSWER = {
    "single": "Choose one option.",
    "multiple": "Tick every option that applies.",
    "numeric": "Answer with a number.",
    "text": "Answer with a word or a short phrase.",
}


def inline(text: str) -> str:
    """Escape ``text`` for HTML, turning `backticks` into <code> and newlines into <br>."""
    escaped = html.escape(text.strip())
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    return escaped.replace("\n", "<br>")


def _question_html(number: int, question: Question) -> str:
    parts = [f"<p><b>Q{number}.</b> {inline(question.prompt)}</p>"]
    if isinstance(question, (SingleChoice, MultipleChoice)):
        marker = "○" if isinstance(question, SingleChoice) else "☐"
        items = "".join(f"<li>{marker} {inline(o.text)}</li>" for o in question.options)
        parts.append(f"<ul style='list-style:none'>{items}</ul>")
    parts.append(f"<p><i>{_HOW_TO_ANSWER[question.kind]}</i></p>")
    return "".join(parts)


def static_html(bank: Bank) -> str:
    """The bank's questions and options as HTML, with no answers and no explanations."""
    body = "".join(_question_html(i + 1, q) for i, q in enumerate(bank.questions))
    return (
        f"<div class='course-quiz-static'><h3>Quiz: {inline(bank.title)}</h3>"
        "<p><i>Run this cell in Jupyter to answer and get feedback (self-assessment).</i></p>"
        f"{body}</div>"
    )
