"""Glossary terms the learner turned into flashcards: kept in the progress store's flashcard
section under ``glossary/<anchor>``, scheduled by FSRS like every other card. No widgets.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from course_utils import progress
from course_utils.flashcards.deck import Card, Deck
from course_utils.glossary.terms import Term

#: The "lesson" part of a glossary card's key in the store.
DECK_NAME = "glossary"


def card_key(term: Term) -> str:
    """The card's name in the progress store: ``"glossary/<anchor>"``."""
    return f"{DECK_NAME}/{term.anchor}"


def new_card(when: datetime) -> dict[str, Any]:
    """The stored state of a card that was added but never reviewed (FSRS: new, due now)."""
    stamp = when.isoformat()
    return {
        "state": "learning",
        "step": 0,
        "stability": None,
        "difficulty": None,
        "due": stamp,
        "last_review": None,
        "reviews": 0,
        "added": stamp,
    }


def add_card(term: Term, when: datetime | None = None) -> bool:
    """Add ``term`` to the learner's cards; False when it was there already (kept as it is)."""
    added = []

    def update(old: dict[str, Any] | None) -> dict[str, Any]:
        if old is not None:
            return old
        added.append(True)
        return new_card(when or datetime.now(UTC))

    progress.update_card(card_key(term), update)
    return bool(added)


def added_keys(states: Mapping[str, Any]) -> list[str]:
    """The glossary cards in a store's flashcard section, in the order they were stored."""
    return [key for key in states if key.startswith(f"{DECK_NAME}/")]


def has_card(term: Term, states: Mapping[str, Any] | None = None) -> bool:
    """Whether the learner has turned ``term`` into a card."""
    current = progress.load()["flashcards"] if states is None else states
    return card_key(term) in current


def deck(terms: list[Term], states: Mapping[str, Any] | None = None) -> Deck:
    """A flashcard deck of the terms the learner added: the name on the front, the definition
    on the back. A stored key whose term has left the glossary is skipped."""
    current = progress.load()["flashcards"] if states is None else states
    by_key = {card_key(term): term for term in terms}
    cards = [
        Card(
            DECK_NAME,
            by_key[key].anchor,
            f"What is {by_key[key].term}?",
            by_key[key].definition,
            "glossary",
        )
        for key in added_keys(current)
        if key in by_key
    ]
    return Deck("Glossary terms you added", cards)
