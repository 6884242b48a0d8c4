"""The learner's progress: one JSON file of quiz scores, exercise results and flashcard boxes.

The store lives at ``platformdirs.user_data_dir("dl-architectures-hands-on")/progress.json``;
set ``COURSE_PROGRESS_DIR`` to keep it elsewhere. On Google Colab, keep it on Drive so it
survives the session::

    from google.colab import drive; drive.mount("/content/drive")
    import os; os.environ["COURSE_PROGRESS_DIR"] = "/content/drive/MyDrive/dl-course"

Layout of the file::

    {"version": 1,
     "quizzes": {quiz_id: {question_id: {"attempts", "best", "last", "first_seen", "last_seen"}}},
     "exercises": {lesson: {name: {"status", "last_status", "attempts", "timestamp"}}},
     "flashcards": {"lesson/card_id": {"box", "last_seen"}}}

Every change is a read-modify-write under a file lock (two kernels writing at once lose
nothing), written to a temporary file in the same folder and renamed over the old one (a crash
never leaves half a file). A corrupt file is moved aside to ``progress.json.corrupt-<time>``
with a warning; an unwritable folder gives one warning and progress is kept in memory.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import platformdirs
from filelock import FileLock

APP_NAME = "dl-architectures-hands-on"
FILE_NAME = "progress.json"
LOCK_TIMEOUT_S = 30.0
#: Exercise statuses, worst to best; a lesson's stored ``status`` is the best one reached.
EXERCISE_STATUSES = ("not attempted", "incorrect", "correct")

T = TypeVar("T")
Store = dict[str, Any]

_MEMORY: dict[Path, Store] = {}  # stores kept in memory because their folder is unwritable


class ProgressWarning(UserWarning):
    """Progress could not be read or saved as usual; the course carries on."""


def store_path() -> Path:
    """Where progress is saved: ``$COURSE_PROGRESS_DIR/progress.json`` or the user data dir."""
    folder = os.environ.get("COURSE_PROGRESS_DIR") or platformdirs.user_data_dir(APP_NAME)
    return Path(folder).expanduser() / FILE_NAME


def now() -> str:
    """The current time as an ISO 8601 UTC string (the format of every stored timestamp)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _empty() -> Store:
    return {"version": 1, "quizzes": {}, "exercises": {}, "flashcards": {}}


def _parse(text: str) -> Store:
    """The store in ``text``; ValueError when it is not a progress store."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("the top level is not a JSON object")
    store = _empty()
    for section in ("quizzes", "exercises", "flashcards"):
        value = data.get(section, {})
        if not isinstance(value, dict):
            raise ValueError(f"'{section}' is not a JSON object")
        store[section] = value
    return store


def _read(path: Path, *, quarantine: bool) -> Store:
    """Read the store; a corrupt file is moved aside (``quarantine``) or ignored, with a warning."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return _empty()
    try:
        return _parse(raw.decode("utf-8"))
    except ValueError as err:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        reason = f"{path} is not a valid progress file ({err})"
        if quarantine:
            backup = path.with_name(f"{path.name}.corrupt-{datetime.now():%Y%m%d-%H%M%S-%f}")
            os.replace(path, backup)
            reason += f"; it was moved to {backup}"
        warnings.warn(f"{reason}. Starting with empty progress.", ProgressWarning, stacklevel=4)
        return _empty()


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


def _memory_store(path: Path, err: OSError) -> Store:
    """Switch ``path`` to an in-memory store (warning once), seeded from the file if readable."""
    if path not in _MEMORY:
        warnings.warn(
            f"Cannot save progress to {path} ({type(err).__name__}: {err}). Progress is kept "
            "in memory for this session only; set COURSE_PROGRESS_DIR to a writable folder "
            "to keep it.",
            ProgressWarning,
            stacklevel=4,
        )
        try:
            _MEMORY[path] = _read(path, quarantine=False)
        except OSError:
            _MEMORY[path] = _empty()
    return _MEMORY[path]


def _transaction(change: Callable[[Store], T], *, write: bool = True) -> T:
    """Apply ``change`` to the store under the file lock and save the result atomically."""
    path = store_path()
    if path in _MEMORY:
        return change(_MEMORY[path])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(f"{path}.lock", timeout=LOCK_TIMEOUT_S):
            store = _read(path, quarantine=True)
            result = change(store)
            if write:
                _write_atomic(path, json.dumps(store, indent=1, sort_keys=True))
        return result
    except OSError as err:  # unwritable folder, a file in the way, lock timeout
        return change(_memory_store(path, err))


def load() -> Store:
    """A copy of the whole store (see the module docstring for its layout)."""
    return _transaction(copy.deepcopy, write=False)


