"""Every solution a learner can see passes its own check.

``ex.<name>.solution()`` prints ``solution_code``; here that text is run as a learner would
paste it into the exercise cell: in a namespace holding only what the lesson's notebook
imports (its top-level ``import`` statements), then checked as that cell checks it
(``ex.<name>.check(<what the cell passes>)``). The exercises are found by importing every
``lesson_exercises.ex_*`` module, so a new exercise is covered without editing this file.
"""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
from typing import Any

import pytest

import lesson_exercises
from course_utils.exercises import FunctionExercise, ValueExercise
from course_utils.paths import REPO_ROOT

NOTEBOOKS = REPO_ROOT / "notebooks"


def _exercises() -> list[Any]:
    found = []
    for module_info in pkgutil.iter_modules(lesson_exercises.__path__):
        if not module_info.name.startswith("ex_"):
            continue
        module = importlib.import_module(f"lesson_exercises.{module_info.name}")
        found += [
            v for v in vars(module).values() if isinstance(v, FunctionExercise | ValueExercise)
        ]
    return sorted(found, key=lambda exercise: (exercise.lesson, exercise.name))


def _code_cells(lesson: str) -> list[ast.Module]:
    """The parsed code cells of ``notebooks/<lesson>.ipynb`` (``%`` and ``!`` lines left out)."""
    notebook = json.loads((NOTEBOOKS / f"{lesson}.ipynb").read_text(encoding="utf-8"))
    trees = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            lines = "".join(cell["source"]).splitlines()
            kept = [line for line in lines if not line.lstrip().startswith(("%", "!"))]
            trees.append(ast.parse("\n".join(kept)))
    return trees


def lesson_imports(lesson: str) -> list[str]:
    """The top-level ``import`` statements of the lesson's code cells, in order."""
    return [
        ast.unparse(node)
        for tree in _code_cells(lesson)
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]


def checked_name(lesson: str, exercise: str) -> str:
    """The name the lesson's exercise cell checks: ``x`` in ``ex.<exercise>.check(x)``
    (a demonstration's ``check(..., record=False)`` aside); the exercise's own name when the
    lesson has no such cell."""
    for tree in _code_cells(lesson):
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            target = node.func.value
            learner = not any(k.arg == "record" for k in node.keywords)
            if (
                node.func.attr == "check"
                and learner
                and isinstance(target, ast.Attribute)
                and target.attr == exercise
                and node.args
                and isinstance(node.args[0], ast.Name)
            ):
                return node.args[0].id
    return exercise


EXERCISES = _exercises()


def test_every_lesson_module_is_found() -> None:
    """The discovery above sees every exercise module's exercises (a guard against a
    parametrised test that quietly runs nothing)."""
    modules = {m.name for m in pkgutil.iter_modules(lesson_exercises.__path__)}
    lessons = {exercise.lesson for exercise in EXERCISES}
    assert {f"ex_{lesson}" for lesson in lessons} == {m for m in modules if m.startswith("ex_")}


#: Shown solutions known not to pass as a learner would use them, and why; strict, so the
#: entry has to go once the lesson or the exercise module is fixed.
KNOWN_FAILURES: dict[str, str] = {}


def _case(exercise: Any) -> Any:
    key = f"{exercise.lesson}.{exercise.name}"
    reason = KNOWN_FAILURES.get(key)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(exercise, id=key, marks=marks)


@pytest.mark.parametrize("exercise", [_case(e) for e in EXERCISES])
def test_shown_solution_is_correct(exercise: Any) -> None:
    assert exercise.solution_code.strip(), f"{exercise.name} shows no solution"
    name = checked_name(exercise.lesson, exercise.name)
    namespace: dict[str, Any] = {}
    exec("\n".join(lesson_imports(exercise.lesson)), namespace)
    exec(exercise.solution_code, namespace)
    assert name in namespace, f"the solution does not define {name}, which the lesson checks"
    result = exercise.check(namespace[name], record=False)
    assert result.status == "correct", result.message
