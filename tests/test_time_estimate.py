"""The header's time estimate: one formula over a lesson's content, written by the sync tool."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import time_estimate as te

ROOT = Path(__file__).resolve().parent.parent

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _code(text, tags=()):
    return {"cell_type": "code", "metadata": {"tags": list(tags)}, "source": text}


def _notebook():
    return {
        "cells": [
            _md("# Title\n\n**Time:** old guess\n\n**Prerequisites:** none"),
            _code("import course_utils\nconfig = course_utils.setup()", tags=["course-setup"]),
            _md("one two three $x$ four\n\n$$a = b$$\n\n$$c = d$$"),
            _code("# a comment\nx = 1\n\ny = 2"),
            _md("**Exercise 1 — warm.** Write it."),
            _code("def f():\n    ...  # your code here\n\n\nex.f.check(f)"),
            _md("**Exercise 2 — far (transfer).** Write it."),
            _md("Some more words about it."),
            _code("def g():\n    ...\n\n\nex.g.check(g)"),
            _md("Here is a finished one:"),
            _code("def h():\n    return 1\n\n\nex.h.check(h)"),
        ]
    }


def test_counts_words_equations_code_and_exercises_by_kind():
    content = te.measure(_notebook(), "99_none")
    # the old time paragraph is not counted; 'x' stands in for $x$; 29 words in all
    assert content.words == 3 + 5 + 5 + 6 + 5 + 5
    assert content.equations == 2
    assert content.code_lines == 2 + 3 + 3 + 3  # blank lines, comments and set-up excluded
    assert (content.warm_ups, content.transfers) == (1, 1)  # h is a demonstration
    assert content.questions == 0 and content.cards == 0


def test_the_formula_adds_its_documented_rates():
    content = te.Content(
        words=1200, equations=3, code_lines=50, warm_ups=2, transfers=1,
        question_minutes=15.0, questions=10, cards=8,
    )  # fmt: skip
    assert content.minutes() == pytest.approx(10 + 3 + 5 + 12 + 15 + 15 + 4)


def test_questions_that_ask_to_predict_or_compute_count_longer(tmp_path, monkeypatch):
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "quizzes" / "99_x.yaml").write_text(
        "questions:\n  - {id: a, skill: predict}\n  - {id: b, skill: recall}\n  - {id: c}\n"
    )
    monkeypatch.setattr(te, "DATA", tmp_path)
    content = te.measure({"cells": []}, "99_x")
    assert content.questions == 3 and content.question_minutes == 2.0 + 1.5 + 1.5


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(3, "5 min"), (42, "40 min"), (58, "1 h"), (95, "1 h 40 min"), (181, "3 h")],
)
def test_durations_are_rounded_for_people(minutes, text):
    assert te._duration(minutes) == text


def test_only_the_time_paragraph_is_replaced():
    title = "# T\n\nintro\n\n**Time:** about 2 hours\n(old).\n\n**Prerequisites:** x"
    new = te.with_time_paragraph(title, "**Time:** NEW.\n\n")
    assert new == "# T\n\nintro\n\n**Time:** NEW.\n\n**Prerequisites:** x"
    assert te.with_time_paragraph("# no time here", "**Time:** NEW.\n\n") == "# no time here"


def test_compute_time_comes_from_the_measured_file(tmp_path, monkeypatch):
    times = tmp_path / "compute_seconds.json"
    monkeypatch.setattr(te, "COMPUTE_SECONDS", times)
    assert "not measured yet" in te._compute_text("01_cnn")
    times.write_text(json.dumps({"01_cnn": 95}))
    assert te._compute_text("01_cnn").startswith("plus about 2 minutes of computing")
    assert "95 s measured" in te._compute_text("01_cnn")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_lesson_header_states_the_computed_estimate(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    title = "".join(notebook["cells"][0]["source"])
    assert te.time_paragraph(notebook, path.stem) in title
    assert "make " not in title, "no build commands in learner-facing text"


def test_a_transfer_mark_on_the_headings_second_line_counts():
    cells = [
        _md("**Exercise 1 — a long heading that wraps onto\n(transfer).** Then the task."),
        _code("def f():\n    ...\n\n\nex.f.check(f)"),
        _md("**Exercise 2 — a warm-up.** Its text mentions (transfer) after the heading."),
        _code("def g():\n    ...\n\n\nex.g.check(g)"),
    ]
    assert te._exercises(cells) == (1, 1)
