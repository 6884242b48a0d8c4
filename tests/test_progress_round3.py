"""Issue 28, progress store: files from other editors, numbers at the edges, failing saves.

Each test failed on the store before the fix: a byte-order mark or one integer of 5,000 digits
emptied the learner's progress, a 400-digit score crashed every call, records kept in memory
lost attempts, a migrated card far in the future was set aside at the next save, every failed
save wrote another ``.corrupt-*`` copy, and an export to a folder raised IsADirectoryError.
"""

from __future__ import annotations

import json
import os
import time
import warnings
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from course_utils import progress
from course_utils.progress import ProgressWarning
from course_utils.progress import store as progress_store

QUIZ = {
    "attempts": 2,
    "best": 0.5,
    "last": 0.0,
    "first_seen": "2024-06-01T10:00:00+00:00",
    "last_seen": "2024-06-02T10:00:00+00:00",
}
GOOD = {"version": 2, "quizzes": {"01_cnn": {"pool": QUIZ}}, "exercises": {}, "flashcards": {}}


@pytest.fixture
def progress_dir(tmp_path: Path) -> Path:
    """The folder conftest points COURSE_PROGRESS_DIR at."""
    folder = tmp_path / "progress"
    folder.mkdir()
    return folder


def _stored(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "progress.json").read_text(encoding="utf-8"))


def _corrupt_copies(folder: Path) -> list[Path]:
    return sorted(folder.glob("progress.json.corrupt-*"))


def _huge_digits(n: int = 5000) -> str:
    return "7" * n


# --- files saved by other editors ------------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),  # UTF-8 with a byte-order mark
        lambda text: text.encode("utf-16"),  # Windows Notepad's "Unicode"
        lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf-8 BOM", "utf-16", "CRLF"],
)
def test_a_file_from_another_editor_is_read_whole(progress_dir: Path, encode) -> None:
    (progress_dir / "progress.json").write_bytes(encode(json.dumps(GOOD, indent=1)))
    with warnings.catch_warnings():
        warnings.simplefilter("error", ProgressWarning)
        assert progress.load()["quizzes"]["01_cnn"]["pool"]["best"] == 0.5
    assert not _corrupt_copies(progress_dir)


def test_import_accepts_an_export_resaved_with_a_bom(progress_dir: Path, tmp_path: Path) -> None:
    exported = tmp_path / "export.json"
    exported.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOOD).encode("utf-8"))
    assert progress.import_(exported)["quizzes"]["01_cnn"]["pool"]["attempts"] == 2


def test_an_integer_of_thousands_of_digits_sets_aside_only_its_entry(progress_dir: Path) -> None:
    text = json.dumps(
        {
            "version": 2,
            "quizzes": {"01_cnn": {"pool": QUIZ, "stride": dict(QUIZ, attempts=0)}},
            "exercises": {},
            "flashcards": {},
        }
    ).replace('"attempts": 0', f'"attempts": {_huge_digits()}')
    (progress_dir / "progress.json").write_text(text, encoding="utf-8")
    with pytest.warns(ProgressWarning, match="1 bad entry.*stride"):
        store = progress.load()
    assert store["quizzes"]["01_cnn"] == {"pool": QUIZ}
    (aside,) = _corrupt_copies(progress_dir)
    entry = json.loads(aside.read_text(encoding="utf-8"))["entries"][0]
    assert entry["where"] == "quizzes/01_cnn/stride"
    assert _huge_digits() in json.dumps(entry["value"])  # the digits are kept, as text
    assert _stored(progress_dir)["quizzes"]["01_cnn"] == {"pool": QUIZ}
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
    progress_dir: Path, tmp_path: Path, content: bytes
) -> None:
    """The store and import_() read a file the same way: what one keeps, the other accepts."""
    (progress_dir / "progress.json").write_bytes(content)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProgressWarning)
        kept = progress.load()
        (tmp_path / "copy.json").write_bytes(content)
        assert progress.import_(tmp_path / "copy.json")["quizzes"] == kept["quizzes"]


def test_a_file_that_is_not_json_is_kept_byte_for_byte(progress_dir: Path) -> None:
    broken = json.dumps(GOOD)[:-7].encode()
    (progress_dir / "progress.json").write_bytes(broken)
    with pytest.warns(ProgressWarning, match="not a valid progress file"):
        assert progress.load()["quizzes"] == {}
    (aside,) = _corrupt_copies(progress_dir)
    assert aside.read_bytes() == broken
    with pytest.raises(ValueError, match="is not a progress file"):
        progress.import_(aside)


# --- numbers at the edges --------------------------------------------------------------------


@pytest.mark.parametrize("digits", [400, 4000])
def test_a_score_too_large_for_a_float_is_set_aside_not_a_crash(
    progress_dir: Path, tmp_path: Path, digits: int
) -> None:
    text = json.dumps(GOOD).replace('"best": 0.5', f'"best": {"9" * digits}')
    (progress_dir / "progress.json").write_text(text, encoding="utf-8")
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


def test_a_huge_integer_score_is_refused_with_a_clear_message(progress_dir: Path) -> None:
    with pytest.raises(ValueError, match="score must be a number from 0 to 1"):
        progress.record_quiz("01_cnn", "pool", 10**400)
    assert not (progress_dir / "progress.json").exists()


