"""The progress store: atomic writes, locking across processes, corrupt and unwritable files."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest
from store_samples import CARD

from course_utils import progress
from course_utils.progress import ProgressWarning
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
