"""The flashcard trainer: one card at a time, Flip, then rate it Again / Hard / Good / Easy.

Core ipywidgets only, the same under ipywidgets 7.7.1 (Colab) and 8: Buttons, HTML, boxes.
Keyboard: Tab reaches every button, Enter or Space presses it. A card is rated only once
it is turned over: the rating buttons are disabled while it is face down. Under ipywidgets 8
focus moves on by itself (to Good after Flip, to Flip after a rating); under 7.7.1, which has
no ``focus()``, a rating pressed by keyboard leaves the focus on the page. Colours come from
JupyterLab's CSS variables (with fallbacks that read on light and dark backgrounds) and every
verdict is said in words.

Each rating is scheduled by FSRS (:mod:`course_utils.flashcards.schedule`) and saved in the
progress store; the view says which card comes back when. The counts stay live: in a
kernel, they are redrawn when a waiting card comes due (at least every ``LIVE_TICK_S``).
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import ipywidgets as w
from fsrs import Rating

from course_utils import later, progress
from course_utils.flashcards import schedule
from course_utils.flashcards.deck import Card, Deck
from course_utils.markup import flat, inline

_AUTO = w.Layout(width="auto")
_CARD_STYLE = (
    "border:1px solid var(--jp-border-color1, #8a8a8a);border-radius:6px;padding:12px;"
    "min-height:4em;color:var(--jp-ui-font-color1, inherit);"
    "background:var(--jp-layout-color1, transparent);overflow-wrap:anywhere"
)
_NOTE_STYLE = "color:var(--jp-ui-font-color1, inherit)"
_KEYS = "Keyboard: Tab to a button, then Enter or Space."
_RATE_TIP = "Flip the card first"
#: The longest wait between two redraws of the counts while a card is waiting (seconds).
LIVE_TICK_S = 60.0
#: How much of a card's front the feedback quotes to say which card it is about.
QUOTE_CHARS = 60


def _now() -> datetime:
    return datetime.now(UTC)


def focus(widget: w.DOMWidget) -> None:
    """Move the keyboard focus to ``widget`` (ipywidgets 8); a no-op under 7.7.1."""
    move = getattr(widget, "focus", None)
    if callable(move):
        move()


def _note(text: str) -> str:
    return f"<span style='{_NOTE_STYLE}'>{html.escape(text)}</span>"


def quoted_front(card: Card) -> str:
    """The card's front on one line, shortened to ``QUOTE_CHARS``, in quotation marks."""
    text = " ".join(card.front.replace("`", "").split())
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS - 1].rstrip() + "…"
    return f"“{text}”"


