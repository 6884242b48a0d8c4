"""Every solution a learner can see passes its own check.

``ex.<name>.solution()`` prints ``solution_code``; here that text is run as a learner would
paste it into the exercise cell: in a namespace holding only what the lesson's notebook
imports (its top-level ``import`` statements), then checked as that cell checks it
(``ex.<name>.check(<what the cell passes>)``). The exercises are found by importing every
``lesson_exercises.ex_*`` module, so a new exercise is covered without editing this file.

Only ``solution()`` shows the code: every exercise has at least two hints, and no hint gives
the solution's code or its complete formula away (:func:`giveaways` says what counts).
"""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import re
from typing import Any

import pytest

import lesson_exercises
from course_utils.paths import REPO_ROOT

NOTEBOOKS = REPO_ROOT / "notebooks"


def _exercises() -> list[Any]:
    """Every exercise of every ``lesson_exercises.ex_*`` module: its ``EXERCISES`` tuple
    (``test_dashboard`` checks that the tuple holds every exercise the module defines)."""
    found = []
    for module_info in pkgutil.iter_modules(lesson_exercises.__path__):
        if not module_info.name.startswith("ex_"):
            continue
        module = importlib.import_module(f"lesson_exercises.{module_info.name}")
        found += list(module.EXERCISES)
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


# Hint ladders stop one step short of the code (COURSE_DESIGN.md): only solution() shows it.

#: Fragments of the solution shorter than this (whitespace left out) are too common to count.
MIN_FRAGMENT = 12
#: A formula's shape counts once it has at least this many operators.
MIN_OPERATORS = 4
#: Calls that only convert a value; ``float(np.mean(...))`` is also read as ``np.mean(...)``.
CONVERSIONS = {"float", "int", "np.asarray", "np.array"}
_OPERATORS = set("+-*/@<>=%")
_NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_NUMBER = re.compile(r"\d+(?:\.\d*)?(?:e-?\d+)?|\.\d+")
_CALL_START = re.compile(r"[A-Za-z_][\w.]*\(")
_STATEMENT = re.compile(
    r"\b(?:def|return)\s+[\w.]+\("  # def f(  return np.zeros(
    r"|\blambda\b[^:]*:"  # lambda c:
    r"|\bfor\s+[\w, ]+\s+in\s+[\w.()]+:"  # for k, s in layers:
    r"|\w\s*[-+*/]=\s*\w"  # r += ...
)


