"""A lesson executed headless, as nbconvert, the benchmark and a book build execute it.

Lesson 01's interactive cell once held ``jupyter nbconvert --execute`` for its whole
1,200 s cell timeout (an ``interact`` output routed through an ``Output`` widget). Here the
lesson runs in fast mode through nbclient, the executor behind nbconvert, with a cell
timeout far below that: a cell waiting on a front end fails the test instead of hanging it.
Run with the notebooks (``make test-notebooks``), not with the unit tests: it takes about a
minute.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
CELL_TIMEOUT_S = 120


@pytest.mark.headless
def test_lesson_01_runs_headless_without_waiting_on_a_front_end(monkeypatch):
    monkeypatch.setenv("COURSE_FAST", "1")
    monkeypatch.setenv("COURSE_STRICT", "1")
    notebook = nbformat.read(ROOT / "notebooks" / "01_cnn.ipynb", as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    )
    client.execute()
    explored = [cell for cell in notebook.cells if "explore(" in cell.get("source", "")]
    assert explored, "lesson 01 has an explore() cell"
    figures = [o for o in explored[0].outputs if "image/png" in o.get("data", {})]
    assert figures, "the default figure is in the saved output"
