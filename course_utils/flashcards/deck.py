"""Flashcard decks: YAML files under ``data/flashcards`` checked against their JSON Schema."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course_utils.quiz.schema import BankError, find, lesson_ids, read_document, validate

FOLDER = "flashcards"


@dataclass(frozen=True)
class Card:
    """One card; ``key`` (``"lesson/id"``) is its name in the progress store."""

    lesson: str
    id: str
    front: str
    back: str
    topic: str = ""

    @property
    def key(self) -> str:
        """The card's unique name across all decks."""
        return f"{self.lesson}/{self.id}"


@dataclass(frozen=True)
class Deck:
    """A titled list of cards."""

    title: str
    cards: list[Card]


def load_deck(source: str | Path) -> Deck:
    """Load a lesson's deck (``"01_cnn"``), a deck file, or ``"all"`` (every deck in order).

    Raises FileNotFoundError for an unknown lesson and BankError for a malformed deck.
    """
    if source == "all":
        decks = [load_deck(lesson) for lesson in lesson_ids(FOLDER)]
        return Deck("All lessons", [card for deck in decks for card in deck.cards])
    path = find(FOLDER, source)
    raw = read_document(path)
    validate(raw, "flashcards", path, "cards", "card")
    ids = [card["id"] for card in raw["cards"]]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise BankError(f"{path}: card ids used more than once: {', '.join(repeated)}")
    cards = [
        Card(raw["lesson"], c["id"], c["front"], c["back"], c.get("topic", ""))
        for c in raw["cards"]
    ]
    return Deck(raw["title"], cards)
