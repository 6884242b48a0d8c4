"""Every quiz bank and flashcard deck under data/ follows its schema and the course's rules."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from course_utils import flashcards, quiz
from course_utils.content import SUFFIXES
from course_utils.markup import flat
from course_utils.paths import REPO_ROOT
from course_utils.quiz.order import option_order
from course_utils.quiz.questions import MultipleChoice, Numeric, Option, SingleChoice

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
    bank = quiz.load_bank(path)  # schema and rules; raises a ContentError naming the problem
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


def _section_headings(lesson: str) -> set[str]:
    notebook = json.loads((REPO_ROOT / "notebooks" / f"{lesson}.ipynb").read_text("utf-8"))
    headings = set()
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"])
            headings |= {line[3:].strip() for line in source.splitlines() if line.startswith("## ")}
    return headings


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.name)
def test_every_question_names_its_concept_and_a_real_section(path: Path) -> None:
    """Practice rounds show one question per concept and link misses to the section."""
    headings = _section_headings(path.stem)
    for question in quiz.load_bank(path).questions:
        where = f"{path.name}: question {question.id!r}"
        assert question.concept, f"{where} has no concept"
        assert question.section in headings, f"{where}: no heading {question.section!r}"


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


# -- Fairness: neither position nor length gives the right option away (issue 18, item 1) --

LEARNER = "0123456789abcdef0123456789abcdef"  # one learner seed for the whole course
BANKS = {path.stem: quiz.load_bank(path) for path in QUIZ_FILES}


def _singles() -> list[tuple[str, SingleChoice]]:
    return [
        (name, q)
        for name, bank in BANKS.items()
        for q in bank.questions
        if isinstance(q, SingleChoice)
    ]


def _strictly_longest_is_right(question: SingleChoice) -> bool:
    right = next(o for o in question.options if o.correct)
    return all(len(right.label) > len(o.label) for o in question.options if o is not right)


def _poisson_binomial(probabilities: list[float]) -> list[float]:
    """P(S = s) for a sum S of independent Bernoulli(p_i)."""
    dist = [1.0]
    for p in probabilities:
        dist = [
            (dist[s] if s < len(dist) else 0.0) * (1 - p) + (dist[s - 1] * p if s else 0.0)
            for s in range(len(dist) + 1)
        ]
    return dist


def test_right_option_is_shown_first_about_once_in_k() -> None:
    """As one learner sees the course: how often is the right option the first one shown?

    Under a fair shuffle question i (k_i options) shows it first with probability 1/k_i, so
    the count is Poisson-binomial. The observed count must not be in either 0.1 % tail
    (the exact two-sided test; 53 of 53 as before the shuffle has p < 1e-30).
    """
    singles = _singles()
    firsts = 0
    for name, question in singles:
        shown = option_order(question, name, LEARNER)
        firsts += question.options[shown[0]].correct
    dist = _poisson_binomial([1 / len(q.options) for _, q in singles])
    p_low, p_high = sum(dist[: firsts + 1]), sum(dist[firsts:])
    p_value = min(1.0, 2 * min(p_low, p_high))
    expected = sum(1 / len(q.options) for _, q in singles)
    assert p_value > 0.001, (
        f"right option shown first in {firsts} of {len(singles)} single-choice questions "
        f"(expected about {expected:.1f}; two-sided p = {p_value:.2g})"
    )


def _longest_report() -> tuple[int, int, str]:
    per_bank = {}
    for name, question in _singles():
        longest, total = per_bank.get(name, (0, 0))
        per_bank[name] = (longest + _strictly_longest_is_right(question), total + 1)
    longest = sum(x for x, _ in per_bank.values())
    total = sum(n for _, n in per_bank.values())
    report = ", ".join(f"{name} {x}/{n}" for name, (x, n) in sorted(per_bank.items()))
    return longest, total, report


def test_right_option_is_rarely_the_strictly_longest_course_wide() -> None:
    """Across the course the right option is the strictly longest in at most a third of the
    single-choice questions (by chance alone: about 1/k)."""
    longest, total, report = _longest_report()
    assert longest <= total / 3, f"right option strictly longest in {longest}/{total}: {report}"


@pytest.mark.parametrize("name", sorted(BANKS))
def test_right_option_is_rarely_the_strictly_longest_in_each_bank(name: str) -> None:
    """The course's rule for every bank (docs/AUTHORING.md): at most a quarter."""
    singles = [q for n, q in _singles() if n == name]
    longest = sum(_strictly_longest_is_right(q) for q in singles)
    assert longest <= len(singles) / 4, (
        f"{name}: the right option is strictly the longest in {longest} of "
        f"{len(singles)} single-choice questions (at most a quarter allowed)"
    )


#: Most a bank's one-answer questions may have the right option as the strictly shortest (or
#: the strictly longest) option, and the fewest such questions for the share to count.
EXTREME_SHARE, EXTREME_MIN_QUESTIONS = 0.40, 5


