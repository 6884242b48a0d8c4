"""The time a lesson asks of a learner, computed from its content by one formula.

``tools/sync_notebooks.py`` writes the result into every lesson's header (the paragraph that
starts with ``**Time:**``), so every estimate is made the same way and follows the lesson
when it grows. Reading-and-doing time and compute time are stated separately:

reading and doing, in minutes =
    words of prose / 120                 technical prose read for understanding
  + display equations x 1                 ($$ ... $$), followed line by line
  + lines of code x 0.1                   read, run and look at the output (6 s a line)
  + warm-up exercises x 6                 a formula or a cell of the lesson written again
  + transfer exercises x 15               something not shown line for line (a variant, an
                                          ablation, a repair, a prediction)
  + quiz questions x 1.5                  (2 for a predict or compute question)
  + flashcards x 0.5                      a first pass through the deck

compute = the median seconds of the lesson's default run over the benchmark's seeds on a
2-core CPU, read from ``data/compute_seconds.json`` (written by
``tools/bench.py --merge ... --record-times``).

The rates are deliberate round numbers, not measurements of any learner: 120 words per
minute is about half of ordinary reading speed, fair for prose with symbols in it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
COMPUTE_SECONDS = DATA / "compute_seconds.json"

WORDS_PER_MINUTE = 120
MINUTES_PER_EQUATION = 1.0
MINUTES_PER_CODE_LINE = 0.1
MINUTES_PER_EXERCISE = {"warm-up": 6.0, "transfer": 15.0}
MINUTES_PER_QUESTION = {"predict": 2.0, "compute": 2.0}
MINUTES_PER_OTHER_QUESTION = 1.5
MINUTES_PER_CARD = 0.5

DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.S)
INLINE_MATH = re.compile(r"\$[^$\n]+\$")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
WORD = re.compile(r"[A-Za-zÀ-ÿ0-9][\w'’-]*")
CHECK_CALL = re.compile(r"\bex\.(\w+)\.check\(")
TRANSFER_WORDS = re.compile(r"\((?:transfer|prediction)\)", re.I)
EXERCISE_HEADING = re.compile(r"Exercise \d+|^\*\*\d+\.\s")
TIME_PARAGRAPH = re.compile(r"\*\*Time(?: needed)?:\*\*.*?(?=\*\*Prerequisites|\Z)", re.S)


@dataclass(frozen=True)
class Content:
    """What a lesson asks a learner to read and do."""

    words: int
    equations: int
    code_lines: int
    warm_ups: int
    transfers: int
    question_minutes: float
    questions: int
    cards: int

    def minutes(self) -> float:
        """Reading-and-doing time by the module's formula."""
        return (
            self.words / WORDS_PER_MINUTE
            + self.equations * MINUTES_PER_EQUATION
            + self.code_lines * MINUTES_PER_CODE_LINE
            + self.warm_ups * MINUTES_PER_EXERCISE["warm-up"]
            + self.transfers * MINUTES_PER_EXERCISE["transfer"]
            + self.question_minutes
            + self.cards * MINUTES_PER_CARD
        )


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _skipped(cell: dict) -> bool:
    """Header cells written by the sync tool (badge, set-up, warm-up) are not lesson content."""
    return any(tag.startswith("course-") for tag in cell.get("metadata", {}).get("tags", []))


def _bold_heading(text: str) -> str:
    """An exercise's heading: its bold run (``**Exercise 5 — ... (transfer).**``, which may
    wrap over lines), or its first line when it does not start in bold."""
    end = text.find("**", 2) if text.startswith("**") else -1
    return text[: end + 2] if end > 0 else text.splitlines()[0]


