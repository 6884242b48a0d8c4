"""The progress dashboard: a view of the progress store, one row per lesson.

The store (:mod:`course_utils.progress`) knows no widget and no bank; this module reads the
store, the quiz banks and the flashcard decks and draws the table.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from course_utils.flashcards.leitner import MASTERED_BOX
from course_utils.progress import Store, load, store_path


@dataclass(frozen=True)
class LessonRow:
    """One dashboard row: a lesson's quiz score, exercises passed and flashcards mastered."""

    lesson: str
    title: str
    quiz_score: float  # sum of best scores
    quiz_total: int  # number of questions
    exercises_passed: int
    exercises_tried: int
    cards_mastered: int
    cards_total: int

    @property
    def completion(self) -> float:
        """Mean of the quiz fraction and the mastered-cards fraction (those that exist)."""
        parts = [self.quiz_score / self.quiz_total] if self.quiz_total else []
        if self.cards_total:
            parts.append(self.cards_mastered / self.cards_total)
        return sum(parts) / len(parts) if parts else 0.0


def _bar(fraction: float, width: int = 10) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


class Dashboard:
    """The progress table; shows as HTML in a notebook (also in static views) and as text."""

    def __init__(self, rows: list[LessonRow], path: Path) -> None:
        self.rows = rows
        self.path = path

    def _cells(self, row: LessonRow) -> list[str]:
        return [
            row.lesson,
            row.title,
            f"{row.quiz_score:g} / {row.quiz_total}",
            f"{row.exercises_passed} of {row.exercises_tried} tried",
            f"{row.cards_mastered} / {row.cards_total}",
            f"{_bar(row.completion)} {row.completion:.0%}",
        ]

    _HEADER = ("lesson", "title", "quiz score", "exercises passed", "cards mastered", "progress")

    def __repr__(self) -> str:
        lines = [" | ".join(self._HEADER)]
        lines += [" | ".join(self._cells(row)) for row in self.rows]
        return "\n".join(lines) + f"\n(saved in {self.path})"

    def _repr_html_(self) -> str:
        head = "".join(f"<th style='text-align:left'>{h}</th>" for h in self._HEADER)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in self._cells(row)) + "</tr>"
            for row in self.rows
        )
        return (
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"<p><small>A card counts as mastered from box {MASTERED_BOX} of 5. Progress is the "
            f"mean of the quiz score and the share of cards mastered. Saved in "
            f"<code>{html.escape(str(self.path))}</code>.</small></p>"
        )


def _lesson_row(lesson: str, store: Store) -> LessonRow:
    from course_utils import flashcards, quiz

    bank = quiz.load_bank(lesson)
    best = store["quizzes"].get(bank.quiz_id, {})
    score = sum(float(best.get(q.id, {}).get("best", 0.0)) for q in bank.questions)
    exercises = store["exercises"].get(lesson, {})
    try:
        cards = flashcards.load_deck(lesson).cards
    except FileNotFoundError:
        cards = []
    boxes = store["flashcards"]
    mastered = sum(boxes.get(card.key, {}).get("box", 1) >= MASTERED_BOX for card in cards)
    return LessonRow(
        lesson=lesson,
        title=bank.title,
        quiz_score=round(score, 2),
        quiz_total=len(bank.questions),
        exercises_passed=sum(e.get("status") == "correct" for e in exercises.values()),
        exercises_tried=sum(e.get("attempts", 0) > 0 for e in exercises.values()),
        cards_mastered=mastered,
        cards_total=len(cards),
    )


def show() -> Dashboard:
    """The progress dashboard: one row per lesson (the banks in ``data/quizzes``).

    Put it on the last line of a cell to display it.
    """
    from course_utils.quiz import lesson_ids

    store = load()
    return Dashboard([_lesson_row(lesson, store) for lesson in lesson_ids()], store_path())
