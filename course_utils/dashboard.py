"""The progress dashboard: a view of the progress store, one line per lesson.

The store (:mod:`course_utils.progress`) knows no widget and no bank; this module reads the
store, the quiz banks, the flashcard decks and the lessons' exercise modules (their
``EXERCISES``) and draws the view.
It is plain HTML made only of tags that survive sanitising (``strong``, ``b``, ``em``, ``code``,
``ul``, ``li``), so it reads the same in JupyterLab, on GitHub and in a sanitised HTML export.
"""

from __future__ import annotations

import html
import importlib
import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from course_utils.messages import error_text
from course_utils.paths import REPO_ROOT
from course_utils.progress import Store, load, parse_time, store_path

EXERCISES_DIR = REPO_ROOT / "lesson_exercises"


def exercise_names(lesson: str, folder: Path | None = None) -> list[str]:
    """The names of the exercises ``lesson_exercises/ex_<lesson>.py`` declares in its
    ``EXERCISES`` tuple, in order.

    The module is imported (it needs only NumPy); ``folder`` reads it from another folder
    instead (tests). A lesson without an exercise module has none. ContentError, naming the
    file, for a module that cannot be imported or declares no ``EXERCISES``.
    """
    from course_utils.content import ContentError

    path = (folder or EXERCISES_DIR) / f"ex_{lesson}.py"
    if not path.is_file():
        return []
    try:
        if folder is None:
            module = importlib.import_module(f"lesson_exercises.ex_{lesson}")
        else:
            spec = importlib.util.spec_from_file_location(f"_dashboard_ex_{lesson}", path)
            module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
            spec.loader.exec_module(module)  # type: ignore[union-attr]
        return [exercise.name for exercise in module.EXERCISES]
    except Exception as err:  # whatever a half-edited module raises, said in one message
        raise ContentError(f"cannot read the exercises of {path.name}: {error_text(err)}") from err


@dataclass(frozen=True)
class LessonRow:
    """One dashboard line: a lesson's quiz score, exercises passed and flashcards."""

    lesson: str
    title: str
    quiz_score: float  # sum of best scores
    quiz_total: int  # number of questions
    exercises_passed: int
    exercises_total: int  # declared in the lesson's module (a retired one is kept, not counted)
    cards_learned: int
    cards_due: int
    cards_new: int
    cards_total: int

    @property
    def completion(self) -> float:
        """Mean of the quiz score, the share of exercises passed and the share of cards
        learned, over the parts the lesson has."""
        parts = [
            done / total
            for done, total in (
                (self.quiz_score, self.quiz_total),
                (self.exercises_passed, self.exercises_total),
                (self.cards_learned, self.cards_total),
            )
            if total
        ]
        return sum(parts) / len(parts) if parts else 0.0


def _bar(fraction: float, width: int = 10) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def _day(stamp: object) -> str:
    when = parse_time(stamp)
    return f"{when:%Y-%m-%d}" if when else "?"


def practice_lines(store: Store) -> list[str]:
    """The practice section in words: the latest practice round and the last exam."""
    rounds = store.get("practice", {}).get("rounds", {})
    practice = [entry for entry in rounds.values() if entry.get("kind") == "practice"]
    lines = []
    if practice:
        last = max(practice, key=lambda entry: entry.get("number", 0))
        scores = last.get("scores", {})
        lines.append(
            f"practice rounds: {len(practice)}; the latest (round {last.get('number', '?')}, "
            f"{_day(last.get('last_seen'))}): {sum(scores.values()):g} / "
            f"{len(last.get('questions', []))}, {len(scores)} answered"
        )
    exam = rounds.get("exam", {})
    if exam.get("submitted"):
        by_lesson: dict[str, list[float]] = {}
        for key in exam.get("questions", []):
            score = exam.get("scores", {}).get(key, 0.0)
            by_lesson.setdefault(key.split("/", 1)[0], []).append(score)
        total = sum(sum(s) for s in by_lesson.values())
        parts = ", ".join(
            f"{lesson} {sum(s):g}/{len(s)}" for lesson, s in sorted(by_lesson.items())
        )
        lines.append(
            f"exam: {total:g} / {len(exam.get('questions', []))} on "
            f"{_day(exam['submitted'])} (attempt {exam.get('attempts', 1)}); by lesson: {parts}"
        )
    return lines or ["practice: no round and no exam yet"]


@dataclass(frozen=True)
class GlossaryCards:
    """The glossary terms the learner turned into flashcards, counted like a deck."""

    total: int
    learned: int
    due: int
    new: int

    def line(self) -> str:
        """The dashboard's glossary line."""
        if not self.total:
            return (
                "Glossary cards: none yet (in glossary.show(), open a term and press "
                "Add to my flashcards)"
            )
        return (
            f"Glossary cards: {self.total} terms added, {self.learned} learned, "
            f"{self.due} due now, {self.new} new (review them with glossary.review())"
        )