def record_quiz(quiz: str, question: str, score: float) -> dict[str, Any]:
    """Record one checked answer (``score`` in [0, 1]); returns the question's updated entry."""

    def change(store: Store) -> dict[str, Any]:
        stamp = now()
        entry = (
            store["quizzes"]
            .setdefault(quiz, {})
            .setdefault(question, {"attempts": 0, "best": 0.0, "first_seen": stamp})
        )
        entry["attempts"] = entry.get("attempts", 0) + 1
        entry["best"] = max(float(entry.get("best", 0.0)), float(score))
        entry["last"] = float(score)
        entry["last_seen"] = stamp
        return dict(entry)

    return _transaction(change)


def record_exercise(lesson: str, name: str, status: str) -> dict[str, Any]:
    """Record one exercise check; ``status`` is one of :data:`EXERCISE_STATUSES`."""
    if status not in EXERCISE_STATUSES:
        raise ValueError(f"status must be one of {EXERCISE_STATUSES}, not {status!r}")

    def change(store: Store) -> dict[str, Any]:
        entry = (
            store["exercises"]
            .setdefault(lesson, {})
            .setdefault(name, {"status": "not attempted", "attempts": 0})
        )
        if status != "not attempted":
            entry["attempts"] = entry.get("attempts", 0) + 1
        entry["status"] = _best_status(entry.get("status", "not attempted"), status)
        entry["last_status"] = status
        entry["timestamp"] = now()
        return dict(entry)

    return _transaction(change)


def record_card(card: str, box: int) -> dict[str, Any]:
    """Record a flashcard review: ``card`` is ``"lesson/card_id"``, ``box`` its new box."""

    def change(store: Store) -> dict[str, Any]:
        store["flashcards"][card] = {"box": int(box), "last_seen": now()}
        return dict(store["flashcards"][card])

    return _transaction(change)


def _best_status(a: str, b: str) -> str:
    rank = {status: i for i, status in enumerate(EXERCISE_STATUSES)}
    return max(a, b, key=lambda s: rank.get(s, 0))


def _newer(a: dict[str, Any], b: dict[str, Any], key: str) -> dict[str, Any]:
    """Whichever of two entries has the later timestamp under ``key`` (``a`` on a tie)."""
    return b if str(b.get(key, "")) > str(a.get(key, "")) else a


def _merge_quiz(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    merged = dict(_newer(a, b, "last_seen"))
    merged["attempts"] = max(a.get("attempts", 0), b.get("attempts", 0))
    merged["best"] = max(a.get("best", 0.0), b.get("best", 0.0))
    firsts = [e["first_seen"] for e in (a, b) if e.get("first_seen")]
    if firsts:
        merged["first_seen"] = min(firsts)
    return merged


def _merge_exercise(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    merged = dict(_newer(a, b, "timestamp"))
    merged["attempts"] = max(a.get("attempts", 0), b.get("attempts", 0))
    merged["status"] = _best_status(a.get("status", ""), b.get("status", ""))
    return merged


def merge(ours: Store, theirs: Store) -> Store:
    """Merge two stores: best scores and statuses, most attempts, newest timestamps win."""
    merged = copy.deepcopy(ours)
    for section, merge_entry in (("quizzes", _merge_quiz), ("exercises", _merge_exercise)):
        for group, entries in theirs[section].items():
            target = merged[section].setdefault(group, {})
            for key, entry in entries.items():
                target[key] = merge_entry(target[key], entry) if key in target else entry
    for card, entry in theirs["flashcards"].items():
        mine = merged["flashcards"].get(card)
        merged["flashcards"][card] = _newer(mine, entry, "last_seen") if mine else entry
    return merged


def export(path: str | os.PathLike[str]) -> Path:
    """Save a copy of your progress to ``path`` (e.g. to move it to another machine).

    On Colab you can instead keep the store itself on Google Drive::

        from google.colab import drive; drive.mount("/content/drive")
        os.environ["COURSE_PROGRESS_DIR"] = "/content/drive/MyDrive/dl-course"
    """
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(target, json.dumps(load(), indent=1, sort_keys=True))
    return target


def import_(path: str | os.PathLike[str]) -> Store:
    """Merge a file written by :func:`export` into your progress; returns the merged store.

    Nothing is lost: for each question the best score and the most attempts are kept, for each
    exercise the best status, and for each flashcard the most recent review. To pick up
    progress saved on Google Drive from Colab::

        from google.colab import drive; drive.mount("/content/drive")
        progress.import_("/content/drive/MyDrive/dl-course/progress.json")
    """
    source = Path(path).expanduser()
    try:
        theirs = _parse(source.read_text(encoding="utf-8"))
    except ValueError as err:
        raise ValueError(f"{source} is not a progress file: {err}") from None

    def change(store: Store) -> Store:
        merged = merge(store, theirs)
        store.clear()
        store.update(merged)
        return copy.deepcopy(merged)

    return _transaction(change)
