"""The store's ``practice`` section (version 3): migrated, checked entry by entry, merged."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from store_samples import CARD, ROUND

from course_utils import progress
from course_utils.progress import ProgressWarning, rounds

OPENED = {"first_seen": "2024-06-01T10:00:00+00:00", "last_seen": "2024-06-03T10:00:00+00:00"}


def _write(folder: Path, data: Any) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "progress.json").write_text(json.dumps(data), encoding="utf-8")


def _stored(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "progress.json").read_text(encoding="utf-8"))


@pytest.fixture
def progress_dir(tmp_path: Path) -> Path:
    return tmp_path / "progress"


@pytest.mark.parametrize("version", [1, 2])
def test_older_files_get_an_empty_practice_section_and_lose_nothing(
    progress_dir: Path, version: int
) -> None:
    card = {"box": 3, "last_seen": "2024-06-01T10:00:00+00:00"} if version == 1 else CARD
    old = {
        "version": version,
        "quizzes": {"01_cnn": {"pool": {"attempts": 1, "best": 1.0, "last": 1.0}}},
        "exercises": {},
        "flashcards": {"01_cnn/stride": card},
    }
    _write(progress_dir, old)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a migration is not a problem to warn about
        loaded = progress.load()
        rounds.mark_opened("02_rnn")
    assert loaded["version"] == 3 and loaded["practice"] == {}
    stored = _stored(progress_dir)
    assert stored["version"] == 3 and stored["quizzes"] == old["quizzes"]
    assert set(stored["practice"]["opened"]) == {"02_rnn"}
    assert stored["flashcards"]["01_cnn/stride"]["state"] == "review"


def test_a_newer_files_practice_groups_are_kept(progress_dir: Path) -> None:
    _write(progress_dir, {"version": 4, "practice": {"streaks": {"x": [1, 2]}}})
    rounds.mark_opened("01_cnn")
    stored = _stored(progress_dir)
    assert stored["version"] == 4 and stored["practice"]["streaks"] == {"x": [1, 2]}


BAD = {
    "unknown kind": ("rounds", "practice-1", dict(ROUND, kind="quiz")),
    "score above 1": ("rounds", "practice-1", dict(ROUND, scores={"01_cnn/iou-name": 2})),
    "questions not a list": ("rounds", "practice-1", dict(ROUND, questions="01_cnn/iou-name")),
    "number negative": ("rounds", "practice-1", dict(ROUND, number=-1)),
    "naive start": ("rounds", "practice-1", dict(ROUND, started="2024-06-01T10:00:00")),
    "opened a number": ("opened", "01_cnn", 7),
    "opened garbage time": ("opened", "01_cnn", dict(OPENED, last_seen="soon")),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_bad_practice_entry_is_set_aside_and_the_rest_kept(progress_dir: Path, case: str) -> None:
    group, key, bad = BAD[case]
    practice = {"rounds": {"practice-2": dict(ROUND, number=2)}, "opened": {"03_lstm": OPENED}}
    practice[group][key] = bad
    _write(progress_dir, {"version": 3, "quizzes": {}, "practice": practice})
    with pytest.warns(ProgressWarning, match=f"practice/{group}/{key}"):
        rounds.mark_opened("02_rnn")
    stored = _stored(progress_dir)["practice"]
    assert key not in stored[group]
    assert stored["rounds"]["practice-2"] == dict(ROUND, number=2)
    assert stored["opened"]["03_lstm"] == OPENED
    (aside,) = progress_dir.glob("progress.json.corrupt-*")
    assert json.loads(aside.read_text())["entries"][0]["value"] == bad


def test_merge_keeps_the_newer_round_and_the_best_score_of_each_question() -> None:
    ours = {"practice": {"rounds": {"practice-1": ROUND}, "opened": {"01_cnn": OPENED}}}
    newer = dict(
        ROUND,
        questions=["01_cnn/pooling-effects", "01_cnn/iou-name"],
        scores={"01_cnn/iou-name": 0.0, "01_cnn/pooling-effects": 1.0},
        last_seen="2024-06-02T10:00:00+00:00",
    )
    earlier_open = {"first_seen": "2024-05-01T10:00:00+00:00", "last_seen": "2024-05-02T10:00:00Z"}
    theirs = {"practice": {"rounds": {"practice-1": newer}, "opened": {"01_cnn": earlier_open}}}
    for a, b in ((ours, theirs), (theirs, ours)):
        merged = progress.merge(a, b)["practice"]
        one = merged["rounds"]["practice-1"]
        assert one["questions"] == newer["questions"] and one["last_seen"] == newer["last_seen"]
        assert one["scores"] == {"01_cnn/iou-name": 0.5, "01_cnn/pooling-effects": 1.0}
        assert merged["opened"]["01_cnn"] == {
            "first_seen": earlier_open["first_seen"],
            "last_seen": OPENED["last_seen"],
        }


def test_merge_keeps_the_most_exam_attempts_and_rounds_of_both() -> None:
    exam = dict(ROUND, kind="exam", attempts=3, submitted="2024-06-01T11:00:00+00:00")
    ours = {"practice": {"rounds": {"exam": exam}}}
    theirs = {
        "practice": {
            "rounds": {
                "exam": dict(exam, attempts=1, last_seen="2024-07-01T10:00:00+00:00"),
                "practice-4": dict(ROUND, number=4),
            }
        }
    }
    merged = progress.merge(ours, theirs)["practice"]["rounds"]
    assert merged["exam"]["attempts"] == 3 and merged["exam"]["last_seen"].startswith("2024-07")
    assert set(merged) == {"exam", "practice-4"}


def test_import_merges_practice_from_another_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rounds.save_round("practice-1", "practice", 1, 2, "met", ["01_cnn"], ["01_cnn/iou-name"])
    rounds.record_answer("practice-1", "01_cnn/iou-name", 1.0)
    exported = progress.export(tmp_path / "mine.json")
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / "other-machine"))
    rounds.mark_opened("05_autoencoders")
    merged = progress.import_(exported)["practice"]
    assert merged["rounds"]["practice-1"]["scores"] == {"01_cnn/iou-name": 1.0}
    assert set(merged["opened"]) == {"05_autoencoders"}


def test_recording_refuses_bad_input_and_saves_nothing() -> None:
    with pytest.raises(ValueError, match="kind must be one of"):
        rounds.save_round("x", "quiz", 1, 1, "met", ["01_cnn"], ["01_cnn/a"])
    with pytest.raises(ValueError, match="at least one question"):
        rounds.save_round("x", "practice", 1, 1, "met", ["01_cnn"], [])
    with pytest.raises(KeyError, match="no practice round 'practice-9'"):
        rounds.record_answer("practice-9", "01_cnn/a", 1.0)
    rounds.save_round("exam", "exam", 1, 1, "all", ["01_cnn"], ["01_cnn/a"])
    with pytest.raises(ValueError, match="score must be a"):
        rounds.submit("exam", {"01_cnn/a": float("nan")})
    assert progress.load()["practice"]["rounds"]["exam"]["scores"] == {}
