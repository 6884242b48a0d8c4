"""The learner's progress: one JSON file of quiz scores, exercise results and flashcard states.

The store lives at ``platformdirs.user_data_dir("dl-architectures-hands-on")/progress.json``;
set ``COURSE_PROGRESS_DIR`` to keep it elsewhere. A relative ``COURSE_PROGRESS_DIR`` is taken
relative to the working folder at the store's first use in the kernel (normally the notebook's
folder) and stays there for the rest of the session, even if the code changes folder later.
On Google Colab, keep it on Drive so it survives the session::

    from google.colab import drive; drive.mount("/content/drive")
    import os; os.environ["COURSE_PROGRESS_DIR"] = "/content/drive/MyDrive/dl-course"

Layout of the file (version 2)::

    {"version": 2,
     "quizzes": {quiz_id: {question_id: {"attempts", "best", "last", "first_seen", "last_seen"}}},
     "exercises": {lesson: {name: {"status", "last_status", "attempts", "timestamp"}}},
     "flashcards": {"lesson/card_id": {"state", "step", "stability", "difficulty", "due",
                                       "last_review", "reviews", "last_rating"}}}

Flashcard entries are FSRS card states (see :mod:`course_utils.flashcards.schedule`). Version 1
files kept Leitner boxes (``{"box", "last_seen"}``); they are migrated on reading (see
:func:`migrate_leitner`) and the old box is kept under ``"leitner"`` in the entry.

What the store promises:

- Every change is a read-modify-write under a file lock (two kernels writing at once lose
  nothing), written to a temporary file in the same folder and renamed over the old one (a crash
  never leaves half a file). A ``progress.json`` that is a symbolic link (e.g. to a file on
  Google Drive) is written through: the link stays a link.
- A file that is not JSON is moved aside to ``progress.json.corrupt-<time>`` with a warning.
  Every entry is checked (types, finite scores, timezone-aware times); a bad entry is moved
  into a ``progress.json.corrupt-<time>`` file with a warning and the rest is kept.
- Sections and keys the store does not know (a file written by a newer course version) are
  kept on every save, and so is the newer version number.
- When a save fails (unwritable folder, full disk, the lock held past its timeout), the record
  is kept in memory, a :class:`ProgressWarning` says so on every failed save (and
  :func:`save_problem` gives the reason to widgets), every later save tries the disk again, and
  the records kept in memory are written as soon as saving works.
"""

from __future__ import annotations

import copy
import json
import math
import numbers
import os
import tempfile
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import platformdirs
from filelock import FileLock

APP_NAME = "dl-architectures-hands-on"
FILE_NAME = "progress.json"
#: The layout version this code writes (a newer file keeps its own, higher number).
STORE_VERSION = 2
SECTIONS = ("quizzes", "exercises", "flashcards")
LOCK_TIMEOUT_S = 30.0
#: Lock timeout while saving is failing, so a lock held elsewhere does not stall every click.
RETRY_LOCK_TIMEOUT_S = 2.0
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

T = TypeVar("T")
Store = dict[str, Any]

_PENDING: dict[Path, Store] = {}  # records kept in memory because the last save failed
_PROBLEM: dict[Path, str] = {}  # why, for save_problem()
_RESOLVED: dict[str, Path] = {}  # COURSE_PROGRESS_DIR values made absolute at first use


class ProgressWarning(UserWarning):
    """Progress could not be read or saved as usual; the course carries on."""


# A failed save must be seen every time, not once per code location.
warnings.filterwarnings("always", category=ProgressWarning)


def store_path() -> Path:
    """Where progress is saved: ``$COURSE_PROGRESS_DIR/progress.json`` or the user data dir.

    A relative folder is made absolute against the working folder the first time it is used.
    """
    folder = os.environ.get("COURSE_PROGRESS_DIR") or platformdirs.user_data_dir(APP_NAME)
    if folder not in _RESOLVED:
        _RESOLVED[folder] = Path(folder).expanduser().absolute()
    return _RESOLVED[folder] / FILE_NAME


