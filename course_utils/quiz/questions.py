"""Question models and grading, in pure Python (no widgets): ``question.grade(response)``.

Responses: an option index (or option text) for ``single``; a collection of indices (or
texts) for ``multiple``; a number or a string such as ``"1,5"`` or ``"1e-3"`` for ``numeric``;
a string for ``text``; a dict ``{label: answer}`` (or answers in label order) for ``match``.
A response that cannot be graded (empty, not a number, an ambiguous "18,496", the wrong Python
type) gives a Grade with ``valid=False`` and a message saying what to fix; it never raises.

Questions read from jupyterquiz banks are graded by jupyterquiz's own rules
(:class:`JupyterquizNumeric`, :class:`JupyterquizString`, :class:`Match`).
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, ClassVar

from course_utils.messages import type_name

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


#: Longest piece of a learner's answer quoted back in feedback.
ECHO_CHARS = 40


def shorten(text: str, limit: int = ECHO_CHARS) -> str:
    """``text`` quoted for feedback, cut to ``limit`` characters (``'abc…' (1,000 characters)``)."""
    text = text.strip()
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text):,} characters)"


@dataclass
class Question:
    """Common fields: a unique ``id``, the ``prompt``, an ``explanation`` of the answer, an
    optional ``code`` block shown under the prompt (monospace, escaped), the ``concept`` it
    asks about (practice rounds show one question per concept) and the lesson ``section``
    that teaches it."""

    id: str
    prompt: str
    explanation: str
    code: str = field(default="", kw_only=True)
    concept: str = field(default="", kw_only=True)
    section: str = field(default="", kw_only=True)
    kind: ClassVar[str] = ""

    def grade(self, response: Any) -> Grade:
        """Grade ``response``; unreadable input gives ``Grade(valid=False)``, never an error."""
        try:
            return self._grade(response)
        except AnswerError as err:
            return Grade(False, 0.0, _verdict(UNGRADED, str(err)), valid=False)
        except (ValueError, ArithmeticError) as err:  # a response no rule above foresaw
            detail = (
                f"This answer cannot be read ({type(err).__name__}). Try writing it another way."
            )
            return Grade(False, 0.0, _verdict(UNGRADED, detail), valid=False)

    def _grade(self, response: Any) -> Grade:
        raise NotImplementedError


@dataclass(frozen=True)
class Option:
    """One choice with its own explanation; ``code`` is an optional code block shown with it."""

    text: str
    correct: bool
    explanation: str = ""
    code: str = ""

    @property
    def label(self) -> str:
        """The option in one line of plain text (its text, then its code)."""
        return " ".join(part for part in (self.text, self.code) if part)


def _option_index(options: Sequence[Option], choice: Any) -> int:
    """The index of ``choice`` (an index or an option's text) in ``options``."""
    if isinstance(choice, str):
        wanted = normalize(choice)
        for i, option in enumerate(options):
            if normalize(option.label) == wanted or (
                option.text and normalize(option.text) == wanted
            ):
                return i
        raise AnswerError(f"{shorten(choice)} is not one of the options.")
    if isinstance(choice, bool) or not isinstance(choice, numbers.Integral):
        raise AnswerError(f"Choose an option by its number or text, not {type_name(choice)}.")
    if not 0 <= int(choice) < len(options):
        raise AnswerError(f"There is no option {choice}; options are 0 to {len(options) - 1}.")
    return int(choice)


@dataclass
class SingleChoice(Question):
    """Pick one option; right when the picked option is marked correct.

    Options are shown in a per-learner shuffled order unless ``shuffle`` is False.
    """

    options: list[Option] = field(default_factory=list)
    shuffle: bool = True
    columns: int | None = None  # jupyterquiz's answer_cols: options laid out in a grid
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
    """Tick every right option; partial credit (right ticked - wrong ticked) / number right.

    The feedback has one line per ticked option, each with its own mark (✔ right to tick,
    ✘ wrong to tick); options left unticked are not explained, so nothing is given away.
    """

    options: list[Option] = field(default_factory=list)
    shuffle: bool = True
    columns: int | None = None
    kind: ClassVar[str] = "multiple"

    def _grade(self, response: Any) -> Grade:
        if isinstance(response, (str, numbers.Integral)) and not isinstance(response, bool):
            response = [response]
        if response is None or not isinstance(response, Iterable) or isinstance(response, dict):
            raise AnswerError(f"Tick the options that apply (got {type_name(response)}).")
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
        lines = [f"{label} — score {score:.2f} ({summary})"]
        for i in ticked:
            option = self.options[i]
            mark = "✔" if option.correct else "✘"
            reason = option.explanation.strip()
            lines.append(f"{mark} {option.label.strip()}" + (f" — {reason}" if reason else ""))
        return Grade(correct, score, "\n".join(lines))


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


_NUMBER_HINT = "Type a number such as 26, -0.5, 1.5, 1e-3, 2^10 or 22/7."

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻]+")
_DECIMAL = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?"
_POWER = re.compile(rf"^(?:({_DECIMAL})(?:x|\*|·|×))?({_DECIMAL})(?:\^|\*\*)([+-]?\d+)$")
_FRACTION = re.compile(rf"^({_DECIMAL})/({_DECIMAL})$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")  # 1,234,567.5
_EURO_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+,\d+$")  # 1.234.567,5
_ONE_GROUP = re.compile(r"^[+-]?\d{1,3},\d{3}$")  # 18,496: thousands or decimal comma?


