"""The progress store: atomic writes, locking across processes, corrupt and unwritable files."""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_samples import CARD, ROUND

from course_utils import progress
from course_utils.progress import ProgressWarning
from course_utils.progress import entries as progress_entries
from course_utils.progress import store as progress_store


@pytest.fixture(autouse=True)
def progress_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "progress"
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(folder))
    return folder


def test_store_path_follows_env(progress_dir: Path) -> None:
    assert progress.store_path() == progress_dir / "progress.json"


def test_default_store_path_is_user_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COURSE_PROGRESS_DIR")
    path = progress.store_path()
    assert path.name == "progress.json" and "dl-architectures-hands-on" in str(path)


def test_empty_store_and_record_everything(progress_dir: Path) -> None:
    assert progress.load() == {
        "version": 3,
        "quizzes": {},
        "exercises": {},
        "flashcards": {},
        "practice": {},
    }
    assert not (progress_dir / "progress.json").exists()  # reading writes nothing
    progress.record_quiz("01_cnn", "pool", 0.5)
    progress.record_quiz("01_cnn", "pool", 0.0)
    progress.record_exercise("01_cnn", "conv", "incorrect")
    progress.record_exercise("01_cnn", "conv", "correct")
    progress.record_exercise("01_cnn", "conv", "not attempted")
    progress.update_card("01_cnn/stride", lambda old: dict(CARD, reviews=1 if old is None else 99))
    stored = json.loads((progress_dir / "progress.json").read_text())
    quiz = stored["quizzes"]["01_cnn"]["pool"]
    assert (quiz["attempts"], quiz["best"], quiz["last"]) == (2, 0.5, 0.0)
    exercise = stored["exercises"]["01_cnn"]["conv"]
    assert exercise["status"] == "correct" and exercise["last_status"] == "not attempted"
    assert exercise["attempts"] == 2 and exercise["timestamp"]
    assert stored["flashcards"]["01_cnn/stride"] == dict(CARD, reviews=1)
    assert stored["version"] == 3
    names = {p.name for p in progress_dir.iterdir()}
    assert names == {"progress.json", "progress.json.lock"}  # no temporary file left behind


def test_bad_status_is_refused() -> None:
    with pytest.raises(ValueError, match="status must be one of"):
        progress.record_exercise("01_cnn", "conv", "done")


