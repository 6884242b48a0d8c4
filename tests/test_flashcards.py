"""Flashcards: decks, FSRS scheduling and the review widget driven with ``.click()``."""

from __future__ import annotations

import asyncio
import html
import json
import os
import re
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bleach
import ipywidgets as w
import pytest
import yaml
from fsrs import Card, Rating, Scheduler
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils import dashboard, flashcards, progress
from course_utils.content import ContentError
from course_utils.flashcards import schedule
from course_utils.flashcards.widgets import FlashcardView

FIXTURES = Path(__file__).parent / "fixtures"
DECK = FIXTURES / "deck_small.yaml"
NOW = datetime(2024, 6, 15, 12, 0, tzinfo=UTC)
FSRS = Scheduler(enable_fuzzing=False)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _view(deck: str | Path = DECK, clock: Clock | None = None, seed: int = 0) -> FlashcardView:
    return FlashcardView(flashcards.load_deck(deck), seed, clock or Clock())


def _one_card_deck(tmp_path: Path) -> Path:
    data = yaml.safe_load(DECK.read_text(encoding="utf-8"))
    data["cards"] = data["cards"][:1]
    path = tmp_path / "one.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _stored(key: str) -> dict | None:
    return progress.load()["flashcards"].get(key)


# --- decks ----------------------------------------------------------------------------------


def test_load_deck() -> None:
    deck = flashcards.load_deck(DECK)
    assert deck.title == "Fixture deck" and len(deck.cards) == 3
    first = deck.cards[0]
    assert (first.key, first.topic) == ("99_fixture/receptive-field", "convolution")
    assert deck.cards[1].topic == ""


