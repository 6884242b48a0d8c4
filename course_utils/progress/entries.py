"""What a valid progress store is: its layout, the check of every entry, and the migration.

:func:`validate` turns parsed JSON into a clean store and the entries it set aside
(:class:`BadEntry`); :func:`check_card` checks one flashcard entry, migrating a version 1
Leitner entry with :func:`migrate_leitner`. Nothing here reads or writes a file (see
:mod:`course_utils.progress.store`). :class:`ProgressWarning` lives here because both the store
and :func:`course_utils.progress.merging.merge` warn with it.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from course_utils.messages import short

#: The layout version this code writes (a newer file keeps its own, higher number). Version 3
#: added the ``practice`` section; older files get an empty one when read.
STORE_VERSION = 3
SECTIONS = ("quizzes", "exercises", "flashcards", "practice")
#: Kinds of stored practice rounds (see :mod:`course_utils.progress.rounds`).
ROUND_KINDS = ("practice", "exam")
#: Exercise statuses, worst to best; a lesson's stored ``status`` is the best one reached.
EXERCISE_STATUSES = ("not attempted", "incorrect", "correct")
#: FSRS learning states, as stored (``fsrs.State`` 1, 2, 3).
CARD_STATES = ("learning", "review", "relearning")
CARD_RATINGS = ("again", "hard", "good", "easy")

#: Leitner boxes of version 1 files and their review intervals in days.
LEITNER_INTERVAL_DAYS = {1: 0, 2: 1, 3: 3, 4: 7, 5: 14}
#: The difficulty given to migrated Leitner cards: FSRS-6's initial difficulty after a first
#: "Good" with the default parameters (a test checks it against the ``fsrs`` package).
MIGRATED_DIFFICULTY = 2.118103970459016

#: Stored times must be timezone-aware ISO 8601 strings within these years.
_YEARS = (1970, 2999)
#: The latest time the store accepts: later due times are brought back to it.
LATEST_TIME = datetime(_YEARS[1], 12, 31, 23, 59, 59, tzinfo=UTC)

Store = dict[str, Any]


class ProgressWarning(UserWarning):
    """Progress could not be read or saved as usual; the course carries on."""


# A failed save must be seen every time, not once per code location.
warnings.filterwarnings("always", category=ProgressWarning)


def now() -> str:
    """The current time as an ISO 8601 UTC string (the format of every stored timestamp)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def empty_store() -> Store:
    """A store with no records."""
    return {
        "version": STORE_VERSION,
        "quizzes": {},
        "exercises": {},
        "flashcards": {},
        "practice": {},
    }


def best_status(a: str, b: str) -> str:
    """The further of two exercise statuses (correct > incorrect > not attempted)."""
    rank = {status: i for i, status in enumerate(EXERCISE_STATUSES)}
    return max(a, b, key=lambda s: rank.get(s, 0))


# --------------------------------------------------------------------------------------------
# Checking entries


@dataclass(frozen=True)
class BadEntry:
    """An entry that failed its check: where it was, why, and its value as found."""

    where: str
    reason: str
    value: Any


