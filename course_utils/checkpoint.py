"""Checkpoints: a lesson's measured targets, shown to the learner and enforced in CI.

``checkpoint("test accuracy", acc, at_least=0.98)`` prints a clear pass/miss line.
Under ``COURSE_STRICT=1`` a miss raises :class:`CheckpointMissed`, so CI fails when a lesson
stops reaching its target. With ``COURSE_RESULTS=path`` every checkpoint is appended to that
JSON-lines file (the benchmark reads it).

In fast mode (``COURSE_FAST=1``) training budgets are tiny, so targets that depend on
training are reported but not enforced; exact checks (``trained=False``, e.g. a NumPy
convolution equal to Keras) are enforced in every mode.
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from course_utils.modes import is_fast, is_strict, run_mode

_START = time.monotonic()


class CheckpointMissed(AssertionError):
    """Raised under ``COURSE_STRICT=1`` when a checkpoint misses its target."""


@dataclass(frozen=True)
class CheckpointResult:
    """One checkpoint: what was measured, the target, and whether it was met."""

    name: str
    value: float
    target: str
    passed: bool
    enforced: bool
    lesson: str
    mode: str
    seconds_since_import: float

    def _ipython_display_(self) -> None:
        """Show nothing as a cell's result: :func:`checkpoint` has already printed its line."""


def _describe_target(at_least: float | None, at_most: float | None) -> str:
    parts = []
    if at_least is not None:
        parts.append(f">= {at_least:g}")
    if at_most is not None:
        parts.append(f"<= {at_most:g}")
    return " and ".join(parts)


def _format_value(value: float) -> str:
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
        return f"{value:.3g}"
    return f"{value:.4g}"


def checkpoint(
    name: str,
    value: float,
    *,
    at_least: float | None = None,
    at_most: float | None = None,
    trained: bool = True,
) -> CheckpointResult:
    """Check a measured ``value`` against its target and say so in one line.

    Parameters
    ----------
    name : what was measured, e.g. ``"CNN test accuracy"``.
    value : the measured number (a Python or NumPy scalar).
    at_least, at_most : the target; give one or both.
    trained : ``True`` when the value depends on a training budget (then fast mode only
        reports it); ``False`` for exact checks enforced in every mode.

    Returns the :class:`CheckpointResult`; raises :class:`CheckpointMissed` on a miss under
    ``COURSE_STRICT=1``, and ``ValueError`` when no target is given or the value is not a number.
    """
    if at_least is None and at_most is None:
        raise ValueError(f"checkpoint {name!r}: give a target, at_least=... or at_most=...")
    number = _as_float(name, "value", value)
    at_least = None if at_least is None else _as_float(name, "at_least", at_least)
    at_most = None if at_most is None else _as_float(name, "at_most", at_most)

    passed = not math.isnan(number)
    if at_least is not None:
        passed = passed and number >= at_least
    if at_most is not None:
        passed = passed and number <= at_most
    enforced = not (trained and is_fast())
    result = CheckpointResult(
        name=name,
        value=number,
        target=_describe_target(at_least, at_most),
        passed=passed,
        enforced=enforced,
        lesson=os.environ.get("COURSE_LESSON", ""),
        mode=run_mode(),
        seconds_since_import=round(time.monotonic() - _START, 2),
    )
    print(_line(result))
    _record(result)
    if not passed and enforced and is_strict():
        raise CheckpointMissed(f"checkpoint missed: {name} = {number:g}, target {result.target}")
    return result


def _as_float(name: str, what: str, value: object) -> float:
    """``value`` as a float; ValueError naming the checkpoint when it is not a number a float
    can hold (an integer of 400 digits is too large)."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"checkpoint {name!r}: {what} must be a number, got {value!r}") from None
    except OverflowError:
        raise ValueError(f"checkpoint {name!r}: {what} is a number too large for a float") from None


def _line(result: CheckpointResult) -> str:
    shown = _format_value(result.value)
    if result.passed:
        return f"✅ PASS  {result.name}: {shown} (target {result.target})"
    if not result.enforced:
        return (
            f"⏩ FAST  {result.name}: {shown} (target {result.target}; "
            "fast mode trains too little to reach it, so it is not enforced)"
        )
    return f"❌ MISS  {result.name}: {shown} (target {result.target})"


def _record(result: CheckpointResult) -> None:
    path = os.environ.get("COURSE_RESULTS")
    if not path:
        return
    with Path(path).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(result)) + "\n")