def now() -> str:
    """The current time as an ISO 8601 UTC string (the format of every stored timestamp)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def save_problem() -> str | None:
    """Why progress is not being saved right now (None when the last save worked).

    Widgets show this next to their verdict: a warning printed from a button's callback does
    not reach the notebook cell in JupyterLab.
    """
    return _PROBLEM.get(store_path())


def _empty() -> Store:
    return {"version": STORE_VERSION, "quizzes": {}, "exercises": {}, "flashcards": {}}


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


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_real(value: Any) -> bool:
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _has_nonfinite(value: Any, depth: int = 0) -> bool:
    """Whether a parsed JSON value holds NaN or an infinity anywhere (JSON has neither)."""
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
            return f"{key!r} is {_short(entry[key])}, {_EXPECTED[ok]}"
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


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _plain_problem(entry: Any, rules: Mapping[str, Callable[[Any], bool]]) -> str:
    if not isinstance(entry, dict):
        return f"it is {type(entry).__name__} {_short(entry)}, not an object"
    if _has_nonfinite(entry):
        return "it holds NaN or an infinity"
    return _check_keys(entry, rules)


def _card_problem(entry: Any) -> str:
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
    "Knew it" answers the box records). The old entry is kept under ``"leitner"``.
    ValueError when the entry is not a valid Leitner entry.
    """
    box, seen = entry.get("box"), entry.get("last_seen")
    if not _is_count(box) or box not in LEITNER_INTERVAL_DAYS:
        raise ValueError(f"'box' is {_short(box)}, not a whole number from 1 to 5")
    when = parse_time(seen)
    if when is None:
        raise ValueError(f"'last_seen' is {_short(seen)}, {_EXPECTED[_is_time]}")
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
        "due": (when + timedelta(days=days)).isoformat(),
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
            raise ValueError("it holds NaN or an infinity")
        return migrate_leitner(entry)
    problem = _card_problem(entry)
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
            bad.append(BadEntry(key, "it holds NaN or an infinity", value))
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
        else:
            rules = _QUIZ_RULES if section == "quizzes" else _EXERCISE_RULES
            clean, found = _nested(section, value, rules)
            store[section] = clean
            bad.extend(found)
    return store, bad


def _describe(bad: list[BadEntry]) -> str:
    first = bad[0]
    more = f" and {len(bad) - 1} more" if len(bad) > 1 else ""
    return f"{first.where} ({first.reason}){more}"


def _unique_name(path: Path, tag: str) -> Path:
    stamp = f"{datetime.now():%Y%m%d-%H%M%S-%f}"
    candidate = path.with_name(f"{path.name}.{tag}-{stamp}")
    counter = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.{tag}-{stamp}-{counter}")
        counter += 1
    return candidate


def _set_aside(path: Path, bad: list[BadEntry], origin: Path) -> Path:
    """Write the bad entries into a ``.corrupt-<time>`` file beside ``path``."""
    target = _unique_name(path, "corrupt")
    record = {
        "about": "Entries set aside from a progress file because they failed their check.",
        "file": str(origin),
        "moved_at": now(),
        "entries": [{"where": b.where, "reason": b.reason, "value": b.value} for b in bad],
    }
    _write_atomic(target, json.dumps(record, indent=1, default=repr))
    return target


def _warn(message: str) -> None:
    warnings.warn(message, ProgressWarning, stacklevel=4)


# --------------------------------------------------------------------------------------------
# Reading and writing


def _target(path: Path) -> Path:
    """The file really written: the end of a chain of symbolic links, or ``path`` itself."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _dumps(store: Store) -> str:
    return json.dumps(store, indent=1, sort_keys=True, allow_nan=False)


def _read(path: Path, *, quarantine: bool) -> tuple[Store, bool]:
    """The clean store in ``path`` and whether the file must be rewritten (entries set aside).

    A file that is not a JSON object is moved aside (``quarantine``) or ignored; bad entries
    are copied into a ``.corrupt-<time>`` file (``quarantine``) or just dropped; both warn.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return _empty(), False
    try:
        data = json.loads(raw.decode("utf-8"))
        store, bad = validate(data)
    except (ValueError, RecursionError) as err:  # JSONDecodeError, UnicodeDecodeError
        reason = f"{path} is not a valid progress file ({type(err).__name__}: {_cut(err)})"
        if quarantine:
            backup = _unique_name(path, "corrupt")
            os.replace(path, backup)
            reason += f"; it was moved to {backup}"
        _warn(f"{reason}. Starting with empty progress.")
        return _empty(), False
    if not bad:
        return store, False
    if quarantine:
        aside = _set_aside(path, bad, path)
        _warn(
            f"{len(bad)} bad entr{'y' if len(bad) == 1 else 'ies'} in {path}: {_describe(bad)}. "
            f"Moved to {aside}; the rest of your progress is kept."
        )
    else:
        _warn(f"Ignoring {len(bad)} bad entries in {path}: {_describe(bad)}.")
    return store, True


