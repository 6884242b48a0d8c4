"""ipywidgets views of a quiz: one :class:`QuestionView` per question inside a :class:`QuizView`.

Only core widgets present in both ipywidgets 7.7 (Colab) and 8 (JupyterLab 4); no custom
JavaScript, no Tab/Accordion. Made for everyone:

- options are one small toggle button each ("○ A" / "● A", "☐ A" / "☑ A": the state is in
  the words) beside the option's text in an HTML widget that wraps, so an option of any
  length stays readable and answerable at laptop widths; options are shown in the
  learner's shuffled order (:mod:`course_utils.quiz.order`);
- keyboard only: Tab moves between option buttons, Check and Show explanation; Space or
  Enter presses them; Enter in a number or text box checks the answer;
- verdicts are words with a mark (✔ ✘ ◐ ✎), in the theme's text colour; only the mark is
  coloured, a second cue, from JupyterLab's theme variables (light and dark) with fallbacks;
- "Show explanation" is offered after the first checked answer, so it cannot give the
  answer away before an attempt;
- a bank of more than ``PAGE_SIZE`` questions is shown a page at a time, each page built
  when it is first shown.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import ipywidgets as w

from course_utils import later, progress
from course_utils import shared_widgets as shared
from course_utils.markup import inline
from course_utils.quiz.bank import Bank
from course_utils.quiz.order import option_order, pair_order
from course_utils.quiz.questions import (
    Grade,
    JupyterquizString,
    Match,
    MultipleChoice,
    Question,
    SingleChoice,
)
from course_utils.quiz.static import static_html

PAGE_SIZE = 20
#: Verdict mark -> colour (JupyterLab theme variable, fallback readable on light and dark).
COLOURS = {
    "✔": "var(--jp-success-color0, #2e8540)",
    "◐": "var(--jp-warn-color0, #b8730b)",
    "✘": "var(--jp-error-color0, #d9363e)",
    "✎": "var(--jp-ui-font-color2, #7a7a7a)",
}
INTRO = (
    "Self-assessment: check each answer as often as you like; every attempt is counted. "
    "<b>Show explanation</b> becomes available after your first checked answer. Keyboard: "
    "Tab to an option or button, Space or Enter to press it; Enter in a box checks it."
)
_TEXT = "line-height:1.45; white-space:normal; overflow-wrap:anywhere; padding:2px 0"
_AUTO = {"width": "auto"}
#: Full width with no side margin: every widget has a 2 px margin, and 100% plus margins
#: overflows the box around it, which then shows a horizontal scrollbar.
_FULL = {"width": "100%", "margin": "2px 0"}
#: How long Enter waits for the typed value: the front end holds a value update back while
#: an earlier one is unanswered, but sends Enter's "submit" at once, so it can overtake.
SUBMIT_SETTLE_S = 0.3
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _letter(i: int) -> str:
    return _LETTERS[i] if i < len(_LETTERS) else str(i + 1)


def code_block(code: str) -> str:
    """A code block for a widget: escaped, monospace, wrapping instead of overflowing."""
    return (
        "<pre style='font-family:var(--jp-code-font-family, monospace); white-space:pre-wrap; "
        "overflow-wrap:anywhere; margin:4px 0; padding:4px 8px; "
        "background:var(--jp-layout-color2, rgba(127,127,127,0.12)); "
        "color:var(--jp-content-font-color1, inherit)'>"
        f"<code>{html.escape(code.strip(chr(10)), quote=False)}</code></pre>"
    )


def _wrapping_html(body: str) -> w.HTML:
    return w.HTML(
        style=shared.style(w.HTML),
        value=f"<div style='{_TEXT}'>{body}</div>",
        layout=shared.layout(flex="1 1 auto", min_width="0", width="auto"),
    )


def feedback_html(grade: Grade) -> str:
    """A grade as HTML: one line per feedback line, each mark in its colour (and in words)."""
    lines = []
    for line in grade.feedback.split("\n"):
        mark = line[:1]
        colour = COLOURS.get(mark)
        head, sep, rest = line.partition(" — ")
        if colour:  # the mark in colour, the words in the theme's text colour: readable anywhere
            head = f"<b><span style='color:{colour}'>{mark}</span> {inline(head[1:])}</b>"
        else:
            head = inline(head)
        lines.append(f"<div style='{_TEXT}'>{head}{sep}{inline(rest) if sep else ''}</div>")
    return f"<div class='course-quiz-verdict' role='status'>{''.join(lines)}</div>"


class QuestionView:
    """One question: ``input``, ``check_button``, ``feedback``, ``explain_button``, ``attempts``.

    Choice questions: ``option_buttons`` (ToggleButtons, in the order shown) and
    ``shown_options`` (the Options in that order); :meth:`choose` ticks one by its text.
    Match questions: ``dropdowns`` (one per row, rows in ``shown_pairs`` order).
    """

    def __init__(
        self, number: int, question: Question, quiz_id: str, on_check: Callable[[], None]
    ) -> None:
        self.question = question
        self.quiz_id = quiz_id
        self.attempts = 0
        self.best = 0.0
        self.last_grade: Grade | None = None
        self._on_check = on_check
        self.option_buttons: list[w.ToggleButton] = []
        self.shown_options: list[Any] = []
        self.dropdowns: list[w.Dropdown] = []
        self.shown_pairs: list[Any] = []
        self._order: list[int] = []
        self._pending_check: asyncio.TimerHandle | None = None
        self.input = self._build_input()
        self.check_button = w.Button(
            style=shared.style(w.Button),
            description="Check",
            tooltip="Check this answer",
            layout=shared.layout(**_AUTO),
        )
        self.explain_button = w.Button(
            style=shared.style(w.Button),
            description="Show explanation",
            tooltip="Available after your first checked answer",
            disabled=True,
            layout=shared.layout(**_AUTO),
        )
        self.attempts_label = w.Label(style=shared.style(w.Label), value="Attempts: 0")
        self.feedback = w.HTML(style=shared.style(w.HTML), value="", layout=shared.layout(**_FULL))
        self.explanation = w.HTML(
            style=shared.style(w.HTML), value="", layout=shared.layout(**_FULL)
        )
        self.check_button.on_click(lambda _: self.check())
        self.explain_button.on_click(lambda _: self.toggle_explanation())
        prompt = f"<b>Q{number}.</b> {inline(question.prompt)}"
        if question.code:
            prompt += code_block(question.code)
        buttons = w.HBox(
            [self.check_button, self.explain_button, self.attempts_label],
            layout=shared.layout(flex_flow="row wrap", align_items="center"),
        )
        self.widget = w.VBox(
            [_wrapping_html(prompt), self.input, buttons, self.feedback, self.explanation],
            layout=shared.layout(width="100%", margin="0 0 12px 0"),
        )
        for widget, name in [
            (self.widget, "course-quiz-question"),
            (self.check_button, "course-quiz-check"),
            (self.explain_button, "course-quiz-explain"),
            (self.feedback, "course-quiz-feedback"),
            (self.explanation, "course-quiz-explanation"),
            (self.attempts_label, "course-quiz-attempts"),
        ]:
            widget.add_class(name)

    # -- building ---------------------------------------------------------------------------
    def _build_input(self) -> w.Widget:
        question = self.question
        if isinstance(question, (SingleChoice, MultipleChoice)):
            return self._build_choices(question)
        if isinstance(question, Match):
            return self._build_match(question)
        numeric = question.kind == "numeric"
        placeholder = "a number, e.g. 0.5, 1e-3 or 22/7 (Enter checks)" if numeric else ""
        layout: dict[str, str] = {"width": "min(100%, 32em)", "margin": _FULL["margin"]}
        if isinstance(question, JupyterquizString) and question.input_width:
            layout["min_width"] = f"{question.input_width}em"
        text = w.Text(
            style=shared.style(w.Text),
            value="",
            placeholder=placeholder or "your answer (Enter checks)",
            layout=shared.layout(**layout),
        )
        text.add_class("course-quiz-answer")
        text.on_msg(self._on_text_msg)  # Enter sends {"event": "submit"} in ipywidgets 7 and 8
        text.observe(self._on_typed, names="value")
        return text

    def _on_text_msg(self, _widget: Any, content: dict[str, Any], _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("event") == "submit":
            self._check_when_typed()

    def _check_when_typed(self) -> None:
        """Check once the typed value has settled (``SUBMIT_SETTLE_S`` without a change).

        Outside a running kernel loop (unit tests, scripts) it checks at once.
        """
        later.cancel(self._pending_check)
        self._pending_check = later.call_later(SUBMIT_SETTLE_S, self._check_pending)
        if self._pending_check is None:
            self.check()

    def _check_pending(self) -> None:
        self._pending_check = None
        self.check()

    def _on_typed(self, _change: dict[str, Any]) -> None:
        if self._pending_check is not None:  # Enter came before this value: wait for the rest
            self._check_when_typed()

    def _marker(self, selected: bool) -> str:
        if isinstance(self.question, SingleChoice):
            return "●" if selected else "○"
        return "☑" if selected else "☐"

    def _build_choices(self, question: SingleChoice | MultipleChoice) -> w.Widget:
        self._order = option_order(question, self.quiz_id)
        rows = []
        for shown, index in enumerate(self._order):
            option = question.options[index]
            button = w.ToggleButton(
                style=shared.style(w.ToggleButton),
                value=False,
                description=f"{self._marker(False)} {_letter(shown)}",
                tooltip=f"Option {_letter(shown)}",
                layout=shared.layout(width="auto", min_width="4.2em", flex="0 0 auto"),
            )
            button.observe(self._on_toggle, names="value")
            button.add_class("course-quiz-choice")
            body = f"<b>{_letter(shown)}.</b> {inline(option.text)}" if option.text else ""
            if option.code:
                body += code_block(option.code)
            row = w.HBox(
                [button, _wrapping_html(body)],
                layout=shared.layout(**_FULL, align_items="flex-start"),
            )
            row.add_class("course-quiz-option")
            rows.append(row)
            self.option_buttons.append(button)
            self.shown_options.append(option)
        if question.columns and question.columns > 1:
            return w.GridBox(
                rows,
                layout=shared.layout(
                    grid_template_columns=f"repeat({question.columns}, minmax(0, 1fr))",
                    **_FULL,
                ),
            )
        return w.VBox(rows, layout=shared.layout(**_FULL))

    def _on_toggle(self, change: dict[str, Any]) -> None:
        button = change["owner"]
        if change["new"] and isinstance(self.question, SingleChoice):
            for other in self.option_buttons:
                if other is not button and other.value:
                    other.value = False
        letter = button.description.split(" ", 1)[1]
        button.description = f"{self._marker(bool(change['new']))} {letter}"

    def _build_match(self, question: Match) -> w.Widget:
        option_labels = [question.options[i] for i in option_order(question, self.quiz_id)]
        rows = []
        for index in pair_order(question, self.quiz_id):
            pair = question.pairs[index]
            dropdown = w.Dropdown(
                style=shared.style(w.Dropdown),
                options=[(label, label) for label in option_labels],
                index=None,
                layout=shared.layout(width="auto", max_width="50%", flex="0 1 auto"),
            )
            self.dropdowns.append(dropdown)
            self.shown_pairs.append(pair)
            row = w.HBox(
                [_wrapping_html(f"{inline(pair.label)} →"), dropdown],
                layout=shared.layout(**_FULL, align_items="center"),
            )
            row.add_class("course-quiz-match-row")
            rows.append(row)
        return w.VBox(rows, layout=shared.layout(**_FULL))

    # -- answering --------------------------------------------------------------------------
    def choose(self, *texts: str) -> None:
        """Select the options with these texts (as a learner clicking them would)."""
        for text in texts:
            for button, option in zip(self.option_buttons, self.shown_options, strict=True):
                if text in (option.text, option.label, option.code):
                    button.value = True
                    break
            else:
                raise KeyError(f"no option {text!r}")

    def response(self) -> Any:
        """The learner's current answer, in the form ``question.grade`` takes."""
        if isinstance(self.question, (SingleChoice, MultipleChoice)):
            chosen = [self._order[i] for i, b in enumerate(self.option_buttons) if b.value]
            if isinstance(self.question, SingleChoice):
                return chosen[0] if chosen else None
            return chosen
        if isinstance(self.question, Match):
            return {p.label: d.value for p, d in zip(self.shown_pairs, self.dropdowns, strict=True)}
        return self.input.value

    def check(self) -> Grade:
        """Grade the current answer, show the verdict, count the attempt and save progress."""
        later.cancel(self._pending_check)
        self._pending_check = None
        grade = self.question.grade(self.response())
        self.last_grade = grade
        self.feedback.value = feedback_html(grade)
        if grade.valid:
            self.attempts += 1
            self.best = max(self.best, grade.score)
            self.attempts_label.value = f"Attempts: {self.attempts}"
            self.explain_button.disabled = False
            self.explain_button.tooltip = "Show or hide the explanation"
            progress.record_quiz(self.quiz_id, self.question.id, grade.score)
            if grade.correct:
                self.show_explanation(True)
        self._on_check()
        return grade

    def show_explanation(self, visible: bool) -> None:
        """Show or hide the question's explanation (only after a first checked answer)."""
        if visible and self.attempts == 0:
            return
        text = f"<div style='{_TEXT}'><b>Explanation:</b> {inline(self.question.explanation)}</div>"
        self.explanation.value = text if visible else ""
        self.explain_button.description = "Hide explanation" if visible else "Show explanation"

    def toggle_explanation(self) -> None:
        """Show the explanation if hidden, hide it if shown."""
        self.show_explanation(not self.explanation.value)

    def reset(self) -> None:
        """Clear the answer, feedback, explanation and attempt count (saved progress stays)."""
        if isinstance(self.input, w.Text):
            self.input.value = ""
        for button in self.option_buttons:
            button.value = False
        for dropdown in self.dropdowns:
            dropdown.index = None
        self.show_explanation(False)
        self.attempts, self.best, self.last_grade = 0, 0.0, None
        self.attempts_label.value = "Attempts: 0"
        self.feedback.value = ""
        self.explain_button.disabled = True


