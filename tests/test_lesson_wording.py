"""What the lessons' words promise: dashes read as dashes, developer settings stay out of what
a learner memorises, and lesson 00 describes the quiz as the quiz behaves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sync_notebooks
import yaml

from course_utils.quiz.bank import load_bank

ROOT = Path(__file__).resolve().parent.parent

BANKS = sorted((ROOT / "data" / "quizzes").glob("[0-9][0-9]_*.yaml"))
DECKS = sorted((ROOT / "data" / "flashcards").glob("[0-9][0-9]_*.yaml"))
#: A spaced hyphen between words where prose means a dash; maths ("1 - p", "v - lr g",
#: "y_pred - y") has a digit, a one-letter name or an identifier beside it and is left alone.
SPACED_HYPHEN = re.compile(r"(?:[A-Za-z]{2}[,;:]|[^\s_`]{2}[A-Za-z]) - (?:[A-Za-z]{2}|[(\"'“])")
#: Settings for developers and CI (README, "Run modes"), not course content to memorise.
DEVELOPER_SETTINGS = re.compile(r"COURSE_(?:FAST|STRICT|RESULTS|ALLOW_DOWNLOAD)")


#: Fields of prose; option texts, answers and labels are left as written (a feedback line
#: is "option — reason", so a dash inside an option would split it in the wrong place).
PROSE = {"prompt", "explanation", "front", "back", "description"}


def _strings(value: object, fields: set[str] | None = None) -> list[str]:
    """Every string in a bank or deck (only under the keys in ``fields``, when given)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [
            s
            for k, v in value.items()
            if fields is None or k in fields or isinstance(v, (dict, list))
            for s in _strings(v, fields)
        ]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v, fields)]
    return []


@pytest.mark.parametrize("path", BANKS + DECKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_spaced_hyphen_where_a_dash_is_meant(path: Path) -> None:
    texts = _strings(yaml.safe_load(path.read_text(encoding="utf-8")), PROSE)
    hyphens = [t[:80] for t in texts if SPACED_HYPHEN.search(t)]
    assert not hyphens, f"write a dash (—) where prose means one: {hyphens}"


def test_the_dash_rule_leaves_maths_alone() -> None:
    assert SPACED_HYPHEN.search("It keeps falling - the model has capacity to spare.")
    for maths in ("(1 - p)", "v <- beta v - lr g", "y_pred - y_true", "log(1 - D(G(z)))"):
        assert not SPACED_HYPHEN.search(maths), maths


@pytest.mark.parametrize("path", BANKS + DECKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_question_or_card_on_a_developer_setting(path: Path) -> None:
    texts = _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert not [t[:80] for t in texts if DEVELOPER_SETTINGS.search(t)]


def test_welcome_describes_the_quiz_feedback_as_it_is_given() -> None:
    """Each check explains the options the learner ticked, not every option."""
    from course_utils.quiz.questions import MultipleChoice

    bank = load_bank(ROOT / "data" / "quizzes" / "00_welcome.yaml")
    question = next(q for q in bank.questions if isinstance(q, MultipleChoice))
    ticked = next(i for i, o in enumerate(question.options) if o.correct)
    lines = question.grade([ticked]).feedback.splitlines()
    explained = [o for o in question.options if o.text in question.grade([ticked]).feedback]
    assert len(explained) == 1 and len(lines) < len(question.options) + 1
    notebook = sync_notebooks.loads((ROOT / "notebooks" / "00_welcome.ipynb").read_text())
    quiz_text = next(c["source"] for c in notebook["cells"] if c["source"].startswith("### Quiz"))
    assert "every option, right or wrong" not in quiz_text
    assert "every option you ticked" in quiz_text


def test_welcome_says_which_html_export_to_use() -> None:
    """JupyterLab's HTML export with "Sanitize HTML" ticked shows markdown as tag soup."""
    notebook = sync_notebooks.loads((ROOT / "notebooks" / "00_welcome.ipynb").read_text())
    text = " ".join(" ".join(c["source"].split()) for c in notebook["cells"])
    assert "Save and Export Notebook As → HTML" in text
    assert 'untick "Sanitize HTML"' in text and "MathJax" in text
