"""The progress store on disk: reading, locking, atomic writes and the memory fallback.

Every change is a read-modify-write of ``progress.json`` under a file lock (see
:func:`transaction`); a save that fails keeps the records in memory and writes them at the
next save that works. The layout and the check of every entry are in
:mod:`course_utils.progress.entries`, merging in :mod:`course_utils.progress.merging`. The
module docstring of :mod:`course_utils.progress` says what the store promises.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import numbers
import os
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import platformdirs
from filelock import FileLock

from course_utils.messages import error_text, short
from course_utils.progress.entries import (
    EXERCISE_STATUSES,
    BadEntry,
    ProgressWarning,
    Store,
    TooLongNumber,
    best_status,
    card_problem,
    describe,
    empty_store,
    now,
    parse_int,
    validate,
)
from course_utils.progress.merging import merge_clean

APP_NAME = "dl-architectures-hands-on"
FILE_NAME = "progress.json"
LOCK_TIMEOUT_S = 30.0
#: Lock timeout while saving is failing, so a lock held elsewhere does not stall every click.
RETRY_LOCK_TIMEOUT_S = 2.0
#: A temporary file of the store older than this was left by a writer that was killed.
STALE_TMP_S = 600.0

T = TypeVar("T")

_PENDING: dict[Path, Store] = {}  # the store as this kernel sees it while saving fails
_UNSAVED: dict[Path, list[Callable[[Store], Any]]] = {}  # changes to replay at the next save
_SET_ASIDE: dict[Path, dict[str, Path]] = {}  # bad entries already copied: digest -> copy
_PROBLEM: dict[Path, str] = {}  # why, for save_problem()
_RESOLVED: dict[str, Path] = {}  # COURSE_PROGRESS_DIR values made absolute at first use


def store_path() -> Path:
    """Where progress is saved: ``$COURSE_PROGRESS_DIR/progress.json`` or the user data dir.

    A relative folder is made absolute against the working folder the first time it is used.
    """
    folder = os.environ.get("COURSE_PROGRESS_DIR") or platformdirs.user_data_dir(APP_NAME)
    if folder not in _RESOLVED:
        _RESOLVED[folder] = Path(folder).expanduser().absolute()
    return _RESOLVED[folder] / FILE_NAME


def save_problem() -> str | None:
    """Why progress is not being saved right now (None when the last save worked).

    Widgets show this next to their verdict: a warning printed from a button's callback does
    not reach the notebook cell in JupyterLab.
    """
    return _PROBLEM.get(store_path())


# --------------------------------------------------------------------------------------------
# Setting bad entries aside


def _unique_name(path: Path, tag: str) -> Path:
    stamp = f"{datetime.now():%Y%m%d-%H%M%S-%f}"
    candidate = path.with_name(f"{path.name}.{tag}-{stamp}")
    counter = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.{tag}-{stamp}-{counter}")
        counter += 1
    return candidate


_ASIDE_ABOUT = "Entries set aside from a progress file because they failed their check."


def _as_json(value: Any) -> Any:
    """What ``json.dumps`` writes for a value it cannot: a too-long number's digits, or repr."""
    return value.digits if isinstance(value, TooLongNumber) else repr(value)


def _set_aside(path: Path, bad: list[BadEntry], origin: Path) -> Path:
    """Write the bad entries into a ``.corrupt-<time>`` file beside ``path``.

    The same entries are written once: while a save keeps failing, every later read finds
    them again and gets the copy already written.
    """
    entries = [{"where": b.where, "reason": b.reason, "value": b.value} for b in bad]
    text = json.dumps(entries, default=_as_json)
    digest = hashlib.sha256(f"{origin}\n{text}".encode()).hexdigest()
    earlier = _SET_ASIDE.setdefault(path, {}).get(digest)
    if earlier is not None and earlier.exists():
        return earlier
    target = _unique_name(path, "corrupt")
    record = {
        "about": _ASIDE_ABOUT,
        "file": str(origin),
        "moved_at": now(),
        "entries": entries,
    }
    _write_atomic(target, json.dumps(record, indent=1, default=_as_json))
    _SET_ASIDE[path][digest] = target
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


def _parse(raw: bytes) -> Store:
    """The clean store in a file's bytes, as :func:`validate` checks it (with its bad entries).

    UTF-8 with or without a byte-order mark, UTF-16 and UTF-32 are read (``json.loads``
    detects them), and an integer too long to read only spoils its own entry.
    ValueError (or RecursionError) when the bytes are not a JSON object at all.
    """
    return validate(json.loads(raw, parse_int=parse_int))