class _LazyViews(Sequence[QuestionView]):
    """The QuestionViews of a quiz, each built the first time it is asked for."""

    def __init__(self, view: QuizView) -> None:
        self._view = view
        self._built: dict[int, QuestionView] = {}

    def __len__(self) -> int:
        return len(self._view.bank.questions)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if index not in self._built:
            question = self._view.bank.questions[index]
            self._built[index] = QuestionView(
                index + 1, question, self._view.bank.quiz_id, self._view._update_score
            )
        return self._built[index]

    def __iter__(self) -> Iterator[QuestionView]:
        return (self[i] for i in range(len(self)))

    def built(self) -> list[QuestionView]:
        """The views built so far."""
        return list(self._built.values())


class QuizView:
    """A whole quiz: ``questions`` (QuestionViews, built lazily), ``score_label``,
    ``reset_button``; with more than ``PAGE_SIZE`` questions also ``previous_button``,
    ``next_button`` and ``page_label``.

    Displayed, it is the interactive widget, plus a plain-HTML copy of the questions (no
    answers) that static renderers show instead.
    """

    def __init__(self, bank: Bank, page_size: int = PAGE_SIZE) -> None:
        self.bank = bank
        self.page_size = page_size
        self.page = 0
        self.questions = _LazyViews(self)
        self.score_label = w.Label(style=shared.style(w.Label), value="")
        self.reset_button = w.Button(
            style=shared.style(w.Button), description="Reset", layout=shared.layout(**_AUTO)
        )
        self.reset_button.on_click(lambda _: self.reset())
        self.previous_button = w.Button(
            style=shared.style(w.Button),
            description="◀ Previous page",
            layout=shared.layout(**_AUTO),
        )
        self.next_button = w.Button(
            style=shared.style(w.Button), description="Next page ▶", layout=shared.layout(**_AUTO)
        )
        self.page_label = w.Label(style=shared.style(w.Label), value="")
        self.previous_button.on_click(lambda _: self.show_page(self.page - 1))
        self.next_button.on_click(lambda _: self.show_page(self.page + 1))
        header = w.HTML(
            style=shared.style(w.HTML),
            value=f"<div style='{_TEXT}'><b style='font-size:1.2em'>Quiz: "
            f"{html.escape(bank.title)}</b><br><i>{INTRO}</i></div>",
            layout=shared.layout(**_FULL),
        )
        self.page_box = w.VBox(layout=shared.layout(**_FULL))
        footer = [self.score_label, self.reset_button]
        if self.pages > 1:
            footer = [self.previous_button, self.page_label, self.next_button, *footer]
        self.widget = w.VBox(
            [header, self.page_box, w.HBox(footer, layout=shared.layout(flex_flow="row wrap"))],
            layout=shared.layout(**_FULL, max_width="60em"),
        )
        self.widget.add_class("course-quiz")
        self.score_label.add_class("course-quiz-score")
        self.show_page(0)

    @property
    def pages(self) -> int:
        """Number of pages."""
        return max(1, -(-len(self.bank.questions) // self.page_size))

    def show_page(self, page: int) -> None:
        """Show page ``page`` (0-based, clipped to the pages there are)."""
        self.page = min(max(page, 0), self.pages - 1)
        start = self.page * self.page_size
        stop = min(start + self.page_size, len(self.bank.questions))
        self.page_box.children = [self.questions[i].widget for i in range(start, stop)]
        self.previous_button.disabled = self.page == 0
        self.next_button.disabled = self.page == self.pages - 1
        self.page_label.value = (
            f"Questions {start + 1}–{stop} of {len(self.bank.questions):,} "
            f"(page {self.page + 1} of {self.pages})"
        )
        self._update_score()

    @property
    def score(self) -> float:
        """Sum over questions of the best score this session."""
        return sum(q.best for q in self.questions.built())

    def _update_score(self) -> None:
        total = len(self.bank.questions)
        answered = sum(q.attempts > 0 for q in self.questions.built())
        self.score_label.value = (
            f"Score: {self.score:g} / {total} (best per question; {answered} of {total} answered)"
        )

    def reset(self) -> None:
        """Start the quiz again in this notebook (saved progress is kept)."""
        for question in self.questions.built():
            question.reset()
        self._update_score()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {
            "text/plain": f"Quiz: {self.bank.title} ({len(self.bank.questions)} questions)",
            "text/html": static_html(self.bank),
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2,
                "version_minor": 0,
                "model_id": self.widget.model_id,
            },
        }
