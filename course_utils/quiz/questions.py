"""Question models and grading, in pure Python (no widgets): ``question.grade(response)``.

Responses: an option index (or option text) for ``single``; a collection of indices (or
texts) for ``multiple``; a number or a string such as ``"1,5"`` or ``"1e-3"`` for ``numeric``;
a string for ``text``. A response that cannot be graded (empty, not a number, the wrong Python
type) gives a Grade with ``valid=False`` and a message saying what to fix; it never raises.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

CORRECT = "✔ Correct"
PARTLY = "◐ Partly right"
WRONG = "✘ Not quite"
UNGRADED = "✎ Not checked"


@dataclass(frozen=True)
class Grade:
    """The result of grading one response.

    ``feedback`` starts with the verdict in words (``✔ Correct``, ``◐ Partly right``,
    ``✘ Not quite``, or ``✎ Not checked`` when ``valid`` is False because the response could
    not be read; such a response does not count as an attempt).
    """

    correct: bool
    score: float
    feedback: str
    valid: bool = True


class AnswerError(ValueError):
    """A response that cannot be graded; the message tells the learner what to fix."""


def _verdict(label: str, detail: str = "") -> str:
    return f"{label} — {detail}" if detail else f"{label}."


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (None)"
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


@dataclass
class Question:
    """Common fields: a unique ``id``, the ``prompt``, and an ``explanation`` of the answer."""

    id: str
    prompt: str
    explanation: str
    kind: ClassVar[str] = ""

    def grade(self, response: Any) -> Grade:
        """Grade ``response``; unreadable input gives ``Grade(valid=False)``, never an error."""
        try:
            return self._grade(response)
        except AnswerError as err:
            return Grade(False, 0.0, _verdict(UNGRADED, str(err)), valid=False)

    def _grade(self, response: Any) -> Grade:
        raise NotImplementedError


@dataclass(frozen=True)
class Option:
    """One choice with its own explanation."""

    text: str
    correct: bool
    explanation: str = ""


def _option_index(options: Sequence[Option], choice: Any) -> int:
    """The index of ``choice`` (an index or an option's text) in ``options``."""
    if isinstance(choice, str):
        wanted = normalize(choice)
        for i, option in enumerate(options):
            if normalize(option.text) == wanted:
                return i
        raise AnswerError(f"{choice!r} is not one of the options.")
    if isinstance(choice, bool) or not isinstance(choice, numbers.Integral):
        raise AnswerError(f"Choose an option by its number or text, not {_type_name(choice)}.")
    if not 0 <= int(choice) < len(options):
        raise AnswerError(f"There is no option {choice}; options are 0 to {len(options) - 1}.")
    return int(choice)


@dataclass
class SingleChoice(Question):
    """Pick one option; right when the picked option is marked correct."""

    options: list[Option] = field(default_factory=list)
    kind: ClassVar[str] = "single"

    def _grade(self, response: Any) -> Grade:
        if response is None or (isinstance(response, str) and not response.strip()):
            raise AnswerError("Choose an option first.")
        if isinstance(response, (list, tuple, set, frozenset)):
            raise AnswerError("Choose exactly one option.")
        option = self.options[_option_index(self.options, response)]
        label = CORRECT if option.correct else WRONG
        return Grade(option.correct, float(option.correct), _verdict(label, option.explanation))


@dataclass
class MultipleChoice(Question):
    """Tick every right option; partial credit (right ticked - wrong ticked) / number right."""

    options: list[Option] = field(default_factory=list)
    kind: ClassVar[str] = "multiple"

    def _grade(self, response: Any) -> Grade:
        if isinstance(response, (str, numbers.Integral)) and not isinstance(response, bool):
            response = [response]
        if response is None or not isinstance(response, Iterable) or isinstance(response, dict):
            raise AnswerError(f"Tick the options that apply (got {_type_name(response)}).")
        ticked = sorted({_option_index(self.options, choice) for choice in response})
        if not ticked:
            raise AnswerError("Tick at least one option.")
        n_right = sum(option.correct for option in self.options)
        right = sum(self.options[i].correct for i in ticked)
        wrong = len(ticked) - right
        score = max(0.0, (right - wrong) / n_right)
        correct = right == n_right and wrong == 0
        label = CORRECT if correct else PARTLY if score > 0 else WRONG
        summary = f"{right} of {n_right} right options ticked"
        if wrong:
            summary += f", {wrong} wrong option{'s' if wrong > 1 else ''} ticked"
        details = " ".join(
            f"• {self.options[i].text}: {self.options[i].explanation}" for i in ticked
        )
        detail = f"score {score:.2f} ({summary}). {details}".strip()
        return Grade(correct, score, _verdict(label, detail))


@dataclass(frozen=True)
class NumericRange:
    """A closed interval of numbers, with an optional explanation for answers that fall in it."""

    low: float
    high: float
    explanation: str = ""

    def contains(self, x: float) -> bool:
        """True when ``x`` lies in the interval (allowing for float rounding)."""
        eps = 1e-9 * max(abs(self.low), abs(self.high))
        return self.low - eps <= x <= self.high + eps


_NUMBER_HINT = "Type a number such as 26, -0.5, 1.5 or 1e-3."


def parse_number(response: Any) -> float:
    """Read a number typed by a learner: ``" 1,5 "`` -> 1.5, ``"1e-3"`` -> 0.001.

    Raises AnswerError with a plain message for anything else.
    """
    if isinstance(response, bool):
        raise AnswerError(f"Expected a number, got {response}. {_NUMBER_HINT}")
    if isinstance(response, numbers.Real):
        value = float(response)
    elif isinstance(response, str):
        text = unicodedata.normalize("NFKC", response).strip().replace("−", "-")
        if not text:
            raise AnswerError(f"Type a number first. {_NUMBER_HINT}")
        text = re.sub(r"(?<=\d)[\s_](?=\d)", "", text)
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")  # a decimal comma
        try:
            value = float(text)
        except ValueError:
            raise AnswerError(f"{response.strip()!r} is not a number. {_NUMBER_HINT}") from None
    elif response is None:
        raise AnswerError(f"Type a number first. {_NUMBER_HINT}")
    else:
        raise AnswerError(f"Expected a single number, got {_type_name(response)}. {_NUMBER_HINT}")
    if not math.isfinite(value):
        raise AnswerError(f"Expected a finite number, got {value}. {_NUMBER_HINT}")
    return value


def round_significant(x: float, digits: int) -> float:
    """``x`` rounded to ``digits`` significant digits."""
    return float(f"{x:.{digits}g}")


@dataclass
class Numeric(Question):
    """A number; right when it falls in one of the ``accept`` ranges.

    ``feedback`` ranges explain typical wrong answers; ``precision`` (significant digits, from
    jupyterquiz banks) rounds the response before comparing.
    """

    accept: list[NumericRange] = field(default_factory=list)
    feedback: list[NumericRange] = field(default_factory=list)
    precision: int | None = None
    default_feedback: str = ""
    kind: ClassVar[str] = "numeric"

    def _grade(self, response: Any) -> Grade:
        value = parse_number(response)
        if self.precision:
            value = round_significant(value, self.precision)
        for rng in self.accept:
            if rng.contains(value):
                return Grade(True, 1.0, _verdict(CORRECT, rng.explanation))
        for rng in self.feedback:
            if rng.contains(value):
                return Grade(False, 0.0, _verdict(WRONG, rng.explanation))
        detail = self.default_feedback or f"{value:g} is not the expected value. Try again."
        return Grade(False, 0.0, _verdict(WRONG, detail))


def normalize(text: str, *, case_sensitive: bool = False) -> str:
    """Normalise a short answer: Unicode form, case, hyphens, spaces and a final full stop."""
    text = unicodedata.normalize("NFKC", text)
    if not case_sensitive:
        text = text.casefold()
    text = re.sub(r"[\s\-_]+", " ", text).strip()
    return text.rstrip(".").strip()


@dataclass
class Text(Question):
    """A short text answer, compared with each accepted answer after :func:`normalize`."""

    answers: list[str] = field(default_factory=list)
    wrong_answers: dict[str, str] = field(default_factory=dict)  # answer -> explanation
    case_sensitive: bool = False
    default_feedback: str = ""
    kind: ClassVar[str] = "text"

    def _grade(self, response: Any) -> Grade:
        if response is None or (isinstance(response, str) and not response.strip()):
            raise AnswerError("Type an answer first.")
        if not isinstance(response, str):
            raise AnswerError(f"Type your answer as text, not {_type_name(response)}.")
        given = normalize(response, case_sensitive=self.case_sensitive)
        if any(given == normalize(a, case_sensitive=self.case_sensitive) for a in self.answers):
            return Grade(True, 1.0, _verdict(CORRECT))
        for answer, explanation in self.wrong_answers.items():
            if given == normalize(answer, case_sensitive=self.case_sensitive):
                return Grade(False, 0.0, _verdict(WRONG, explanation))
        detail = self.default_feedback or f"{response.strip()!r} is not the answer expected."
        return Grade(False, 0.0, _verdict(WRONG, detail))