class _Unwrap(ast.NodeTransformer):
    """Replaces each conversion call (``float(x)``, ``np.asarray(x, dtype=float)``) by ``x``."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if ast.unparse(node.func) in CONVERSIONS and node.args:
            return node.args[0]
        return node


def _squeeze(text: str) -> str:
    """``text`` without whitespace or backticks: ``4 * (a + b)`` and `` `4*(a+b)` `` agree."""
    return re.sub(r"[\s`]", "", text)


def _shape(text: str) -> str:
    """The shape of a formula: every (dotted) name becomes ``_`` and every number ``#``, so a
    formula with its names changed still matches (``r += d * (k - 1) * jump`` and
    ``r += dilation * (kernel - 1) * jump`` are both ``_+=_*(_-#)*_``)."""
    text = _NUMBER.sub("#", _NAME.sub("_", text.replace("`", "")))
    return re.sub(r"_+", "_", re.sub(r"\s", "", text))


def _solution_nodes(code: str) -> list[ast.AST]:
    """The simple statements and expressions of the solution, as written and with its
    conversion calls unwrapped (imports, ``def``, loops and branches are containers)."""
    containers = (ast.Module, ast.Import, ast.ImportFrom, ast.FunctionDef, ast.For, ast.If)
    nodes = []
    for tree in (ast.parse(code), _Unwrap().visit(ast.parse(code))):
        nodes += [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.stmt | ast.expr) and not isinstance(node, containers)
        ]
    return nodes


def _hint_calls(hint: str) -> list[ast.Call]:
    """The calls written as code in a hint (``np.where(mask, new, h)``), parsed."""
    calls = []
    for match in _CALL_START.finditer(hint):
        depth, end = 0, None
        for position in range(match.end() - 1, len(hint)):
            depth += {"(": 1, ")": -1}.get(hint[position], 0)
            if depth == 0:
                end = position + 1
                break
        try:
            node = ast.parse(hint[match.start() : end], mode="eval").body
        except SyntaxError:
            continue
        if isinstance(node, ast.Call):
            calls.append(node)
    return calls


def giveaways(hint: str, solution: str) -> list[str]:
    """Why ``hint`` gives ``solution``'s code away (empty when it does not). It does when it

    1. writes a statement: ``def f(``, ``return f(``, ``lambda x:``, ``for a, b in c:``, or an
       augmented assignment such as ``r += ...``;
    2. contains a statement or expression of the solution (a line, a returned expression, a
       call's argument list...) of at least ``MIN_FRAGMENT`` characters, whitespace left out,
       and not a bare name or a tuple of names (saying what to return is fine); conversion
       calls are also left out, so ``np.mean(a == b)`` gives away
       ``float(np.mean(np.asarray(a) == np.asarray(b)))``;
    3. has a formula of the same shape as one of the solution's expressions or assignments
       with at least ``MIN_OPERATORS`` operators, whatever the names (see :func:`_shape`):
       ``4 * (units * (units + d) + units)`` is the whole ``lstm_param_count``;
    4. writes out a call that the solution makes with two or more positional arguments: the
       same function, as many positional arguments, at least one of them written as the
       solution writes it (``np.split(W, 4, axis=0)`` against ``np.split(m, 4, axis=0)``).

    Words and formulas in words ("the mean of the absolute differences") never match, nor
    does naming a function (``np.argsort``), a one-argument call (``len(logits)``) or a call
    with other arguments (``np.log(0)``).
    """
    found = []
    if statement := _STATEMENT.search(hint):
        found.append(f"writes the statement {statement.group(0)!r}")
    nodes = _solution_nodes(solution)
    texts = {_squeeze(ast.unparse(node)) for node in nodes}
    texts |= {  # a call with its keyword arguments left out: np.full((n, 1), start_id)
        _squeeze(ast.unparse(ast.Call(node.func, node.args, [])))
        for node in nodes
        if isinstance(node, ast.Call) and node.keywords
    }
    squeezed = _squeeze(hint)
    fragments = [
        text
        for text in texts
        if len(text) >= MIN_FRAGMENT
        and not re.fullmatch(r"(return)?\(?[\w.',]+\)?", text)
        and text in squeezed
    ]
    if fragments:
        found.append(f"contains the solution's {max(fragments, key=len)!r}")
    shapes = {
        _shape(ast.unparse(node))
        for node in nodes
        if isinstance(node, ast.expr | ast.Assign | ast.AugAssign)
    }
    shapes = {s for s in shapes if sum(c in _OPERATORS for c in s) >= MIN_OPERATORS}
    if matched := [s for s in shapes if s in _shape(hint)]:
        found.append(f"has a formula shaped like the solution's {max(matched, key=len)!r}")
    solution_calls = [node for node in nodes if isinstance(node, ast.Call)]
    for call in _hint_calls(hint):
        args = {_squeeze(ast.unparse(a)) for a in call.args}
        for made in solution_calls:
            if (
                len(call.args) >= 2
                and ast.unparse(made.func) == ast.unparse(call.func)
                and len(made.args) == len(call.args)
                and args & {_squeeze(ast.unparse(a)) for a in made.args}
            ):
                found.append(f"writes out the solution's call {ast.unparse(made)!r}")
                break
    return found


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: f"{e.lesson}.{e.name}")
def test_hint_ladder_stops_short_of_the_code(exercise: Any) -> None:
    """At least two hints, and none that gives the code away (see :func:`giveaways`)."""
    assert len(exercise.hints) >= 2, f"{exercise.lesson}/{exercise.name} has fewer than 2 hints"
    problems = [
        f"{exercise.lesson}/{exercise.name} hint {number}: {reason}"
        for number, hint in enumerate(exercise.hints, 1)
        for reason in giveaways(hint, exercise.solution_code)
    ]
    assert not problems, "\n".join(problems)


SOLUTION = "def lstm_param_count(units, d):\n    return 4 * (units * (units + d) + units)\n"


@pytest.mark.parametrize(
    "hint",
    [
        "An LSTM has four such blocks: 4 * (units * (units + d) + units).",  # the solution
        "Four blocks of `4*(units*(units+d)+units)`.",  # squeezed, in backticks
        "In all: 4 * (n * (n + m) + n).",  # the same formula with other names
        "def lstm_param_count(units, d): ...",
        "Loop: for k, s in layers: r += k",
    ],
)
def test_a_hint_that_gives_the_code_away_is_caught(hint: str) -> None:
    assert giveaways(hint, SOLUTION)


PAIR_SOLUTION = "def step(c, o):\n    c_new = 0.5 * c\n    return o * np.tanh(c_new), c_new\n"
KL_SOLUTION = (
    "def kl(counts):\n    q = counts / counts.sum()\n    q = q[q > 0]\n"
    "    return float((q * np.log(len(counts) * q)).sum())\n"
)


@pytest.mark.parametrize(
    ("hint", "solution"),
    [
        ("Count one gate: an input kernel (d x units), a recurrent one and a bias.", SOLUTION),
        ("Return the total as an int. For units = 2, d = 3 you should get 48.", SOLUTION),
        ("Return (h_new, c_new) in that order, as the docstring says.", PAIR_SOLUTION),
        ("Modes with q = 0 add nothing; np.log(0) would give -inf.", KL_SOLUTION),
        ("Here k = len(counts), and ln 2 = 0.693 for [10, 10, 0, 0].", KL_SOLUTION),
    ],
)
def test_an_ordinary_hint_is_not_caught(hint: str, solution: str) -> None:
    assert not giveaways(hint, solution)


def test_a_call_written_out_with_other_names_is_caught() -> None:
    solution = "def f(xs, real, new, h):\n    return np.where(real, new, h)\n"
    assert giveaways("np.where(mask[:, None], new, h) keeps the old state.", solution)
    assert not giveaways("np.where picks, row by row, the new state or the old one.", solution)
