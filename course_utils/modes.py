"""Run modes: the learner's real run (default) or a tiny developer run (``COURSE_FAST=1``).

Every code path of a lesson runs in both modes; only budgets (epochs, sample counts,
sequence lengths) change, through :func:`scale`.
"""

from __future__ import annotations

from typing import TypeVar

from course_utils.env import env_flag

T = TypeVar("T")


def is_fast() -> bool:
    """True when ``COURSE_FAST`` is set: every code path runs on tiny budgets."""
    return env_flag("COURSE_FAST")


def is_strict() -> bool:
    """True when ``COURSE_STRICT`` is set: a missed checkpoint raises instead of warning."""
    return env_flag("COURSE_STRICT")


def run_mode() -> str:
    """``"fast"`` or ``"default"``."""
    return "fast" if is_fast() else "default"


def scale(full: T, fast: T) -> T:
    """Pick a budget: ``full`` for the learner's run, ``fast`` under ``COURSE_FAST=1``.

    >>> scale(full=30, fast=2)  # epochs
    30
    """
    return fast if is_fast() else full