def visible_length(option: Option) -> int:
    """The characters a learner sees in ``option``: its text as the quiz shows it (`backticks`
    become code font, runs of white space one space) plus its code block, whose indentation
    and line breaks count as one space each. An option made only of code counts its code."""
    text = html.unescape(re.sub(r"<[^>]+>", "", flat(option.text)))
    return len(text) + len(" ".join(option.code.split()))


def _one_answer_questions(bank: quiz.Bank) -> list[SingleChoice | MultipleChoice]:
    """Single-choice questions, and tick-all questions with exactly one right option (the
    learner picks one option either way; a jupyterquiz many_choice with one right answer
    is read as single choice already)."""
    return [
        q
        for q in bank.questions
        if isinstance(q, (SingleChoice, MultipleChoice)) and sum(o.correct for o in q.options) == 1
    ]


def _right_is_extreme(question: SingleChoice | MultipleChoice) -> tuple[bool, bool]:
    """Whether the right option is (strictly the shortest, strictly the longest) option."""
    right = next(o for o in question.options if o.correct)
    others = [visible_length(o) for o in question.options if o is not right]
    length = visible_length(right)
    return length < min(others), length > max(others)


def test_visible_length_counts_what_the_learner_sees() -> None:
    assert visible_length(Option("Use `Conv2D`  here", True)) == len("Use Conv2D here")
    assert visible_length(Option("", True, code="def f(x):\n    return x")) == len(
        "def f(x): return x"
    )
    assert visible_length(Option("a < b", True, code="x")) == len("a < b") + 1


def test_right_option_is_not_given_away_by_being_the_shortest_or_longest() -> None:
    """A test-wise learner who always picks the shortest (or the longest) option must not do
    well. Per bank, over its one-answer questions, the right option may be strictly the
    shortest in at most 40 % of them, and strictly the longest in at most 40 %, by the length
    the learner sees (:func:`visible_length`; ties are not strict).

    If length said nothing, each share would be at most 1/k for k options (1/4 for four, 1/3
    for three; ties make it smaller). 40 % leaves room for questions whose right answer is
    naturally short or long, while the always-pick-the-shortest bet gains at most 15 points
    over guessing among four. A bank with fewer than 5 such questions is not judged: 2 of 4
    is no evidence either way. (The per-bank rule above is stricter for the longest, a
    quarter of the single-choice questions; this one adds the shortest.)
    """
    problems = []
    for name, bank in sorted(BANKS.items()):
        questions = _one_answer_questions(bank)
        if len(questions) < EXTREME_MIN_QUESTIONS:
            continue
        extremes = [_right_is_extreme(q) for q in questions]
        for which, side in (("shortest", 0), ("longest", 1)):
            ids = [q.id for q, flags in zip(questions, extremes, strict=True) if flags[side]]
            if len(ids) > EXTREME_SHARE * len(questions):
                problems.append(
                    f"{name}: right option strictly the {which} in {len(ids)} of "
                    f"{len(questions)} one-answer questions: {', '.join(ids)}"
                )
    assert not problems, (
        f"length gives the right option away (at most {EXTREME_SHARE:.0%} allowed):\n"
        + "\n".join(problems)
    )


def test_length_rule_reads_jupyterquiz_banks_too() -> None:
    """A jupyterquiz bank in data/quizzes is judged the same way: its one-right-answer
    questions are found, and an answer given only as code is measured by its code."""
    bank = quiz.load_bank(REPO_ROOT / "tests" / "fixtures" / "jupyterquiz_all_types.json")
    question = next(q for q in _one_answer_questions(bank) if q.prompt == "What does this print?")
    assert [visible_length(o) for o in question.options] == [2, 1, len("TypeError: <str> + <str>")]
    assert _right_is_extreme(question) == (False, False)


def test_right_options_of_multiple_choice_are_not_the_longest() -> None:
    """Multiple choice: right options are not recognisable by length.

    (a) In at most a third of the questions are all right options longer than every wrong
    one. (b) Over all (right, wrong) pairs of a question, a right option is the longer one
    at most 65 % of the time (ties count half; 50 % when length says nothing).
    """
    top, longer, pairs, questions = 0.0, 0.0, 0, 0
    for bank in BANKS.values():
        for question in bank.questions:
            if not isinstance(question, MultipleChoice):
                continue
            right = [len(o.label) for o in question.options if o.correct]
            wrong = [len(o.label) for o in question.options if not o.correct]
            if not wrong:
                continue
            questions += 1
            top += min(right) > max(wrong)
            for r in right:
                for x in wrong:
                    longer += 1.0 if r > x else 0.5 if r == x else 0.0
                    pairs += 1
    assert top <= questions / 3, f"right options all longest in {top:g} of {questions}"
    assert longer / pairs <= 0.65, f"a right option is the longer in {longer / pairs:.0%} of pairs"
