"""course_utils.modes: the run mode (default or fast), budgets by mode, and the strict flag."""

from __future__ import annotations

import pytest

from course_utils import is_fast, is_strict, run_mode, scale


def test_default_mode_picks_full_budget():
    assert not is_fast()
    assert run_mode() == "default"
    assert scale(full=30, fast=2) == 30


def test_fast_mode_picks_fast_budget(monkeypatch):
    monkeypatch.setenv("COURSE_FAST", "1")
    assert is_fast()
    assert run_mode() == "fast"
    assert scale(full=30, fast=2) == 2


@pytest.mark.parametrize("value", ["0", "", "no", "false"])
def test_flags_off(monkeypatch, value):
    monkeypatch.setenv("COURSE_STRICT", value)
    assert not is_strict()
