"""The book's self-check data: each lesson's quiz bank as a small script for the page.

``book/_static/selfcheck.js`` grades in the browser by the rules of
:mod:`course_utils.quiz.questions` (tested case by case against it in Chromium,
``tests/test_book_selfcheck.py``). It needs every question with its answers, so they are in the
page's source, as in any self-assessment that grades without a server.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from course_utils.flashcards.deck import load_deck
from course_utils.quiz import load_bank
from course_utils.quiz.questions import Question

#: The variable the scripts fill, one entry per lesson: ``window.courseSelfCheck["01_cnn"]``.
GLOBAL = "courseSelfCheck"


def question_data(question: Question) -> dict[str, Any]:
    """One question as plain JSON data: its fields and its ``kind``."""
    data = dataclasses.asdict(question)
    data["kind"] = question.kind
    return data


def bank_data(bank_path: Path) -> dict[str, Any]:
    """A quiz bank (YAML) as JSON data: id, title and questions."""
    bank = load_bank(bank_path)
    return {
        "id": bank.quiz_id,
        "title": bank.title,
        "questions": [question_data(q) for q in bank.questions],
    }


def deck_data(deck_path: Path) -> dict[str, Any]:
    """A flashcard deck (YAML) as JSON data: id, title and cards (front and back)."""
    deck = load_deck(deck_path)
    cards = [{"front": card.front, "back": card.back} for card in deck.cards]
    return {"id": deck_path.stem, "title": deck.title, "cards": cards}


def lesson_script(lesson: str, data_dir: Path) -> str:
    """The script that registers a lesson's quiz and deck for its page (``{}`` when it has
    neither), loadable from ``file://`` too."""
    entry: dict[str, Any] = {}
    bank = data_dir / "quizzes" / f"{lesson}.yaml"
    deck = data_dir / "flashcards" / f"{lesson}.yaml"
    if bank.is_file():
        entry["quiz"] = bank_data(bank)
    if deck.is_file():
        entry["deck"] = deck_data(deck)
    data = json.dumps(entry, ensure_ascii=False, sort_keys=True)
    name = json.dumps(lesson)
    return f"window.{GLOBAL} = window.{GLOBAL} || {{}};\nwindow.{GLOBAL}[{name}] = {data};\n"
