"""Leitner boxes: a card known moves up one box, a card missed goes back to box 1.

A card in box ``k`` is due again ``INTERVAL_DAYS[k]`` days after its last review; new cards
are in box 1 and due at once. Pure functions, no widgets.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

BOXES = (1, 2, 3, 4, 5)
INTERVAL_DAYS = {1: 0, 2: 1, 3: 3, 4: 7, 5: 14}

#: A flashcard counts as mastered from this box on (box 4 = reviewed after a 3-day wait and
#: known again; box 5 is the last box).
MASTERED_BOX = 4


def box_of(state: Mapping[str, Any] | None) -> int:
    """The box recorded in a card's progress ``state`` (box 1 for a new card), kept in 1..5."""
    try:
        box = int((state or {}).get("box", 1))
    except (TypeError, ValueError):
        box = 1
    return min(max(box, BOXES[0]), BOXES[-1])


def knew_it(box: int) -> int:
    """The box after a correct review: one up, at most 5."""
    return min(box + 1, BOXES[-1])


def again(box: int) -> int:
    """The box after a missed review: back to box 1, whichever box ``box`` was."""
    return BOXES[0]


def due_at(box: int, last_seen: str | None) -> datetime | None:
    """When a card is next due (None: never reviewed, so due now)."""
    if not last_seen:
        return None
    return datetime.fromisoformat(last_seen) + timedelta(days=INTERVAL_DAYS[box])


def is_due(state: Mapping[str, Any] | None, now: datetime) -> bool:
    """Whether a card with progress ``state`` (``{"box", "last_seen"}``) is due at ``now``."""
    if not state:
        return True
    when = due_at(box_of(state), state.get("last_seen"))
    return when is None or when <= now


def review_order(
    keys: Sequence[str], states: Mapping[str, Mapping[str, Any]], now: datetime, seed: int
) -> list[str]:
    """Card keys to review: due cards first, then the rest, each group shuffled with ``seed``."""
    rng = random.Random(seed)
    due = [k for k in keys if is_due(states.get(k), now)]
    later = [k for k in keys if not is_due(states.get(k), now)]
    rng.shuffle(due)
    rng.shuffle(later)
    return due + later


def box_counts(keys: Sequence[str], states: Mapping[str, Mapping[str, Any]]) -> dict[int, int]:
    """How many of the cards are in each box."""
    counts = dict.fromkeys(BOXES, 0)
    for key in keys:
        counts[box_of(states.get(key))] += 1
    return counts
