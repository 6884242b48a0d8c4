"""Flashcards: decks, Leitner boxes and the review widget driven with ``.click()``."""

from __future__ import annotations

import html
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from course_utils import flashcards, progress
from course_utils.flashcards import leitner
from course_utils.quiz import BankError

FIXTURES = Path(__file__).parent / "fixtures"
DECK = FIXTURES / "deck_small.yaml"
NOW = datetime(2024, 6, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def progress_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / "progress"))
    return tmp_path / "progress"


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
    assert len(flashcards.show("all", seed=1).order) == 6


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
    with pytest.raises(BankError) as info:
        flashcards.load_deck(path)
    for word in [str(path), *words]:
        assert word in str(info.value)


def test_leitner_moves() -> None:
    assert [leitner.knew_it(box) for box in leitner.BOXES] == [2, 3, 4, 5, 5]
    assert [leitner.again(box) for box in leitner.BOXES] == [1, 1, 1, 1, 1]
    assert leitner.box_of(None) == 1 and leitner.box_of({"box": 9}) == 5
    assert leitner.box_of({"box": "x"}) == 1


@pytest.mark.parametrize(("box", "days"), [(1, 0), (2, 1), (3, 3), (4, 7), (5, 14)])
def test_box_k_is_due_after_its_interval(box: int, days: int) -> None:
    seen = NOW - timedelta(days=days)
    assert leitner.is_due({"box": box, "last_seen": seen.isoformat()}, NOW)
    if days:
        just_before = NOW - timedelta(days=days) + timedelta(hours=1)
        assert not leitner.is_due({"box": box, "last_seen": just_before.isoformat()}, NOW)
    assert leitner.is_due(None, NOW)  # a new card is due


def test_review_order_due_first_then_seeded_shuffle() -> None:
    keys = [f"d/{i}" for i in range(10)]
    recent = (NOW - timedelta(hours=1)).isoformat()
    states = {key: {"box": 3, "last_seen": recent} for key in keys[:4]}  # not due
    order = leitner.review_order(keys, states, NOW, seed=7)
    assert set(order[:6]) == set(keys[4:]) and set(order[6:]) == set(keys[:4])
    assert order == leitner.review_order(keys, states, NOW, seed=7)  # reproducible
    assert order != leitner.review_order(keys, states, NOW, seed=8)
    assert leitner.box_counts(keys, states) == {1: 6, 2: 0, 3: 4, 4: 0, 5: 0}


def test_view_flip_knew_again_next_and_progress() -> None:
    view = flashcards.show(DECK, seed=0)
    assert [b.description for b in (view.flip_button, view.knew_button)] == ["Flip", "Knew it"]
    assert [b.description for b in (view.again_button, view.next_button)] == ["Again", "Next"]
    first = view.current
    assert first is not None
    front, back = html.escape(first.front), html.escape(first.back)
    assert front in view.card.value and back not in view.card.value
    assert view.knew_button.disabled and view.again_button.disabled  # flip first
    assert view.status.value.startswith("Card 1 of 3 · box 1 · due now")
    assert view.counts.value.startswith("Box 1: 3 · Box 2: 0")

    view.flip_button.click()
    assert back in view.card.value and not view.knew_button.disabled
    view.knew_button.click()
    assert progress.load()["flashcards"][first.key]["box"] == 2
    assert view.counts.value.startswith("Box 1: 2 · Box 2: 1")
    second = view.current
    assert second is not None and second.key != first.key
    assert html.escape(second.back) not in view.card.value  # the next card starts face down

    view.flip_button.click()
    view.knew_button.click()
    third = view.current
    view.flip_button.click()
    view.again_button.click()
    assert progress.load()["flashcards"][third.key]["box"] == 1
    assert view.status.value.startswith("Card 1 of 3")  # a new round after the last card

    view.next_button.click()
    assert view.position == 1


def test_mastered_count_and_knew_it_up_to_box_5() -> None:
    view = flashcards.show(DECK, seed=0)
    card = view.current
    for _ in range(6):
        view.position = view.order.index(card.key)
        view.flip_button.click()
        view.knew_button.click()
    assert progress.load()["flashcards"][card.key]["box"] == 5
    assert "mastered (box ≥ 4): 1" in view.counts.value


def test_static_html_lists_the_fronts() -> None:
    view = flashcards.show(DECK, seed=0)
    bundle = view._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.widget.model_id
    assert "What does the stride of a convolution set?" in bundle["text/html"]
