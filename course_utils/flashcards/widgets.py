"""The flashcard trainer: one card at a time with Flip, Knew it, Again and Next buttons.

Core ipywidgets only (Buttons are focusable with Tab and pressed with Enter or Space).
Each review moves the card between Leitner boxes and is saved in the progress store.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

import ipywidgets as w

from course_utils import progress
from course_utils.flashcards import leitner
from course_utils.flashcards.deck import Card, Deck
from course_utils.quiz.static import inline

_AUTO = w.Layout(width="auto")
_CARD_STYLE = "border:1px solid #888;border-radius:6px;padding:12px;min-height:4em"


class FlashcardView:
    """A deck in review: ``flip_button``, ``knew_button``, ``again_button``, ``next_button``,
    ``card`` (the card's HTML), ``status`` and ``counts`` (cards per box)."""

    def __init__(self, deck: Deck, seed: int) -> None:
        self.deck = deck
        self.seed = seed
        self._cards = {card.key: card for card in deck.cards}
        self.flipped = False
        self.flip_button = w.Button(description="Flip", layout=_AUTO)
        self.knew_button = w.Button(description="Knew it", layout=_AUTO)
        self.again_button = w.Button(description="Again", layout=_AUTO)
        self.next_button = w.Button(description="Next", layout=_AUTO)
        self.flip_button.on_click(lambda _: self.flip())
        self.knew_button.on_click(lambda _: self.answer(knew=True))
        self.again_button.on_click(lambda _: self.answer(knew=False))
        self.next_button.on_click(lambda _: self.next())
        self.title = w.HTML(value=f"<h3>Flashcards: {html.escape(deck.title)}</h3>")
        self.status = w.Label(value="")
        self.card = w.HTML(value="")
        self.counts = w.Label(value="")
        buttons = w.HBox([self.flip_button, self.knew_button, self.again_button, self.next_button])
        self.widget = w.VBox([self.title, self.status, self.card, buttons, self.counts])
        self.order: list[str] = []
        self.position = 0
        self._new_round()

    def _states(self) -> dict[str, Any]:
        return progress.load()["flashcards"]

    def _new_round(self) -> None:
        """Order the deck again: due cards first, then the others."""
        now = datetime.now(UTC)
        self.order = leitner.review_order(list(self._cards), self._states(), now, self.seed)
        self.seed += 1
        self.position = 0
        self._render()

    @property
    def current(self) -> Card | None:
        """The card on show (None for an empty deck)."""
        return self._cards[self.order[self.position]] if self.order else None

    def _render(self) -> None:
        states = self._states()
        card = self.current
        counts = leitner.box_counts(list(self._cards), states)
        self.counts.value = " · ".join(f"Box {b}: {n}" for b, n in counts.items()) + (
            f" · mastered (box ≥ {leitner.MASTERED_BOX}): "
            f"{sum(n for b, n in counts.items() if b >= leitner.MASTERED_BOX)}"
        )
        if card is None:
            self.status.value = "This deck has no cards."
            self.card.value = ""
            return
        state = states.get(card.key)
        due = "due now" if leitner.is_due(state, datetime.now(UTC)) else "not due yet"
        topic = f" · {card.topic}" if card.topic else ""
        self.status.value = (
            f"Card {self.position + 1} of {len(self.order)} · box {leitner.box_of(state)} "
            f"· {due}{topic}"
        )
        body = f"<b>Q:</b> {inline(card.front)}"
        if self.flipped:
            body += f"<hr><b>A:</b> {inline(card.back)}"
        else:
            body += "<p><i>Think of the answer, then press Flip.</i></p>"
        self.card.value = f"<div style='{_CARD_STYLE}'>{body}</div>"
        self.knew_button.disabled = self.again_button.disabled = not self.flipped

    def flip(self) -> None:
        """Show the back of the card (press again to hide it)."""
        self.flipped = not self.flipped
        self._render()

    def answer(self, knew: bool) -> None:
        """Move the card up one box (knew it) or back to box 1 (again), save, show the next."""
        card = self.current
        if card is None:
            return
        box = leitner.box_of(self._states().get(card.key))
        progress.record_card(card.key, leitner.knew_it(box) if knew else leitner.again(box))
        self.next()

    def next(self) -> None:
        """Go to the next card; after the last one, start a new round (due cards first)."""
        self.flipped = False
        if self.position + 1 < len(self.order):
            self.position += 1
            self._render()
        else:
            self._new_round()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        fronts = "".join(f"<li>{inline(card.front)}</li>" for card in self.deck.cards)
        return {
            "text/plain": f"Flashcards: {self.deck.title} ({len(self.deck.cards)} cards)",
            "text/html": (
                f"<h3>Flashcards: {html.escape(self.deck.title)}</h3>"
                "<p><i>Run this cell in Jupyter to review the cards.</i></p>"
                f"<ol>{fronts}</ol>"
            ),
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2,
                "version_minor": 0,
                "model_id": self.widget.model_id,
            },
        }
