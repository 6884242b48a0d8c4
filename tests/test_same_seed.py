"""Same machine, same seed, same numbers: a lesson run twice prints the same checkpoints.

Each lesson runs twice in a fresh kernel through nbclient with the same ``COURSE_SEED``,
writing its checkpoints to a ``COURSE_RESULTS`` file; the two files must hold the same
values. Lesson 00 (plain Keras training) and lesson 06 (GANs: the most chaotic training in
the course, where any unseeded source or nondeterministic op would show at once) run in fast
mode, which executes every code path. Run with the notebooks (``make test-notebooks``).
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def _checkpoints(lesson: str, results: Path, monkeypatch) -> list[tuple[str, float]]:
    monkeypatch.setenv("COURSE_RESULTS", str(results))
    notebook = nbformat.read(ROOT / "notebooks" / f"{lesson}.ipynb", as_version=4)
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    ).execute()
    points = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]
    return [(point["name"], point["value"]) for point in points]


@pytest.mark.headless
@pytest.mark.parametrize("lesson", ["00_welcome", "06_gans"])
def test_a_lesson_run_twice_with_one_seed_prints_the_same_checkpoints(
    lesson, tmp_path, monkeypatch
):
    monkeypatch.setenv("COURSE_FAST", "1")
    monkeypatch.setenv("COURSE_SEED", "43")
    first = _checkpoints(lesson, tmp_path / "first.jsonl", monkeypatch)
    second = _checkpoints(lesson, tmp_path / "second.jsonl", monkeypatch)
    assert len(first) >= 3, f"{lesson} reported too few checkpoints: {first}"
    different = [(a, b) for a, b in zip(first, second, strict=True) if a != b]
    assert not different, f"{lesson}: same seed, different values: {different}"
