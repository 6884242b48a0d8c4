"""Every lesson's quiz bank tags each question with a skill, and at least half of its questions
ask the learner to predict or compute (the course's rule; see data/schemas/quiz.schema.json)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from course_utils.paths import REPO_ROOT

SKILLS = {"predict", "compute", "explain", "recall"}
ACTIVE = {"predict", "compute"}
LESSON_BANKS = sorted(
    path
    for path in (REPO_ROOT / "data" / "quizzes").glob("*.yaml")
    if re.fullmatch(r"0[0-8]_[a-z0-9_]+", path.stem)
)


def test_every_lesson_has_a_bank() -> None:
    assert [path.stem[:2] for path in LESSON_BANKS] == [f"{n:02d}" for n in range(9)]


@pytest.mark.parametrize("path", LESSON_BANKS, ids=lambda p: p.stem)
def test_every_question_has_a_skill_and_half_predict_or_compute(path: Path) -> None:
    questions = yaml.safe_load(path.read_text("utf-8"))["questions"]
    skills = [question.get("skill") for question in questions]
    untagged = [q["id"] for q in questions if q.get("skill") not in SKILLS]
    assert not untagged, f"{path.name}: no allowed skill on {untagged}"
    active = sum(skill in ACTIVE for skill in skills)
    assert 2 * active >= len(skills), f"{path.name}: {active}/{len(skills)} predict or compute"