def test_all_combines_every_deck(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "data" / "flashcards"
    folder.mkdir(parents=True)
    shutil.copy(DECK, folder / "01_one.yaml")
    other = yaml.safe_load(DECK.read_text(encoding="utf-8"))
    other["lesson"] = "02_two"
    (folder / "02_two.yaml").write_text(yaml.safe_dump(other), encoding="utf-8")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "data"))
    deck = flashcards.load_deck("all")
    assert len(deck.cards) == 6
    assert len({card.key for card in deck.cards}) == 6  # same ids, different lessons
    assert len(flashcards.show("all", seed=1).queue) == 6


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda d: d["cards"][1].pop("back"), ["card 2 (id 'stride')", "back", "required"]),
        (lambda d: d["cards"][0].update(front=""), ["card 1", "front"]),
        (lambda d: d["cards"][2].update(id="stride"), ["card ids used more than once: stride"]),
        (lambda d: d.update(lesson="cnn"), ["lesson", "does not match"]),
    ],
)
def test_broken_deck_is_a_clear_error(tmp_path: Path, edit, words) -> None:
    data = yaml.safe_load(DECK.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "deck.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        flashcards.load_deck(path)
    for word in [str(path), *words]:
        assert word in str(info.value)


# --- scheduling: exactly FSRS ---------------------------------------------------------------


def test_review_is_exactly_fsrs() -> None:
    ratings = [Rating.Good, Rating.Good, Rating.Hard, Rating.Again, Rating.Good, Rating.Easy]
    waits = [timedelta(0), timedelta(minutes=10), timedelta(days=2), timedelta(days=9)]
    waits += [timedelta(minutes=10), timedelta(days=3)]
    entry, card, when = None, Card(card_id=0, due=NOW), NOW
    for rating, wait in zip(ratings, waits, strict=True):
        when += wait
        entry = schedule.review(entry, rating, when)
        card, _ = FSRS.review_card(card, rating, review_datetime=when)
        assert progress.check_card(entry) == entry  # a valid store entry
        assert entry["state"] == card.state.name.lower() and entry["step"] == card.step
        assert (entry["stability"], entry["difficulty"]) == (card.stability, card.difficulty)
        assert datetime.fromisoformat(entry["due"]) == card.due
        assert entry["last_rating"] == rating.name.lower()
    assert entry["reviews"] == len(ratings)


def test_intervals_in_words() -> None:
    assert schedule.in_words(timedelta(seconds=5)) == "now"
    assert schedule.in_words(timedelta(minutes=1)) == "in 1 minute"
    assert schedule.in_words(timedelta(minutes=10)) == "in 10 minutes"
    assert schedule.in_words(timedelta(hours=5)) == "in 5 hours"
    assert schedule.in_words(timedelta(days=3)) == "in 3 days"
    assert schedule.in_words(timedelta(days=59)) == "in 59 days"
    assert schedule.in_words(timedelta(days=120)) == "in 4 months"


def test_queue_due_then_new_then_learning_ahead() -> None:
    keys = [f"d/{i}" for i in range(6)]
    review = schedule.review(None, Rating.Easy, NOW - timedelta(days=20))  # due 12 days ago
    not_due = schedule.review(None, Rating.Easy, NOW)  # due in 8 days
    learning = schedule.review(None, Rating.Good, NOW)  # back in 10 minutes
    states = {"d/0": review, "d/1": not_due, "d/2": learning, "d/3": review}
    queue = schedule.review_queue(keys, states, NOW, seed=3)
    assert set(queue[:2]) == {"d/0", "d/3"} and set(queue[2:]) == {"d/4", "d/5"}
    assert queue == schedule.review_queue(keys, states, NOW, seed=3)  # reproducible
    assert schedule.review_queue(keys, states, NOW, 3, skipped=["d/3"])[-1] == "d/3"
    only_later = {k: not_due for k in keys} | {"d/2": learning}
    assert schedule.review_queue(keys, only_later, NOW, seed=3) == ["d/2"]  # learn ahead
    learning_late = schedule.review(None, Rating.Good, NOW - timedelta(minutes=0))
    learning_late["due"] = (NOW + timedelta(minutes=25)).isoformat()
    assert schedule.review_queue(keys, only_later | {"d/2": learning_late}, NOW, 3) == []
    counts = schedule.deck_counts(keys, states, NOW)
    assert (counts.total, counts.new, counts.due, counts.learned) == (6, 2, 2, 0)
    assert counts.next_due == datetime.fromisoformat(learning["due"])


def test_learned_means_review_with_21_days_of_stability() -> None:
    assert not schedule.is_learned(None)
    entry = schedule.review(None, Rating.Easy, NOW)
    assert entry["state"] == "review" and entry["stability"] < 21
    assert not schedule.is_learned(entry)
    entry = schedule.review(entry, Rating.Good, datetime.fromisoformat(entry["due"]))
    assert entry["stability"] >= 21 and schedule.is_learned(entry)
    assert not schedule.is_learned(dict(entry, state="relearning", step=0))


# --- the widget -----------------------------------------------------------------------------


def test_view_flip_rate_and_say_when_the_card_comes_back() -> None:
    clock = Clock()
    view = _view(clock=clock)
    names = [b.description for b in (view.flip_button, *view.rating_buttons.values())]
    assert names == ["Flip", "Again", "Hard", "Good", "Easy"]
    assert view.counts.value.count("Due now: 0 · New: 3 · Learned: 0 of 3") == 1
    first = view.current
    assert first is not None
    front, back = html.escape(first.front, quote=False), html.escape(first.back, quote=False)
    assert front in view.card.value and back not in view.card.value
    assert "3 to review now · this card is new" in view.status.value

    view.flip_button.click()
    assert back in view.card.value
    assert "Good: back in 10 minutes" in view.preview.value
    assert "Easy: back in 8 days" in view.preview.value
    view.good_button.click()
    quoted = html.escape(f"✔ Rated Good: “{first.front}” comes back in 10 minutes.")
    assert quoted in view.feedback.value  # it names the rated card, not the one now on show
    assert _stored(first.key)["state"] == "learning"
    second = view.current
    assert second is not None and second.key != first.key
    # the next card starts face down
    assert html.escape(second.back, quote=False) not in view.card.value

    view.flip_button.click()
    view.easy_button.click()
    assert "back in 8 days" in view.feedback.value
    assert "New: 1" in view.counts.value

    third = view.current
    view.flip_button.click()
    view.again_button.click()
    assert "back in 1 minute" in view.feedback.value
    assert _stored(third.key)["last_rating"] == "again"
    # nothing due or new: the learning cards come back early, soonest first
    assert view.current is not None and view.current.key == third.key
    assert "in its learning steps" in view.status.value


def test_a_card_is_rated_only_once_it_is_turned_over() -> None:
    view = _view()
    card = view.current
    ratings = view.rating_buttons.values()
    assert all(b.disabled and b.tooltip == "Flip the card first" for b in ratings)
    view.easy_button.click()  # a press the front end would not send: changes nothing
    assert html.escape(card.back, quote=False) not in view.card.value and _stored(card.key) is None
    assert view.feedback.value == ""
    view.flip_button.click()
    assert not any(b.disabled for b in ratings) and view.flip_button.description == "Hide answer"
    view.flip_button.click()  # hidden again: no rating until it is shown
    assert all(b.disabled for b in ratings) and view.flip_button.description == "Flip"
    assert view.feedback.value == ""
    view.flip_button.click()
    view.easy_button.click()
    assert _stored(card.key)["last_rating"] == "easy"


def test_the_feedback_quotes_a_long_front_shortened() -> None:
    from course_utils.flashcards.deck import Card as DeckCard
    from course_utils.flashcards.widgets import QUOTE_CHARS, quoted_front

    card = DeckCard(lesson="99", id="k", front="What does `np.dot` do " + "x" * 80, back="b")
    quoted = quoted_front(card)
    assert quoted.startswith("“What does np.dot do") and quoted.endswith("…”")
    assert len(quoted) == QUOTE_CHARS + 2


def test_counts_stay_live_as_a_waiting_card_comes_due(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a kernel (a running loop), the view redraws itself when a card comes due."""
    from course_utils.flashcards import widgets

    monkeypatch.setattr(widgets, "LIVE_TICK_S", 0.05)
    clock = Clock()

    async def learner() -> FlashcardView:
        view = _view(_one_card_deck(tmp_path), clock)
        view.flip_button.click()
        view.again_button.click()  # back in 1 minute; meanwhile it may be shown early
        view.skip_button.click()
        assert "Due now: 0" in view.counts.value
        clock.advance(minutes=2)
        await asyncio.sleep(0.3)
        return view

    view = asyncio.run(learner())
    assert "Due now: 1" in view.counts.value


def test_skip_moves_the_card_to_the_end() -> None:
    view = _view()
    first = view.current.key
    view.skip_button.click()
    assert view.queue[-1] == first and view.current.key != first
    assert _stored(first) is None


def test_a_card_comes_back_when_it_is_due(tmp_path: Path) -> None:
    clock = Clock()
    view = _view(_one_card_deck(tmp_path), clock)
    view.flip_button.click()
    view.easy_button.click()
    assert view.current is None and "Nothing to review now" in view.status.value
    assert "next card is due in 8 days" in view.card.value
    assert view.check_button.layout.display is None  # "Check again" is shown
    clock.advance(days=7, hours=23)
    view.check_button.click()
    assert view.current is None
    clock.advance(hours=1)
    view.check_button.click()
    assert view.current is not None and "this card is due" in view.status.value
    assert view.check_button.layout.display == "none"


def _press_many_times(view: FlashcardView, button: w.Button, presses: int, clock: Clock) -> None:
    for _ in range(presses):
        button.click()
        clock.advance(milliseconds=50)


@pytest.mark.parametrize("rating", [Rating.Easy, Rating.Good])
def test_pressing_a_rating_many_times_in_a_second_only_does_what_fsrs_does(
    tmp_path: Path, rating: Rating
) -> None:
    clock = Clock()
    view = _view(_one_card_deck(tmp_path), clock)
    key = view.current.key
    start = clock.now
    view.flip_button.click()
    _press_many_times(view, view.rating_buttons[rating], 20, clock)
    assert clock.now - start == timedelta(seconds=1)
    entry = _stored(key)
    # One rating: the card comes back face down, so the other 19 presses change nothing.
    # Easy on a new card graduates at once (8 days); Good takes the 10-minute learning step.
    card, _ = FSRS.review_card(Card(card_id=0, due=start), rating, start)
    assert entry["reviews"] == 1
    assert entry["state"] == ("review" if rating == Rating.Easy else "learning")
    assert entry["stability"] == pytest.approx(card.stability)
    assert datetime.fromisoformat(entry["due"]) == card.due
    assert not schedule.is_learned(entry)
    assert "Learned: 0 of 1" in view.counts.value


@settings(max_examples=40, deadline=None)
@given(
    presses=st.lists(
        st.tuples(
            st.sampled_from(["Flip", "Again", "Hard", "Good", "Easy", "Skip", "Check again"]),
            st.integers(0, 3000),  # milliseconds to the next press
        ),
        max_size=40,
    )
)
def test_any_presses_within_a_minute_follow_fsrs_and_never_make_a_card_learned(
    presses: list[tuple[str, int]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        before = os.environ["COURSE_PROGRESS_DIR"]
        os.environ["COURSE_PROGRESS_DIR"] = folder
        try:
            clock = Clock()
            deck = yaml.safe_load(DECK.read_text(encoding="utf-8"))
            deck["cards"] = deck["cards"][:1]
            path = Path(folder) / "one.yaml"
            path.write_text(yaml.safe_dump(deck), encoding="utf-8")
            view = _view(path, clock)
            key = view.current.key
            buttons = {b.description: b for b in view.widget.children[3].children}
            card, reviews = Card(card_id=0, due=clock.now), 0
            for name, wait in presses:
                if name in ("Again", "Hard", "Good", "Easy") and view.current and view.flipped:
                    card, _ = FSRS.review_card(card, Rating[name], review_datetime=clock.now)
                    reviews += 1
                buttons[name].click()
                clock.advance(milliseconds=wait)
            entry = _stored(key)
            if reviews == 0:
                assert entry is None
                return
            assert entry["reviews"] == reviews
            assert entry["state"] == card.state.name.lower() and entry["step"] == card.step
            assert entry["stability"] == pytest.approx(card.stability)
            assert datetime.fromisoformat(entry["due"]) == card.due
            assert not schedule.is_learned(entry)
        finally:
            os.environ["COURSE_PROGRESS_DIR"] = before


def test_focus_moves_on_under_ipywidgets_8(monkeypatch: pytest.MonkeyPatch) -> None:
    focused: list[str] = []
    # raising=False: ipywidgets 7.7.1 (Colab) has no focus() to replace
    monkeypatch.setattr(
        w.Button, "focus", lambda self: focused.append(self.description), raising=False
    )
    view = _view()
    view.flip_button.click()
    assert focused == ["Good"]
    view.good_button.click()
    assert focused == ["Good", "Flip"]
    # the next card is face down: Flip and Skip work, ratings wait for the flip
    assert not view.flip_button.disabled and not view.skip_button.disabled
    assert all(button.disabled for button in view.rating_buttons.values())


def test_the_view_works_without_focus_as_under_ipywidgets_7(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(w.DOMWidget, "focus", raising=False)  # absent in 7.7.1 already
    view = _view()
    card = view.current
    view.flip_button.click()
    view.hard_button.click()
    assert _stored(card.key)["last_rating"] == "hard"


def test_readable_in_dark_theme_and_verdicts_in_words() -> None:
    view = _view()
    view.flip_button.click()
    view.good_button.click()
    parts = [view.card.value, view.status.value, view.feedback.value, view.counts.value]
    for part in parts:
        for colour in re.findall(r"(?:color|background|border):[^;']*", part):
            assert "var(--jp-" in colour, colour  # theme colours, with fallbacks
    assert "Rated Good" in view.feedback.value  # said in words, not colour


def test_static_html_shows_fronts_only_and_survives_sanitising() -> None:
    view = _view()
    bundle = view._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.widget.model_id
    page = bundle["text/html"]
    assert "What does the stride of a convolution set?" in page
    assert "How far the kernel moves" not in page  # no backs
    sanitised = bleach.clean(page, tags=bleach.ALLOWED_TAGS, attributes=bleach.ALLOWED_ATTRIBUTES)
    assert sanitised == page  # nbconvert's default sanitiser leaves it as it is


def test_every_course_deck_has_a_sanitiser_proof_static_copy() -> None:
    view = flashcards.show("all", seed=0)
    page = view.static_html()
    assert page.count("<li>") == len(view.deck.cards)
    sanitised = bleach.clean(page, tags=bleach.ALLOWED_TAGS, attributes=bleach.ALLOWED_ATTRIBUTES)
    assert sanitised == page


def test_a_garbage_store_never_breaks_the_view(progress_dir: Path) -> None:
    progress_dir.mkdir()
    (progress_dir / "progress.json").write_text(
        json.dumps(
            {
                "flashcards": {
                    "99_fixture/stride": {"box": "5", "last_seen": "yesterday"},
                    "99_fixture/forget-gate": {"state": "review", "due": "soon"},
                    "99_fixture/receptive-field": 7,
                }
            }
        ),
        encoding="utf-8",
    )
    with pytest.warns(progress.ProgressWarning, match="3 bad entries"):
        view = _view()
    assert len(view.queue) == 3
    view.flip_button.click()
    view.good_button.click()
    assert _stored(view.deck.cards[0].key) or _stored(view.deck.cards[1].key)


def test_leitner_cards_are_scheduled_from_their_box(progress_dir: Path) -> None:
    progress_dir.mkdir()
    seen = (NOW - timedelta(days=4)).isoformat()
    boxes = {"receptive-field": 1, "stride": 3, "forget-gate": 5}
    (progress_dir / "progress.json").write_text(
        json.dumps(
            {
                "version": 1,
                "flashcards": {
                    f"99_fixture/{k}": {"box": b, "last_seen": seen} for k, b in boxes.items()
                },
            }
        ),
        encoding="utf-8",
    )
    view = _view()
    # box 1: new; box 3 (3 days): due since a day; box 5 (14 days): due in 10 days
    assert "Due now: 1 · New: 1 · Learned: 0 of 3 · next review in 10 days" in view.counts.value
    assert view.current.key == "99_fixture/stride"


@pytest.fixture
def progress_dir(tmp_path: Path) -> Path:
    """The folder conftest points COURSE_PROGRESS_DIR at."""
    return tmp_path / "progress"


# --- Stray files, decks that clash, ratings at the store's limits --------------------------------


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


LATE_NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("stability", [progress.MAX_STABILITY_DAYS, 9.99e6, 0.001, 1e-9])
@pytest.mark.parametrize("difficulty", [1.0, 10.0])
@pytest.mark.parametrize("rating", schedule.RATINGS)
def test_every_rating_of_an_accepted_state_is_accepted(stability, difficulty, rating) -> None:
    entry = {
        "state": "review",
        "step": None,
        "stability": stability,
        "difficulty": difficulty,
        "due": (LATE_NOW - timedelta(days=1)).isoformat(),
        "last_review": (LATE_NOW - timedelta(days=400)).isoformat(),
        "reviews": 3,
    }
    assert progress.check_card(entry)
    reviewed = schedule.review(entry, rating, LATE_NOW)
    assert progress.check_card(reviewed) == reviewed


def test_a_card_at_the_stability_limit_can_be_rated_and_saved() -> None:
    key = "01_cnn/stride"
    edge = {
        "state": "review",
        "step": None,
        "stability": progress.MAX_STABILITY_DAYS,
        "difficulty": 1.0,
        "due": (LATE_NOW - timedelta(days=1)).isoformat(),
        "last_review": (LATE_NOW - timedelta(days=3000)).isoformat(),
        "reviews": 9,
    }
    progress.update_card(key, lambda old: edge)
    saved = progress.update_card(key, lambda old: schedule.review(old, Rating.Easy, LATE_NOW))
    assert saved["stability"] == progress.MAX_STABILITY_DAYS and saved["reviews"] == 10


def test_a_review_due_past_the_last_year_is_kept_at_the_latest_time() -> None:
    late = datetime(2999, 11, 1, tzinfo=UTC)
    entry = schedule.review(None, Rating.Easy, late)
    entry = schedule.review(entry, Rating.Easy, late + timedelta(days=20))
    assert progress.check_card(entry) == entry