class AmbiguousAnswer(AnswerError):
    """A response with two readings (``"18,496"``); the learner is asked which one was meant."""


def _power(base: float, digits: str) -> float:
    """``base`` to the power written by ``digits`` (an optional sign, then digits)."""
    exponent = int(digits) if len(digits) <= 6 else None  # int() refuses 4,300+ digits
    if exponent is None or abs(exponent) > 400:
        raise AnswerError(f"The exponent {shorten(digits)} is too large. {_NUMBER_HINT}")
    try:
        return base**exponent
    except (OverflowError, ZeroDivisionError):
        raise AnswerError(f"That power cannot be computed. {_NUMBER_HINT}") from None


def _read_text_number(response: str) -> float:
    """The number in a learner's text; AnswerError (or AmbiguousAnswer) when there is none."""
    # Superscripts first: NFKC would turn 10³ into 103.
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^" + m.group().translate(_SUPERSCRIPTS), response)
    text = unicodedata.normalize("NFKC", text).strip().replace("−", "-").replace("⁄", "/")
    if not text:
        raise AnswerError(f"Type a number first. {_NUMBER_HINT}")
    text = re.sub(r"(?<=\d)[\s_'](?=\d)", "", text)  # 1 000, 1_000, 1'000
    text = re.sub(r"\s*([*/^x×·])\s*", r"\1", text.lower())
    if _ONE_GROUP.match(text):
        whole, rest = text.split(",")
        raise AmbiguousAnswer(
            f"{response.strip()!r} could be {whole}{rest} (a comma between thousands) or "
            f"{whole}.{rest} (a decimal comma). Type {whole}{rest} or {whole}.{rest}."
        )
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    elif _EURO_THOUSANDS.match(text):
        text = text.replace(".", "").replace(",", ".")
    elif text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # a decimal comma
    if match := _FRACTION.match(text):
        numerator, denominator = float(match[1]), float(match[2])
        if denominator == 0:
            raise AnswerError(f"{shorten(response)} divides by zero. {_NUMBER_HINT}")
        return numerator / denominator
    if match := _POWER.match(text):
        factor = float(match[1]) if match[1] else 1.0
        return factor * _power(float(match[2]), match[3])
    if re.fullmatch(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?|[+-]?(?:inf|infinity|nan)", text):
        return float(text)
    raise AnswerError(f"{shorten(response)} is not a number. {_NUMBER_HINT}")


def parse_number(response: Any) -> float:
    """Read a number typed by a learner.

    ``" 1,5 "`` -> 1.5, ``"1e-3"`` -> 0.001, ``"1,234,567"`` -> 1234567, ``"22/7"`` -> 3.142...,
    ``"10³"``, ``"10^3"`` and ``"10**3"`` -> 1000, ``"1.5×10⁻³"`` -> 0.0015. A comma followed by
    exactly three digits (``"18,496"``) could be a thousands separator or a decimal comma: it
    raises :class:`AmbiguousAnswer`, asking which was meant. Anything else that is not a
    finite number raises AnswerError with a plain message.
    """
    if isinstance(response, bool):
        raise AnswerError(f"Expected a number, got {response}. {_NUMBER_HINT}")
    if isinstance(response, numbers.Real):
        try:
            value = float(response)
        except OverflowError:
            raise AnswerError(f"That number is too large. {_NUMBER_HINT}") from None
    elif isinstance(response, str):
        value = _read_text_number(response)
    elif response is None:
        raise AnswerError(f"Type a number first. {_NUMBER_HINT}")
    else:
        raise AnswerError(f"Expected a single number, got {type_name(response)}. {_NUMBER_HINT}")
    if not math.isfinite(value):
        raise AnswerError(f"Expected a finite number, got {value}. {_NUMBER_HINT}")
    return value


def round_significant(x: float, digits: int) -> float:
    """``x`` rounded to ``digits`` significant digits, halves away from zero.

    This is JavaScript's ``Number(x.toPrecision(digits))``, which jupyterquiz uses: it rounds
    the exact binary value, ties away from zero (Python's ``f"{x:.3g}"`` rounds ties to even).
    """
    if x == 0 or not math.isfinite(x):
        return x
    exact = Decimal(x)
    quantum = Decimal(1).scaleb(exact.adjusted() - digits + 1)
    try:
        return float(exact.quantize(quantum, rounding=ROUND_HALF_UP))
    except InvalidOperation:  # more digits than the context holds: nothing to round
        return x


@dataclass
class Numeric(Question):
    """A number; right when it falls in one of the ``accept`` ranges; ``feedback`` ranges
    explain typical wrong answers. (jupyterquiz's ``precision`` and default feedback belong to
    :class:`JupyterquizNumeric`.)"""

    accept: list[NumericRange] = field(default_factory=list)
    feedback: list[NumericRange] = field(default_factory=list)
    kind: ClassVar[str] = "numeric"

    def _grade(self, response: Any) -> Grade:
        value = parse_number(response)
        for rng in self.accept:
            if rng.contains(value):
                return Grade(True, 1.0, _verdict(CORRECT, rng.explanation))
        for rng in self.feedback:
            if rng.contains(value):
                return Grade(False, 0.0, _verdict(WRONG, rng.explanation))
        detail = f"{value:.6g} is not the expected value. Try again."
        return Grade(False, 0.0, _verdict(WRONG, detail))


#: Quotes a learner may put around an answer (the prompts write examples as 'lo').
_QUOTES = {"'": "'", '"': '"', "`": "`", "‘": "’", "“": "”", "„": "“", "«": "»", "‹": "›"}
_AROUND_SYMBOLS = re.compile(r"\s*([=,+()\[\]{}])\s*")


def _unquoted(text: str) -> str:
    """``text`` without the quotes around it (``'es'``, ```es```, ``“es”``), if it has any."""
    while len(text) >= 2 and _QUOTES.get(text[0]) == text[-1]:
        text = text[1:-1].strip()
    return text


def _plain_characters(text: str) -> str:
    """Invisible characters (zero-width space, direction marks, soft hyphen) removed and
    every dash (‐ ‑ – — −) made a hyphen."""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cf":
            continue
        kept.append("-" if category == "Pd" or char == "−" else char)
    return "".join(kept)


def normalize(text: str, *, case_sensitive: bool = False) -> str:
    """Normalise a short answer: what a person would not call different is made the same.

    Unicode form (NFKC), invisible characters and the kind of dash, case (unless
    ``case_sensitive``), hyphens, underscores and runs of spaces (one space), the quotes
    around the answer, spaces around ``= , + ( ) [ ] { }``, and a final full stop.
    """
    text = _plain_characters(unicodedata.normalize("NFKC", text))
    if not case_sensitive:
        text = text.casefold()
    text = _unquoted(text.strip().rstrip(".").strip())
    text = re.sub(r"[\s\-_]+", " ", text).strip()
    text = _AROUND_SYMBOLS.sub(r"\1", text)
    return text.rstrip(".").strip()


def _require_text(response: Any) -> None:
    """AnswerError unless ``response`` is text with something in it."""
    if response is None or (isinstance(response, str) and not response.strip()):
        raise AnswerError("Type an answer first.")
    if not isinstance(response, str):
        raise AnswerError(f"Type your answer as text, not {type_name(response)}.")


@dataclass
class Text(Question):
    """A short text answer, compared with each accepted answer after :func:`normalize`."""

    answers: list[str] = field(default_factory=list)
    wrong_answers: dict[str, str] = field(default_factory=dict)  # answer -> explanation
    case_sensitive: bool = False
    kind: ClassVar[str] = "text"

    def _grade(self, response: Any) -> Grade:
        _require_text(response)
        given = normalize(response, case_sensitive=self.case_sensitive)
        if any(given == normalize(a, case_sensitive=self.case_sensitive) for a in self.answers):
            return Grade(True, 1.0, _verdict(CORRECT))
        for answer, explanation in self.wrong_answers.items():
            if given == normalize(answer, case_sensitive=self.case_sensitive):
                return Grade(False, 0.0, _verdict(WRONG, explanation))
        detail = f"{shorten(response)} is not the answer expected."
        return Grade(False, 0.0, _verdict(WRONG, detail))


@dataclass(frozen=True)
class JQNumericAnswer:
    """One entry of a jupyterquiz numeric question: a ``value`` or a ``range`` [low, high)."""

    correct: bool
    feedback: str | None = None  # None: jupyterquiz shows its own default words
    value: float | None = None
    low: float | None = None
    high: float | None = None

    def matches(self, x: float, precision: int | None) -> bool:
        """jupyterquiz's test: the rounded value is equal, or ``low <= x < high``."""
        if self.value is not None:
            value = round_significant(self.value, precision) if precision else self.value
            return x == value
        assert self.low is not None and self.high is not None
        return self.low <= x < self.high


def _jq_verdict(correct: bool, feedback: str | None, default: str) -> Grade:
    label = CORRECT if correct else WRONG
    detail = default if feedback is None else feedback
    return Grade(correct, float(correct), _verdict(label, detail.strip()))


@dataclass
class JupyterquizNumeric(Question):
    """A jupyterquiz ``numeric`` question, graded as jupyterquiz's numeric.js grades it.

    The learner's number (``22/7`` is divided) is rounded to ``precision`` significant digits
    when given; the answers are tried in bank order and the first ``value`` that equals it
    (after the same rounding) or ``range`` [low, high) that holds it decides. Otherwise the
    ``default`` feedback ("Incorrect. Try again." when the bank gives none).
    """

    answers: list[JQNumericAnswer] = field(default_factory=list)
    precision: int | None = None
    default_feedback: str = "Incorrect. Try again."
    kind: ClassVar[str] = "numeric"

    def _grade(self, response: Any) -> Grade:
        value = parse_number(response)
        if self.precision:
            value = round_significant(value, self.precision)
        for answer in self.answers:
            if answer.matches(value, self.precision):
                return _jq_verdict(answer.correct, answer.feedback, "")
        return _jq_verdict(False, self.default_feedback, "")


def levenshtein(a: str, b: str) -> int:
    """The edit distance (insertions, deletions, substitutions) between ``a`` and ``b``."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _js_lower(text: str) -> str:
    """JavaScript's ``toLowerCase`` for the text jupyterquiz compares (Python's ``lower``)."""
    return text.lower()


@dataclass(frozen=True)
class JQStringAnswer:
    """One entry of a jupyterquiz string question."""

    answer: str
    correct: bool
    feedback: str | None = None
    match_case: bool = False
    fuzzy_threshold: float | None = None

    def fuzzy_ratio(self, submission: str) -> float:
        """jupyterquiz's ratio: 1 - levenshtein / length of the longer string."""
        a, b = submission, self.answer
        if not self.match_case:
            a, b = _js_lower(a), _js_lower(b)
        longest = max(len(a), len(b))
        if longest == 0:
            return 1.0
        # The distance is at least the difference in length: skip hopeless comparisons
        # (a 1 MB answer would take minutes).
        bound = 1 - abs(len(a) - len(b)) / longest
        if self.fuzzy_threshold is not None and bound < self.fuzzy_threshold:
            return 0.0
        return 1 - levenshtein(a, b) / longest