def _cut(err: BaseException) -> str:
    text = str(err)
    return text if len(text) <= 200 else text[:197] + "..."


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _transaction(change: Callable[[Store], T], *, write: bool = True) -> T:
    """Apply ``change`` to the store under the file lock and save the result atomically.

    Records kept in memory after an earlier failed save are merged in and written first.
    """
    path = store_path()
    pending = _PENDING.get(path)
    try:
        target = _target(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        timeout = LOCK_TIMEOUT_S if pending is None else RETRY_LOCK_TIMEOUT_S
        with FileLock(f"{target}.lock", timeout=timeout):
            store, dirty = _read(target, quarantine=True)
            if pending is not None:
                store = _merge_clean(store, pending)
            result = change(store)
            if write or dirty or pending is not None:
                _write_atomic(target, _dumps(store))
    except OSError as err:  # unwritable folder, a file in the way, full disk, lock timeout
        return _keep_in_memory(path, change, err, write=write)
    if pending is not None:
        _PENDING.pop(path, None)
        _PROBLEM.pop(path, None)
        _warn(f"Progress is saved again in {path}, with everything kept in memory meanwhile.")
    return result


def _keep_in_memory(path: Path, change: Callable[[Store], T], err: OSError, *, write: bool) -> T:
    """Apply ``change`` to the in-memory store of ``path`` and say that nothing was saved."""
    if path not in _PENDING:
        try:
            _PENDING[path] = _read(_target(path), quarantine=False)[0]
        except OSError:
            _PENDING[path] = _empty()
    result = change(_PENDING[path])
    why = f"{type(err).__name__}: {_cut(err)}" if str(err) else type(err).__name__
    _PROBLEM[path] = (
        f"Progress is NOT being saved to {path} ({why}). It is kept in memory and written "
        "there at the next save that works; set COURSE_PROGRESS_DIR to a writable folder "
        "if this persists."
    )
    if write:
        _warn(_PROBLEM[path])
    return result


# --------------------------------------------------------------------------------------------
# The public interface


def load() -> Store:
    """A copy of the whole store (see the module docstring for its layout)."""
    return _transaction(copy.deepcopy, write=False)


def _checked_score(score: Any) -> float:
    if not isinstance(score, numbers.Real) or isinstance(score, bool):
        raise ValueError(f"score must be a number from 0 to 1, not {_short(score)}")
    value = float(score)
    if not math.isfinite(value):
        raise ValueError(f"score must be a finite number from 0 to 1, not {value}")
    if not -1e-9 <= value <= 1 + 1e-9:
        raise ValueError(f"score must be a number from 0 to 1, not {value}")
    return min(max(value, 0.0), 1.0)


def record_quiz(quiz: str, question: str, score: float) -> dict[str, Any]:
    """Record one checked answer (``score`` in [0, 1]); returns the question's updated entry.

    ValueError for a score that is not a finite number from 0 to 1 (nothing is recorded).
    """
    value = _checked_score(score)

    def change(store: Store) -> dict[str, Any]:
        stamp = now()
        entry = (
            store["quizzes"]
            .setdefault(str(quiz), {})
            .setdefault(str(question), {"attempts": 0, "best": 0.0, "first_seen": stamp})
        )
        entry["attempts"] = entry.get("attempts", 0) + 1
        entry["best"] = max(float(entry.get("best", 0.0)), value)
        entry["last"] = value
        entry["last_seen"] = stamp
        entry.setdefault("first_seen", stamp)
        return dict(entry)

    return _transaction(change)


def record_exercise(lesson: str, name: str, status: str) -> dict[str, Any]:
    """Record one exercise check; ``status`` is one of :data:`EXERCISE_STATUSES`."""
    if status not in EXERCISE_STATUSES:
        raise ValueError(f"status must be one of {EXERCISE_STATUSES}, not {status!r}")

    def change(store: Store) -> dict[str, Any]:
        entry = (
            store["exercises"]
            .setdefault(str(lesson), {})
            .setdefault(str(name), {"status": "not attempted", "attempts": 0})
        )
        if status != "not attempted":
            entry["attempts"] = entry.get("attempts", 0) + 1
        entry["status"] = _best_status(entry.get("status", "not attempted"), status)
        entry["last_status"] = status
        entry["timestamp"] = now()
        return dict(entry)

    return _transaction(change)


def update_card(
    card: str, update: Callable[[dict[str, Any] | None], dict[str, Any]]
) -> dict[str, Any]:
    """Replace a flashcard's state with ``update(current state or None)``, under the lock.

    ``card`` is ``"lesson/card_id"``. The new state must be a valid FSRS entry (see the module
    docstring); ValueError otherwise, and nothing is saved. Returns the saved entry.
    """

    def change(store: Store) -> dict[str, Any]:
        current = store["flashcards"].get(card)
        new = update(copy.deepcopy(current) if current is not None else None)
        problem = _card_problem(new)
        if problem:
            raise ValueError(f"not a valid flashcard state for {card}: {problem}")
        store["flashcards"][str(card)] = dict(new)
        return dict(new)

    return _transaction(change)


def _best_status(a: str, b: str) -> str:
    rank = {status: i for i, status in enumerate(EXERCISE_STATUSES)}
    return max(a, b, key=lambda s: rank.get(s, 0))


_NEVER = datetime(1, 1, 1, tzinfo=UTC)


def _when(entry: Mapping[str, Any], key: str) -> datetime:
    return parse_time(entry.get(key)) or _NEVER


def _newer_first(a: dict[str, Any], b: dict[str, Any], key: str) -> dict[str, Any]:
    """The two entries' keys combined, the later one's (by ``key``, ``a`` on a tie) winning."""
    older, newer = (a, b) if _when(b, key) > _when(a, key) else (b, a)
    return {**older, **newer}


def _merge_quiz(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    merged = _newer_first(a, b, "last_seen")
    merged["attempts"] = max(a.get("attempts", 0), b.get("attempts", 0))
    merged["best"] = max(a.get("best", 0.0), b.get("best", 0.0))
    firsts = [e["first_seen"] for e in (a, b) if "first_seen" in e]
    if firsts:
        merged["first_seen"] = min(firsts, key=lambda stamp: _when({"t": stamp}, "t"))
    return merged


def _merge_exercise(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    merged = _newer_first(a, b, "timestamp")
    merged["attempts"] = max(a.get("attempts", 0), b.get("attempts", 0))
    merged["status"] = _best_status(a.get("status", ""), b.get("status", ""))
    return merged


def _merge_card(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    return dict(b if _when(b, "last_review") > _when(a, "last_review") else a)


def _merge_clean(ours: Store, theirs: Store) -> Store:
    merged = copy.deepcopy(ours)
    for section, merge_entry in (("quizzes", _merge_quiz), ("exercises", _merge_exercise)):
        for group, entries in theirs[section].items():
            target = merged[section].setdefault(group, {})
            for key, entry in entries.items():
                target[key] = merge_entry(target[key], entry) if key in target else entry
    for card, entry in theirs["flashcards"].items():
        mine = merged["flashcards"].get(card)
        merged["flashcards"][card] = _merge_card(mine, entry) if mine else copy.deepcopy(entry)
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
        warnings.warn(
            f"merge left out {len(bad)} bad entries: {_describe(bad)}", ProgressWarning, 2
        )
    return _merge_clean(clean_ours, clean_theirs)


def export(path: str | os.PathLike[str]) -> Path:
    """Save a copy of your progress to ``path`` (e.g. to move it to another machine).

    On Colab you can instead keep the store itself on Google Drive::

        from google.colab import drive; drive.mount("/content/drive")
        os.environ["COURSE_PROGRESS_DIR"] = "/content/drive/MyDrive/dl-course"
    """
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(_target(target), _dumps(load()))
    return target


def import_(path: str | os.PathLike[str]) -> Store:
    """Merge a file written by :func:`export` into your progress; returns the merged store.

    Nothing is lost: for each question the best score and the most attempts are kept, for each
    exercise the best status, and for each flashcard the most recent review. Bad entries of the
    imported file are left out, copied into a ``progress.json.corrupt-<time>`` file beside your
    store, with a warning. To pick up progress saved on Google Drive from Colab::

        from google.colab import drive; drive.mount("/content/drive")
        progress.import_("/content/drive/MyDrive/dl-course/progress.json")
    """
    source = Path(path).expanduser()
    try:
        theirs, bad = validate(json.loads(source.read_text(encoding="utf-8")))
    except (ValueError, RecursionError) as err:
        raise ValueError(f"{source} is not a progress file: {_cut(err)}") from None
    if bad:
        store = store_path()
        try:
            store.parent.mkdir(parents=True, exist_ok=True)
            where = f"moved to {_set_aside(_target(store), bad, source)}"
        except OSError as err:
            where = f"not copied anywhere ({type(err).__name__}: {err})"
        _warn(f"Left out {len(bad)} bad entries of {source}: {_describe(bad)}; {where}.")

    def change(store: Store) -> Store:
        merged = _merge_clean(store, theirs)
        store.clear()
        store.update(merged)
        return copy.deepcopy(merged)

    return _transaction(change)
