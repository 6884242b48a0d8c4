"""Flashcards scheduled with FSRS (the ``fsrs`` package); decks are YAML under ``data/flashcards``.

In a notebook, as the last line of a cell::

    course_utils.flashcards.show("01_cnn")     # or show("all") for every lesson's cards

Flip a card, then rate how well you recalled it: Again, Hard, Good or Easy. FSRS works out
when the card comes back (minutes for a new or missed card, then days, then weeks); only cards
that are due, new, or in their first minutes of learning are shown. Card states are saved in
the progress store. See :mod:`course_utils.flashcards.schedule` for the details and for what
"learned" means.
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

    Due cards come first, then new ones, each group shuffled with ``seed`` (default: today's
    date, so the order changes from day to day).
    """
    from course_utils.flashcards.widgets import FlashcardView

    return FlashcardView(load_deck(source), date.today().toordinal() if seed is None else seed)