@dataclass
class JupyterquizString(Question):
    """A jupyterquiz ``string`` question, graded as jupyterquiz's string.js grades it.

    The answer is trimmed; each bank answer is tried in order: equal (ignoring case unless
    ``match_case``), or, with ``fuzzy_threshold``, a Levenshtein ratio
    ``1 - distance / max(len)`` at least the threshold (feedback then starts "(Fuzzy)").
    Otherwise the ``default`` feedback ("Incorrect. Try again." when the bank gives none).
    """

    answers: list[JQStringAnswer] = field(default_factory=list)
    default_feedback: str = "Incorrect. Try again."
    input_width: int | None = None
    kind: ClassVar[str] = "text"

    def _grade(self, response: Any) -> Grade:
        _require_text(response)
        submission = response.strip()
        for answer in self.answers:
            if answer.match_case:
                exact = submission == answer.answer
            else:
                exact = _js_lower(submission) == _js_lower(answer.answer)
            if exact:
                return _jq_verdict(answer.correct, answer.feedback, "")
            threshold = answer.fuzzy_threshold
            if threshold and answer.fuzzy_ratio(submission) >= threshold:
                fuzzy = None if answer.feedback is None else f"(Fuzzy) {answer.feedback}"
                return _jq_verdict(answer.correct, fuzzy, "")
        return _jq_verdict(False, self.default_feedback, "")


