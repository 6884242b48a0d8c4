"""Flashcard scheduling with FSRS (the maintained ``fsrs`` package): pure functions, no widgets.

A review is rated Again, Hard, Good or Easy, and :func:`review` hands the card's stored state
and the rating to ``fsrs.Scheduler.review_card``, unchanged: the new state and the next due
time are exactly what FSRS gives. The scheduler uses FSRS-6's default parameters, desired
retention 0.9, learning steps of 1 and 10 minutes, a relearning step of 10 minutes, and no
fuzzing (so "back in 3 days" is what the learner sees and the tests can check).

What the learner is shown (see :func:`review_queue`): cards due now, then new cards; when
neither is left, a card still in its learning steps may come back up to
:data:`LEARN_AHEAD` early (Anki's "learn ahead"), and FSRS's same-day formula decides what that
early review does. A card in review that is not due is never offered, so pressing Easy many
times cannot make a card "learned".

A card is **learned** when FSRS has it in the Review state with a stability of at least
:data:`LEARNED_STABILITY_DAYS` (21) days: FSRS then predicts you still recall it with 90 %
probability three weeks after the last review (21 days is also where Anki calls a card
"mature"). With the default parameters that takes at least two reviews on different days.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fsrs import Card, Rating, Scheduler, State

from course_utils.progress import CARD_RATINGS, CARD_STATES, MAX_STABILITY_DAYS, parse_time
from course_utils.progress.entries import latest_possible

SCHEDULER = Scheduler(enable_fuzzing=False)
LEARNED_STABILITY_DAYS = 21.0
LEARN_AHEAD = timedelta(minutes=20)
#: The four ratings, in button order.
RATINGS = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)

_STATE_NAMES = dict(zip((State.Learning, State.Review, State.Relearning), CARD_STATES, strict=True))
_STATES = {name: state for state, name in _STATE_NAMES.items()}
_RATING_NAMES = dict(zip(RATINGS, CARD_RATINGS, strict=True))


def rating_name(rating: Rating) -> str:
    """The stored, lower-case name of a rating (``"good"``)."""
    return _RATING_NAMES[Rating(rating)]


def to_card(entry: Mapping[str, Any] | None, now: datetime) -> Card:
    """The ``fsrs.Card`` for a stored entry (None: a new card, due at ``now``)."""
    if entry is None:
        return Card(card_id=0, due=now)
    last = entry.get("last_review")
    return Card(
        card_id=0,
        state=_STATES[entry["state"]],
        step=entry.get("step"),
        stability=entry.get("stability"),
        difficulty=entry.get("difficulty"),
        due=_utc(parse_time(entry["due"]) or now),
        last_review=_utc(parse_time(last)) if last else None,
    )


def _utc(when: datetime | None) -> datetime | None:
    return when.astimezone(UTC) if when is not None else None


def review(entry: Mapping[str, Any] | None, rating: Rating, now: datetime) -> dict[str, Any]:
    """The stored entry after rating the card at ``now`` (an aware UTC datetime).

    What FSRS gives, kept within what the store accepts: a stability above
    :data:`~course_utils.progress.MAX_STABILITY_DAYS` is that limit, and a due time past the
    store's last year is its latest time, so every state the store accepts can be rated.
    """
    card, _ = SCHEDULER.review_card(to_card(entry, now), Rating(rating), review_datetime=now)
    kept = {k: v for k, v in (entry or {}).items() if k not in _CARD_KEYS}
    stability = None if card.stability is None else min(card.stability, MAX_STABILITY_DAYS)
    return {
        **kept,
        "state": _STATE_NAMES[card.state],
        "step": card.step,
        "stability": stability,
        "difficulty": card.difficulty,
        "due": latest_possible(card.due),
        "last_review": card.last_review.isoformat() if card.last_review else None,
        "reviews": int((entry or {}).get("reviews", 0)) + 1,
        "last_rating": rating_name(rating),
    }


_CARD_KEYS = ("state", "step", "stability", "difficulty", "due", "last_review", "last_rating")


def due_at(entry: Mapping[str, Any] | None) -> datetime | None:
    """When a card is due (None for a new card, which is available at once)."""
    return None if entry is None else parse_time(entry["due"])


def is_new(entry: Mapping[str, Any] | None) -> bool:
    """Never reviewed (a migrated Leitner box-1 card counts as new)."""
    return entry is None or entry.get("stability") is None


def is_due(entry: Mapping[str, Any] | None, now: datetime) -> bool:
    """Reviewed before and due at ``now``."""
    when = due_at(entry)
    return not is_new(entry) and when is not None and when <= now


def is_learned(entry: Mapping[str, Any] | None) -> bool:
    """In review with a stability of at least :data:`LEARNED_STABILITY_DAYS` days."""
    return (
        entry is not None
        and entry.get("state") == "review"
        and float(entry.get("stability") or 0.0) >= LEARNED_STABILITY_DAYS
    )


def _in_steps(entry: Mapping[str, Any] | None) -> bool:
    return entry is not None and entry.get("state") in ("learning", "relearning")


def review_queue(
    keys: Sequence[str],
    states: Mapping[str, Mapping[str, Any]],
    now: datetime,
    seed: int,
    skipped: Sequence[str] = (),
) -> list[str]:
    """The cards to show, in order: due now, then new (each group in a ``seed``-ed shuffle).

    When none is left, cards in their learning steps that come due within
    :data:`LEARN_AHEAD`, soonest first. ``skipped`` cards go last, in the order skipped.
    """
    rank = list(keys)
    random.Random(seed).shuffle(rank)
    position = {key: i for i, key in enumerate(rank)}
    due = [k for k in rank if is_due(states.get(k), now)]
    new = [k for k in rank if is_new(states.get(k))]
    queue = due + new
    if not queue:
        soon = [
            k
            for k in keys
            if _in_steps(states.get(k)) and (due_at(states.get(k)) or now) <= now + LEARN_AHEAD
        ]
        queue = sorted(soon, key=lambda k: (due_at(states.get(k)) or now, position[k]))
    later = [k for k in skipped if k in queue]
    return [k for k in queue if k not in later] + later


@dataclass(frozen=True)
class DeckCounts:
    """What a deck looks like at one moment."""

    total: int
    new: int
    due: int
    learned: int
    next_due: datetime | None  # the soonest due time among cards not due now

    def line(self, now: datetime) -> str:
        """``"Due now: 2 · New: 5 · Learned: 1 of 12 · next review in 3 days"``."""
        text = f"Due now: {self.due} · New: {self.new} · Learned: {self.learned} of {self.total}"
        if self.next_due is not None:
            text += f" · next review {in_words(self.next_due - now)}"
        return text


def deck_counts(
    keys: Sequence[str], states: Mapping[str, Mapping[str, Any]], now: datetime
) -> DeckCounts:
    """Count the deck's new, due and learned cards at ``now``."""
    entries = [states.get(k) for k in keys]
    waiting = [due_at(e) for e in entries if e is not None and not is_new(e) and not is_due(e, now)]
    return DeckCounts(
        total=len(keys),
        new=sum(is_new(e) for e in entries),
        due=sum(is_due(e, now) for e in entries),
        learned=sum(is_learned(e) for e in entries),
        next_due=min((w for w in waiting if w is not None), default=None),
    )


def in_words(delta: timedelta) -> str:
    """A wait in words: ``"now"``, ``"in 1 minute"``, ``"in 10 minutes"``, ``"in 3 days"``."""
    seconds = delta.total_seconds()
    if seconds < 30:
        return "now"
    if seconds < 3600:
        count, unit = max(1, round(seconds / 60)), "minute"
    elif seconds < 86400:
        count, unit = round(seconds / 3600), "hour"
    elif seconds < 60 * 86400:  # under two months, days are clearer than months
        count, unit = round(seconds / 86400), "day"
    else:
        count, unit = round(seconds / (30 * 86400)), "month"
    return f"in {count} {unit}{'' if count == 1 else 's'}"
