"""Merging two progress stores: best scores and statuses, most attempts, newest times win.

Practice rounds: the newer round's questions, the best score of each question.

Used by :func:`course_utils.progress.store.import_` and by a save that follows a failed one
(the records kept in memory are merged into the file's).
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from course_utils.progress.entries import (
    ProgressWarning,
    Store,
    best_status,
    describe,
    parse_time,
    validate,
)

_NEVER = datetime(1, 1, 1, tzinfo=UTC)


def _when(entry: Mapping[str, Any], key: str) -> datetime:
    return parse_time(entry.get(key)) or _NEVER


def _newer_first(a: dict[str, Any], b: dict[str, Any], key: str) -> dict[str, Any]:
    """The two entries' keys combined, the later one's (by ``key``, ``a`` on a tie) winning."""
    older, newer = (a, b) if _when(b, key) > _when(a, key) else (b, a)
    return {**older, **newer}


def _merge_quiz(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    merged = _merge_opened(a, b)
    merged["attempts"] = max(a.get("attempts", 0), b.get("attempts", 0))
    merged["best"] = max(a.get("best", 0.0), b.get("best", 0.0))
    return merged


def _merge_exercise(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    merged = _newer_first(a, b, "timestamp")
    merged["attempts"] = max(a.get("attempts", 0), b.get("attempts", 0))
    merged["status"] = best_status(a.get("status", ""), b.get("status", ""))
    return merged


def _merge_card(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    return dict(b if _when(b, "last_review") > _when(a, "last_review") else a)


def _merge_opened(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    merged = _newer_first(a, b, "last_seen")
    firsts = [e["first_seen"] for e in (a, b) if "first_seen" in e]
    if firsts:
        merged["first_seen"] = min(firsts, key=lambda stamp: _when({"t": stamp}, "t"))
    return merged


def _merge_round(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """The newer round's questions and times, the best score of each question, most attempts."""
    merged = _newer_first(a, b, "last_seen")
    scores = dict(a.get("scores", {}))
    for key, score in b.get("scores", {}).items():
        scores[key] = max(score, scores.get(key, 0.0))
    if scores:
        merged["scores"] = scores
    if "attempts" in a or "attempts" in b:
        merged["attempts"] = max(a.get("attempts", 0), b.get("attempts", 0))
    return merged


_PRACTICE_MERGES = {"opened": _merge_opened, "rounds": _merge_round}


def _merge_practice(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    """Merge ``theirs`` practice section into ``ours`` (in place); unknown groups: ours win."""
    for group, entries in theirs.items():
        merge_entry = _PRACTICE_MERGES.get(group)
        if merge_entry is None:
            ours.setdefault(group, copy.deepcopy(entries))
            continue
        target = ours.setdefault(group, {})
        for key, entry in entries.items():
            target[key] = merge_entry(target[key], entry) if key in target else entry


def merge_clean(ours: Store, theirs: Store) -> Store:
    """Merge two stores already checked by :func:`~course_utils.progress.entries.validate`."""
    merged = copy.deepcopy(ours)
    for section, merge_entry in (("quizzes", _merge_quiz), ("exercises", _merge_exercise)):
        for group, entries in theirs[section].items():
            target = merged[section].setdefault(group, {})
            for key, entry in entries.items():
                target[key] = merge_entry(target[key], entry) if key in target else entry
    for card, entry in theirs["flashcards"].items():
        mine = merged["flashcards"].get(card)
        merged["flashcards"][card] = _merge_card(mine, entry) if mine else copy.deepcopy(entry)
    _merge_practice(merged["practice"], copy.deepcopy(theirs["practice"]))
    for key, value in theirs.items():
        if key not in merged:
            merged[key] = copy.deepcopy(value)
    merged["version"] = max(ours["version"], theirs["version"])
    return merged


def merge(ours: Any, theirs: Any) -> Store:
    """Merge two stores: best scores and statuses, most attempts, newest times win.

    Times are compared as times (``+02:00`` and ``Z`` alike). Both stores are checked first; a
    bad entry is left out with a :class:`ProgressWarning`. ValueError when either is not a
    JSON object at all.
    """
    (clean_ours, bad_ours), (clean_theirs, bad_theirs) = validate(ours), validate(theirs)
    bad = bad_ours + bad_theirs
    if bad:
        warnings.warn(f"merge left out {len(bad)} bad entries: {describe(bad)}", ProgressWarning, 2)
    return merge_clean(clean_ours, clean_theirs)