class FlashcardView:
    """A deck in review.

    Widgets: ``flip_button``, ``rating_buttons`` (Again, Hard, Good, Easy; also
    ``again_button`` … ``easy_button``), ``skip_button``, ``check_button`` (shown when nothing is
    left to review), ``card`` (the card's HTML), ``status``, ``preview`` (what each rating
    would do), ``feedback`` (what the last rating did) and ``counts`` (due, new and learned).
    ``queue`` is the keys still to review now; ``clock`` gives the current time (tests set it).
    """

    def __init__(self, deck: Deck, seed: int, clock: Callable[[], datetime] | None = None) -> None:
        self.deck = deck
        self.seed = seed
        self.clock = clock or _now
        self._cards = {card.key: card for card in deck.cards}
        self.flipped = False
        self._tick: asyncio.TimerHandle | None = None
        self.queue: list[str] = []
        self.skipped: list[str] = []
        self.flip_button = w.Button(description="Flip", layout=_AUTO, tooltip="Show the answer")
        self.rating_buttons = {
            rating: w.Button(description=rating.name, layout=_AUTO, tooltip=tip, disabled=True)
            for rating, tip in zip(
                schedule.RATINGS,
                (
                    "I did not recall it",
                    "I recalled it with real effort",
                    "I recalled it",
                    "I recalled it at once",
                ),
                strict=True,
            )
        }
        self.again_button, self.hard_button, self.good_button, self.easy_button = (
            self.rating_buttons.values()
        )
        self._rating_tips = {b.description: b.tooltip for b in self.rating_buttons.values()}
        self.skip_button = w.Button(
            description="Skip", layout=_AUTO, tooltip="Later in this session, not rated"
        )
        self.check_button = w.Button(
            description="Check again", layout=w.Layout(width="auto", display="none")
        )
        self.flip_button.on_click(lambda _: self.flip())
        for rating, button in self.rating_buttons.items():
            button.on_click(lambda _, rating=rating: self.rate(rating))
        self.skip_button.on_click(lambda _: self.skip())
        self.check_button.on_click(lambda _: self.refresh())
        self.title = w.HTML(value=f"<h3>Flashcards: {html.escape(deck.title)}</h3>")
        self.status = w.HTML(value="")
        self.card = w.HTML(value="")
        self.preview = w.HTML(value="")
        self.feedback = w.HTML(value="")
        self.counts = w.HTML(value="")
        buttons = w.HBox(
            [self.flip_button, *self.rating_buttons.values(), self.skip_button, self.check_button],
            layout=w.Layout(flex_flow="row wrap"),
        )
        self.widget = w.VBox(
            [self.title, self.status, self.card, buttons, self.preview, self.feedback, self.counts]
        )
        self.refresh()

    @property
    def current(self) -> Card | None:
        """The card on show (None when nothing is left to review now)."""
        return self._cards[self.queue[0]] if self.queue else None

    def refresh(self) -> None:
        """Work out again what is due now and show the first card, face down."""
        states = progress.load()["flashcards"]
        now = self.clock()
        self.queue = schedule.review_queue(list(self._cards), states, now, self.seed, self.skipped)
        self.flipped = False
        self._render(states, now)

    def _render_counts(self, states: dict[str, Any], now: datetime) -> schedule.DeckCounts:
        """Redraw the counts, and redraw them again when the next waiting card comes due."""
        counts = schedule.deck_counts(list(self._cards), states, now)
        self.counts.value = _note(
            f"{counts.line(now)}. Learned: in review with a memory stability of at least "
            f"{schedule.LEARNED_STABILITY_DAYS:g} days."
        )
        later.cancel(self._tick)
        self._tick = None
        if counts.next_due is not None:
            wait = (counts.next_due - now).total_seconds() + 0.5
            self._tick = later.call_later(min(wait, LIVE_TICK_S), self._on_tick)
        return counts

    def _on_tick(self) -> None:
        self._tick = None
        if self.current is None:  # "Nothing to review now": bring up what has come due
            self.refresh()
        else:  # a card is on show: leave it, update the counts
            self._render_counts(progress.load()["flashcards"], self.clock())

    def _render(self, states: dict[str, Any], now: datetime) -> None:
        counts = self._render_counts(states, now)
        card = self.current
        empty = card is None
        self.check_button.layout.display = None if empty else "none"
        self.skip_button.disabled = empty
        self.flip_button.disabled = empty
        self.flip_button.description = "Hide answer" if self.flipped else "Flip"
        for button in self.rating_buttons.values():
            button.disabled = empty or not self.flipped
            button.tooltip = self._rating_tips[button.description] if self.flipped else _RATE_TIP
        if card is None:
            self.status.value = _note("Nothing to review now.")
            later = (
                f"The next card is due {schedule.in_words(counts.next_due - now)}."
                if counts.next_due
                else ""
            )
            self.card.value = (
                f"<div style='{_CARD_STYLE}'>✔ All done for now. {html.escape(later)} "
                "Run this cell again then, or press Check again.</div>"
            )
            self.preview.value = ""
            return
        entry = states.get(card.key)
        kind = (
            "new"
            if schedule.is_new(entry)
            else "due"
            if schedule.is_due(entry, now)
            else "in its learning steps, shown a little early"
        )
        topic = f" · topic: {card.topic}" if card.topic else ""
        self.status.value = _note(f"{len(self.queue)} to review now · this card is {kind}{topic}")
        body = f"<b>Q:</b> {inline(card.front)}"
        if self.flipped:
            body += f"<hr><b>A:</b> {inline(card.back)}"
            self.preview.value = _note(
                "How well did you recall it? "
                + " · ".join(
                    f"{rating.name}: back "
                    + schedule.in_words(_due(schedule.review(entry, rating, now)) - now)
                    for rating in schedule.RATINGS
                )
            )
        else:
            body += f"<br><i>Recall the answer, then press Flip. {_KEYS}</i>"
            self.preview.value = ""
        self.card.value = f"<div style='{_CARD_STYLE}'>{body}</div>"

    def flip(self) -> None:
        """Show the back of the card, so it can be rated (press again to hide it)."""
        if self.current is None:
            return
        self.flipped = not self.flipped
        self._render(progress.load()["flashcards"], self.clock())
        if self.flipped:
            focus(self.good_button)

    def rate(self, rating: Rating) -> None:
        """Rate the card on show, save its FSRS schedule, say when it comes back, move on.

        Only a card that is turned over can be rated (its rating buttons are disabled until
        then); rating a face-down card changes nothing.
        """
        card = self.current
        if card is None or not self.flipped:
            return
        now = self.clock()
        entry = progress.update_card(card.key, lambda old: schedule.review(old, rating, now))
        back = schedule.in_words(_due(entry) - now)
        message = f"✔ Rated {rating.name}: {quoted_front(card)} comes back {back}."
        problem = progress.save_problem()
        if problem:
            message += f" ⚠ Not saved: {problem}"
        self.feedback.value = _note(message)
        self.skipped = [key for key in self.skipped if key != card.key]
        self.refresh()
        focus(self.flip_button if self.queue else self.check_button)

    def skip(self) -> None:
        """Put the card on show at the end of this session's queue, without rating it."""
        card = self.current
        if card is None:
            return
        self.skipped = [key for key in self.skipped if key != card.key] + [card.key]
        self.feedback.value = _note("Skipped: it comes back at the end of this session.")
        self.refresh()
        focus(self.flip_button)

    def static_html(self) -> str:
        """The deck's fronts, for views without widgets (GitHub, nbviewer, HTML export).

        Only tags that survive sanitising (nbconvert's and JupyterLab's "Sanitize HTML"):
        ``strong``, ``em``, ``code``, ``ol``, ``li``; no style, no script.
        """
        fronts = "".join(f"<li>{flat(card.front)}</li>" for card in self.deck.cards)
        return (
            f"<strong>Flashcards: {html.escape(self.deck.title)}</strong> "
            f"<em>({len(self.deck.cards)} cards; only the fronts are shown here. Run this cell "
            "in Jupyter to review them.)</em>"
            f"<ol>{fronts}</ol>"
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {
            "text/plain": f"Flashcards: {self.deck.title} ({len(self.deck.cards)} cards)",
            "text/html": self.static_html(),
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2,
                "version_minor": 0,
                "model_id": self.widget.model_id,
            },
        }


def _due(entry: dict[str, Any]) -> datetime:
    when = progress.parse_time(entry["due"])
    if when is None:  # review() always writes a valid time
        raise ValueError(f"no due time in {entry}")
    return when
