"""Checked exercises: pass with the reference, fail with the precise reason, spot stubs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from course_utils import progress
from course_utils.exercises import (
    BuilderExercise,
    FunctionExercise,
    ValueExercise,
    call_repr,
    compare,
    is_stub,
    short,
)


@pytest.fixture(autouse=True)
def progress_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / "progress"))
    return tmp_path / "progress"


def _conv_output_size(n: int, k: int, s: int, padding: str) -> int:
    p = (k - 1) // 2 if padding == "same" else 0
    return (n + 2 * p - k) // s + 1


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0)


CONV = FunctionExercise(
    lesson="01_cnn",
    name="conv_output_size",
    reference=_conv_output_size,
    cases=[((28, 3, 1, "valid"), {}), ((28, 3, 1, "same"), {}), ((5, 5, 1, "valid"), {})],
    random_cases=lambda rng: ((int(rng.integers(5, 40)), 3, int(rng.integers(1, 3)), "valid"), {}),
    hints=["Count the positions the kernel fits in.", "floor((n + 2p - k) / s) + 1"],
    solution="def conv_output_size(n, k, s, padding):\n    ...",
)

RELU = FunctionExercise(
    lesson="01_cnn",
    name="relu",
    reference=_relu,
    cases=[((np.array([[-1.0, 0.0, 2.0], [3.0, -4.0, 0.5]]),), {})],
    random_cases=lambda rng: ((rng.normal(size=(4, 5)),), {}),
)


def test_reference_passes(capsys: pytest.CaptureFixture[str], progress_dir: Path) -> None:
    result = CONV.check(_conv_output_size)
    assert result.status == "correct" and result.correct
    printed = capsys.readouterr().out
    assert printed.startswith("✔ Correct — conv_output_size gives the expected result on all 8")
    assert result.message in printed
    entry = progress.load()["exercises"]["01_cnn"]["conv_output_size"]
    assert entry["status"] == "correct" and entry["attempts"] == 1
    assert RELU.check(_relu).correct


def test_stubs_are_not_attempted() -> None:
    def with_ellipsis(n, k, s, padding): ...  # your code here

    def with_pass(n, k, s, padding):
        """Compute the output size."""
        pass

    def with_raise(n, k, s, padding):
        raise NotImplementedError("write me")

    for stub in (with_ellipsis, with_pass, with_raise):
        assert is_stub(stub)
        result = CONV.check(stub)
        assert result.status == "not attempted", result.message
        assert result.message.startswith("○ Not attempted")
    assert progress.load()["exercises"]["01_cnn"]["conv_output_size"]["attempts"] == 0


def test_runtime_not_implemented_and_none_are_not_attempted() -> None:
    def raises_later(n, k, s, padding):
        size = n - k
        raise NotImplementedError(size)

    assert not is_stub(raises_later)
    assert CONV.check(raises_later).status == "not attempted"

    def forgot_return(n, k, s, padding):
        n - k + 1

    result = CONV.check(forgot_return)
    assert result.status == "not attempted" and "returned None" in result.message
    assert CONV.check(...).status == "not attempted"
    assert CONV.check(None).status == "not attempted"


def test_wrong_value_names_the_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    def off_by_one(n, k, s, padding):
        return n - k

    result = CONV.check(off_by_one)
    assert result.status == "incorrect"
    assert "conv_output_size(28, 3, 1, 'valid')" in result.message
    assert "expected 26, got 25" in result.message
    assert "Stuck? Ask for a hint with `ex.conv_output_size.hint()`." in result.message
    assert capsys.readouterr().out.startswith("✘ Incorrect — for conv_output_size(28, 3, 1,")


def test_failure_found_only_by_random_cases() -> None:
    def ignores_stride(n, k, s, padding):
        return _conv_output_size(n, k, 1, padding)

    result = CONV.check(ignores_stride)
    assert result.status == "incorrect"
    assert ", 2, 'valid')" in result.message  # a random case with stride 2


def test_exception_is_feedback_not_a_crash() -> None:
    def crashes(n, k, s, padding):
        return n / {}[padding]

    result = CONV.check(crashes)
    assert result.status == "incorrect"
    assert "raised KeyError: 'valid'" in result.message


def test_wrong_shape_dtype_type_and_value_at_index() -> None:
    assert (
        "wrong shape: expected (2, 3), got (3, 2)"
        in RELU.check(lambda x: np.maximum(x, 0.0).T).message
    )
    dtype = RELU.check(lambda x: np.maximum(x, 0).astype(int)).message
    assert "wrong dtype: expected floating-point numbers (float64), got integers" in dtype
    assert (
        "wrong type: expected a NumPy array, got a list"
        in RELU.check(lambda x: np.maximum(x, 0.0).tolist()).message
    )
    value = RELU.check(lambda x: np.abs(x)).message
    assert "value at index (0, 0): expected 0.0, got 1.0 (2 of 6 values differ)" in value
    assert "relu(np.array([[-1. ,  0. ,  2. ]," in value  # the failing input is shown


def test_float32_and_tolerance_are_accepted() -> None:
    assert RELU.check(lambda x: np.maximum(x, 0.0).astype(np.float32)).correct
    assert RELU.check(lambda x: np.maximum(x, 0.0) + 1e-7).correct
    assert not RELU.check(lambda x: np.maximum(x, 0.0) + 1e-3).correct


def test_check_is_given_a_value_instead_of_a_function() -> None:
    result = CONV.check(26)
    assert result.status == "incorrect" and "expected a function, got an int" in result.message


def test_learner_cannot_change_the_inputs_for_the_reference() -> None:
    def mutates(x):
        x[:] = 0.0
        return _relu(x)

    assert not RELU.check(mutates).correct
    assert RELU.check(_relu).correct  # the stored cases are intact


def test_custom_compare() -> None:
    def same_sign(expected, got):
        return None if np.sign(expected) == np.sign(got) else "the sign is wrong"

    exercise = FunctionExercise(
        "01_cnn", "signed", lambda x: 2 * x, [((3,), {})], compare=same_sign
    )
    assert exercise.check(lambda x: x).correct
    assert "the sign is wrong" in exercise.check(lambda x: -x).message


def test_hints_and_solution(capsys: pytest.CaptureFixture[str]) -> None:
    CONV.hint()
    assert capsys.readouterr().out.strip() == (
        "Hint 1 of 2: Count the positions the kernel fits in. (next: `ex.conv_output_size.hint(2)`)"
    )
    CONV.hint(2)
    assert capsys.readouterr().out.startswith("Hint 2 of 2: floor(")
    CONV.hint(3)
    assert "has 2 hint(s)" in capsys.readouterr().out
    RELU.hint()
    assert "no hints" in capsys.readouterr().out
    CONV.solution()
    assert "def conv_output_size(n, k, s, padding):" in capsys.readouterr().out


def test_messages_show_code_and_wrap_between_words_in_jupyter() -> None:
    from course_utils.messages import Message

    message = Message("Use `np.mean(a == b)`: expected 0.6931471805599453, got 0.5")
    shown = message._repr_html_()
    assert "<code>np.mean(a == b)</code>" in shown and "`" not in shown
    assert "word-break:normal" in shown and "break-all" not in shown
    assert str(message) == repr(message) == message.text  # plain text stays as written


def test_a_demonstration_check_is_not_recorded(capsys: pytest.CaptureFixture[str]) -> None:
    result = CONV.check(_conv_output_size, record=False)
    assert result.correct and "not saved in your progress" in result.message
    assert progress.load()["exercises"].get("01_cnn", {}).get("conv_output_size") is None
    assert CONV.check(_conv_output_size).correct  # the learner's own check is recorded
    assert progress.load()["exercises"]["01_cnn"]["conv_output_size"]["status"] == "correct"
    assert ValueExercise("01_cnn", "params", answer=320).check(320, record=False).correct
    assert "params" not in progress.load()["exercises"]["01_cnn"]


def test_value_exercise() -> None:
    exercise = ValueExercise("01_cnn", "params", answer=320, hints=["weights + biases"])
    assert exercise.check(...).status == "not attempted"
    assert exercise.check(None).status == "not attempted"
    assert exercise.check(320).correct and exercise.check(np.int64(320)).correct
    wrong = exercise.check(288)
    assert wrong.status == "incorrect" and "expected 320, got 288" in wrong.message
    assert "wrong type: expected a number, got a str" in exercise.check("320").message


def test_value_exercise_with_checker() -> None:
    def checker(value):
        return True if value > 0.9 else f"{value} is below the 0.9 target"

    exercise = ValueExercise("01_cnn", "accuracy", checker=checker)
    assert exercise.check(0.95).correct
    assert "0.5 is below the 0.9 target" in exercise.check(0.5).message
    crash = exercise.check("high")
    assert crash.status == "incorrect" and "could not be checked (TypeError" in crash.message
    with pytest.raises(TypeError, match="exactly one of answer= or checker="):
        ValueExercise("01_cnn", "x")


@pytest.mark.parametrize(
    ("expected", "got", "reason"),
    [
        (1.0, 1.0 + 1e-9, None),
        (3, 3.0, None),
        ([1, 2], (1, 2), None),
        ([1, 2], [1], "wrong length: expected 2 items, got 1"),
        ([1, [2, 3]], [1, [2, 4]], "item 1: item 1: expected 3, got 4"),
        ({"a": 1}, {"a": 1, "b": 2}, "wrong keys: missing [], extra ['b']"),
        ({"a": 1}, {"a": 2}, "key 'a': expected 1, got 2"),
        ("same", "valid", "expected 'same', got 'valid'"),
        (True, 1, "wrong type: expected True or False, got an int"),
        (np.array(2.0), np.array(2.5), "value: expected 2.0, got 2.5"),
        (np.array([np.nan, 1.0]), np.array([np.nan, 1.0]), None),
        (np.array(["a", "b"]), np.array(["a", "c"]), "value at index (1,): expected 'b', got 'c'"),
        (2.0, np.float32(2.0), None),
        (2.0, np.array(2.0), None),
        (None, 0, "wrong type: expected None, got an int"),
    ],
)
def test_compare(expected: object, got: object, reason: str | None) -> None:
    outcome = compare(expected, got)
    if reason is None:
        assert outcome is None
    else:
        assert outcome is not None and outcome.startswith(reason), outcome


def test_short_reprs_carry_no_memory_address():
    assert short(np.random.default_rng(0)) == "Generator(PCG64)"
    assert " at 0x" not in call_repr("f", [object()], {"rng": np.random.default_rng(1)})


def _squares_checker(build) -> str | None:
    """Right when build() returns the list of the first five squares."""
    got = build()
    return None if got == [0, 1, 4, 9, 16] else f"build() returned {got!r}"


SQUARES = BuilderExercise(lesson="01_cnn", name="build_squares", checker=_squares_checker)


def test_builder_exercise_tells_stub_wrong_and_right_apart() -> None:
    def stub():
        """Return the first five squares."""
        ...  # your code here

    def wrong():
        return [1, 4, 9, 16, 25]

    def raises():
        raise ValueError("Input 0 of layer lstm is incompatible")

    assert SQUARES.check(stub).status == "not attempted"
    result = SQUARES.check(wrong)
    assert result.status == "incorrect" and "[1, 4, 9, 16, 25]" in result.message
    result = SQUARES.check(raises)
    assert result.status == "incorrect" and "incompatible" in result.message
    assert SQUARES.check(lambda: [k * k for k in range(5)]).correct
    entry = progress.load()["exercises"]["01_cnn"]["build_squares"]
    assert entry["status"] == "correct" and entry["attempts"] == 3
