"""course_utils.checkpoint: pass and miss lines, strict and fast modes, the results file."""

from __future__ import annotations

import json

import pytest

from course_utils.checkpoint import CheckpointMissed, checkpoint


def test_pass_line(capsys):
    result = checkpoint("accuracy", 0.99, at_least=0.98)
    assert result.passed
    assert "PASS" in capsys.readouterr().out


def test_miss_line_without_strict_does_not_raise(capsys):
    result = checkpoint("accuracy", 0.5, at_least=0.98)
    assert not result.passed
    out = capsys.readouterr().out
    assert "MISS" in out and "accuracy" in out and ">= 0.98" in out


def test_strict_miss_raises(monkeypatch):
    monkeypatch.setenv("COURSE_STRICT", "1")
    with pytest.raises(CheckpointMissed, match="mse"):
        checkpoint("mse", 0.2, at_most=0.01)


def test_both_bounds_and_nan(monkeypatch):
    monkeypatch.setenv("COURSE_STRICT", "1")
    assert checkpoint("ratio", 0.5, at_least=0.0, at_most=1.0).passed
    with pytest.raises(CheckpointMissed):
        checkpoint("ratio", float("nan"), at_least=0.0)


def test_fast_mode_reports_trained_targets_without_enforcing(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_FAST", "1")
    monkeypatch.setenv("COURSE_STRICT", "1")
    result = checkpoint("accuracy", 0.3, at_least=0.98)
    assert not result.passed and not result.enforced
    assert "FAST" in capsys.readouterr().out


def test_fast_mode_still_enforces_exact_checks(monkeypatch):
    monkeypatch.setenv("COURSE_FAST", "1")
    monkeypatch.setenv("COURSE_STRICT", "1")
    with pytest.raises(CheckpointMissed):
        checkpoint("max |diff|", 1e-2, at_most=1e-5, trained=False)


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="give a target"):
        checkpoint("x", 1.0)
    with pytest.raises(ValueError, match="must be a number"):
        checkpoint("x", "high", at_least=1)


def test_results_file_gets_one_json_line_per_checkpoint(monkeypatch, tmp_path):
    path = tmp_path / "results.jsonl"
    monkeypatch.setenv("COURSE_RESULTS", str(path))
    monkeypatch.setenv("COURSE_LESSON", "01_cnn")
    checkpoint("accuracy", 0.99, at_least=0.98)
    checkpoint("mse", 0.5, at_most=0.1)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["name"] for r in rows] == ["accuracy", "mse"]
    assert rows[0]["lesson"] == "01_cnn" and rows[0]["passed"] is True
    assert rows[1]["target"] == "<= 0.1" and rows[1]["passed"] is False


# --- Numbers too large for a float ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "targets"),
    [
        (10**400, {"at_least": 0.9}),
        (-(10**400), {"at_most": 1}),
        (0.5, {"at_least": 10**400}),
        (0.5, {"at_most": -(10**400)}),
    ],
    ids=["value", "negative value", "at_least", "at_most"],
)
def test_numbers_too_large_for_a_float_are_its_documented_error(value, targets) -> None:
    with pytest.raises(ValueError, match="checkpoint 'accuracy'"):
        checkpoint("accuracy", value, **targets)


def test_a_checkpoint_as_a_cell_result_shows_nothing_more(capsys):
    """A cell ending in checkpoint(...) needs no ';': its line is printed once."""
    result = checkpoint("accuracy", 0.99, at_least=0.98)
    capsys.readouterr()
    assert result._ipython_display_() is None
    assert capsys.readouterr().out == ""
