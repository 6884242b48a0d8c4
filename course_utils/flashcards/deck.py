"""Flashcard decks: YAML files under ``data/flashcards`` checked against their JSON Schema."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course_utils.content import ContentError, find, lesson_ids, read_document, validate

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

    Raises FileNotFoundError for an unknown lesson and ContentError for a malformed deck.
    """
    if source == "all":
        return _all_decks()
    path = find(FOLDER, source)
    raw = read_document(path)
    validate(raw, "flashcards", path, "cards", "card")
    ids = [card["id"] for card in raw["cards"]]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ContentError(f"{path}: card ids used more than once: {', '.join(repeated)}")
    cards = [
        Card(raw["lesson"], c["id"], c["front"], c["back"], c.get("topic", ""))
        for c in raw["cards"]
    ]
    return Deck(raw["title"], cards)


def _all_decks() -> Deck:
    """Every deck in lesson order; ContentError when two decks name the same lesson (their cards
    would share progress entries)."""
    cards: list[Card] = []
    seen: dict[str, Path] = {}
    for name in lesson_ids(FOLDER):
        path = find(FOLDER, name)
        deck = load_deck(path)
        lesson = deck.cards[0].lesson if deck.cards else name
        if lesson in seen:
            raise ContentError(
                f"{seen[lesson]} and {path} both have lesson {lesson!r}: their cards would "
                "share one place in your progress. Give each deck its own lesson, or move "
                "one of the files out of the folder."
            )
        seen[lesson] = path
        cards += deck.cards
    return Deck("All lessons", cards)