def test_a_migrated_leitner_card_near_the_year_limit_stays_valid(progress_dir: Path) -> None:
    leitner = {"box": 5, "last_seen": "2999-12-25T00:00:00+00:00"}
    card = progress.migrate_leitner(leitner)
    assert progress.check_card(card) == card  # the migration and the check agree
    data = {"version": 1, "flashcards": {"01_cnn/stride": leitner}}
    (progress_dir / "progress.json").write_text(json.dumps(data), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", ProgressWarning)
        progress.record_quiz("01_cnn", "pool", 1.0)  # saves the migrated card
        assert progress.load()["flashcards"]["01_cnn/stride"]["leitner"] == leitner
    assert not _corrupt_copies(progress_dir)


# --- records kept in memory are events -------------------------------------------------------


def test_attempts_kept_in_memory_are_added_to_another_kernels(
    progress_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kernel A's lock is held by kernel B; both record attempts; none is lost."""
    monkeypatch.setattr(progress_store, "LOCK_TIMEOUT_S", 0.1)
    monkeypatch.setattr(progress_store, "RETRY_LOCK_TIMEOUT_S", 0.1)
    for _ in range(3):
        progress.record_quiz("01_cnn", "pool", 0.0)
    other_kernel = FileLock(str(progress_dir / "progress.json.lock"))
    with other_kernel, warnings.catch_warnings():
        warnings.simplefilter("ignore", ProgressWarning)
        for _ in range(2):  # kept in memory by this kernel
            progress.record_quiz("01_cnn", "pool", 1.0)
            progress.record_exercise("01_cnn", "conv", "incorrect")
        stored = _stored(progress_dir)  # meanwhile the other kernel records 5 attempts
        stored["quizzes"]["01_cnn"]["pool"]["attempts"] += 5
        (progress_dir / "progress.json").write_text(json.dumps(stored), encoding="utf-8")
    with pytest.warns(ProgressWarning, match="saved again"):
        progress.record_quiz("01_cnn", "pool", 0.5)
    pool = _stored(progress_dir)["quizzes"]["01_cnn"]["pool"]
    assert pool["attempts"] == 3 + 2 + 5 + 1
    assert pool["best"] == 1.0 and pool["last"] == 0.5
    assert _stored(progress_dir)["exercises"]["01_cnn"]["conv"]["attempts"] == 2


def test_a_record_kept_in_memory_keeps_the_time_it_happened(
    progress_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress_store, "LOCK_TIMEOUT_S", 0.1)
    monkeypatch.setattr(progress_store, "RETRY_LOCK_TIMEOUT_S", 0.1)
    stamps = iter(["2024-06-01T10:00:00+00:00", "2024-06-01T11:00:00+00:00"])
    monkeypatch.setattr(progress_store, "now", lambda: next(stamps))
    with FileLock(str(progress_dir / "progress.json.lock")), warnings.catch_warnings():
        warnings.simplefilter("ignore", ProgressWarning)
        progress.record_quiz("01_cnn", "pool", 1.0)
    with pytest.warns(ProgressWarning, match="saved again"):
        progress.record_quiz("01_cnn", "stride", 1.0)
    stored = _stored(progress_dir)["quizzes"]["01_cnn"]
    assert stored["pool"]["first_seen"] == "2024-06-01T10:00:00+00:00"
    assert stored["stride"]["first_seen"] == "2024-06-01T11:00:00+00:00"


# --- failing saves and killed writers leave no litter ----------------------------------------


def test_a_save_that_keeps_failing_writes_one_corrupt_copy(
    progress_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = dict(GOOD, quizzes={"01_cnn": {"pool": QUIZ, "stride": dict(QUIZ, best="high")}})
    (progress_dir / "progress.json").write_text(json.dumps(bad), encoding="utf-8")
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
    assert len(_corrupt_copies(progress_dir)) == 1
    monkeypatch.setattr(progress_store.os, "replace", real_replace)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ProgressWarning)
        progress.record_quiz("01_cnn", "pool", 1.0)
    assert any("saved again" in str(w.message) for w in caught)
    assert len(_corrupt_copies(progress_dir)) == 1
    assert _stored(progress_dir)["quizzes"]["01_cnn"]["pool"]["attempts"] == 2 + 11


def test_temporary_files_of_killed_writers_are_cleaned(progress_dir: Path) -> None:
    stale = progress_dir / ".progress.json.k1ll3d.tmp"
    fresh = progress_dir / ".progress.json.wr1t1ng.tmp"  # another kernel, writing now
    for path in (stale, fresh):
        path.write_text('{"half": ', encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    progress.record_quiz("01_cnn", "pool", 1.0)
    assert not stale.exists()
    assert fresh.exists()


# --- export to a folder ----------------------------------------------------------------------


def test_export_to_a_folder_writes_a_clearly_named_file_inside(
    progress_dir: Path, tmp_path: Path
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


def test_import_of_a_folder_says_what_to_pass(progress_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "Desktop"
    folder.mkdir()
    with pytest.raises(ValueError, match="is a folder"):
        progress.import_(folder)


def test_import_of_a_file_of_set_aside_entries_says_what_it_is(
    progress_dir: Path, tmp_path: Path
) -> None:
    """A ``.corrupt-*`` record is not a store: importing it must not add its keys as sections."""
    bad = dict(GOOD, quizzes={"01_cnn": {"pool": dict(QUIZ, best="high")}})
    (progress_dir / "progress.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.warns(ProgressWarning):
        progress.load()
    (aside,) = _corrupt_copies(progress_dir)
    with pytest.raises(ValueError, match="holds entries set aside"):
        progress.import_(aside)
    assert "entries" not in progress.load()
