"""Shared helpers for *Deep Learning Architectures, hands-on*.

Importing this package is cheap: it imports neither TensorFlow nor Keras nor ipywidgets.
Submodules are loaded on first use, so ``course_utils.quiz.show("01_cnn")`` works after a
bare ``import course_utils``.
"""

from __future__ import annotations

import importlib
from typing import Any

from course_utils.checkpoint import checkpoint
from course_utils.modes import is_fast, is_strict, run_mode, scale

__version__ = "0.1.0"

_LAZY_FUNCTIONS = {"setup": "course_utils.config"}
_LAZY_MODULES = {
    "bpc",
    "colab",
    "config",
    "dashboard",
    "data",
    "exercises",
    "flashcards",
    "ngram",
    "glossary",
    "plots",
    "practice",
    "progress",
    "quiz",
    "tuning",
}

__all__ = ["checkpoint", "is_fast", "is_strict", "run_mode", "scale", "setup", *_LAZY_MODULES]


def __getattr__(name: str) -> Any:
    if name in _LAZY_FUNCTIONS:
        return getattr(importlib.import_module(_LAZY_FUNCTIONS[name]), name)
    if name in _LAZY_MODULES:
        return importlib.import_module(f"course_utils.{name}")
    raise AttributeError(f"module 'course_utils' has no attribute {name!r}")
