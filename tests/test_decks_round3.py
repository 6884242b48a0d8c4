"""Issue 28, decks, dashboard, scheduling and the learner id: what other tools leave behind.

Each test failed before the fix: a macOS ``._01_cnn.yaml`` or a folder named ``old.yaml`` took
down the dashboard and ``show("all")``; two decks with the same ``lesson:`` merged their cards;
a card at the store's stability limit could not be rated; two kernels creating the learner id
at once ended with two ids; a learner-id file with a BOM, CRLF or a trailing NUL was replaced.
"""

from __future__ import annotations

import shutil
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from fsrs import Rating

from course_utils import dashboard, flashcards, progress
from course_utils.content import ContentError
from course_utils.flashcards import schedule
from course_utils.paths import REPO_ROOT
from course_utils.quiz import order

DATA = REPO_ROOT / "data"


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the course's quiz banks and decks, used as the data folder."""
    copy = tmp_path / "data"
    for folder in ("quizzes", "flashcards"):
        shutil.copytree(DATA / folder, copy / folder)
    monkeypatch.setenv("COURSE_DATA_DIR", str(copy))
    return copy


def _litter(folder: Path) -> None:
    (folder / "._01_cnn.yaml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ")
    (folder / "old.yaml").mkdir()
    (folder / ".~lock.02_rnn.yaml#").write_text("x", encoding="utf-8")


def test_stray_files_in_the_data_folders_are_ignored(data_copy: Path) -> None:
    expected_rows = len(dashboard.show().rows)
    expected_cards = len(flashcards.load_deck("all").cards)
    for folder in ("quizzes", "flashcards"):
        _litter(data_copy / folder)
    assert len(dashboard.show().rows) == expected_rows
    assert len(flashcards.show("all", seed=1).deck.cards) == expected_cards


def test_two_decks_with_the_same_lesson_are_refused_with_a_message(data_copy: Path) -> None:
    folder = data_copy / "flashcards"
    shutil.copy(folder / "01_cnn.yaml", folder / "01_cnn_v2.yaml")
    deck = yaml.safe_load((folder / "01_cnn_v2.yaml").read_text(encoding="utf-8"))
    assert deck["lesson"] == "01_cnn"
    with pytest.raises(
        ContentError, match="01_cnn.yaml and .*01_cnn_v2.yaml both have lesson '01_cnn'"
    ):
        flashcards.load_deck("all")


# --- ratings at the store's limits -----------------------------------------------------------

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("stability", [progress.MAX_STABILITY_DAYS, 9.99e6, 0.001, 1e-9])
@pytest.mark.parametrize("difficulty", [1.0, 10.0])
@pytest.mark.parametrize("rating", schedule.RATINGS)
def test_every_rating_of_an_accepted_state_is_accepted(stability, difficulty, rating) -> None:
    entry = {
        "state": "review",
        "step": None,
        "stability": stability,
        "difficulty": difficulty,
        "due": (NOW - timedelta(days=1)).isoformat(),
        "last_review": (NOW - timedelta(days=400)).isoformat(),
        "reviews": 3,
    }
    assert progress.check_card(entry)
    reviewed = schedule.review(entry, rating, NOW)
    assert progress.check_card(reviewed) == reviewed


def test_a_card_at_the_stability_limit_can_be_rated_and_saved() -> None:
    key = "01_cnn/stride"
    edge = {
        "state": "review",
        "step": None,
        "stability": progress.MAX_STABILITY_DAYS,
        "difficulty": 1.0,
        "due": (NOW - timedelta(days=1)).isoformat(),
        "last_review": (NOW - timedelta(days=3000)).isoformat(),
        "reviews": 9,
    }
    progress.update_card(key, lambda old: edge)
    saved = progress.update_card(key, lambda old: schedule.review(old, Rating.Easy, NOW))
    assert saved["stability"] == progress.MAX_STABILITY_DAYS and saved["reviews"] == 10


def test_a_review_due_past_the_last_year_is_kept_at_the_latest_time() -> None:
    late = datetime(2999, 11, 1, tzinfo=UTC)
    entry = schedule.review(None, Rating.Easy, late)
    entry = schedule.review(entry, Rating.Easy, late + timedelta(days=20))
    assert progress.check_card(entry) == entry


# --- the learner id --------------------------------------------------------------------------


def _id_path() -> Path:
    return progress.store_path().parent / order.FILE_NAME


def test_a_kernel_that_finds_an_id_written_meanwhile_keeps_it() -> None:
    """Kernel B found no id, then kernel A wrote one: B must use A's, not replace it."""
    path = _id_path()
    path.parent.mkdir(parents=True)
    path.write_text("a" * 32 + "\n", encoding="ascii")
    assert order._create_id(path) == "a" * 32
    assert path.read_text(encoding="ascii").strip() == "a" * 32


def test_kernels_creating_the_id_at_once_agree() -> None:
    path = _id_path()
    path.parent.mkdir(parents=True)
    start, found = threading.Barrier(6), []

    def kernel() -> None:
        start.wait()
        found.append(order._read_id(path) or order._create_id(path))

    for _ in range(10):
        path.unlink(missing_ok=True)
        start.reset()
        found.clear()
        threads = [threading.Thread(target=kernel) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(set(found)) == 1, found


@pytest.mark.parametrize(
    "content",
    [
        b"\xef\xbb\xbf" + b"b" * 32 + b"\r\n",
        b"b" * 32 + b"\r\n",
        b"b" * 32 + b"\x00\x00",
        ("b" * 32 + "\n").encode("utf-16"),
    ],
    ids=["BOM and CRLF", "CRLF", "trailing NUL", "utf-16"],
)
def test_an_id_file_saved_by_another_editor_is_kept(content: bytes) -> None:
    path = _id_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    order._CACHE.clear()
    assert order.learner_id() == "b" * 32
    assert path.read_bytes() == content


def test_one_broken_bank_does_not_hide_every_lesson(data_copy: Path) -> None:
    rows = len(dashboard.show().rows)
    (data_copy / "quizzes" / "02_rnn.yaml").write_text("questions: [unclosed", encoding="utf-8")
    view = dashboard.show()
    assert len(view.rows) == rows - 1
    assert "Not shown: 02_rnn" in repr(view) and "cannot be parsed" in repr(view)
    assert "Not shown: 02_rnn" in view._repr_html_()