@pytest.mark.parametrize(
    "content",
    ['{"quizzes": {"01_cnn": {"pool": {"attem', "", "[1, 2]", "\udcff", "[" * 100_000],
)
def test_corrupt_file_is_moved_aside_with_a_warning(progress_dir: Path, content: str) -> None:
    progress_dir.mkdir()
    store = progress_dir / "progress.json"
    store.write_bytes(content.encode("utf-8", "surrogateescape"))
    with pytest.warns(ProgressWarning, match="not a valid progress file.*moved to"):
        progress.record_quiz("01_cnn", "pool", 1.0)
    backups = list(progress_dir.glob("progress.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == content.encode(
        "utf-8", "surrogateescape"
    )
    assert progress.load()["quizzes"]["01_cnn"]["pool"]["best"] == 1.0


def test_atomic_write_keeps_old_file_when_writing_fails(
    progress_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    progress.record_quiz("01_cnn", "pool", 1.0)
    before = (progress_dir / "progress.json").read_text()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(progress_store.os, "replace", broken_replace)
    with pytest.warns(ProgressWarning, match="disk full"):
        progress.record_quiz("01_cnn", "other", 1.0)
    assert (progress_dir / "progress.json").read_text() == before  # untouched, not half-written
    assert not list(progress_dir.glob(".progress.json.*.tmp"))  # temp file cleaned up


def _writer(folder: str, name: str, count: int) -> None:
    os.environ["COURSE_PROGRESS_DIR"] = folder
    for i in range(count):
        progress.record_quiz("concurrent", f"{name}-{i}", i / count)


def test_two_processes_writing_at_once_lose_nothing(progress_dir: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(progress_dir), name, 50)) for name in "ab"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    entries = progress.load()["quizzes"]["concurrent"]
    assert len(entries) == 100
    assert all(entry["attempts"] == 1 for entry in entries.values())


def _make_unwritable(progress_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An unwritable progress folder: chmod, or (as root, where chmod does not stop writes)
    a folder path under a regular file, which can never be created."""
    progress_dir.mkdir()
    progress_dir.chmod(0o500)
    probe = progress_dir / "probe"
    try:
        probe.write_text("x")
    except PermissionError:
        return progress_dir
    probe.unlink()
    progress_dir.chmod(0o700)
    blocker = progress_dir / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(blocker / "progress"))
    return blocker / "progress"


def test_unwritable_folder_warns_at_every_save_and_keeps_progress_in_memory(
    progress_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _make_unwritable(progress_dir, monkeypatch)
    try:
        with pytest.warns(ProgressWarning, match="NOT being saved") as caught:
            progress.record_quiz("01_cnn", "pool", 0.5)
            progress.record_quiz("01_cnn", "pool", 1.0)
            progress.update_card("01_cnn/stride", lambda old: CARD)
        assert len([w for w in caught if issubclass(w.category, ProgressWarning)]) == 3
        entry = progress.load()["quizzes"]["01_cnn"]["pool"]
        assert (entry["attempts"], entry["best"]) == (2, 1.0)
        assert "NOT being saved" in (progress.save_problem() or "")
        assert not (folder / "progress.json").exists()
    finally:
        progress_dir.chmod(0o700)


def test_export_then_import_merges(progress_dir: Path, tmp_path: Path, monkeypatch) -> None:
    progress.record_quiz("01_cnn", "pool", 1.0)
    progress.record_quiz("01_cnn", "pool", 0.0)
    progress.record_exercise("01_cnn", "conv", "correct")
    progress.update_card("01_cnn/stride", lambda old: CARD)
    exported = progress.export(tmp_path / "backup" / "mine.json")
    assert json.loads(exported.read_text())["quizzes"]["01_cnn"]["pool"]["best"] == 1.0

    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / "other-machine"))
    progress.record_quiz("01_cnn", "pool", 0.5)
    progress.record_quiz("02_rnn", "steps", 0.25)
    progress.record_exercise("01_cnn", "conv", "incorrect")
    later = dict(CARD, state="relearning", step=0, last_review="2024-06-05T08:00:00+00:00")
    progress.update_card("01_cnn/stride", lambda old: later)  # reviewed after the export
    merged = progress.import_(exported)
    pool = merged["quizzes"]["01_cnn"]["pool"]
    assert pool["best"] == 1.0 and pool["attempts"] == 2
    assert merged["quizzes"]["02_rnn"]["steps"]["best"] == 0.25
    assert merged["exercises"]["01_cnn"]["conv"]["status"] == "correct"
    assert merged["flashcards"]["01_cnn/stride"] == later  # the newer review wins
    assert progress.load() == merged


def test_merge_prefers_newer_reviews() -> None:
    old = dict(CARD, last_review="2024-01-01T00:00:00+00:00")
    new = dict(CARD, last_review="2024-06-01T00:00:00+00:00", state="relearning", step=0)
    ours = {"version": 2, "quizzes": {}, "exercises": {}, "flashcards": {"d/c": old}}
    theirs = {"version": 2, "quizzes": {}, "exercises": {}, "flashcards": {"d/c": new}}
    assert progress.merge(ours, theirs)["flashcards"]["d/c"]["state"] == "relearning"
    assert progress.merge(theirs, ours)["flashcards"]["d/c"]["state"] == "relearning"


def test_import_of_a_bad_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("not json")
    with pytest.raises(ValueError, match="bad.json is not a progress file"):
        progress.import_(bad)


# --- Nothing a learner or a disk does loses progress ---------------------------------------------


QUIZ = {
    "attempts": 2,
    "best": 0.5,
    "last": 0.0,
    "first_seen": "2024-06-01T10:00:00+00:00",
    "last_seen": "2024-06-02T10:00:00+00:00",
}


EXERCISE = {
    "status": "correct",
    "last_status": "incorrect",
    "attempts": 3,
    "timestamp": "2024-06-02T10:00:00+00:00",
}


def _write(folder: Path, data: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "progress.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def _stored(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "progress.json").read_text(encoding="utf-8"))


def _set_aside(folder: Path) -> list[dict[str, Any]]:
    """Every entry found in the folder's ``.corrupt-…`` files."""
    entries = []
    for path in sorted(folder.glob("progress.json.corrupt-*")):
        entries += json.loads(path.read_text(encoding="utf-8"))["entries"]
    return entries


def test_newer_version_keeps_unknown_sections_keys_and_version(progress_dir: Path) -> None:
    newer = {
        "version": 7,
        "quizzes": {"01_cnn": {"pool": dict(QUIZ, hints_seen=2, explanation_seen=True)}},
        "exercises": {"01_cnn": {"conv": dict(EXERCISE, time_spent_s=81.5)}},
        "flashcards": {"01_cnn/stride": dict(CARD, fsrs_version="7", review_log=[1, 2])},
        "badges": {"streak": 4},
        "settings": ["dark"],
    }
    _write(progress_dir, newer)
    progress.record_quiz("01_cnn", "pool", 1.0)
    progress.record_exercise("01_cnn", "conv", "correct")
    stored = _stored(progress_dir)
    assert stored["version"] == 7
    assert stored["badges"] == {"streak": 4} and stored["settings"] == ["dark"]
    pool = stored["quizzes"]["01_cnn"]["pool"]
    assert (pool["hints_seen"], pool["explanation_seen"]) == (2, True)
    assert (pool["attempts"], pool["best"]) == (3, 1.0)
    assert stored["exercises"]["01_cnn"]["conv"]["time_spent_s"] == 81.5
    assert stored["flashcards"]["01_cnn/stride"]["review_log"] == [1, 2]


def test_failed_saves_warn_each_time_retry_and_write_memory_later(
    progress_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    progress.record_quiz("01_cnn", "pool", 0.5)
    real_replace = os.replace

    def full_disk(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(progress_store.os, "replace", full_disk)
    with pytest.warns(ProgressWarning) as caught:
        progress.record_quiz("01_cnn", "pool", 1.0)
        progress.record_exercise("01_cnn", "conv", "correct")
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2, messages  # every failed save says so, not only the first
    assert all("NOT being saved" in m and "No space left" in m for m in messages)
    assert "No space left" in (progress.save_problem() or "")
    assert progress.load()["quizzes"]["01_cnn"]["pool"]["best"] == 1.0  # kept in memory
    assert _stored(progress_dir)["quizzes"]["01_cnn"]["pool"]["best"] == 0.5

    monkeypatch.setattr(progress_store.os, "replace", real_replace)
    with pytest.warns(ProgressWarning, match="saved again"):
        progress.record_quiz("02_rnn", "steps", 0.25)
    stored = _stored(progress_dir)
    pool = stored["quizzes"]["01_cnn"]["pool"]
    assert (pool["best"], pool["attempts"]) == (1.0, 2)
    assert stored["exercises"]["01_cnn"]["conv"]["status"] == "correct"
    assert stored["quizzes"]["02_rnn"]["steps"]["best"] == 0.25
    assert progress.save_problem() is None


def test_a_lock_held_elsewhere_is_retried_at_the_next_save(
    progress_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress_store, "LOCK_TIMEOUT_S", 0.2)
    monkeypatch.setattr(progress_store, "RETRY_LOCK_TIMEOUT_S", 0.2)
    progress_dir.mkdir()
    other_kernel = FileLock(str(progress_dir / "progress.json.lock"))
    with other_kernel:
        with pytest.warns(ProgressWarning, match="NOT being saved.*Timeout"):
            progress.record_quiz("01_cnn", "pool", 1.0)
        with pytest.warns(ProgressWarning, match="NOT being saved"):
            progress.record_quiz("01_cnn", "stride", 0.5)
    with pytest.warns(ProgressWarning, match="saved again"):
        progress.record_exercise("01_cnn", "conv", "incorrect")  # the lock is free again
    stored = _stored(progress_dir)
    assert set(stored["quizzes"]["01_cnn"]) == {"pool", "stride"}
    assert stored["exercises"]["01_cnn"]["conv"]["status"] == "incorrect"


BAD_ENTRIES = {
    "number where an object belongs": ("quizzes", "01_cnn", "pool", 5),
    "best is a word": ("quizzes", "01_cnn", "pool", dict(QUIZ, best="high")),
    "best above 1": ("quizzes", "01_cnn", "pool", dict(QUIZ, best=3)),
    "negative attempts": ("quizzes", "01_cnn", "pool", dict(QUIZ, attempts=-1)),
    "attempts a boolean": ("quizzes", "01_cnn", "pool", dict(QUIZ, attempts=True)),
    "naive timestamp": ("quizzes", "01_cnn", "pool", dict(QUIZ, last_seen="2024-06-02T10:00:00")),
    "garbage timestamp": ("quizzes", "01_cnn", "pool", dict(QUIZ, first_seen="yesterday")),
    "group not an object": ("quizzes", "01_cnn", None, ["pool"]),
    "unknown status": ("exercises", "01_cnn", "conv", dict(EXERCISE, status="done")),
    "exercise time a number": ("exercises", "01_cnn", "conv", dict(EXERCISE, timestamp=17)),
    "card box a string": ("flashcards", "01_cnn/stride", None, {"box": "5", "last_seen": "x"}),
    "card box out of range": (
        "flashcards",
        "01_cnn/stride",
        None,
        {"box": 9, "last_seen": "2024-06-01T00:00:00+00:00"},
    ),
    "card naive due": ("flashcards", "01_cnn/stride", None, dict(CARD, due="2024-06-04")),
    "card stability zero": ("flashcards", "01_cnn/stride", None, dict(CARD, stability=0)),
    "card stability astronomical": (
        "flashcards",
        "01_cnn/stride",
        None,
        dict(CARD, stability=1.7e308),
    ),
    "card review without stability": (
        "flashcards",
        "01_cnn/stride",
        None,
        dict(CARD, stability=None, difficulty=None),
    ),
    "card a list": ("flashcards", "01_cnn/stride", None, [1, 2]),
}


@pytest.mark.parametrize("case", BAD_ENTRIES, ids=list(BAD_ENTRIES))
def test_a_bad_entry_is_set_aside_and_everything_else_works(progress_dir: Path, case: str) -> None:
    section, group, key, bad = BAD_ENTRIES[case]
    store: dict[str, Any] = {
        "version": 2,
        "quizzes": {"02_rnn": {"steps": QUIZ}},
        "exercises": {"02_rnn": {"rnn_step": EXERCISE}},
        "flashcards": {"02_rnn/gates": CARD},
    }
    if key is None:
        store[section][group] = bad
    else:
        store[section].setdefault(group, {})[key] = bad
    _write(progress_dir, store)

    with pytest.warns(ProgressWarning, match="bad entr.*Moved to .*corrupt"):
        progress.record_quiz("01_cnn", "pool", 1.0)
    progress.record_exercise("01_cnn", "conv", "correct")
    progress.update_card("01_cnn/stride", lambda old: CARD)
    loaded = progress.load()
    assert loaded["quizzes"]["01_cnn"]["pool"]["best"] == 1.0
    assert loaded["exercises"]["01_cnn"]["conv"]["status"] == "correct"
    assert loaded["flashcards"]["01_cnn/stride"] == CARD
    # the valid records are untouched
    assert loaded["quizzes"]["02_rnn"]["steps"] == QUIZ
    assert loaded["exercises"]["02_rnn"]["rnn_step"] == EXERCISE
    assert loaded["flashcards"]["02_rnn/gates"] == CARD
    # the bad one is kept aside, with where it was and why
    (aside,) = _set_aside(progress_dir)
    where = "/".join(part for part in (section, group, key) if part is not None)
    assert aside["where"] == where and aside["value"] == bad and aside["reason"]
    assert _stored(progress_dir) == loaded  # and gone from the file: no second warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        progress.load()


def test_nan_in_the_file_is_set_aside(progress_dir: Path) -> None:
    text = (
        '{"version": 2, "quizzes": {"01_cnn": {"pool": {"best": NaN}, "ok": {"best": 1}}},'
        ' "exercises": {}, "flashcards": {}, "extra": {"x": Infinity}}'
    )
    _write(progress_dir, text)
    with pytest.warns(ProgressWarning, match="2 bad entries"):
        progress.record_quiz("01_cnn", "stride", 0.5)
    stored_text = (progress_dir / "progress.json").read_text(encoding="utf-8")
    assert "NaN" not in stored_text and "Infinity" not in stored_text
    assert set(_stored(progress_dir)["quizzes"]["01_cnn"]) == {"ok", "stride"}
    assert {e["where"] for e in _set_aside(progress_dir)} == {"quizzes/01_cnn/pool", "extra"}


def test_record_quiz_refuses_nan_and_inf(progress_dir: Path) -> None:
    progress.record_quiz("01_cnn", "pool", 0.5)
    for score in (math.nan, math.inf, -math.inf, 1.5, -0.1, "1", None):
        with pytest.raises(ValueError, match="score must be a"):
            progress.record_quiz("01_cnn", "pool", score)  # type: ignore[arg-type]
    text = (progress_dir / "progress.json").read_text(encoding="utf-8")
    assert "NaN" not in text and "Infinity" not in text
    assert progress.load()["quizzes"]["01_cnn"]["pool"]["attempts"] == 1


def test_merge_compares_times_not_strings() -> None:
    # 10:30+02:00 is 08:30 UTC: earlier than 09:00Z, though it sorts later as a string.
    ours = {"quizzes": {"q": {"a": dict(QUIZ, last_seen="2024-06-02T10:30:00+02:00", last=1.0)}}}
    theirs = {"quizzes": {"q": {"a": dict(QUIZ, last_seen="2024-06-02T09:00:00Z", last=0.0)}}}
    for a, b in ((ours, theirs), (theirs, ours)):
        entry = progress.merge(a, b)["quizzes"]["q"]["a"]
        assert entry["last"] == 0.0 and entry["last_seen"] == "2024-06-02T09:00:00Z"
    early = {"quizzes": {"q": {"a": dict(QUIZ, first_seen="2024-06-01T23:00:00-05:00")}}}
    late = {"quizzes": {"q": {"a": dict(QUIZ, first_seen="2024-06-02T01:00:00+00:00")}}}
    assert progress.merge(late, early)["quizzes"]["q"]["a"]["first_seen"].endswith("+00:00")
    card_a = dict(CARD, last_review="2024-06-01T12:30:00+03:00", reviews=1)  # 09:30 UTC
    card_b = dict(CARD, last_review="2024-06-01T10:00:00+00:00", reviews=5)
    merged = progress.merge({"flashcards": {"c": card_a}}, {"flashcards": {"c": card_b}})
    assert merged["flashcards"]["c"]["reviews"] == 5


def test_merge_leaves_out_bad_entries_with_a_warning() -> None:
    ours = {"quizzes": {"q": {"a": QUIZ, "b": {"best": "high"}}}, "flashcards": {"c": 5}}
    theirs = {"quizzes": {"q": 5}, "exercises": {"l": {"e": dict(EXERCISE, timestamp="now")}}}
    with pytest.warns(ProgressWarning, match="merge left out 4 bad entries"):
        merged = progress.merge(ours, theirs)
    assert merged["quizzes"] == {"q": {"a": QUIZ}} and merged["flashcards"] == {}


def test_import_sets_bad_entries_aside_and_merges_the_rest(
    progress_dir: Path, tmp_path: Path
) -> None:
    progress.record_quiz("01_cnn", "pool", 0.5)
    source = tmp_path / "from-colab.json"
    source.write_text(
        json.dumps(
            {
                "version": 1,
                "quizzes": {"01_cnn": {"pool": dict(QUIZ, best=1.0), "bad": {"best": "high"}}},
                "exercises": {"01_cnn": "broken"},
                "flashcards": {"01_cnn/stride": {"box": "5", "last_seen": "garbage"}},
            }
        ),
        encoding="utf-8",
    )
    with pytest.warns(ProgressWarning, match="Left out 3 bad entries.*moved to"):
        merged = progress.import_(source)
    assert merged["quizzes"]["01_cnn"]["pool"]["best"] == 1.0
    assert "bad" not in merged["quizzes"]["01_cnn"]
    assert len(_set_aside(progress_dir)) == 3
    assert progress.load() == merged


def test_a_symlinked_progress_file_is_written_through(progress_dir: Path, tmp_path: Path) -> None:
    drive = tmp_path / "drive" / "MyDrive"
    drive.mkdir(parents=True)
    real = drive / "progress.json"
    real.write_text(json.dumps({"version": 2, "quizzes": {"00": {"a": QUIZ}}}), encoding="utf-8")
    progress_dir.mkdir()
    link = progress_dir / "progress.json"
    link.symlink_to(real)
    progress.record_quiz("01_cnn", "pool", 1.0)
    progress.update_card("01_cnn/stride", lambda old: CARD)
    assert link.is_symlink() and link.resolve() == real.resolve()
    stored = json.loads(real.read_text(encoding="utf-8"))
    assert stored["quizzes"]["01_cnn"]["pool"]["best"] == 1.0
    assert stored["quizzes"]["00"]["a"] == QUIZ
    assert stored["flashcards"]["01_cnn/stride"] == CARD


def test_a_dangling_symlink_creates_its_target(progress_dir: Path, tmp_path: Path) -> None:
    progress_dir.mkdir()
    real = tmp_path / "elsewhere.json"
    (progress_dir / "progress.json").symlink_to(real)
    progress.record_quiz("01_cnn", "pool", 1.0)
    assert (progress_dir / "progress.json").is_symlink()
    assert json.loads(real.read_text())["quizzes"]["01_cnn"]["pool"]["best"] == 1.0


def test_a_relative_progress_dir_is_fixed_at_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "notebooks", tmp_path / "elsewhere"
    first.mkdir()
    second.mkdir()
    name = f"my-progress-{tmp_path.name}"  # a value no other test has used
    monkeypatch.setenv("COURSE_PROGRESS_DIR", name)
    monkeypatch.chdir(first)
    assert progress.store_path() == first / name / "progress.json"
    progress.record_quiz("01_cnn", "pool", 1.0)
    monkeypatch.chdir(second)  # a lesson that changes folder keeps the same store
    assert progress.store_path() == first / name / "progress.json"
    assert progress.store_path().is_absolute()
    progress.record_quiz("01_cnn", "stride", 1.0)
    assert set(_stored(first / name)["quizzes"]["01_cnn"]) == {"pool", "stride"}
    assert not (second / name).exists()


def test_leitner_boxes_are_migrated_not_lost(progress_dir: Path) -> None:
    seen = "2024-06-01T12:00:00+00:00"
    _write(
        progress_dir,
        {
            "version": 1,
            "quizzes": {"01_cnn": {"pool": QUIZ}},
            "flashcards": {
                f"01_cnn/c{box}": {"box": box, "last_seen": seen} for box in range(1, 6)
            },
        },
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a migration is not a problem to warn about
        progress.record_quiz("01_cnn", "stride", 1.0)
    stored = _stored(progress_dir)
    assert stored["version"] == 3 and stored["quizzes"]["01_cnn"]["pool"] == QUIZ
    cards = stored["flashcards"]
    new = cards["01_cnn/c1"]
    assert (new["state"], new["step"], new["stability"], new["reviews"]) == ("learning", 0, None, 0)
    assert new["due"] == seen and new["leitner"] == {"box": 1, "last_seen": seen}
    for box, days in ((2, 1), (3, 3), (4, 7), (5, 14)):
        card = cards[f"01_cnn/c{box}"]
        assert (card["state"], card["stability"], card["reviews"]) == ("review", days, box - 1)
        assert card["last_review"] == seen and card["leitner"]["box"] == box
        due = datetime.fromisoformat(card["due"]) - datetime.fromisoformat(seen)
        assert due == timedelta(days=days)  # due when the Leitner box would have shown it
        assert card["difficulty"] == progress.MIGRATED_DIFFICULTY


def test_migrated_difficulty_is_fsrs_initial_difficulty_after_good() -> None:
    from fsrs import Rating, Scheduler

    expected = Scheduler()._initial_difficulty(rating=Rating.Good, clamp=True)
    assert math.isclose(progress.MIGRATED_DIFFICULTY, expected, abs_tol=1e-12)


JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)


JSON = st.recursive(
    JSON_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=16,
)


OFFSETS = st.integers(-1439, 1439).map(lambda m: timezone(timedelta(minutes=m)))


TIMES = st.datetimes(
    min_value=datetime(1971, 1, 2), max_value=datetime(2900, 1, 1), timezones=OFFSETS
).map(lambda d: d.isoformat())


SCORES = st.floats(0.0, 1.0)


VALID_QUIZ = st.fixed_dictionaries(
    {
        "attempts": st.integers(0, 1000),
        "best": SCORES,
        "last": SCORES,
        "first_seen": TIMES,
        "last_seen": TIMES,
    }
)


VALID_EXERCISE = st.fixed_dictionaries(
    {
        "status": st.sampled_from(progress.EXERCISE_STATUSES),
        "attempts": st.integers(0, 1000),
        "timestamp": TIMES,
    }
)


VALID_CARD = st.fixed_dictionaries(
    {
        "state": st.just("review"),
        "step": st.none(),
        "stability": st.floats(0.01, 1e4),
        "difficulty": st.floats(1.0, 10.0),
        "due": TIMES,
        "last_review": TIMES,
        "reviews": st.integers(0, 100),
    }
)


NAMES = st.text(st.characters(codec="utf-8"), min_size=1, max_size=8)


NOT_OBJECTS = JSON.filter(lambda v: not isinstance(v, dict))


BAD_QUIZ = NOT_OBJECTS | st.builds(
    lambda entry, key, value: {**entry, key: value},
    VALID_QUIZ,
    st.sampled_from(["attempts", "best", "last", "first_seen", "last_seen"]),
    st.sampled_from(["high", -1, 1.5, math.nan, math.inf, None, True, [], "2024-06-01T10:00:00"]),
)


STORES = st.fixed_dictionaries(
    {
        "quizzes": st.dictionaries(
            NAMES, st.dictionaries(NAMES, VALID_QUIZ, max_size=3), max_size=3
        ),
        "exercises": st.dictionaries(
            NAMES, st.dictionaries(NAMES, VALID_EXERCISE, max_size=3), max_size=3
        ),
        "flashcards": st.dictionaries(NAMES, VALID_CARD, max_size=4),
        "practice": st.fixed_dictionaries(
            {
                "opened": st.dictionaries(
                    NAMES, st.just({"last_seen": ROUND["last_seen"]}), max_size=2
                ),
                "rounds": st.dictionaries(NAMES, st.just(ROUND), max_size=2),
            }
        ),
    }
)


FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@contextmanager
def _fresh_store() -> Iterator[Path]:
    """A new, empty progress folder for one hypothesis example."""
    before = os.environ.get("COURSE_PROGRESS_DIR")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["COURSE_PROGRESS_DIR"] = folder
        try:
            yield Path(folder)
        finally:
            if before is None:
                del os.environ["COURSE_PROGRESS_DIR"]
            else:
                os.environ["COURSE_PROGRESS_DIR"] = before


def _quietly(function: Any, *args: Any) -> Any:
    """Call ``function``; a ProgressWarning is fine, any other warning or error is not."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", ProgressWarning)
        return function(*args)


@FAST
@given(content=JSON.map(lambda v: json.dumps(v)) | st.text(max_size=40) | st.binary(max_size=40))
def test_any_file_content_never_breaks_load_or_records(content: str | bytes) -> None:
    with _fresh_store() as folder:
        path = folder / "progress.json"
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        store = _quietly(progress.load)
        assert all(isinstance(store[s], dict) for s in progress.SECTIONS)
        assert progress.validate(store)[1] == []  # what load() returns is clean
        _quietly(progress.record_quiz, "01_cnn", "pool", 1.0)
        _quietly(progress.record_exercise, "01_cnn", "conv", "correct")
        saved = json.loads(path.read_text(encoding="utf-8"))
        assert saved["quizzes"]["01_cnn"]["pool"]["best"] == 1.0
        assert saved["exercises"]["01_cnn"]["conv"]["status"] == "correct"


@FAST
@given(store=STORES, bad=st.dictionaries(NAMES, BAD_QUIZ, min_size=1, max_size=4), extra=JSON)
def test_garbage_entries_are_set_aside_and_valid_records_kept(
    store: dict[str, Any], bad: dict[str, Any], extra: Any
) -> None:
    with _fresh_store() as folder:
        data = json.loads(json.dumps(store))
        data["quizzes"]["garbage-group"] = bad
        data["unknown-section"] = extra
        (folder / "progress.json").write_text(json.dumps(data), encoding="utf-8")
        loaded = _quietly(progress.load)
        for section in progress.SECTIONS:
            for group, entries in store[section].items():
                if section == "flashcards":
                    assert loaded[section][group] == entries
                    continue
                for key, entry in entries.items():
                    assert loaded[section][group][key] == entry
        assert set(loaded["quizzes"].get("garbage-group", {})) == set()
        aside = [e["where"] for e in _set_aside(folder)]
        assert sorted(aside) == sorted(
            [f"quizzes/garbage-group/{key}" for key in bad]
            + (["unknown-section"] if progress_entries._has_nonfinite(extra) else [])
        )
        _quietly(progress.record_quiz, "01_cnn", "pool", 0.5)
        assert _quietly(progress.load)["quizzes"]["01_cnn"]["pool"]["best"] == 0.5


@FAST
@given(ours=STORES, theirs=STORES, garbage=JSON)
def test_merge_never_raises_and_keeps_the_best_of_both(
    ours: dict[str, Any], theirs: dict[str, Any], garbage: Any
) -> None:
    noisy = json.loads(json.dumps(theirs))
    noisy["quizzes"]["x"] = garbage
    noisy["flashcards"]["y"] = garbage
    merged = _quietly(progress.merge, ours, noisy)
    for group, entries in ours["quizzes"].items():
        for key, entry in entries.items():
            result = merged["quizzes"][group][key]
            assert result["best"] >= entry["best"] and result["attempts"] >= entry["attempts"]
    for key, card in ours["flashcards"].items():
        result = merged["flashcards"][key]
        newest = progress.parse_time(result["last_review"])
        assert newest is not None and newest >= progress.parse_time(card["last_review"])
    assert progress.validate(merged)[1] == []


def test_times_are_compared_in_utc() -> None:
    assert progress.parse_time("2024-06-01T10:00:00+02:00") == datetime(2024, 6, 1, 8, tzinfo=UTC)
    for bad in ("2024-06-01T10:00:00", "tomorrow", 5, None, "9999-12-31T00:00:00+00:00"):
        assert progress.parse_time(bad) is None


# --- Files from other editors, numbers at the edges, failing saves -------------------------------


GOOD = {"version": 2, "quizzes": {"01_cnn": {"pool": QUIZ}}, "exercises": {}, "flashcards": {}}


@pytest.fixture
def existing_progress_dir(tmp_path: Path) -> Path:
    """The folder conftest points COURSE_PROGRESS_DIR at, made."""
    folder = tmp_path / "progress"
    folder.mkdir()
    return folder


def _corrupt_copies(folder: Path) -> list[Path]:
    return sorted(folder.glob("progress.json.corrupt-*"))


def _huge_digits(n: int = 5000) -> str:
    return "7" * n


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),  # UTF-8 with a byte-order mark
        lambda text: text.encode("utf-16"),  # Windows Notepad's "Unicode"
        lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf-8 BOM", "utf-16", "CRLF"],
)
def test_a_file_from_another_editor_is_read_whole(existing_progress_dir: Path, encode) -> None:
    (existing_progress_dir / "progress.json").write_bytes(encode(json.dumps(GOOD, indent=1)))
    with warnings.catch_warnings():
        warnings.simplefilter("error", ProgressWarning)
        assert progress.load()["quizzes"]["01_cnn"]["pool"]["best"] == 0.5
    assert not _corrupt_copies(existing_progress_dir)


def test_import_accepts_an_export_resaved_with_a_bom(
    existing_progress_dir: Path, tmp_path: Path
) -> None:
    exported = tmp_path / "export.json"
    exported.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOOD).encode("utf-8"))
    assert progress.import_(exported)["quizzes"]["01_cnn"]["pool"]["attempts"] == 2


def test_an_integer_of_thousands_of_digits_sets_aside_only_its_entry(
    existing_progress_dir: Path,
) -> None:
    text = json.dumps(
        {
            "version": 2,
            "quizzes": {"01_cnn": {"pool": QUIZ, "stride": dict(QUIZ, attempts=0)}},
            "exercises": {},
            "flashcards": {},
        }
    ).replace('"attempts": 0', f'"attempts": {_huge_digits()}')
    (existing_progress_dir / "progress.json").write_text(text, encoding="utf-8")
    with pytest.warns(ProgressWarning, match="1 bad entry.*stride"):
        store = progress.load()
    assert store["quizzes"]["01_cnn"] == {"pool": QUIZ}
    (aside,) = _corrupt_copies(existing_progress_dir)
    entry = json.loads(aside.read_text(encoding="utf-8"))["entries"][0]
    assert entry["where"] == "quizzes/01_cnn/stride"
    assert _huge_digits() in json.dumps(entry["value"])  # the digits are kept, as text
    assert _stored(existing_progress_dir)["quizzes"]["01_cnn"] == {"pool": QUIZ}
    progress.record_quiz("01_cnn", "pool", 1.0)  # and the store carries on


def test_import_of_a_file_with_a_huge_integer_keeps_the_rest(tmp_path: Path) -> None:
    source = tmp_path / "export.json"
    good = json.dumps(GOOD)
    source.write_text(good[:-1] + f', "badges": {{"streak": {_huge_digits()}}}}}', "utf-8")
    with pytest.warns(ProgressWarning, match="Left out 1 bad entr"):
        merged = progress.import_(source)
    assert merged["quizzes"]["01_cnn"]["pool"] == QUIZ
    assert "badges" not in merged


@pytest.mark.parametrize(
    "content",
    [
        b"\xef\xbb\xbf" + json.dumps(GOOD).encode(),
        json.dumps(GOOD).replace("2,", "7" * 5000 + ",", 1).encode(),
    ],
    ids=["BOM", "huge integer"],
)
def test_what_the_store_reads_import_reads_too(
    existing_progress_dir: Path, tmp_path: Path, content: bytes
) -> None:
    """The store and import_() read a file the same way: what one keeps, the other accepts."""
    (existing_progress_dir / "progress.json").write_bytes(content)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProgressWarning)
        kept = progress.load()
        (tmp_path / "copy.json").write_bytes(content)
        assert progress.import_(tmp_path / "copy.json")["quizzes"] == kept["quizzes"]


def test_a_file_that_is_not_json_is_kept_byte_for_byte(existing_progress_dir: Path) -> None:
    broken = json.dumps(GOOD)[:-7].encode()
    (existing_progress_dir / "progress.json").write_bytes(broken)
    with pytest.warns(ProgressWarning, match="not a valid progress file"):
        assert progress.load()["quizzes"] == {}
    (aside,) = _corrupt_copies(existing_progress_dir)
    assert aside.read_bytes() == broken
    with pytest.raises(ValueError, match="is not a progress file"):
        progress.import_(aside)


@pytest.mark.parametrize("digits", [400, 4000])
def test_a_score_too_large_for_a_float_is_set_aside_not_a_crash(
    existing_progress_dir: Path, tmp_path: Path, digits: int
) -> None:
    text = json.dumps(GOOD).replace('"best": 0.5', f'"best": {"9" * digits}')
    (existing_progress_dir / "progress.json").write_text(text, encoding="utf-8")
    with pytest.warns(ProgressWarning, match="quizzes/01_cnn/pool"):
        assert progress.load()["quizzes"]["01_cnn"] == {}
    assert progress.record_quiz("01_cnn", "pool", 1.0)["attempts"] == 1
    theirs = json.loads(text.replace(f'"best": {"9" * digits}', '"best": 1e400'))
    with pytest.warns(ProgressWarning, match="merge left out"):
        assert progress.merge(GOOD, theirs)["quizzes"]["01_cnn"]["pool"]["best"] == 0.5
    source = tmp_path / "export.json"
    source.write_text(text, encoding="utf-8")
    with pytest.warns(ProgressWarning, match="Left out 1 bad entr"):
        progress.import_(source)
    from course_utils import dashboard

    assert "01_cnn" in repr(dashboard.show())


def test_a_huge_integer_score_is_refused_with_a_clear_message(existing_progress_dir: Path) -> None:
    with pytest.raises(ValueError, match="score must be a number from 0 to 1"):
        progress.record_quiz("01_cnn", "pool", 10**400)
    assert not (existing_progress_dir / "progress.json").exists()


def test_a_migrated_leitner_card_near_the_year_limit_stays_valid(
    existing_progress_dir: Path,
) -> None:
    leitner = {"box": 5, "last_seen": "2999-12-25T00:00:00+00:00"}
    card = progress.migrate_leitner(leitner)
    assert progress.check_card(card) == card  # the migration and the check agree
    data = {"version": 1, "flashcards": {"01_cnn/stride": leitner}}
    (existing_progress_dir / "progress.json").write_text(json.dumps(data), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", ProgressWarning)
        progress.record_quiz("01_cnn", "pool", 1.0)  # saves the migrated card
        assert progress.load()["flashcards"]["01_cnn/stride"]["leitner"] == leitner
    assert not _corrupt_copies(existing_progress_dir)


def test_attempts_kept_in_memory_are_added_to_another_kernels(
    existing_progress_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kernel A's lock is held by kernel B; both record attempts; none is lost."""
    monkeypatch.setattr(progress_store, "LOCK_TIMEOUT_S", 0.1)
    monkeypatch.setattr(progress_store, "RETRY_LOCK_TIMEOUT_S", 0.1)
    for _ in range(3):
        progress.record_quiz("01_cnn", "pool", 0.0)
    other_kernel = FileLock(str(existing_progress_dir / "progress.json.lock"))
    with other_kernel, warnings.catch_warnings():
        warnings.simplefilter("ignore", ProgressWarning)
        for _ in range(2):  # kept in memory by this kernel
            progress.record_quiz("01_cnn", "pool", 1.0)
            progress.record_exercise("01_cnn", "conv", "incorrect")
        stored = _stored(existing_progress_dir)  # meanwhile the other kernel records 5 attempts
        stored["quizzes"]["01_cnn"]["pool"]["attempts"] += 5
        (existing_progress_dir / "progress.json").write_text(json.dumps(stored), encoding="utf-8")
    with pytest.warns(ProgressWarning, match="saved again"):
        progress.record_quiz("01_cnn", "pool", 0.5)
    pool = _stored(existing_progress_dir)["quizzes"]["01_cnn"]["pool"]
    assert pool["attempts"] == 3 + 2 + 5 + 1
    assert pool["best"] == 1.0 and pool["last"] == 0.5
    assert _stored(existing_progress_dir)["exercises"]["01_cnn"]["conv"]["attempts"] == 2


def test_a_record_kept_in_memory_keeps_the_time_it_happened(
    existing_progress_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress_store, "LOCK_TIMEOUT_S", 0.1)
    monkeypatch.setattr(progress_store, "RETRY_LOCK_TIMEOUT_S", 0.1)
    stamps = iter(["2024-06-01T10:00:00+00:00", "2024-06-01T11:00:00+00:00"])
    monkeypatch.setattr(progress_store, "now", lambda: next(stamps))
    with FileLock(str(existing_progress_dir / "progress.json.lock")), warnings.catch_warnings():
        warnings.simplefilter("ignore", ProgressWarning)
        progress.record_quiz("01_cnn", "pool", 1.0)
    with pytest.warns(ProgressWarning, match="saved again"):
        progress.record_quiz("01_cnn", "stride", 1.0)
    stored = _stored(existing_progress_dir)["quizzes"]["01_cnn"]
    assert stored["pool"]["first_seen"] == "2024-06-01T10:00:00+00:00"
    assert stored["stride"]["first_seen"] == "2024-06-01T11:00:00+00:00"


def test_a_save_that_keeps_failing_writes_one_corrupt_copy(
    existing_progress_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = dict(GOOD, quizzes={"01_cnn": {"pool": QUIZ, "stride": dict(QUIZ, best="high")}})
    (existing_progress_dir / "progress.json").write_text(json.dumps(bad), encoding="utf-8")
    real_replace = os.replace

    def full_disk(src: str, dst: str) -> None:
        if str(dst).endswith("progress.json"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(progress_store.os, "replace", full_disk)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProgressWarning)
        for _ in range(10):
            progress.record_quiz("01_cnn", "pool", 1.0)
    assert len(_corrupt_copies(existing_progress_dir)) == 1
    monkeypatch.setattr(progress_store.os, "replace", real_replace)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ProgressWarning)
        progress.record_quiz("01_cnn", "pool", 1.0)
    assert any("saved again" in str(w.message) for w in caught)
    assert len(_corrupt_copies(existing_progress_dir)) == 1
    assert _stored(existing_progress_dir)["quizzes"]["01_cnn"]["pool"]["attempts"] == 2 + 11


def test_temporary_files_of_killed_writers_are_cleaned(existing_progress_dir: Path) -> None:
    stale = existing_progress_dir / ".progress.json.k1ll3d.tmp"
    fresh = existing_progress_dir / ".progress.json.wr1t1ng.tmp"  # another kernel, writing now
    for path in (stale, fresh):
        path.write_text('{"half": ', encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    progress.record_quiz("01_cnn", "pool", 1.0)
    assert not stale.exists()
    assert fresh.exists()


def test_export_to_a_folder_writes_a_clearly_named_file_inside(
    existing_progress_dir: Path, tmp_path: Path
) -> None:
    progress.record_quiz("01_cnn", "pool", 1.0)
    desktop = tmp_path / "Desktop"
    desktop.mkdir()
    first = progress.export(desktop)
    second = progress.export(desktop)
    assert first.parent == desktop and first.suffix == ".json" and "progress" in first.name
    assert second != first  # an earlier export in the folder is not overwritten
    assert json.loads(first.read_text(encoding="utf-8"))["quizzes"]["01_cnn"]["pool"]["best"] == 1
    assert not list(desktop.glob(".*.tmp"))


def test_import_of_a_folder_says_what_to_pass(existing_progress_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "Desktop"
    folder.mkdir()
    with pytest.raises(ValueError, match="is a folder"):
        progress.import_(folder)


def test_import_of_a_file_of_set_aside_entries_says_what_it_is(
    existing_progress_dir: Path, tmp_path: Path
) -> None:
    """A ``.corrupt-*`` record is not a store: importing it must not add its keys as sections."""
    bad = dict(GOOD, quizzes={"01_cnn": {"pool": dict(QUIZ, best="high")}})
    (existing_progress_dir / "progress.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.warns(ProgressWarning):
        progress.load()
    (aside,) = _corrupt_copies(existing_progress_dir)
    with pytest.raises(ValueError, match="holds entries set aside"):
        progress.import_(aside)
    assert "entries" not in progress.load()
