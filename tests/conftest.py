"""Shared fixtures: every test gets its own progress store and no run-mode variables;
``data_copy`` gives a test a data folder of its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course_utils.paths import REPO_ROOT


@pytest.fixture(autouse=True)
def _isolated_course_env(monkeypatch, tmp_path):
    for name in ("COURSE_FAST", "COURSE_STRICT", "COURSE_RESULTS", "COURSE_LESSON"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / "progress"))


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the course's quiz banks and decks, used as the data folder."""
    copy = tmp_path / "data"
    for folder in ("quizzes", "flashcards"):
        shutil.copytree(REPO_ROOT / "data" / folder, copy / folder)
    monkeypatch.setenv("COURSE_DATA_DIR", str(copy))
    return copy