def _read(path: Path, *, quarantine: bool) -> tuple[Store, bool]:
    """The clean store in ``path`` and whether the file must be rewritten (entries set aside).

    A file that is not a JSON object is moved aside (``quarantine``) or ignored; bad entries
    are copied into a ``.corrupt-<time>`` file (``quarantine``) or just dropped; both warn.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return empty_store(), False
    try:
        store, bad = _parse(raw)
    except (ValueError, RecursionError) as err:  # JSONDecodeError, UnicodeDecodeError
        reason = f"{path} is not a valid progress file ({error_text(err)})"
        if quarantine:
            backup = _unique_name(path, "corrupt")
            os.replace(path, backup)
            reason += f"; it was moved to {backup}"
        _warn(f"{reason}. Starting with empty progress.")
        return empty_store(), False
    if not bad:
        return store, False
    if quarantine:
        aside = _set_aside(path, bad, path)
        _warn(
            f"{len(bad)} bad entr{'y' if len(bad) == 1 else 'ies'} in {path}: {describe(bad)}. "
            f"Moved to {aside}; the rest of your progress is kept."
        )
    else:
        _warn(f"Ignoring {len(bad)} bad entries in {path}: {describe(bad)}.")
    return store, True


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


def transaction(change: Callable[[Store], T], *, write: bool = True) -> T:
    """Apply ``change`` to the store under the file lock and save the result atomically.

    Changes kept in memory after an earlier failed save are applied first, in order, to the
    store as it is on disk now: they are events (an attempt, a review), so another kernel's
    records written meanwhile are added to, not compared with.
    """
    path = store_path()
    unsaved = _UNSAVED.get(path)
    try:
        target = _target(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        timeout = LOCK_TIMEOUT_S if unsaved is None else RETRY_LOCK_TIMEOUT_S
        with FileLock(f"{target}.lock", timeout=timeout):
            store, dirty = _read(target, quarantine=True)
            for earlier in unsaved or ():
                _replay(earlier, store)
            result = change(store)
            if write or dirty or unsaved is not None:
                _write_atomic(target, _dumps(store))
            _remove_stale_temporaries(target)
    except OSError as err:  # unwritable folder, a file in the way, full disk, lock timeout
        return _keep_in_memory(path, change, err, write=write)
    if unsaved is not None:
        _PENDING.pop(path, None)
        _UNSAVED.pop(path, None)
        _PROBLEM.pop(path, None)
        _warn(f"Progress is saved again in {path}, with everything kept in memory meanwhile.")
    return result


def _replay(change: Callable[[Store], Any], store: Store) -> None:
    """Apply a change kept in memory; one that no longer applies is dropped with a warning."""
    try:
        change(store)
    except Exception as err:  # e.g. a card update that no longer gives a valid state
        _warn(f"A change kept in memory could not be applied and was dropped: {error_text(err)}")


def _remove_stale_temporaries(target: Path) -> None:
    """Delete the temporary files that writers killed mid-save left beside ``target``.

    Runs under the store's lock, and only touches files older than :data:`STALE_TMP_S`.
    """
    limit = time.time() - STALE_TMP_S
    for leftover in target.parent.glob(f".{target.name}.*.tmp"):
        try:
            if leftover.stat().st_mtime < limit:
                leftover.unlink()
        except OSError:
            continue


def _keep_in_memory(path: Path, change: Callable[[Store], T], err: OSError, *, write: bool) -> T:
    """Apply ``change`` to the in-memory store of ``path`` and say that nothing was saved."""
    if path not in _PENDING:
        try:
            _PENDING[path] = _read(_target(path), quarantine=False)[0]
        except OSError:
            _PENDING[path] = empty_store()
        _UNSAVED[path] = []
    result = change(_PENDING[path])
    if write:
        _UNSAVED[path].append(change)
    why = error_text(err)
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
    return transaction(copy.deepcopy, write=False)


def checked_score(score: Any) -> float:
    if not isinstance(score, numbers.Real) or isinstance(score, bool):
        raise ValueError(f"score must be a number from 0 to 1, not {short(score)}")
    try:
        value = float(score)
    except OverflowError:
        raise ValueError(f"score must be a number from 0 to 1, not {short(score)}") from None
    if not math.isfinite(value):
        raise ValueError(f"score must be a finite number from 0 to 1, not {value}")
    if not -1e-9 <= value <= 1 + 1e-9:
        raise ValueError(f"score must be a number from 0 to 1, not {value}")
    return min(max(value, 0.0), 1.0)


def record_quiz(quiz: str, question: str, score: float) -> dict[str, Any]:
    """Record one checked answer (``score`` in [0, 1]); returns the question's updated entry.

    ValueError for a score that is not a finite number from 0 to 1 (nothing is recorded).
    """
    value = checked_score(score)
    stamp = now()  # the time it happened, even if it is saved later

    def change(store: Store) -> dict[str, Any]:
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

    return transaction(change)


def record_exercise(lesson: str, name: str, status: str) -> dict[str, Any]:
    """Record one exercise check; ``status`` is one of :data:`EXERCISE_STATUSES`."""
    if status not in EXERCISE_STATUSES:
        raise ValueError(f"status must be one of {EXERCISE_STATUSES}, not {status!r}")
    stamp = now()

    def change(store: Store) -> dict[str, Any]:
        entry = (
            store["exercises"]
            .setdefault(str(lesson), {})
            .setdefault(str(name), {"status": "not attempted", "attempts": 0})
        )
        if status != "not attempted":
            entry["attempts"] = entry.get("attempts", 0) + 1
        entry["status"] = best_status(entry.get("status", "not attempted"), status)
        entry["last_status"] = status
        entry["timestamp"] = stamp
        return dict(entry)

    return transaction(change)


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
        problem = card_problem(new)
        if problem:
            raise ValueError(f"not a valid flashcard state for {card}: {problem}")
        store["flashcards"][str(card)] = dict(new)
        return dict(new)

    return transaction(change)


def export(path: str | os.PathLike[str]) -> Path:
    """Save a copy of your progress to ``path`` (e.g. to move it to another machine).

    ``path`` is the file to write, or a folder: the copy is then written inside it as
    ``dl-architectures-hands-on-progress-<date>.json`` (with ``-2``, ``-3``... when that name
    is taken). Returns the file written. On Colab you can instead keep the store itself on
    Google Drive::

        from google.colab import drive; drive.mount("/content/drive")
        os.environ["COURSE_PROGRESS_DIR"] = "/content/drive/MyDrive/dl-course"
    """
    target = Path(path).expanduser()
    if target.is_dir():
        target = _free_name(target, f"{APP_NAME}-progress-{date.today().isoformat()}")
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(_target(target), _dumps(load()))
    return target


def _free_name(folder: Path, stem: str) -> Path:
    """``folder/stem.json``, or ``folder/stem-2.json``, ... the first that does not exist."""
    candidate, counter = folder / f"{stem}.json", 1
    while candidate.exists() or candidate.is_symlink():
        counter += 1
        candidate = folder / f"{stem}-{counter}.json"
    return candidate


def _read_export(source: Path) -> tuple[Store, list[BadEntry]]:
    """The clean store in an exported file and its bad entries; ValueError with the reason."""
    if source.is_dir():
        found = sorted(p.name for p in source.glob("*progress*.json"))
        example = f" (here: {found[-1]})" if found else ""
        raise ValueError(
            f"{source} is a folder: pass the exported file inside it{example}, "
            f"e.g. progress.import_({str(source / (found[-1] if found else 'progress.json'))!r})."
        )
    try:
        raw = source.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as err:
        raise ValueError(f"{source} cannot be read ({error_text(err)})") from None
    try:
        store, bad = _parse(raw)
    except (ValueError, RecursionError) as err:
        raise ValueError(f"{source} is not a progress file: {error_text(err)}") from None
    if store.get("about") == _ASIDE_ABOUT:
        raise ValueError(
            f"{source} holds entries set aside from a progress file, not a progress file: "
            "each entry failed its check (its 'reason' says why). Copy an entry you have "
            "repaired into an exported file, then import that file."
        )
    return store, bad


def import_(path: str | os.PathLike[str]) -> Store:
    """Merge a file written by :func:`export` into your progress; returns the merged store.

    Nothing is lost: for each question the best score and the most attempts are kept, for each
    exercise the best status, and for each flashcard the most recent review. Bad entries of the
    imported file are left out, copied into a ``progress.json.corrupt-<time>`` file beside your
    store, with a warning. The file is read as the store reads its own (a byte-order mark or
    UTF-16 from another editor is fine). ValueError for a folder or a file that is not a
    progress file. To pick up progress saved on Google Drive from Colab::

        from google.colab import drive; drive.mount("/content/drive")
        progress.import_("/content/drive/MyDrive/dl-course/progress.json")
    """
    source = Path(path).expanduser()
    theirs, bad = _read_export(source)
    if bad:
        store = store_path()
        try:
            store.parent.mkdir(parents=True, exist_ok=True)
            where = f"moved to {_set_aside(_target(store), bad, source)}"
        except OSError as err:
            where = f"not copied anywhere ({type(err).__name__}: {err})"
        _warn(f"Left out {len(bad)} bad entries of {source}: {describe(bad)}; {where}.")

    def change(store: Store) -> Store:
        merged = merge_clean(store, theirs)
        store.clear()
        store.update(merged)
        return copy.deepcopy(merged)

    return transaction(change)
