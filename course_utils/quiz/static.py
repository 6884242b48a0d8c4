"""The quiz as plain HTML, for static views (GitHub, nbviewer, an executed notebook, an export).

Shows the questions and their options, in the order this learner sees them, and never which
option is right or any explanation, so a saved notebook does not give the answers away. Uses
only the tags that survive sanitising (bleach's defaults, which nbconvert's and JupyterLab's
"Sanitize HTML" export keep: ``b i em strong code a ul ol li blockquote abbr acronym``; no
``p``, ``div``, ``br``, ``pre`` and no attributes), so an export shows a readable quiz, not
literal tags.
"""

from __future__ import annotations

import html

from course_utils.markup import flat
from course_utils.quiz.bank import Bank
from course_utils.quiz.questions import Match, MultipleChoice, Question, SingleChoice

#: Tags the static copy may use (all in bleach's default allow-list).
SAFE_TAGS = frozenset({"b", "i", "em", "strong", "code", "ul", "ol", "li", "blockquote"})
#: A static copy of a huge bank lists this many questions, then says how many more there are.
STATIC_LIMIT = 100

_HOW_TO_ANSWER = {
    "single": "Choose one option.",
    "multiple": "Tick every option that applies.",
    "numeric": "Answer with a number.",
    "text": "Answer with a word or a short phrase.",
    "match": "Choose the matching option for each item.",
}


def code_block_static(code: str) -> str:
    """A code block as one ``<code>`` line per source line (indentation kept with no-break
    spaces), in a list: the only shape of code that survives sanitising."""
    lines = code.strip("\n").splitlines() or [""]
    items = "".join(
        "<li><code>" + html.escape(line, quote=False).replace(" ", "\u00a0") + "</code></li>"
        for line in lines
    )
    return f"<ul>{items}</ul>"


def question_html(question: Question, quiz_id: str, learner: str | None = None) -> str:
    """One question and its options as a sanitiser-safe ``<li>``, with no answer."""
    from course_utils.quiz.order import option_order, pair_order

    parts = [f"<b>{flat(question.prompt)}</b>" if question.prompt.strip() else ""]
    if question.code:
        parts.append(code_block_static(question.code))
    if isinstance(question, (SingleChoice, MultipleChoice)):
        marker = "○" if isinstance(question, SingleChoice) else "☐"
        items = []
        for i in option_order(question, quiz_id, learner):
            option = question.options[i]
            code = code_block_static(option.code) if option.code else ""
            items.append(f"<li>{marker} {flat(option.text)}{code}</li>")
        parts.append(f"<ul>{''.join(items)}</ul>")
    elif isinstance(question, Match):
        rows = "".join(
            f"<li>{flat(question.pairs[i].label)} → ____</li>"
            for i in pair_order(question, quiz_id, learner)
        )
        options = ", ".join(
            flat(question.options[i]) for i in option_order(question, quiz_id, learner)
        )
        parts.append(f"<ul>{rows}</ul><i>Options:</i> {options}. ")
    parts.append(f"<i>{_HOW_TO_ANSWER[question.kind]}</i>")
    return "<li>" + " ".join(p for p in parts if p) + "</li>"


def static_html(bank: Bank, learner: str | None = None) -> str:
    """The bank's questions and options as sanitiser-safe HTML, with no answers.

    Options appear in the order ``learner`` (default: this learner) sees them in the widget.
    """
    shown = bank.questions[:STATIC_LIMIT]
    body = "".join(question_html(q, bank.quiz_id, learner) for q in shown)
    more = len(bank.questions) - len(shown)
    tail = f"<i>… and {more:,} more questions: run the cell to see them.</i>" if more else ""
    return (
        f"<blockquote><b>Quiz: {flat(bank.title)}</b> — <i>self-assessment. Run this cell in "
        "Jupyter to answer and get feedback; this copy shows the questions only.</i>"
        f"<ol>{body}</ol>{tail}</blockquote>"
    )