def glossary_cards(store: Store, now: datetime) -> GlossaryCards:
    """Count the glossary terms in the store's flashcards (``glossary/<anchor>`` keys)."""
    from course_utils.flashcards import schedule
    from course_utils.glossary.cards import added_keys

    counts = schedule.deck_counts(added_keys(store["flashcards"]), store["flashcards"], now)
    return GlossaryCards(counts.total, counts.learned, counts.due, counts.new)


class Dashboard:
    """The progress view; shows as HTML in a notebook (also in static views) and as text."""

    def __init__(
        self,
        rows: list[LessonRow],
        path: Path,
        problems: Sequence[str] = (),
        practice: list[str] | None = None,
        glossary: GlossaryCards | None = None,
    ) -> None:
        self.rows = rows
        self.path = path
        self.problems = list(problems)  # lessons whose bank or deck could not be read
        self.practice = practice or []
        self.glossary = glossary or GlossaryCards(0, 0, 0, 0)

    @staticmethod
    def _parts(row: LessonRow) -> list[str]:
        return [
            f"quiz {row.quiz_score:g} / {row.quiz_total}",
            f"exercises {row.exercises_passed} of {row.exercises_total} passed",
            f"cards {row.cards_learned} of {row.cards_total} learned, {row.cards_due} due now, "
            f"{row.cards_new} new",
            f"progress {_bar(row.completion)} {row.completion:.0%}",
        ]

    _NOTE = (
        "Progress is the mean of the quiz score, the share of exercises passed and the share "
        "of flashcards learned. A card is learned when FSRS has it in review with a memory "
        "stability of at least 21 days (it takes reviews on different days)."
    )

    def __repr__(self) -> str:
        lines = [f"{row.lesson} {row.title}: " + " · ".join(self._parts(row)) for row in self.rows]
        lines += [f"Not shown: {problem}" for problem in self.problems]
        lines.append(self.glossary.line())
        return "\n".join([*lines, *self.practice, self._NOTE, f"(saved in {self.path})"])

    def _practice_html(self) -> str:
        if not self.practice:
            return ""
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.practice)
        return f"<strong>Practice across lessons</strong><ul>{items}</ul>"

    def _repr_html_(self) -> str:
        items = "".join(
            f"<li><b>{html.escape(row.lesson)}</b> {html.escape(row.title)}: "
            + " · ".join(html.escape(part) for part in self._parts(row))
            + "</li>"
            for row in self.rows
        )
        items += "".join(f"<li>Not shown: {html.escape(p)}</li>" for p in self.problems)
        items += f"<li>{html.escape(self.glossary.line())}</li>"
        return (
            f"<strong>Your progress</strong><ul>{items}</ul>{self._practice_html()}"
            f"<em>{html.escape(self._NOTE)} Saved in "
            f"<code>{html.escape(str(self.path))}</code>.</em>"
        )


def _lesson_row(lesson: str, store: Store, now: datetime) -> LessonRow:
    from course_utils import flashcards, quiz
    from course_utils.flashcards import schedule

    bank = quiz.load_bank(lesson)
    best = store["quizzes"].get(bank.quiz_id, {})
    score = sum(float(best.get(q.id, {}).get("best", 0.0)) for q in bank.questions)
    recorded = store["exercises"].get(lesson, {})
    names = exercise_names(lesson)  # an exercise since replaced stays in the store, uncounted
    try:
        keys = [card.key for card in flashcards.load_deck(lesson).cards]
    except FileNotFoundError:
        keys = []
    cards = schedule.deck_counts(keys, store["flashcards"], now)
    return LessonRow(
        lesson=lesson,
        title=bank.title,
        quiz_score=round(score, 2),
        quiz_total=len(bank.questions),
        exercises_passed=sum(recorded.get(n, {}).get("status") == "correct" for n in names),
        exercises_total=len(names),
        cards_learned=cards.learned,
        cards_due=cards.due,
        cards_new=cards.new,
        cards_total=cards.total,
    )


def show() -> Dashboard:
    """The progress dashboard: one line per lesson (the banks in ``data/quizzes``), then the
    glossary terms turned into flashcards.

    Put it on the last line of a cell to display it.
    """
    from course_utils.content import ContentError
    from course_utils.quiz import lesson_ids

    store = load()
    now = datetime.now(UTC)
    rows, problems = [], []
    for lesson in lesson_ids():
        try:
            rows.append(_lesson_row(lesson, store, now))
        except (ContentError, OSError) as err:  # one broken file must not hide every lesson
            problems.append(f"{lesson} ({err})")
    return Dashboard(
        rows, store_path(), problems, practice_lines(store), glossary_cards(store, now)
    )
