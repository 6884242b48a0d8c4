"""Every quiz bank and flashcard deck under data/ follows its schema and the course's rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course_utils import flashcards, quiz
from course_utils.paths import REPO_ROOT
from course_utils.quiz.questions import MultipleChoice, Numeric, SingleChoice
from course_utils.quiz.schema import SUFFIXES

DATA = REPO_ROOT / "data"
WELCOME = "00_welcome"
MIN_QUESTIONS = {WELCOME: 4}  # every other lesson: 10
MIN_CARDS = {WELCOME: 3}  # every other lesson: 12


def _files(folder: str) -> list[Path]:
    """Every file in data/<folder> except notes such as README.md."""
    return sorted(
        p
        for p in (DATA / folder).iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() != ".md"
    )


QUIZ_FILES = _files("quizzes")
DECK_FILES = _files("flashcards")


def test_the_welcome_bank_and_deck_exist() -> None:
    assert DATA / "quizzes" / f"{WELCOME}.yaml" in QUIZ_FILES
    assert DATA / "flashcards" / f"{WELCOME}.yaml" in DECK_FILES


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.name)
def test_quiz_bank(path: Path) -> None:
    assert path.suffix.lower() in SUFFIXES, f"{path} is not a YAML or JSON bank"
    bank = quiz.load_bank(path)  # schema and rules; raises a BankError naming the problem
    assert bank.quiz_id == path.stem, f"{path}: 'lesson' should be {path.stem!r}"
    minimum = MIN_QUESTIONS.get(path.stem, 10)
    assert len(bank.questions) >= minimum, f"{path}: {len(bank.questions)} < {minimum} questions"
    for question in bank.questions:
        where = f"{path.name}: question {question.id!r}"
        assert question.explanation.strip(), f"{where} has no explanation"
        if isinstance(question, (SingleChoice, MultipleChoice)):
            for option in question.options:
                assert option.explanation.strip(), f"{where}: option {option.text!r} unexplained"
        if isinstance(question, Numeric):
            assert all(r.explanation.strip() for r in question.feedback), where


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.name)
def test_quiz_bank_uses_every_kind_sensibly(path: Path) -> None:
    """Lesson banks mix question types, so a quiz is more than a string of single choices."""
    kinds = {question.kind for question in quiz.load_bank(path).questions}
    assert len(kinds) >= 3, f"{path}: only {sorted(kinds)} questions; mix at least 3 types"


@pytest.mark.parametrize("path", DECK_FILES, ids=lambda p: p.name)
def test_flashcard_deck(path: Path) -> None:
    assert path.suffix.lower() in SUFFIXES, f"{path} is not a YAML or JSON deck"
    deck = flashcards.load_deck(path)  # schema and unique ids
    assert {card.lesson for card in deck.cards} == {path.stem}, f"{path}: 'lesson' mismatch"
    minimum = MIN_CARDS.get(path.stem, 12)
    assert len(deck.cards) >= minimum, f"{path}: {len(deck.cards)} < {minimum} cards"
    fronts = [card.front.strip().casefold() for card in deck.cards]
    assert len(set(fronts)) == len(fronts), f"{path}: two cards have the same front"


def test_all_decks_combine() -> None:
    deck = flashcards.load_deck("all")
    assert len(deck.cards) == sum(len(flashcards.load_deck(p).cards) for p in DECK_FILES)


@pytest.mark.parametrize("name", ["quiz", "flashcards", "jupyterquiz"])
def test_schemas_are_valid_json_schema(name: str) -> None:
    import jsonschema

    schema = json.loads((DATA / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema).check_schema(schema)