@dataclass(frozen=True)
class Pair:
    """One row of a matching question: a ``label`` and the ``answer`` that belongs to it."""

    label: str
    answer: str
    explanation: str = ""


@dataclass
class Match(Question):
    """Match each label with one of ``options``; graded per pair (score = share right).

    A response is a dict ``{label: option}`` or the chosen options in label order (None for a
    row left empty). Every row must be answered before it is checked. ``correct_feedback``
    and ``incorrect_feedback`` (jupyterquiz's ``feedback.correct`` / ``feedback.incorrect``,
    with ``{correct}`` and ``{total}`` filled in) replace the summary line.
    """

    pairs: list[Pair] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    shuffle_pairs: bool = True
    shuffle_options: bool = True
    correct_feedback: str = ""
    incorrect_feedback: str = ""
    kind: ClassVar[str] = "match"

    def _choices(self, response: Any) -> list[str]:
        labels = [pair.label for pair in self.pairs]
        if isinstance(response, dict):
            unknown = [k for k in response if k not in labels]
            if unknown:
                raise AnswerError(f"{shorten(str(unknown[0]))} is not one of the items to match.")
            chosen = [response.get(label) for label in labels]
        elif isinstance(response, (list, tuple)):
            if len(response) != len(labels):
                raise AnswerError(f"Give one answer for each of the {len(labels)} items.")
            chosen = list(response)
        else:
            raise AnswerError(f"Choose an answer for every item (got {type_name(response)}).")
        missing = sum(c is None or c == "" for c in chosen)
        if missing:
            raise AnswerError(
                f"Choose an answer for every item first ({missing} of {len(labels)} left)."
            )
        for choice in chosen:
            if not isinstance(choice, str) or choice not in self.options:
                raise AnswerError(f"{shorten(str(choice))} is not one of the options.")
        return chosen

    def _grade(self, response: Any) -> Grade:
        chosen = self._choices(response)
        right = [c == p.answer for c, p in zip(chosen, self.pairs, strict=True)]
        n_right, total = sum(right), len(self.pairs)
        correct = n_right == total
        score = n_right / total
        label = CORRECT if correct else PARTLY if n_right else WRONG
        custom = self.correct_feedback if correct else self.incorrect_feedback
        summary = custom.replace("{correct}", str(n_right)).replace("{total}", str(total))
        lines = [f"{label} — " + (summary or f"{n_right} of {total} matched correctly")]
        for ok, choice, pair in zip(right, chosen, self.pairs, strict=True):
            line = f"{'✔' if ok else '✘'} {pair.label} → {choice}"
            if pair.explanation and ok:
                line += f" — {pair.explanation}"
            lines.append(line)
        return Grade(correct, score, "\n".join(lines))
