"""Shared fixtures: every test gets its own progress store and no run-mode variables."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_course_env(monkeypatch, tmp_path):
    for name in ("COURSE_FAST", "COURSE_STRICT", "COURSE_RESULTS", "COURSE_LESSON"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / "progress"))