def parse_time(value: Any) -> datetime | None:
    """The aware datetime in a stored timestamp, or None when it is not a valid one."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is None or when.utcoffset() is None:
        return None
    return when if _YEARS[0] <= when.year <= _YEARS[1] else None


def latest_possible(when: datetime) -> str:
    """``when`` as stored, or :data:`LATEST_TIME` when it lies past the store's last year."""
    return when.isoformat() if when.year <= _YEARS[1] else LATEST_TIME.isoformat()


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_real(value: Any) -> bool:
    """A finite number that a float can hold (an integer of 400 digits is not one)."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


@dataclass(frozen=True)
class TooLongNumber:
    """A JSON integer with more digits than Python reads (over 4,300), kept as its text."""

    digits: str


def parse_int(text: str) -> int | TooLongNumber:
    """``int(text)``, or a :class:`TooLongNumber` (``json.loads``'s ``parse_int`` hook), so
    that one huge number sets aside its entry, not the whole file."""
    try:
        return int(text)
    except ValueError:
        return TooLongNumber(text)


def _has_nonfinite(value: Any, depth: int = 0) -> bool:
    """Whether a parsed JSON value holds NaN, an infinity or a :class:`TooLongNumber`."""
    if isinstance(value, TooLongNumber):
        return True
    if isinstance(value, float):
        return not math.isfinite(value)
    if depth > 200:
        return True
    if isinstance(value, dict):
        return any(_has_nonfinite(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(_has_nonfinite(v, depth + 1) for v in value)
    return False


def _check_keys(entry: Mapping[str, Any], rules: Mapping[str, Callable[[Any], bool]]) -> str:
    for key, ok in rules.items():
        if key in entry and not ok(entry[key]):
            return f"{key!r} is {short(entry[key])}, {_EXPECTED[ok]}"
    return ""


def _is_score(value: Any) -> bool:
    return _is_real(value) and 0.0 <= float(value) <= 1.0


def _is_time(value: Any) -> bool:
    return parse_time(value) is not None


def _is_time_or_none(value: Any) -> bool:
    return value is None or _is_time(value)


def _is_status(value: Any) -> bool:
    return value in EXERCISE_STATUSES


def _is_state(value: Any) -> bool:
    return value in CARD_STATES


def _is_rating(value: Any) -> bool:
    return value in CARD_RATINGS


def _is_round_kind(value: Any) -> bool:
    return value in ROUND_KINDS


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_names(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def _is_scores(value: Any) -> bool:
    return isinstance(value, dict) and all(_is_score(v) for v in value.values())


def _is_step(value: Any) -> bool:
    return value is None or _is_count(value)


#: The largest stability (days) accepted: far beyond FSRS's 100-year maximum interval, and
#: small enough that a review cannot overflow it to infinity.
MAX_STABILITY_DAYS = 1e7


def _is_stability(value: Any) -> bool:
    return value is None or (_is_real(value) and 0 < float(value) <= MAX_STABILITY_DAYS)


def _is_difficulty(value: Any) -> bool:
    return value is None or (_is_real(value) and 1.0 <= float(value) <= 10.0)


_EXPECTED: dict[Callable[[Any], bool], str] = {
    _is_count: "not a whole number ≥ 0",
    _is_score: "not a number from 0 to 1",
    _is_time: "not a timezone-aware ISO 8601 time",
    _is_time_or_none: "not a timezone-aware ISO 8601 time or null",
    _is_status: f"not one of {', '.join(EXERCISE_STATUSES)}",
    _is_state: f"not one of {', '.join(CARD_STATES)}",
    _is_rating: f"not one of {', '.join(CARD_RATINGS)}",
    _is_step: "not a whole number ≥ 0 or null",
    _is_stability: f"not a number in (0, {MAX_STABILITY_DAYS:g}] or null",
    _is_difficulty: "not a number from 1 to 10 or null",
    _is_round_kind: f"not one of {', '.join(ROUND_KINDS)}",
    _is_text: "not a string",
    _is_names: "not a list of non-empty strings",
    _is_scores: "not an object of numbers from 0 to 1",
}

_QUIZ_RULES = {
    "attempts": _is_count,
    "best": _is_score,
    "last": _is_score,
    "first_seen": _is_time,
    "last_seen": _is_time,
}
_EXERCISE_RULES = {
    "status": _is_status,
    "last_status": _is_status,
    "attempts": _is_count,
    "timestamp": _is_time,
}
_OPENED_RULES = {"first_seen": _is_time, "last_seen": _is_time}
_ROUND_RULES = {
    "kind": _is_round_kind,
    "number": _is_count,
    "size": _is_count,
    "scope": _is_text,
    "lessons": _is_names,
    "questions": _is_names,
    "scores": _is_scores,
    "attempts": _is_count,
    "started": _is_time,
    "last_seen": _is_time,
    "submitted": _is_time,
}
#: The groups of the ``practice`` section and the rules of their entries: lessons opened
#: (``{lesson: {"first_seen", "last_seen"}}``) and rounds drawn (``{round key: {...}}``).
PRACTICE_RULES = {"opened": _OPENED_RULES, "rounds": _ROUND_RULES}
_CARD_RULES = {
    "state": _is_state,
    "step": _is_step,
    "stability": _is_stability,
    "difficulty": _is_difficulty,
    "due": _is_time,
    "last_review": _is_time_or_none,
    "reviews": _is_count,
    "last_rating": _is_rating,
}


_NONFINITE = "it holds NaN, an infinity or a number of thousands of digits"


def _plain_problem(entry: Any, rules: Mapping[str, Callable[[Any], bool]]) -> str:
    if not isinstance(entry, dict):
        return f"it is {type(entry).__name__} {short(entry)}, not an object"
    if _has_nonfinite(entry):
        return _NONFINITE
    return _check_keys(entry, rules)


def card_problem(entry: Any) -> str:
    """Why a (version 2) flashcard entry is not a valid FSRS state ("" when it is)."""
    problem = _plain_problem(entry, _CARD_RULES)
    if problem:
        return problem
    for key in ("state", "due"):
        if key not in entry:
            return f"{key!r} is missing"
    memory = (entry.get("stability"), entry.get("difficulty"))
    if (memory[0] is None) != (memory[1] is None):
        return "'stability' and 'difficulty' must both be numbers or both null"
    if entry["state"] == "review":
        if entry.get("step") is not None:
            return "a card in review has no learning 'step'"
        if memory[0] is None:
            return "a card in review needs 'stability' and 'difficulty'"
    elif entry.get("step") is None:
        return f"a {entry['state']} card needs a learning 'step'"
    if entry["state"] == "relearning" and memory[0] is None:
        return "a relearning card needs 'stability' and 'difficulty'"
    return ""


def migrate_leitner(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The FSRS card state for a version 1 Leitner entry ``{"box": 1..5, "last_seen": time}``.

    Box 1 (never known, or missed last time) becomes a new card, due at once. Box k = 2..5
    becomes a card in review whose stability is the box's interval (1, 3, 7 or 14 days), due
    when the Leitner box would have brought it back (``last_seen`` + interval), last reviewed at
    ``last_seen``, with difficulty :data:`MIGRATED_DIFFICULTY`, and ``reviews`` = k - 1 (the
    "Knew it" answers the box records); a due time past the store's last year is brought back
    to :data:`LATEST_TIME`. The old entry is kept under ``"leitner"``.
    ValueError when the entry is not a valid Leitner entry.
    """
    box, seen = entry.get("box"), entry.get("last_seen")
    if not _is_count(box) or box not in LEITNER_INTERVAL_DAYS:
        raise ValueError(f"'box' is {short(box)}, not a whole number from 1 to 5")
    when = parse_time(seen)
    if when is None:
        raise ValueError(f"'last_seen' is {short(seen)}, {_EXPECTED[_is_time]}")
    days = LEITNER_INTERVAL_DAYS[box]
    old = {"box": box, "last_seen": seen}
    if box == 1:
        return {
            "state": "learning",
            "step": 0,
            "stability": None,
            "difficulty": None,
            "due": seen,
            "last_review": None,
            "reviews": 0,
            "leitner": old,
        }
    return {
        "state": "review",
        "step": None,
        "stability": float(days),
        "difficulty": MIGRATED_DIFFICULTY,
        "due": latest_possible(when + timedelta(days=days)),
        "last_review": seen,
        "reviews": box - 1,
        "leitner": old,
    }


def check_card(entry: Any) -> dict[str, Any]:
    """A valid flashcard entry: an FSRS state as it is, or a Leitner entry migrated.

    ValueError (with the reason) for anything else.
    """
    if isinstance(entry, dict) and "state" not in entry and "box" in entry:
        if _has_nonfinite(entry):
            raise ValueError(_NONFINITE)
        return migrate_leitner(entry)
    problem = card_problem(entry)
    if problem:
        raise ValueError(problem)
    return dict(entry)


def _nested(
    section: str, value: dict[str, Any], rules: Mapping[str, Callable[[Any], bool]]
) -> tuple[dict[str, Any], list[BadEntry]]:
    """The clean groups and the bad entries of a two-level section (quizzes, exercises)."""
    clean: dict[str, Any] = {}
    bad: list[BadEntry] = []
    for group, entries in value.items():
        if not isinstance(entries, dict):
            bad.append(BadEntry(f"{section}/{group}", "not an object", entries))
            continue
        kept = clean.setdefault(group, {})
        for key, entry in entries.items():
            problem = _plain_problem(entry, rules)
            if problem:
                bad.append(BadEntry(f"{section}/{group}/{key}", problem, entry))
            else:
                kept[key] = entry
    return clean, bad


def _practice(value: dict[str, Any]) -> tuple[dict[str, Any], list[BadEntry]]:
    """The clean ``practice`` section and its bad entries; unknown groups are kept as they are."""
    clean: dict[str, Any] = {}
    bad: list[BadEntry] = []
    for group, entries in value.items():
        rules = PRACTICE_RULES.get(group)
        if rules is None and _has_nonfinite(entries):
            bad.append(BadEntry(f"practice/{group}", "it holds NaN or an infinity", entries))
            continue
        if rules is None:
            clean[group] = entries
            continue
        found, problems = _nested("practice", {group: entries}, rules)
        clean.update(found)
        bad.extend(problems)
    return clean, bad


def validate(data: Any) -> tuple[Store, list[BadEntry]]:
    """A clean store from parsed JSON and the entries that were set aside.

    ValueError when ``data`` is not a JSON object (the whole file is unusable). Unknown
    sections and unknown keys inside entries are kept as they are.
    """
    if not isinstance(data, dict):
        raise ValueError("the top level is not a JSON object")
    bad: list[BadEntry] = []
    store: Store = {}
    for key, value in data.items():
        if key in ("version", *SECTIONS):
            continue
        if _has_nonfinite(value):
            bad.append(BadEntry(key, _NONFINITE, value))
        else:
            store[key] = value
    version = data.get("version", 1)
    if not _is_count(version) or version < 1:
        bad.append(BadEntry("version", "not a whole number ≥ 1", version))
        version = 1
    store["version"] = max(version, STORE_VERSION)
    for section in SECTIONS:
        value = data.get(section, {})
        if not isinstance(value, dict):
            bad.append(BadEntry(section, "not an object", value))
            value = {}
        if section == "flashcards":
            cards: dict[str, Any] = {}
            for key, entry in value.items():
                try:
                    cards[key] = check_card(entry)
                except ValueError as err:
                    bad.append(BadEntry(f"flashcards/{key}", str(err), entry))
            store[section] = cards
        elif section == "practice":
            store[section], found = _practice(value)
            bad.extend(found)
        else:
            rules = _QUIZ_RULES if section == "quizzes" else _EXERCISE_RULES
            clean, found = _nested(section, value, rules)
            store[section] = clean
            bad.extend(found)
    return store, bad


def describe(bad: list[BadEntry]) -> str:
    """The first bad entry in words, and how many more there are."""
    first = bad[0]
    more = f" and {len(bad) - 1} more" if len(bad) > 1 else ""
    return f"{first.where} ({first.reason}){more}"