def _exercises(cells: list[dict]) -> tuple[int, int]:
    """(warm-ups, transfers): one per exercise a learner writes.

    An exercise is a code cell that calls ``ex.NAME.check(`` on a stub (``...``); a cell that
    checks a finished answer is a demonstration. It is a transfer exercise when the heading
    that introduces it (``Exercise N ...`` or ``**N. ...``; the whole bold run, which may wrap)
    says "(transfer)" or "(prediction)".
    """
    kinds: dict[str, str] = {}
    heading = ""
    for cell in cells:
        text = _source(cell)
        if cell["cell_type"] == "markdown":
            first_line = text.strip().splitlines()[0] if text.strip() else ""
            if EXERCISE_HEADING.search(first_line):
                heading = _bold_heading(text.strip())
            continue
        for name in CHECK_CALL.findall(text):
            if "..." not in text:
                continue  # a demonstration with a finished answer, not an exercise
            kind = "transfer" if TRANSFER_WORDS.search(heading) else "warm-up"
            kinds.setdefault(name, kind)
    transfers = sum(kind == "transfer" for kind in kinds.values())
    return len(kinds) - transfers, transfers


def _bank(folder: str, lesson: str, key: str) -> list[dict]:
    path = DATA / folder / f"{lesson}.yaml"
    if not path.exists():
        return []
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(key) or []


def measure(notebook: dict, lesson: str) -> Content:
    """Count what lesson ``lesson`` (a notebook stem) asks a learner to read and do."""
    cells = [cell for cell in notebook["cells"] if not _skipped(cell)]
    prose = code = ""
    for cell in cells:
        if cell["cell_type"] == "markdown":
            prose += LINK.sub(r"\1", TIME_PARAGRAPH.sub(" ", _source(cell))) + "\n"
        elif cell["cell_type"] == "code":
            code += _source(cell) + "\n"
    equations = len(DISPLAY_MATH.findall(prose))
    words = len(WORD.findall(INLINE_MATH.sub(" x ", DISPLAY_MATH.sub(" ", prose))))
    code_lines = sum(
        1 for line in code.splitlines() if line.strip() and not line.strip().startswith("#")
    )
    warm_ups, transfers = _exercises(cells)
    questions = _bank("quizzes", lesson, "questions")
    question_minutes = sum(
        MINUTES_PER_QUESTION.get(q.get("skill", ""), MINUTES_PER_OTHER_QUESTION) for q in questions
    )
    cards = len(_bank("flashcards", lesson, "cards"))
    return Content(
        words, equations, code_lines, warm_ups, transfers, question_minutes, len(questions), cards
    )


def _duration(minutes: float) -> str:
    """Minutes rounded to 10 (5 under an hour), as '1 h 40 min' or '45 min'."""
    step = 5 if minutes < 60 else 10
    rounded = max(step, int(step * round(minutes / step)))
    hours, rest = divmod(rounded, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def _compute_text(lesson: str) -> str:
    seconds = None
    if COMPUTE_SECONDS.exists():
        seconds = json.loads(COMPUTE_SECONDS.read_text(encoding="utf-8")).get(lesson)
    if seconds is None:
        return "plus the computing time of its default run (not measured yet)"
    minutes = max(1, round(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return (
        f"plus about {minutes} {unit} of computing on a 2-core laptop CPU "
        f"({round(seconds)} s measured; less on a GPU)"
    )


def time_paragraph(notebook: dict, lesson: str) -> str:
    """The header's time paragraph for ``lesson``, ending in a newline."""
    content = measure(notebook, lesson)
    exercises = content.warm_ups + content.transfers
    parts = [
        f"{content.words:,} words and {content.equations} equations to read",
        f"{content.code_lines} lines of code to run",
        f"{exercises} exercises ({content.transfers} of them transfer)",
        f"{content.questions} quiz questions",
        f"{content.cards} flashcards",
    ]
    return (
        f"**Time:** about {_duration(content.minutes())} of reading and doing "
        f"({', '.join(parts)}), {_compute_text(lesson)}.\n\n"
    )


def with_time_paragraph(title_source: str, paragraph: str) -> str:
    """``title_source`` (a lesson's first cell) with its time paragraph replaced."""
    if not TIME_PARAGRAPH.search(title_source):
        return title_source
    return TIME_PARAGRAPH.sub(lambda _: paragraph, title_source, count=1)
