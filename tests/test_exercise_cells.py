"""A lesson's exercise cells run on their own, and only the learner's checks are recorded."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import sync_notebooks

ROOT = Path(__file__).resolve().parent.parent

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _code_cells(path: Path) -> list[ast.Module]:
    notebook = sync_notebooks.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code" and not cell["source"].lstrip().startswith(("%", "!")):
            cells.append(ast.parse(cell["source"]))
    return cells


def _checks(tree: ast.Module) -> list[ast.Call]:
    """The ``ex.<name>.check(...)`` calls in a cell."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "check"
        and isinstance(node.func.value, ast.Attribute)
        and isinstance(node.func.value.value, ast.Name)
        and node.func.value.value.id == "ex"
    ]


def _imported(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def _used(tree: ast.Module) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _is_stub(function: ast.FunctionDef) -> bool:
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    return all(
        (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) and s.value.value is ...)
        or isinstance(s, (ast.Raise, ast.Pass))
        for s in body
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exercise_cells_import_the_modules_they_use(path: Path) -> None:
    """After a restart, an exercise cell run alone must not stop at a NameError (``np``)."""
    cells = _code_cells(path)
    modules = set().union(*(_imported(tree) for tree in cells))
    missing = {}
    for tree in cells:
        if _checks(tree):
            lacking = (_used(tree) & modules) - _imported(tree)
            if lacking:
                missing[ast.unparse(_checks(tree)[0])] = sorted(lacking)
    assert not missing, f"exercise cells use modules imported only elsewhere: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebooks_own_solved_check_is_not_recorded(path: Path) -> None:
    """A cell that checks a worked solution it defines is a demonstration: ``record=False``."""
    credited = []
    for tree in _code_cells(path):
        solved = {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and not _is_stub(node)
        }
        for call in _checks(tree):
            answer = call.args[0] if call.args else None
            if isinstance(answer, ast.Name) and answer.id in solved:
                record = {k.arg: k.value for k in call.keywords}.get("record")
                if not (isinstance(record, ast.Constant) and record.value is False):
                    credited.append(ast.unparse(call))
    assert not credited, f"the notebook would pass these for the learner: {credited}"
