"""Flashcards with Leitner-box spaced repetition; decks are YAML under ``data/flashcards``.

In a notebook, as the last line of a cell::

    course_utils.flashcards.show("01_cnn")     # or show("all") for every lesson's cards

Boxes 1..5: "Knew it" moves a card up a box, "Again" sends it back to box 1; a card in box k
comes back after 0, 1, 3, 7 or 14 days. Boxes are saved in the progress store.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from course_utils.flashcards.deck import Card, Deck, load_deck

if TYPE_CHECKING:
    from course_utils.flashcards.widgets import FlashcardView

__all__ = ["Card", "Deck", "load_deck", "show"]


def show(source: str | Path = "all", seed: int | None = None) -> FlashcardView:
    """The flashcard trainer for a lesson id, a deck file, or ``"all"``.

    Cards due for review come first, then the others, shuffled with ``seed`` (default: today's
    date, so the order changes from day to day).
    """
    from course_utils.flashcards.widgets import FlashcardView

    return FlashcardView(load_deck(source), date.today().toordinal() if seed is None else seed)
